"""Derived state (SPEC §3 "Derived state" and "Times shown, and uptime"), hand-computed."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from candor_sites import load_site
from test_synth import _synth

from generator.core.project import load_project
from generator.core.state import (
    DESCRIPTIONS,
    FAR_FUTURE,
    SiteState,
    change_points,
    derive,
    effect,
    timeline,
    worst,
)
from generator.core.times import parse_timestamp, zone


def incident(
    impact: str,
    updates: list[tuple[str, str, dict[str, str] | None]],
    components: tuple[str, ...] = ("api",),
    started_at: str | None = None,
    postmortem_at: str | None = None,
) -> str:
    text = f"title: Trouble\nimpact: {impact}\ncomponents: [{', '.join(components)}]\n"
    if started_at:
        text += f"started_at: {started_at}\n"
    text += "updates:\n"
    for at, status, given in updates:
        text += f"  - at: {at}\n    status: {status}\n    message: Update.\n"
        if given:
            text += "    components: {" + ", ".join(f"{k}: {v}" for k, v in given.items()) + "}\n"
    if postmortem_at:
        text += (
            f"postmortem:\n  published_at: {postmortem_at}\n  apology: Sorry.\n"
            "  what_happened: a\n  why: b\n  what_we_did: c\n  impact: d\n  prevention: e\n"
        )
    return text


def maintenance(
    updates: list[tuple[str, str]],
    start: str = "2026-11-10T01:00Z",
    end: str = "2026-11-10T03:00Z",
    impact: str | None = None,
    given: dict[str, str] | None = None,
) -> str:
    text = "kind: maintenance\ntitle: Upgrade\ncomponents: [db]\n"
    if impact:
        text += f"impact: {impact}\n"
    text += f"scheduled:\n  start: {start}\n  end: {end}\nupdates:\n"
    for at, status in updates:
        text += f"  - at: {at}\n    status: {status}\n    message: Update.\n"
    if given:
        text += "    components: {" + ", ".join(f"{k}: {v}" for k, v in given.items()) + "}\n"
    return text


class Site:
    """Files loaded once (checked clean of errors) and the derived state at any moment."""

    def __init__(self, tmp_path: Path, files: dict[str, str], tz: str = "UTC", **opts: Any):
        self.project = load_site(tmp_path, files, "2030-01-01T00:00Z", timezone=tz, **opts)
        assert self.project.errors == [], [str(p) for p in self.project.errors]
        self.tz = zone(tz)
        self.config = self.project.settings.candor

    def at(self, now: str) -> SiteState:
        c = self.config
        return derive(
            self.project.events,
            c.components,
            parse_timestamp(now, self.tz),
            self.tz,
            uptime_days=c.uptime_days,
            required_for=c.postmortem_required_for,
            postmortem_within=c.postmortem_within,
        )

    def statuses(self, now: str) -> dict[str, str]:
        return {c.id: c.status for c in self.at(now).components}


def ts(text: str) -> datetime:
    return parse_timestamp(text, zone("UTC"))


# --- incidents --------------------------------------------------------------------------


def test_incident_status_and_open_follow_the_last_update(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "a.yaml": incident(
                "major",
                [
                    ("2026-11-20T09:00Z", "investigating", None),
                    ("2026-11-20T09:30Z", "monitoring", None),
                    ("2026-11-20T10:00Z", "resolved", None),
                ],
            )
        },
    )
    (event,) = site.project.events
    assert [event.status_at(ts(t)) for t in ("2026-11-20T09:10Z", "2026-11-20T09:45Z")] == [
        "investigating",
        "monitoring",
    ]
    assert event.is_active(ts("2026-11-20T09:59Z"))
    assert not event.is_active(ts("2026-11-20T10:00Z"))
    open_state = site.at("2026-11-20T09:45Z")
    assert [e.id for e in open_state.open_incidents] == ["a"]
    assert open_state.by_id["a"].status == "monitoring"
    closed = site.at("2026-11-20T10:00Z")
    assert closed.open_incidents == [] and closed.by_id["a"].status == "resolved"
    assert closed.indicator == "none" and closed.description == "All Systems Operational"


@pytest.mark.parametrize(
    ("impact", "status", "indicator"),
    [
        ("none", "operational", "none"),
        ("minor", "degraded_performance", "minor"),
        ("major", "partial_outage", "major"),
        ("critical", "major_outage", "critical"),
    ],
)
def test_impact_gives_listed_components_their_default_status(
    tmp_path: Path, impact: str, status: str, indicator: str
) -> None:
    site = Site(
        tmp_path,
        {
            "a.yaml": incident(
                impact, [("2026-11-20T09:00Z", "investigating", None)], ("api", "web")
            )
        },
    )
    state = site.at("2026-11-20T09:10Z")
    assert site.statuses("2026-11-20T09:10Z") == {"api": status, "web": status, "db": "operational"}
    assert state.indicator == indicator and state.description == DESCRIPTIONS[indicator]


def test_latest_update_naming_a_component_wins_even_when_better(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "a.yaml": incident(
                "critical",
                [
                    ("2026-11-20T09:00Z", "investigating", {"web": "partial_outage"}),
                    ("2026-11-20T09:30Z", "identified", {"api": "degraded_performance"}),
                    ("2026-11-20T10:00Z", "monitoring", {"db": "major_outage"}),
                ],
            )
        },
    )
    # api is listed (critical → major_outage) until an update names it; web and db are
    # affected because an update named them.
    assert site.statuses("2026-11-20T09:10Z") == {
        "api": "major_outage",
        "web": "partial_outage",
        "db": "operational",
    }
    assert site.statuses("2026-11-20T09:40Z")["api"] == "degraded_performance"
    assert site.statuses("2026-11-20T10:10Z")["db"] == "major_outage"
    # The indicator is the worst of the impact and of what the statuses imply.
    assert site.at("2026-11-20T09:40Z").indicator == "critical"


def test_component_status_is_the_worst_of_open_events(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "minor.yaml": incident(
                "minor", [("2026-11-10T01:30Z", "investigating", None)], ("db",)
            ),
            "major.yaml": incident(
                "major", [("2026-11-10T02:00Z", "identified", {"db": "partial_outage"})], ("db",)
            ),
            "m.yaml": maintenance([("2026-11-01T10:00Z", "scheduled")]),
        },
    )
    assert site.statuses("2026-11-10T01:10Z")["db"] == "under_maintenance"
    assert site.statuses("2026-11-10T01:40Z")["db"] == "degraded_performance"
    assert site.statuses("2026-11-10T02:10Z")["db"] == "partial_outage"


def test_started_at_hurts_before_the_first_post(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "a.yaml": incident(
                "major",
                [("2026-11-20T09:30Z", "investigating", None)],
                started_at="2026-11-20T09:00Z",
            )
        },
    )
    assert site.statuses("2026-11-20T08:59Z")["api"] == "operational"
    assert site.statuses("2026-11-20T09:10Z")["api"] == "partial_outage"
    assert site.at("2026-11-20T09:10Z").indicator == "major"


# --- maintenance ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "state", "db", "indicator"),
    [
        ("2026-11-10T00:59Z", "scheduled", "operational", "none"),
        ("2026-11-10T01:00Z", "in_progress", "under_maintenance", "maintenance"),
        ("2026-11-10T02:59Z", "in_progress", "under_maintenance", "maintenance"),
        ("2026-11-10T03:00Z", "completed", "operational", "none"),
    ],
)
def test_maintenance_follows_the_clock_while_scheduled(
    tmp_path: Path, now: str, state: str, db: str, indicator: str
) -> None:
    site = Site(tmp_path, {"m.yaml": maintenance([("2026-11-01T10:00Z", "scheduled")])})
    derived = site.at(now)
    assert derived.by_id["m"].status == state
    assert derived.component("db") is not None and derived.component("db").status == db  # type: ignore[union-attr]
    assert derived.indicator == indicator
    assert [e.id for e in derived.upcoming_maintenance] == (["m"] if state == "scheduled" else [])
    assert [e.id for e in derived.active_maintenance] == (["m"] if state == "in_progress" else [])


def test_maintenance_early_start_and_overrun_are_told_by_updates(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "m.yaml": maintenance(
                [
                    ("2026-11-01T10:00Z", "scheduled"),
                    ("2026-11-10T00:30Z", "in_progress"),
                    ("2026-11-10T03:20Z", "verifying"),
                    ("2026-11-10T03:40Z", "completed"),
                ]
            )
        },
    )
    assert site.at("2026-11-10T00:40Z").by_id["m"].status == "in_progress"  # early start
    assert site.statuses("2026-11-10T00:40Z")["db"] == "under_maintenance"
    assert site.at("2026-11-10T03:10Z").by_id["m"].status == "in_progress"  # overrun
    assert site.at("2026-11-10T03:30Z").by_id["m"].status == "verifying"
    assert site.statuses("2026-11-10T03:30Z")["db"] == "under_maintenance"
    assert site.at("2026-11-10T03:40Z").by_id["m"].status == "completed"
    assert site.statuses("2026-11-10T03:40Z")["db"] == "operational"


def test_maintenance_completed_early_ends_before_the_window(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "m.yaml": maintenance(
                [("2026-11-01T10:00Z", "scheduled"), ("2026-11-10T01:50Z", "completed")]
            )
        },
    )
    assert site.at("2026-11-10T02:00Z").by_id["m"].status == "completed"
    assert site.statuses("2026-11-10T02:00Z")["db"] == "operational"


def test_maintenance_impact_never_enters_the_indicator(tmp_path: Path) -> None:
    site = Site(
        tmp_path, {"m.yaml": maintenance([("2026-11-01T10:00Z", "scheduled")], impact="critical")}
    )
    state = site.at("2026-11-10T02:00Z")
    assert state.indicator == "maintenance" and state.description == "Service Under Maintenance"


def test_an_incident_outranks_maintenance_in_the_indicator(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "m.yaml": maintenance([("2026-11-01T10:00Z", "scheduled")]),
            "a.yaml": incident("minor", [("2026-11-10T01:30Z", "investigating", None)], ("web",)),
            "b.yaml": incident("none", [("2026-11-10T01:40Z", "investigating", None)], ("web",)),
        },
    )
    assert site.at("2026-11-10T01:35Z").indicator == "minor"
    assert site.at("2026-11-10T01:20Z").indicator == "maintenance"


def test_descriptions_as_statuspage_users_know_them() -> None:
    assert DESCRIPTIONS == {
        "none": "All Systems Operational",
        "minor": "Minor Service Outage",
        "major": "Partial System Outage",
        "critical": "Major System Outage",
        "maintenance": "Service Under Maintenance",
    }


# --- times shown ------------------------------------------------------------------------


def test_times_to_first_update_resolve_and_report(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "a.yaml": incident(
                "major",
                [
                    ("2026-11-20T09:30Z", "investigating", None),
                    ("2026-11-20T11:17:30Z", "resolved", None),
                ],
                started_at="2026-11-20T09:00Z",
                postmortem_at="2026-11-21T09:00Z",
            ),
            "b.yaml": incident(
                "minor",
                [
                    ("2026-11-20T09:30Z", "investigating", None),
                    ("2026-11-20T10:00Z", "resolved", None),
                ],
            ),
            "c.yaml": incident(
                "critical",
                [
                    ("2026-11-01T09:30Z", "investigating", None),
                    ("2026-11-20T10:00Z", "resolved", None),
                ],
                postmortem_at="2026-11-15T09:00Z",
            ),
        },
    )
    state = site.at("2026-11-22T00:00Z")
    a, b, c = state.by_id["a"], state.by_id["b"], state.by_id["c"]
    assert a.time_to_first_update == timedelta(minutes=30)
    assert a.time_to_resolve == timedelta(hours=2, minutes=17, seconds=30)
    assert a.time_to_report == timedelta(hours=21, minutes=42, seconds=30)
    assert a.postmortem_published and a.postmortem_due is None
    assert b.time_to_first_update == timedelta(0)  # no started_at
    assert b.time_to_resolve == timedelta(minutes=30)
    assert b.time_to_report is None
    assert c.time_to_report == -(ts("2026-11-20T10:00Z") - ts("2026-11-15T09:00Z"))  # preliminary


def test_times_across_a_dst_change_are_real_minutes(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "a.yaml": incident(
                "minor",
                [
                    ("2026-10-25T01:45", "investigating", None),
                    ("2026-10-25T03:15", "resolved", None),
                ],
                started_at="2026-10-25T01:30",
            )
        },
        tz="Europe/Berlin",
    )
    a = site.at("2026-11-01T00:00").by_id["a"]
    assert a.time_to_first_update == timedelta(minutes=15)
    assert a.time_to_resolve == timedelta(hours=2, minutes=45)  # the clock went back an hour


def test_next_update_and_postmortem_due(tmp_path: Path) -> None:
    text = (
        incident("major", [("2026-11-20T09:00Z", "investigating", None)]) + "    next_update: 45m\n"
    )
    closed = incident(
        "major",
        [("2026-11-20T09:00Z", "investigating", None), ("2026-11-20T10:00Z", "resolved", None)],
    )
    site = Site(tmp_path, {"a.yaml": text, "b.yaml": closed})
    state = site.at("2026-11-20T10:30Z")
    assert state.by_id["a"].next_update_due == ts("2026-11-20T09:45Z")
    assert state.by_id["b"].next_update_due is None
    assert state.by_id["b"].postmortem_due == ts("2026-11-21T10:00Z")


def test_the_last_change_and_the_last_status_change_up_to_now(tmp_path: Path) -> None:
    """What the site last said (`last_changed`: the API's and feeds' dates) is the newest
    update out, a postmortem once published, a maintenance window opening or closing. The
    status (`status_changed`: "Status last changed") moves with all of them but the
    postmortem, which comes long after resolution. Never what is still ahead, and nothing
    before anything happened."""
    closed = incident(
        "major",
        [("2026-11-20T09:00Z", "investigating", None), ("2026-11-20T10:00Z", "resolved", None)],
        postmortem_at="2026-11-22T08:00Z",
    )
    work = maintenance(
        [("2026-11-01T12:00Z", "scheduled")], start="2026-11-21T01:00Z", end="2026-11-21T03:00Z"
    )
    site = Site(tmp_path, {"a.yaml": closed, "m.yaml": work})
    expected = {  # now: (last_changed, status_changed)
        "2026-11-01T11:00Z": (None, None),
        "2026-11-01T12:00Z": ("2026-11-01T12:00Z", "2026-11-01T12:00Z"),
        "2026-11-20T09:30Z": ("2026-11-20T09:00Z", "2026-11-20T09:00Z"),
        "2026-11-20T12:00Z": ("2026-11-20T10:00Z", "2026-11-20T10:00Z"),
        "2026-11-21T02:00Z": ("2026-11-21T01:00Z", "2026-11-21T01:00Z"),
        "2026-11-21T05:00Z": ("2026-11-21T03:00Z", "2026-11-21T03:00Z"),
        "2026-11-23T00:00Z": ("2026-11-22T08:00Z", "2026-11-21T03:00Z"),
    }
    for now, moments in expected.items():
        state = site.at(now)
        found = (state.last_changed, state.status_changed)
        assert found == tuple(ts(m) if m else None for m in moments), now
        assert state.by_id["a"].last_update <= state.now or not state.by_id["a"].published


# --- uptime and days ---------------------------------------------------------------------


def test_uptime_formula_by_hand(tmp_path: Path) -> None:
    files = {
        # 60 min of major_outage
        "a.yaml": incident(
            "critical",
            [("2026-11-20T10:00Z", "investigating", None), ("2026-11-20T11:00Z", "resolved", None)],
        ),
        # 120 min of partial_outage
        "b.yaml": incident(
            "major",
            [("2026-11-20T12:00Z", "investigating", None), ("2026-11-20T14:00Z", "resolved", None)],
        ),
        # degraded and maintenance count as up
        "c.yaml": incident(
            "minor",
            [("2026-11-20T15:00Z", "investigating", None), ("2026-11-20T18:00Z", "resolved", None)],
        ),
    }
    site = Site(tmp_path, files, uptime_days=1)
    api = site.at("2026-11-20T23:59Z").component("api")
    assert api is not None
    assert api.uptime == pytest.approx(1 - (60 + 0.3 * 120) / 1440)
    assert [d.day for d in api.days] == [date(2026, 11, 20)]
    assert api.days[0].status == "major_outage" and api.days[0].events == ("a", "b", "c")
    web = site.at("2026-11-20T23:59Z").component("web")
    assert web is not None and web.uptime == 1.0 and web.days[0].status == "operational"


def test_uptime_window_is_rolling(tmp_path: Path) -> None:
    files = {
        "a.yaml": incident(
            "critical",
            [("2026-11-20T10:00Z", "investigating", None), ("2026-11-20T11:00Z", "resolved", None)],
        )
    }
    site = Site(tmp_path, files, uptime_days=1)
    # [10:30 the day before ... 10:30]: only 30 of the 60 minutes are inside.
    assert site.at("2026-11-21T10:30Z").component("api").uptime == pytest.approx(1 - 30 / 1440)  # type: ignore[union-attr]
    assert site.at("2026-11-22T00:00Z").component("api").uptime == 1.0  # type: ignore[union-attr]


def test_day_cells_follow_the_zone_across_a_dst_day(tmp_path: Path) -> None:
    # A critical outage for the whole of 25 October in Berlin (25 hours: clocks go back).
    files = {
        "a.yaml": incident(
            "critical",
            [("2026-10-24T22:00Z", "investigating", None), ("2026-10-25T23:00Z", "resolved", None)],
        )
    }
    site = Site(tmp_path, files, tz="Europe/Berlin", uptime_days=3)
    api = site.at("2026-10-26T12:00").component("api")
    assert api is not None
    assert [d.day for d in api.days] == [date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)]
    assert [d.status for d in api.days] == ["operational", "major_outage", "operational"]
    assert [d.uptime for d in api.days] == [1.0, 0.0, 1.0]
    assert [d.events for d in api.days] == [(), ("a",), ()]


def test_maintenance_touches_only_the_days_of_its_work(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "m.yaml": maintenance(
                [("2026-11-01T10:00Z", "scheduled"), ("2026-11-10T02:30Z", "completed")]
            )
        },
        uptime_days=14,
    )
    db = site.at("2026-11-12T00:00Z").component("db")
    assert db is not None
    touched = [d.day for d in db.days if d.events]
    assert touched == [date(2026, 11, 10)]
    assert db.uptime == 1.0
    assert next(d for d in db.days if d.events).status == "under_maintenance"


def test_groups_take_the_worst_member_status(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "a.yaml": incident(
                "minor", [("2026-11-20T09:00Z", "investigating", {"web": "partial_outage"})]
            )
        },
    )
    state = site.at("2026-11-20T09:10Z")
    groups = [(g.name, [m.id for m in g.members], g.status) for g in state.groups]
    assert groups == [
        ("Core", ["api", "web"], "partial_outage"),
        (None, ["db"], "operational"),
    ]


def test_effect_is_empty_for_inactive_events(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {"a.yaml": incident("major", [("2026-11-20T09:00Z", "resolved", None)])},
    )
    (event,) = site.project.events
    assert effect(event, ts("2026-11-20T09:00Z")) == {}
    assert effect(event, ts("2026-11-20T08:00Z")) == {}


def test_history_is_newest_first(tmp_path: Path) -> None:
    site = Site(
        tmp_path,
        {
            "old.yaml": incident("minor", [("2026-11-01T09:00Z", "resolved", None)]),
            "new.yaml": incident("minor", [("2026-11-20T09:00Z", "resolved", None)]),
            "m.yaml": maintenance(
                [("2026-11-01T10:00Z", "scheduled")],
                start="2026-12-10T01:00Z",
                end="2026-12-10T02:00Z",
            ),
        },
    )
    assert [e.id for e in site.at("2026-11-25T00:00Z").events] == ["m", "new", "old"]


def test_each_component_lists_the_incidents_that_touch_it_newest_first(tmp_path: Path) -> None:
    """A component's incidents: those listing it or naming it in an update, in history
    order; none for a component nothing touched."""
    site = Site(
        tmp_path,
        {
            "a.yaml": incident("minor", [("2026-11-01T09:00Z", "resolved", None)], ("api",)),
            "b.yaml": incident(
                "minor", [("2026-11-20T09:00Z", "resolved", {"db": "operational"})], ("web",)
            ),
            "c.yaml": incident("minor", [("2026-11-10T09:00Z", "resolved", None)], ("api", "web")),
        },
    )
    state = site.at("2026-11-25T00:00Z")
    assert {c.id: c.event_ids for c in state.components} == {
        "api": ["c", "a"],
        "web": ["b", "c"],
        "db": ["b"],
    }


# --- an impact that changes as the incident develops -----------------------------------------

ESCALATING = """\
title: Checkout errors
impact: minor
components: [api, web]
updates:
  - at: 2026-11-20T09:00Z
    status: investigating
    message: Some checkouts fail.
    components: {web: degraded_performance}
  - at: 2026-11-20T09:30Z
    status: identified
    impact: critical
    message: Every checkout fails.
  - at: 2026-11-20T10:00Z
    status: monitoring
    impact: minor
    message: Checkouts work again; we are watching.
  - at: 2026-11-20T10:30Z
    status: resolved
    message: Resolved.
