"""`spelling` (generator/rules/spelling.py): codespell's dictionary over English prose."""

from __future__ import annotations

import pytest
from candor_sites import check_file, incident_text, rule_hits

from generator.rules.spelling import corrections, misspelt_words

FIRST = 10


def at(line_text: str, needle: str, line: int = FIRST) -> str:
    return f"{line}:{7 + line_text.index(needle)}"


def test_the_dictionary_is_codespells() -> None:
    assert len(misspelt_words()) > 30_000
    assert b"recieve" in misspelt_words() and b"receive" not in misspelt_words()
    assert corrections("recieve") == ["receive"]
    assert corrections("te") == ["the", "be", "we", "to"]
    assert corrections("receive") is None


@pytest.mark.parametrize(
    ("message", "needle", "fix"),
    [
        ("We have recieved your reports.", "recieved", "“received”"),
        ("Teh fix is rolling out now.", "Teh", "“The”"),
        ("The error occured in one region.", "occured", "“occurred”"),
        ("We will update you seperately.", "seperately", "“separately”"),
    ],
)
def test_misspelling_is_found_with_the_corrected_sentence(
    message: str, needle: str, fix: str
) -> None:
    problems = [p for p in check_file(incident_text(message)) if p.rule == "spelling"]
    assert [f"{p.line}:{p.column}" for p in problems] == [at(message, needle)]
    assert problems[0].message.endswith(f"“{needle}” is a misspelling of {fix}")
    corrected = message.replace(needle, fix.strip("“”"))
    assert problems[0].hint == f"write “{corrected}”"


def test_misspellings_in_the_title_and_a_postmortem_section() -> None:
    text = incident_text("Fixed. No data was lost.", status="resolved").replace(
        "title: Checkout errors", "title: Checkout erors"
    ) + (
        "postmortem:\n"
        "  published_at: 2026-11-20T09:30:00Z\n"
        "  apology: We are sorry.\n"
        "  what_happened: A disk failed.\n"
        "  why: |\n"
        "    The disk was old and we did not aknowledge the alerts.\n"
        "  what_we_did: Replaced it.\n  impact: Slow reads.\n  prevention: We replaced it.\n"
    )
    hits = rule_hits(text, "spelling")
    assert hits == ["1:17", "16:37"]


@pytest.mark.parametrize(
    "message",
    [
        # quoted speech and code keep their spelling
        'A customer wrote "teh site is down", and they were right.',
        "The log line was `recieved 0 bytes`; the client gave up.",
        # identifiers, host names, acronyms, camel case
        "Hosts fra1-a and fra1-b, the TEH cluster and the ReciEved flag were fine.",
        # words codespell's main list leaves alone: British spellings, product names
        "We apologise; the behaviour of Northwind's colour picker was fine.",
        # other languages
        "データの再配置が完了しました。teh",
    ],
)
def test_spelling_near_misses(message: str) -> None:
    assert rule_hits(incident_text(message), "spelling") == []


def test_names_in_by_are_not_spellchecked() -> None:
    assert rule_hits(incident_text("All fine.", by="Teh Nguyen"), "spelling") == []
