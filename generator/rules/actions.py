"""`vague-action`: a postmortem's promise of prevention that nobody could check. An action
item needs a concrete verb and object ("Page the on-call engineer when a renewal fails
twice", not "Improve monitoring"), and, until it is done, an owner and a due date.

Owner and due date are judged in any language; vagueness in English and Japanese."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.model import Incident
from generator.core.validation import field_name
from generator.rules.context import Context
from generator.rules.prose import language, own_words, place, report, words

_NONCOMMITTAL = re.compile(
    r"^\W*(?:consider|explore|look\s+into|think\s+about|try\s+to|aim\s+to|strive\s+to|"
    r"discuss|work\s+towards?|be\s+more\s+careful|investigate\s+(?:whether|if|ways|options|how)|"
    r"evaluate\s+(?:whether|if|options|ways))\b",
    re.I,
)
_VAGUE_VERBS = words(
    "improve enhance strengthen optimise optimize review revisit ensure increase continue "
    "refine address tighten boost better"
)
# Nouns that name an area, not a change: "monitoring" could mean anything.
_VAGUE_OBJECTS = words(
    "monitoring alerting alerts alert processes process procedures procedure communication "
    "communications testing tests test documentation docs tooling tools observability "
    "visibility reliability stability resilience robustness awareness training practices "
    "practice quality coverage checks safeguards systems system infrastructure capacity "
    "performance response handling things measures controls oversight reviews issues staff "
    "people engineers team teams culture"
)
_FILLER = words(
    "a an the our we will to of for and or in on with all any more better further every its "
    "their be is are that this these those it them where possible needed necessary going "
    "forward overall general generally additional improved stronger"
)
_NOT_CONCRETE = _FILLER | _VAGUE_OBJECTS | _VAGUE_VERBS
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_JA_VAGUE = re.compile(r"強化|徹底|改善|見直|検討|注意|努め|心がけ|周知|留意")
_JA_CONTENT = re.compile(r"[^\s\W、。・（）()「」]", re.U)
_FUTURE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))\s*(?:we\s+will|we'll|we\s+are\s+going\s+to|we\s+plan\s+to|"
    r"we\s+intend\s+to)\s+((?:[^.!?\n]|\n(?![ \t]*\n))+)",
    re.I,
)
_BETTER = (
    "“Page the on-call engineer when a certificate renewal fails twice in a row”, with an "
    "`owner` (a team or person) and a `due` date"
)


def vague_english(action: str) -> bool:
    """No concrete object: only a verb and words that name an area ("Improve monitoring"),
    or a promise to think rather than to change ("Consider …")."""
    if _NONCOMMITTAL.search(action):
        return True
    tokens = [t.lower().strip("'-") for t in _WORD.findall(action)]
    rest = [t for t in tokens[1:] if t not in _NOT_CONCRETE]
    return not rest


def vague_japanese(action: str) -> bool:
    """A stock phrase ("監視を強化する", "チェック体制の徹底") with little else."""
    return bool(_JA_VAGUE.search(action)) and len(_JA_CONTENT.findall(action)) < 16


def _vague(f: LoadedFile, action: str) -> bool:
    if not action.isascii() and vague_japanese(action):
        return language(f, action) == "ja"
    return vague_english(own_words(action)) and language(f, action) == "en"


def check_vague_actions(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Incident) or event.postmortem is None:
        return
    assert f.source is not None
    prevention = event.postmortem.prevention
    if isinstance(prevention, str):
        yield from _vague_sentences(f, prevention)
        return
    for index, item in enumerate(prevention):
        path = ("postmortem", "prevention", index)
        if _vague(f, item.action):
            yield report(
                f,
                "vague-action",
                f.source.value_pos((*path, "action")),
                f"`{field_name((*path, 'action'))}` names no concrete change: “{item.action}”",
                f"say what will change, so that anyone can check it was done: {_BETTER}",
            )
        if item.status == "done":
            continue  # done: who and by when no longer matter to a reader
        missing = [
            (what, example)
            for what, example, value in (
                ("no owner", "`owner: database platform team`", item.owner),
                ("no due date", "`due: 2027-01-31`", item.due),
            )
            if not value
        ]
        if missing:
            yield report(
                f,
                "vague-action",
                f.source.value_pos(path),
                f"`{field_name(path)}` ({item.status}) has {' and '.join(w for w, _ in missing)}: "
                "readers cannot tell who will do it, or by when",
                f"add {' and '.join(e for _, e in missing)}",
            )


def _vague_sentences(f: LoadedFile, text: str) -> Iterator[Problem]:
    """Prevention written as prose: each "We will …" promise must name a concrete change."""
    path = ("postmortem", "prevention")
    spoken = language(f, text)
    if spoken == "ja":
        for match in re.finditer(r"[^。\n]+(?:。|$)", text):
            if vague_japanese(match.group(0)):
                yield _vague_sentence(f, path, text, match.start(), match.group(0).strip())
    elif spoken == "en":
        words_only = own_words(text)
        for match in _FUTURE.finditer(words_only):
            if vague_english(match.group(1)):
                start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
                shown = " ".join(text[start : match.end()].split())
                yield _vague_sentence(f, path, text, start, shown)


def _vague_sentence(
    f: LoadedFile, path: tuple[str, str], text: str, at: int, shown: str
) -> Problem:
    return report(
        f,
        "vague-action",
        place(f, path, text, at),
        f"`{field_name(path)}` promises no concrete change: “{shown}”",
        f"say what will change: “We will page the on-call engineer when a certificate renewal "
        f"fails twice in a row.”, or list action items: {_BETTER}",
    )