"""


def test_the_impact_is_the_latest_one_set(tmp_path: Path) -> None:
    site = Site(tmp_path, {"a.yaml": ESCALATING})
    (event,) = site.project.events
    moments = ["2026-11-20T08:00Z", "2026-11-20T09:10Z", "2026-11-20T09:45Z", "2026-11-20T10:10Z"]
    assert [event.impact_at(ts(t)) for t in moments] == ["minor", "minor", "critical", "minor"]
    assert event.peak_impact == "critical"
    # The derived state, which every output reads, carries it.
    assert [site.at(t).by_id["a"].impact for t in moments[1:]] == ["minor", "critical", "minor"]


def test_indicator_and_unnamed_components_follow_the_impact(tmp_path: Path) -> None:
    site = Site(tmp_path, {"a.yaml": ESCALATING})
    before, during, after = (
        site.at(t) for t in ("2026-11-20T09:10Z", "2026-11-20T09:45Z", "2026-11-20T10:10Z")
    )
    assert (before.indicator, during.indicator, after.indicator) == ("minor", "critical", "minor")
    # `api` was never given a status: it has the one the impact implies; `web` keeps its own.
    assert site.statuses("2026-11-20T09:10Z")["api"] == "degraded_performance"
    assert site.statuses("2026-11-20T09:45Z") == {
        "api": "major_outage",
        "web": "degraded_performance",
        "db": "operational",
    }
    assert site.statuses("2026-11-20T10:10Z")["api"] == "degraded_performance"


def test_a_postmortem_is_owed_for_the_worst_impact_reached(tmp_path: Path) -> None:
    site = Site(tmp_path, {"a.yaml": ESCALATING})
    state = site.at("2026-11-22T00:00Z").by_id["a"]
    assert state.impact == "minor"  # lowered before it was resolved …
    assert state.postmortem_due == ts("2026-11-21T10:30Z")  # … but it was critical for 30 min


def _every_event_at_every_point(
    events: list[Any], component: str, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, str]]:
    """The timeline as SPEC defines it, the slow way: every incident asked at every moment."""
    relevant = [e for e in events if component in e.affected]
    points = sorted({start, *(p for e in relevant for p in change_points(e) if start < p < end)})
    found: list[tuple[datetime, datetime, str]] = []
    for index, point in enumerate(points):
        stop = points[index + 1] if index + 1 < len(points) else end
        status = worst(effect(e, point).get(component, "operational") for e in relevant)
        if found and found[-1][2] == status:
            found[-1] = (found[-1][0], stop, status)
        else:
            found.append((point, stop, status))
    return found


def test_bars_and_uptime_are_those_of_asking_every_incident_at_every_moment(
    tmp_path: Path,
) -> None:
    now = "2026-12-01T12:00:00Z"
    _synth().generate(tmp_path, 400, seed=11, now=now)
    state = load_project(tmp_path / "mkdocs.yml", now).state()
    events = [ev.event for ev in state.events]
    start = state.window_start
    busy = 0
    for c in state.components:
        slow = _every_event_at_every_point(events, c.component.id, start, state.now)
        fast = timeline(events, c.component.id, start, state.now)
        assert [(s.start, s.end, s.status) for s in fast] == slow, c.component.id
        busy += len(slow) > 1
        for day in c.days:
            day_start = datetime.combine(day.day, datetime.min.time(), tzinfo=state.tz)
            day_end = min(day_start + timedelta(days=1), state.now)
            touching = sorted(
                e.id
                for e in events
                if c.component.id in e.affected
                and any(
                    e.is_active(p) and p < day_end and q > day_start
                    for p, q in itertools.pairwise([*sorted(set(change_points(e))), FAR_FUTURE])
                )
            )
            assert list(day.events) == touching, (c.component.id, day.day)
    assert busy >= 3  # the history does give the bars something to show
