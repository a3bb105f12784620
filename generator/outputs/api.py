"""The Statuspage-compatible public API (`api/v2/*.json`, SPEC §6).

Shapes, field names and key order follow Statuspage's public v2 API, so dashboards, bots and
exporters written for a Statuspage page work when pointed at ours. Every value comes from the
shared derived state; ids are file ids, so they never change between builds."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from generator.core.config import Settings
from generator.core.model import CLOSING_STATUSES, ActionItem, Event, Maintenance, Postmortem
from generator.core.state import IMPACT_STATUS, ComponentState, EventState, SiteState
from generator.outputs import plaintext, urls
from generator.outputs.i18n import label

RECENT = 50  # Statuspage lists the 50 most recent incidents and maintenances
Json = dict[str, Any]


def api_time(moment: datetime | None, state: SiteState) -> str | None:
    """ISO 8601 with the offset of the page's time zone, as Statuspage gives it."""
    if moment is None:
        return None
    return moment.astimezone(state.tz).isoformat(timespec="seconds")


def page(settings: Settings, state: SiteState, index: _Index | None = None) -> Json:
    updated = index.updated if index is not None else page_updated(state)
    return {
        "id": settings.host,
        "name": plaintext.line(settings.site_name),
        "url": settings.site_url.rstrip("/"),
        "time_zone": state.tz.key,
        "updated_at": api_time(updated, state),
    }


