"""Text-preserving, atomic changes to incident files.

An update is appended as YAML text written in the file's own style (indentation, line
endings), right after the last existing update, so every byte already in the file stays as
it was: comments, quoting, blank lines, a section such as `postmortem:` after the updates.
Each result is re-read and compared with what it must mean before anything is written, and
the write goes through a temporary file in the same folder, fsync and rename, refusing when
the file changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.core import workfiles
from generator.core.errors import CandorError
from generator.core.files import NotRegularFile, read_regular
from generator.core.load import MAX_BYTES
from generator.core.model import Update
from generator.core.source import NULL_WORDS, SourceError, SourceMap, compose
from generator.core.times import format_duration_spec

BOM = b"\xef\xbb\xbf"
# Characters a block scalar cannot carry as they are: YAML reads them as line breaks or
# refuses them. A message holding one is written double-quoted with escapes instead.
_NOT_IN_BLOCK = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]"
)
_PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")


class EditError(CandorError):
    """The change cannot be made; the file was left exactly as it was."""


# --- scalars ---------------------------------------------------------------------------


def file_timestamp(moment: datetime, tz: ZoneInfo) -> str:
    """Local time in the site's zone with its offset, so the file reads unambiguously."""
    spec = "seconds" if moment.microsecond == 0 else "microseconds"
    text = moment.astimezone(tz).isoformat(timespec=spec)
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def expected_item(update: Update, tz: ZoneInfo) -> dict[str, Any]:
    """What an appended update must read back as (scalars are text, see source.py), its keys
    in the order they are written."""
    item: dict[str, Any] = {
        "at": file_timestamp(update.at, tz),
        "status": update.status,
    }
    if update.impact is not None:
        item["impact"] = update.impact
    item["message"] = update.message
    if update.components:
        item["components"] = dict(update.components)
    if update.next_update is not None:
        item["next_update"] = format_duration_spec(update.next_update)
    if update.by:
        item["by"] = update.by
    return item


def double_quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _NOT_IN_BLOCK.match(ch) or ch == "\r":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar(text: str) -> str:
    """`text` as a one-line YAML scalar: plain when that reads back the same, else quoted."""
    if (
        text
        and _PLAIN_START.match(text)
        and text == text.strip()
        and "\n" not in text
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text not in NULL_WORDS
        and not _NOT_IN_BLOCK.search(text)
        and "\r" not in text
    ):
        try:
            data, _ = compose(f"k: {text}\n")
        except SourceError:
            data = None
        if isinstance(data, dict) and data.get("k") == text:
            return text
    return double_quoted(text)


def block_scalar(text: str, key_col: int, step: int) -> list[str] | None:
    """A literal block (`|`) holding `text` exactly, as lines; None if it cannot hold it."""
    if _NOT_IN_BLOCK.search(text) or "\r" in text or "\x85" in text or not text.strip():
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = body.split("\n")
    first_real = next(line for line in lines if line.strip())
    if first_real[0] == "\t":
        return None  # YAML reads a tab there as indentation: a quoted string holds it
    # Leading spaces (or blank lines holding spaces) would be taken for the indentation.
    needs_indicator = first_real[0] == " " or any(
        " " in line for line in lines[: lines.index(first_real)]
    )
    if needs_indicator and not 1 <= step <= 9:
        return None
    header = "|" + (str(step) if needs_indicator else "") + chomp
    pad = " " * (key_col + step)
    out = [header]
    out.extend(pad + line if line else "" for line in lines)
    out.extend("" for _ in range(trailing - 1))
    return out


# --- the file's style ------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    newline: str  # "\n" or "\r\n"
    dash_col: int  # column of the `-` of an update item
    key_col: int  # column of the keys inside an update item
    step: int  # how far nested blocks are indented under their key


def _line_start(text: str, index: int) -> int:
    return max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1


