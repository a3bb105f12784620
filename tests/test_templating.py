"""What every page template gets (generator/outputs/templating.py): here, the incidents' rows
that `candor serve` keeps from one rebuild to the next, and labels filled with markup."""

from __future__ import annotations

import pickle
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from generator.outputs.templating import KeptRows, format_label


class Maker:
    """Renders a row as the `event_item` macro would, counting how often it is asked."""

    def __init__(self, text: str = "row") -> None:
        self.text = text
        self.made: list[str] = []

    def __call__(self, ev: Any) -> Markup:
        self.made.append(ev.id)
        return Markup(f"<li>{self.text} {ev.id}</li>")


def ev(event_id: str) -> Any:
    return SimpleNamespace(id=event_id)


def test_a_row_is_made_once_per_incident_key_and_page() -> None:
    rows, make = KeptRows(), Maker()
    rows.begin("site", {"a": "key-a", "b": "key-b"})
    assert rows.row(ev("a"), "history/", make) == Markup("<li>row a</li>")
    rows.row(ev("a"), "history/", make)
    rows.row(ev("a"), "", make)  # another page: its links differ
    rows.row(ev("b"), "history/", make)
    assert make.made == ["a", "a", "b"]


def test_the_next_build_of_the_same_site_reuses_the_rows_whose_incident_did_not_change() -> None:
    rows, first = KeptRows(), Maker("old")
    rows.begin("site", {"a": "key-a", "b": "key-b"})
    rows.row(ev("a"), "history/", first)
    rows.row(ev("b"), "history/", first)

    second = Maker("new")
    rows.begin("site", {"a": "key-a", "b": "key-b2"})  # b was edited
    assert rows.row(ev("a"), "history/", second) == Markup("<li>old a</li>")
    assert rows.row(ev("b"), "history/", second) == Markup("<li>new b</li>")
    assert second.made == ["b"]


def test_another_site_key_or_no_key_keeps_nothing() -> None:
    rows, first = KeptRows(), Maker()
    rows.begin("site", {"a": "key-a"})
    rows.row(ev("a"), "history/", first)

    rows.begin("other site", {"a": "key-a"})  # settings, theme or Candor changed
    again = Maker()
    rows.row(ev("a"), "history/", again)
    assert again.made == ["a"]

    rows.begin("", {})  # no build cache: nothing is keyed
    uncached = Maker()
    rows.row(ev("a"), "history/", uncached)
    rows.row(ev("a"), "history/", uncached)
    assert uncached.made == ["a", "a"]


def test_rows_of_a_deleted_incident_are_dropped_at_the_next_build() -> None:
    rows, make = KeptRows(), Maker()
    rows.begin("site", {"a": "key-a", "b": "key-b"})
    rows.row(ev("a"), "history/", make)
    rows.row(ev("b"), "history/", make)
    rows.begin("site", {"a": "key-a"})
    rows.row(ev("a"), "history/", make)  # b deleted: its row is not shown
    rows.begin("site", {"a": "key-a", "b": "key-b"})  # b back, as it was
    rows.row(ev("b"), "history/", make)
    assert make.made == ["a", "b", "b"]


def test_rows_stay_through_builds_that_take_their_page_from_the_cache() -> None:
    """A build whose list pages all come from the build cache asks for no row; the build
    after it, which renders a page again for one changed incident, makes that row only."""
    first, make = KeptRows(), Maker()
    first.begin("site", {"a": "key-a", "b": "key-b"})
    first.row(ev("a"), "history/", make)
    first.row(ev("b"), "history/", make)

    quiet = KeptRows()  # the next build, in another process: every page cached
    quiet.begin("site", {"a": "key-a", "b": "key-b"}, first.export())

    edited = KeptRows()
    edited.begin("site", {"a": "key-a", "b": "key-b2"}, quiet.export())
    assert edited.row(ev("a"), "history/", make) == Markup("<li>row a</li>")
    edited.row(ev("b"), "history/", make)
    assert make.made == ["a", "b", "b"]
    # In one process (`candor serve`) as well.
    make.made.clear()
    edited.begin("site", {"a": "key-a", "b": "key-b2"})
    edited.begin("site", {"a": "key-a", "b": "key-b3"})
    edited.row(ev("a"), "history/", make)
    edited.row(ev("b"), "history/", make)
    assert make.made == ["b"]


def test_rows_pass_to_a_build_in_another_process_of_the_same_site() -> None:
    first = KeptRows()
    first.begin("site", {"a": "key-a"})
    first.row(ev("a"), "history/", Maker("old"))

    second, make = KeptRows(), Maker("new")
    second.begin("site", {"a": "key-a"}, first.export())
    assert second.row(ev("a"), "history/", make) == Markup("<li>old a</li>")
    assert make.made == []


def test_rows_from_another_process_that_cannot_be_read_are_made_again() -> None:
    wrong_shapes = (
        [3],
        {"a": 1},
        {("key-a", "history/"): 5},
        {"key-a": "<li>a</li>"},
        {(): "<li>a</li>"},
        {(("key-a",), "history/"): "<li>a</li>"},
        {("key-a", "history/", "x"): "<li>a</li>"},
    )
    unreadable = [b"", b"{", b"\xff", pickle.dumps({("key-a", "history/"): "x"})[:-3]]
    for damaged in unreadable + [pickle.dumps(shape) for shape in wrong_shapes]:
        rows, make = KeptRows(), Maker()
        rows.begin("site", {"a": "key-a"}, damaged)
        rows.row(ev("a"), "history/", make)
        assert make.made == ["a"], damaged


_PIECE = st.sampled_from(["Next update ", "<b>", " & ", '"', "'", "{{", "}}", "時刻 ", ""])
_FIELD = st.sampled_from(["{time}", "{name}", "{0}", "{time!r}", "{name:>8}", "{time.x}", "{"])
_VALUE = st.one_of(
    st.sampled_from([Markup('<time datetime="x">10:14</time>'), Markup("a &amp; b")]),
    st.text(alphabet="<>&\"'ab {}", max_size=6),
    st.integers(),
)


@given(st.lists(st.one_of(_PIECE, _FIELD), max_size=6), _VALUE, _VALUE)
def test_a_label_is_filled_as_markup_format_fills_it(
    parts: list[str], time: Any, name: Any
) -> None:
    """The quick way for bare `{name}` fields gives what Markup.format gives, and any other
    label (positional, with a format or a conversion, broken braces) goes the formatter's way,
    errors included."""
    text = "".join(parts)
    values = {"time": time, "name": name}
    try:
        expected: Any = Markup(escape(text)).format(**values)
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
        with pytest.raises(type(exc)):
            format_label(text, values)
        return
    found = format_label(text, values)
    assert isinstance(found, Markup) and found == expected
