"""edit.py: appends keep every existing byte, read back as intended, and writes are atomic."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.authoring.edit import (
    EditError,
    Snapshot,
    append_section,
    append_update,
    block_scalar,
    create_file,
    replace_file,
    scalar,
)
from generator.core.load import load_file
from generator.core.model import Update
from generator.core.source import compose
from generator.core.times import zone

UTC_ZONE = zone("UTC")
BERLIN = zone("Europe/Berlin")

# --- generated incident files ----------------------------------------------------------

# Whatever a comment may hold that loading takes: no control character, no noncharacter
# (U+FFFE, U+FFFF: core/characters.py refuses them wherever they are written).
comment_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
        blacklist_characters="\ufeff\x85\ufffe\uffff",
    ),
    max_size=20,
)
safe_words = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz ,.!?'é日本", min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s and s[0].isalpha() and s.lower() != "null")
trailing_ws = st.sampled_from(["", " ", "  ", "\t"])


def _quote(text: str, style: str) -> str:
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


@st.composite
def incident_files(draw: Any) -> tuple[bytes, dict[str, Any]]:
    """A valid incident file in some style, and the data it holds."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    dash = draw(st.sampled_from([0, 2, 4]))
    gap = draw(st.sampled_from([1, 3]))
    key = " " * (dash + 1 + gap)
    lines: list[str] = []

    def comment(indent: int = 0) -> None:
        if draw(st.booleans()):
            lines.append(" " * indent + "#" + draw(comment_text))

    def end_comment() -> str:
        return (" #" + draw(comment_text)) if draw(st.booleans()) else draw(trailing_ws)

    comment()
    title = draw(safe_words)
    lines.append(f"title: {_quote(title, draw(st.sampled_from(['plain', 'single', 'double'])))}")
    lines.append("impact: major" + end_comment())
    lines.append("components: [api]" + end_comment())
    lines.append("updates:" + end_comment())
    count = draw(st.integers(1, 3))
    messages = []
    for index in range(count):
        comment(draw(st.sampled_from([0, dash, len(key)])))
        lines.append(
            " " * dash + "-" + " " * gap + f"at: 2026-11-20T09:{10 + index}:00Z" + end_comment()
        )
        status = "resolved" if index == count - 1 and draw(st.booleans()) else "investigating"
        quoted = draw(st.sampled_from(["plain", "single", "double"]))
        lines.append(key + "status: " + _quote(status, quoted) + end_comment())
        text = draw(safe_words)
        style = draw(st.sampled_from(["plain", "single", "double", "block", "folded"]))
        if style in ("block", "folded"):
            step = draw(st.sampled_from([2, 4]))
            chomp = draw(st.sampled_from(["", "-", "+"]))
            lines.append(
                key + f"message: {'|' if style == 'block' else '>'}{chomp}" + end_comment()
            )
            lines.append(key + " " * step + text)
            extra = draw(st.sampled_from(["", "second line"]))
            if extra:
                lines.append(key + " " * step + extra)
            if chomp == "+" and draw(st.booleans()):
                lines.append("")
        else:
            lines.append(key + "message: " + _quote(text, style) + end_comment())
        messages.append(text)
        if draw(st.booleans()):
            lines.append(key + "components: {api: major_outage}" + end_comment())
        if draw(st.booleans()):
            lines.append(
                key + "by: " + _quote("Aiko, SRE", draw(st.sampled_from(["plain", "double"])))
            )
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(st.sampled_from(["", "  ", "# between"])))
    postmortem = draw(st.booleans())
    if postmortem:
        comment()
        lines += [
            "postmortem:",
            "  published_at: 2026-11-21T08:00:00Z",
            "  apology: We are sorry.",
            "  what_happened: Errors.",
            "  why: A bug.",
            "  what_we_did: Rolled back.",
            "  impact: Ten minutes.",
            "  prevention: Tests.",
        ]
        comment(2)
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    return text.encode("utf-8"), {"postmortem": postmortem, "messages": messages}


message_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60
).filter(lambda s: s.strip())
new_updates = st.builds(
    Update,
    at=st.datetimes(
        min_value=datetime(2026, 11, 20, 10),
        max_value=datetime(2026, 11, 30),
        timezones=st.just(BERLIN),
    ),
    status=st.sampled_from(["identified", "monitoring", "resolved"]),
    message=message_text,
    components=st.dictionaries(
        st.sampled_from(["api", "web"]),
        st.sampled_from(["operational", "major_outage"]),
        max_size=2,
    ),
    next_update=st.one_of(st.none(), st.integers(1, 300).map(lambda m: timedelta(minutes=m))),
    by=st.one_of(st.none(), st.text(max_size=20).filter(lambda s: "\x00" not in s)),
)


