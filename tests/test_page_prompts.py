"""generator/rules/pages.py: `[[ … ]]` prompts left in hand-written pages are warnings at
their line and column; code, hidden folders, symlinks and huge files are not read. A page
that is not UTF-8, which stops the build, is an error at its first bad byte."""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import Problem
from generator.rules.pages import PAGE_LIMIT, hand_written_pages, prompts_in


def pages(tmp_path: Path, files: dict[str, str]) -> Path:
    docs = tmp_path / "site_src"
    for rel, text in files.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    docs.mkdir(exist_ok=True)
    return docs


def page_prompts(docs: Path, root: Path) -> list[Problem]:
    return prompts_in(hand_written_pages(docs, root)[0])


def test_each_prompt_is_a_warning_at_its_place(tmp_path: Path) -> None:
    docs = pages(
        tmp_path,
        {
            "about.md": "# About\n\nWe are [[ who you are,\nin a sentence ]]. Ask [[ whom ]].\n",
            "team/contact.md": "Mail [[ an address ]]\n",
            "notes.txt": "[[ not a page ]]\n",
        },
    )
    found = page_prompts(docs, tmp_path)
    assert [(p.file, p.line, p.column, p.severity, p.rule) for p in found] == [
        ("site_src/about.md", 3, 8, "warning", "placeholder"),
        ("site_src/about.md", 4, 23, "warning", "placeholder"),
        ("site_src/team/contact.md", 1, 6, "warning", "placeholder"),
    ]
    assert "`[[ who you are, in a sentence ]]`" in found[0].message
    assert found[0].hint


def test_code_hidden_folders_symlinks_and_huge_pages_are_left_alone(tmp_path: Path) -> None:
    docs = pages(
        tmp_path,
        {
            "code.md": "Write `[[ x ]]`, or:\n\n```\n[[ y ]]\n```\n",
            ".drafts/a.md": "[[ draft ]]\n",
            "huge.md": "[[ big ]]" + " " * PAGE_LIMIT,
        },
    )
    (tmp_path / "outside.md").write_text("[[ outside ]]\n", encoding="utf-8")
    (docs / "link.md").symlink_to(tmp_path / "outside.md")
    assert page_prompts(docs, tmp_path) == []
    assert page_prompts(tmp_path / "missing", tmp_path) == []


def test_a_page_that_is_not_utf8_is_an_error_at_its_first_bad_byte(tmp_path: Path) -> None:
    """mkdocs reads every page it builds as UTF-8 and stops at one that is not; a page it
    never builds (hidden, or in docs_dir's `templates` folder) is none of the check's
    business. Huge pages are not searched for prompts, but their encoding is checked."""
    docs = pages(tmp_path, {"about.md": "Fine [[ prompt ]]\n"})
    (docs / "menu.md").write_bytes(b"# Menu\r\n\r\nCaf\xe9 au lait\r\n")
    (docs / "bom.md").write_bytes(b"\xef\xbb\xbfAn editor's byte-order mark is fine\n")
    (docs / "old.mkd").write_bytes(b"\xff\xfe bad")
    (docs / "huge.md").write_bytes(b" " * PAGE_LIMIT + b"\n\x80")
    for unbuilt in (".drafts/a.md", "templates/a.md"):
        (docs / unbuilt).parent.mkdir()
        (docs / unbuilt).write_bytes(b"\xff")
    texts, problems = hand_written_pages(docs, tmp_path)
    assert [(p.file, p.line, p.column, p.severity, p.rule) for p in problems] == [
        ("site_src/huge.md", 2, 1, "error", "encoding"),
        ("site_src/menu.md", 3, 4, "error", "encoding"),
        ("site_src/old.mkd", 1, 1, "error", "encoding"),
    ]
    assert problems[1].message.startswith("byte 0xe9 is not valid UTF-8")
    assert "UTF-8" in problems[1].hint
    assert [rel for rel, _ in texts] == ["site_src/about.md", "site_src/bom.md"]
    assert texts[1][1].startswith("An editor")
