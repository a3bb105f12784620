"""What an incident file means: pydantic models, and the facts each incident carries.

Values arrive as text (see `source.py`); timestamps are parsed here with the configured time
zone passed in the validation context, so every datetime in the model is aware.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from generator.core import times

Impact = Literal["none", "minor", "major", "critical"]
IncidentStatus = Literal["investigating", "identified", "monitoring", "resolved"]
MaintenanceStatus = Literal["scheduled", "in_progress", "verifying", "completed"]
ComponentStatus = Literal[
    "operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"
]
ActionStatus = Literal["planned", "in_progress", "done"]
# The rules of honest communication (SPEC §8): warnings a team may switch off for the whole
# site (`ignore:` in the candor section) or for one file (`ignore:` at its top level).
SwitchableRule = Literal[
    "non-apology",
    "blame",
    "private-data",
    "vague-action",
    "data-loss-unstated",
    "no-next-update",
    "slow-first-update",
    "spelling",
]
SWITCHABLE_RULES: tuple[SwitchableRule, ...] = get_args(SwitchableRule)

# What a list field holds, said when it is given something else (`updates: nope`).
COMPONENT_IDS = "a list of component ids, e.g. `[api, web]`"
RULE_IDS = "a list of rule ids, e.g. `[spelling]`"
UPDATES = "a list of updates, each `- at: …` with its `status:` and `message:` indented under it"

IMPACTS: tuple[Impact, ...] = ("none", "minor", "major", "critical")
INCIDENT_STATUSES: tuple[IncidentStatus, ...] = (
    "investigating",
    "identified",
    "monitoring",
    "resolved",
)
MAINTENANCE_STATUSES: tuple[MaintenanceStatus, ...] = (
    "scheduled",
    "in_progress",
    "verifying",
    "completed",
)
# The statuses that close an incident or a maintenance.
CLOSING_STATUSES = frozenset({"resolved", "completed"})
# Worst last: the order in which component statuses compare.
COMPONENT_STATUSES: tuple[ComponentStatus, ...] = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)


def _timestamp(value: Any, info: ValidationInfo) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return times.localize(value, _zone(info), value.isoformat())
        return times.within_range(value, value.isoformat())
    if not isinstance(value, str):
        raise ValueError("expected a timestamp")
    try:
        return times.parse_timestamp(value, _zone(info))
    except ValueError as exc:
        raise ValueError(f"{exc}; {times.TIMESTAMP_FORMAT_HINT}") from None


def _zone(info: ValidationInfo) -> Any:
    context = info.context or {}
    return context.get("tz") or times.zone("UTC")


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    try:
        return times.parse_duration(str(value))
    except ValueError as exc:
        raise ValueError(f"{exc}; {times.DURATION_HINT}") from None


def _text(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("is empty")
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        found = date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    if found.year < times.EARLIEST.year:
        raise ValueError(f"{value!r} is {times.RANGE}")
    return found


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _language(value: Any) -> str:
    """A BCP 47 language tag as HTML's `lang` takes it: `ja`, `en-GB`, `zh-Hant`."""
    if not isinstance(value, str) or not _LANGUAGE_TAG.fullmatch(value.strip()):
        raise ValueError(
            f"`{value}` is not a language tag; write a BCP 47 tag such as `ja`, `en` or `pt-BR`"
        )
    return value.strip()


Timestamp = Annotated[datetime, BeforeValidator(_timestamp)]
Duration = Annotated[timedelta, BeforeValidator(_duration)]
Text = Annotated[str, BeforeValidator(_text)]
CalendarDate = Annotated[date, BeforeValidator(_date)]
# What a component id may be (SPEC §2): in mkdocs.yml, in incident files, on `candor init`.
COMPONENT_ID = r"[a-z0-9][a-z0-9-]*"
ComponentId = Annotated[str, Field(pattern=f"^{COMPONENT_ID}$")]
LanguageTag = Annotated[str, BeforeValidator(_language)]


