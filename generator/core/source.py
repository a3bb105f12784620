"""YAML text → plain Python data, keeping the place of every key and value.

Only plain YAML is accepted: anchors, aliases, tags and several documents are refused, and a
key given twice is an error (YAML would silently keep the last). Scalars stay text: the model
parses timestamps and numbers itself, so `title: 404` is a title, not a number.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from generator.core.characters import NOT_TEXT, describe, escaped_controls
from generator.core.scalars import Places, places, source_index

try:
    # The bare parser: only its events are used, so no constructor or resolver is set up.
    _Loader: type = yaml.cyaml.CParser  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - libyaml is optional in PyYAML
    _Loader = yaml.SafeLoader

KeyPath = tuple[str | int, ...]
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(slots=True)
class Span:
    # Slots and no freezing: one is made for every key and value of every file.
    index: int  # character offset of the node's first character
    end: int  # character offset just past the node
    style: str | None = None  # None plain, "'", '"', "|", ">", or "map"/"seq"


class SourceError(Exception):
    """The text is not plain YAML. `index` is a character offset, or None for no place."""

    def __init__(self, rule: str, message: str, hint: str, index: int | None) -> None:
        super().__init__(message)
        self.rule, self.message, self.hint, self.index = rule, message, hint, index


@dataclass
class SourceMap:
    text: str
    values: dict[KeyPath, Span] = field(default_factory=dict)
    keys: dict[KeyPath, Span] = field(default_factory=dict)

    @cached_property
    def _line_starts(self) -> list[int]:
        # Only a reported problem needs line numbers: most files never build this table.
        starts = [0]
        text = self.text
        pos = text.find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        return starts

    def line_col(self, index: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect.bisect_right(self._line_starts, index) - 1
        return line + 1, index - self._line_starts[line] + 1

    def nearest(self, path: KeyPath) -> tuple[KeyPath, Span]:
        """The deepest node on `path` that exists (the document itself at worst)."""
        while path not in self.values and path:
            path = path[:-1]
        return path, self.values.get(path, Span(0, 0, "map"))

    def value_pos(self, path: KeyPath) -> tuple[int, int]:
        found, span = self.nearest(path)
        if not found:
            return (1, 1)
        return self.line_col(span.index)

    def mapping_pos(self, path: KeyPath) -> tuple[int, int]:
        """Where the mapping at `path` starts; line 1 for the document itself (SPEC §4)."""
        return self.value_pos(path) if path else (1, 1)

    def key_pos(self, path: KeyPath) -> tuple[int, int]:
        """Where the key of `path` is written; the value's place if it has no key."""
        if path in self.keys:
            return self.line_col(self.keys[path].index)
        return self.value_pos(path)

    def offset_pos(self, path: KeyPath, value: str, offset: int) -> tuple[int, int]:
        """Where `value[offset]` is written, `value` being the text at `path`: inside a block
        (`|`, `>`) or a quoted or multi-line text at that very character, however the
        lines are indented or folded; the value's start when it cannot be placed."""
        span = self.values.get(path)
        if span is None or span.style in ("map", "seq"):
            return self.value_pos(path)
        key = (path, value)
        if key not in self._places:
            self._places[key] = places(self.text, span.index, span.end, span.style, value)
        found = self._places[key]
        index = source_index(found, offset) if found is not None else None
        return self.line_col(span.index if index is None else index)

    @cached_property
    def _places(self) -> dict[tuple[KeyPath, str], Places | None]:
        # A value with problems is often asked for several places (a misspelt word per
        # line): its characters are paired with the source once.
        return {}

    def line_text(self, line: int) -> str:
        begin = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[begin:end]


def compose(text: str, *, allow_tags: bool = False) -> tuple[Any, SourceMap]:
    """Parse one YAML document into data and the places of its nodes."""
    source = SourceMap(text)
    try:
        # Every event first: a syntax error anywhere wins over what composing would report.
        events = _events(text)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, source) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks
        raise SourceError("yaml-syntax", f"not valid YAML: {exc}", "", 0) from None
    return _document(iter(events).__next__, source, allow_tags), source


