"""The rules of honest communication (SPEC §8), each switchable for the whole site
(`ignore:` in the candor section) and for one file (`ignore:` at its top level).

Each rule has a quick test of the whole file that every finding needs: a file without one
skips the rule (nearly every file, for most rules)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.model import SWITCHABLE_RULES
from generator.rules.actions import check_vague_actions
from generator.rules.context import Context, Rule
from generator.rules.privacy import check_private_data
from generator.rules.prose import vocabulary
from generator.rules.spelling import check_spelling, may_be_misspelt
from generator.rules.tone import check_blame, check_non_apology
from generator.rules.updates import check_data_loss, check_first_update, check_next_update_promised


def _has_word(*listed: str) -> Callable[[LoadedFile], bool]:
    wanted = frozenset(word.encode() for word in listed)
    return lambda f: not wanted.isdisjoint(vocabulary(f))


def _always(f: LoadedFile) -> bool:
    return True


# (rule id, rule, quick test of the file); the rules with anchor words test for them inside.
RULES: Sequence[tuple[str, Rule, Callable[[LoadedFile], bool]]] = (
    ("non-apology", check_non_apology, _always),
    ("blame", check_blame, _always),
    ("private-data", check_private_data, _always),
    ("vague-action", check_vague_actions, _has_word("prevention")),
    ("data-loss-unstated", check_data_loss, _has_word("resolved")),
    ("no-next-update", check_next_update_promised, _always),
    # Without a quick test: it reads the model first (is there a `started_at`?), which is
    # cheaper than the file's words when its other findings come from the cache.
    ("slow-first-update", check_first_update, _always),
    ("spelling", check_spelling, may_be_misspelt),
)
assert tuple(rule_id for rule_id, _, _ in RULES) == SWITCHABLE_RULES
# The rules whose findings depend on "now" (whether the incident is still open): never cached.
CLOCK_RULES = frozenset({"no-next-update", "slow-first-update"})


def switched_off(f: LoadedFile, ctx: Context) -> set[str]:
    """The rules the config and the file turn off. Read from the file as written, so that a
    file whose model did not validate still has its switches."""
    off: set[str] = set(ctx.config.ignore)
    listed = f.data.get("ignore") if isinstance(f.data, dict) else None
    if isinstance(listed, list):
        off.update(rule for rule in listed if rule in SWITCHABLE_RULES)
    return off


def check_communication(f: LoadedFile, ctx: Context, clock: bool) -> list[Problem]:
    """The rules that read the clock (`clock`), or those that do not."""
    off = switched_off(f, ctx)
    problems: list[Problem] = []
    for rule_id, rule, trigger in RULES:
        if (rule_id in CLOCK_RULES) == clock and rule_id not in off and trigger(f):
            problems.extend(rule(f, ctx))
    return problems