@dataclass(frozen=True)
class Promise:
    """An update's promise of the next one (`next_update`), and how it was kept."""

    index: int  # the promising update, 0-based in file order
    due: datetime
    followed_at: datetime | None  # when the next update came; None while none has

    @property
    def kept(self) -> bool | None:
        """Whether the next update came in time; None while it is still awaited."""
        return None if self.followed_at is None else self.followed_at <= self.due

    def overdue(self, moment: datetime) -> bool:
        """Awaited and past due at `moment`: something the team can still act on."""
        return self.followed_at is None and moment > self.due


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Update(Strict):
    at: Timestamp
    status: str
    impact: Impact | None = None  # a change of the incident's impact, from this update on
    message: Text
    components: dict[str, ComponentStatus] = Field(default_factory=dict)
    next_update: Duration | None = None
    by: str | None = None

    @field_validator("next_update")
    @classmethod
    def _due_in_range(cls, value: timedelta | None, info: ValidationInfo) -> timedelta | None:
        at = info.data.get("at")
        if value is not None and isinstance(at, datetime) and times.add(at, value) is None:
            raise ValueError(
                f"the promised time ({times.format_duration_spec(value)} after `at`) is "
                f"{times.RANGE}"
            )
        return value


class IncidentUpdate(Update):
    status: IncidentStatus


class MaintenanceUpdate(Update):
    status: MaintenanceStatus


class ActionItem(Strict):
    action: Text
    status: ActionStatus
    due: CalendarDate | None = None
    owner: str | None = None


Prevention = Annotated[
    Annotated[Annotated[list[ActionItem], Field(min_length=1)], Tag("items")]
    | Annotated[Text, Tag("text")],
    # Chosen by shape, so a mistake in an action item is not also reported as "not text".
    Discriminator(lambda v: "items" if isinstance(v, list) else "text"),
]


# The postmortem's sections in the order every output shows them (SPEC §6).
POSTMORTEM_SECTIONS = (
    "apology",
    "what_happened",
    "why",
    "what_we_did",
    "impact",
    "prevention",
    "compensation",
)


class Postmortem(Strict):
    published_at: Timestamp
    apology: Text
    what_happened: Text
    why: Text
    what_we_did: Text
    impact: Text
    prevention: Prevention
    compensation: Text | None = None

    def sections(self) -> list[tuple[str, str | list[ActionItem]]]:
        """(key, text or action items) of each section written, in POSTMORTEM_SECTIONS order."""
        found = ((key, getattr(self, key)) for key in POSTMORTEM_SECTIONS)
        return [(key, value) for key, value in found if value is not None]


class Window(Strict):
    start: Timestamp
    end: Timestamp

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end <= self.start:
            raise ValueError(
                "`scheduled.end` is not after `scheduled.start`; "
                "the window ends after it starts: check the dates and UTC offsets"
            )
        return self


