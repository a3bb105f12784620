"""The pull request's check: `candor check` on every file, with `--strict` only for the
incident files the pull request changes (and `mkdocs.yml` when it changes).

    make check-changed BASE=HEAD^1          # what the check workflow runs
    .venv/bin/python scripts/check_changed.py --base HEAD^1 --list   # the files, NUL-ended

A warning the clock raises on a file nobody touched (an open incident gone stale, a
postmortem come due) is shown, but never fails someone else's pull request; a file the pull
request writes is held to the standard it will be published at.

File names go from git to `candor` as arguments, never through a shell: `git diff -z`
separates them with NUL bytes, so a name with spaces, quotes or newlines stays one name.
Deleted files are left out (`--diff-filter=d`): there is nothing left to check.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from generator.core.errors import CandorError
from generator.core.load import SUFFIXES


def changed_paths(base: str, head: str = "HEAD") -> list[Path]:
    """The files that exist at `head` and differ from `base`, as absolute paths."""
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], check=True, capture_output=True
    ).stdout
    root = Path(os.fsdecode(top.rstrip(b"\n")))
    out = subprocess.run(
        ["git", "diff", "-z", "--name-only", "--no-renames", "--diff-filter=d", base, head, "--"],
        check=True,
        capture_output=True,
    ).stdout
    return [root / os.fsdecode(name) for name in out.split(b"\0") if name]


def strict_files(config: Path, base: str, head: str = "HEAD") -> list[str]:
    """The changed files to hold to --strict: incident files Candor reads, and the config.
    Paths relative to the current folder, as `candor check` takes them."""
    from generator.core.config import load_settings

    settings = load_settings(config)
    incidents = settings.incidents_dir.resolve()
    chosen = []
    for path in changed_paths(base, head):
        resolved = path.resolve()
        is_incident = (
            resolved.parent == incidents
            and path.suffix in SUFFIXES
            and not path.name.startswith(".")
        )
        if is_incident or resolved == settings.config_path.resolve():
            chosen.append(os.path.relpath(path))
    return sorted(chosen)


def candor() -> str:
    """The `candor` of this Python's environment, else the one on PATH."""
    beside = Path(sys.executable).parent / "candor"
    return str(beside) if beside.exists() else shutil.which("candor") or "candor"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="what the pull request merges into")
    parser.add_argument("--head", default="HEAD")
    parser.add_argument("--config", default="mkdocs.yml")
    parser.add_argument("--list", action="store_true", help="print the files, NUL-ended")
    args = parser.parse_args(argv)
    try:
        files = strict_files(Path(args.config), args.base, args.head)
    except subprocess.CalledProcessError as exc:
        error = os.fsdecode(exc.stderr or b"").strip()
        print(
            f"::error::cannot compare with {args.base} ({error}); the checkout needs the "
            "merge commit's parents: `fetch-depth: 2`",
            flush=True,
        )
        return 1
    except CandorError:
        files = []  # the config itself is broken: the check below says how
    if args.list:
        sys.stdout.write("".join(f"{name}\0" for name in files))
        return 0
    command = [candor(), "check", "--format", "github"]
    if files:
        command[2:2] = ["--strict"]
        command += ["--", *files]
    print(f"+ {shlex.join(['candor', *command[1:]])}", file=sys.stderr, flush=True)
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
