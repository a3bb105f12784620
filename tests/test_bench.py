"""scripts/bench.py: what it measures is Candor as an installed package runs it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_candor_runs_from_bytecode_in_the_bench_even_where_none_is_written() -> None:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = bench
    spec.loader.exec_module(bench)
    compiled = Path(importlib.util.cache_from_source(str(ROOT / "generator" / "cli" / "site.py")))
    compiled.unlink(missing_ok=True)  # as a checkout installed in place may be
    bench.compile_candor()
    assert compiled.is_file()

    # A fresh interpreter that may write no bytecode reads every module Candor's build
    # imports from what the bench compiled: none is compiled from its source again.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT)}
    code = "import generator.cli.site, generator.plugin"
    done = subprocess.run(
        [sys.executable, "-v", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    ours = [line for line in done.stderr.splitlines() if f"{ROOT}/generator/" in line]
    assert any("code object from" in line and ".pyc" in line for line in ours)
    compiled_again = [line for line in ours if "code object from" in line and ".pyc" not in line]
    assert compiled_again == []