def detect_style(text: str, source: SourceMap, last: int) -> Style:
    newline = "\r\n" if "\r\n" in text else "\n"
    item = source.values[("updates", last)]
    start = _line_start(text, item.index)
    key_col = item.index - start
    dash = text.rfind("-", start, item.index)
    dash_col = dash - start if dash != -1 else max(key_col - 2, 0)
    step = 2
    for index in range(last, -1, -1):
        span = source.values.get(("updates", index, "message"))
        key = source.keys.get(("updates", index, "message"))
        if span and key and span.style in ("|", ">"):
            body = text[span.index : span.end]
            match = re.search(r"[\r\n]+( +)\S", body)
            if match:
                key_start = key.index - _line_start(text, key.index)
                step = max(len(match.group(1)) - key_start, 1)
                break
    return Style(newline, dash_col, key_col, step)


# --- rendering -------------------------------------------------------------------------


def render_item(update: Update, tz: ZoneInfo, style: Style, quoted_message: bool) -> str:
    """The update as block-mapping lines of a list item, LF line endings, no final newline."""
    key = " " * style.key_col
    nested = " " * (style.key_col + style.step)
    first = " " * style.dash_col + "-" + " " * max(style.key_col - style.dash_col - 1, 1)
    lines = [f"{first}at: {file_timestamp(update.at, tz)}", f"{key}status: {update.status}"]
    if update.impact is not None:
        lines.append(f"{key}impact: {update.impact}")
    block = None if quoted_message else block_scalar(update.message, style.key_col, style.step)
    if block is None:
        lines.append(f"{key}message: {double_quoted(update.message)}")
    else:
        lines.append(f"{key}message: {block[0]}")
        lines.extend(block[1:])
    if update.components:
        lines.append(f"{key}components:")
        lines.extend(f"{nested}{c}: {s}" for c, s in update.components.items())
    if update.next_update is not None:
        lines.append(f"{key}next_update: {format_duration_spec(update.next_update)}")
    if update.by:
        lines.append(f"{key}by: {scalar(update.by)}")
    return "\n".join(lines)


def _flow_item(update: Update, tz: ZoneInfo) -> str:
    expected = expected_item(update, tz)
    parts = []
    for name, value in expected.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}: {double_quoted(v)}" for k, v in value.items())
            parts.append(f"{name}: {{{inner}}}")
        else:
            parts.append(f"{name}: {double_quoted(value)}")
    return "{" + ", ".join(parts) + "}"


# --- appending -------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[bytes, str]:
    """(byte-order mark or b"", the text after it); EditError when it is not UTF-8."""
    bom = BOM if raw.startswith(BOM) else b""
    try:
        return bom, raw[len(bom) :].decode("utf-8")
    except UnicodeDecodeError:
        raise EditError("the file is not UTF-8 text; run `candor check` to see where") from None


def _parse(text: str) -> tuple[dict[str, Any], SourceMap]:
    try:
        data, source = compose(text)
    except SourceError as exc:
        line = SourceMap(text).line_col(exc.index)[0] if exc.index is not None else None
        where = f" (line {line})" if line else ""
        raise EditError(
            f"the file is not valid YAML{where}: {exc.message}; fix it first (`candor check`)"
        ) from None
    if not isinstance(data, dict):
        raise EditError("the file does not hold a mapping of fields; fix it first")
    return data, source


def _significant_end(text: str, source: SourceMap, prefix: tuple[Any, ...]) -> int:
    """Just past the last character written for the node at `prefix`: its last scalar or
    flow collection. Block collections are skipped because their spans run on over the
    comments and blank lines that follow them."""
    end = source.values[prefix].index
    for path, span in source.values.items():
        if path[: len(prefix)] != prefix:
            continue
        if span.style in ("map", "seq") and text[span.index : span.index + 1] not in "{[":
            continue
        body = text[span.index : span.end]
        if span.style in ("|", ">"):
            body = body.rstrip()
        end = max(end, span.index + len(body))
    return end


def _end_of_line(text: str, index: int) -> int:
    """Just past the line break that ends the line holding `index` (or the end of text)."""
    match = re.compile(r"\r\n|\r|\n").search(text, index)
    return match.end() if match else len(text)


