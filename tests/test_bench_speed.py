"""scripts/bench_speed.py: each goal's verdict from the figures of one run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_speed", ROOT / "scripts" / "bench_speed.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_speed"] = module
    spec.loader.exec_module(module)
    return module


def row(size: int, incremental: float, full: float, baseline: float, **more: Any) -> dict[str, Any]:
    def runs(cpu: float) -> dict[str, list[float]]:
        return {"wall": [cpu * 2, cpu * 2.2, cpu * 1.9], "cpu": [cpu, cpu * 1.1, cpu * 0.9]}

    return {
        "size": size,
        "full": runs(full),
        "baseline": runs(baseline),
        "incremental": runs(incremental),
        "cold_cache": runs(full),
        "check_cold": {"wall": [2.5, 3.4, 2.9], "cpu": [4.0, 5.1, 4.6]},
        "check_warm": {"wall": [1.4, 1.6, 1.5], "cpu": [2.0, 2.0, 2.0]},
        "rss_mb": 280.0,
        "output_mb": 160.0,
        **more,
    }


def verdicts(rows: list[dict[str, Any]]) -> dict[str, bool | None]:
    return {goal: passed for goal, _, _, passed in _module().goals(rows)}


def test_each_goal_judged_on_the_median_against_its_limit() -> None:
    found = verdicts([row(10_000, incremental=1.4, full=10.0, baseline=9.0, serve=[0.9, 1.2, 0.8])])
    assert found["one changed incident at 10,000: rebuild ≤ 15% of a full build"] is True
    assert found["`candor serve` at 10,000: an edit visible"] is True
    assert found["full build per page at 10,000 ÷ plain mkdocs-material"] is False
    assert found["`candor check` at 10,000, warm"] is True  # median 1.5 s
    assert found["`candor check` at 10,000, cold"] is True  # median 2.9 s
    assert found["`candor build` peak memory at 10,000"] is True
    assert found["output at 10,000"] is False
    # A first run that happened to be quick does not decide alone.
    slow = {"wall": [2.5, 3.4, 3.2], "cpu": [4.0, 5.1, 4.9]}
    found = verdicts([row(10_000, incremental=1.4, full=10.0, baseline=9.0, check_cold=slow)])
    assert found["`candor check` at 10,000, cold"] is False


def test_check_memory_and_output_goals_belong_to_10000() -> None:
    found = verdicts([row(1_000, incremental=2.0, full=5.0, baseline=6.0)])
    assert found["one changed incident at 1,000: rebuild ≤ 15% of a full build"] is False
    assert found["full build per page at 1,000 ÷ plain mkdocs-material"] is True
    assert found["`candor check` at 1,000, warm"] is None
    assert found["output at 1,000"] is None
    assert not any("serve" in goal for goal in found)


def test_report_prints_pass_and_fail() -> None:
    text = _module().report([row(10_000, incremental=1.0, full=10.0, baseline=12.0)])
    assert "**PASS**" in text and "**FAIL**" in text
    assert "CPU 1.00 s = 10% of 10.00 s" in text


def test_the_fixed_part_of_a_rebuild_is_shown_against_each_full_build_without_a_verdict() -> None:
    floor = {"wall": [0.7, 0.8, 0.75], "cpu": [0.6, 0.7, 0.65]}
    rows = [row(size, incremental=1.0, full=size / 250, baseline=1.0) for size in (1_000, 10_000)]
    for r in rows:
        r["floor"] = floor
    found = _module().goals(rows)
    shown = {goal: (figure, passed) for goal, figure, _, passed in found}
    assert shown["one changed incident at 10, against the full build at 1,000"] == (
        "CPU 0.65 s = 16% of 4.00 s",
        None,
    )
    assert shown["one changed incident at 10, against the full build at 10,000"] == (
        "CPU 0.65 s = 2% of 40.00 s",
        None,
    )
    text = _module().report(rows)
    assert "one changed incident at 10: wall 0.70, 0.80, 0.75 s, CPU 0.60, 0.70, 0.65 s" in text
    assert "**n/a**" in text


def test_what_mkdocs_costs_before_any_page_is_shown_against_each_full_build() -> None:
    start = {"wall": [0.35, 0.34, 0.36], "cpu": [0.33, 0.30, 0.31]}
    rows = [row(size, incremental=1.0, full=size / 250, baseline=1.0) for size in (1_000, 10_000)]
    for r in rows:
        r["start"] = start
    shown = {goal: (figure, passed) for goal, figure, _, passed in _module().goals(rows)}
    goal = "plain mkdocs-material building one page, against the full build at 1,000"
    assert shown[goal] == ("CPU 0.31 s = 8% of 4.00 s", None)
    text = _module().report(rows)
    runs = "wall 0.35, 0.34, 0.36 s, CPU 0.33, 0.30, 0.31 s"
    assert f"plain mkdocs-material, one page: {runs}" in text
