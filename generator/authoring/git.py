"""`--commit` and `--push`: the changed incident file committed on its own, with a message
saying what changed, and the current branch pushed. Git runs as a subprocess, as a person
would run it: their hooks, identity, signing and credentials apply.

Everything that would stop the commit is checked before the incident file is touched, so a
refusal leaves the file, the index and the branch exactly as they were."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import CandorError

# A git that waits for an answer nobody sees would hang the command: no pager, no editor.
_ENV = {"GIT_PAGER": "cat", "GIT_EDITOR": "false", "LC_ALL": "C"}


class GitError(CandorError):
    """Git refused, or cannot be used here."""


@dataclass(frozen=True)
class Repo:
    top: Path  # the working tree's root
    branch: str
    push_args: tuple[str, ...] | None  # how to push the branch; None without --push


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    raw = _run_bytes(folder, *args)
    return subprocess.CompletedProcess(
        raw.args, raw.returncode, os.fsdecode(raw.stdout), os.fsdecode(raw.stderr)
    )


def _run_bytes(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Git's output as bytes: file names come back whatever their encoding."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=folder,
            env={**os.environ, **_ENV},
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise GitError(f"could not run git: {exc.strerror or exc}") from None


def _top(folder: Path, option: str, needs: str) -> Path:
    """The root of the working tree `folder` is in, or GitError saying what `option` lacks."""
    if shutil.which("git") is None:
        raise GitError(f"{option} needs git, and git is not installed (or not on PATH)")
    top = _run_bytes(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise GitError(f"{folder} is not in a git repository; {needs}")
    return Path(os.fsdecode(top.stdout.rstrip(b"\n")))


def _said(result: subprocess.CompletedProcess[str]) -> str:
    text = (result.stderr.strip() or result.stdout.strip()).splitlines()
    return "\n  ".join(text[-6:]) or f"git exited with {result.returncode}"


def current_branch(folder: Path) -> str | None:
    """The branch checked out in `folder`, None outside git or on a detached HEAD."""
    if shutil.which("git") is None:
        return None
    result = _run(folder, "symbolic-ref", "-q", "--short", "HEAD")
    return result.stdout.strip() or None if result.returncode == 0 else None


def prepare(folder: Path, target: Path | None, *, push: bool) -> Repo:
    """The repository to commit `target` in (None: a file not created yet), or GitError
    saying why not and how to fix it."""
    root = _top(
        folder,
        "--commit",
        "--commit needs one: run the command in your status page's clone (or `git init` "
        "there), or leave out --commit",
    )
    head = _run(root, "symbolic-ref", "-q", "--short", "HEAD")
    if head.returncode != 0:
        raise GitError(
            "HEAD is detached (no branch is checked out), so a commit would belong to no "
            "branch; check one out first, e.g. `git switch main`, then run the command again"
        )
    branch = head.stdout.strip()
    for marker, what in (("MERGE_HEAD", "a merge"), ("CHERRY_PICK_HEAD", "a cherry-pick")):
        if _run(root, "rev-parse", "-q", "--verify", marker).returncode == 0:
            raise GitError(
                f"{what} is in progress; finish it (or abort it) before committing an incident"
            )
    staged = _run(root, "diff", "--cached", "--name-only", "-z", "--no-renames")
    if staged.returncode != 0:
        raise GitError(f"could not read the index: {_said(staged)}")
    mine = target.resolve().relative_to(root.resolve()).as_posix() if target else None
    others = [name for name in staged.stdout.split("\0") if name and name != mine]
    if others:
        listed = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise GitError(
            f"the index holds staged changes of other files ({listed}); --commit commits the "
            "incident file alone: commit those first, or unstage them with "
            "`git restore --staged <file>`"
        )
    if _run(root, "var", "GIT_COMMITTER_IDENT").returncode != 0:
        raise GitError(
            "git does not know who you are; set it once with "
            '`git config --global user.name "Your Name"` and '
            "`git config --global user.email you@example.com`"
        )
    if target is not None and _run(root, "check-ignore", "-q", "--", str(target)).returncode == 0:
        raise GitError(f"{mine} is ignored by .gitignore; it cannot be committed")
    return Repo(root, branch, _push_args(root, branch) if push else None)


def _push_args(root: Path, branch: str) -> tuple[str, ...]:
    upstream = _run(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}")
    if upstream.returncode == 0 and upstream.stdout.strip():
        return ("push",)
    remotes = _run(root, "remote").stdout.split()
    if not remotes:
        raise GitError(
            "--push: this repository has no remote to push to; add one with "
            "`git remote add origin URL`, or leave out --push"
        )
    remote = "origin" if "origin" in remotes else remotes[0]
    if len(remotes) > 1 and "origin" not in remotes:
        raise GitError(
            f"--push: branch `{branch}` has no upstream and there are several remotes "
            f"({', '.join(remotes)}); set one with `git push -u REMOTE {branch}` once"
        )
    return ("push", "--set-upstream", remote, branch)


def commit(repo: Repo, path: Path, message: str, shown: str) -> str:
    """Commit `path` alone with `message`; the short hash of the new commit."""
    added = _run(repo.top, "add", "--", str(path))
    if added.returncode == 0:
        done = _run(repo.top, "commit", "-q", "-m", message, "--", str(path))
        if done.returncode == 0:
            return _run(repo.top, "rev-parse", "--short", "HEAD").stdout.strip()
        added = done
    raise GitError(
        f"{shown} is written, but `git commit` failed:\n  {_said(added)}\n"
        f"commit it yourself: git commit -m {_quoted(message)} -- {shown}"
    )


def push(repo: Repo) -> None:
    assert repo.push_args is not None
    result = _run(repo.top, *repo.push_args)
    if result.returncode != 0:
        raise GitError(
            f"committed, but `git {' '.join(repo.push_args)}` failed:\n  {_said(result)}\n"
            "nothing is published yet: fix that (often `git pull --rebase`), then `git push`"
        )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


# --- when the site publishes -------------------------------------------------------------

_DEPLOY_STEPS = ("actions/deploy-pages", "actions/upload-pages-artifact")


def publish_branches(root: Path) -> list[str] | None:
    """The branches whose pushes the repository's publish workflow deploys (the workflow
    that uploads to GitHub Pages); None when there is no such workflow to read."""
    folder = root / ".github" / "workflows"
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml"))
    except OSError:
        return None
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            data = yaml.safe_load(text) if any(s in text for s in _DEPLOY_STEPS) else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(data, dict):
            # YAML 1.1 reads the key `on` as true.
            triggers: Any = data.get("on", data.get(True))
            push = triggers.get("push") if isinstance(triggers, dict) else None
            branches = push.get("branches") if isinstance(push, dict) else None
            if isinstance(branches, list):
                return [str(b) for b in branches]
            if isinstance(triggers, (dict, list, str)) and "push" in triggers:
                return []  # every branch
    return None


def publish_note(
    root: Path,
    branch: str | None,
    *,
    shown: str,
    message: str,
    commit: str | None = None,
    pushed: bool = False,
) -> str:
    """What happens next, after a command changed `shown`: whether it is public yet, and
    when the publish workflow will pick it up."""
    branches = publish_branches(root)
    publishes = branches is not None and branch is not None and (not branches or branch in branches)
    elsewhere = (
        f"the site publishes from {' and '.join(f'`{b}`' for b in branches)}: merge `{branch}` "
        "there (a pull request) to publish"
        if branches and branch is not None and branch not in branches
        else ""
    )
    if pushed:
        head = f'Committed {commit} "{message}" and pushed `{branch}`. '
        if elsewhere:
            return head + elsewhere[0].upper() + elsewhere[1:] + "."
        if publishes:
            return head + (
                "Published by your push: the publish workflow is deploying it now; "
                "the page is live in a few minutes."
            )
        return head + "Published by your push, once your site's publishing picks it up."
    if commit:
        head = f'Committed {commit} "{message}". Push to publish: `git push`'
    else:
        head = f"Push to publish: commit {shown} and push (`--commit --push` does both)"
    if elsewhere:
        return f"{head}; {elsewhere}."
    if publishes:
        return f"{head}; the publish workflow deploys each push to `{branch}` within minutes."
    return head + "."


# --- what a branch changes -----------------------------------------------------------------


def changed_since(folder: Path, ref: str) -> list[Path]:
    """The files HEAD changes since it left `ref` (`ref...HEAD`: on a pull request's merge
    commit with `ref` its first parent, exactly what merging changes), leaving out deleted
    ones, as absolute paths. Names come from `git diff -z`, NUL-separated and never through
    a shell, so a name with spaces, quotes or newlines stays one name."""
    if ref.startswith("-"):
        raise GitError(f"{ref} is not a commit: a revision never starts with `-`")
    root = _top(folder, "--changed-since", "--changed-since compares two of its commits")
    base = _run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if base.returncode != 0:
        raise GitError(
            f"cannot compare with {ref}: git knows no such commit here. In a workflow, the "
            "checkout needs the merge commit's parents (`fetch-depth: 2` for `HEAD^1`)"
        )
    # Run at the top, where `diff.relative` or a subfolder cannot shorten the names.
    diff = _run_bytes(
        root,
        "diff",
        "-z",
        "--name-only",
        "--no-renames",
        "--diff-filter=d",
        f"{base.stdout.strip()}...HEAD",
        "--",
    )
    if diff.returncode != 0:
        said = os.fsdecode(diff.stderr).strip().splitlines()
        raise GitError(
            f"cannot compare with {ref}: {' '.join(said[-2:]) or 'git diff failed'}. "
            "A shallow checkout needs the commit where HEAD left it (`fetch-depth: 2` for a "
            "pull request's `HEAD^1`, `fetch-depth: 0` for a branch)"
        )
    return [root / os.fsdecode(name) for name in diff.stdout.split(b"\0") if name]