def _kept_in_order(original: bytes, result: bytes) -> bool:
    """`result` is `original` with one contiguous piece inserted somewhere."""
    prefix = 0
    while prefix < len(original) and original[prefix] == result[prefix]:
        prefix += 1
    rest = original[prefix:]
    return result.endswith(rest) and result[:prefix] == original[:prefix]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incident_files(), new_updates)
def test_append_keeps_every_byte_and_loads_as_expected(
    file: tuple[bytes, dict[str, Any]], update: Update
) -> None:
    raw, facts = file
    before = load_file(Path("incidents/x.yaml"), "incidents/x.yaml", UTC_ZONE, raw=raw)
    assert before.event is not None, before.problems
    result = append_update(raw, update, BERLIN)
    if facts["postmortem"]:
        assert _kept_in_order(raw, result)
    else:
        assert result.startswith(raw)
    after = load_file(Path("incidents/x.yaml"), "incidents/x.yaml", UTC_ZONE, raw=result)
    assert after.event is not None, after.problems
    kept = after.event.updates[:-1]
    assert len(kept) == len(before.event.updates)
    for was, now in zip(before.event.updates, kept, strict=True):
        # A block message that ended the file without a line break gains one.
        assert now.model_copy(update={"message": was.message}) == was
        assert now.message in (was.message, was.message + "\n")
    assert after.event.postmortem == before.event.postmortem
    assert after.event.title == before.event.title
    new = after.event.updates[-1]
    assert new.at == update.at
    assert new.status == update.status
    assert new.message == update.message
    assert new.components == dict(update.components)
    assert new.next_update == update.next_update
    assert new.by == (update.by or None)
    if b"\r\n" in raw:  # the new lines use the file's own line endings
        start = next(
            (i for i, (a, b) in enumerate(zip(raw, result, strict=False)) if a != b), len(raw)
        )
        piece = result[start : start + len(result) - len(raw)]
        assert b"\n" not in piece.replace(b"\r\n", b"")


@given(message_text, st.integers(0, 8), st.integers(1, 4))
def test_block_scalar_holds_the_text_exactly(text: str, key_col: int, step: int) -> None:
    block = block_scalar(text, key_col, step)
    if block is None:
        return  # written double-quoted instead
    doc = " " * key_col + "message: " + "\n".join(block) + "\n"
    data, _ = compose("k:\n" + doc if key_col else doc)
    value = data["k"]["message"] if key_col else data["message"]
    assert value == text


def test_text_starting_with_spaces_gets_an_indentation_indicator() -> None:
    block = block_scalar("  indented code\nnext\n", 4, 2)
    assert block is not None and block[0] == "|2"


@given(st.text(max_size=30))
def test_scalar_reads_back_the_same(text: str) -> None:
    data, _ = compose(f"k: {scalar(text)}\n")
    assert data["k"] == text


def test_scalar_quotes_what_yaml_would_misread() -> None:
    assert scalar("Aiko, on-call SRE") == "Aiko, on-call SRE"
    assert scalar("null") == '"null"'
    assert scalar("a: b") == '"a: b"'
    assert scalar("# x") == '"# x"'


# --- concrete shapes ---------------------------------------------------------------------

BASE = """\
title: API errors
impact: major
components: [api]
updates:
  - at: 2026-11-20T09:14:00Z   # first post
    status: investigating
    message: |
      We're sorry: the API fails.

# keep this comment
postmortem:
  published_at: 2026-11-21T08:00:00Z
  apology: We are sorry.
  what_happened: Errors.
  why: A bug.
  what_we_did: Rolled back.
  impact: Ten minutes.
  prevention: Tests.
"""

UPDATE = Update(
    at=datetime(2026, 11, 20, 11, 0, tzinfo=BERLIN), status="monitoring", message="Better.\n"
)


def test_update_goes_before_a_later_section() -> None:
    result = append_update(BASE.encode(), UPDATE, BERLIN).decode()
    head, tail = result.split("# keep this comment")
    assert tail == BASE.split("# keep this comment")[1]
    assert head.endswith(
        "  - at: 2026-11-20T11:00:00+01:00\n    status: monitoring\n"
        "    message: |\n      Better.\n\n"
    )


