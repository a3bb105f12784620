"""Incident files → models, every problem with its file, line and column.

A file with a problem at the YAML level (syntax, tabs, anchors, tags, several documents,
encoding, size, emptiness) gets that one error and no others: what follows would be noise.
"""

from __future__ import annotations

import gc
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from generator.core.characters import describe, escaped_controls, raw_controls
from generator.core.errors import Problem
from generator.core.files import NotRegularFile, read_regular
from generator.core.model import KINDS, Event, EventAdapter, Incident, Maintenance
from generator.core.source import (
    SourceError,
    SourceMap,
    compose_deferred,
    escaped_control_characters,
)
from generator.core.validation import did_you_mean, field_name, shown, translate

MAX_BYTES = 1024 * 1024
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SUFFIXES = (".yaml", ".yml")
# One file full of pasted terminal output would bury every other problem.
MAX_CONTROLS = 20
CONTROL_HINT = (
    "delete it: control characters (colour codes pasted from a log, a bell, a stray NUL) "
    "are not text and would reach readers' feeds and terminals"
)


@dataclass
class LoadedFile:
    """One incident file: its model when it validated, and where each value was written."""

    path: Path
    rel: str
    id: str
    event: Event | None = None
    source: SourceMap | None = None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)

    def error(self, rule: str, message: str, hint: str, pos: tuple[int, int] | None) -> None:
        line, column = pos if pos else (None, None)
        self.problems.append(Problem(self.rel, line, column, "error", rule, message, hint))


def discover(incidents_dir: Path) -> list[Path]:
    """Every `.yaml`/`.yml` file directly in the folder, in a stable order."""
    if not incidents_dir.is_dir():
        return []
    # By name: the order of paths in one folder, without pathlib's slow comparisons.
    return sorted(
        (p for p in incidents_dir.iterdir() if p.suffix in SUFFIXES and not p.name.startswith(".")),
        key=lambda p: p.name,
    )


def load_file(path: Path, rel: str, tz: ZoneInfo, raw: bytes | None = None) -> LoadedFile:
    loaded = LoadedFile(path, rel, path.stem)
    if not ID_PATTERN.match(path.stem):
        suggestion = re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-") or "incident"
        loaded.error(
            "bad-filename",
            f"file name `{path.name}` does not make a valid id",
            f"ids use lower-case letters, digits and hyphens: rename it to `{suggestion}.yaml`",
            None,
        )
        return loaded
    size = len(raw) if raw is not None else 0
    if raw is None:
        try:
            raw, size = read_regular(path, MAX_BYTES)
        except NotRegularFile as exc:
            not_regular(loaded, exc.kind)
            return loaded
        except OSError as exc:
            loaded.error("unreadable", f"cannot read the file: {exc.strerror}", "", None)
            return loaded
    if size > MAX_BYTES:
        loaded.error(
            "too-large",
            f"the file is {size:,} bytes; incident files may be at most 1 MiB",
            "shorten the messages or split the incident; large logs belong elsewhere",
            None,
        )
        return loaded
    text = _decode(raw, loaded)
    if text is None:
        return loaded
    if _blank(text):
        loaded.error(
            "empty-file", "the file is empty", "write the incident, or delete the file", None
        )
        return loaded
    raw_found = raw_controls(text)
    if raw_found:
        # YAML refuses these characters itself: like a wrong encoding, they stand alone.
        src = SourceMap(text)
        for offset, char in raw_found[:MAX_CONTROLS]:
            loaded.error(
                "control-character",
                f"the file holds the control character {describe(char)}",
                CONTROL_HINT,
                src.line_col(offset),
            )
        return loaded
    try:
        data, source = compose_deferred(text)
    except SourceError as exc:
        src = SourceMap(text)
        surrogate = _surrogate_escape(text, exc)
        if surrogate is not None:
            offset, written = surrogate
            message = f"the file holds a lone surrogate, written as `{written}`"
            loaded.error("control-character", message, CONTROL_HINT, src.line_col(offset))
            return loaded
        loaded.error(
            exc.rule,
            exc.message,
            exc.hint,
            src.line_col(exc.index) if exc.index is not None else None,
        )
        return loaded
    loaded.data, loaded.source = data, source
    if "\\" in text:  # an escape is the only other way a control character gets in
        _escaped_controls(loaded, data, source)
    if not isinstance(data, dict):
        what, where = f"the file holds {shown(data)}", (1, 1)
        if data is None:  # `~`, `null` or a bare `---`: YAML's "no value", not a text
            span = source.values.get(())
            written = text[span.index : span.end] if span is not None else ""
            what = f"the file is empty (`{written}`)" if written else "the file is empty"
            where = source.line_col(span.index) if written and span is not None else where
        loaded.error(
            "not-a-mapping",
            f"{what}; it must be a mapping of fields",
            "start with `title:`, `impact:` and `updates:` at the left margin",
            where,
        )
        return loaded
    kind = data.get("kind", "incident")
    if kind not in KINDS:
        loaded.error(
            "invalid-value",
            f"`kind` is {shown(kind)}, not an allowed value",
            f"{did_you_mean(str(kind), KINDS)}Allowed: incident (the default), maintenance.",
            source.value_pos(("kind",)),
        )
        return loaded
    try:
        event = EventAdapter.validate_python(data, context={"tz": tz})
    except ValidationError as exc:
        loaded.problems.extend(
            translate(
                exc,
                data,
                source,
                rel,
                (Maintenance,) if kind == "maintenance" else (Incident,),
                skip_first=True,
            )
        )
        return loaded
    event.bind(loaded.id, rel)
    loaded.event = event
    return loaded


