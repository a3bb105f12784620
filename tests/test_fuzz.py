"""Property tests: whatever the bytes, loading and checking give clean, placed problems."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.config import CandorConfig
from generator.core.load import load_file
from generator.core.times import zone
from generator.rules import run_checks

CONFIG = CandorConfig.model_validate(
    {
        "timezone": "Europe/Berlin",
        "components": [{"id": "api", "name": "API"}, {"id": "web", "name": "Web"}],
    }
)
NOW = datetime(2026, 12, 1, tzinfo=UTC)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_clean(raw: bytes) -> None:
    loaded = load_file(Path("incidents/fuzz.yaml"), "incidents/fuzz.yaml", CONFIG.tz, raw)
    problems = run_checks([loaded], CONFIG, NOW)
    text = raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    for p in problems:
        assert p.file == "incidents/fuzz.yaml"
        assert p.message.strip() and p.rule and p.severity in ("error", "warning", "note")
        if p.line is not None:
            assert 1 <= p.line <= len(lines), str(p)
            assert p.column is not None and 1 <= p.column <= len(lines[p.line - 1]) + 1, str(p)
    if loaded.event is None:
        assert any(p.severity == "error" for p in problems)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    assert_clean(raw)


YAMLISH = st.lists(
    st.sampled_from(
        [
            *"abcz09 :-\n\t#&*!|>'\"[]{},?%@`~<>",
            *["title", "impact", "updates", "status", "at", "message", "  ", "\n  - ", "TODO"],
            *["é", "日", "\ufeff", "\r", "\x00", "\u2028", "\x85"],
        ]
    ),
    max_size=80,
).map("".join)


@FUZZ
@given(YAMLISH)
def test_random_yaml_ish_text(text: str) -> None:
    assert_clean(text.encode("utf-8"))


SCALARS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "2026-11-20T09:14Z",
            "2026-03-29T02:30",
            "2026-10-25T02:30",
            "2027-01-01T00:00Z",
            "yesterday",
            "30m",
            "0h",
            "major",
            "resolved",
            "scheduled",
            "in_progress",
            "api",
            "web",
            "nope",
            "TODO fill",
            "<customer name>",
            "[[say sorry]]",
            "",
            "multi\nline TBD\n",
        ]
    ),
    st.text(max_size=20),
)
KEYS = [
    "title",
    "impact",
    "components",
    "started_at",
    "updates",
    "postmortem",
    "kind",
    "scheduled",
    "start",
    "end",
    "at",
    "status",
    "message",
    "next_update",
    "by",
    "published_at",
    "apology",
    "what_happened",
    "why",
    "what_we_did",
    "prevention",
    "action",
    "due",
    "owner",
    "compensation",
    "api",
    "stauts",
]
VALUES: Any = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    ),
    max_leaves=25,
)
DOCUMENTS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8)


@FUZZ
@given(DOCUMENTS, st.sampled_from(["|", ">", None]), st.booleans())
def test_random_structured_documents(doc: dict[str, Any], style: str | None, flow: bool) -> None:
    def represent(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        use = style if style and "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=use)

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(str, represent)
    text = yaml.dump(doc, Dumper=Dumper, allow_unicode=True, default_flow_style=flow)
    assert_clean(text.encode("utf-8"))


@FUZZ
@given(
    st.sampled_from(["investigating", "identified", "monitoring", "resolved"]),
    st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1)),
            st.sampled_from(["investigating", "resolved", "bogus"]),
            st.sampled_from(
                ["", "    next_update: 30m\n", "    components: {api: major_outage}\n"]
            ),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_random_valid_shaped_incidents(impact_status: str, updates: list[Any]) -> None:
    text = "title: Fuzz\nimpact: major\ncomponents: [api]\nupdates:\n"
    for at, status, extra in updates:
        text += f"  - at: {at.isoformat(timespec='minutes')}\n    status: {status}\n"
        text += f"    message: {impact_status} TODO\n{extra}"
    assert_clean(text.encode("utf-8"))


def test_zone_is_berlin() -> None:
    # The properties run in a zone with DST so that naive times can be refused.
    assert CONFIG.tz == zone("Europe/Berlin")