def test_file_without_final_newline_gets_one_before_the_update() -> None:
    raw = (
        b"title: x\nimpact: minor\nupdates:\n"
        b"- at: 2026-11-20T09:00Z\n  status: identified\n  message: hi"
    )
    result = append_update(raw, UPDATE, BERLIN)
    assert result.startswith(raw + b"\n- at: 2026-11-20T11:00:00+01:00\n  status: monitoring")


def test_flow_style_update_list_gets_a_flow_item() -> None:
    raw = (
        b"title: x\nimpact: minor\n"
        b'updates: [{at: "2026-11-20T09:00Z", status: identified, message: hi}]\n'
    )
    result = append_update(raw, UPDATE, BERLIN)
    data, _ = compose(result.decode())
    assert data["updates"][-1]["message"] == "Better.\n"
    assert result.startswith(raw[: raw.rindex(b"]")])


def test_byte_order_mark_is_kept() -> None:
    raw = b"\xef\xbb\xbf" + BASE.encode()
    assert append_update(raw, UPDATE, BERLIN).startswith(b"\xef\xbb\xbf")


def test_no_updates_list_is_refused() -> None:
    with pytest.raises(EditError, match="no `updates` list"):
        append_update(b"title: x\n", UPDATE, BERLIN)


def test_broken_yaml_is_refused_with_its_line() -> None:
    with pytest.raises(EditError, match="not valid YAML \\(line 3\\)"):
        append_update(b"title: x\nupdates: [\n", UPDATE, BERLIN)


def test_section_is_appended_after_every_byte() -> None:
    raw = (
        b"title: x\r\nimpact: minor\r\nupdates:\r\n"
        b"- at: 2026-11-20T09:00Z\r\n  status: resolved\r\n  message: ok"
    )
    result = append_section(raw, "postmortem:\n  why: |\n    text\n")
    assert result == raw + b"\r\npostmortem:\r\n  why: |\r\n    text\r\n"


# --- atomic writes -----------------------------------------------------------------------


@pytest.fixture
def incident(tmp_path: Path) -> Path:
    path = tmp_path / "x.yaml"
    path.write_text(BASE, encoding="utf-8")
    path.chmod(0o640)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "x.yaml")


def test_replace_writes_and_keeps_the_mode(incident: Path) -> None:
    snapshot = Snapshot.read(incident)
    replace_file(incident, b"new", snapshot)
    assert incident.read_bytes() == b"new"
    assert incident.stat().st_mode & 0o777 == 0o640
    assert _leftovers(incident.parent) == []


class Boom(OSError):
    pass


def _raise(*_: Any, **__: Any) -> None:
    raise Boom(28, "No space left on device")


@pytest.mark.parametrize("step", ["mkstemp", "write", "fsync", "chmod", "replace"])
def test_a_failure_at_any_step_leaves_the_original(
    incident: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    from generator.authoring import edit
    from generator.core import workfiles

    original = incident.read_bytes()
    if step == "mkstemp":
        monkeypatch.setattr(workfiles.tempfile, "mkstemp", _raise)
    else:
        monkeypatch.setattr(edit.os, step, _raise)
    with pytest.raises(EditError, match="unchanged"):
        replace_file(incident, b"new", Snapshot.read(incident))
    monkeypatch.undo()
    assert incident.read_bytes() == original
    assert _leftovers(incident.parent) == []


def test_an_interrupt_while_writing_leaves_no_temporary_file(
    incident: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.authoring import edit

    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(edit.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        replace_file(incident, b"new", Snapshot.read(incident))
    monkeypatch.undo()
    assert incident.read_text(encoding="utf-8") == BASE
    assert _leftovers(incident.parent) == []


def test_a_concurrent_change_is_detected(incident: Path) -> None:
    snapshot = Snapshot.read(incident)
    incident.write_text(BASE + "# saved by someone else\n", encoding="utf-8")
    with pytest.raises(EditError, match="changed on disk"):
        replace_file(incident, b"new", snapshot)
    assert incident.read_text(encoding="utf-8").endswith("# saved by someone else\n")
    assert _leftovers(incident.parent) == []


def test_a_concurrent_same_size_change_is_detected(incident: Path) -> None:
    snapshot = Snapshot.read(incident)
    stat = incident.stat()
    incident.write_text(BASE.replace("API", "APX"), encoding="utf-8")
    os.utime(incident, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old mtime
    with pytest.raises(EditError, match="changed on disk"):
        replace_file(incident, b"new", snapshot)


def test_create_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    create_file(target, b"one")
    with pytest.raises(EditError, match="already exists"):
        create_file(target, b"two")
    assert target.read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]
