"""How an update sounds: an apology that does not apologise (`non-apology`), and a failure
put on one person (`blame`). English only: other languages are not judged.

Only the author's own words count: code, links and quoted speech are skipped, so a postmortem
may quote what it will never say again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.validation import field_name
from generator.rules.context import Context
from generator.rules.prose import (
    as_bytes,
    language,
    lowered_source,
    own_words,
    place,
    present,
    prose,
    report,
    sentence_at,
    sentences_with,
    vocabulary,
    words,
)

# Within one sentence: no sentence end, no paragraph break.
_IN = r"(?:[^.!?\n]|\n(?![ \t]*\n))"
_APOLOGY = r"(?:sorry|apologi[sz]e[sd]?|apologies|apology|regret(?:s|ted)?)"
_MINIMISED = (
    r"(?:inconvenience|trouble|issues?|problems?|disruption|frustration|confusion|impact|"
    r"harm|difficult(?:y|ies)|discomfort)"
)
APOLOGY_WORDS = words(
    "sorry apologise apologize apologised apologized apologises apologizes apologies apology "
    "regret regrets regretted"
)
MINIMISING_WORDS = words(
    "inconvenience trouble issue issues problem problems disruption frustration confusion "
    "impact harm difficulty difficulties discomfort"
)


@dataclass(frozen=True)
class _Phrase:
    """One kind of non-apology: the words a file needs for it to be possible at all (each
    group: one of its words), the pattern, what it is, and a better sentence."""

    needs: tuple[frozenset[str], ...]
    pattern: re.Pattern[str]
    what: str
    better: str

    def possible(self, known: frozenset[bytes]) -> bool:
        return _possible(known, self.needs)


_NON_APOLOGIES = (
    _Phrase(
        (APOLOGY_WORDS, words("any"), MINIMISING_WORDS),
        re.compile(rf"\b{_APOLOGY}\b{_IN}{{0,60}}?\bany\s+(?:\w+\s+)?{_MINIMISED}\b", re.I),
        "an apology for “any” harm, as if there might have been none",
        "We're sorry: many of you could not deploy for 40 minutes this morning.",
    ),
    _Phrase(
        (APOLOGY_WORDS, words("inconvenience inconveniences inconvenienced")),
        re.compile(rf"\b{_APOLOGY}\b{_IN}{{0,60}}?\binconvenience", re.I),
        "an outage called an inconvenience",
        "We're sorry: checkout failed for one in five of your customers for 40 minutes.",
    ),
    _Phrase(
        (MINIMISING_WORDS, words("have"), words("caused")),
        re.compile(
            rf"\b{_MINIMISED}\s+(?:this|that|it|which)\s+(?:may|might|could)\s+have\s+caused",
            re.I,
        ),
        "harm that “may have” been caused",
        "We're sorry for the failed payments this caused you.",
    ),
    _Phrase(
        (APOLOGY_WORDS, words("if")),
        re.compile(
            rf"\b{_APOLOGY}\s+(?:(?:to|for)\s+)?(?:\w+\s+){{0,3}}?if\s+"
            r"(?:you|anyone|any|this|we|there|some|your)\b",
            re.I,
        ),
        "a conditional apology (“sorry if …”)",
        "We're sorry that many of you were logged out this morning.",
    ),
    _Phrase(
        (APOLOGY_WORDS, words("feel felt upset unhappy perceive perceived")),
        re.compile(
            rf"\b{_APOLOGY}\s+(?:that\s+)?(?:you|anyone|some\s+(?:of\s+you|customers|users))\s+"
            r"(?:feel|felt|may\s+(?:feel|have\s+felt)|were\s+upset|are\s+upset|are\s+unhappy|"
            r"perceived?)\b",
            re.I,
        ),
        "regret for how readers feel rather than for what happened",
        "We're sorry: we broke your builds for an hour.",
    ),
    _Phrase(
        (APOLOGY_WORDS, words("but however")),
        re.compile(rf"\b{_APOLOGY}\s*[,;]\s*(?:but|however)\b", re.I),
        "an apology taken back with “but”",
        "We're sorry: our provider failed, and choosing and running it is our job.",
    ),
    _Phrase(
        (words("mistakes"), words("made")),
        re.compile(r"\bmistakes\s+were\s+made\b", re.I),
        "mistakes that “were made”, by nobody",
        "We made a mistake: we pushed a configuration change to every region at once.",
    ),
)


def check_non_apology(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    known = vocabulary(f)
    phrases = [phrase for phrase in _NON_APOLOGIES if phrase.possible(known)]
    if not phrases:
        return  # nearly every file: "sorry" alone is what a good update says
    anchors = present(f, frozenset().union(*(phrase.needs[0] for phrase in phrases)))
    for path, text in prose(f, ctx):
        lowered = text.lower()
        spans = sentences_with(text, lowered, anchors)
        if not spans:
            continue
        words_only = own_words(text)
        found = []
        for start, end in spans:
            for phrase in phrases:
                match = phrase.pattern.search(words_only, start, end)
                if match:
                    found.append((match.start(), match.end(), phrase))
                    break  # one problem per sentence, for the first phrase that fits
        if not found or language(f, text) != "en":
            continue
        for start, end, phrase in found:
            shown = " ".join(text[start:end].split())
            yield report(
                f,
                "non-apology",
                place(f, path, text, start),
                f"`{field_name(path)}` has {phrase.what}: “{shown}”",
                f"apologise for what happened, in plain words: “{phrase.better}”",
            )


# --- blame -------------------------------------------------------------------------------------

_ROLE = (
    r"(?:engineer|employee|operator|developer|administrator|admin|sysadmin|contractor|intern|"
    r"technician|staff\s+member|team\s+member|colleague|SRE|DBA|on-call(?:\s+engineer)?)"
)
ROLE_WORDS = words(
    "engineer engineers employee employees operator operators developer developers "
    "administrator administrators admin admins sysadmin sysadmins contractor contractors intern "
    "interns technician technicians member members colleague colleagues sre sres dba dbas call"
)
# What only a person does: after a role word ("an engineer mistakenly …").
_HUMAN_VERB = (
    r"(?:forgot|neglected|mistakenly|accidentally|inadvertently|carelessly|by\s+mistake|"
    r"made\s+(?:a|an)\s+(?:mistake|error|typo)|fat-?fingered|did\s+not\s+follow|"
    r"didn't\s+follow|ignored|ran\s+the\s+wrong|(?:was|is)\s+(?:responsible|to\s+blame))\b"
)
# One word of each phrase of _HUMAN_VERB ("made" for "made an error": "error" alone is in
# every other incident update).
HUMAN_VERB_WORDS = words(
    "forgot neglected mistakenly accidentally inadvertently carelessly mistake made fingered "
    "follow ignored wrong responsible blame"
)
# What a named person is blamed for; software fails and breaks too, so these need a name.
_BLAME_VERB = rf"(?:{_HUMAN_VERB}|(?:caused|broke|failed\s+to|deleted|pushed\s+(?:a|the)\s+"
_BLAME_VERB += r"(?:bad|wrong|faulty|broken))\b)"
BLAME_VERB_WORDS = HUMAN_VERB_WORDS | words("caused broke failed deleted pushed")
_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|rather\s+than|instead\s+of|isn't|wasn't|aren't|weren't|don't|"
    r"doesn't|didn't|without)\s+(?:\w+\s+){0,2}$",
    re.I,
)
# (the words a file needs for the pattern to be possible: each group, one of its words)
_GENERIC_BLAME: tuple[tuple[tuple[frozenset[str], ...], re.Pattern[str]], ...] = (
    (
        (words("error"), words("human operator user manual engineer staff")),
        re.compile(r"\b(?:human|operator|user|manual|engineer|staff)\s+error\b", re.I),
    ),
    (
        (ROLE_WORDS, HUMAN_VERB_WORDS),
        re.compile(
            rf"\b(?:an?|one\s+of\s+our|our|the)\s+{_ROLE}s?\s+(?:who\s+)?{_HUMAN_VERB}", re.I
        ),
    ),
    (
        (words("someone somebody"), BLAME_VERB_WORDS),
        re.compile(rf"\b(?:someone|somebody)\s+(?:\w+\s+)?{_BLAME_VERB}", re.I),
    ),
    ((words("fat"),), re.compile(r"\bfat[- ]?finger", re.I)),
    (
        (words("negligence carelessness fault blame"),),
        re.compile(
            r"\b(?:negligence|carelessness|the\s+fault\s+of|(?:is|was|are|were)\s+to\s+blame)",
            re.I,
        ),
    ),
)
_THANKS = re.compile(r"\b(?:thank|thanks|grateful|kudos|credit\s+to|shout-?out)", re.I)


def people(f: LoadedFile) -> set[str]:
    """First names of the file's authors (`by: Aiko, on-call SRE`) that its text mentions
    besides: written more often than in their `by:` lines."""
    signed: dict[str, int] = {}
    updates = f.data.get("updates") if isinstance(f.data, dict) else None
    for update in updates if isinstance(updates, list) else []:
        by = update.get("by") if isinstance(update, dict) else None
        if isinstance(by, str):
            first = by.split(",", 1)[0].split("(", 1)[0].split("（", 1)[0].split()
            if len(first) == 1 and first[0][:1].isupper():
                signed[first[0]] = signed.get(first[0], 0) + by.lower().count(first[0].lower())
    text = lowered_source(f)
    return {name for name, count in signed.items() if text.count(name.lower()) > count}


_NAME = re.compile(r"\s+([A-Z][a-z]+)\b")


def _names_after(f: LoadedFile, roles: list[str]) -> set[str]:
    """Capitalised words written right after one of the role words ("engineer Tom")."""
    assert f.source is not None
    text, lowered = f.source.text, lowered_source(f)
    if len(text) != len(lowered):  # lower-casing changed the length: offsets would not agree
        return set(re.findall(rf"(?i:\b(?:{'|'.join(roles)}))\s+([A-Z][a-z]+)\b", text))
    names = set()
    for role in roles:
        at = lowered.find(role)
        while at != -1:
            end = at + len(role)
            name = _NAME.match(text, end)
            if name and (at == 0 or not lowered[at - 1].isalnum()):
                names.add(name.group(1))
            at = lowered.find(role, end)
    return names


def _possible(known: frozenset[bytes], needs: tuple[frozenset[str], ...]) -> bool:
    # The rarer words come last in each list ("sorry" is in most files, "any" is not): asked
    # first, they end the test soonest.
    return all(not known.isdisjoint(as_bytes(group)) for group in reversed(needs))


def check_blame(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    known = vocabulary(f)
    possible = [(needs, pattern) for needs, pattern in _GENERIC_BLAME if _possible(known, needs)]
    generic = [pattern for _, pattern in possible]
    # A named person blamed: one of the file's authors, or "engineer Tom", and a verb.
    verbs = not known.isdisjoint(as_bytes(BLAME_VERB_WORDS))
    authors = people(f) if verbs else set()
    # Names written after a role word ("engineer Tom"), looked for only after the role words
    # the file holds: a pattern that starts with plain words is quick to search for.
    roles = present(f, ROLE_WORDS) if verbs else []
    named_roles = _names_after(f, roles) if roles else set()
    if not generic and not authors and not named_roles:
        return
    first_words = frozenset().union(*(needs[0] for needs, _ in possible))
    anchors = [
        *present(f, first_words),
        *(name.lower() for name in authors | named_roles),
    ]
    for path, text in prose(f, ctx):
        lowered = text.lower()
        hits = [anchor for anchor in anchors if anchor in lowered]
        names = {name for name in authors | named_roles if name.lower() in hits}
        if not hits:
            continue
        spans = sentences_with(text, lowered, hits)
        words_only = own_words(text)
        found = [
            (m.start(), "")
            for start, end in spans
            for pattern in generic
            for m in pattern.finditer(words_only, start, end)
        ]
        if names:
            found += _named_blame(words_only, spans, sorted(names))
        if not found or language(f, text) != "en":
            continue
        reported: list[int] = []
        for start, name in sorted(found):
            if _NEGATION.search(words_only[max(0, start - 40) : start]):
                continue  # "this was not human error": the blameless way to say it
            if name and _THANKS.search(sentence_at(words_only, start, start + len(name), 10_000)):
                continue  # a person thanked is not blamed
            if any(abs(start - other) < 40 for other in reported):
                continue  # one phrase, one problem
            reported.append(start)
            who = f"`{name}`" if name else "a person"
            yield report(
                f,
                "blame",
                place(f, path, text, start),
                f"`{field_name(path)}` puts the failure on {who}: "
                f"“{sentence_at(text, start, start + 1, 90)}”",
                f"name what let it happen, not {who}: “Our deploy tool let one configuration "
                "change reach every region at once, without review.”",
            )


def _named_blame(
    text: str, spans: list[tuple[int, int]], names: list[str]
) -> list[tuple[int, str]]:
    alternatives = "|".join(map(re.escape, names))
    named = re.compile(
        rf"\b({alternatives})(?:\s+(?:\w+\s+){{0,2}}?{_BLAME_VERB}"
        r"|'s\s+(?:mistake|error|fault|typo))"
        r"|\b(?:caused\s+by|due\s+to|because\s+of|(?:mistake|error)\s+(?:by|of))"
        rf"\s+({alternatives})\b"
    )
    return [
        (m.start(), m[1] or m[2]) for start, end in spans for m in named.finditer(text, start, end)
    ]
