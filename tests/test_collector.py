"""Python's cyclic garbage collector during a build (generator/plugin/collector.py): what
`on_config` makes is made with it off and then left out of its passes until the build ends,
failed or not."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from test_build import NOW, build, copy_example

from generator.plugin import CandorPlugin, collector


@pytest.fixture(autouse=True)
def _collector_as_found() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


class Kept:
    """Something a build keeps to its end, and whether the collector was on when it was made."""

    def __init__(self) -> None:
        self.made_with_collector = gc.isenabled()


def test_no_pass_of_the_collector_scans_what_settle_made() -> None:
    """What was made is frozen before the collector is on again: else the first allocation
    after that starts a pass over all of it (the allocations made while it was off count)."""
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    def make() -> list[list[int]]:
        return [[n] for n in range(200_000)]  # far past every generation's threshold

    gc.collect()
    gc.callbacks.append(seen)
    try:
        made = collector.settle(make)
        [[n] for n in range(100)]  # the first allocations after it
    finally:
        gc.callbacks.remove(seen)
    assert len(made) == 200_000
    assert gc.get_freeze_count() >= 200_000
    assert passes == []


def test_settle_makes_with_the_collector_off_and_leaves_the_result_out() -> None:
    kept = collector.settle(Kept)
    assert not kept.made_with_collector
    assert gc.isenabled() and gc.get_freeze_count() > 0
    collector.release()
    assert gc.get_freeze_count() == 0


def test_a_failure_turns_the_collector_back_on_and_leaves_nothing_out() -> None:
    def fail() -> None:
        raise ValueError("a broken incident file")

    with pytest.raises(ValueError):
        collector.settle(fail)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_settle_first_lets_an_earlier_builds_state_go() -> None:
    """`candor serve`: a rebuild whose build before ended without `release` (it failed in
    mkdocs after on_config) does not keep that build's state out of collection for ever."""
    collector.settle(Kept)
    frozen = gc.get_freeze_count()
    collector.settle(Kept)  # everything alive again, not twice as much
    assert gc.get_freeze_count() <= frozen + 1_000


def test_a_build_leaves_the_collector_on_and_nothing_out(tmp_path: Path) -> None:
    """Through `candor build`, and through mkdocs' own build in one process (as `serve`
    rebuilds): during the pages the build's state is left out, after it nothing is."""
    config = copy_example(tmp_path / "example")
    code, output = build(config, tmp_path / "site")
    assert code == 0, output
    assert gc.isenabled() and gc.get_freeze_count() == 0

    seen: list[int] = []
    original = CandorPlugin.on_page_context

    def on_page_context(self: CandorPlugin, *args: object, **kwargs: object) -> object:
        seen.append(gc.get_freeze_count())
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    CandorPlugin.on_page_context = on_page_context  # type: ignore[method-assign]
    try:
        mkdocs_config = load_config(str(config), site_dir=str(tmp_path / "again"))
        plugin = mkdocs_config.plugins["candor"]
        assert isinstance(plugin, CandorPlugin)
        plugin.now = NOW
        mkdocs_build(mkdocs_config)
    finally:
        CandorPlugin.on_page_context = original  # type: ignore[method-assign]
    assert seen and min(seen) > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
