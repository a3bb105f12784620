"""Loading incident files: YAML-level refusals and model errors at their exact place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from candor_sites import check_file, make_site
from hypothesis import given
from hypothesis import strategies as st

from generator.core.load import MAX_BYTES, load_dir, load_file, rel_path
from generator.core.model import Incident, Maintenance
from generator.core.times import zone

GOOD = """\
title: Slow dashboard
impact: minor
components: [web]
updates:
  - at: 2026-11-20T09:14:00Z
    status: investigating
    message: |
      Pages load slowly. We are looking into it.
  - at: 2026-11-20T10:02:00Z
    status: resolved
    message: |
      Pages load at normal speed again. No data was lost.
"""

MAINTENANCE = """\
kind: maintenance
title: Database upgrade
components: [db]
scheduled:
  start: 2026-11-10T01:00Z
  end: 2026-11-10T03:00Z
updates:
  - at: 2026-11-01T10:00Z
    status: scheduled
    message: We will upgrade the database.
"""

SYNTAX_HINT = "check quotes, colons and indentation on this line"


def only(text: str | bytes, **kw: object) -> tuple[str, str, str]:
    """The one problem a file has, as (location, rule, hint)."""
    problems = check_file(text, **kw)  # type: ignore[arg-type]
    assert len(problems) == 1, [str(p) for p in problems]
    p = problems[0]
    assert p.message and p.severity == "error"
    return p.location(), p.rule, p.hint


def test_good_incident_and_maintenance_load_clean() -> None:
    assert check_file(GOOD) == []
    assert check_file(MAINTENANCE) == []
    loaded = load_file(Path("incidents/a.yaml"), "incidents/a.yaml", zone("UTC"), GOOD.encode())
    assert isinstance(loaded.event, Incident)
    assert loaded.event.id == "a" and loaded.event.file == "incidents/a.yaml"
    m = load_file(Path("m.yml"), "m.yml", zone("UTC"), MAINTENANCE.encode()).event
    assert isinstance(m, Maintenance) and m.is_maintenance and m.impact is None


# --- YAML level: exactly one error, no others -------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "rule", "hint"),
    [
        (
            "title: Error: rate\nimpact: major\n",
            "incidents/x.yaml:1:13",
            "yaml-syntax",
            "a value contains ': '; put it in quotes: `title: 'Error: rate'`",
        ),
        ('title: "unclosed\nimpact: major\n', "incidents/x.yaml:3:1", "yaml-syntax", None),
        ("title: [a, b\nimpact: major\n", "incidents/x.yaml:2:7", "yaml-syntax", None),
        (
            "title: &name Outage\nimpact: major\n",
            "incidents/x.yaml:1:8",
            "anchor",
            "remove the anchor and write values out in full; incident files are plain YAML",
        ),
        (
            "title: Outage\nimpact: *sev\n",
            "incidents/x.yaml:2:9",
            "anchor",
            "write the value out in full; incident files are plain YAML",
        ),
        (
            "title: !!python/object:os.system x\nimpact: major\n",
            "incidents/x.yaml:1:8",
            "tag",
            "remove the tag; write the value as plain text",
        ),
        (
            "title: !custom x\n",
            "incidents/x.yaml:1:8",
            "tag",
            "remove the tag; write the value as plain text",
        ),
        (
            GOOD + "---\n" + GOOD,
            "incidents/x.yaml:13:1",
            "multiple-documents",
            "keep one incident per file: move the second document to a file of its own",
        ),
        (
            GOOD + "title: Second title\n",
            "incidents/x.yaml:13:1",
            "duplicate-key",
            "keep one of them: YAML would silently use only the last",
        ),
        (
            "title: T\nupdates:\n\t- at: 2026-11-20T09:14Z\n",
            "incidents/x.yaml:3:1",
            "tab-indentation",
            "indent with spaces; YAML does not allow tabs there",
        ),
        (
            "- title: T\n- impact: major\n",
            "incidents/x.yaml:1:1",
            "not-a-mapping",
            "start with `title:`, `impact:` and `updates:` at the left margin",
        ),
        (
            "just a sentence\n",
            "incidents/x.yaml:1:1",
            "not-a-mapping",
            "start with `title:`, `impact:` and `updates:` at the left margin",
        ),
        ("", "incidents/x.yaml", "empty-file", "write the incident, or delete the file"),
        (
            "# only a comment\n\n   \n",
            "incidents/x.yaml",
            "empty-file",
            "write the incident, or delete the file",
        ),
    ],
    ids=[
        "colon",
        "unclosed-quote",
        "unclosed-bracket",
        "anchor",
        "alias",
        "python-tag",
        "local-tag",
        "documents",
        "duplicate-key",
        "tab",
        "list",
        "scalar",
        "empty",
        "comments-only",
    ],
)
def test_yaml_level_problem_is_the_only_error(
    text: str, where: str, rule: str, hint: str | None
) -> None:
    location, found_rule, found_hint = only(text)
    assert (location, found_rule) == (where, rule)
    assert found_hint == (hint or found_hint) and found_hint


def test_a_colon_in_a_long_text_suggests_a_block_under_its_own_key() -> None:
    text = GOOD.replace(
        "message: |\n      Pages load slowly. We are looking into it.",
        "message: We are sorry: pages load slowly for every customer in Europe.",
    )
    location, rule, hint = only(text)
    assert (location, rule) == ("incidents/x.yaml:7:26", "yaml-syntax")
    assert hint == (
        "a value contains ': '; put it in quotes ('…') or write it as a block "
        "(`message: |` and the text on the lines below, indented)"
    )


def test_a_colon_on_a_line_that_goes_on_a_value_gets_no_key_of_its_own() -> None:
    hint = only("title: Checkout is slow\n  cause: the database\n")[2]
    assert hint == "a value contains ': '; put the value in quotes"


@pytest.mark.parametrize(
    ("text", "where", "said"),
    [
        ("~\n", "incidents/x.yaml:1:1", "the file is empty (`~`)"),
        ("# nothing yet\n\nnull\n", "incidents/x.yaml:3:1", "the file is empty (`null`)"),
        ("---\n", "incidents/x.yaml:1:1", "the file is empty"),
    ],
)
def test_a_file_holding_yamls_no_value_says_it_is_empty(text: str, where: str, said: str) -> None:
    (problem,) = check_file(text)
    assert (problem.location(), problem.rule) == (where, "not-a-mapping")
    assert problem.message == f"{said}; it must be a mapping of fields"


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            "updates: nope",
            "`updates` is `nope`; it must be a list of updates, each `- at: …` with its "
            "`status:` and `message:` indented under it",
        ),
        ("ignore: stale", "`ignore` is `stale`; it must be a list of rule ids, e.g. `[spelling]`"),
        (
            "components: web",
            "`components` is `web`; it must be a list of component ids, e.g. `[api, web]`",
        ),
    ],
)
def test_a_list_field_given_one_value_says_what_its_list_holds(written: str, said: str) -> None:
    key = written.split(":")[0]
    kept = GOOD if key != "updates" else GOOD.split("updates:")[0]
    text = "\n".join(line for line in kept.splitlines() if not line.startswith(f"{key}:"))
    problems = [p for p in check_file(text + "\n" + written + "\n") if p.rule == "invalid-value"]
    assert [p.message for p in problems] == [said]


def test_alias_with_anchor_reports_the_anchor_first() -> None:
    assert only("title: &t T\nimpact: major\nx: *t\n")[:2] == ("incidents/x.yaml:1:8", "anchor")


def test_duplicate_key_names_the_first_line() -> None:
    problem = check_file(GOOD + "impact: major\n")[0]
    assert "`impact` appears twice" in problem.message and "first on line 2" in problem.message


def test_non_utf8_names_line_and_column() -> None:
    raw = GOOD.replace("Pages load slowly", "Caf\xe9 slow").encode("utf-8")
    raw = raw.replace("Café".encode(), b"Caf\xe9")  # Latin-1 bytes in a UTF-8 file
    location, rule, hint = only(raw)
    assert (location, rule) == ("incidents/x.yaml:8:10", "encoding")
    assert hint == "save the file as UTF-8 (most editors: File → Save with encoding → UTF-8)"
    assert "0xe9" in check_file(raw)[0].message


def test_nul_byte_is_an_encoding_error() -> None:
    assert only(b"title: T\x00\n")[:2] == ("incidents/x.yaml:1:9", "encoding")


def test_file_over_one_mib_has_no_line() -> None:
    raw = (GOOD + "# " + "x" * MAX_BYTES + "\n").encode()
    location, rule, hint = only(raw)
    assert (location, rule) == ("incidents/x.yaml", "too-large")
    assert hint == "shorten the messages or split the incident; large logs belong elsewhere"


def test_file_of_exactly_one_mib_is_read() -> None:
    padding = MAX_BYTES - len(GOOD.encode()) - 1
    assert check_file(GOOD + "#" * padding + "\n") == []


def test_byte_order_mark_and_crlf_keep_positions() -> None:
    text = "\ufeff" + GOOD.replace("We are looking", "TODO looking").replace("\n", "\r\n")
    problems = check_file(text)
    assert [(p.location(), p.rule) for p in problems] == [("incidents/x.yaml:8:26", "placeholder")]


def test_lone_carriage_returns_count_as_lines() -> None:
    problems = check_file(GOOD.replace("impact: minor", "impact: mild").replace("\n", "\r"))
    assert [(p.location(), p.rule) for p in problems] == [("incidents/x.yaml:2:9", "invalid-value")]


def test_bad_file_name_has_no_line() -> None:
    location, rule, hint = only(GOOD, name="Big Outage.yaml")
    assert (location, rule) == ("incidents/Big Outage.yaml", "bad-filename")
    assert hint == "ids use lower-case letters, digits and hyphens: rename it to `big-outage.yaml`"


# --- model errors at their place ------------------------------------------------------


def drop(text: str, line: str) -> str:
    assert line in text
    return text.replace(line, "", 1)


@pytest.mark.parametrize(
    ("text", "where", "rule", "hint"),
    [
        (
            GOOD.replace("title:", "titel:"),
            "1:1",
            "unknown-key",
            "did you mean `title`? Allowed here: title, components, started_at, language, "
            "postmortem, ignore, updates, kind, impact.",
        ),
        (
            GOOD.replace("    status: resolved", "    stauts: resolved"),
            "10:5",
            "unknown-key",
            "did you mean `status`? Allowed here: at, status, impact, message, components, "
            "next_update, by.",
        ),
        (
            GOOD + "scheduled: {start: 2026-11-20T09:00Z, end: 2026-11-20T10:00Z}\n",
            "13:1",
            "unknown-key",
            "`scheduled` belongs to maintenance: add `kind: maintenance`. Allowed here: title, "
            "components, started_at, language, postmortem, ignore, updates, kind, impact.",
        ),
        (
            drop(GOOD, "title: Slow dashboard\n"),
            "1:1",
            "missing-field",
            "add `title:` to this mapping",
        ),
        (drop(GOOD, "impact: minor\n"), "1:1", "missing-field", "add `impact:` to this mapping"),
        (
            drop(GOOD, "    status: investigating\n"),
            "5:5",
            "missing-field",
            "add `status:` to this mapping",
        ),
        (
            drop(
                GOOD, "    message: |\n      Pages load at normal speed again. No data was lost.\n"
            ),
            "9:5",
            "missing-field",
            "add `message:` to this mapping",
        ),
        (
            GOOD.replace("title: Slow dashboard", "title:"),
            "1:7",
            "empty-field",
            "fill it in, or remove the key if it is optional",
        ),
        (
            GOOD.replace("title: Slow dashboard", 'title: "  "'),
            "1:8",
            "empty-field",
            "fill it in, or remove the key if it is optional",
        ),
        (
            GOOD.replace("Pages load at normal speed again. No data was lost.\n", ""),
            "11:14",
            "empty-field",
            "fill it in, or remove the key if it is optional",
        ),
        (
            GOOD.split("updates:")[0] + "updates: []\n",
            "4:10",
            "empty-field",
            "add an entry",
        ),
        (
            GOOD.replace("impact: minor", "impact: mayor"),
            "2:9",
            "invalid-value",
            "did you mean `major`? Allowed: none, minor, major, critical.",
        ),
        (
            GOOD.replace("status: resolved", "status: resovled"),
            "10:13",
            "invalid-value",
            "did you mean `resolved`? Allowed: investigating, identified, monitoring, resolved.",
        ),
        (
            GOOD.replace("status: resolved", "status: resolved\n    components: {web: down}"),
            "11:23",
            "invalid-value",
            "Allowed: operational, under_maintenance, degraded_performance, partial_outage, "
            "major_outage.",
        ),
        (
            GOOD.replace("components: [web]", "components: web"),
            "3:13",
            "invalid-value",
            "check the indentation and the brackets",
        ),
        (
            GOOD.replace("title: Slow dashboard", "title: [Slow, dashboard]"),
            "1:8",
            "invalid-value",
            "check the indentation and the brackets",
        ),
        (
            GOOD.split("updates:")[0] + "updates:\n  - just text\n",
            "5:5",
            "invalid-value",
            "check the indentation and the brackets",
        ),
        (
            "kind: maintanance\n" + GOOD,
            "1:7",
            "invalid-value",
            "did you mean `maintenance`? Allowed: incident (the default), maintenance.",
        ),
        (
            MAINTENANCE.replace("status: scheduled", "status: investigating"),
            "9:13",
            "invalid-value",
            "Allowed: scheduled, in_progress, verifying, completed.",
        ),
        (
            drop(MAINTENANCE, "scheduled:\n  start: 2026-11-10T01:00Z\n  end: 2026-11-10T03:00Z\n"),
            "1:1",
            "missing-field",
            "add `scheduled:` to this mapping",
        ),
        (
            MAINTENANCE.replace("end: 2026-11-10T03:00Z", "end: 2026-11-10T00:30Z"),
            "6:8",
            "invalid-value",
            "the window ends after it starts: check the dates and UTC offsets",
        ),
        (
            GOOD.replace("status: resolved", "status: resolved\n    next_update: 30 minutes"),
            "11:18",
            "invalid-value",
            "write a whole number of minutes or hours, e.g. 30m or 2h",
        ),
        (
            GOOD.replace("status: resolved", "status: resolved\n    next_update: 0m"),
            "11:18",
            "invalid-value",
            "a duration must be positive; write a whole number of minutes or hours, e.g. 30m or 2h",
        ),
    ],
    ids=[
        "unknown-top",
        "unknown-update",
        "scheduled-on-incident",
        "missing-title",
        "missing-impact",
        "missing-status",
        "missing-message",
        "empty-title",
        "blank-title",
        "empty-block",
        "no-updates",
        "impact",
        "status",
        "component-status",
        "components-not-list",
        "title-list",
        "update-not-mapping",
        "kind",
        "maintenance-status",
        "missing-window",
        "window-order",
        "duration",
        "zero-duration",
    ],
)
def test_model_error_place_rule_and_hint(text: str, where: str, rule: str, hint: str) -> None:
    assert only(text) == (f"incidents/x.yaml:{where}", rule, hint)


def test_typo_is_not_also_reported_missing() -> None:
    problems = check_file(GOOD.replace("    status: investigating", "    stauts: investigating"))
    assert [p.rule for p in problems] == ["unknown-key"]


def test_missing_postmortem_sections_point_at_the_postmortem_mapping() -> None:
    text = GOOD + "postmortem:\n  published_at: 2026-11-21T09:00Z\n  apology: Sorry.\n"
    problems = check_file(text)
    assert {(p.location(), p.rule) for p in problems} == {
        ("incidents/x.yaml:14:3", "missing-field")
    }
    assert sorted(p.message.split("`")[1] for p in problems) == [
        "impact",
        "prevention",
        "what_happened",
        "what_we_did",
        "why",
    ]


def test_action_item_errors_each_at_their_item() -> None:
    text = GOOD + (
        "postmortem:\n  published_at: 2026-11-21T09:00Z\n  apology: a\n  what_happened: a\n"
        "  why: a\n  what_we_did: a\n  impact: a\n  prevention:\n"
        "    - action: Canary config\n      status: doen\n    - status: done\n"
    )
    got = [(p.location(), p.rule, p.hint) for p in check_file(text)]
    assert got == [
        (
            "incidents/x.yaml:22:15",
            "invalid-value",
            "did you mean `done`? Allowed: planned, in_progress, done.",
        ),
        ("incidents/x.yaml:23:7", "missing-field", "add `action:` to this mapping"),
    ]


def test_errors_name_the_value_and_the_field() -> None:
    problem = check_file(GOOD.replace("status: resolved", "status: resovled"))[0]
    assert problem.message == "`updates[1].status` is `resovled`, not an allowed value"


def test_a_value_that_looks_like_a_number_stays_text() -> None:
    loaded = load_file(
        Path("a.yaml"), "a.yaml", zone("UTC"), GOOD.replace("Slow dashboard", "404").encode()
    )
    assert loaded.event is not None and loaded.event.title == "404"


# --- the folder -------------------------------------------------------------------------


def test_same_id_in_yaml_and_yml_is_reported_for_both_without_a_line(tmp_path: Path) -> None:
    make_site(tmp_path, {"x.yaml": GOOD, "x.yml": GOOD, "y.yaml": GOOD})
    files = load_dir(tmp_path / "incidents", tmp_path, zone("UTC"))
    problems = [(p.location(), p.rule, p.hint) for f in files for p in f.problems]
    hint = "ids must be unique across .yaml and .yml: rename or delete one file"
    assert problems == [
        ("incidents/x.yaml", "duplicate-id", hint),
        ("incidents/x.yml", "duplicate-id", hint),
    ]
    assert [f.id for f in files if f.event is not None] == ["y"]


def test_discover_ignores_other_files_and_hidden_ones(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.yaml": GOOD, "b.yml": GOOD, ".c.yaml": GOOD, "notes.md": "x"})
    files = load_dir(tmp_path / "incidents", tmp_path, zone("UTC"))
    assert [f.rel for f in files] == ["incidents/a.yaml", "incidents/b.yml"]


def test_a_file_with_a_yaml_error_keeps_its_one_error_despite_a_duplicate(tmp_path: Path) -> None:
    make_site(tmp_path, {"x.yaml": "title: [\n", "x.yml": GOOD})
    files = load_dir(tmp_path / "incidents", tmp_path, zone("UTC"))
    assert [[p.rule for p in f.problems] for f in files] == [["yaml-syntax"], ["duplicate-id"]]


def test_a_language_that_is_no_tag_is_reported_at_its_place() -> None:
    text = "title: X\nimpact: none\nlanguage: Japanese\nupdates:\n" + (
        "  - at: 2026-11-20T10:00Z\n    status: resolved\n    message: Fixed.\n"
    )
    found = check_file(text)
    assert [(p.line, p.column, p.rule) for p in found] == [(3, 11, "invalid-value")]
    assert "`Japanese` is not a language tag" in found[0].message
    assert "BCP 47" in (found[0].hint or "")


# --- control characters (SPEC §4) ---------------------------------------------------------


def _controls(text: str) -> list[tuple[str, str]]:
    return [(p.location(), p.message) for p in check_file(text) if p.rule == "control-character"]


def test_an_ansi_colour_code_pasted_raw_is_an_error_at_its_column() -> None:
    text = GOOD.replace("We are looking into it.", "Log: \x1b[31mERROR\x1b[0m seen.")
    found = _controls(text)
    assert found == [
        ("incidents/x.yaml:8:31", "the file holds the control character U+001B (ESC)"),
        ("incidents/x.yaml:8:41", "the file holds the control character U+001B (ESC)"),
    ]
    # Like an encoding problem, it stands alone: YAML itself cannot read the file.
    assert {p.rule for p in check_file(text)} == {"control-character"}


@pytest.mark.parametrize(
    ("value", "column", "char", "written"),
    [
        (r'"Log: \x1b[31mERROR"', 20, "U+001B (ESC)", r"\x1b"),
        (r'"Ding \u0007"', 20, "U+0007 (BEL)", r"\u0007"),
        (r'"Ding \a"', 20, "U+0007 (BEL)", r"\a"),
        (r'"C1 \u009b"', 18, "U+009B (a C1 control)", r"\u009b"),
        (r'"not \uffff"', 19, "U+FFFF (a noncharacter)", r"\uffff"),
        (r'"nul \0"', 19, "U+0000 (NUL)", r"\0"),
        (r'"del \x7f"', 19, "U+007F (DEL)", r"\x7f"),
    ],
)
def test_a_control_character_written_as_an_escape_is_an_error_at_the_escape(
    value: str, column: int, char: str, written: str
) -> None:
    text = GOOD.replace(
        "message: |\n      Pages load slowly. We are looking into it.", "message: " + value
    )
    assert _controls(text) == [
        (
            f"incidents/x.yaml:7:{column}",
            f"`updates[0].message` holds the control character {char}, written as `{written}`",
        )
    ]


def test_an_escaped_lone_surrogate_is_a_control_character() -> None:
    text = GOOD.replace(
        "message: |\n      Pages load slowly. We are looking into it.", r'message: "half \ud800"'
    )
    assert _controls(text) == [
        ("incidents/x.yaml:7:20", r"the file holds a lone surrogate, written as `\ud800`")
    ]


def test_text_that_only_looks_like_an_escape_is_fine() -> None:
    # A tab and line breaks are text; an escaped backslash is a backslash; RTL, emoji too.
    for value in (r'"a\tb\nc\r\n"', r'"C:\\x1b\\u0007"', "'\\x1b single-quoted'", '"שלום 🙂"'):
        text = GOOD.replace(
            "message: |\n      Pages load slowly. We are looking into it.", "message: " + value
        )
        assert _controls(text) == [], value


def test_crlf_line_ends_are_fine_and_a_control_in_a_crlf_file_is_placed() -> None:
    assert _controls(GOOD.replace("\n", "\r\n")) == []
    text = GOOD.replace("\n", "\r\n").replace("Slow dashboard", "Slow\x07 dashboard")
    assert _controls(text) == [
        ("incidents/x.yaml:1:12", "the file holds the control character U+0007 (BEL)")
    ]


# --- files that are not files (SPEC §4) -----------------------------------------------------


def test_a_symlink_to_a_secret_is_never_read_or_echoed(tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("ghp_SECRETTOKEN\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    path = make_site(tmp_path / "site", {})
    (path.parent / "incidents" / "a.yaml").symlink_to(secret)
    (path.parent / "incidents" / "b.yaml").symlink_to(path.parent / "mkdocs.yml")
    files = load_dir(path.parent / "incidents", path.parent, zone("UTC"))
    shown = [(p.file, p.rule, p.line) for f in files for p in f.problems]
    assert shown == [
        ("incidents/a.yaml", "not-a-regular-file", None),
        ("incidents/b.yaml", "not-a-regular-file", None),
    ]
    text = " ".join(p.message + p.hint for f in files for p in f.problems)
    assert "SECRET" not in text and "token" not in text and "mkdocs" not in text


def test_a_fifo_and_a_link_to_dev_zero_do_not_hang(tmp_path: Path) -> None:
    path = make_site(tmp_path, {})
    os.mkfifo(path.parent / "incidents" / "pipe.yaml")
    (path.parent / "incidents" / "zero.yaml").symlink_to("/dev/zero")
    files = load_dir(path.parent / "incidents", path.parent, zone("UTC"))
    assert [(f.id, [p.rule for p in f.problems]) for f in files] == [
        ("pipe", ["not-a-regular-file"]),
        ("zero", ["not-a-regular-file"]),
    ]
    assert "named pipe" in files[0].problems[0].message


def test_a_sparse_gigabyte_file_is_too_large_without_being_read(tmp_path: Path) -> None:
    path = make_site(tmp_path, {})
    with (path.parent / "incidents" / "big.yaml").open("wb") as handle:
        handle.truncate(1 << 30)
    (loaded,) = load_dir(path.parent / "incidents", path.parent, zone("UTC"))
    (problem,) = loaded.problems
    assert problem.rule == "too-large" and "1,073,741,824 bytes" in problem.message


_PART = st.sampled_from(["a", "ab", "b", ".", "..", "incidents", "x.yaml", "a b", "é"])


@given(st.booleans(), st.lists(_PART, max_size=4), st.lists(_PART, max_size=4), st.booleans())
def test_a_files_name_from_the_root_is_what_relative_to_gives(
    absolute: bool, root: list[str], rest: list[str], under: bool
) -> None:
    """The shortcut in `rel_path` answers as `Path.relative_to` does, inside the root or
    outside it, absolute or relative, with `.` and `..` as written."""
    top = Path("/" if absolute else ".", *root)
    path = top.joinpath(*rest) if under else Path("/" if absolute else ".", *rest)
    try:
        expected = path.relative_to(top).as_posix()
    except ValueError:
        expected = path.as_posix()
    assert rel_path(path, top) == expected
