"""scripts/bench.py: what it measures is Candor as an installed package runs it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = bench
    spec.loader.exec_module(bench)
    return bench


def test_candor_runs_from_bytecode_in_the_bench_even_where_none_is_written() -> None:
    bench = _bench()
    compiled = Path(importlib.util.cache_from_source(str(ROOT / "generator" / "cli" / "site.py")))
    compiled.unlink(missing_ok=True)  # as a checkout installed in place may be
    bench.compile_candor()
    assert compiled.is_file()

    # A fresh interpreter that may write no bytecode reads every module Candor's build
    # imports from what the bench compiled: none is compiled from its source again.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT)}
    code = "import generator.cli.site, generator.plugin.candor"
    done = subprocess.run(
        [sys.executable, "-v", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    ours = [line for line in done.stderr.splitlines() if f"{ROOT}/generator/" in line]
    assert any("code object from" in line and ".pyc" in line for line in ours)
    compiled_again = [line for line in ours if "code object from" in line and ".pyc" not in line]
    assert compiled_again == []


def test_the_start_of_mkdocs_is_measured_on_a_site_of_one_page(tmp_path: Path) -> None:
    bench = _bench()
    config = bench.baseline_site(tmp_path / "one-page", 0)
    figures = bench.bench_speed.measure_start(config, 2, bench.measure, bench.BIN)
    built = sorted(config.parent.glob("site-*/index.html"))
    assert len(built) == 2 and not list(config.parent.glob("site-*/incidents"))
    assert len(figures["cpu"]) == len(figures["wall"]) == 2
    assert all(cpu > 0 for cpu in figures["cpu"])
