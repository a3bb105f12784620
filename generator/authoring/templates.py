"""Incident templates: `candor new --template NAME` starts from a prepared title, impact,
components and an apology-first first message whose `[[ … ]]` prompts mark the facts to fill
in. They live in `templates_dir` (default `templates/`, next to mkdocs.yml), never among the
incidents, and are validated like incident files: a broken one is an error at its
file:line:col, not a surprise at 3 a.m."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from generator.core.config import Settings
from generator.core.errors import Problem
from generator.core.files import NotRegularFile, read_regular
from generator.core.load import MAX_BYTES, SUFFIXES
from generator.core.model import COMPONENT_IDS, ComponentId, Duration, Impact, Strict, Text
from generator.core.source import SourceError, SourceMap, compose
from generator.core.validation import did_you_mean, translate


class Template(Strict):
    description: Text  # one line for `candor templates`
    title: Text
    impact: Impact = "minor"
    components: list[ComponentId] = Field(default_factory=list, description=COMPONENT_IDS)
    next_update: Duration | None = None
    message: Text


@dataclass
class LoadedTemplate:
    name: str
    rel: str
    template: Template | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if self.template is None:
            return "(broken: run `candor templates` to see why)"
        return " ".join(self.template.description.split())


def discover_templates(settings: Settings) -> list[Path]:
    folder = settings.templates_dir
    if not folder.is_dir():
        return []
    # Symlinks and other non-regular files are listed too, to be refused by name (never read).
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in SUFFIXES
        and not p.name.startswith(".")
        and (p.is_symlink() or not p.is_dir())
    )


def load_template(path: Path, settings: Settings) -> LoadedTemplate:
    rel = _rel(path, settings)
    loaded = LoadedTemplate(path.stem, rel)

    def error(rule: str, message: str, hint: str, pos: tuple[int, int] | None) -> LoadedTemplate:
        line, column = pos if pos else (None, None)
        loaded.problems.append(Problem(rel, line, column, "error", rule, message, hint))
        return loaded

    try:
        raw, size = read_regular(path, MAX_BYTES)
        if size > MAX_BYTES:
            return error("too-large", "the template is over 1 MiB", "shorten it", None)
        text = raw.decode("utf-8")
    except NotRegularFile as exc:
        return error(
            "not-a-regular-file",
            f"`{path.name}` is {exc.kind}, not a regular file; Candor never opens or follows it",
            "keep the template itself in the templates folder",
            None,
        )
    except (OSError, UnicodeDecodeError) as exc:
        return error("unreadable", f"cannot read the template: {exc}", "save it as UTF-8", None)
    try:
        data, source = compose(text)
    except SourceError as exc:
        pos = SourceMap(text).line_col(exc.index) if exc.index is not None else None
        return error(exc.rule, exc.message, exc.hint, pos)
    if not isinstance(data, dict):
        return error(
            "not-a-mapping",
            "a template is a mapping of fields",
            "start with `description:`, `title:`, `impact:`, `components:` and `message:`",
            (1, 1),
        )
    try:
        template = Template.model_validate(data)
    except ValidationError as exc:
        loaded.problems += translate(exc, data, source, rel, (Template,))
        return loaded
    known = [c.id for c in settings.candor.components]
    for index, component in enumerate(template.components):
        if component not in known:
            error(
                "unknown-component",
                f"`components[{index}]` names component `{component}`, "
                "which mkdocs.yml does not list",
                f"{did_you_mean(component, known)}Known components: {', '.join(known) or 'none'}.",
                source.value_pos(("components", index)),
            )
    if not loaded.problems:
        loaded.template = template
    return loaded


def load_templates(settings: Settings) -> list[LoadedTemplate]:
    return [load_template(path, settings) for path in discover_templates(settings)]


def _rel(path: Path, settings: Settings) -> str:
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return path.as_posix()
