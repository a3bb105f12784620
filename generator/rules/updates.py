"""What the updates of an incident must say, and when: whether data was lost
(`data-loss-unstated`), when the next update comes (`no-next-update`), and a first word
soon after customers were hurt (`slow-first-update`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.model import Incident
from generator.core.times import format_duration, format_duration_spec
from generator.rules.context import Context
from generator.rules.prose import language, own_words, prose, report, sentence_bounds

# --- data-loss-unstated ----------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?。\n]+(?:\n(?![ \t]*\n)[^.!?。\n]+)*")
_DATA = re.compile(
    r"\b(?:data|writes?|records?|messages?|files?|e-?mails?|backups?|objects?|transactions?|"
    r"payments?|orders?|events?|uploads?|content|databases?|information|nothing|none|rows?|"
    r"logs?|metrics|documents?)\b",
    re.I,
)
# What happened to the data, as plain words: looked for with `str.find`, as nearly every
# resolving update is read and a pattern of alternatives is slow to scan. "corrupt" also as
# the start of "corrupted", "corruption".
_FATE_WORDS = (
    "lost",
    "loss",
    "lose",
    "losing",
    "safe",
    "intact",
    "unaffected",
    "corrupt",
    "deleted",
    "preserved",
    "retained",
    "missing",
    "dropped",
    "risk",
    "recovered",
    "damaged",
    "altered",
    "affected",
    "kept",
)
_JA_DATA = re.compile(
    r"データ|ファイル|書き込み|アップロード|メール|バックアップ|記録|オブジェクト|情報"
)
_JA_FATE = re.compile(
    r"失われ|消失|損失|欠損|破損|消え|安全|無事|保全|保持|保護|影響はありません|影響はございません|"
    r"影響はなく|影響はございませんでした|影響はありませんでした"
)


def states_data_fate(text: str, spoken: str) -> bool:
    """Whether one sentence of the text says what happened to customers' data."""
    words_only = own_words(text)
    if spoken == "ja":
        if text.isascii():
            return False
        return any(
            _JA_DATA.search(words_only, *sentence_bounds(words_only, m.start(), m.end()))
            for m in _JA_FATE.finditer(words_only)
        )
    lowered = words_only.lower()
    for word in _FATE_WORDS:
        at = lowered.find(word)
        while at != -1:
            end = at + len(word)
            whole = (at == 0 or not lowered[at - 1].isalpha()) and (
                word == "corrupt" or end == len(lowered) or not lowered[end].isalpha()
            )
            if whole and _DATA.search(words_only, *sentence_bounds(words_only, at, end)):
                return True
            at = lowered.find(word, end)
    return False


def check_data_loss(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Incident) or event.resolving_update is None:
        return
    assert f.source is not None
    message = event.resolving_update.message
    if states_data_fate(message, "en") or states_data_fate(message, "ja"):
        return
    spoken = language(f, message)
    if spoken not in ("en", "ja"):
        return  # a language these words do not cover: not judged
    index = len(event.updates) - 1
    yield report(
        f,
        "data-loss-unstated",
        f.source.value_pos(("updates", index, "message")),
        f"`updates[{index}]` resolves `{event.id}` without saying whether any data was lost",
        "say it, even when nothing was lost: “No data was lost.”, or “Uploads made between "
        "09:14 and 09:20 were lost; we have emailed the 12 customers affected.”"
        if spoken == "en"
        else "say it, even when nothing was lost: "
        "「お客様のデータが失われることはありませんでした。」",
    )


# --- no-next-update --------------------------------------------------------------------------

_PROMISE_IN_WORDS = re.compile(
    r"\bwithin\s+(?:the\s+next\s+)?(\d+|an?|one|two|half\s+an)\s+(minutes?|hours?)\b"
    r"|(\d+)\s*(分|時間)以内",
    re.I,
)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2}


def _promised_in_words(message: str) -> str | None:
    """`30m` when the message says "within 30 minutes" (or 30分以内)."""
    match = _PROMISE_IN_WORDS.search(message)
    if match is None:
        return None
    if match.group(3):
        return f"{match.group(3)}{'m' if match.group(4) == '分' else 'h'}"
    amount, unit = match.group(1).lower(), match.group(2).lower()
    if amount == "half an":
        return "30m"
    number = _NUMBER_WORDS.get(amount) or int(amount)
    return f"{number}{unit[0]}"


def check_next_update_promised(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Incident) or not event.is_active(ctx.now):
        return
    made = event.updates_until(ctx.now)
    if not made or made[-1].next_update is not None:
        return
    assert f.source is not None
    index = len(made) - 1
    in_words = _promised_in_words(made[-1].message)
    hint = (
        f"the message promises one: add `next_update: {in_words}` so the page shows when it is due"
        if in_words
        else "promise the next update, even if you expect no news: add `next_update: 30m` and "
        "write “We will post again within 30 minutes.”"
    )
    yield report(
        f,
        "no-next-update",
        f.source.value_pos(("updates", index)),
        f"`updates[{index}]` is the latest update of open incident `{event.id}` "
        f"({made[-1].status}) and does not say when the next one comes",
        hint,
    )


# --- slow-first-update -----------------------------------------------------------------------

# "We should have told you sooner", "it took us 47 minutes to tell you": the late first word,
# owned in public. Said anywhere in the incident, it turns the warning into a note.
_TOLD = re.compile(
    r"\b(?:tell|told|telling|post|posted|posting|update|updated|updating|inform|informed|"
    r"notify|notified|word|communicat\w*|announc\w*|acknowledg\w*|notic\w*|detect\w*)\b",
    re.I,
)
_LATE = re.compile(r"\b(?:sooner|earlier|late|later|delay\w*|slow\w*|so\s+long|took\s+us)\b", re.I)
_JA_LATE = re.compile(
    r"(?:ご?報告|ご?連絡|お知らせ|第一報|掲載|公表|告知|周知|検知)\S{0,12}?(?:遅れ|遅く|遅延)"
)


def acknowledges_late_word(f: LoadedFile, ctx: Context) -> bool:
    for _, text in prose(f, ctx):
        if _JA_LATE.search(text):
            return True
        if any(
            _TOLD.search(sentence) and _LATE.search(sentence)
            for sentence in _SENTENCE.findall(own_words(text))
        ):
            return True
    return False


def check_first_update(f: LoadedFile, ctx: Context) -> Iterator[Problem]:
    event = f.event
    if not isinstance(event, Incident) or event.started_at is None:
        return
    first = event.updates[0].at
    delay = first - event.started_at
    within = ctx.config.first_update_within
    if delay <= within:
        return
    assert f.source is not None
    # What the team can still act on is a warning: an open incident whose late start nobody
    # has owned yet. Once it is owned, or the incident is over, it is part of the record.
    open_and_unowned = event.is_active(ctx.now) and not acknowledges_late_word(f, ctx)
    yield report(
        f,
        "slow-first-update",
        f.source.value_pos(("updates", 0, "at")),
        f"the first public update of `{event.id}` came {format_duration(delay)} after customers "
        f"were affected (started_at {ctx.show(event.started_at)}, first update {ctx.show(first)}; "
        f"first_update_within: {format_duration_spec(within)})",
        "own the silence in the next update: “We're sorry we didn't tell you sooner.” Next "
        "time, post within minutes, even before you know the cause: “We're sorry: logins are "
        "failing. We are investigating and will update you within 30 minutes.”"
        if open_and_unowned
        else "part of the record, counted in the public time to first update: post the first "
        "word sooner next time, even before you know the cause",
        "warning" if open_and_unowned else "note",
    )
