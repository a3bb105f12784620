"""`non-apology` and `blame` (generator/rules/tone.py): true positives at the offending
words, and near misses that must not fire."""

from __future__ import annotations

import pytest
from candor_sites import check_file, incident_text, rule_hits

# The message's first line is line 10 of the file; its text starts in column 7.
FIRST = 10


def at(line_text: str, needle: str, line: int = FIRST) -> str:
    return f"{line}:{7 + line_text.index(needle)}"


# --- non-apology -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "needle"),
    [
        ("We apologize for any inconvenience this may have caused.", "apologize"),
        ("Sorry for the inconvenience. We are on it.", "Sorry"),
        ("We're sorry if you were affected by the slow logins.", "sorry"),
        ("We regret that you feel let down by our response.", "regret"),
        ("We're sorry, but the outage was caused by our cloud provider.", "sorry"),
        ("Mistakes were made during the deploy.", "Mistakes"),
        ("Logins failed. Any trouble this may have caused is regrettable.", "trouble"),
    ],
)
def test_non_apology_is_found_at_its_words(message: str, needle: str) -> None:
    assert rule_hits(incident_text(message), "non-apology") == [at(message, needle)]


def test_non_apology_in_a_later_line_of_a_block_and_its_hint_shows_a_better_sentence() -> None:
    message = "Checkout is failing for many of you.\n\nWe apologise for any\ndisruption."
    problems = [p for p in check_file(incident_text(message)) if p.rule == "non-apology"]
    assert [(p.line, p.column, p.severity) for p in problems] == [(12, 10, "warning")]
    assert "“apologise for any disruption”" in problems[0].message
    assert problems[0].hint.startswith("apologise for what happened, in plain words: “We're sorry:")


@pytest.mark.parametrize(
    "message",
    [
        # quoted speech: what we will never say again
        'We will never again write "sorry for any inconvenience" after an outage.',
        "Our old template said “we apologize for any inconvenience”; we retired it.",
        "> We regret that you feel let down.\n\nA customer wrote that to us, and they were right.",
        # code spans and fences
        "The bot posted `sorry for any inconvenience` in chat; we have turned it off.",
        "```\nWe apologize for any inconvenience.\n```\nThat was the old auto-reply.",
        # the words without the evasion
        "Renewals continue without any inconvenience to you.",
        "We're sorry: if you were logged out, please log in again.",
        "We're sorry. Checkout failed for one in five of you for 40 minutes.",
    ],
)
def test_non_apology_near_misses(message: str) -> None:
    assert rule_hits(incident_text(message), "non-apology") == []


def test_non_apology_skips_other_languages() -> None:
    german = "Wir entschuldigen uns für die Unannehmlichkeiten, und wir sind dabei. Sorry if any."
    japanese = "ご迷惑をおかけして申し訳ございません。We apologize for any inconvenience."
    assert rule_hits(incident_text(german), "non-apology") == []
    assert rule_hits(incident_text(japanese), "non-apology") == []


# --- blame -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "needle", "who"),
    [
        ("The outage was caused by human error.", "human", "a person"),
        ("An engineer mistakenly ran the cleanup script on production.", "An", "a person"),
        ("One of our engineers forgot to renew the certificate.", "One", "a person"),
        ("Aiko forgot to renew the certificate.", "Aiko", "`Aiko`"),  # Aiko is the author
        ("The rollback failed because of Aiko.", "because", "`Aiko`"),
        ("Our engineer Tom deleted the production queue.", "Tom", "`Tom`"),
        ("Someone pushed a bad configuration on Friday.", "Someone", "a person"),
    ],
)
def test_blame_is_found_at_its_words(message: str, needle: str, who: str) -> None:
    problems = [p for p in check_file(incident_text(message)) if p.rule == "blame"]
    assert [f"{p.line}:{p.column}" for p in problems] == [at(message, needle)]
    assert f"puts the failure on {who}" in problems[0].message
    assert problems[0].hint.startswith(f"name what let it happen, not {who}: “Our deploy tool")


@pytest.mark.parametrize(
    "message",
    [
        # a person thanked is not blamed
        "Thanks to Aiko, who noticed the failed deploy and rolled it back within minutes.",
        "We are grateful to Aiko, who failed to find a single customer who lost data.",
        # blameless on purpose
        "This was not human error: our deploy tool let the change skip review.",
        # quoted and in code
        'A reader asked whether it was "human error"; the answer is our process.',
        "The log said `operator error: quota exceeded`; the quota was ours to raise.",
        # software fails too, and names of things are not people
        "The cleanup job failed to start, and the admin tool accidentally deleted the queue.",
        "Aiko posted this update; the load balancer failed to drain connections.",
    ],
)
def test_blame_near_misses(message: str) -> None:
    assert rule_hits(incident_text(message), "blame") == []


def test_blame_is_english_only() -> None:
    japanese = "担当者の人為的なミスが原因です。human error と書かれた報告もありました。"
    assert rule_hits(incident_text(japanese), "blame") == []
