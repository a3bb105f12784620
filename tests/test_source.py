"""The position-keeping YAML reader: data as text, and where each key and value is."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.source import SourceError, compose, compose_deferred

TEXT = """\
title: "Quoted: title"
impact: major
count: 404
empty:
tilde: ~
flags: [yes, no, on]
updates:
  - at: 2026-11-20T09:14:00Z
    message: |
      First line
      second TODO line
  - at: 2026-11-20T10:00:00Z
    message: >
      Folded text
      with TBD in it
"""


def test_scalars_stay_text_and_nulls_are_none() -> None:
    data, _ = compose(TEXT)
    assert data["title"] == "Quoted: title" and data["count"] == "404"
    assert data["empty"] is None and data["tilde"] is None
    assert data["flags"] == ["yes", "no", "on"]
    assert data["updates"][0]["at"] == "2026-11-20T09:14:00Z"
    assert data["updates"][0]["message"] == "First line\nsecond TODO line\n"
    assert data["updates"][1]["message"] == "Folded text with TBD in it\n"


def test_quoted_null_words_are_text() -> None:
    data, _ = compose('a: "null"\nb: \'~\'\nc: ""\n')
    assert data == {"a": "null", "b": "~", "c": ""}


def test_positions_of_keys_and_values() -> None:
    _, source = compose(TEXT)
    assert source.key_pos(("impact",)) == (2, 1)
    assert source.value_pos(("impact",)) == (2, 9)
    assert source.value_pos(("updates", 1, "at")) == (12, 9)
    assert source.key_pos(("updates", 1, "message")) == (13, 5)
    assert source.value_pos(("flags", 2)) == (6, 18)
    assert source.mapping_pos(("updates", 0)) == (8, 5)
    assert source.mapping_pos(()) == (1, 1)
    # A path that does not exist falls back to the deepest one that does.
    assert source.value_pos(("updates", 0, "status")) == (8, 5)
    assert source.value_pos(("nothing",)) == (1, 1)


def offset_of(text: str, path: tuple[str | int, ...], needle: str, nth: int = 0) -> tuple[int, int]:
    data, source = compose(text)
    for key in path:
        data = data[key]
    offset = -1
    for _ in range(nth + 1):
        offset = data.index(needle, offset + 1)
    return source.offset_pos(path, data, offset)


def test_offset_pos_points_inside_block_strings() -> None:
    assert offset_of(TEXT, ("updates", 0, "message"), "TODO") == (11, 14)
    assert offset_of(TEXT, ("updates", 1, "message"), "TBD") == (15, 12)


def test_offset_pos_nth_occurrence_stays_inside_the_value() -> None:
    text = "a: TODO\nb: |\n  x TODO\n  y TODO\n"
    assert offset_of(text, ("b",), "TODO") == (3, 5)
    assert offset_of(text, ("b",), "TODO", 1) == (4, 5)


def test_line_col_counts_characters_not_bytes() -> None:
    assert offset_of("title: 日本語 TODO\n", ("title",), "TODO") == (1, 12)


@pytest.mark.parametrize(
    ("text", "rule", "index"),
    [
        ("a: &x 1\n", "anchor", 3),
        ("a: 1\nb: *x\n", "anchor", 8),
        ("a: !!str 1\n", "tag", 3),
        ("a: !!python/object:os.system 1\n", "tag", 3),
        ("a: 1\n---\nb: 2\n", "multiple-documents", 5),
        ("a: 1\nb: 2\na: 3\n", "duplicate-key", 10),
        ("a:\n\t- 1\n", "tab-indentation", 3),
        ("? [a]\n: 1\n", "yaml-syntax", 2),
        ("a: b: c\n", "yaml-syntax", 4),
    ],
)
def test_refusals_carry_rule_and_place(text: str, rule: str, index: int) -> None:
    with pytest.raises(SourceError) as info:
        compose(text)
    assert (info.value.rule, info.value.index) == (rule, index)
    assert info.value.message and info.value.hint


def test_tags_allowed_for_mkdocs_config() -> None:
    data, _ = compose("x: !!python/name:material.extensions.emoji.twemoji\n", allow_tags=True)
    assert data == {"x": ""}  # the name is in the tag; mkdocs resolves it, Candor ignores it


def test_a_leading_document_marker_and_empty_text() -> None:
    assert compose("---\na: 1\n")[0] == {"a": "1"}
    assert compose("")[0] is None
    assert compose("# comment\n")[0] is None


# The deferred reader (data first, places on demand) must agree with `compose` on every text:
# the same data, the same places once asked for, and the same error, word for word.
_PIECES = st.sampled_from(
    [
        *"ab: -\n\t#&*!|>'\"[]{},?%\\",
        *["title", "key", "  ", "\n  - ", "\n  ", "---\n", "...\n", "~", "null", "&a ", "*a"],
        *["!!str ", "! ", "é", "\r", "\u2028", "\x85"],
    ]
)
_SCALARS = st.one_of(
    st.none(), st.sampled_from(["", "~", "null", "x: y", "a\nb\n", "1"]), st.text()
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["a", "b", "c"]), inner)
    ),
    max_leaves=15,
)


def _outcome(reader: Any, text: str) -> Any:
    try:
        data, source = reader(text)
    except SourceError as exc:
        return ("error", exc.rule, exc.message, exc.hint, exc.index)
    return ("data", data, source.values, source.keys, source.value_pos(("a",)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_deferred_places_agree_on_yaml_ish_text(text: str) -> None:
    assert _outcome(compose_deferred, text) == _outcome(compose, text)


@settings(max_examples=200, deadline=None)
@given(_DOCS, st.sampled_from([None, "|", '"', "'"]), st.booleans())
def test_deferred_places_agree_on_documents(doc: Any, style: str | None, flow: bool) -> None:
    text = yaml.safe_dump(doc, default_style=style, default_flow_style=flow, allow_unicode=True)
    assert _outcome(compose_deferred, text) == _outcome(compose, text)
    dup = "a: 1\nb:\n  c: 2\n  c: 3\n"
    assert _outcome(compose_deferred, text + dup) == _outcome(compose, text + dup)
