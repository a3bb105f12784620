"""Git repositories for tests: git run with a fixed identity and no user or system config,
and the merge commit a pull request is checked out as."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def merge_request(repo: Path, change: Callable[[], None], on_main: Callable[[], None]) -> None:
    """A branch made by `change`, main moved on by `on_main`, and the merge commit a pull
    request is checked out as (its first parent: main)."""
    branch = f"feature-{git(repo, 'rev-parse', '--short', 'HEAD').strip()}"
    git(repo, "switch", "-q", "-c", branch)
    change()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature")
    git(repo, "switch", "-q", "main")
    on_main()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "main moved on")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", branch)
