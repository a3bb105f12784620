"""The position-keeping YAML reader: data as text, and where each key and value is."""

from __future__ import annotations

import pytest

from generator.source import SourceError, compose

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


def test_text_pos_points_inside_block_strings() -> None:
    _, source = compose(TEXT)
    assert source.text_pos(("updates", 0, "message"), "TODO") == (11, 14)
    assert source.text_pos(("updates", 1, "message"), "TBD") == (15, 12)
    # Not found: the value's own place.
    assert source.text_pos(("updates", 1, "message"), "absent") == (13, 14)


def test_text_pos_nth_occurrence_stays_inside_the_value() -> None:
    _, source = compose("a: TODO\nb: |\n  x TODO\n  y TODO\n")
    assert source.text_pos(("b",), "TODO") == (3, 5)
    assert source.text_pos(("b",), "TODO", 1) == (4, 5)
    assert source.text_pos(("b",), "TODO", 2) == (2, 4)


def test_line_col_counts_characters_not_bytes() -> None:
    _, source = compose("title: 日本語 TODO\n")
    assert source.text_pos(("title",), "TODO") == (1, 12)


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
