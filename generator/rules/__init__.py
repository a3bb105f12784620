"""Rules over loaded incident files (SPEC §4). Each rule is a small function that yields
problems; `run_checks` collects them across every file so they are reported together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from generator.core.config import CandorConfig
from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.times import Span
from generator.rules.clock import unchanged_between
from generator.rules.communication import check_communication
from generator.rules.context import ClockRead, Context, Rule
from generator.rules.events import (
    check_components,
    check_future_updates,
    check_maintenance_window,
    check_next_update,
    check_postmortem_due,
    check_postmortem_time,
    check_stale,
    check_times,
)
from generator.rules.spelling import misspelt_words
from generator.rules.text import (
    SCAFFOLD_CLOSE,
    SCAFFOLD_OPEN,
    check_placeholders,
    check_unsafe_html,
    find_placeholders,
    has_placeholder_trigger,
    may_be_unsafe,
)

__all__ = [
    "SCAFFOLD_CLOSE",
    "SCAFFOLD_OPEN",
    "ClockRead",
    "Context",
    "check_file",
    "clock_problems",
    "clock_span",
    "find_placeholders",
    "fixed_problems",
    "prepare",
    "run_checks",
]

# Text rules, each with a quick test of the whole source that every match needs.
_TEXT_RULE_TRIGGERS: Sequence[tuple[Rule, Callable[[str], object]]] = (
    (check_placeholders, has_placeholder_trigger),
    (check_unsafe_html, may_be_unsafe),
)
# Every rule is in one of two classes. Those that do not read "now" give the same findings
# for the same file, config and code: they run once per file and are cached with its model
# (core/filecache.py), and they are handed a Context without "now" (reading it raises
# ClockRead). Those that read it run on every check, on the cached model: future-update,
# stale, missed-next-update, missing-postmortem, and communication's CLOCK_RULES
# (no-next-update, slow-first-update).
# Rules that read the file as written: they run whether or not its model validated.
STRUCTURE_RULES: Sequence[Rule] = (check_components, check_times, check_postmortem_time)
CLOCK_STRUCTURE_RULES: Sequence[Rule] = (check_future_updates,)
MODEL_RULES: Sequence[Rule] = (check_maintenance_window,)
CLOCK_MODEL_RULES: Sequence[Rule] = (check_stale, check_next_update, check_postmortem_due)


def prepare(config: CandorConfig) -> None:
    """Read what the rules share once (the spelling dictionary), so that a second process
    forked to share the files inherits it instead of reading it again."""
    if "spelling" not in config.ignore:
        misspelt_words()


def run_checks(files: Sequence[LoadedFile], config: CandorConfig, now: datetime) -> list[Problem]:
    """Every problem of every file: those found while loading, then the rules'."""
    ctx = Context(config, now)
    problems: list[Problem] = []
    for f in files:
        problems.extend(check_file(f, ctx))
    return problems


def check_file(f: LoadedFile, ctx: Context) -> list[Problem]:
    """One file's problems: those found while loading, then the rules'."""
    return fixed_problems(f, ctx) + clock_problems(f, ctx)


def _rules_apply(f: LoadedFile) -> bool:
    # A YAML-level problem: that one error and no others.
    return f.source is not None and isinstance(f.data, dict)


def fixed_problems(f: LoadedFile, ctx: Context) -> list[Problem]:
    """Those found while loading, then those of the rules that do not read the clock."""
    problems = list(f.problems)
    if not _rules_apply(f):
        return problems
    assert f.source is not None
    text = f.source.text
    escaped = "\\" in text
    for rule, trigger in _TEXT_RULE_TRIGGERS:
        if escaped or trigger(text):
            problems.extend(rule(f, ctx))
    for structure_rule in STRUCTURE_RULES:
        problems.extend(structure_rule(f, ctx))
    if f.event is not None:
        for model_rule in MODEL_RULES:
            problems.extend(model_rule(f, ctx))
    problems.extend(check_communication(f, ctx, clock=False))
    return problems


def clock_problems(f: LoadedFile, ctx: Context) -> list[Problem]:
    """The findings of the rules that read the clock."""
    if not _rules_apply(f):
        return []
    problems: list[Problem] = []
    for structure_rule in CLOCK_STRUCTURE_RULES:
        problems.extend(structure_rule(f, ctx))
    if f.event is not None:
        for model_rule in CLOCK_MODEL_RULES:
            problems.extend(model_rule(f, ctx))
    problems.extend(check_communication(f, ctx, clock=True))
    return problems


def clock_span(f: LoadedFile, ctx: Context) -> tuple[list[Problem], Span]:
    """The findings of the rules that read the clock, and the moments (exclusive; None: none)
    between which "now" gives the same (rules/clock.py)."""
    found = clock_problems(f, ctx)
    return found, unchanged_between(f, ctx, found)
