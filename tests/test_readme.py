"""The README's module map is the tree: every module of `generator/` is listed in its folder's
rows, and nothing is listed that does not exist. A module added, moved or split fails here
until the map says what it is for."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"


def module_map() -> dict[str, set[str]]:
    """{folder: names} from the README's table under "Development"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| Folder (`generator/`) | Module | Its one concern |", 1)[1]
    listed: dict[str, set[str]] = {}
    folder = ""
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        folder = cells[0].strip("`") or folder
        listed.setdefault(folder, set()).update(re.findall(r"`([^`]+)`", cells[1]))
    return listed


def tree() -> dict[str, set[str]]:
    """{folder: names}: its modules, and its folders of other files (templates, the theme).
    An empty `__init__.py` only makes the folder a package and needs no row."""
    found: dict[str, set[str]] = {}
    for folder in sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        names = found.setdefault(f"{folder.name}/", set())
        for item in folder.iterdir():
            if item.suffix == ".py" and (item.name != "__init__.py" or item.stat().st_size):
                names.add(item.name)
            elif item.is_dir() and item.name != "__pycache__":
                names.add(f"{item.name}/")
    return found


def test_the_module_map_lists_every_module_and_only_those() -> None:
    listed, actual = module_map(), tree()
    assert set(listed) == set(actual)
    for folder, names in actual.items():
        assert listed[folder] - names == set(), f"the map lists modules {folder} does not have"
        assert names - listed[folder] == set(), f"the map leaves out modules of {folder}"


def test_the_map_reader_sees_a_change() -> None:
    # The comparison can fail: a map with one module too many or too few differs.
    listed = module_map()
    assert "templating.py" in listed["outputs/"]
    assert "words.py" in listed["outputs/"]
    assert tree()["outputs/"] != listed["outputs/"] | {"missing.py"}