class _Event(Strict):
    title: Text
    components: list[str] = Field(default_factory=list, description=COMPONENT_IDS)
    started_at: Timestamp | None = None
    # The language its title, messages and postmortem are written in, when it is not the
    # site's: pages mark that text with `lang`, and English-only rules leave it alone.
    language: LanguageTag | None = None
    postmortem: Postmortem | None = None
    ignore: list[SwitchableRule] = Field(default_factory=list, description=RULE_IDS)

    _id: str = PrivateAttr(default="")
    _file: str = PrivateAttr(default="")
    # The file cache's key of the file it was read from (core/filecache.py), when it has one.
    _source_key: str = PrivateAttr(default="")

    # Cached: pydantic finds a private attribute through `__getattr__`, slowly, and pages,
    # feeds and the derived state ask for the id tens of thousands of times a build.
    @cached_property
    def id(self) -> str:
        return self._id

    @cached_property
    def file(self) -> str:
        """The file's path relative to the config's folder."""
        return self._file

    def bind(self, id_: str, file: str) -> None:
        self._id, self._file = id_, file
        self.__dict__.pop("id", None)  # asked before: forget what was cached
        self.__dict__.pop("file", None)

    def read_from(self, source_key: str) -> None:
        """It was read from the file the file cache names `source_key`."""
        self._source_key = source_key

    @property
    def identity(self) -> str:
        """A text that differs whenever its data does: the file cache's key of its file,
        which decides the data as wholly (the file's bytes and name, Candor, its libraries,
        the config), and is known without writing the data out; else its data as JSON."""
        return self._source_key or self.as_json

    def written_in(self, site_language: str) -> str | None:
        """The language tag of its text when that differs from the site's, else None."""
        if self.language is None:
            return None
        same = self.language.split("-")[0].lower() == site_language.split("-")[0].lower()
        return None if same else self.language

    @property
    def is_maintenance(self) -> bool:
        return False

    @cached_property
    def _times(self) -> list[datetime]:
        return [u.at for u in self.updates]

    def updates_until(self, moment: datetime) -> Sequence[Update]:
        """The updates made up to `moment` (updates are in time order)."""
        return self.updates[: bisect.bisect_right(self._times, moment)]

    @property
    def began(self) -> datetime:
        """When customers were first affected (incident) or the window opens (maintenance)."""
        return self.started_at or self.updates[0].at

    @property
    def resolving_update(self) -> Update | None:
        """The last update, when it closes the incident (`resolved`) or maintenance."""
        last = self.updates[-1]
        return last if last.status in CLOSING_STATUSES else None

    def status_at(self, moment: datetime) -> str:
        """The status as customers saw it at `moment`."""
        made = self.updates_until(moment)
        return made[-1].status if made else self.updates[0].status

    def impact_at(self, moment: datetime) -> Impact | None:
        """The impact at `moment`: the latest one an update made by then set, else the file's
        top-level `impact` (where it started)."""
        return self.impact_after(self.updates_until(moment))

    def impact_after(self, made: Sequence[Update]) -> Impact | None:
        """The impact once `made` (the first updates, in order) were posted."""
        for update in reversed(made):
            if update.impact is not None:
                return update.impact
        return self.impact

    @property
    def peak_impact(self) -> Impact | None:
        """The worst impact it ever had: an outage lowered to minor before it was resolved
        still owes the postmortem its worst hour called for."""
        known = [i for i in (self.impact, *(u.impact for u in self.updates)) if i is not None]
        return max(known, key=IMPACTS.index, default=None)

    def is_active(self, moment: datetime) -> bool:
        """Open at `moment`: from when customers were hurt until the resolving update."""
        if moment < self.began:
            return False
        made = self.updates_until(moment)
        return not made or made[-1].status != "resolved"

    def promises(self) -> list[Promise]:
        """Every `next_update` promise in file order, each with when the next update came."""
        found = []
        for index, update in enumerate(self.updates):
            if update.next_update is not None:
                following = self.updates[index + 1].at if index + 1 < len(self.updates) else None
                found.append(Promise(index, update.at + update.next_update, following))
        return found

    @cached_property
    def as_json(self) -> str:
        """Its data as JSON, made once: the build cache names each incident by it."""
        return self.model_dump_json()

    @cached_property
    def affected(self) -> list[str]:
        """Listed components, then any an update names, each once, in first-seen order."""
        seen = dict.fromkeys(self.components)
        for update in self.updates:
            seen.update(dict.fromkeys(update.components))
        return list(seen)

    # Declared by the subclasses with their own update type.
    updates: Any
    if TYPE_CHECKING:  # declared by the subclasses, each in its place in the file's keys
        impact: Impact | None


class Incident(_Event):
    kind: Literal["incident"] = "incident"
    impact: Impact
    updates: Annotated[list[IncidentUpdate], Field(min_length=1, description=UPDATES)]


class Maintenance(_Event):
    kind: Literal["maintenance"]
    impact: Impact | None = None
    scheduled: Window
    updates: Annotated[list[MaintenanceUpdate], Field(min_length=1, description=UPDATES)]

    @property
    def is_maintenance(self) -> bool:
        return True

    @property
    def began(self) -> datetime:
        return self.scheduled.start

    def status_at(self, moment: datetime) -> str:
        """The last update's status, except while that is still `scheduled`: then the clock
        decides (an update saying it started early or overran wins)."""
        made = self.updates_until(moment)
        if made and made[-1].status != "scheduled":
            return made[-1].status
        if moment < self.scheduled.start:
            return "scheduled"
        return "in_progress" if moment < self.scheduled.end else "completed"

    def is_active(self, moment: datetime) -> bool:
        """In progress at `moment`."""
        return self.status_at(moment) in ("in_progress", "verifying")


Event = Incident | Maintenance
KINDS = ("incident", "maintenance")


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("kind", "incident")
        return kind if kind in KINDS else None
    return "incident"


_TIMESTAMP: TypeAdapter[datetime] = TypeAdapter(Timestamp)


def timestamp_as_written(value: Any, tz: Any) -> datetime | None:
    """A value of the file read as the model reads a timestamp, None where it would not
    validate: the times of a file whose model failed still get their own checks."""
    try:
        return _TIMESTAMP.validate_python(value, context={"tz": tz})
    except (ValueError, OverflowError):  # pydantic's ValidationError is a ValueError
        return None


EventAdapter: TypeAdapter[Event] = TypeAdapter(
    Annotated[
        Annotated[Incident, Tag("incident")] | Annotated[Maintenance, Tag("maintenance")],
        Discriminator(_kind),
    ]
)
