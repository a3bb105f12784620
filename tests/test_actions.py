"""`vague-action` (generator/rules/actions.py): action items and promises of prevention that
nobody could check, in English and Japanese."""

from __future__ import annotations

import pytest
from candor_sites import check_file, rule_hits

from generator.rules.actions import vague_english, vague_japanese

HEAD = (
    "title: Checkout errors\n"
    "impact: major\n"
    "components: [api]\n"
    "updates:\n"
    "  - at: 2026-11-20T09:14:00Z\n"
    "    status: resolved\n"
    "    message: Checkout works again. No data was lost.\n"
    "postmortem:\n"
    "  published_at: 2026-11-20T12:00:00Z\n"
    "  apology: We are sorry.\n"
    "  what_happened: A configuration change broke checkout.\n"
    "  why: Nothing stopped a change from reaching every region at once.\n"
    "  what_we_did: We rolled it back.\n"
    "  impact: Checkout failed for 40 minutes.\n"
)  # 14 lines: `prevention:` is line 15


def with_items(*items: str) -> str:
    return HEAD + "  prevention:\n" + "".join(items)


def item(action: str, status: str = "planned", due: str | None = "2027-01-31",
         owner: str | None = "platform team") -> str:  # fmt: skip
    text = f"    - action: {action}\n      status: {status}\n"
    text += f"      due: {due}\n" if due else ""
    return text + (f"      owner: {owner}\n" if owner else "")


@pytest.mark.parametrize(
    "action",
    [
        "Improve monitoring",
        "Improve our monitoring and alerting",
        "Review processes",
        "Consider adding a canary for configuration changes",
        "Be more careful with deployments",
        "Retrain staff",
        "Better testing",
    ],
)
def test_vague_action_text(action: str) -> None:
    problems = [p for p in check_file(with_items(item(action))) if p.rule == "vague-action"]
    assert [(p.line, p.column) for p in problems] == [(16, 15)]
    assert problems[0].message == (
        f"`postmortem.prevention[0].action` names no concrete change: “{action}”"
    )
    assert "“Page the on-call engineer when a certificate renewal fails" in problems[0].hint


@pytest.mark.parametrize(
    ("fields", "missing", "hint"),
    [
        ({"owner": None}, "no owner", "add `owner: database platform team`"),
        ({"due": None}, "no due date", "add `due: 2027-01-31`"),
        (
            {"owner": None, "due": None},
            "no owner and no due date",
            "add `owner: database platform team` and `due: 2027-01-31`",
        ),
    ],
)
def test_open_action_item_needs_an_owner_and_a_due_date(
    fields: dict[str, None], missing: str, hint: str
) -> None:
    text = with_items(
        item("Canary every configuration change", status="done", owner=None, due=None),
        item("Reject gateway configuration with missing values", **fields),  # type: ignore[arg-type]
    )
    problems = [p for p in check_file(text) if p.rule == "vague-action"]
    line = 18  # the second item: `- action:` after the first item's two lines
    assert [(p.line, p.column, p.message, p.hint) for p in problems] == [
        (
            line,
            7,
            f"`postmortem.prevention[1]` (planned) has {missing}: readers cannot tell who will "
            "do it, or by when",
            hint,
        )
    ]


@pytest.mark.parametrize(
    "action",
    [
        "Page the on-call engineer when a certificate renewal fails twice in a row",
        "Canary every configuration change",
        "Improve monitoring of certificate expiry from outside our network",
        "Add tests with clients that accept only gzip",
        "Review every alert that fired more than ten times last quarter, and delete or fix it",
        "Reject gateway configuration with missing values instead of reading them as zero",
    ],
)
def test_concrete_actions_are_near_misses(action: str) -> None:
    assert rule_hits(with_items(item(action)), "vague-action") == []


def test_done_items_need_no_owner_and_japanese_items_are_judged_in_japanese() -> None:
    text = with_items(
        item("Canary every configuration change", status="done", owner=None, due=None),
        item(
            "ガベージコレクションが停止した場合にオンコール担当者を呼び出す",
            owner="ストレージチーム",
        ),
        item("監視を強化する", owner="SRE チーム"),
        item("容量の予測に削除量を加える", owner=None),
    )
    problems = [(p.line, p.message) for p in check_file(text) if p.rule == "vague-action"]
    assert problems == [
        (22, "`postmortem.prevention[2].action` names no concrete change: “監視を強化する”"),
        (
            26,
            "`postmortem.prevention[3]` (planned) has no owner: readers cannot tell who will do "
            "it, or by when",
        ),
    ]


def test_prevention_as_prose_promises_concrete_changes() -> None:
    prose = (
        "  prevention: |\n"
        "    We have added a canary for configuration changes. We will improve our monitoring\n"
        "    and processes.\n"
        "\n"
        '    We will page the on-call engineer when a renewal fails twice. We will "review\n'
        '    things" said nobody.\n'
    )
    problems = [p for p in check_file(HEAD + prose) if p.rule == "vague-action"]
    assert [(p.line, p.column) for p in problems] == [(16, 55)]
    assert problems[0].message == (
        "`postmortem.prevention` promises no concrete change: "
        "“We will improve our monitoring and processes”"
    )


def test_vagueness_heuristics() -> None:
    assert vague_english("Improve monitoring")
    assert not vague_english("Alert on failed renewals")
    assert vague_japanese("チェック体制の徹底")
    assert not vague_japanese(
        "すべての容量アラートの通知先を見直し、オンコールのローテーションに通知する"
    )
