"""Rules over loaded incident files (SPEC §4). Each rule is a small function that yields
problems; `run_checks` collects them across every file so they are reported together."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.model import CandorConfig, Incident, Maintenance
from generator.core.source import Path
from generator.core.state import is_active, resolving_update, updates_until
from generator.core.times import format_duration_spec
from generator.core.validation import did_you_mean, field_name
from generator.outputs.i18n import format_duration

# The scaffolds of `candor new` and `candor postmortem` wrap their prompts in these, and a
# prompt left in the text is refused like any other placeholder.
SCAFFOLD_OPEN, SCAFFOLD_CLOSE = "[[", "]]"

_WORDS = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b")
_BRACES = re.compile(r"\{\{.*?\}\}|\{\{|\}\}")
_SCAFFOLD = re.compile(re.escape(SCAFFOLD_OPEN) + r".*?" + re.escape(SCAFFOLD_CLOSE), re.S)
_ANGLE = re.compile(r"<([A-Za-z_][^<>\n]{0,80})>")
_CODE = re.compile(r"(?ms)^(```|~~~).*?(^\1|\Z)|(`+)(?!`).+?(?<!`)\3(?!`)")
_TAG = re.compile(r"^/?([A-Za-z][A-Za-z0-9]*)(\s[^<>]*)?/?$")
_AUTOLINK = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)$")


def _has_trigger(text: str) -> bool:
    # Every placeholder pattern needs one of these: text without any (nearly all of it) skips
    # the code masking and the four scans. Plain substring searches: much faster than one
    # regular expression of alternatives.
    return (
        "<" in text
        or SCAFFOLD_OPEN in text
        or "{{" in text
        or "}}" in text
        or "TODO" in text
        or "TBD" in text
        or "FIXME" in text
        or "XXX" in text
    )


_UNSAFE = re.compile(r"<\s*script|\bon[a-z]+\s*=|javascript\s*:|<\s*iframe|<\s*style", re.I)
HTML_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
        "video",
        "audio",
        "source",
        "picture",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "nav",
        "main",
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "form",
        "input",
        "button",
        "select",
        "option",
        "textarea",
        "label",
        "svg",
        "math",
        "noscript",
        "template",
        "link",
        "meta",
        "base",
        "body",
        "html",
        "head",
        "title",
        "center",
        "font",
        "big",
        "tt",
        "strike",
    ]
)


def find_placeholders(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, the text found, what it is) for each blank left in `text`; code is exempt."""
    if not _has_trigger(text):
        return
    masked = _CODE.sub(lambda m: " " * len(m.group(0)), text)
    for match in _SCAFFOLD.finditer(masked):
        yield match.start(), match.group(0), "a prompt of the scaffold"
    for match in _WORDS.finditer(masked):
        yield match.start(), match.group(0), "a placeholder word"
    for match in _BRACES.finditer(masked):
        yield match.start(), match.group(0), "a template placeholder"
    for match in _ANGLE.finditer(masked):
        inner = match.group(1)
        tag = _TAG.match(inner)
        if (tag and tag.group(1).lower() in HTML_TAGS) or _AUTOLINK.match(inner):
            continue
        yield match.start(), match.group(0), "an angle-bracket blank"


