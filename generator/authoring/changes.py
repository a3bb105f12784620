"""What `candor new`, `update`, `resolve` and `postmortem` do, without the command line:
find the file, build the change, validate the result with the same checks as `candor check`,
then write it atomically. Every refusal leaves the incident files exactly as they were.

Each command returns a `Change`: the file it wrote and, in words, what changed, which is
also the message `--commit` gives the commit."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from generator.authoring.edit import EditError, Snapshot, append_section, create_file, replace_file
from generator.authoring.scaffold import event_text, postmortem_text, scaffold_message, slugify
from generator.authoring.site import Site, component_status, normalise
from generator.authoring.templates import Template
from generator.core import times
from generator.core.model import (
    IMPACTS,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    Event,
    Incident,
    Maintenance,
    Update,
)
from generator.core.state import IMPACT_STATUS
from generator.core.times import format_local
from generator.core.validation import did_you_mean

__all__ = [
    "Change",
    "EditError",
    "Site",
    "component_status",
    "new",
    "normalise",
    "postmortem",
    "preflight",
    "resolve",
    "scaffold_message",
    "skeleton",
    "update",
]


@dataclass(frozen=True)
class Change:
    """A file a command wrote, and what changed in it."""

    path: Path
    event_id: str
    maintenance: bool
    what: str  # "opened", "identified", "identified, impact raised to critical", …
    prompts: bool = False  # it still holds [[ prompts ]] that `candor check` refuses

    @property
    def commit_message(self) -> str:
        """`Incident <id>: identified`, `Maintenance <id>: completed`, …"""
        return f"{'Maintenance' if self.maintenance else 'Incident'} {self.event_id}: {self.what}"


def status_words(status: str) -> str:
    return status.replace("_", " ")


# --- checks shared by the commands -------------------------------------------------------


def check_status(event: Event, status: str) -> str:
    allowed = MAINTENANCE_STATUSES if isinstance(event, Maintenance) else INCIDENT_STATUSES
    value = normalise(status)
    if value not in allowed:
        kind = "a maintenance" if isinstance(event, Maintenance) else "an incident"
        raise EditError(
            f"`{status}` is not a status of {kind}; {did_you_mean(value, allowed)}"
            f"use one of: {', '.join(allowed)}"
        )
    return value


def check_order(event: Event, at: datetime, site: Site) -> None:
    last = event.updates[-1].at
    if at < last:
        raise EditError(
            f"--at {format_local(at, site.tz)} is earlier than the last update "
            f"({format_local(last, site.tz)}); updates are appended in time order: use a later --at"
        )


def closing_status(event: Event) -> str:
    """`resolved` for an incident, `completed` for a maintenance; refused when already so."""
    final = "completed" if isinstance(event, Maintenance) else "resolved"
    if event.updates[-1].status == final:
        raise EditError(
            f"`{event.id}` is already {final}; to add a note, run "
            f"`candor update {event.id} --status {final} --message …`"
        )
    return final


def preflight(
    site: Site,
    ident: str,
    *,
    status: str | None,
    components: Collection[str],
    at: str | None,
) -> Path:
    """Every refusal that does not depend on the message (`status=None`: a resolve), so a
    mistake typed at 3 a.m. is reported before the editor opens, not after. The file."""
    path = site.find(ident)
    event = site.load(path)
    if status is None:
        closing_status(event)
    else:
        check_status(event, status)
    site.check_components(components)
    moment = site.moment(at)
    check_order(event, moment, site)
    site.not_future(moment, "--at", at)
    return path


def _impact_change(before: str | None, after: str | None) -> str:
    if after is None or after == before:
        return ""
    if before is None:
        return f", impact {after}"
    raised = IMPACTS.index(after) > IMPACTS.index(before)
    return f", impact {'raised' if raised else 'lowered'} to {after}"


# --- commands --------------------------------------------------------------------------


def update(
    site: Site,
    ident: str,
    *,
    status: str,
    message: str,
    components: Mapping[str, str],
    next_update: timedelta | None,
    by: str | None,
    at: str | None,
    impact: str | None = None,
) -> Change:
    path = site.find(ident)
    event = site.load(path)
    value = check_status(event, status)
    site.check_components(components)
    moment = site.moment(at)
    check_order(event, moment, site)
    new = Update(
        at=moment,
        status=value,
        impact=impact,
        message=message,
        components=dict(components),
        next_update=next_update,
        by=by,
    )
    site.append(path, new)
    before = event.updates[-1].status
    what = status_words(value) if value != before else f"update, still {status_words(value)}"
    what += _impact_change(event.impact_at(moment), impact)
    return Change(path, event.id, event.is_maintenance, what)


def resolve(
    site: Site,
    ident: str,
    *,
    message: str,
    components: Mapping[str, str],
    by: str | None,
    at: str | None,
) -> Change:
    path = site.find(ident)
    event = site.load(path)
    final = closing_status(event)
    site.check_components(components)
    moment = site.moment(at)
    check_order(event, moment, site)
    statuses = {c: "operational" for c in event.affected}
    statuses.update(components)
    new = Update(at=moment, status=final, message=message, components=statuses, by=by)
    site.append(path, new)
    return Change(path, event.id, event.is_maintenance, final)


def new(
    site: Site,
    title: str | None,
    *,
    impact: str | None,
    components: Sequence[str],
    statuses: Mapping[str, str],
    message: str | None,
    next_update: timedelta | None,
    by: str | None,
    at: str | None,
    window: tuple[str, str] | None,
    started_at: str | None = None,
    template: Template | None = None,
    complete: bool = False,
) -> Change:
    """Create the file. Options win over the template's values; components add to its
    list. Without a message the first update holds prompts (the template's message, or the
    scaffold's), which `complete=True` (a commit) refuses."""
    maintenance = window is not None
    drafted = message is None  # the first message will hold prompts to fill in
    if template is not None:
        title = title or template.title
        impact = impact or template.impact
        components = [*template.components, *components]
        message = message if message is not None else template.message
        next_update = next_update or template.next_update
    if not title or not title.strip():
        raise EditError("the title is empty; say in a few words what customers notice")
    listed = list(dict.fromkeys([*components, *statuses]))
    site.check_components(listed)
    moment = site.moment(at)
    site.not_future(moment, "--at", at)
    began = None
    if started_at is not None:
        began = site.moment(started_at, "--started-at")
        site.not_future(began, "--started-at", started_at)
        if began > moment:
            raise EditError(
                f"--started-at {format_local(began, site.tz)} is after the first update "
                f"({format_local(moment, site.tz)}); it is when customers were first affected"
            )
    span = None
    if window is not None:
        span = (site.moment(window[0], "--start"), site.moment(window[1], "--end"))
        if span[1] <= span[0]:
            raise EditError("--end must be after --start")
    impact = impact if impact or maintenance else "minor"
    given = dict(statuses)
    if not maintenance:
        # A bare `-c api` means the status the impact implies: written out, so the file
        # says what the page shows, and a later change of impact does not move it silently.
        implied = IMPACT_STATUS.get(impact or "none", "operational")
        given = {c: statuses.get(c, implied) for c in listed}
    first = Update(
        at=moment,
        status="scheduled" if maintenance else "investigating",
        message=scaffold_message(maintenance) if message is None else message,
        components=given,
        next_update=next_update,
        by=by,
    )
    text = event_text(
        title=title.strip(),
        impact=impact,
        components=listed,
        first=first,
        tz=site.tz,
        window=span,
        started_at=began,
        scaffold=drafted,
    )
    folder = site.settings.incidents_dir
    if not folder.is_dir():
        raise EditError(
            f"the incidents folder {site.rel(folder)}/ does not exist; create it or set "
            "`incidents_dir` in mkdocs.yml"
        )
    day = moment.astimezone(site.tz).date().isoformat()
    base = f"{day}-{slugify(title, 'maintenance' if maintenance else 'incident')}"
    taken = site.ids()
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    path = folder / f"{name}.yaml"
    data = text.encode("utf-8")
    prompts = _validate_draft(site, path, data, drafted=drafted, complete=complete, what="new file")
    create_file(path, data)
    return Change(path, name, maintenance, "scheduled" if maintenance else "opened", prompts)


def _validate_draft(
    site: Site, path: Path, data: bytes, *, drafted: bool, complete: bool, what: str
) -> bool:
    """Validate a result; whether it holds prompts, which only a draft (text Candor wrote
    for the engineer to fill in) may, and only when it is not to be committed."""
    if not drafted:
        site.validate(path, data)
        return False
    site.validate(path, data, allow={"placeholder"})
    try:
        site.validate(path, data)
    except EditError as exc:
        if complete:
            listed = str(exc.message).split("\n", 1)[1].rsplit("\n", 1)[0]
            raise EditError(
                f"--commit: the {what} would still hold prompts to fill in:\n{listed}\n"
                "fill them in first (--edit, or --message), or leave out --commit; "
                "nothing changed"
            ) from None
        return True
    return False


def postmortem(
    site: Site, ident: str, *, section: str | None = None, complete: bool = False
) -> Change:
    """Append the postmortem: the skeleton, or `section` (the skeleton as edited)."""
    path = site.find(ident)
    event = site.load(path)
    if event.postmortem is not None:
        raise EditError(f"`{event.id}` already has a postmortem; edit it in {site.rel(path)}")
    snapshot = Snapshot.read(path)
    data = append_section(snapshot.raw, section or skeleton(site, event))
    prompts = _validate_draft(
        site, path, data, drafted=section is None, complete=complete, what="postmortem"
    )
    replace_file(path, data, snapshot)
    return Change(path, event.id, event.is_maintenance, "postmortem added", prompts)


def skeleton(site: Site, event: Event) -> str:
    """The `postmortem:` section to fill in, with what Candor knows as comments."""
    c = site.settings.candor
    state = site.state(event)
    resolved = event.resolving_update
    due = (
        times.add(resolved.at, c.postmortem_within)
        if resolved and isinstance(event, Incident)
        else None
    )
    return postmortem_text(state, c.components, site.tz, site.now, due)
