"""Which incident an id argument names. Nobody types `2026-11-24-checkout-fails-for-some-
customers` at 3 a.m.: the id without its date, or any unambiguous prefix of either, will do."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path

from generator.core.load import SUFFIXES

DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")


class Ambiguous(Exception):
    """The argument could name several files; `candidates` are their ids, newest first."""

    def __init__(self, candidates: list[str]) -> None:
        super().__init__(", ".join(candidates))
        self.candidates = candidates


def without_date(ident: str) -> str:
    return DATED.sub("", ident)


def argument_key(ident: str) -> str:
    """The id an argument spells: a path such as `incidents/x.yaml` names `x`."""
    key = Path(ident).stem if ident.endswith(SUFFIXES) or "/" in ident else ident
    return key.strip().lower()


def match(ident: str, ids: Mapping[str, Path]) -> str | None:
    """The one id `ident` names, None when it names none; Ambiguous when several.

    In order: the full id; the id without its date; a prefix of the full id or of the id
    without its date. The first rule that finds anything decides, so `api-errors` names
    `2026-11-20-api-errors` even though `2026-11-20-api-errors-2` exists.
    """
    key = argument_key(ident)
    if not key:
        return None
    if key in ids:
        return key
    rules = (
        lambda i: without_date(i) == key,
        lambda i: i.startswith(key) or without_date(i).startswith(key),
    )
    for rule in rules:
        found = sorted((i for i in ids if rule(i)), reverse=True)
        if len(found) == 1:
            return found[0]
        if found:
            raise Ambiguous(found)
    return None


def suggestions(ident: str, ids: Mapping[str, Path], n: int = 3) -> list[str]:
    """Ids close to a mistyped argument, comparing the ids without their dates too."""
    key = argument_key(ident)
    slugs = {without_date(i): i for i in ids}
    close = difflib.get_close_matches(key, list(ids), n=n, cutoff=0.6)
    close += [slugs[s] for s in difflib.get_close_matches(key, list(slugs), n=n, cutoff=0.6)]
    close += [i for i in ids if key and key in i]
    # A typo in a prefix: `chekout` for the start of `checkout-fails-for-some-customers`.
    close += sorted((i for i in ids if _similar(key, without_date(i)[: len(key)])), reverse=True)
    return list(dict.fromkeys(close))[:n]


def _similar(a: str, b: str) -> bool:
    return len(a) >= 4 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8
