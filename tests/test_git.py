"""`--commit` and `--push` (generator/authoring/git.py) in real temporary git repositories:
the 3 a.m. lifecycle replayed end to end, each refusal that leaves everything untouched,
and what the commands say about publishing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.authoring import git
from generator.cli import main
from generator.core.load import load_file
from generator.core.times import zone

ROOT = Path(__file__).resolve().parent.parent
CANDOR = Path(sys.executable).with_name("candor")
ID = "2026-11-24-elevated-error-rates-on-the-api"
FILE = f"incidents/{ID}.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# An editor that replaces each [[ prompt ]] above the scissors line with the next answer of
# $FILL (a JSON list) and records every buffer it was shown in $SEEN.
FILL = """\
import json, os, re, sys
path = sys.argv[-1]
text = open(path, encoding="utf-8").read()
with open(os.environ["SEEN"], "a", encoding="utf-8") as seen:
    seen.write(text + "\\n=====\\n")
head, sep, tail = text.partition("# ------------------------ >8")
answers = iter(json.loads(os.environ["FILL"]))
head = re.sub(r"\\[\\[.*?\\]\\]", lambda m: next(answers), head, flags=re.S)
assert next(answers, None) is None, "more answers than prompts"
open(path, "w", encoding="utf-8").write(head + sep + tail)
"""


@pytest.fixture(autouse=True)
def own_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git reads only the repositories' own config: the machine's identity, hooks or
    signing settings must not decide a test."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("EMAIL", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


def sh(cwd: Path, *args: str) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


def make_repo(tmp_path: Path, *, remote: bool = True) -> Path:
    """A status page repository: the example's mkdocs.yml, templates and publish workflow,
    no incidents yet, one commit on `main`, and a bare remote it tracks."""
    repo = tmp_path / "status"
    (repo / "incidents").mkdir(parents=True)
    (repo / "incidents" / ".gitkeep").write_text("")
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", repo / "templates")
    shutil.copytree(ROOT / "theme", repo / "theme")  # mkdocs.yml's `theme.custom_dir`
    (repo / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ROOT / ".github" / "workflows" / "publish.yml", repo / ".github" / "workflows")
    sh(repo, "git", "init", "-q", "-b", "main")
    for key, value in (
        ("user.name", "Aiko Tanaka"),
        ("user.email", "aiko@example.com"),
        ("commit.gpgsign", "false"),
    ):
        sh(repo, "git", "config", key, value)
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", "Status page")
    if remote:
        sh(tmp_path, "git", "init", "-q", "--bare", "-b", "main", "remote.git")
        sh(repo, "git", "remote", "add", "origin", str(tmp_path / "remote.git"))
        sh(repo, "git", "push", "-q", "-u", "origin", "main")
    return repo


Runner = Callable[..., tuple[int, str, str]]


def cli_runner(repo: Path) -> Runner:
    """Candor through Click's CliRunner, in the repository's folder."""

    def run(*args: str, now: str, **env: str) -> tuple[int, str, str]:
        old = Path.cwd()
        os.chdir(repo)
        try:
            result = CliRunner().invoke(main, list(args), env={"CANDOR_NOW": now, **env})
        finally:
            os.chdir(old)
        assert "Traceback" not in result.output
        return result.exit_code, result.stdout, result.stderr

    return run


def shell_runner(repo: Path) -> Runner:
    """The installed console script, as a subprocess."""
    if not CANDOR.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CANDOR} is missing: run `make build`")
        pytest.skip(f"{CANDOR} is not installed")

    def run(*args: str, now: str, **env: str) -> tuple[int, str, str]:
        result = subprocess.run(
            [str(CANDOR), *args],
            cwd=repo,
            env={**os.environ, "CANDOR_NOW": now, **env},
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert "Traceback" not in result.stderr
        return result.returncode, result.stdout, result.stderr

    return run


RUNNERS = {"clirunner": cli_runner, "subprocess": shell_runner}


def editor(tmp_path: Path, answers: list[str]) -> dict[str, str]:
    script = tmp_path / "fill.py"
    script.write_text(FILL, encoding="utf-8")
    return {
        "EDITOR": f"{sys.executable} {script}",
        "FILL": json.dumps(answers),
        "SEEN": str(tmp_path / "seen.txt"),
    }


def log(repo: Path, ref: str = "HEAD") -> list[str]:
    return sh(repo, "git", "log", "--format=%s", ref).splitlines()


def files_of(repo: Path, commit: str) -> list[str]:
    return sh(repo, "git", "show", "--format=", "--name-only", commit).split()


# --- the whole 3 a.m. lifecycle -----------------------------------------------------------


@pytest.mark.parametrize("how", list(RUNNERS))
def test_the_3am_lifecycle_with_commit(tmp_path: Path, how: str) -> None:
    repo = make_repo(tmp_path)
    candor = RUNNERS[how](repo)

    # 03:12: paged ten minutes after the errors began; open it from a template, fill in the
    # facts in the editor, commit and publish in one command.
    opened = editor(
        tmp_path,
        [
            "03:02 CET",
            "one in ten",
            "the Public API and the dashboard",
            "Customers in every region are affected",
            "Failed requests changed nothing: it is safe to retry them.",
        ],
    )
    code, out, err = candor(
        "new", "--template", "elevated-error-rates", "--edit", "--started-at", "03:02",
        "-c", "dashboard", "--by", "Aiko, on-call SRE", "--commit", "--push",
        now="2026-11-24T03:12+01:00", **opened,
    )  # fmt: skip
    assert code == 0, out + err
    assert out.strip() == FILE
    assert f"Committed {sh(repo, 'git', 'rev-parse', '--short', 'HEAD').strip()} " in err
    assert f'"Incident {ID}: opened" and pushed `main`. Published by your push' in err
    seen = (tmp_path / "seen.txt").read_text(encoding="utf-8")
    assert "# New incident: Elevated error rates on the API" in seen
    assert "# Impact minor; components: api, dashboard" in seen

    # 03:40: the cause is found and it is worse than it looked: raise the impact.
    code, out, err = candor(
        "update", "elevated", "--status", "identified", "--impact", "major",
        "-c", "api=partial", "-m", "A configuration change at 02:58 broke routing. "
        "We are rolling it back.", "--next", "30m", "--commit",
        now="2026-11-24T03:40+01:00",
    )  # fmt: skip
    assert code == 0, out + err
    assert out.strip() == f"{FILE}: added an update: identified, impact raised to major"
    assert "Push to publish: `git push`; the publish workflow deploys each push to `main`" in err

    # 04:05: the rollback is done; the message is written in the editor, which shows the
    # promise due and the previous update.
    write = tmp_path / "write.py"
    write.write_text(
        "import sys\n"
        "shown, path = sys.argv[-2:]\n"
        "text = open(path, encoding='utf-8').read()\n"
        "open(shown, 'w', encoding='utf-8').write(text)\n"
        "open(path, 'w', encoding='utf-8').write('The rollback is complete; error rates are "
        "back to normal. We are watching them.\\n' + text)\n",
        encoding="utf-8",
    )
    shown = tmp_path / "buffer.txt"
    code, out, err = candor(
        "update", "elevated", "-s", "monitoring", "--next", "30m", "--commit",
        now="2026-11-24T04:05+01:00", EDITOR=f"{sys.executable} {write} {shown}",
    )  # fmt: skip
    assert code == 0, out + err
    buffer = shown.read_text(encoding="utf-8")
    assert "# Status: identified → monitoring; impact major (--impact changes it)" in buffer
    assert "# The next update is promised by 2026-11-24 04:10 CET, in 5 min." in buffer
    assert "# The previous update, 2026-11-24 03:40 CET (25 min ago), identified:" in buffer
    assert "#   A configuration change at 02:58 broke routing. We are rolling it back." in buffer

    # 04:30: resolved; everything operational again.
    code, out, err = candor(
        "resolve", "elev", "-m", "Error rates have been normal since 03:58. No data was lost.",
        "--commit", "--push", now="2026-11-24T04:30+01:00",
    )  # fmt: skip
    assert code == 0, out + err
    assert out.strip() == f"{FILE}: resolved"
    assert "Published by your push" in err

    # The next morning: the postmortem, written in the editor and published.
    report = editor(
        tmp_path,
        [
            "We are sorry that one in ten API requests failed for almost an hour.",
            "From 03:02 to 03:58 CET, API and dashboard requests failed with errors.",
            "A configuration change removed a routing rule; our checks did not cover it.",
            "We rolled the change back at 03:50 and watched error rates until 04:30.",
            "One in ten requests in every region failed for 56 minutes; no data was lost.",
            "Test every routing change against production traffic before it ships",
        ],
    )
    code, out, err = candor(
        "postmortem", "elevated", "--edit", "--commit", "--push",
        now="2026-11-25T10:00+01:00", **report,
    )  # fmt: skip
    assert code == 0, out + err
    assert f'"Incident {ID}: postmortem added" and pushed `main`' in err
    code, out, err = candor("check", now="2026-11-25T10:05+01:00")
    assert code == 0, out + err

    # The file says what happened, in order; the impact change is recorded where it happened.
    event = load_file(repo / FILE, FILE, zone("Europe/Berlin")).event
    assert event is not None
    assert event.impact == "minor" and event.started_at is not None
    assert event.started_at.isoformat() == "2026-11-24T03:02:00+01:00"
    assert [(u.status, u.impact) for u in event.updates] == [
        ("investigating", None),
        ("identified", "major"),
        ("monitoring", None),
        ("resolved", None),
    ]
    assert event.updates[0].components == {
        "api": "degraded_performance",
        "dashboard": "degraded_performance",
    }
    assert event.updates[0].message.startswith(
        "We're sorry: since 03:02 CET, about one in ten requests to the Public API and the "
        "dashboard fail"
    )
    assert event.updates[-1].components == {"api": "operational", "dashboard": "operational"}
    assert event.impact_at(event.updates[-1].at) == "major"
    assert event.postmortem is not None
    assert event.postmortem.apology.startswith("We are sorry that one in ten")

    # One commit per command, each holding the incident file alone, with exact messages;
    # the remote has everything, and nothing is left uncommitted.
    assert log(repo) == [
        f"Incident {ID}: postmortem added",
        f"Incident {ID}: resolved",
        f"Incident {ID}: monitoring",
        f"Incident {ID}: identified, impact raised to major",
        f"Incident {ID}: opened",
        "Status page",
    ]
    for n in range(5):
        assert files_of(repo, f"HEAD~{n}") == [FILE]
    assert sh(repo, "git", "status", "--porcelain") == ""
    assert sh(repo, "git", "rev-parse", "HEAD") == sh(repo, "git", "rev-parse", "origin/main")


# --- refusals leave everything as it was ---------------------------------------------------

OPEN = """\
title: Elevated error rates on the API
impact: minor
components: [api]
updates:
  - at: 2026-11-24T03:12:00+01:00
    status: investigating
    message: We're sorry, some API requests fail. We are investigating.