def _strings(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def check_placeholders(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    assert f.source is not None
    for path, text in ctx.strings(f):
        for offset, found, what in find_placeholders(text):
            nth = text.count(found, 0, offset)
            line, column = f.source.text_pos(path, found, nth)
            shown = found if len(found) <= 50 else found[:47] + "…"
            yield Problem(
                f.rel,
                line,
                column,
                "error",
                "placeholder",
                f"`{field_name(path)}` still holds {what}: `{shown}`",
                "replace it with the real text before publishing",
            )


def check_unsafe_html(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    assert f.source is not None
    for path, text in ctx.strings(f):
        for match in _UNSAFE.finditer(text):
            line, column = f.source.text_pos(path, match.group(0))
            yield Problem(
                f.rel,
                line,
                column,
                "warning",
                "unsafe-html",
                f"`{field_name(path)}` contains `{match.group(0)}`, which will be removed",
                "write plain Markdown; scripts, event handlers and javascript: links are "
                "stripped from every page and feed",
            )


def check_components(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    assert f.event is not None and f.source is not None
    known = ctx.component_ids

    def unknown(component: str, path: Path, pos: tuple[int, int]) -> Problem:
        return Problem(
            f.rel,
            *pos,
            "error",
            "unknown-component",
            f"`{field_name(path)}` names component `{component}`, which mkdocs.yml does not list",
            f"{did_you_mean(component, known)}Known components: {', '.join(known) or 'none'}.",
        )

    path: Path
    for index, component in enumerate(f.event.components):
        if component not in known:
            path = ("components", index)
            yield unknown(component, path, f.source.value_pos(path))
    for index, update in enumerate(f.event.updates):
        for component in update.components:
            if component not in known:
                path = ("updates", index, "components", component)
                yield unknown(component, path, f.source.key_pos(path))


def check_times(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    assert f.event is not None and f.source is not None
    event, source = f.event, f.source
    for index, update in enumerate(event.updates):
        path = ("updates", index, "at")
        if index and update.at < event.updates[index - 1].at:
            yield Problem(
                f.rel,
                *source.value_pos(path),
                "error",
                "out-of-order",
                f"`{field_name(path)}` ({ctx.show(update.at)}) is earlier than the update "
                f"before it ({ctx.show(event.updates[index - 1].at)})",
                "updates are oldest first: append new ones at the end, or correct the time",
            )
        if update.at > ctx.now:
            yield Problem(
                f.rel,
                *source.value_pos(path),
                "error",
                "future-update",
                f"`{field_name(path)}` ({ctx.show(update.at)}) is in the future "
                f"(now is {ctx.show(ctx.now)})",
                "check the date and the UTC offset; an update is posted when it happens",
            )
    if event.started_at and event.started_at > event.updates[0].at:
        yield Problem(
            f.rel,
            *source.value_pos(("started_at",)),
            "error",
            "started-after-first-update",
            f"`started_at` ({ctx.show(event.started_at)}) is after the first update "
            f"({ctx.show(event.updates[0].at)})",
            "`started_at` is when customers were first affected: it cannot follow the first post",
        )


def check_stale(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Incident) or not is_active(event, ctx.now):
        return
    last_index = len(updates_until(event, ctx.now)) - 1
    if last_index < 0:
        return
    last = event.updates[last_index]
    silent = ctx.now - last.at
    if silent > ctx.config.stale_after:
        assert f.source is not None
        yield Problem(
            f.rel,
            *f.source.value_pos(("updates", last_index, "at")),
            "warning",
            "stale",
            f"`{event.id}` is open ({last.status}) and its last update was "
            f"{format_duration(silent)} ago "
            f"(stale_after: {format_duration_spec(ctx.config.stale_after)})",
            'post an update, even "we are still working on it": silence is the worst message',
        )


def check_next_update(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    assert event is not None and f.source is not None
    active = is_active(event, ctx.now)
    for index, update in enumerate(event.updates):
        if update.next_update is None:
            continue
        due = update.at + update.next_update
        following: datetime | None = None
        if index + 1 < len(event.updates):
            following = event.updates[index + 1].at
            late = following is not None and following > due
        else:
            late = active and ctx.now > due
        if late:
            if index + 1 < len(event.updates):
                came = f"the next came at {ctx.show(following)}" if following else ""
            else:
                came = f"none has been posted yet (now {ctx.show(ctx.now)})"
            spec = format_duration_spec(update.next_update)
            yield Problem(
                f.rel,
                *f.source.value_pos(("updates", index, "next_update")),
                "warning",
                "missed-next-update",
                f"`updates[{index}]` promised the next update within {spec} "
                f"(by {ctx.show(due)}); {came}",
                "keep the promise: post an update when you said you would, even a short one",
            )


def check_postmortem_due(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Incident) or event.postmortem is not None:
        return
    if event.impact not in ctx.config.postmortem_required_for:
        return
    resolving = resolving_update(event)
    if resolving is None:
        return
    due = resolving.at + ctx.config.postmortem_within
    if ctx.now > due:
        assert f.source is not None
        index = len(event.updates) - 1
        yield Problem(
            f.rel,
            *f.source.value_pos(("updates", index, "status")),
            "warning",
            "missing-postmortem",
            f"`{event.id}` ({event.impact}) was resolved at {ctx.show(resolving.at)} and its "
            f"postmortem was due by {ctx.show(due)}",
            f"run `candor postmortem {event.id}` and fill in every section",
        )


def check_maintenance_window(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Maintenance):
        return
    assert f.source is not None
    if event.updates[0].at > event.scheduled.end and event.updates[0].status == "scheduled":
        yield Problem(
            f.rel,
            *f.source.value_pos(("updates", 0, "at")),
            "warning",
            "late-announcement",
            f"`{event.id}` was announced at {ctx.show(event.updates[0].at)}, after its window "
            f"ended ({ctx.show(event.scheduled.end)})",
            "announce maintenance before it starts so customers can plan around it",
        )


class Context:
    def __init__(self, config: CandorConfig, now: datetime) -> None:
        self.config, self.now = config, now
        self.component_ids = [c.id for c in config.components]
        self.tz = config.tz
        self._strings: tuple[LoadedFile | None, list[tuple[Path, str]]] = (None, [])

    def strings(self, f: LoadedFile) -> list[tuple[Path, str]]:
        """Every text of the file with its path, walked once for all the text rules."""
        if self._strings[0] is not f:
            self._strings = (f, list(_strings(f.data)))
        return self._strings[1]

    def show(self, moment: datetime) -> str:
        local = moment.astimezone(self.tz)
        return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or "")


Rule = Callable[[LoadedFile, Context], Iterator[Problem]]
TEXT_RULES: Sequence[Rule] = (check_placeholders, check_unsafe_html)


# What each text rule looks for, tried once on the whole source before walking its texts.
# Without a backslash (an escape), every value is its source text with only quotes and
# runs of white space changed, which cannot create a match: a file without any match
# skips the rule. Nearly every file holds none, and the walk dominated `candor check`.
def _may_be_unsafe(text: str) -> bool:
    # What any match of _UNSAFE holds, without its slow case-insensitive scan: `<`, `=`, or
    # `javascript`, whose j, a, v and a have no other case forms than J, A and V (unlike s and i).
    return "<" in text or "=" in text or "java" in text.lower()


_TEXT_RULE_TRIGGERS: Sequence[tuple[Rule, Callable[[str], object]]] = (
    (check_placeholders, _has_trigger),
    (check_unsafe_html, _may_be_unsafe),
)
MODEL_RULES: Sequence[Rule] = (
    check_components,
    check_times,
    check_stale,
    check_next_update,
    check_postmortem_due,
    check_maintenance_window,
)


def run_checks(files: Sequence[LoadedFile], config: CandorConfig, now: datetime) -> list[Problem]:
    """Every problem of every file: those found while loading, then the rules'."""
    ctx = Context(config, now)
    problems: list[Problem] = []
    for f in files:
        problems.extend(check_file(f, ctx))
    return problems


def check_file(f: LoadedFile, ctx: Context) -> list[Problem]:
    """One file's problems: those found while loading, then the rules'."""
    problems = list(f.problems)
    if f.source is None or not isinstance(f.data, dict):
        return problems  # a YAML-level problem: that one error and no others
    text = f.source.text
    escaped = "\\" in text
    for rule, trigger in _TEXT_RULE_TRIGGERS:
        if escaped or trigger(text):
            problems.extend(rule(f, ctx))
    if f.event is not None:
        for model_rule in MODEL_RULES:
            problems.extend(model_rule(f, ctx))
    return problems