def compose_deferred(text: str) -> tuple[Any, SourceMap]:
    """`compose`, with the places of the nodes found only when something asks for one.

    A file without problems never needs a place, and keeping one for every key and value is
    half the cost of reading it. Same data, same errors, same places as `compose`.
    """
    try:
        events = _events(text)
        data = _data(iter(events).__next__)
    except (yaml.YAMLError, _NotPlain):
        return compose(text)  # it raises the error, with its exact place and wording
    return data, deferred(text)


def deferred(text: str) -> SourceMap:
    """The places of the nodes of `text`, a document `compose` accepts, found only when
    something asks for one."""
    return _DeferredSourceMap(text)


class _DeferredSourceMap(SourceMap):
    def __init__(self, text: str) -> None:  # no places yet: `__getattr__` finds them
        self.text = text

    def __getattr__(self, name: str) -> Any:
        if name not in ("values", "keys"):
            raise AttributeError(name)
        _, source = compose(self.text)
        self.values, self.keys = source.values, source.keys
        return getattr(self, name)


class _NotPlain(Exception):
    """Something `compose` refuses: it is run to report it."""


def _data(next_event: Any) -> Any:
    next_event()  # StreamStart
    event = next_event()
    if type(event) is _StreamEnd:
        return None
    data = _plain(next_event, next_event())
    next_event()  # DocumentEnd
    if type(next_event()) is not _StreamEnd:
        raise _NotPlain
    return data


def _plain(next_event: Any, event: Any) -> Any:
    """What `_Composer.node` returns, without the places; _NotPlain where it raises."""
    kind = type(event)
    if kind is _Scalar:
        style = event.style or None
        tag = event.tag
        if event.anchor or (tag and not (tag == "!" and style)):
            raise _NotPlain
        value = event.value
        if style is None and not tag and value in NULL_WORDS:
            return None
        return value
    if (kind is not _MapStart and kind is not _SeqStart) or event.anchor or event.tag:
        raise _NotPlain  # an alias, an anchor or a tag
    if kind is _MapStart:
        mapping: dict[str, Any] = {}
        key_event: Any = next_event()
        while type(key_event) is not _MapEnd:
            if type(key_event) is not _Scalar or key_event.value in mapping:
                raise _NotPlain  # a key that is not text, or a key given twice
            event = next_event()
            if type(event) is _Scalar and not event.anchor and not event.tag:
                value = event.value  # a scalar, the commonest value: no call
                if not event.style and value in NULL_WORDS:
                    value = None
            else:
                value = _plain(next_event, event)
            mapping[key_event.value] = value
            key_event = next_event()
        return mapping
    items: list[Any] = []
    item: Any = next_event()
    while type(item) is not _SeqEnd:
        items.append(_plain(next_event, item))
        item = next_event()
    return items


def _events(text: str) -> list[Any]:
    # Every event up to the parser's None after the end of the stream, collected in C:
    # no generator as in `yaml.parse`, no Python step per event.
    loader = _Loader(text)
    events = list(iter(loader.get_event, None))
    loader.dispose()
    return events


# Typed Any: compared by identity, they must not narrow what the parser hands out.
_Scalar: Any = yaml.ScalarEvent
_SeqStart: Any = yaml.SequenceStartEvent
_SeqEnd: Any = yaml.SequenceEndEvent
_MapStart: Any = yaml.MappingStartEvent
_MapEnd: Any = yaml.MappingEndEvent
_StreamEnd: Any = yaml.StreamEndEvent


def _at(mark: Any) -> int:
    return int(mark.index) if mark is not None else 0


