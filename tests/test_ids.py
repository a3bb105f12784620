"""Which incident an id argument names (generator/authoring/ids.py): the full id, the id
without its date, or any unambiguous prefix of either."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.authoring.ids import Ambiguous, match, suggestions

CHECKOUT = "2026-11-24-checkout-fails-for-some-customers"
IDS = {
    i: Path(f"incidents/{i}.yaml")
    for i in (
        "2026-11-24-checkout-fails-for-some-customers",
        "2026-11-20-api-errors",
        "2026-11-20-api-errors-2",
        "2026-10-02-api-latency",
        "2026-09-01-dns-outage",
        "2026-01-01-dns-outage",
        "maintenance-window",
    )
}


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        (CHECKOUT, CHECKOUT),
        ("checkout-fails-for-some-customers", "2026-11-24-checkout-fails-for-some-customers"),
        ("checkout", "2026-11-24-checkout-fails-for-some-customers"),
        ("2026-11-24", "2026-11-24-checkout-fails-for-some-customers"),
        ("2026-11-24-check", "2026-11-24-checkout-fails-for-some-customers"),
        ("CHECKOUT", "2026-11-24-checkout-fails-for-some-customers"),
        (f"incidents/{CHECKOUT}.yaml", CHECKOUT),
        # The id without its date wins over a longer id it is a prefix of.
        ("api-errors", "2026-11-20-api-errors"),
        ("api-errors-2", "2026-11-20-api-errors-2"),
        ("api-l", "2026-10-02-api-latency"),
        ("2026-09", "2026-09-01-dns-outage"),
        ("maint", "maintenance-window"),
        ("errors", None),
        ("", None),
    ],
)  # fmt: skip
def test_full_id_id_without_date_or_a_prefix_of_either(typed: str, found: str | None) -> None:
    assert match(typed, IDS) == found


@pytest.mark.parametrize(
    ("typed", "candidates"),
    [
        ("api", ["2026-11-20-api-errors-2", "2026-11-20-api-errors", "2026-10-02-api-latency"]),
        ("2026-11-20", ["2026-11-20-api-errors-2", "2026-11-20-api-errors"]),
        # Two incidents share the id without the date: newest first.
        ("dns-outage", ["2026-09-01-dns-outage", "2026-01-01-dns-outage"]),
    ],
)
def test_an_ambiguous_argument_lists_the_candidates_newest_first(
    typed: str, candidates: list[str]
) -> None:
    with pytest.raises(Ambiguous) as caught:
        match(typed, IDS)
    assert caught.value.candidates == candidates


def test_suggestions_for_a_typo_compare_the_ids_without_their_dates() -> None:
    assert suggestions("chekout-fails", IDS)[0] == "2026-11-24-checkout-fails-for-some-customers"
    assert suggestions("api-erors", IDS)[:2] == ["2026-11-20-api-errors", "2026-11-20-api-errors-2"]