def page_updated(state: SiteState) -> datetime:
    """The last public change; a site where nothing happened yet dates itself from the start
    of today in its time zone (the uptime bars move on then)."""
    changed = state.last_changed
    if changed is not None:
        return changed
    today = state.now.astimezone(state.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return today.astimezone(UTC)


def status(state: SiteState) -> Json:
    return {"indicator": state.indicator, "description": state.description}


def _minutes(delta: timedelta | None) -> int | None:
    """Whole minutes, rounded down, as every duration is shown."""
    return None if delta is None else int(delta.total_seconds() // 60)


def _day(moment: datetime, state: SiteState) -> str:
    return moment.astimezone(state.tz).date().isoformat()


def communication(state: SiteState) -> Json:
    """The team's public record (not a Statuspage field: it follows theirs in summary.json)."""
    record = state.communication
    share = record.promises_kept_share
    return {
        "window_days": record.days,
        # The days of the window in the page's time zone, not its exact ends: the exact
        # ends move with every build and would make an unchanged site look changed.
        "from": _day(record.since, state),
        "to": _day(state.now, state),
        "incidents": record.incidents,
        "median_minutes_to_first_update": _minutes(record.median_time_to_first_update),
        "promised_updates": record.promises,
        "promised_updates_on_time": record.promises_kept,
        "on_time_share": None if share is None else round(share, 4),
        "postmortems": record.postmortems,
        "median_minutes_to_postmortem": _minutes(record.median_time_to_postmortem),
    }


# Components


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or hashlib.sha1(name.encode()).hexdigest()[:10]


def group_ids(state: SiteState) -> dict[str, str]:
    """A stable id per group name, never equal to a component id."""
    taken = {c.id for c in state.components}
    ids: dict[str, str] = {}
    for group in state.groups:
        if group.name is None:
            continue
        candidate, n = f"group-{_slug(group.name)}", 2
        while candidate in taken:
            candidate, n = f"group-{_slug(group.name)}-{n}", n + 1
        taken.add(candidate)
        ids[group.name] = candidate
    return ids


@dataclass(frozen=True)
class _Index:
    """What every document needs, computed in one pass over the history instead of once per
    incident and component listed (a long history made that quadratic)."""

    updated: datetime  # page_updated
    times: dict[str, tuple[datetime, datetime]]  # component id → first and last touched
    groups: dict[str, str]  # group name → group id
    names: dict[str, str]  # component id → plain name
    by_id: dict[str, ComponentState]
    # Component or group id → its place in components.json, which an incident's components
    # carry too: clients match and sort by it.
    positions: dict[str, int]


def index(state: SiteState) -> _Index:
    updated = page_updated(state)
    times: dict[str, tuple[datetime, datetime]] = {}
    for e in state.events:
        if not e.published:
            continue
        first, last = e.published[0].at, e.published[-1].at
        for component_id in set(e.event.affected):
            known = times.get(component_id, (first, last))
            times[component_id] = (min(known[0], first), max(known[1], last))
    groups = group_ids(state)
    listed: list[str] = []  # as components.json lists them: each group, then its members
    for group in state.groups:
        if group.name is not None:
            listed.append(groups[group.name])
        listed += [m.id for m in group.members]
    return _Index(
        updated=updated,
        times=times,
        groups=groups,
        names={c.id: plaintext.line(c.component.name) for c in state.components},
        by_id={c.id: c for c in state.components},
        positions={name: position for position, name in enumerate(listed, start=1)},
    )


def _component_times(component_id: str, idx: _Index) -> tuple[datetime, datetime]:
    """When the component was first and last touched by an incident or maintenance."""
    return idx.times.get(component_id, (idx.updated, idx.updated))


def _component(
    settings: Settings,
    state: SiteState,
    c: ComponentState,
    group_id: str | None,
    idx: _Index,
) -> Json:
    created, updated = _component_times(c.id, idx)
    description = c.component.description
    return {
        "id": c.id,
        "name": plaintext.line(c.component.name),
        "status": c.status,
        "created_at": api_time(created, state),
        "updated_at": api_time(updated, state),
        "position": idx.positions[c.id],
        "description": plaintext.line(description) if description else None,
        "showcase": True,
        "start_date": None,
        "group_id": group_id,
        "page_id": settings.host,
        "group": False,
        "only_show_if_degraded": False,
    }


def components(settings: Settings, state: SiteState, idx: _Index) -> list[Json]:
    """Groups as components with `group: true`, each followed by its members, in config order."""
    ids = idx.groups
    out: list[Json] = []
    for group in state.groups:
        if group.name is None:
            out += [_component(settings, state, member, None, idx) for member in group.members]
            continue
        times = [_component_times(m.id, idx) for m in group.members]
        group_json = {
            "id": ids[group.name],
            "name": plaintext.line(group.name),
            "status": group.status,
            "created_at": api_time(min(t[0] for t in times), state),
            "updated_at": api_time(max(t[1] for t in times), state),
            "position": idx.positions[ids[group.name]],
            "description": None,
            "showcase": False,
            "start_date": None,
            "group_id": None,
            "page_id": settings.host,
            "group": True,
            "only_show_if_degraded": False,
            "components": [m.id for m in group.members],
        }
        out.append(group_json)
        for member in group.members:
            out.append(_component(settings, state, member, ids[group.name], idx))
    return out


# Incidents and maintenance


def postmortem_body(postmortem: Postmortem, language: str) -> str:
    """The sections as Markdown, each under its heading: what the postmortem page shows (raw
    HTML and disarmed links gone, literal text escaped), action items as a task list."""

    def body(text: str | list[ActionItem]) -> str:
        if isinstance(text, str):
            return plaintext.markdown(text)
        return "\n".join(
            f"- [{'x' if item.status == 'done' else ' '}] {plaintext.inline_markdown(item.action)}"
            + (f" (due {item.due.isoformat()})" if item.due else "")
            for item in text
        )

    return "\n\n".join(
        f"## {label(language, f'section.{section}')}\n\n{body(text)}"
        for section, text in postmortem.sections()
    )


def _affected(event: Event, names: dict[str, str]) -> dict[int, list[Json]]:
    """Per update n: the components it changed, from which status to which."""
    maintenance = isinstance(event, Maintenance)
    impact = event.impact
    given: dict[str, str] = {}
    named: set[str] = set()
    out: dict[int, list[Json]] = {}
    for n, update in enumerate(event.updates, start=1):
        changes: dict[str, str] = dict(update.components)
        named.update(update.components)
        if not maintenance:
            # A listed component no update named has the status the impact implies: the
            # first post puts it there, and an update that changes the impact moves it.
            impact = update.impact or impact
            default = IMPACT_STATUS.get(impact or "none", "operational")
            for component in event.components:
                if component not in named:
                    changes.setdefault(component, default)
        if update.status in CLOSING_STATUSES:
            # Closing it gives back every component it held that this update does not name,
            # as the page shows them: a client following the changes sees them come back.
            for component in (*event.components, *given):
                if component not in update.components:
                    changes[component] = "operational"
        rows = []
        for component, new in changes.items():
            old = given.get(component, "operational")
            given[component] = new
            if old == new:
                continue
            rows.append(
                {
                    "code": component,
                    "name": names.get(component, component),
                    "old_status": old,
                    "new_status": new,
                }
            )
        out[n] = rows
    return out


def incident(settings: Settings, state: SiteState, event_state: EventState, idx: _Index) -> Json:
    event = event_state.event
    affected = _affected(event, idx.names)
    updates = [
        {
            "id": f"{event.id}-update-{n}",
            "status": update.status,
            "body": plaintext.text(update.message),
            "incident_id": event.id,
            "created_at": api_time(update.at, state),
            "updated_at": api_time(update.at, state),
            "display_at": api_time(update.at, state),
            "affected_components": affected[n],
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }
        for n, update in enumerate(event_state.published, start=1)
    ]
    updates.reverse()  # newest first, as Statuspage lists them
    monitoring = next((u.at for u in event.updates if u.status == "monitoring"), None)
    published = event_state.postmortem_published and event.postmortem is not None
    derived = event_state.status
    # SPEC §6: `postmortem` once it is published, even before resolution (a preliminary
    # review); unresolved.json still lists such an incident, as it is chosen by state.
    if published and not event_state.is_maintenance:
        derived = "postmortem"
    impact = event_state.impact if event_state.impact is not None else "maintenance"
    by_id = idx.by_id
    out: Json = {
        "id": event.id,
        "name": plaintext.line(event.title),
        "status": derived,
        "created_at": api_time(event_state.first_update, state),
        # SPEC §6: `created_at` the first update, `updated_at` the last one (a published
        # postmortem is its own field, postmortem_published_at).
        "updated_at": api_time(event.updates[-1].at if event.updates else None, state),
        "monitoring_at": api_time(monitoring, state),
        "resolved_at": api_time(event_state.resolved_at, state),
        "impact": impact,
        "shortlink": urls.absolute(settings.site_url, urls.incident(event.id)),
        "started_at": api_time(event_state.began, state),
        "page_id": settings.host,
        "incident_updates": updates,
        "components": [
            _component(settings, state, by_id[c], _group_of(by_id[c], idx), idx)
            for c in event.affected
            if c in by_id
        ],
    }
    if isinstance(event, Maintenance):
        out["scheduled_for"] = api_time(event.scheduled.start, state)
        out["scheduled_until"] = api_time(event.scheduled.end, state)
    out["postmortem_body"] = (
        postmortem_body(event.postmortem, settings.language)
        if published and event.postmortem
        else None
    )
    out["postmortem_published_at"] = (
        api_time(event.postmortem.published_at, state) if published and event.postmortem else None
    )
    return out


def _group_of(component: ComponentState, idx: _Index) -> str | None:
    name = component.component.group
    return idx.groups.get(name) if name is not None else None


def _recent(found: Iterable[EventState], keep: Iterable[EventState]) -> list[EventState]:
    """The RECENT newest, plus every one that must stay listed however old it is."""
    found = list(found)
    must = {e.id for e in keep}
    return [e for index, e in enumerate(found) if index < RECENT or e.id in must]


def _incidents(state: SiteState) -> list[EventState]:
    return [e for e in state.events if not e.is_maintenance]


def _maintenance(state: SiteState) -> list[EventState]:
    return [e for e in state.events if e.is_maintenance]


def _current_maintenance(state: SiteState) -> list[EventState]:
    return state.active_maintenance + state.upcoming_maintenance


# Documents


def documents(settings: Settings, state: SiteState) -> dict[str, Json]:
    """Every endpoint's document, by path under the output folder."""
    idx = index(state)
    pg = page(settings, state, idx)
    comps = components(settings, state, idx)

    def listed(found: Iterable[EventState]) -> list[Json]:
        return [incident(settings, state, e, idx) for e in found]

    unresolved = listed(state.open_incidents)
    current = listed(_current_maintenance(state))
    return {
        urls.api("summary.json"): {
            "page": pg,
            "components": comps,
            "incidents": unresolved,
            "scheduled_maintenances": current,
            "status": status(state),
            "communication": communication(state),
        },
        urls.api("status.json"): {"page": pg, "status": status(state)},
        urls.api("components.json"): {"page": pg, "components": comps},
        urls.api("incidents.json"): {
            "page": pg,
            "incidents": listed(_recent(_incidents(state), state.open_incidents)),
        },
        urls.api("incidents/unresolved.json"): {"page": pg, "incidents": unresolved},
        urls.api("scheduled-maintenances.json"): {
            "page": pg,
            "scheduled_maintenances": listed(
                _recent(_maintenance(state), _current_maintenance(state))
            ),
        },
        urls.api("scheduled-maintenances/upcoming.json"): {
            "page": pg,
            "scheduled_maintenances": listed(state.upcoming_maintenance),
        },
        urls.api("scheduled-maintenances/active.json"): {
            "page": pg,
            "scheduled_maintenances": listed(state.active_maintenance),
        },
    }


def encode(document: Json) -> bytes:
    """Stable bytes. `<`, `>` and `&` are escaped as \\u003c etc. so that no HTML parser
    that is handed the raw response can find a tag in it."""
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return text.encode("utf-8")


def api_files(settings: Settings, state: SiteState) -> dict[str, bytes]:
    return {path: encode(doc) for path, doc in documents(settings, state).items()}