def _document(next_event: Any, source: SourceMap, allow_tags: bool) -> Any:
    next_event()  # StreamStart
    event = next_event()
    if isinstance(event, yaml.StreamEndEvent):
        return None
    data = _Composer(next_event, source, allow_tags).node(next_event(), ())
    next_event()  # DocumentEnd
    event = next_event()
    if isinstance(event, yaml.DocumentStartEvent):
        raise SourceError(
            "multiple-documents",
            "the file holds several YAML documents (a second `---` starts one here)",
            "keep one incident per file: move the second document to a file of its own",
            _at(event.start_mark),
        )
    return data


class _Composer:
    # A class, not a closure: a recursive closure is a reference cycle, and `load_dir` turns
    # the cycle collector off, so it would keep every file's events alive.
    __slots__ = ("allow_tags", "keys", "next", "source", "values")

    def __init__(self, next_event: Any, source: SourceMap, allow_tags: bool) -> None:
        self.next, self.source, self.allow_tags = next_event, source, allow_tags
        self.values, self.keys = source.values, source.keys

    # Event types compared by identity: this runs once per node of every file, so its
    # per-call cost is most of `candor check`.
    def node(self, event: Any, path: KeyPath) -> Any:
        kind = type(event)
        next_event, allow_tags = self.next, self.allow_tags
        if kind is _Scalar:
            if event.anchor:
                raise _anchor_error(event)
            tag = event.tag
            style = event.style or None  # libyaml says "" for plain, pure-Python PyYAML None
            if tag and not allow_tags and not (tag == "!" and style):
                raise _tag_error(event)
            self.values[path] = Span(event.start_mark.index, event.end_mark.index, style)
            value = event.value
            if style is None and not tag and value in NULL_WORDS:
                return None
            return value
        if kind is _MapStart:
            if event.anchor:
                raise _anchor_error(event)
            if event.tag and not allow_tags:
                raise _tag_error(event)
            mapping: dict[str, Any] = {}
            keys = self.keys
            key_event: Any = next_event()
            while type(key_event) is not _MapEnd:
                if type(key_event) is not _Scalar:
                    raise SourceError(
                        "yaml-syntax",
                        "a key must be plain text, not a list or mapping",
                        "write `key: value` with a simple key",
                        _at(key_event.start_mark),
                    )
                key = key_event.value
                key_path = (*path, key)
                if key in mapping:
                    raise _duplicate_error(key, keys[key_path].index, key_event, self.source)
                keys[key_path] = Span(key_event.start_mark.index, key_event.end_mark.index)
                mapping[key] = self.node(next_event(), key_path)
                key_event = next_event()
            self.values[path] = Span(event.start_mark.index, key_event.end_mark.index, "map")
            return mapping
        if kind is _SeqStart:
            if event.anchor:
                raise _anchor_error(event)
            if event.tag and not allow_tags:
                raise _tag_error(event)
            items: list[Any] = []
            item: Any = next_event()
            while type(item) is not _SeqEnd:
                items.append(self.node(item, (*path, len(items))))
                item = next_event()
            self.values[path] = Span(event.start_mark.index, item.end_mark.index, "seq")
            return items
        if isinstance(event, yaml.AliasEvent):
            raise SourceError(
                "anchor",
                f"alias `*{event.anchor}`: anchors and aliases are not allowed",
                "write the value out in full; incident files are plain YAML",
                _at(event.start_mark),
            )
        raise SourceError(  # pragma: no cover - the parser yields nothing else here
            "yaml-syntax", "unexpected YAML structure", "", _at(event.start_mark)
        )


def _anchor_error(event: Any) -> SourceError:
    return SourceError(
        "anchor",
        f"anchor `&{event.anchor}`: anchors and aliases are not allowed",
        "remove the anchor and write values out in full; incident files are plain YAML",
        _at(event.start_mark),
    )


def _tag_error(event: Any) -> SourceError:
    shown = event.tag.replace("tag:yaml.org,2002:", "!!")
    return SourceError(
        "tag",
        f"tag `{shown}`: YAML tags are not allowed",
        "remove the tag; write the value as plain text",
        _at(event.start_mark),
    )