"""
UPDATE = ("update", "elevated", "-s", "identified", "-m", "Found it.")


def with_incident(tmp_path: Path, **options: Any) -> Path:
    repo = make_repo(tmp_path, **options)
    (repo / FILE).write_text(OPEN, encoding="utf-8")
    sh(repo, "git", "add", FILE)
    sh(repo, "git", "commit", "-q", "-m", "Incident opened")
    return repo


def stage_another_file(repo: Path) -> None:
    (repo / "site_src").mkdir()
    (repo / "site_src" / "about.md").write_text("# About\n")
    sh(repo, "git", "add", "site_src/about.md")


def detach(repo: Path) -> None:
    sh(repo, "git", "checkout", "-q", "--detach")


def forget_identity(repo: Path) -> None:
    sh(repo, "git", "config", "--unset", "user.name")
    sh(repo, "git", "config", "--unset", "user.email")
    sh(repo, "git", "config", "user.useConfigOnly", "true")


def start_a_merge(repo: Path) -> None:
    """A merge stopped by a conflict (in a file of its own), waiting to be finished."""
    for branch, text in (("side", "side\n"), ("main", "main\n")):
        if branch == "side":
            sh(repo, "git", "checkout", "-q", "-b", "side")
        else:
            sh(repo, "git", "checkout", "-q", "main")
        (repo / "NOTES").write_text(text)
        sh(repo, "git", "add", "NOTES")
        sh(repo, "git", "commit", "-q", "-m", branch)
    merge = subprocess.run(["git", "merge", "-q", "side"], cwd=repo, capture_output=True)
    assert merge.returncode != 0


REFUSALS = [
    ("dirty-index", stage_another_file, ["--commit"], "the index holds staged changes of "
     "other files (site_src/about.md); --commit commits the incident file alone"),
    ("detached", detach, ["--commit"], "HEAD is detached"),
    ("no-identity", forget_identity, ["--commit"], "git does not know who you are"),
    ("merging", start_a_merge, ["--commit"], "a merge is in progress"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "arrange", "flags", "says"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_a_repository_commit_cannot_use_is_refused_before_anything_changes(
    tmp_path: Path, name: str, arrange: Callable[[Path], None], flags: list[str], says: str
) -> None:
    repo = with_incident(tmp_path)
    arrange(repo)
    before = (repo / FILE).read_bytes()
    state = (sh(repo, "git", "status", "--porcelain"), sh(repo, "git", "rev-parse", "HEAD"))
    # The editor must not even open: its text would be lost.
    mark = tmp_path / "editor-opened"
    code, out, err = cli_runner(repo)(
        *UPDATE[:-2], *flags, now="2026-11-24T03:40+01:00", EDITOR=f"touch {mark}"
    )
    assert code == 1, out + err
    assert says in out + err
    assert (repo / FILE).read_bytes() == before
    assert (sh(repo, "git", "status", "--porcelain"), sh(repo, "git", "rev-parse", "HEAD")) == state
    assert not mark.exists()


COMMANDS = {
    "new": ("new", "Login fails", "-m", "We're sorry: logging in fails. We are investigating."),
    "update": UPDATE,
    "resolve": ("resolve", "elevated", "-m", "Fixed at 03:50. No data was lost."),
    "postmortem": ("postmortem", "elevated"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("flag", ["--commit", "--push"])
@pytest.mark.parametrize(
    ("refusal", "arrange", "says"),
    [(r[0], r[1], r[3]) for r in REFUSALS[:2]],
    ids=["dirty", "detached"],
)
def test_every_authoring_command_refuses_a_dirty_index_or_a_detached_head(
    tmp_path: Path,
    command: str,
    flag: str,
    refusal: str,
    arrange: Callable[[Path], None],
    says: str,
) -> None:
    repo = with_incident(tmp_path)
    arrange(repo)
    before = {p: p.read_bytes() for p in (repo / "incidents").iterdir()}
    state = (sh(repo, "git", "status", "--porcelain"), sh(repo, "git", "rev-parse", "HEAD"))
    code, out, err = cli_runner(repo)(*COMMANDS[command], flag, now="2026-11-24T04:40+01:00")
    assert code == 1, out + err
    assert says in err and "Traceback" not in err
    assert out == ""  # nothing was written, so no file is named
    assert {p: p.read_bytes() for p in (repo / "incidents").iterdir()} == before
    assert (sh(repo, "git", "status", "--porcelain"), sh(repo, "git", "rev-parse", "HEAD")) == state


def test_push_without_a_remote_is_refused_before_anything_changes(tmp_path: Path) -> None:
    repo = with_incident(tmp_path, remote=False)
    before = (repo / FILE).read_bytes()
    code, out, err = cli_runner(repo)(*UPDATE, "--push", now="2026-11-24T03:40+01:00")
    assert code == 1
    assert "--push: this repository has no remote to push to" in out + err
    assert (repo / FILE).read_bytes() == before
    assert log(repo)[0] == "Incident opened"


def test_commit_outside_a_repository_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    (folder / "incidents").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / FILE).write_text(OPEN, encoding="utf-8")
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    code, out, err = cli_runner(folder)(*UPDATE, "--commit", now="2026-11-24T03:40+01:00", **env)
    assert code == 1
    assert "is not in a git repository; --commit needs one" in out + err
    assert (folder / FILE).read_text(encoding="utf-8") == OPEN


def test_new_with_prompts_left_is_not_committed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    code, out, err = cli_runner(repo)(
        "new", "--template", "database-failover", "--commit", now="2026-11-24T03:12+01:00"
    )
    assert code == 1
    assert "--commit: the new file would still hold prompts to fill in" in out + err
    assert "fill them in first (--edit, or --message)" in out + err
    assert not list((repo / "incidents").glob("*.yaml"))
    assert log(repo) == ["Status page"]


def test_a_failing_commit_hook_leaves_the_file_written_and_says_so(tmp_path: Path) -> None:
    repo = with_incident(tmp_path)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, out, err = cli_runner(repo)(*UPDATE, "--commit", now="2026-11-24T03:40+01:00")
    assert code == 1
    assert f"{FILE} is written, but `git commit` failed:\n  hook says no" in out + err
    assert f"commit it yourself: git commit -m 'Incident {ID}: identified' -- {FILE}" in out + err
    assert "Found it." in (repo / FILE).read_text(encoding="utf-8")
    assert log(repo)[0] == "Incident opened"


def test_a_rejected_push_keeps_the_commit_and_says_what_to_do(tmp_path: Path) -> None:
    repo = with_incident(tmp_path)
    sh(repo, "git", "push", "-q")
    # Someone else pushed meanwhile: ours is no longer a fast-forward.
    other = tmp_path / "other"
    sh(tmp_path, "git", "clone", "-q", str(tmp_path / "remote.git"), str(other))
    (other / "README").write_text("x")
    sh(other, "git", "add", "README")
    sh(other, "git", "-c", "user.name=B", "-c", "user.email=b@example.com", "commit", "-qm", "B")
    sh(other, "git", "push", "-q")
    code, out, err = cli_runner(repo)(*UPDATE, "--push", now="2026-11-24T03:40+01:00")
    assert code == 1
    assert "committed, but `git push` failed" in out + err
    assert "nothing is published yet: fix that (often `git pull --rebase`), then `git push`" in (
        out + err
    )
    assert log(repo)[0] == f"Incident {ID}: identified"


# --- commit messages and what the commands say about publishing -----------------------------


def test_commit_messages_for_maintenance_and_updates_without_a_new_status(tmp_path: Path) -> None:
    repo = with_incident(tmp_path)
    run = cli_runner(repo)
    assert (
        run(*UPDATE[:-2], "-m", "Still looking.", "--commit", now="2026-11-24T03:20+01:00")[0] == 0
    )
    assert run(
        "update", "elevated", "-s", "identified", "--impact", "none", "-m", "Fewer errors.",
        "--commit", now="2026-11-24T03:25+01:00",
    )[0] == 0  # fmt: skip
    code, out, err = run(
        "new", "Database upgrade", "--maintenance", "--start", "2026-11-28T02:00",
        "--end", "2026-11-28T04:00", "-c", "database", "-m", "We will upgrade the databases.",
        "--commit", now="2026-11-24T09:00+01:00",
    )  # fmt: skip
    assert code == 0, out + err
    maintenance = "2026-11-24-database-upgrade"
    assert run("update", "database-up", "-s", "in_progress", "-m", "Started.", "--commit",
               now="2026-11-28T02:00+01:00")[0] == 0  # fmt: skip
    assert (
        run("resolve", "database-up", "-m", "Done.", "--commit", now="2026-11-28T03:00+01:00")[0]
        == 0
    )
    assert log(repo)[:5] == [
        f"Maintenance {maintenance}: completed",
        f"Maintenance {maintenance}: in progress",
        f"Maintenance {maintenance}: scheduled",
        f"Incident {ID}: update, still identified, impact lowered to none",
        f"Incident {ID}: identified",
    ]


def test_without_commit_the_command_says_push_to_publish(tmp_path: Path) -> None:
    repo = with_incident(tmp_path)
    code, _, err = cli_runner(repo)(*UPDATE, now="2026-11-24T03:40+01:00")
    assert code == 0
    assert err.strip() == (
        f"Push to publish: commit {FILE} and push (`--commit --push` does both); "
        "the publish workflow deploys each push to `main` within minutes."
    )
    assert log(repo)[0] == "Incident opened"


def test_on_another_branch_it_says_where_the_site_publishes_from(tmp_path: Path) -> None:
    repo = with_incident(tmp_path)
    sh(repo, "git", "checkout", "-q", "-b", "fix-checkout")
    code, out, err = cli_runner(repo)(*UPDATE, "--push", now="2026-11-24T03:40+01:00")
    assert code == 0, out + err
    assert err.strip().endswith(
        "and pushed `fix-checkout`. The site publishes from `main`: merge `fix-checkout` "
        "there (a pull request) to publish."
    )
    assert "Published by your push" not in err


DEPLOY = "jobs: {d: {steps: [{uses: actions/upload-pages-artifact@v3}]}}"


@pytest.mark.parametrize(
    ("workflow", "branches"),
    [
        (f"on:\n  push:\n    branches: [main, live]\n{DEPLOY}", ["main", "live"]),
        (f"on: [push]\n{DEPLOY}", []),
        ("on:\n  pull_request:\njobs: {}\n", None),
    ],
)  # fmt: skip
def test_publish_branches_come_from_the_pages_workflow(
    tmp_path: Path, workflow: str, branches: list[str] | None
) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "deploy.yml").write_text(workflow, encoding="utf-8")
    assert git.publish_branches(tmp_path) == branches
    assert git.publish_branches(tmp_path / "nowhere") is None


def test_the_readme_walkthrough_takes_the_commands_and_keystrokes_it_says() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("A walkthrough, at 03:12 one night.")
    walk = readme[start : readme.index("**Committing and publishing.**", start)]
    typed = []
    lines = iter(walk.splitlines())
    for line in lines:
        if not line.startswith("$ candor "):
            continue
        command = line[2:]
        # A line ending in a backslash, or an open quote, goes on.
        while command.endswith("\\") or command.count('"') % 2:
            command = command.removesuffix("\\").rstrip() + " " + next(lines).strip()
        typed.append(command)
    commands = [c for c in typed if c.split()[1] in ("new", "update", "resolve", "postmortem")]
    assert [c.split()[1] for c in commands] == ["new", "update", "resolve", "postmortem"]
    # Each one is committed and published as it happens.
    assert all("--push" in c.split() for c in commands), commands
    keystrokes = sum(len(re.sub(r'-m "[^"]*"', '-m ""', c, flags=re.S)) + 1 for c in commands)
    said = re.search(r"now (\d+) commands and (\d+) keystrokes", walk)
    assert said and (int(said[1]), int(said[2])) == (len(commands), keystrokes)
    assert walk.startswith("A walkthrough, at 03:12 one night. Four commands")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_that_changed_a_file_says_what_publishing_takes(
    tmp_path: Path, command: str
) -> None:
    repo = with_incident(tmp_path)
    run = cli_runner(repo)
    code, out, err = run(*COMMANDS[command], now="2026-11-24T04:40+01:00")
    assert code == 0, out + err
    changed = out.split(":")[0].strip()
    if command == "postmortem":
        assert err.strip().endswith(
            f"\nReplace each [[ prompt ]] in {changed}, then run `candor check`; "
            "commit and push to publish."
        )
    else:
        assert err.strip() == (
            f"Push to publish: commit {changed} and push (`--commit --push` does both); "
            "the publish workflow deploys each push to `main` within minutes."
        )
