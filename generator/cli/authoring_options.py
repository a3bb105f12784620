"""The options of the authoring commands: how each value is typed, checked early (a usage
error, exit 2) and completed in the shell."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from generator.authoring.site import Site, component_status, normalise
from generator.authoring.templates import discover_templates
from generator.core.config import load_settings
from generator.core.load import discover
from generator.core.model import (
    COMPONENT_STATUSES,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    Maintenance,
)
from generator.core.project import resolve_now
from generator.core.times import CLOCK_TIME, DURATION_HINT, parse_duration, parse_timestamp, zone

ALL_STATUSES = tuple(dict.fromkeys([*INCIDENT_STATUSES, *MAINTENANCE_STATUSES]))


# --- completion ------------------------------------------------------------------------


def _settings(ctx: click.Context) -> Any:
    path = ctx.params.get("config_path") or Path("mkdocs.yml")
    try:
        return load_settings(path)
    except Exception:  # completion must never fail loudly
        return None


def complete_ids(ctx: click.Context, _: click.Parameter, incomplete: str) -> list[CompletionItem]:
    settings = _settings(ctx)
    if settings is None:
        return []
    ids = sorted((p.stem for p in discover(settings.incidents_dir)), reverse=True)
    return [CompletionItem(i) for i in ids if i.startswith(incomplete) or incomplete in i]


def complete_templates(
    ctx: click.Context, _: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    settings = _settings(ctx)
    if settings is None:
        return []
    names = [p.stem for p in discover_templates(settings)]
    return [CompletionItem(n) for n in names if n.startswith(incomplete)]


def complete_status(
    ctx: click.Context, _: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    statuses: tuple[str, ...] = ALL_STATUSES
    settings = _settings(ctx)
    # While an option's value is completed, Click leaves the positional ID in ctx.args.
    ident = ctx.params.get("ident") or next(iter(ctx.args), None)
    if settings is not None and ident:
        try:
            site = Site(settings, resolve_now(settings, None))
            event = site.load(site.find(ident))
            is_maintenance = isinstance(event, Maintenance)
            statuses = MAINTENANCE_STATUSES if is_maintenance else INCIDENT_STATUSES
        except Exception:
            pass
    return [CompletionItem(s) for s in statuses if s.startswith(incomplete)]


def complete_components(
    ctx: click.Context, _: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    settings = _settings(ctx)
    if settings is None:
        return []
    if "=" in incomplete:
        name, _sep, partial = incomplete.partition("=")
        return [CompletionItem(f"{name}={s}") for s in COMPONENT_STATUSES if s.startswith(partial)]
    return [
        CompletionItem(c.id, help=c.name)
        for c in settings.candor.components
        if c.id.startswith(incomplete)
    ]


# --- option types ----------------------------------------------------------------------


class StatusType(click.Choice):
    """Any incident or maintenance status; case, hyphens and spaces forgiven."""

    def __init__(self) -> None:
        super().__init__(ALL_STATUSES, case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(normalise(str(value)), param, ctx)


class DurationType(click.ParamType):
    name = "DURATION"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> timedelta:
        if isinstance(value, timedelta):
            return value
        try:
            return parse_duration(str(value))
        except ValueError as exc:
            self.fail(f"{exc}; {DURATION_HINT}", param, ctx)


class TimeType(click.ParamType):
    """Checks the form of a time early; the site's zone is applied once the config is read."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if CLOCK_TIME.match(text):
            return text
        try:
            parse_timestamp(text, zone("UTC"))
        except ValueError as exc:
            if "is not a timestamp" in str(exc):
                self.fail(
                    f"{text!r} is not a time; write YYYY-MM-DDTHH:MM[Z|±HH:MM], or HH:MM for "
                    "today in the site's time zone",
                    param,
                    ctx,
                )
        return text


class ComponentType(click.ParamType):
    """`api=major_outage`, or (where a bare id is allowed) `api`; commas list several."""

    name = "C=STATUS"

    def __init__(self, bare: bool) -> None:
        self.bare = bare
        if bare:
            self.name = "C[=STATUS]"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> list[tuple[str, str | None]]:
        if isinstance(value, list):
            return value
        pairs: list[tuple[str, str | None]] = []
        for part in str(value).split(","):
            name, sep, status = part.strip().partition("=")
            name = name.strip().lower()
            if not name:
                continue
            if not sep:
                if not self.bare:
                    self.fail(
                        f"`{part.strip()}` names no status; write it as `{name}=STATUS` "
                        f"with STATUS one of {', '.join(COMPONENT_STATUSES)}",
                        param,
                        ctx,
                    )
                pairs.append((name, None))
                continue
            try:
                pairs.append((name, component_status(status)))
            except ValueError as exc:
                self.fail(str(exc), param, ctx)
        return pairs

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return complete_components(ctx, param, incomplete)


def statuses_of(pairs: tuple[list[tuple[str, str | None]], ...]) -> dict[str, str]:
    return {name: status for group in pairs for name, status in group if status}


def names_of(pairs: tuple[list[tuple[str, str | None]], ...]) -> list[str]:
    return [name for group in pairs for name, _ in group]


# --- shared options --------------------------------------------------------------------

IDENT = click.argument("ident", metavar="ID", shell_complete=complete_ids)
MESSAGE = click.option(
    "--message",
    "-m",
    metavar="M",
    default=None,
    help="Markdown text; `-` reads standard input; left out, $EDITOR opens.",
)
AT = click.option(
    "--at",
    type=TimeType(),
    default=None,
    help="When it happened (default: now); HH:MM means today in the site's time zone.",
)
BY = click.option("--by", metavar="NAME", default=None, help="The person writing it.")
NEXT = click.option(
    "--next",
    "next_update",
    type=DurationType(),
    default=None,
    help="Promise the next update within this long, e.g. 30m or 1h.",
)


IMPACT = click.Choice(["none", "minor", "major", "critical"], case_sensitive=False)
COMMIT = click.option(
    "--commit",
    is_flag=True,
    help="Commit the changed file (alone) with a message saying what changed.",
)
PUSH = click.option(
    "--push", is_flag=True, help="Commit, then push the current branch: publish it now."
)