def _duplicate_error(key: str, first: int, key_event: Any, source: SourceMap) -> SourceError:
    line, _ = source.line_col(first)
    return SourceError(
        "duplicate-key",
        f"key `{key}` appears twice in the same mapping (first on line {line})",
        "keep one of them: YAML would silently use only the last",
        _at(key_event.start_mark),
    )


_HINTS = {
    "could not find expected ':'": "check the indentation of this line and the line above",
    "did not find expected key": "check the indentation: keys of one mapping line up",
    "found undefined alias": "anchors and aliases are not allowed; write the value out",
    "did not find expected '-' indicator": "check the indentation of this list item",
    "found unexpected end of stream": "a quote or bracket is not closed",
    "found character that cannot start any token": (
        "quote the value; characters such as @ and ` cannot start plain text"
    ),
}


def _syntax_error(exc: yaml.MarkedYAMLError, source: SourceMap) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    index = mark.index if mark is not None else 0
    tab = _tab_indentation(source, index)
    if tab is not None:
        return SourceError(
            "tab-indentation",
            "a tab is used for indentation",
            "indent with spaces; YAML does not allow tabs there",
            tab,
        )
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    hint = next((h for key, h in _HINTS.items() if key in problem), "")
    if "mapping values are not allowed" in problem:
        hint = _colon_hint(source, index)
    if not hint:
        hint = "check quotes, colons and indentation on this line"
    return SourceError("yaml-syntax", message, hint, index)


def _colon_hint(source: SourceMap, index: int) -> str:
    """How to write the value holding `: ` on the error's line, shown with its own key: the
    same advice fits an incident's title, a long message and mkdocs.yml's `site_name`."""
    line, column = source.line_col(index)
    written = source.line_text(line)
    # The line's own key comes before the `: ` the parser stopped at; without one, the line
    # goes on a value from the lines above.
    has_key = -1 < written.find(": ") < column - 1
    key, _, value = written.strip().removeprefix("- ").partition(": ")
    value = value.split(" #")[0].strip()  # ` #` starts a comment after a plain value
    quote = "'" if "'" not in value else '"' if '"' not in value and "\\" not in value else ""
    if not has_key or not value or not quote or not re.fullmatch(r"[\w.-]+", key):
        return "a value contains ': '; put the value in quotes"
    if len(value) > 40:  # a long text reads best as a block, in any file
        return (
            f"a value contains ': '; put it in quotes ({quote}…{quote}) or write it as a block "
            f"(`{key}: |` and the text on the lines below, indented)"
        )
    return f"a value contains ': '; put it in quotes: `{key}: {quote}{value}{quote}`"


def _tab_indentation(source: SourceMap, error_index: int) -> int | None:
    """The first tab in leading white space at or before the error's line, if any."""
    line, _ = source.line_col(error_index)
    for number in range(1, line + 1):
        text = source.line_text(number)
        stripped = text.lstrip(" \t")
        lead = text[: len(text) - len(stripped)]
        if "\t" in lead:
            begin = source._line_starts[number - 1]
            return begin + lead.index("\t")
    return None


def texts(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """(path, text) of every string value in composed data."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from texts(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from texts(value, (*path, index))


def escaped_control_characters(
    data: Any, source: SourceMap
) -> Iterator[tuple[KeyPath, tuple[int, int], str, str]]:
    """(path, line and column, as written, the character) of each control character a text
    value holds: YAML reads them only from escapes (`"\\x1b[31m"`), so each is placed at
    its escape (at the value when the escape cannot be found)."""
    for path, value in texts(data):
        if not NOT_TEXT.search(value):
            continue
        span = source.values.get(path)
        hits = escaped_controls(source.text[span.index : span.end]) if span else []
        if not hits:
            char = NOT_TEXT.findall(value)[0]
            hits = [(-1, describe(char), char)]
        for offset, written, char in hits:
            where = source.line_col(span.index + offset) if span and offset >= 0 else None
            yield path, where or source.value_pos(path), written, char
