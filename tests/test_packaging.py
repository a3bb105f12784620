"""The wheel and sdist: complete metadata without a deprecation warning, every data file the
package reads, one version, and a wheel that works on its own: installed into a fresh
virtual environment outside the repository, `candor init`, `check` and `build` make a styled
site that owes nothing to the example."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import main
from generator.init import DISTRIBUTION

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
NOW = "2026-12-04T12:00Z"
# Wheel and sdist file names spell the distribution with underscores (PEP 427, PEP 625).
FILE_STEM = DISTRIBUTION.replace("-", "_")
DATA_FOLDERS = ("outputs/templates", "outputs/schemas", "plugin/theme", "init/files")


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def python_build(source: Path, out: Path) -> str:
    """`python -m build` as a release would run it: isolated, wheel and sdist."""
    return run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=source)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    out = tmp_path_factory.mktemp("dist")
    log = python_build(ROOT, out)
    (wheel,) = out.glob(f"{FILE_STEM}-*.whl")
    (sdist,) = out.glob(f"{FILE_STEM}-*.tar.gz")
    return wheel, sdist, log


# --- one version ------------------------------------------------------------------------


def test_the_version_is_written_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "generator.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_new_sites_pin_the_name_candor_is_installed_by() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == DISTRIBUTION


def test_candor_version_prints_it() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert (result.exit_code, result.output) == (0, f"candor, version {__version__}\n")
    candor = Path(sys.executable).parent / "candor"
    assert run([str(candor), "--version"], cwd=ROOT) == f"candor, version {__version__}\n"


def test_the_changelog_leads_with_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert releases[0] == __version__
    assert releases[-1] == "0.1.0"
    for version in releases:
        assert f"\n[{version}]: " in changelog, version


# --- the wheel and sdist ------------------------------------------------------------------


@pytest.mark.slow
def test_building_warns_of_nothing_deprecated(dist: tuple[Path, Path, str]) -> None:
    *_, log = dist
    assert "deprecat" not in log.lower(), log


@pytest.mark.slow
def test_the_deprecation_scan_sees_the_warning_of_a_license_table(tmp_path: Path) -> None:
    """The scan above reads what setuptools prints: the license table form of the old
    pyproject.toml made `make build` print a deprecation warning, and so does this."""
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "old.py").write_text("", encoding="utf-8")
    (tmp_path / "old" / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "old"\nversion = "1"\nlicense = { text = "MIT" }\n',
        encoding="utf-8",
    )
    log = python_build(tmp_path / "old", tmp_path / "dist")
    assert "deprecat" in log.lower()


@pytest.mark.slow
def test_the_wheel_has_complete_metadata(dist: tuple[Path, Path, str]) -> None:
    wheel, *_ = dist
    with zipfile.ZipFile(wheel) as archive:
        metadata = Parser().parsestr(
            archive.read(f"{FILE_STEM}-{__version__}.dist-info/METADATA").decode()
        )
        names = set(archive.namelist())
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE"
    assert f"{FILE_STEM}-{__version__}.dist-info/licenses/LICENSE" in names
    assert metadata["Author"] and metadata["Summary"] and metadata["Keywords"]
    assert metadata["Requires-Python"] == ">=3.11"
    classifiers = metadata.get_all("Classifier")
    assert "Framework :: MkDocs" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # the SPDX string says it
    assert metadata.get_all("Project-URL")
    assert metadata["Description-Content-Type"] == "text/markdown"
    entry_points = zipfile.ZipFile(wheel).read(
        f"{FILE_STEM}-{__version__}.dist-info/entry_points.txt"
    )
    assert b"candor = generator.cli:main" in entry_points
    assert b"candor = generator.plugin:CandorPlugin" in entry_points


@pytest.mark.slow
def test_the_wheel_and_sdist_hold_every_data_file(dist: tuple[Path, Path, str]) -> None:
    wheel, sdist, _ = dist
    expected = {
        path.relative_to(ROOT).as_posix()
        for folder in DATA_FOLDERS
        for path in (PACKAGE / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert "generator/plugin/theme/assets/stylesheets/candor.css" in expected
    assert "generator/init/files/github/workflows/publish.yml" in expected
    assert "generator/outputs/schemas/summary.schema.json" in expected
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    assert expected - in_wheel == set()
    assert not any(name.startswith(("tests/", "incidents/", "site_src/")) for name in in_wheel)
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert expected - in_sdist == set()
    assert {"CHANGELOG.md", "LICENSE", "README.md", "pyproject.toml"} <= in_sdist


# --- the wheel on its own -----------------------------------------------------------------


@pytest.mark.slow
def test_the_installed_wheel_makes_a_styled_site_of_its_own(
    dist: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    wheel, *_ = dist
    work = tmp_path_factory.mktemp("fresh")
    assert not work.is_relative_to(ROOT)
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=work)
    # A clean environment: nothing of the repository or of this test run leaks in.
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(work)),
        "LANG": "C.UTF-8",
    }
    for key in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONFIG_FILE", "PIP_FIND_LINKS"):
        if key in os.environ:
            env[key] = os.environ[key]
    run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], cwd=work, env=env)
    candor = str(venv / "bin" / "candor")
    assert run([candor, "--version"], cwd=work, env=env) == f"candor, version {__version__}\n"
    where = run([str(venv / "bin" / "python"), "-c", "import generator; print(generator.__file__)"],
                cwd=work, env=env)  # fmt: skip
    assert Path(where.strip()).is_relative_to(venv)

    run(
        [candor, "init", "status", "--name", "Fabrikam", "--url", "https://status.fabrikam.io/",
         "--timezone", "America/New_York", "--component", "api=Fabrikam API",
         "--component", "app=Mobile app"],
        cwd=work, env=env,
    )  # fmt: skip
    site = work / "status"
    checked = run([candor, "check", "--now", NOW], cwd=site, env=env)
    assert "0 errors, 2 warnings" in checked  # the About page's two prompts, until filled
    run([candor, "build", "--now", NOW], cwd=site, env=env)

    out = site / "site"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="assets/stylesheets/candor.css"' in home
    stylesheet = out / "assets" / "stylesheets" / "candor.css"
    packaged = PACKAGE / "plugin" / "theme" / "assets" / "stylesheets" / "candor.css"
    assert stylesheet.read_bytes() == packaged.read_bytes()
    assert "Fabrikam API" in home and "Mobile app" in home
    assert "All Systems Operational" in home
    component = (out / "components" / "api" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../assets/stylesheets/candor.css"' in component
    # Plain `mkdocs build` of the same site, with the plugin found by its entry point.
    plain = work / "plain"
    run([str(venv / "bin" / "mkdocs"), "build", "-q", "-d", str(plain)], cwd=site,
        env={**env, "CANDOR_NOW": NOW})  # fmt: skip
    assert (plain / "index.html").read_bytes() == (out / "index.html").read_bytes()
    assert (plain / "assets" / "stylesheets" / "candor.css").is_file()
    # Nothing of the example company, anywhere in what was created or built.
    for path in [*site.rglob("*")]:
        if path.is_file() and ".git" not in path.parts:
            assert b"northwind" not in path.read_bytes().lower(), path
