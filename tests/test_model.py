"""The pydantic models behind incident files and the config section."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from generator.core.model import (
    COMPONENT_STATUSES,
    IMPACTS,
    ActionItem,
    EventAdapter,
    Incident,
    Maintenance,
)
from generator.core.times import zone

INCIDENT = {
    "title": "API errors",
    "impact": "major",
    "components": ["api"],
    "updates": [
        {"at": "2026-11-20 10:14", "status": "investigating", "message": "Looking."},
        {
            "at": "2026-11-20T10:40Z",
            "status": "resolved",
            "message": "Fixed.",
            "components": {"web": "operational", "api": "operational"},
            "next_update": "30m",
        },
    ],
}
MAINTENANCE = {
    "kind": "maintenance",
    "title": "Upgrade",
    "components": ["db"],
    "scheduled": {"start": "2026-11-10T01:00Z", "end": "2026-11-10T03:00Z"},
    "updates": [{"at": "2026-11-01T10:00Z", "status": "scheduled", "message": "Planned."}],
}


def test_incident_fields_and_affected_components() -> None:
    event = EventAdapter.validate_python(INCIDENT, context={"tz": zone("Europe/Berlin")})
    assert isinstance(event, Incident) and not event.is_maintenance
    # Naive times are read in the configured zone (CET, +01:00) and stay aware.
    assert event.updates[0].at == datetime(2026, 11, 20, 9, 14, tzinfo=UTC)
    assert event.updates[1].next_update == timedelta(minutes=30)
    assert event.affected == ["api", "web"]
    event.bind("2026-11-20-api", "incidents/2026-11-20-api.yaml")
    assert (event.id, event.file) == ("2026-11-20-api", "incidents/2026-11-20-api.yaml")


def test_maintenance_by_kind_without_impact() -> None:
    event = EventAdapter.validate_python(MAINTENANCE, context={"tz": zone("UTC")})
    assert isinstance(event, Maintenance) and event.is_maintenance and event.impact is None
    assert event.scheduled.end - event.scheduled.start == timedelta(hours=2)


def test_models_are_frozen_and_forbid_extra_keys() -> None:
    event = EventAdapter.validate_python(INCIDENT)
    with pytest.raises(ValidationError):
        event.title = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        EventAdapter.validate_python({**INCIDENT, "severity": "high"})


def test_prevention_is_markdown_or_action_items() -> None:
    sections = {
        "published_at": "2026-11-21T09:00Z",
        "apology": "Sorry.",
        "what_happened": "a",
        "why": "b",
        "what_we_did": "c",
        "impact": "d",
    }
    text = EventAdapter.validate_python(
        {**INCIDENT, "postmortem": {**sections, "prevention": "We will canary."}}
    )
    assert text.postmortem is not None and text.postmortem.prevention == "We will canary."
    items = EventAdapter.validate_python(
        {
            **INCIDENT,
            "postmortem": {
                **sections,
                "prevention": [{"action": "Canary", "status": "done", "due": "2026-12-15"}],
                "compensation": "A credit of 10%.",
            },
        }
    )
    assert items.postmortem is not None
    assert items.postmortem.prevention == [
        ActionItem(action="Canary", status="done", due=date(2026, 12, 15))
    ]
    with pytest.raises(ValidationError):
        EventAdapter.validate_python({**INCIDENT, "postmortem": {**sections, "prevention": []}})


def test_lists_in_spec_order() -> None:
    assert IMPACTS == ("none", "minor", "major", "critical")
    assert COMPONENT_STATUSES == (
        "operational",
        "under_maintenance",
        "degraded_performance",
        "partial_outage",
        "major_outage",
    )


def test_language_is_an_optional_bcp47_tag_compared_by_its_primary_subtag() -> None:
    incident = EventAdapter.validate_python(
        {**INCIDENT, "language": "ja"}, context={"tz": zone("UTC")}
    )
    assert incident.language == "ja"
    assert incident.written_in("en") == "ja" and incident.written_in("ja") is None
    british = EventAdapter.validate_python(
        {**INCIDENT, "language": "en-GB"}, context={"tz": zone("UTC")}
    )
    assert british.written_in("en") is None and british.written_in("ja") == "en-GB"
    assert (
        EventAdapter.validate_python(INCIDENT, context={"tz": zone("UTC")}).written_in("ja") is None
    )
    for bad in ("Japanese", "j", "ja_JP", "", "ja-"):
        with pytest.raises(ValidationError, match="not a language tag"):
            EventAdapter.validate_python({**INCIDENT, "language": bad}, context={"tz": zone("UTC")})
