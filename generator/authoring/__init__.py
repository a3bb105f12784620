"""What `candor new`, `update`, `resolve` and `postmortem` do, without the command line:
find the file, build the change, validate the result with the same checks as `candor check`,
then write it atomically. Every refusal leaves the incident files exactly as they were."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.authoring.edit import (
    EditError,
    Snapshot,
    append_section,
    append_update,
    create_file,
    replace_file,
)
from generator.authoring.scaffold import event_text, postmortem_text, scaffold_message, slugify
from generator.core.config import Settings
from generator.core.load import SUFFIXES, discover, load_file
from generator.core.model import (
    COMPONENT_STATUSES,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    Event,
    Incident,
    Maintenance,
    Update,
)
from generator.core.state import event_state
from generator.core.times import CLOCK_TIME, format_local, localize, parse_timestamp
from generator.core.validation import did_you_mean
from generator.rules import run_checks

# Forgiving spellings of component statuses, as people type them at 3 a.m.
STATUS_ALIASES = {
    "ok": "operational",
    "up": "operational",
    "fine": "operational",
    "degraded": "degraded_performance",
    "slow": "degraded_performance",
    "partial": "partial_outage",
    "outage": "major_outage",
    "major": "major_outage",
    "down": "major_outage",
    "maintenance": "under_maintenance",
}
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")


def normalise(word: str) -> str:
    return word.strip().lower().replace("-", "_").replace(" ", "_")


def component_status(word: str) -> str:
    """A component status from how it was typed; ValueError naming the allowed ones."""
    value = normalise(word)
    value = STATUS_ALIASES.get(value, value)
    if value not in COMPONENT_STATUSES:
        raise ValueError(
            f"`{word}` is not a component status; "
            f"{did_you_mean(value, COMPONENT_STATUSES)}use one of: {', '.join(COMPONENT_STATUSES)}"
        )
    return value


@dataclass
class Site:
    settings: Settings
    now: datetime

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.settings.root).as_posix()
        except ValueError:
            return path.as_posix()

    # --- finding things ----------------------------------------------------------------

    def ids(self) -> dict[str, Path]:
        return {p.stem: p for p in discover(self.settings.incidents_dir)}

    def find(self, ident: str) -> Path:
        """The file of an id; a path or a unique slug without its date is accepted too."""
        ids = self.ids()
        key = Path(ident).stem if ident.endswith(SUFFIXES) or "/" in ident else ident
        key = key.strip().lower()
        if key in ids:
            return ids[key]
        by_slug = [i for i in ids if i.endswith("-" + key)]
        if len(by_slug) == 1:
            return ids[by_slug[0]]
        # Compare with the slugs too: nobody remembers the date part of an id.
        slugs = {_DATED.sub("", i): i for i in ids}
        close = difflib.get_close_matches(key, list(ids), n=3, cutoff=0.6)
        close += [slugs[s] for s in difflib.get_close_matches(key, list(slugs), n=3, cutoff=0.6)]
        close += [i for i in ids if key and key in i]
        close = list(dict.fromkeys(close))[:3]
        hint = f"did you mean {' or '.join(f'`{c}`' for c in close)}? " if close else ""
        folder = self.rel(self.settings.incidents_dir)
        raise EditError(
            f"no incident or maintenance `{ident}` in {folder}/; {hint}"
            "run `candor status` to list open ones, or `ls` the folder"
        )

    def load(self, path: Path) -> Event:
        loaded = load_file(path, self.rel(path), self.tz)
        if loaded.event is None:
            first = loaded.problems[0] if loaded.problems else None
            raise EditError(
                f"{self.rel(path)} has errors; fix them first (`candor check`)"
                + (f"\n{first}" if first else "")
            )
        return loaded.event

    def check_components(self, names: Collection[str]) -> None:
        known = [c.id for c in self.settings.candor.components]
        for name in names:
            if name not in known:
                raise EditError(
                    f"unknown component `{name}`; {did_you_mean(name, known)}"
                    f"mkdocs.yml lists: {', '.join(known) or 'none'}"
                )

    def moment(self, value: str | None, option: str = "--at") -> datetime:
        """`--at`: a timestamp (naive = site zone), or HH:MM meaning today; default now."""
        if not value:
            return self.now
        clock = CLOCK_TIME.match(value)
        try:
            if clock:
                today = self.now.astimezone(self.tz).date()
                naive = datetime(today.year, today.month, today.day, int(clock[1]), int(clock[2]))
                return localize(naive, self.tz, value)
            return parse_timestamp(value, self.tz)
        except ValueError as exc:
            raise EditError(f"{option}: {exc}") from None

    # --- validation and writing --------------------------------------------------------

    def validate(self, path: Path, data: bytes, allow: Collection[str] = ()) -> None:
        """Refuse `data` for `path` when `candor check` would find an error in it."""
        loaded = load_file(path, self.rel(path), self.tz, raw=data)
        problems = run_checks([loaded], self.settings.candor, self.now)
        errors = [p for p in problems if p.severity == "error" and p.rule not in allow]
        if errors:
            listed = "\n".join(str(p) for p in errors)
            raise EditError(f"the result would not pass `candor check`:\n{listed}\nnothing changed")

    def append(self, path: Path, update: Update) -> None:
        snapshot = Snapshot.read(path)
        data = append_update(snapshot.raw, update, self.tz)
        self.validate(path, data)
        replace_file(path, data, snapshot)


# --- commands --------------------------------------------------------------------------


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
) -> None:
    """Every refusal that does not depend on the message (`status=None`: a resolve), so a
    mistake typed at 3 a.m. is reported before the editor opens, not after."""
    event = site.load(site.find(ident))
    if status is None:
        closing_status(event)
    else:
        check_status(event, status)
    site.check_components(components)
    moment = site.moment(at)
    check_order(event, moment, site)
    if moment > site.now:
        raise EditError(
            f"--at {format_local(moment, site.tz)} is in the future "
            f"(now is {format_local(site.now, site.tz)}); "
            "an update is posted when it happens"
        )


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
) -> Path:
    path = site.find(ident)
    event = site.load(path)
    value = check_status(event, status)
    site.check_components(components)
    moment = site.moment(at)
    check_order(event, moment, site)
    new = Update(
        at=moment,
        status=value,
        message=message,
        components=dict(components),
        next_update=next_update,
        by=by,
    )
    site.append(path, new)
    return path


def resolve(
    site: Site,
    ident: str,
    *,
    message: str,
    components: Mapping[str, str],
    by: str | None,
    at: str | None,
) -> tuple[Path, str]:
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
    return path, final


def new(
    site: Site,
    title: str,
    *,
    impact: str | None,
    components: Sequence[str],
    statuses: Mapping[str, str],
    message: str | None,
    next_update: timedelta | None,
    by: str | None,
    at: str | None,
    window: tuple[str, str] | None,
) -> tuple[Path, bool]:
    """Create the file; returns its path and whether it is a scaffold to fill in."""
    if not title.strip():
        raise EditError("the title is empty; say in a few words what customers notice")
    listed = list(dict.fromkeys([*components, *statuses]))
    site.check_components(listed)
    moment = site.moment(at)
    span = None
    if window is not None:
        span = (site.moment(window[0], "--start"), site.moment(window[1], "--end"))
        if span[1] <= span[0]:
            raise EditError("--end must be after --start")
    maintenance = span is not None
    status = "scheduled" if maintenance else "investigating"
    scaffold = message is None
    text_message = scaffold_message(maintenance) if message is None else message
    first = Update(
        at=moment,
        status=status,
        message=text_message,
        components=dict(statuses),
        next_update=next_update,
        by=by,
    )
    text = event_text(
        title=title.strip(),
        impact=impact if impact or maintenance else "minor",
        components=listed,
        first=first,
        tz=site.tz,
        window=span,
        scaffold=scaffold,
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
    site.validate(path, data, allow={"placeholder"} if scaffold else ())
    create_file(path, data)
    return path, scaffold


def postmortem(site: Site, ident: str) -> tuple[Path, bool]:
    """Append the skeleton; returns the path and whether the incident is still open."""
    path = site.find(ident)
    event = site.load(path)
    if event.postmortem is not None:
        raise EditError(f"`{event.id}` already has a postmortem; edit it in {site.rel(path)}")
    c = site.settings.candor
    state = event_state(event, site.now, c.postmortem_required_for, c.postmortem_within)
    resolved = event.resolving_update
    due = resolved.at + c.postmortem_within if resolved and isinstance(event, Incident) else None
    snapshot = Snapshot.read(path)
    section = postmortem_text(state, c.components, site.tz, site.now, due)
    data = append_section(snapshot.raw, section)
    site.validate(path, data, allow={"placeholder"})
    replace_file(path, data, snapshot)
    return path, resolved is None
