"""One call from a config path to everything downstream needs: settings, incident files,
problems and (when there are no errors) the derived state. The CLI and the plugin share it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .checks import run_checks
from .config import Settings, load_settings
from .errors import CandorError, Problem, ValidationFailed, sort_problems
from .load import LoadedFile, load_dir
from .model import Event
from .state import SiteState, derive
from .times import now_from

NOW_ENV = "CANDOR_NOW"


@dataclass
class Project:
    settings: Settings
    files: list[LoadedFile]
    problems: list[Problem]
    now: datetime

    @property
    def events(self) -> list[Event]:
        return [f.event for f in self.files if f.event is not None]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def strict(self) -> Project:
        """The same project with every warning counted as an error (`--strict`)."""
        return Project(self.settings, self.files, [p.as_error() for p in self.problems], self.now)

    def require_valid(self) -> None:
        if self.errors:
            raise ValidationFailed(self.problems)

    def state(self) -> SiteState:
        """The derived state of a valid project (ValidationFailed otherwise)."""
        self.require_valid()
        return self.derive()

    def derive(self) -> SiteState:
        """The derived state of every file that loaded, errors elsewhere notwithstanding."""
        c = self.settings.candor
        return derive(
            self.events,
            c.components,
            self.now,
            self.settings.tz,
            uptime_days=c.uptime_days,
            required_for=c.postmortem_required_for,
            postmortem_within=c.postmortem_within,
        )


def resolve_now(settings: Settings, now: str | None) -> datetime:
    value = now or os.environ.get(NOW_ENV) or None
    try:
        return now_from(value, settings.tz)
    except ValueError as exc:
        source = "--now" if now else NOW_ENV
        raise CandorError(f"{source}: {exc}; write it as YYYY-MM-DDTHH:MM[Z|±HH:MM]") from None


def load_project(config_path: Path | str = "mkdocs.yml", now: str | None = None) -> Project:
    settings = load_settings(config_path)
    moment = resolve_now(settings, now)
    files = load_dir(settings.incidents_dir, settings.root, settings.tz)
    problems = sort_problems(run_checks(files, settings.candor, moment))
    return Project(settings, files, problems, moment)
