"""The authoring commands of `candor`: new, update, resolve and postmortem.

Glue only: options are parsed and completed here, the work is done by `generator.authoring`.
Click's own usage errors exit 2; anything only Candor can judge (an unknown id
or component, a status the file's kind does not have, a result that would fail `check`)
exits 1 and leaves every file as it was.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from generator import authoring
from generator.authoring.edit import EditError
from generator.cli.options import CONFIG, NOW
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
SCISSORS = "# ------------------------ >8 ------------------------"


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


def complete_status(
    ctx: click.Context, _: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    statuses: tuple[str, ...] = ALL_STATUSES
    settings = _settings(ctx)
    # While an option's value is completed, Click leaves the positional ID in ctx.args.
    ident = ctx.params.get("ident") or next(iter(ctx.args), None)
    if settings is not None and ident:
        try:
            site = authoring.Site(settings, resolve_now(settings, None))
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
        return super().convert(authoring.normalise(str(value)), param, ctx)


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
                pairs.append((name, authoring.component_status(status)))
            except ValueError as exc:
                self.fail(str(exc), param, ctx)
        return pairs

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return complete_components(ctx, param, incomplete)


def _statuses(pairs: tuple[list[tuple[str, str | None]], ...]) -> dict[str, str]:
    return {name: status for group in pairs for name, status in group if status}


def _names(pairs: tuple[list[tuple[str, str | None]], ...]) -> list[str]:
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


def _site(config_path: Path, now: str | None) -> authoring.Site:
    settings = load_settings(config_path)
    return authoring.Site(settings, resolve_now(settings, now))


def _message(value: str | None, what: str) -> str:
    """The message from the option, standard input or the editor, tidied but never cut."""
    if value == "-":
        text = str(sys.stdin.read())
    elif value is None:
        template = (
            f"\n\n{SCISSORS}\n# Write the {what} above this line, in Markdown.\n"
            "# Everything from the line above on is ignored. Save an empty text to abort.\n"
        )
        edited = click.edit(template, extension=".md", require_save=True)
        if edited is None:
            raise EditError("no message was saved in the editor; nothing changed")
        text = edited.split(SCISSORS, 1)[0]
    else:
        text = value
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise EditError(f"the {what} is empty; nothing changed")
    return "\n".join(lines) + "\n"


# --- commands --------------------------------------------------------------------------


@click.command()
@click.argument("title")
@CONFIG
@NOW
@click.option(
    "--impact",
    type=click.Choice(["none", "minor", "major", "critical"], case_sensitive=False),
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
@click.option("--maintenance", is_flag=True, help="Schedule a maintenance instead.")
@click.option("--start", type=TimeType(), default=None, help="Maintenance window start.")
@click.option("--end", type=TimeType(), default=None, help="Maintenance window end.")
@NEXT
@BY
@AT
def new(
    title: str,
    config_path: Path,
    now: str | None,
    impact: str | None,
    components: tuple[list[tuple[str, str | None]], ...],
    message: str | None,
    maintenance: bool,
    start: str | None,
    end: str | None,
    next_update: timedelta | None,
    by: str | None,
    at: str | None,
) -> None:
    """Create incidents/<date>-<slug>.yaml with its first update and print its path.

    Without --message the file holds an apology-first scaffold whose [[ prompts ]]
    `candor check` refuses until they are replaced.
    """
    if maintenance and not (start and end):
        raise click.UsageError("--maintenance needs --start and --end")
    if (start or end) and not maintenance:
        raise click.UsageError("--start and --end are for --maintenance")
    site = _site(config_path, now)
    text = None if message is None else _message(message, "first update")
    path, scaffold = authoring.new(
        site,
        title,
        impact=impact.lower() if impact else None,
        components=_names(components),
        statuses=_statuses(components),
        message=text,
        next_update=next_update,
        by=by,
        at=at,
        window=(start, end) if maintenance and start and end else None,
    )
    click.echo(site.rel(path))
    if scaffold:
        click.echo(
            f"Replace each [[ prompt ]] in {site.rel(path)}, then run `candor check`.", err=True
        )


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
def update(
    ident: str,
    config_path: Path,
    now: str | None,
    status: str,
    message: str | None,
    components: tuple[list[tuple[str, str | None]], ...],
    next_update: timedelta | None,
    by: str | None,
    at: str | None,
) -> None:
    """Append an update to incident ID (every existing byte is kept)."""
    site = _site(config_path, now)
    statuses = _statuses(components)
    # An unknown id, status or component, or a bad --at, fails before the editor opens.
    authoring.preflight(site, ident, status=status, components=statuses, at=at)
    text = _message(message, "update")
    path = authoring.update(
        site,
        ident,
        status=status,
        message=text,
        components=statuses,
        next_update=next_update,
        by=by,
        at=at,
    )
    click.echo(f"{site.rel(path)}: added an update: {authoring.normalise(status)}")


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
def resolve(
    ident: str,
    config_path: Path,
    now: str | None,
    message: str | None,
    components: tuple[list[tuple[str, str | None]], ...],
    by: str | None,
    at: str | None,
) -> None:
    """Close incident ID (resolved, components operational) or maintenance (completed)."""
    site = _site(config_path, now)
    statuses = _statuses(components)
    authoring.preflight(site, ident, status=None, components=statuses, at=at)
    text = _message(message, "closing update")
    path, final = authoring.resolve(site, ident, message=text, components=statuses, by=by, at=at)
    click.echo(f"{site.rel(path)}: {final}")


@click.command()
@IDENT
@CONFIG
@NOW
def postmortem(ident: str, config_path: Path, now: str | None) -> None:
    """Add a postmortem skeleton to ID; `candor check` refuses it until every prompt is
    replaced by real text."""
    site = _site(config_path, now)
    path, still_open = authoring.postmortem(site, ident)
    click.echo(site.rel(path))
    note = " (still open: a preliminary review)" if still_open else ""
    click.echo(
        f"Added a postmortem skeleton{note}; replace each [[ prompt ]], then run `candor check`.",
        err=True,
    )


COMMANDS = (new, update, resolve, postmortem)
