"""Python's cyclic garbage collector during a build. What `on_config` makes (the incidents'
models, the derived state, every page's plan and cache key, the kept rows) lives to the end
of the build and holds no garbage, yet each full pass of the collector rescanned all of it:
a fifth of a build after one changed incident at 10,000 incidents, a twentieth of a full one.
So it is made with the collector off and then kept out of its passes until the build ends;
the pages, feeds and API made after it are collected as usual."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TypeVar

from generator.core.load import no_cyclic_gc

T = TypeVar("T")


def settle(make: Callable[[], T]) -> T:
    """`make()` with the collector off; then everything alive is left out of its passes."""
    release()  # what an earlier build in this process (`candor serve`) left out
    with no_cyclic_gc():
        made = make()
        # Before the collector is back on: its first pass would scan everything once more.
        gc.freeze()
    return made


def release() -> None:
    """At the end of a build, failed or not: what `settle` left out is collected again (a
    rebuild of `candor serve` lets the last one's state go)."""
    gc.unfreeze()
