"""The Statuspage-compatible API: shapes, key order, stable ids, schemas and safe text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from artifact_sites import (
    COMPLETED,
    HOSTILE,
    HOSTILE_MARKERS,
    OPEN,
    RESOLVED,
    STANDARD,
    UPCOMING,
    build,
)
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parent.parent / "generator" / "outputs" / "schemas"
ENDPOINTS = {
    "api/v2/summary.json": "summary",
    "api/v2/status.json": "status",
    "api/v2/components.json": "components",
    "api/v2/incidents.json": "incidents",
    "api/v2/incidents/unresolved.json": "incidents",
    "api/v2/scheduled-maintenances.json": "scheduled-maintenances",
    "api/v2/scheduled-maintenances/upcoming.json": "scheduled-maintenances",
    "api/v2/scheduled-maintenances/active.json": "scheduled-maintenances",
}
PAGE_KEYS = ["id", "name", "url", "time_zone", "updated_at"]
COMPONENT_KEYS = [
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "start_date",
    "group_id",
    "page_id",
    "group",
    "only_show_if_degraded",
]
INCIDENT_KEYS = [
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "impact",
    "shortlink",
    "started_at",
    "page_id",
    "incident_updates",
    "components",
]
UPDATE_KEYS = [
    "id",
    "status",
    "body",
    "incident_id",
    "created_at",
    "updated_at",
    "display_at",
    "affected_components",
    "deliver_notifications",
    "custom_tweet",
    "tweet_id",
]
POSTMORTEM_KEYS = ["postmortem_body", "postmortem_published_at"]


def validate(path: str, document: Any) -> None:
    registry: Registry[Any] = Registry()
    for file in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(file.read_text(encoding="utf-8"))
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    schema = json.loads((SCHEMAS / f"{ENDPOINTS[path]}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.FormatChecker()
    ).validate(document)


def load(out: dict[str, bytes], path: str) -> Any:
    return json.loads(out[path])


@pytest.fixture
def standard(tmp_path: Path) -> dict[str, bytes]:
    return build(tmp_path, STANDARD, timezone="Europe/Berlin")[2]


def test_every_endpoint_is_valid_against_its_schema(standard: dict[str, bytes]) -> None:
    assert set(ENDPOINTS) <= set(standard)
    for path in ENDPOINTS:
        raw = standard[path]
        assert raw.endswith(b"}\n")
        validate(path, load(standard, path))


def test_schemas_reject_what_statuspage_clients_could_not_read(
    standard: dict[str, bytes],
) -> None:
    summary = load(standard, "api/v2/summary.json")
    summary["status"]["indicator"] = "broken"
    with pytest.raises(jsonschema.ValidationError):
        validate("api/v2/summary.json", summary)
    incidents = load(standard, "api/v2/incidents.json")
    incidents["incidents"][0]["created_at"] = "2026-11-20 10:00"
    with pytest.raises(jsonschema.ValidationError):
        validate("api/v2/incidents.json", incidents)


def test_summary_has_statuspage_shape_and_key_order(standard: dict[str, bytes]) -> None:
    summary = load(standard, "api/v2/summary.json")
    # Statuspage's fields in Statuspage's order, then Candor's own record.
    assert list(summary) == [
        "page",
        "components",
        "incidents",
        "scheduled_maintenances",
        "status",
        "communication",
    ]
    assert list(summary["page"]) == PAGE_KEYS
    assert summary["page"]["url"] == "https://status.example.com"
    assert summary["page"]["time_zone"] == "Europe/Berlin"
    assert summary["status"] == {"indicator": "minor", "description": "Minor Service Outage"}
    assert [i["id"] for i in summary["incidents"]] == ["2026-11-30-slow-website"]
    assert [m["id"] for m in summary["scheduled_maintenances"]] == ["2026-11-25-database-upgrade"]
    incident = summary["incidents"][0]
    assert list(incident) == INCIDENT_KEYS + POSTMORTEM_KEYS
    assert list(incident["incident_updates"][0]) == UPDATE_KEYS
    maintenance = summary["scheduled_maintenances"][0]
    assert list(maintenance) == [
        *INCIDENT_KEYS,
        "scheduled_for",
        "scheduled_until",
        *POSTMORTEM_KEYS,
    ]
    assert maintenance["scheduled_for"] == "2026-12-05T02:00:00+01:00"
    assert maintenance["scheduled_until"] == "2026-12-05T04:00:00+01:00"
    assert maintenance["impact"] == "maintenance"
    assert maintenance["status"] == "scheduled"


def test_components_with_groups_positions_and_statuses(standard: dict[str, bytes]) -> None:
    components = load(standard, "api/v2/components.json")["components"]
    assert [c["id"] for c in components] == ["group-core", "api", "web", "db"]
    assert [c["position"] for c in components] == [1, 2, 3, 4]
    group, api, web, db = components
    assert list(api) == COMPONENT_KEYS
    assert list(group) == [*COMPONENT_KEYS, "components"]
    assert group["group"] is True and group["components"] == ["api", "web"]
    assert group["name"] == "Core" and group["status"] == "degraded_performance"
    assert (api["group_id"], web["group_id"], db["group_id"]) == ("group-core", "group-core", None)
    assert (api["status"], web["status"], db["status"]) == (
        "operational",
        "degraded_performance",
        "operational",
    )
    assert web["updated_at"] == "2026-12-01T00:30:00+01:00"


def test_an_incidents_components_are_the_very_objects_components_json_lists(
    standard: dict[str, bytes],
) -> None:
    """SPEC §6: full component objects, `position` included: clients match and sort by it."""
    listed = {c["id"]: c for c in load(standard, "api/v2/components.json")["components"]}
    embedded = [
        c
        for path, key in (
            ("api/v2/incidents.json", "incidents"),
            ("api/v2/scheduled-maintenances.json", "scheduled_maintenances"),
        )
        for event in load(standard, path)[key]
        for c in event["components"]
    ]
    assert {c["id"] for c in embedded} == {"api", "web", "db"}
    for component in embedded:
        assert component == listed[component["id"]]
    assert next(c["position"] for c in embedded if c["id"] == "db") == 4


def test_incidents_with_updates_newest_first_and_postmortem(standard: dict[str, bytes]) -> None:
    incidents = load(standard, "api/v2/incidents.json")["incidents"]
    assert [i["id"] for i in incidents] == ["2026-11-30-slow-website", "2026-11-20-api-errors"]
    resolved = incidents[1]
    assert resolved["status"] == "postmortem"
    assert resolved["impact"] == "major"
    assert resolved["shortlink"] == "https://status.example.com/incidents/2026-11-20-api-errors/"
    assert resolved["started_at"] == "2026-11-20T10:05:00+01:00"
    assert resolved["created_at"] == "2026-11-20T10:14:00+01:00"
    assert resolved["resolved_at"] == "2026-11-20T11:02:00+01:00"
    assert resolved["updated_at"] == "2026-11-20T11:02:00+01:00"  # the last update
    assert resolved["monitoring_at"] is None
    updates = resolved["incident_updates"]
    assert [u["id"] for u in updates] == [f"2026-11-20-api-errors-update-{n}" for n in (3, 2, 1)]
    assert [u["status"] for u in updates] == ["resolved", "identified", "investigating"]
    assert updates[2]["affected_components"] == [
        {
            "code": "api",
            "name": "Public API",
            "old_status": "operational",
            "new_status": "partial_outage",
        }
    ]
    assert updates[0]["affected_components"][0]["new_status"] == "operational"
    assert updates[0]["body"] == "Error rates are back to normal."
    assert [c["id"] for c in resolved["components"]] == ["api"]
    assert resolved["postmortem_published_at"] == "2026-11-21T09:00:00+01:00"
    body = resolved["postmortem_body"]
    assert body.startswith("## Apology\n\nWe are sorry")
    assert body.index("## Why it happened") < body.index("## Prevention")
    assert "- [x] Canary every configuration change" in body
    assert incidents[0]["postmortem_body"] is None
    unresolved = load(standard, "api/v2/incidents/unresolved.json")["incidents"]
    assert [i["id"] for i in unresolved] == ["2026-11-30-slow-website"]
    assert unresolved[0]["status"] == "investigating"


def test_maintenance_endpoints(tmp_path: Path) -> None:
    files = {"up.yaml": UPCOMING, "done.yaml": COMPLETED, "now.yaml": UPCOMING}
    files["now.yaml"] = UPCOMING.replace("2026-12-05T01:00", "2026-11-30T23:00").replace(
        "title: Database upgrade", "title: Cache upgrade"
    )
    out = build(tmp_path, files)[2]
    every = load(out, "api/v2/scheduled-maintenances.json")["scheduled_maintenances"]
    assert {m["id"]: m["status"] for m in every} == {
        "up": "scheduled",
        "now": "in_progress",
        "done": "completed",
    }
    done = next(m for m in every if m["id"] == "done")
    assert done["impact"] == "none"
    assert done["resolved_at"] == "2026-11-10T01:40:00+00:00"
    upcoming = load(out, "api/v2/scheduled-maintenances/upcoming.json")
    assert [m["id"] for m in upcoming["scheduled_maintenances"]] == ["up"]
    active = load(out, "api/v2/scheduled-maintenances/active.json")
    assert [m["id"] for m in active["scheduled_maintenances"]] == ["now"]
    summary = load(out, "api/v2/summary.json")
    assert [m["id"] for m in summary["scheduled_maintenances"]] == ["now", "up"]
    assert summary["status"]["indicator"] == "maintenance"
    assert load(out, "api/v2/incidents.json")["incidents"] == []


def test_fifty_most_recent_and_every_unresolved(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"old-{n:02d}.yaml": RESOLVED.replace("2026-11-20", f"2026-10-{n:02d}").split(
            "postmortem:"
        )[0]
        for n in range(1, 31)
    }
    files.update(
        {
            f"new-{n:02d}.yaml": RESOLVED.replace("2026-11-20", f"2026-11-{n:02d}").split(
                "postmortem:"
            )[0]
            for n in range(1, 30)
        }
    )
    files["ancient-open.yaml"] = OPEN.replace("2026-11-30T23:30", "2026-09-01T10:00")
    incidents = load(build(tmp_path, files)[2], "api/v2/incidents.json")["incidents"]
    ids = [i["id"] for i in incidents]
    assert len(ids) == 51
    assert ids[0] == "new-29" and ids[49] == "old-10"
    assert ids[50] == "ancient-open"


def test_ids_and_bytes_are_stable_across_builds(tmp_path: Path) -> None:
    first = build(tmp_path / "a", STANDARD)[2]
    again = build(tmp_path / "b", STANDARD)[2]
    assert {p: first[p] for p in ENDPOINTS} == {p: again[p] for p in ENDPOINTS}
    edited = dict(STANDARD)
    edited["2026-11-20-api-errors.yaml"] = RESOLVED.replace("Elevated", "Raised")
    later = build(tmp_path / "c", edited)[2]

    def update_ids(out: dict[str, bytes]) -> list[str]:
        return [
            u["id"]
            for i in load(out, "api/v2/incidents.json")["incidents"]
            for u in i["incident_updates"]
        ]

    assert update_ids(first) == update_ids(later)


def test_hostile_text_gives_no_markup_in_json(tmp_path: Path) -> None:
    # SPEC §6: a title is plain text, literal everywhere; a message's plain form is what the
    # page shows, so what the sanitiser removed from the page is gone from the JSON too.
    out = build(tmp_path, {"2026-11-15-hostile.yaml": HOSTILE})[2]
    for path in ENDPOINTS:
        raw = out[path].decode().lower()
        assert "<" not in raw and ">" not in raw  # escaped as \u003c for raw readers
    incident = load(out, "api/v2/incidents.json")["incidents"][0]
    assert incident["name"] == "<script>alert(1)</script>Outage <img src=x onerror=alert(2)>"
    bodies = [u["body"] for u in incident["incident_updates"]] + [incident["postmortem_body"]]
    for body in bodies:
        for marker in HOSTILE_MARKERS:
            assert marker not in body.lower(), (body, marker)
    assert incident["incident_updates"][1]["body"] == "Hello click me there"
    assert incident["incident_updates"][0]["body"] == "Fixed. bold"
    assert "## What happened\n\nx" in incident["postmortem_body"]


def test_published_preliminary_review_makes_an_open_incident_postmortem(tmp_path: Path) -> None:
    # SPEC §6: `status` is `postmortem` once the postmortem is published, even while the
    # incident is still open; it stays in unresolved.json, which is chosen by state.
    open_with_review = RESOLVED.replace(
        """  - at: 2026-11-20T10:02:00Z
    status: resolved
    message: Error rates are back to normal.
    components: {api: operational}
