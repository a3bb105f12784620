"""Rules over loaded incident files (SPEC §4). Each rule is a small function that yields
problems; `run_checks` collects them across every file so they are reported together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from generator.core.config import CandorConfig
from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.rules.communication import check_communication
from generator.rules.context import Context, Rule
from generator.rules.events import (
    check_components,
    check_maintenance_window,
    check_next_update,
    check_postmortem_due,
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
    "Context",
    "check_file",
    "find_placeholders",
    "prepare",
    "run_checks",
]

# Text rules, each with a quick test of the whole source that every match needs.
_TEXT_RULE_TRIGGERS: Sequence[tuple[Rule, Callable[[str], object]]] = (
    (check_placeholders, has_placeholder_trigger),
    (check_unsafe_html, may_be_unsafe),
)
# Rules that read the file as written: they run whether or not its model validated.
STRUCTURE_RULES: Sequence[Rule] = (check_components, check_times)
MODEL_RULES: Sequence[Rule] = (
    check_stale,
    check_next_update,
    check_postmortem_due,
    check_maintenance_window,
)


def prepare(config: CandorConfig) -> None:
    """Read what the rules share once (the spelling dictionary), so that a second process
    forked to check half of the files inherits it instead of reading it again."""
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
    problems = list(f.problems)
    if f.source is None or not isinstance(f.data, dict):
        return problems  # a YAML-level problem: that one error and no others
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
    problems.extend(check_communication(f, ctx))
    return problems
