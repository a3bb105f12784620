"""What every rule is handed: the config, the moment "now", and each file's texts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from generator.core.config import CandorConfig
from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.source import KeyPath
from generator.core.times import format_local


def _strings(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


class ClockRead(RuntimeError):
    """A rule classed as clock-independent read "now": its results would be cached wrongly."""


class Context:
    def __init__(self, config: CandorConfig, now: datetime | None) -> None:
        """`now` None: for the clock-independent rules, whose results are cached per file
        (filecache.py); reading it then is a fault in the rule's classification."""
        self.config, self._now = config, now
        self.component_ids = [c.id for c in config.components]
        self.tz = config.tz
        self._strings: tuple[LoadedFile | None, list[tuple[KeyPath, str]]] = (None, [])

    @property
    def now(self) -> datetime:
        if self._now is None:
            raise ClockRead("a rule whose results are cached read the clock")
        return self._now

    def strings(self, f: LoadedFile) -> list[tuple[KeyPath, str]]:
        """Every text of the file with its path, walked once for all the text rules."""
        if self._strings[0] is not f:
            self._strings = (f, list(_strings(f.data)))
        return self._strings[1]

    def show(self, moment: datetime) -> str:
        return format_local(moment, self.tz)


Rule = Callable[[LoadedFile, Context], Iterator[Problem]]