def _insertion_points(text: str, source: SourceMap, last: int) -> list[int]:
    item = ("updates", last)
    first = _end_of_line(text, _significant_end(text, source, item))
    # Only blank lines and comments after the updates: append at the very end, so the
    # original bytes stay an exact prefix of the result.
    rest = text[first:].splitlines()
    points = [len(text)] if all(not r.strip() or r.lstrip().startswith("#") for r in rest) else []
    points.append(first)
    # A kept block scalar (`|+`) owns its trailing blank lines: insert after them instead.
    points.append(_end_of_line(text, max(source.values[item].end - 1, 0)))
    return list(dict.fromkeys(points))


def _splice(text: str, at: int, item: str, newline: str) -> str:
    before, after = text[:at], text[at:]
    lead = "" if not before or before.endswith(("\n", "\r")) else newline
    tail = newline if after or before.endswith(("\n", "\r")) or not before else ""
    return before + lead + item.replace("\n", newline) + tail + after


def _equivalent(old: Any, new: Any) -> bool:
    """Equal, except that a block scalar which ended the file without a line break gains
    one once something follows it: the same Markdown, and unavoidable when appending."""
    if isinstance(old, str) and isinstance(new, str):
        return new in (old, old + "\n")
    if isinstance(old, dict) and isinstance(new, dict):
        return list(old) == list(new) and all(_equivalent(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(map(_equivalent, old, new))
    return bool(old == new)


def _same_except_new(old: dict[str, Any], new: Any, expected: dict[str, Any]) -> bool:
    if not isinstance(new, dict) or list(new) != list(old):
        return False
    if any(new[k] != old[k] for k in old if k != "updates"):
        return False
    updates = new.get("updates")
    return (
        isinstance(updates, list)
        and updates[-1:] == [expected]
        and _equivalent(old["updates"], updates[:-1])
    )


def append_update(raw: bytes, update: Update, tz: ZoneInfo) -> bytes:
    """The file's bytes with `update` appended to its `updates` list, every byte kept."""
    bom, text = decode(raw)
    data, source = _parse(text)
    updates = data.get("updates")
    if not isinstance(updates, list) or not updates or ("updates",) not in source.values:
        raise EditError(
            "the file has no `updates` list to append to; fix it first (`candor check`)"
        )
    expected = expected_item(update, tz)
    candidates: list[str] = []
    seq = source.values[("updates",)]
    if text[seq.index : seq.index + 1] == "[":
        close = text.rfind("]", seq.index, seq.end)
        candidates.append(text[:close] + ", " + _flow_item(update, tz) + text[close:])
    else:
        last = len(updates) - 1
        style = detect_style(text, source, last)
        for at in _insertion_points(text, source, last):
            for quoted in (False, True):
                item = render_item(update, tz, style, quoted)
                candidates.append(_splice(text, at, item, style.newline))
    for candidate in candidates:
        try:
            new_data, _ = compose(candidate)
        except SourceError:
            continue
        if _same_except_new(data, new_data, expected):
            return bom + candidate.encode("utf-8")
    raise EditError(
        "could not append the update without changing what the file already says",
    )


def append_section(raw: bytes, section: str) -> bytes:
    """`section` (LF line endings, a top-level key) added at the end of the file."""
    bom, text = decode(raw)
    data, _ = _parse(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    lead = "" if not text or text.endswith(("\n", "\r")) else newline
    body = section.rstrip("\n").replace("\n", newline) + newline
    result = text + lead + body
    new_data, _ = _parse(result)
    if any(new_data.get(k) != v for k, v in data.items()):
        raise EditError("could not add the section without changing what the file says")
    return bom + result.encode("utf-8")


# --- writing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What was read, to notice a change made on disk before the new bytes replace it."""

    raw: bytes
    mtime_ns: int
    size: int
    mode: int

    @classmethod
    def read(cls, path: Path) -> Snapshot:
        try:
            info = os.lstat(path)
            raw, size = read_regular(path, MAX_BYTES)
        except NotRegularFile as exc:
            # Never followed: an edit through a link would write where the link points.
            raise EditError(f"{path.name} is {exc.kind}, not a regular file") from None
        except OSError as exc:
            raise EditError(f"cannot read {path.name}: {exc.strerror}") from None
        if size > MAX_BYTES:
            raise EditError(f"{path.name} is over 1 MiB; incident files may be at most that")
        return cls(raw, info.st_mtime_ns, info.st_size, stat.S_IMODE(info.st_mode))

    def unchanged(self, path: Path) -> bool:
        try:
            info = os.lstat(path)
            raw, _ = read_regular(path, MAX_BYTES)
        except OSError:
            return False
        return (info.st_mtime_ns, info.st_size, raw) == (self.mtime_ns, self.size, self.raw)


# The temporary file of an edit: a short name of its own, so that it fits however long the
# incident's name (file names have at most 255 bytes), and one a killed `update` left behind
# is recognised and removed by the next edit. Earlier versions named it after the file.
TEMP_PREFIX, TEMP_SUFFIX = ".candor.", ".tmp"
_TEMP_NAMES = re.compile(
    rf"(?:{re.escape(TEMP_PREFIX)}|\..+\.ya?ml\.){workfiles.RANDOM}{re.escape(TEMP_SUFFIX)}"
)


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files killed edits left in `folder` (never a live edit's)."""
    return workfiles.clean_stale(folder, _TEMP_NAMES)


def _write_temp(folder: Path, data: bytes, mode: int) -> workfiles.WorkFile:
    """The new bytes in a locked temporary file beside the target; the caller releases it
    once the file is renamed into place (or removed)."""
    clean_stale_temps(folder)
    temp = workfiles.new_file(folder, TEMP_PREFIX, TEMP_SUFFIX)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(temp.fd, view) :]
        os.fsync(temp.fd)
        os.chmod(temp.path, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.path.unlink()
        temp.release()
        raise
    return temp


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass
class _Staged:
    """The new bytes in a locked temporary file beside the target, until they are placed."""

    temp: workfiles.WorkFile
    placed: bool = False


@contextlib.contextmanager
def _staged(path: Path, data: bytes, mode: int, unchanged: str) -> Iterator[_Staged]:
    """Stage `data` for `path`: the caller renames it into place and sets `placed`; any
    other way out removes the temporary file. A failed write names the file, then says
    `unchanged` (what was left as it was)."""
    staged: _Staged | None = None
    try:
        staged = _Staged(_write_temp(path.parent, data, mode))
        yield staged
    except EditError:
        raise
    except OSError as exc:
        raise EditError(f"could not write {path.name}: {exc.strerror or exc}{unchanged}") from None
    finally:
        if staged is not None:
            if not staged.placed:
                with contextlib.suppress(OSError):
                    staged.temp.path.unlink()
            staged.temp.release()
    _sync_folder(path.parent)


def replace_file(path: Path, data: bytes, snapshot: Snapshot) -> None:
    """Atomically put `data` in place of `path`, unless it changed since `snapshot`."""
    with _staged(path, data, snapshot.mode, "; the file is unchanged") as staged:
        if not snapshot.unchanged(path):
            raise EditError(
                f"{path.name} changed on disk while Candor was editing it; nothing was written",
            )
        os.replace(staged.temp.path, path)
        staged.placed = True


def create_file(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a new file atomically; never overwrite one that appeared meanwhile."""
    with _staged(path, data, mode & ~_umask(), "") as staged:
        try:
            os.link(staged.temp.path, path)  # fails if the name exists: no clobbering
        except FileExistsError:
            raise EditError(f"{path.name} already exists; nothing was written") from None
        except OSError:
            if path.exists():
                raise EditError(f"{path.name} already exists; nothing was written") from None
            os.replace(staged.temp.path, path)
            staged.placed = True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
