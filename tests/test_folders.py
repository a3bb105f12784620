"""The incidents folder: where it may be, and which look-alike files are skipped aloud."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.folders import ignored_entries, incidents_dir_problem
from generator.core.load import SUFFIXES


@pytest.mark.parametrize(
    ("written", "wrong"),
    [
        ("", "is empty"),
        ("  ", "is empty"),
        ("incident", "does not exist"),
        ("/", "not a folder inside the config's folder"),
        ("..", "not a folder inside the config's folder"),
        (".", "not a folder inside the config's folder"),
        ("mkdocs.yml", "is a file, not a folder"),
        ("escape", "not a folder inside the config's folder"),
    ],
)
def test_an_unusable_incidents_dir(tmp_path: Path, written: str, wrong: str) -> None:
    site = tmp_path / "site"
    (site / "incidents").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: S\n", encoding="utf-8")
    (site / "escape").symlink_to(tmp_path)
    problem = incidents_dir_problem(site, written)
    assert problem is not None and wrong in problem[0], problem


def test_an_absolute_folder_elsewhere_is_outside(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "site").mkdir()
    problem = incidents_dir_problem(tmp_path / "site", str(tmp_path / "elsewhere"))
    assert problem is not None and "inside the config's folder" in problem[0]


def test_a_typo_gets_the_folder_it_meant(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    problem = incidents_dir_problem(tmp_path, "incident")
    assert problem is not None and problem[1].startswith("did you mean `incidents`?")


def test_an_empty_existing_folder_and_nested_folders_are_fine(tmp_path: Path) -> None:
    (tmp_path / "status" / "incidents").mkdir(parents=True)
    assert incidents_dir_problem(tmp_path, "status/incidents") is None
    assert incidents_dir_problem(tmp_path, str(tmp_path / "status" / "incidents")) is None


def test_look_alike_files_are_reported_and_our_own_files_are_not(tmp_path: Path) -> None:
    folder = tmp_path / "incidents"
    (folder / "2025").mkdir(parents=True)
    (folder / "2025" / "old.yaml").write_text("title: x\n", encoding="utf-8")
    (folder / "notes").mkdir()
    (folder / "notes" / "README.md").write_text("x", encoding="utf-8")
    for name in ("A.YAML", "b.Yml", ".hidden.yaml", "ok.yaml", ".gitkeep", "README.md"):
        (folder / name).write_text("title: x\n", encoding="utf-8")
    # What a killed `candor update` leaves: its temporary files, cleaned by the next edit.
    (folder / ".candor.abcd1234.tmp").write_text("x", encoding="utf-8")
    (folder / ".ok.yaml.abcd1234.tmp").write_text("x", encoding="utf-8")
    found = {name: why for name, why, _ in ignored_entries(folder, SUFFIXES)}
    assert sorted(found) == [".hidden.yaml", "2025/", "A.YAML", "b.Yml"]
    assert "hidden" in found[".hidden.yaml"] and "(2025/old.yaml)" not in found["2025/"]
    assert "holds YAML (old.yaml)" in found["2025/"]