""",
        "",
    ).replace("published_at: 2026-11-21T08:00:00Z", "published_at: 2026-11-20T09:50:00Z")
    out = build(tmp_path, {"long.yaml": open_with_review})[2]
    unresolved = load(out, "api/v2/incidents/unresolved.json")["incidents"]
    assert [(i["id"], i["status"]) for i in unresolved] == [("long", "postmortem")]
    assert unresolved[0]["resolved_at"] is None


ESCALATING = """\
title: Checkout errors
impact: minor
components: [api, web]
updates:
  - at: 2026-11-30T09:00:00Z
    status: investigating
    message: Some checkouts fail.
    components: {web: degraded_performance}
  - at: 2026-11-30T09:30:00Z
    status: identified
    impact: critical
    message: Every checkout fails.
"""


def test_impact_is_the_latest_set_and_moves_the_components_it_implies(tmp_path: Path) -> None:
    out = build(tmp_path, {"2026-11-30-checkout.yaml": ESCALATING})[2]
    (incident,) = load(out, "api/v2/incidents/unresolved.json")["incidents"]
    assert incident["impact"] == "critical"
    assert load(out, "api/v2/status.json")["status"]["indicator"] == "critical"
    first, second = reversed(incident["incident_updates"])
    assert [
        (c["code"], c["old_status"], c["new_status"]) for c in first["affected_components"]
    ] == [
        ("web", "operational", "degraded_performance"),
        ("api", "operational", "degraded_performance"),
    ]
    # The raised impact takes `api` (never named) to major_outage; `web` keeps its own status.
    assert [
        (c["code"], c["old_status"], c["new_status"]) for c in second["affected_components"]
    ] == [
        ("api", "degraded_performance", "major_outage"),
    ]


def test_the_resolving_update_gives_back_the_components_the_incident_held(tmp_path: Path) -> None:
    resolved = ESCALATING + (
        "  - at: 2026-11-30T10:15:00Z\n    status: resolved\n    message: Checkout works again.\n"
    )
    out = build(tmp_path, {"2026-11-30-checkout.yaml": resolved})[2]
    (incident,) = load(out, "api/v2/incidents.json")["incidents"]
    last = incident["incident_updates"][0]
    assert last["status"] == "resolved"
    assert [(c["code"], c["old_status"], c["new_status"]) for c in last["affected_components"]] == [
        ("api", "major_outage", "operational"),
        ("web", "degraded_performance", "operational"),
    ]
    # As the components themselves say once it is resolved.
    listed = {c["id"]: c["status"] for c in load(out, "api/v2/components.json")["components"]}
    assert (listed["api"], listed["web"]) == ("operational", "operational")
