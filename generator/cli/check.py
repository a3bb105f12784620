"""`candor check`: every problem of the config and the incident files, for people (text),
pull requests (GitHub annotations) or tools (JSON)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from generator.authoring.git import GitError, changed_since
from generator.authoring.templates import load_templates
from generator.cli.options import CONFIG, NOW
from generator.core.characters import inert, json_safe
from generator.core.config import Settings
from generator.core.errors import ConfigError, Problem, sort_problems
from generator.core.project import check_project
from generator.outputs.i18n import override_problems

FIX = "fix the template: `candor new --template` refuses it until then"


@click.command()
@CONFIG
@NOW
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text for people, github for workflow annotations, json for tools.",
)
@click.option(
    "--changed-since",
    "since",
    metavar="REF",
    callback=lambda _ctx, _param, value: _revision(value),
    help="Hold to --strict the files HEAD changes since REF (as if named): a pull "
    "request's own, with HEAD^1 on its merge commit.",
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def check(
    config_path: Path,
    now: str | None,
    strict: bool,
    fmt: str,
    since: str | None,
    files: tuple[Path, ...],
) -> None:
    """Validate every incident file; exit 1 when there are errors.

    With FILE arguments every file is still checked, but only the named ones (incident
    files, templates, mkdocs.yml) are held to --strict: a pull request's check names the
    files it changes, so the clock never fails an unrelated one. --changed-since REF names
    them from git."""
    if since is not None and files:
        raise click.UsageError("name files or give --changed-since, not both")
    try:
        checked = check_project(config_path, now)
        # What mkdocs itself refuses in mkdocs.yml stops the build: check names it first.
        # Imported here: `candor status` shares this module, and has no use for mkdocs.
        from generator.plugin.mkdocs_config import check_problems

        checked.problems += check_problems(checked.settings)
        # The site's own words replace the catalogue's: a key or placeholder the pages do
        # not know would fail the build, so check names it first.
        checked.problems = sort_problems(override_problems(checked.settings) + checked.problems)
    except ConfigError as exc:
        if fmt == "text":
            raise
        # A workflow reading json or annotations gets the config's problems the same way.
        problems, count = exc.problems, 0
    else:
        # A broken template is found in review, not at 3 a.m.; it is never published, so it
        # is a warning (under --strict, an error) that never stops a publish.
        templates = [
            Problem(p.file, p.line, p.column, "warning", "template", p.message, p.hint or FIX)
            for loaded in load_templates(checked.settings)
            for p in loaded.problems
        ]
        checked.problems = sort_problems([*checked.problems, *templates])
        if since is not None or (strict and files):
            named = (
                _changed(since, checked.settings, fmt)
                if since is not None
                else _named(files, checked.settings)
            )
            checked.problems = [
                p.as_error() if _key(checked.settings.root / p.file) in named else p
                for p in checked.problems
            ]
        elif strict:
            checked = checked.strict()
        problems, count = checked.problems, checked.count
    errors = sum(p.severity == "error" for p in problems)
    notes = sum(p.severity == "note" for p in problems)
    warnings = len(problems) - errors - notes
    if fmt == "json":
        _print_json(
            {
                "files": count,
                "errors": errors,
                "warnings": warnings,
                "notes": notes,
                "problems": [p.to_dict() for p in problems],
            }
        )
    else:
        for problem in problems:
            # Messages quote the files: every terminal line is shown inert.
            click.echo(github_annotation(problem) if fmt == "github" else inert(str(problem)))
        click.echo(summary(errors, warnings, count, notes), err=fmt == "github")
    if errors:
        sys.exit(1)


def _key(path: Path) -> str:
    """One spelling of a path: absolute, its folder's symlinks resolved, the name kept (a
    named symlink is that link, not what it points at)."""
    absolute = os.path.abspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))


def _reads(settings: Settings) -> Callable[[str], bool]:
    """Whether `candor check` reads the file of a `_key`: an incident file, a template or
    the config."""
    folders = {os.path.realpath(settings.incidents_dir), os.path.realpath(settings.templates_dir)}
    config = _key(settings.config_path)
    return lambda key: key == config or os.path.dirname(key) in folders


def _named(files: tuple[Path, ...], settings: Settings) -> set[str]:
    """The named files, each an incident file, a template or the config: anything else is a
    usage error (exit 2), since holding it to --strict would hold nothing. A named file need
    not exist: a pull request may delete one."""
    reads = _reads(settings)
    named = set()
    for file in files:
        key = _key(file)
        if not reads(key):
            raise click.UsageError(
                f"{inert(str(file), one_line=True)} is not an incident file in "
                f"{settings.candor.incidents_dir}/, a template or {settings.config_path.name}: "
                "name only files that `candor check` reads"
            )
        named.add(key)
    return named


def _revision(value: str | None) -> str | None:
    # Given to git as an argument: one that starts with `-` would be read as an option.
    if value is not None and (not value or value.startswith("-")):
        raise click.BadParameter(f"{inert(value, one_line=True)!r} is not a git revision")
    return value


def _changed(since: str, settings: Settings, fmt: str) -> set[str]:
    """The files HEAD changes since `since` that `candor check` reads (incident files,
    templates, the config); the others (the About page, a README) are nobody's business
    here. Says on stderr which files are held to --strict."""
    try:
        paths = changed_since(settings.root, since)
    except GitError as exc:
        if fmt != "github":
            raise
        # An annotation on the run, where the pull request's author looks.
        click.echo(f"::error title=candor check::{_escape_data(exc.format_message())}")
        sys.exit(1)
    reads = _reads(settings)
    named = {key for key in map(_key, paths) if reads(key)}
    root = os.path.realpath(settings.root)
    shown = sorted(inert(os.path.relpath(key, root), one_line=True) for key in named)
    click.echo(
        f"Held to --strict, changed since {inert(since, one_line=True)}: {', '.join(shown)}"
        if shown
        else f"No file candor check reads changed since {inert(since, one_line=True)}: "
        "nothing held to --strict",
        err=True,
    )
    return named


def _print_json(document: dict[str, object]) -> None:
    # The same values, with nothing a terminal would act on (see characters.json_safe).
    click.echo(json_safe(json.dumps(document, ensure_ascii=False, indent=2)))


def summary(errors: int, warnings: int, files: int, notes: int = 0) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    noted = f", {plural(notes, 'note')}" if notes else ""
    if not errors and not warnings:
        record = f" {plural(notes, 'note')} for the record." if notes else ""
        return f"No problems in {plural(files, 'file')}.{record}"
    return (
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}{noted} "
        f"in {plural(files, 'file')}"
    )


def github_annotation(problem: Problem) -> str:
    """A workflow command GitHub shows on the file and line of the pull request."""
    props = [f"file={_escape_property(inert(problem.file))}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
    if problem.column is not None:
        props.append(f"col={problem.column}")
    props.append(f"title={_escape_property(f'candor {problem.rule}')}")
    text = problem.message + (f" — {problem.hint}" if problem.hint else "")
    # GitHub's own word for a note is `notice`.
    command = "notice" if problem.severity == "note" else problem.severity
    return f"::{command} {','.join(props)}::{_escape_data(inert(text))}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