def _escaped_controls(loaded: LoadedFile, data: Any, source: SourceMap) -> None:
    """A control character written as a YAML escape (`"\\x1b[31m"`), at the escape."""
    found = escaped_control_characters(data, source)
    for path, where, written, char in itertools.islice(found, MAX_CONTROLS):
        loaded.error(
            "control-character",
            f"`{field_name(path)}` holds the control character {describe(char)}, "
            f"written as `{written}`",
            CONTROL_HINT,
            where,
        )


def _surrogate_escape(text: str, exc: SourceError) -> tuple[int, str] | None:
    """Where libyaml refused an escaped lone surrogate (`"\\ud800"`): a control character."""
    if exc.index is None or "Unicode character escape" not in exc.message:
        return None
    line_start = text.rfind("\n", 0, exc.index) + 1
    hits = [
        (line_start + offset, written)
        for offset, written, char in escaped_controls(text[line_start : exc.index + 9])
        if 0xD800 <= ord(char) <= 0xDFFF and line_start + offset <= exc.index
    ]
    return hits[-1] if hits else None


def not_regular(loaded: LoadedFile, kind: str) -> None:
    if kind == "a folder":
        loaded.error(
            "unreadable",
            "cannot read the file: it is a folder",
            "incident files sit directly in the incidents folder: rename the folder",
            None,
        )
        return
    # The target is never named: a link may point at a secret.
    loaded.error(
        "not-a-regular-file",
        f"`{loaded.path.name}` is {kind}, not a regular file; Candor never opens or follows it",
        "commit the incident as a plain file (`git mv` the real file here)",
        None,
    )


ENCODING_HINT = "save the file as UTF-8 (most editors: File → Save with encoding → UTF-8)"


def decoded(raw: bytes) -> str:
    """A file's text as loading reads it: UTF-8 without a byte-order mark, every line break
    a `\n` (UnicodeDecodeError when it is not UTF-8)."""
    return _lines(_unmarked(raw).decode("utf-8"))


def _unmarked(raw: bytes) -> bytes:
    # A byte-order mark some editors add: harmless, dropped.
    return raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw


def not_utf8(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, int, str]:
    """(line, column, what is wrong) of the byte `decoded(raw)` failed at."""
    raw = _unmarked(raw)
    # Counted as an editor shows it: characters, after line breaks of any style.
    before = _lines(raw[: exc.start].decode("utf-8", "replace"))
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return line, column, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8"


def _decode(raw: bytes, loaded: LoadedFile) -> str | None:
    try:
        text = decoded(raw)
    except UnicodeDecodeError as exc:
        line, column, message = not_utf8(raw, exc)
        loaded.error("encoding", message, ENCODING_HINT, (line, column))
        return None
    if "\x00" in text:
        pos = text.index("\x00")
        line = text.count("\n", 0, pos) + 1
        loaded.error(
            "encoding",
            "the file contains a NUL byte; it is not a text file",
            "save the incident as plain UTF-8 text",
            (line, pos - (text.rfind("\n", 0, pos) + 1) + 1),
        )
        return None
    return text


def _blank(text: str) -> bool:
    """Nothing but white space and comments."""
    start = text.lstrip()[:1]
    if start != "#":
        return not start  # else the first line with text has something else: not blank
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _lines(text: str) -> str:
    # YAML reads a lone CR as a line break too: normalise so that line numbers agree.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Loading makes almost no cyclic garbage, while every loaded file stays alive: the cyclic
    collector would only rescan an ever larger heap (a fifth of the load time at 10,000)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def load_dir(incidents_dir: Path, root: Path, tz: ZoneInfo) -> list[LoadedFile]:
    """Every incident file of the folder; two files with one id are both reported."""
    with no_cyclic_gc():
        files = [load_file(p, rel_path(p, root), tz) for p in discover(incidents_dir)]
    flag_duplicate_ids(files)
    return files


def flag_duplicate_ids(files: Iterable[LoadedFile]) -> None:
    files = list(files)
    others = duplicate_names([f.path for f in files])
    for loaded in files:
        if loaded.path in others:
            flag_duplicate(loaded, others[loaded.path])


def duplicate_names(paths: Iterable[Path]) -> dict[Path, str]:
    """For each file whose id another file also has: the names of those others.

    Known from the names alone, so files can be loaded apart (in other processes) and still
    be flagged exactly as `load_dir` flags them.
    """
    by_id: dict[str, list[Path]] = {}
    for path in paths:
        by_id.setdefault(path.stem, []).append(path)
    return {
        path: ", ".join(o.name for o in same if o is not path)
        for same in by_id.values()
        if len(same) > 1
        for path in same
    }


def flag_duplicate(loaded: LoadedFile, others: str) -> None:
    if loaded.problems and not isinstance(loaded.data, dict):
        return  # a file-level problem already stands alone (SPEC §4)
    loaded.error(
        "duplicate-id",
        f"id `{loaded.id}` is also used by {others}",
        "ids must be unique across .yaml and .yml: rename or delete one file",
        None,
    )
    loaded.event = None


def rel_path(path: Path, root: Path) -> str:
    # Most paths lie under the root: cut the root off their text (what `relative_to`
    # does, a tenth as dear, once for every file of every check).
    text, top = str(path), str(root)
    inside = top if top.endswith(os.sep) else top + os.sep
    if len(text) > len(inside) and text.startswith(inside) and os.sep == "/":
        return text[len(inside) :]
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
