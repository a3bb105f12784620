"""Rules over an incident: the components it names, the order and time of its updates and of
its postmortem, the promises it made and the postmortem it owes. The first three read the file
as written, so they also run on a file whose model failed (SPEC §4: every problem of a file in
one run)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from generator.core import times
from generator.core.errors import Problem, Severity
from generator.core.load import LoadedFile
from generator.core.model import Incident, Maintenance, timestamp_as_written
from generator.core.source import KeyPath
from generator.core.times import format_duration, format_duration_spec
from generator.core.validation import did_you_mean, field_name
from generator.rules.context import Context


def _written_updates(f: LoadedFile) -> list[Any]:
    updates = f.data.get("updates") if isinstance(f.data, dict) else None
    return updates if isinstance(updates, list) else []


def check_components(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    """Component ids as written, so that a file whose model failed (a bad `impact`) still
    hears about its unknown components in the same run."""
    assert f.source is not None
    known = ctx.component_ids

    def unknown(component: str, path: KeyPath, pos: tuple[int, int]) -> Problem:
        return Problem(
            f.rel,
            *pos,
            "error",
            "unknown-component",
            f"`{field_name(path)}` names component `{component}`, which mkdocs.yml does not list",
            f"{did_you_mean(component, known)}Known components: {', '.join(known) or 'none'}.",
        )

    path: KeyPath
    listed = f.data.get("components") if isinstance(f.data, dict) else None
    for index, component in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(component, str) and component not in known:
            path = ("components", index)
            yield unknown(component, path, f.source.value_pos(path))
    for index, update in enumerate(_written_updates(f)):
        named = update.get("components") if isinstance(update, dict) else None
        for component in named if isinstance(named, dict) else ():
            if isinstance(component, str) and component not in known:
                path = ("updates", index, "components", component)
                yield unknown(component, path, f.source.key_pos(path))


def written_times(f: LoadedFile, ctx: Context) -> tuple[list[datetime | None], datetime | None]:
    """Each update's `at` and `started_at`: the model's, or for a file whose model failed,
    each one that parses (None for the rest)."""
    if f.event is not None:
        return [u.at for u in f.event.updates], f.event.started_at
    ats = [
        timestamp_as_written(u.get("at"), ctx.tz) if isinstance(u, dict) else None
        for u in _written_updates(f)
    ]
    started = f.data.get("started_at") if isinstance(f.data, dict) else None
    return ats, None if started is None else timestamp_as_written(started, ctx.tz)


def check_times(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    assert f.source is not None
    source = f.source
    ats, started_at = written_times(f, ctx)
    for index, at in enumerate(ats):
        if at is None:
            continue  # not a timestamp: reported while loading
        path = ("updates", index, "at")
        before = ats[index - 1] if index else None
        if before is not None and at < before:
            yield Problem(
                f.rel,
                *source.value_pos(path),
                "error",
                "out-of-order",
                f"`{field_name(path)}` ({ctx.show(at)}) is earlier than the update "
                f"before it ({ctx.show(before)})",
                "updates are oldest first: append new ones at the end, or correct the time",
            )
    first = ats[0] if ats else None
    if started_at and first and started_at > first:
        yield Problem(
            f.rel,
            *source.value_pos(("started_at",)),
            "error",
            "started-after-first-update",
            f"`started_at` ({ctx.show(started_at)}) is after the first update ({ctx.show(first)})",
            "`started_at` is when customers were first affected: it cannot follow the first post",
        )


def written_published_at(f: LoadedFile, ctx: Context) -> datetime | None:
    """The postmortem's `published_at`: the model's, or for a file whose model failed, the
    value as written when it parses (None without one)."""
    if f.event is not None:
        return f.event.postmortem.published_at if f.event.postmortem else None
    postmortem = f.data.get("postmortem") if isinstance(f.data, dict) else None
    written = postmortem.get("published_at") if isinstance(postmortem, dict) else None
    return None if written is None else timestamp_as_written(written, ctx.tz)


def check_postmortem_time(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    """A postmortem dated before its incident began: a wrong year or UTC offset, which would
    show as a report written years before resolution and skew the public record. One
    published after the start but before resolution is a preliminary review (SPEC §6)."""
    assert f.source is not None
    published_at = written_published_at(f, ctx)
    ats, started_at = written_times(f, ctx)
    first = ats[0] if ats else None
    # The earlier of the two: a `started_at` after the first update is its own error, and
    # one typo should not make two.
    starts = ((started_at, "`started_at`"), (first, "its first update"))
    known = [(t, name) for t, name in starts if t is not None]
    if published_at is None or not known:
        return
    began, since = min(known, key=lambda pair: pair[0])
    if published_at >= began:
        return
    yield Problem(
        f.rel,
        *f.source.value_pos(("postmortem", "published_at")),
        "error",
        "postmortem-before-start",
        f"`postmortem.published_at` ({ctx.show(published_at)}) is before the incident began "
        f"({since}: {ctx.show(began)})",
        "a postmortem is published once the incident has begun: check the year and the UTC "
        "offset (one published before resolution, a preliminary review, is fine)",
    )


def check_future_updates(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    """An update dated after "now" (read from the file as written, like `check_times`)."""
    assert f.source is not None
    ats, _ = written_times(f, ctx)
    for index, at in enumerate(ats):
        if at is not None and at > ctx.now:
            path = ("updates", index, "at")
            yield Problem(
                f.rel,
                *f.source.value_pos(path),
                "error",
                "future-update",
                f"`{field_name(path)}` ({ctx.show(at)}) is in the future "
                f"(now is {ctx.show(ctx.now)})",
                "check the date and the UTC offset; an update is posted when it happens",
            )


def check_stale(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Incident) or not event.is_active(ctx.now):
        return
    last_index = len(event.updates_until(ctx.now)) - 1
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
    active = event.is_active(ctx.now)
    for promise in event.promises():
        if promise.followed_at is not None and not promise.kept:
            # A fact of the record: nothing can fix it now but rewriting history, so it is a
            # note, which never fails a check (SPEC §4), not even under --strict.
            came = f"the next came at {ctx.show(promise.followed_at)}"
            severity: Severity = "note"
            hint = "shown as late on the incident page; keep the next promise"
        elif active and promise.overdue(ctx.now):
            came = f"none has been posted yet (now {ctx.show(ctx.now)})"
            severity = "warning"
            hint = "keep the promise: post an update when you said you would, even a short one"
        else:
            continue
        update = event.updates[promise.index]
        assert update.next_update is not None
        spec = format_duration_spec(update.next_update)
        yield Problem(
            f.rel,
            *f.source.value_pos(("updates", promise.index, "next_update")),
            severity,
            "missed-next-update",
            f"`updates[{promise.index}]` promised the next update within {spec} "
            f"(by {ctx.show(promise.due)}); {came}",
            hint,
        )


def check_postmortem_due(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Incident) or event.postmortem is not None:
        return
    if event.peak_impact not in ctx.config.postmortem_required_for:
        return
    resolving = event.resolving_update
    if resolving is None:
        return
    due = times.add(resolving.at, ctx.config.postmortem_within)
    if due is not None and ctx.now > due:
        assert f.source is not None
        index = len(event.updates) - 1
        yield Problem(
            f.rel,
            *f.source.value_pos(("updates", index, "status")),
            "warning",
            "missing-postmortem",
            f"`{event.id}` ({event.peak_impact}) was resolved at {ctx.show(resolving.at)} and its "
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
