"""One call from a config path to everything downstream needs: settings, incident files,
problems and (when there are no errors) the derived state. The CLI and the plugin share it."""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.cache import cache_dir
from generator.core.config import Settings, load_settings
from generator.core.errors import CandorError, Problem, ValidationFailed, sort_problems
from generator.core.filecache import Clocked, FileCache, Fixed
from generator.core.folders import ignored_entries
from generator.core.load import (
    SUFFIXES,
    LoadedFile,
    discover,
    duplicate_names,
    no_cyclic_gc,
    rel_path,
)
from generator.core.model import Event
from generator.core.state import SiteState, derive
from generator.core.times import now_from
from generator.rules import Context, clock_span, fixed_problems, prepare
from generator.rules.pages import hand_written_pages, prompts_in
from generator.rules.site import example_problems, language_problems

if TYPE_CHECKING:  # only a long `candor check` starts a second process; a build never does
    import multiprocessing.context
    from multiprocessing.connection import Connection

NOW_ENV = "CANDOR_NOW"


@dataclass
class Project:
    settings: Settings
    files: list[LoadedFile]
    problems: list[Problem]
    now: datetime

    @property
    def events(self) -> list[Event]:
        return [f.event for f in self.files if f.event is not None]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def strict(self) -> Project:
        """The same project with every warning counted as an error (`--strict`)."""
        return Project(self.settings, self.files, [p.as_error() for p in self.problems], self.now)

    def require_valid(self) -> None:
        if self.errors:
            raise ValidationFailed(self.problems)

    def state(self) -> SiteState:
        """The derived state of a valid project (ValidationFailed otherwise)."""
        self.require_valid()
        return self.derive()

    def derive(self) -> SiteState:
        """The derived state of every file that loaded, errors elsewhere notwithstanding."""
        c = self.settings.candor
        return derive(
            self.events,
            c.components,
            self.now,
            self.settings.tz,
            uptime_days=c.uptime_days,
            required_for=c.postmortem_required_for,
            postmortem_within=c.postmortem_within,
        )


def resolve_now(settings: Settings, now: str | None) -> datetime:
    value = now or os.environ.get(NOW_ENV) or None
    try:
        return now_from(value, settings.tz)
    except ValueError as exc:
        source = "--now" if now else NOW_ENV
        raise CandorError(f"{source}: {exc}; write it as YYYY-MM-DDTHH:MM[Z|±HH:MM]") from None


def load_project(config_path: Path | str = "mkdocs.yml", now: str | None = None) -> Project:
    settings = load_settings(config_path)
    moment = resolve_now(settings, now)
    paths = discover(settings.incidents_dir)
    job = _Job(settings, moment, duplicate_names(paths))
    files, problems = job.run(paths, keep=True)
    if job.cache.wrote:
        job.cache.prune()
    return Project(settings, files, sort_problems(problems + site_problems(settings)), moment)


# From this many files on, `check_project` shares them with a second process. Below it,
# starting one costs more than it saves.
PARALLEL_FROM = 500
# The two processes take files in chunks of this many, whichever is free the next: one slowed
# by other work on the machine takes fewer, and both finish within a chunk of each other.
CHUNK = 50
# Chunk numbers as they are handed out through a pipe (see `_Chunks`).
_NUMBER = struct.Struct("=H")
# They are all written before either process reads: never more than a pipe holds on any
# system with `fork` (4 KiB; Linux holds 64).
_MOST_CHUNKS = 4096 // _NUMBER.size


@dataclass
class Checked:
    """What `candor check` reports: every problem and how many files, without the models."""

    settings: Settings
    count: int
    problems: list[Problem]
    now: datetime

    def strict(self) -> Checked:
        """The same result with every warning counted as an error (`--strict`)."""
        return Checked(self.settings, self.count, [p.as_error() for p in self.problems], self.now)


def check_project(config_path: Path | str = "mkdocs.yml", now: str | None = None) -> Checked:
    """The problems `load_project` finds, in the same order, with less time and memory.

    Each file is checked as soon as it is read and then dropped, and a long history is shared
    with a second process: the problems are all that crosses between them.
    """
    settings = load_settings(config_path)
    moment = resolve_now(settings, now)
    paths = discover(settings.incidents_dir)
    job = _Job(settings, moment, duplicate_names(paths))
    context = _fork_context() if len(paths) >= PARALLEL_FROM else None
    if context is None:
        problems, wrote = job.problems(paths)
    else:
        prepare(settings.candor)  # read once, before the second process starts
        problems, wrote = _in_two(job, paths, context)
    if wrote:  # a run that wrote nothing cannot have made the folder outgrow the site
        job.cache.prune()
    problems += site_problems(settings)
    return Checked(settings, len(paths), sort_problems(problems), moment)


