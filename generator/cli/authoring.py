"""The authoring commands of `candor`: new, update, resolve, postmortem and templates.

Glue only: options are parsed and completed in `authoring_options`, the work is done by
`generator.authoring`. Click's own usage errors exit 2; anything only Candor can judge (an
unknown id or component, a status the file's kind does not have, a result that would fail
`check`, a repository `--commit` cannot commit in) exits 1 and leaves every file as it was.
After every command that changed a file, one line on standard error says what publishing
it takes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import click

from generator.authoring import buffer, git
from generator.authoring import changes as authoring
from generator.authoring.edit import EditError
from generator.authoring.templates import LoadedTemplate, Template, load_templates
from generator.cli.authoring_options import (
    AT,
    BY,
    COMMIT,
    IDENT,
    IMPACT,
    MESSAGE,
    NEXT,
    PUSH,
    ComponentType,
    StatusType,
    TimeType,
    complete_status,
    complete_templates,
    names_of,
    statuses_of,
)
from generator.cli.options import CONFIG, NOW
from generator.core.config import load_settings
from generator.core.project import resolve_now

Pairs = tuple[list[tuple[str, str | None]], ...]


def _site(config_path: Path, now: str | None) -> authoring.Site:
    settings = load_settings(config_path)
    return authoring.Site(settings, resolve_now(settings, now))


# --- the message -----------------------------------------------------------------------


def _can_edit() -> bool:
    """An editor can open: one is named, or a person is at a terminal (Click's default)."""
    return bool(os.environ.get("VISUAL") or os.environ.get("EDITOR")) or sys.stdin.isatty()


def _edit(what: str, context: Sequence[str], start: str = "", instead: str = "") -> str:
    if not _can_edit():
        raise EditError(
            "there is no terminal to open an editor on, and $EDITOR is not set; "
            + (instead or f"pass the {what} with --message M (or --message - for standard input)")
        )
    edited = click.edit(
        buffer.editor_text(what, context, start), extension=".md", require_save=True
    )
    if edited is None:
        raise EditError("nothing was saved in the editor; nothing changed")
    return buffer.written(edited)


def _tidy(text: str, what: str) -> str:
    """Blank lines around the text dropped, line ends made LF; never cut otherwise."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise EditError(f"the {what} is empty; nothing changed")
    return "\n".join(lines) + "\n"


def _message(value: str | None, what: str, context: Callable[[], Sequence[str]]) -> str:
    """The message from the option, standard input or the editor."""
    if value == "-":
        return _tidy(sys.stdin.read(), what)
    if value is None:
        return _tidy(_edit(what, context()), what)
    return _tidy(value, what)


@contextmanager
def _keeping(text: str | None, edited: bool) -> Iterator[None]:
    """What was typed in the editor is never lost: when the change is refused, the text is
    kept in a file whose name the error gives."""
    try:
        yield
    except EditError as exc:
        if not edited or not text:
            raise
        fd, name = tempfile.mkstemp(prefix="candor-message-", suffix=".md", text=True)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        raise EditError(
            f"{exc.message}\nwhat you wrote is kept in {name}; "
            f"pass it back with --message - < {name}"
        ) from None


# --- after the change --------------------------------------------------------------------


def _repository(
    site: authoring.Site, target: Path | None, commit: bool, push: bool
) -> git.Repo | None:
    """With --commit or --push: the repository, checked before anything is written."""
    if not (commit or push):
        return None
    return git.prepare(site.settings.root, target, push=push)


def _finish(site: authoring.Site, change: authoring.Change, repo: git.Repo | None) -> None:
    shown = site.rel(change.path)
    if change.prompts:
        click.echo(
            f"Replace each [[ prompt ]] in {shown}, then run `candor check`; "
            "commit and push to publish.",
            err=True,
        )
        return
    commit = None
    if repo is not None:
        commit = git.commit(repo, change.path, change.commit_message, shown)
        if repo.push_args is not None:
            git.push(repo)
    branch = repo.branch if repo is not None else git.current_branch(site.settings.root)
    top = repo.top if repo is not None else site.settings.root
    note = git.publish_note(
        top,
        branch,
        shown=shown,
        message=change.commit_message,
        commit=commit,
        pushed=repo is not None and repo.push_args is not None,
    )
    click.echo(note, err=True)


# --- commands --------------------------------------------------------------------------


def _template(site: authoring.Site, name: str) -> Template:
    found = {t.name: t for t in load_templates(site.settings)}
    loaded = found.get(name.strip().lower().removesuffix(".yaml").removesuffix(".yml"))
    if loaded is None:
        folder = site.rel(site.settings.templates_dir)
        names = ", ".join(found) or "none"
        raise EditError(
            f"no template `{name}` in {folder}/ (templates: {names}); "
            "`candor templates` lists them with what each is for"
        )
    if loaded.template is None:
        raise EditError(
            f"template `{loaded.name}` has errors:\n" + "\n".join(str(p) for p in loaded.problems)
        )
    return loaded.template


@click.command()
@click.argument("title", required=False)
@CONFIG
@NOW
@click.option(
    "--template",
    "-t",
    "template_name",
    metavar="NAME",
    default=None,
    shell_complete=complete_templates,
    help="Start from templates/NAME.yaml (`candor templates` lists them).",
)
@click.option(
    "--impact",
    type=IMPACT,
    default=None,
    help="How bad it is for customers (incidents default to minor).",
)
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    type=ComponentType(bare=True),
    help="An affected component id, or id=STATUS; repeat or separate with commas.",
)
@click.option("--message", "-m", metavar="M", default=None, help="The first update (`-`: stdin).")
@click.option("--edit", is_flag=True, help="Write the first update in $EDITOR now.")
@click.option(
    "--started-at",
    type=TimeType(),
    default=None,
    help="When customers were first affected (default: the first update).",
)
@click.option("--maintenance", is_flag=True, help="Schedule a maintenance instead.")
@click.option("--start", type=TimeType(), default=None, help="Maintenance window start.")
@click.option("--end", type=TimeType(), default=None, help="Maintenance window end.")
@NEXT
@BY
@AT
@COMMIT
@PUSH
def new(
    title: str | None,
    config_path: Path,
    now: str | None,
    template_name: str | None,
    impact: str | None,
    components: Pairs,
    message: str | None,
    edit: bool,
    started_at: str | None,
    maintenance: bool,
    start: str | None,
    end: str | None,
    next_update: timedelta | None,
    by: str | None,
    at: str | None,
    commit: bool,
    push: bool,
) -> None:
    """Create incidents/<date>-<slug>.yaml with its first update and print its path.

    Without --message (or --edit) the first update holds the template's or the scaffold's
    [[ prompts ]], which `candor check` refuses until they are replaced.
    """
    if maintenance and not (start and end):
        raise click.UsageError("--maintenance needs --start and --end")
    if (start or end) and not maintenance:
        raise click.UsageError("--start and --end are for --maintenance")
    if maintenance and (template_name or started_at):
        raise click.UsageError("--template and --started-at are for incidents")
    if not title and not template_name:
        raise click.UsageError("give a TITLE, or --template NAME")
    site = _site(config_path, now)
    template = _template(site, template_name) if template_name else None
    repo = _repository(site, None, commit, push)
    text = None if message is None or edit else _message(message, "first update", list)
    if edit:
        start_text = message or (template.message if template else "")
        start_text = start_text or authoring.scaffold_message(maintenance)
        shown_title = title or (template.title if template else "")
        listed = [*(template.components if template else []), *names_of(components)]
        context = buffer.new_context(
            shown_title,
            impact or (template.impact if template else None),
            list(dict.fromkeys(listed)),
        )
        text = _tidy(_edit("first update", context, start_text), "first update")
    with _keeping(text, edit):
        change = authoring.new(
            site,
            title,
            impact=impact.lower() if impact else None,
            components=names_of(components),
            statuses=statuses_of(components),
            message=text,
            next_update=next_update,
            by=by,
            at=at,
            window=(start, end) if maintenance and start and end else None,
            started_at=started_at,
            template=template,
            complete=repo is not None,
        )
    click.echo(site.rel(change.path))
    _finish(site, change, repo)


@click.command()
@IDENT
@CONFIG
@NOW
@click.option(
    "--status",
    "-s",
    required=True,
    type=StatusType(),
    shell_complete=complete_status,
    help="The status from this update on.",
)
@MESSAGE
@click.option(
    "--impact",
    type=IMPACT,
    default=None,
    help="Raise or lower the incident's impact from this update on.",
)
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    type=ComponentType(bare=False),
    help="A component's status from now on, e.g. api=major_outage; repeatable.",
)
@NEXT
@BY
@AT
@COMMIT
@PUSH
def update(
    ident: str,
    config_path: Path,
    now: str | None,
    status: str,
    message: str | None,
    impact: str | None,
    components: Pairs,
    next_update: timedelta | None,
    by: str | None,
    at: str | None,
    commit: bool,
    push: bool,
) -> None:
    """Append an update to incident ID (every existing byte is kept).

    ID may be the full id, the id without its date, or any unambiguous prefix of either.
    """
    site = _site(config_path, now)
    statuses = statuses_of(components)
    # An unknown id, status or component, a bad --at or a repository --commit cannot use
    # fails before the editor opens.
    path = authoring.preflight(site, ident, status=status, components=statuses, at=at)
    repo = _repository(site, path, commit, push)

    def context() -> list[str]:
        state = site.state(site.load(path))
        new_status = authoring.normalise(status)
        shown_impact = impact.lower() if impact else None
        return buffer.update_context(state, new_status, site.now, site.tz, shown_impact)

    text = _message(message, "update", context)
    with _keeping(text, message is None):
        change = authoring.update(
            site,
            str(path),
            status=status,
            message=text,
            components=statuses,
            next_update=next_update,
            by=by,
            at=at,
            impact=impact.lower() if impact else None,
        )
    click.echo(f"{site.rel(change.path)}: added an update: {change.what}")
    _finish(site, change, repo)


@click.command()
@IDENT
@CONFIG
@NOW
@MESSAGE
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    type=ComponentType(bare=False),
    help="A component that is not back to operational, e.g. api=degraded_performance.",
)
@BY
@AT
@COMMIT
@PUSH
def resolve(
    ident: str,
    config_path: Path,
    now: str | None,
    message: str | None,
    components: Pairs,
    by: str | None,
    at: str | None,
    commit: bool,
    push: bool,
) -> None:
    """Close incident ID (resolved, components operational) or maintenance (completed)."""
    site = _site(config_path, now)
    statuses = statuses_of(components)
    path = authoring.preflight(site, ident, status=None, components=statuses, at=at)
    repo = _repository(site, path, commit, push)

    def context() -> list[str]:
        event = site.load(path)
        final = "completed" if event.is_maintenance else "resolved"
        return buffer.update_context(site.state(event), final, site.now, site.tz)

    text = _message(message, "closing update", context)
    with _keeping(text, message is None):
        change = authoring.resolve(site, str(path), message=text, components=statuses, by=by, at=at)
    click.echo(f"{site.rel(change.path)}: {change.what}")
    _finish(site, change, repo)


@click.command()
@IDENT
@CONFIG
@NOW
@click.option("--edit", is_flag=True, help="Fill in the skeleton in $EDITOR now.")
@COMMIT
@PUSH
def postmortem(
    ident: str, config_path: Path, now: str | None, edit: bool, commit: bool, push: bool
) -> None:
    """Add a postmortem skeleton to ID; `candor check` refuses it until every prompt is
    replaced by real text. With --edit, fill it in straight away (and --commit it)."""
    site = _site(config_path, now)
    path = site.find(ident)
    event = site.load(path)
    if event.postmortem is not None:
        raise EditError(f"`{event.id}` already has a postmortem; edit it in {site.rel(path)}")
    repo = _repository(site, path, commit, push)
    section = None
    if edit:
        start = authoring.skeleton(site, event)
        section = _edit(
            "postmortem",
            buffer.POSTMORTEM_CONTEXT,
            start,
            "leave out --edit to add the skeleton to the file, and fill it in there",
        )
        if not section.strip():
            raise EditError("the postmortem is empty; nothing changed")
    with _keeping(section, edit):
        change = authoring.postmortem(site, str(path), section=section, complete=repo is not None)
    click.echo(site.rel(change.path))
    if change.prompts and event.resolving_update is None:
        click.echo("The incident is still open: this will be a preliminary review.", err=True)
    _finish(site, change, repo)


@click.command()
@CONFIG
def templates(config_path: Path) -> None:
    """List the incident templates of `candor new --template NAME`, each with what it is
    for; a broken template is reported at its file:line:col (exit 1)."""
    settings = load_settings(config_path)
    found: list[LoadedTemplate] = load_templates(settings)
    folder = settings.candor.templates_dir.rstrip("/")
    if not found:
        click.echo(
            f"No templates in {folder}/. Add one: a YAML file with description, title, impact, "
            "components, next_update and message (see the README)."
        )
        return
    width = max(len(t.name) for t in found)
    for loaded in found:
        click.echo(f"{loaded.name.ljust(width)}  {loaded.summary}")
    broken = [p for t in found for p in t.problems]
    if broken:
        click.echo("\n".join(str(p) for p in broken), err=True)
        raise SystemExit(1)


COMMANDS = (new, update, resolve, postmortem, templates)
