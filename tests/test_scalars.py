"""Where a character of a text value is written in its file, for every YAML style."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.scalars import places, source_index
from generator.core.source import compose


def where(text: str, path: tuple[str | int, ...], needle: str, nth: int = 0) -> tuple[int, int]:
    """The line and column `offset_pos` gives for the nth `needle` of the value at `path`."""
    data, source = compose(text)
    value = data
    for key in path:
        value = value[key]
    offset = -1
    for _ in range(nth + 1):
        offset = value.index(needle, offset + 1)
    return source.offset_pos(path, value, offset)


@pytest.mark.parametrize("indicator", ["|", "|-", "|+", "|2", "| # a comment: TODO"])
def test_literal_block_places_a_match_that_runs_over_a_line_break(indicator: str) -> None:
    text = f"message: {indicator}\n  We are sorry: about [[ how many, e.g. one in\n  ten ]] fail.\n"
    assert where(text, ("message",), "[[") == (2, 23)
    assert where(text, ("message",), "ten") == (3, 3)


def test_literal_block_keeps_more_indented_lines_and_blank_lines() -> None:
    text = "a:\n  b: |\n    first\n\n      code TODO\n    \n    then TODO\n"
    assert where(text, ("a", "b"), "TODO") == (5, 12)
    assert where(text, ("a", "b"), "TODO", 1) == (7, 10)


@pytest.mark.parametrize("indicator", [">", ">-", ">+"])
def test_folded_block_places_each_character_on_its_own_line(indicator: str) -> None:
    text = f"message: {indicator}\n  one [[ a prompt\n  that goes on ]]\n\n  TODO last\n"
    data, _ = compose(text)
    assert "[[ a prompt that goes on ]]" in data["message"]  # folded: the break is a space
    assert where(text, ("message",), "[[") == (2, 7)
    assert where(text, ("message",), "that") == (3, 3)
    assert where(text, ("message",), "TODO") == (5, 3)


def test_plain_single_line_value() -> None:
    assert where("title: Outage TODO here\n", ("title",), "TODO") == (1, 15)
    assert where("- title: 日本語 TODO\n", (0, "title"), "TODO") == (1, 14)


def test_plain_and_quoted_values_over_several_lines() -> None:
    plain = "title: Outage in\n  <region> today\n"
    assert where(plain, ("title",), "<region>") == (2, 3)
    single = "title: 'It''s\n  <region>'\n"
    assert where(single, ("title",), "<region>") == (2, 3)
    double = 'title: "a \\"quoted\\" \\\n  <region>"\n'
    assert where(double, ("title",), "<region>") == (2, 3)


def test_escapes_are_placed_at_their_backslash() -> None:
    text = 'title: "caf\\u00e9 \\x54ODO and TODO"\n'
    assert where(text, ("title",), "é") == (1, 12)
    assert where(text, ("title",), "TODO") == (1, 19)
    assert where(text, ("title",), "TODO", 1) == (1, 31)


def test_white_space_is_placed_at_the_next_character_and_at_the_value_without_one() -> None:
    text = "message: |\n  one\n  two\n"
    data, source = compose(text)
    assert source.offset_pos(("message",), data["message"], 3) == (3, 3)  # the break: at `two`
    assert source.offset_pos(("message",), data["message"], 7) == (1, 10)  # the last break


def test_a_value_the_source_does_not_read_as_falls_back_to_its_start() -> None:
    _, source = compose("title: Outage here\n")
    assert source.offset_pos(("title",), "Something else", 3) == (1, 8)
    assert places("title: Outage\n", 7, 13, None, "Other") is None
    assert source_index(([0, 2], [10, 12]), 5) is None


def test_a_path_that_is_not_a_text_falls_back_to_the_nearest_value() -> None:
    _, source = compose("a:\n  - x\n")
    assert source.offset_pos(("a",), "x", 0) == (2, 3)
    assert source.offset_pos(("a", 5), "x", 0) == (2, 3)


# Lines of a literal block: any text YAML allows in a file (no control characters, surrogates,
# noncharacters or line breaks of its own); a line may start with white space, which it keeps.
_LINE = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff"
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(_LINE, min_size=1, max_size=6),
    indent=st.integers(min_value=1, max_value=6),
    nested=st.booleans(),
    chomp=st.sampled_from(["", "-", "+"]),
    data=st.data(),
)
def test_every_character_of_a_literal_block_is_placed_where_it_is_written(
    lines: list[str], indent: int, nested: bool, chomp: str, data: st.DataObject
) -> None:
    # The first line may not start with white space (it would set the indentation).
    lines[0] = "x" + lines[0]
    pad = " " * indent
    head = "updates:\n  - message: " if nested else "message: "
    base = " " * 4 if nested else ""
    body = "".join(f"{base}{pad}{line}\n" if line.strip() else "\n" for line in lines)
    text = f"{head}|{chomp}\n{body}"
    value, source = compose(text)
    path: tuple[str | int, ...] = ("updates", 0, "message") if nested else ("message",)
    for key in path:
        value = value[key]
    assert isinstance(value, str)
    visible = [i for i, char in enumerate(value) if not char.isspace()]
    offset = data.draw(st.sampled_from(visible))
    line, column = source.offset_pos(path, value, offset)
    assert source.line_text(line)[column - 1] == value[offset]
    # The very character: as many of it before it in the value as before it in the block.
    start = text.index("\n", text.index("|")) + 1
    index = source._line_starts[line - 1] + column - 1
    assert text[start:index].count(value[offset]) == value[:offset].count(value[offset])
