"""`candor check --changed-since REF` (generator/cli/check.py, generator/authoring/git.py):
the files a branch changes, read from git in real temporary repositories, held to --strict.
What the pull request workflow does with it is in tests/test_workflows.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from git_repos import git, merge_request

CANDOR = Path(sys.executable).with_name("candor")
NOW = "2026-12-01T00:00Z"
CONFIG = {
    "site_name": "Status",
    "site_url": "https://status.acme.dev/",
    "plugins": [
        {
            "candor": {
                "incidents_dir": "records",
                "timezone": "UTC",
                "components": [{"id": "web", "name": "Website"}],
                "ignore": ["no-next-update"],
            }
        }
    ],
}


def incident(status: str = "resolved", at: str = "2026-11-20T09:14Z") -> str:
    return (
        f"title: Slow dashboard\nimpact: minor\ncomponents: [web]\nupdates:\n"
        f"  - at: {at}\n    status: {status}\n    message: |\n"
        "      Pages load slowly. No data was lost.\n"
    )


# Open and silent for 4 hours at NOW: a `stale` warning the clock raises, not the author.
STALE = incident(status="investigating", at="2026-11-30T20:00Z")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def new_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    write(path, {"mkdocs.yml": yaml.safe_dump(CONFIG, sort_keys=False), **files})
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "base")
    return path


def check(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CANDOR), "check", "--now", NOW, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )


def held(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The files the run says it holds to --strict."""
    line = result.stderr.splitlines()[0]
    if line.startswith("No file candor check reads changed since "):
        return []
    head, _, names = line.partition(": ")
    assert head.startswith("Held to --strict, changed since "), result.stderr
    return names.split(", ")


def test_the_changed_files_come_from_the_merge_commit(tmp_path: Path) -> None:
    """Names with spaces, a newline or shell syntax stay one name each; a deleted file,
    what only main changed, other folders and other files are left out."""
    repo = new_repo(
        tmp_path / "repo",
        {
            "records/2026-01-01-edited.yaml": incident(),
            "records/2026-01-02-deleted.yaml": incident(),
            "records/2026-01-03-untouched.yaml": STALE,
            "templates/outage.yaml": "title: Outage\n",
            "README.md": "hello\n",
        },
    )

    def change() -> None:
        write(
            repo,
            {
                "records/2026-01-01-edited.yaml": incident().replace("slowly", "very slowly"),
                "records/new incident with spaces.yaml": incident(),
                "records/two\nlines.yaml": incident(),
                "records/$(touch injected).yaml": incident(),
                "records/nested/2026-01-04-deeper.yaml": incident(),
                "templates/outage.yaml": "title: Outage of the API\n",
                "incidents/2026-01-05-elsewhere.yaml": incident(),
                "README.md": "hello again\n",
            },
        )
        (repo / "records" / "2026-01-02-deleted.yaml").unlink()

    def on_main() -> None:
        write(repo, {"records/2026-01-06-only-on-main.yaml": incident()})

    merge_request(repo, change, on_main)
    assert git(repo, "rev-parse", "HEAD^2")  # a merge commit
    result = check(repo, "--changed-since", "HEAD^1")
    assert held(result) == [
        "records/$(touch injected).yaml",
        "records/2026-01-01-edited.yaml",
        "records/new incident with spaces.yaml",
        "records/two\\nlines.yaml",
        "templates/outage.yaml",
    ]
    assert not (repo / "injected").exists()
    # The odd names are bad file names (errors of their own); the untouched stale incident
    # is a warning, not one of them.
    assert result.returncode == 1
    assert "records/2026-01-03-untouched.yaml:5:9: warning:" in result.stdout
    # mkdocs.yml changed in a later pull request: held to --strict as well.
    merge_request(
        repo,
        lambda: write(
            repo, {"mkdocs.yml": (repo / "mkdocs.yml").read_text("utf-8") + "copyright: S\n"}
        ),
        lambda: write(repo, {"README.md": "main again\n"}),
    )
    assert held(check(repo, "--changed-since", "HEAD^1")) == ["mkdocs.yml"]


def test_only_the_changed_files_are_strict(tmp_path: Path) -> None:
    stale = "records/2026-11-30-stale.yaml"
    repo = new_repo(tmp_path / "repo", {stale: STALE, "records/2026-11-20-other.yaml": incident()})
    git(repo, "switch", "-q", "-c", "feature")
    write(repo, {"records/2026-11-20-other.yaml": incident().replace("slowly", "very slowly")})
    git(repo, "commit", "-q", "-am", "feature")
    # A laptop's branch against main (REF...HEAD: where the branch left main).
    result = check(repo, "--changed-since", "main", "--format", "github")
    assert held(result) == ["records/2026-11-20-other.yaml"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"::warning file={stale},line=5," in result.stdout
    write(repo, {stale: STALE.replace("slowly", "very slowly")})
    git(repo, "commit", "-q", "-am", "touch the stale one")
    result = check(repo, "--changed-since", "main", "--format", "github")
    assert result.returncode == 1
    assert f"::error file={stale},line=5," in result.stdout
    # Nothing changed: the plain check, and it says so.
    git(repo, "switch", "-q", "main")
    result = check(repo, "--changed-since", "main")
    assert held(result) == [] and result.returncode == 0, result.stdout


@pytest.mark.parametrize(("depth", "works"), [(2, True), (1, False)])
def test_a_shallow_checkout_of_the_merge_commit(tmp_path: Path, depth: int, works: bool) -> None:
    """What actions/checkout fetches with `fetch-depth: 2`, and what it fetches by default."""
    origin = new_repo(tmp_path / "origin", {"records/2026-11-30-stale.yaml": STALE})
    merge_request(
        origin, lambda: write(origin, {"records/2026-12-01-new.yaml": incident()}), lambda: None
    )
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"--depth={depth}", origin.as_uri(), str(clone))
    result = check(clone, "--changed-since", "HEAD^1", "--format", "github")
    if works:
        assert held(result) == ["records/2026-12-01-new.yaml"]
        assert result.returncode == 0, result.stdout + result.stderr
    else:
        assert result.returncode == 1
        assert result.stdout.startswith("::error title=candor check::cannot compare with HEAD^1")
        assert "`fetch-depth: 2`" in result.stdout and "Traceback" not in result.stderr


def test_what_cannot_be_compared_is_a_clear_error(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", {"records/2026-11-20-a.yaml": incident()})
    result = check(repo, "--changed-since", "no-such-branch")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: cannot compare with no-such-branch: git knows no")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(repo / "mkdocs.yml", outside / "mkdocs.yml")
    shutil.copytree(repo / "records", outside / "records")
    result = check(outside, "--changed-since", "HEAD^1")
    assert result.returncode == 1
    assert "is not in a git repository; --changed-since compares two of its commits" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--changed-since=--output=written"], "'--output=written' is not a git revision"),
        (["--changed-since", "HEAD", "records/2026-11-20-a.yaml"], "not both"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], says: str) -> None:
    """A revision is never read as one of git's options; files are named one way."""
    repo = new_repo(tmp_path / "repo", {"records/2026-11-20-a.yaml": incident()})
    result = check(repo, *args)
    assert result.returncode == 2 and says in result.stderr
    assert not (repo / "written").exists()