def _in_two(
    job: _Job, paths: list[Path], context: multiprocessing.context.ForkContext
) -> tuple[list[Problem], bool]:
    """The files' problems in their order, found by this process and a second one, each
    taking the next chunk of files when it is free; and whether any entry was written."""
    size = max(CHUNK, -(-len(paths) // _MOST_CHUNKS))
    chunks = [paths[start : start + size] for start in range(0, len(paths), size)]
    taking = _Chunks(len(chunks))
    receive, send = context.Pipe(duplex=False)
    try:
        worker = context.Process(target=_second, args=(job, chunks, taking, send), daemon=True)
        worker.start()
        send.close()
        found = _take(job, chunks, taking)
        theirs, wrote = {}, False
        with contextlib.suppress(EOFError, OSError):  # it died (killed, out of memory)
            theirs, wrote = receive.recv()
        worker.join()
    finally:
        send.close()
        receive.close()
        taking.close()
    found.update(theirs)
    problems: list[Problem] = []
    for number, chunk in enumerate(chunks):
        if number not in found:  # taken by a second process that never answered
            found[number] = job.run(chunk, keep=False)[1]
        problems += found[number]
    return problems, wrote or job.cache.wrote


class _Chunks:
    """Chunk numbers to take, in a pipe both processes read: reading a few bytes from a pipe
    is atomic, so each number goes to one process, with no lock a killed process could keep
    holding."""

    def __init__(self, count: int) -> None:
        self.read, write = os.pipe()
        os.write(write, b"".join(_NUMBER.pack(number) for number in range(count)))
        os.close(write)  # the last number taken: the next read finds the end

    def next(self) -> int | None:
        taken = os.read(self.read, _NUMBER.size)
        return _NUMBER.unpack(taken)[0] if len(taken) == _NUMBER.size else None

    def close(self) -> None:
        os.close(self.read)


def _take(job: _Job, chunks: list[list[Path]], taking: _Chunks) -> dict[int, list[Problem]]:
    """The problems of each chunk this process takes, until none is left."""
    found = {}
    number = taking.next()
    while number is not None:
        found[number] = job.check(chunks[number])
        number = taking.next()
    job.cache.flush()
    return found


def _second(job: _Job, chunks: list[list[Path]], taking: _Chunks, send: Connection) -> None:
    """The second process: its chunks' problems go back to the first. On any failure it
    answers nothing, and the first checks those chunks itself (and reports what fails)."""
    try:
        send.send((_take(job, chunks, taking), job.cache.wrote))
    except BaseException:  # never a traceback from here: see above
        os._exit(1)


def site_problems(settings: Settings) -> list[Problem]:
    """What is wrong beside the incident files: a file in the folder that is skipped, the
    example site's address or words left in a real site, a page that is not UTF-8, a prompt
    left in a page."""
    folder = settings.incidents_dir
    problems = [
        Problem(
            rel_path(folder / name, settings.root), None, None, "warning", "ignored-file", why, fix
        )
        for name, why, fix in ignored_entries(folder, SUFFIXES)
    ]
    pages, unreadable = hand_written_pages(settings.docs_dir, settings.root)
    return (
        problems
        + unreadable
        + language_problems(settings)
        + example_problems(settings, pages)
        + prompts_in(pages)
    )


class _Job:
    """Loading and checking files: each file's results come from the cache (filecache.py)
    when it holds them, the clock's findings while they hold at "now"; else the rules run."""

    def __init__(self, settings: Settings, now: datetime, duplicates: dict[Path, str]) -> None:
        self.root, self.tz, self.duplicates = settings.root, settings.tz, duplicates
        self.ctx = Context(settings.candor, now)
        self.fixed_ctx = Context(settings.candor, None)  # reading "now" there raises
        self.cache = FileCache(cache_dir(settings.config_path), settings.candor, settings.tz)
        self.rules: tuple[Fixed, Clocked] = (
            lambda f: fixed_problems(f, self.fixed_ctx),
            lambda f: clock_span(f, self.ctx),
        )

    def run(self, paths: list[Path], keep: bool) -> tuple[list[LoadedFile], list[Problem]]:
        """Every file's problems, and when `keep` the loaded files, checked and without their
        source (else each is dropped once checked); what the cache made is written."""
        files: list[LoadedFile] = []
        problems = self._each(paths, files.append if keep else None)
        self.cache.flush()
        return files, problems

    def problems(self, paths: list[Path]) -> tuple[list[Problem], bool]:
        """The files' problems, and whether any entry was written."""
        return self.run(paths, keep=False)[1], self.cache.wrote

    def check(self, paths: list[Path]) -> list[Problem]:
        """The files' problems; what the cache made waits for `cache.flush`."""
        return self._each(paths, None)

    def _each(self, paths: list[Path], keep: Callable[[LoadedFile], None] | None) -> list[Problem]:
        problems: list[Problem] = []
        with no_cyclic_gc():
            for path in paths:
                rel, duplicate = rel_path(path, self.root), self.duplicates.get(path)
                loaded, found = self.cache.checked(
                    path, rel, self.tz, duplicate, self.rules, self.ctx.now, keep is not None
                )
                problems += found
                if keep is None or loaded is None:  # only the problems
                    continue
                # Checked: its source text and positions (a long history's largest part:
                # 80 MB at 10,000 files) are needed no more.
                keep(replace(loaded, source=None, data=None))
        return problems


def _fork_context() -> multiprocessing.context.ForkContext | None:
    """A way to start a second process cheaply, when there is a second core to run it."""
    import multiprocessing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cores or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if sys.platform == "darwin":  # fork is there, but system libraries may not survive it
        return None
    return multiprocessing.get_context("fork")
