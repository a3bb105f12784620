"""The site the authoring commands work on: finding an incident by what was typed, loading
it, reading the times people type, and validating a result with the same checks as
`candor check` before it is written atomically."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.authoring import ids
from generator.authoring.edit import EditError, Snapshot, append_update, replace_file
from generator.core.config import Settings
from generator.core.load import discover, load_file
from generator.core.model import COMPONENT_STATUSES, Event, Update
from generator.core.state import EventState, event_state
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
        """The file an id argument names: the full id, the id without its date, or an
        unambiguous prefix of either (a path to the file works too)."""
        known = self.ids()
        folder = self.rel(self.settings.incidents_dir)
        try:
            found = ids.match(ident, known)
        except ids.Ambiguous as many:
            listed = "\n".join(f"  {self._describe(known[i])}" for i in many.candidates[:10])
            more = len(many.candidates) - 10
            raise EditError(
                f"`{ident}` could be any of {len(many.candidates)} files in {folder}/:\n{listed}"
                + (f"\n  … and {more} more" if more > 0 else "")
                + "\ntype more of the id, e.g. the first one in full"
            ) from None
        if found is not None:
            return known[found]
        close = ids.suggestions(ident, known)
        hint = f"did you mean {' or '.join(f'`{c}`' for c in close)}? " if close else ""
        raise EditError(
            f"no incident or maintenance `{ident}` in {folder}/; {hint}"
            "run `candor status` to list open ones, or `ls` the folder"
        )

    def _describe(self, path: Path) -> str:
        loaded = load_file(path, self.rel(path), self.tz)
        if loaded.event is None:
            return f"{path.stem} (has errors)"
        event = loaded.event
        return f"{path.stem} ({event.status_at(self.now)}): {event.title}"

    def load(self, path: Path) -> Event:
        loaded = load_file(path, self.rel(path), self.tz)
        if loaded.event is None:
            first = loaded.problems[0] if loaded.problems else None
            raise EditError(
                f"{self.rel(path)} has errors; fix them first (`candor check`)"
                + (f"\n{first}" if first else "")
            )
        return loaded.event

    def state(self, event: Event) -> EventState:
        c = self.settings.candor
        return event_state(event, self.now, c.postmortem_required_for, c.postmortem_within)

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

    def not_future(self, moment: datetime, option: str, value: str | None) -> None:
        if moment <= self.now:
            return
        message = (
            f"{option} {format_local(moment, self.tz)} is in the future "
            f"(now is {format_local(self.now, self.tz)})"
        )
        if value and CLOCK_TIME.match(value):
            # HH:MM is today: at 00:20, "23:50" meant yesterday.
            day_before = (moment - timedelta(days=1)).astimezone(self.tz)
            message += f"; for yesterday write the date too: {option} {day_before:%Y-%m-%dT%H:%M}"
        elif option == "--at":
            message += "; an update is posted when it happens"
        raise EditError(message)

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
