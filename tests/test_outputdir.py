"""core/outputdir.py: a build never replaces the sources, nor a folder of someone's files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.config import load_settings
from generator.core.errors import ConfigError
from generator.core.outputdir import contents_problem, overlap_problem, source_folders

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00Z"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example site, with an incident template; its mkdocs.yml."""
    site = tmp_path / "example"
    site.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, site / name)
    (site / "templates").mkdir()
    (site / "templates" / "outage.yaml").write_text("title: Outage\n", encoding="utf-8")
    return site / "mkdocs.yml"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def build(config: Path, *out: str) -> tuple[int, str]:
    args = ["build", "--config", str(config), "--now", NOW, *(("--out", out[0]) if out else ())]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("out", "said"),
    [
        ("incidents", "is the incidents folder (`incidents_dir`)"),
        ("site_src", "is the folder of the hand-written pages (`docs_dir`)"),
        ("templates", "is the templates folder (`templates_dir`)"),
        ("theme", "is the folder of the theme overrides (`theme.custom_dir`)"),
        (".candor-cache", "is the build cache folder"),
        (".", "is the folder of mkdocs.yml"),
        ("..", "holds the folder of mkdocs.yml"),
        ("incidents/site", "lies inside the incidents folder (`incidents_dir`)"),
    ],
)
def test_a_build_into_a_source_folder_is_refused_and_changes_nothing(
    example: Path, out: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example.parent)
    monkeypatch.delenv("CANDOR_CACHE", raising=False)
    monkeypatch.delenv("CANDOR_CACHE_DIR", raising=False)
    before = tree(example.parent.parent)
    code, output = build(example, out)
    assert code == 1
    assert f"Error: --out {out}: the output folder ({out}) {said}" in output
    assert "hint: build into a folder of its own" in output
    assert "Traceback" not in output
    assert tree(example.parent.parent) == before  # not even the cache was made


def test_site_dir_on_a_source_is_an_error_of_mkdocs_yml_that_check_reports(
    example: Path,
) -> None:
    text = example.read_text(encoding="utf-8")
    example.write_text(text + "site_dir: incidents\n", encoding="utf-8")
    line = text.count("\n") + 1
    with pytest.raises(ConfigError) as raised:
        load_settings(example)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.column) == ("mkdocs.yml", line, 11)
    assert "the output folder (incidents) is the incidents folder" in problem.message
    before = tree(example.parent)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "candor"), "check", "--config", str(example)],
        capture_output=True,
        text=True,
        env={"CANDOR_NOW": NOW, "PATH": "/usr/bin:/bin", "CANDOR_CACHE": "off"},
    )
    assert done.returncode == 1
    assert f"mkdocs.yml:{line}:11: error: the output folder (incidents)" in done.stderr
    assert build(example)[0] == 1
    assert tree(example.parent) == before


def test_a_folder_of_other_files_or_a_repository_is_not_replaced(
    example: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (notes / name).write_text(name, encoding="utf-8")
    code, output = build(example, str(notes))
    assert code == 1
    assert "holds files but no built site (a.txt, b.txt, c.txt, …)" in output
    assert sorted(p.name for p in notes.iterdir()) == ["a.txt", "b.txt", "c.txt", "d.txt"]

    site = example.parent / "site"
    (site / ".git").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (site / "index.html").write_text("<p>an older site</p>", encoding="utf-8")
    code, output = build(example)  # `site_dir`, named at its place in mkdocs.yml
    assert code == 1
    assert "mkdocs.yml:1:1: error: the output folder (site) holds a git repository" in output
    assert (site / ".git" / "HEAD").is_file()


def test_a_new_an_empty_and_a_built_folder_are_built_into(example: Path, tmp_path: Path) -> None:
    for out in (tmp_path / "new" / "site", tmp_path / "empty"):
        (tmp_path / "empty").mkdir(exist_ok=True)
        assert build(example, str(out))[0] == 0
        assert (out / "index.html").is_file()
        assert build(example, str(out))[0] == 0  # its own build, replaced
    other = tmp_path / "other-site"  # a site another tool built: it has a home page
    other.mkdir()
    (other / "index.html").write_text("<p>before Candor</p>", encoding="utf-8")
    assert build(example, str(other))[0] == 0
    assert "before Candor" not in (other / "index.html").read_text(encoding="utf-8")


def test_the_judgements_alone(example: Path, tmp_path: Path) -> None:
    settings = load_settings(example)
    root = settings.root
    sources = source_folders(settings)
    assert overlap_problem(root / "site", Path("site"), root, sources) is None
    assert overlap_problem(tmp_path / "elsewhere", Path("x"), root, sources) is None
    wrong = overlap_problem(root / "incidents" / ".." / "incidents", Path("i"), root, sources)
    assert wrong is not None and "(i) is the incidents folder" in wrong[0]
    assert contents_problem(tmp_path / "missing", Path("missing")) is None
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert contents_problem(tmp_path / "file", Path("file")) is None  # refused by the build
