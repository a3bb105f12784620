"""Benchmarks: check and build a synthetic history of 100, 1,000 and 10,000 incidents.

    make bench                                   # the full run
    .venv/bin/python scripts/bench.py --sizes 100,1000 --no-lighthouse

For each size, a fresh process times each phase in turn (load, check, derived state, page
bodies, feeds and API) and reports its peak RSS; `candor check --strict` and `candor build`
run end to end as subprocesses, as does the baseline: plain mkdocs-material building the
same number of trivial Markdown pages. Then page weight (first-view gzip bytes and requests)
and Lighthouse scores (median of 3 runs) of each page kind, in English and Japanese. Prints
Markdown, and with `--update BENCHMARKS.md` writes the page figures into that file; speed
is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_speed  # noqa: E402
import synth  # noqa: E402
import weight  # noqa: E402

NOW = "2026-12-01T12:00:00Z"


def update_section(path: Path, name: str, section: str, stamp: str) -> None:
    """Replace BENCHMARKS.md's part between `<!-- make bench: NAME start/end -->` with the
    new figures (or append it)."""
    start, end = f"<!-- make bench: {name} start -->", f"<!-- make bench: {name} end -->"
    text = path.read_text(encoding="utf-8")
    body = f"{start}\n{stamp}\n\n{section}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + body + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(text, encoding="utf-8")


BIN = Path(sys.executable).parent
NA = "not available"


@dataclass
class Run:
    """One subprocess, measured: wall seconds, CPU seconds, peak RSS and exit status."""

    wall: float
    cpu: float
    rss_mb: float
    code: int
    out: str

    @property
    def ok(self) -> bool:
        return self.code == 0


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `cmd`, waiting with wait4 so its own rusage (peak RSS, CPU) comes back."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        out = log.read().decode("utf-8", "replace")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, out)


# --- the in-process phases, run by `bench.py --phases DIR` in a fresh interpreter ----------


def phases(config: Path, now: str) -> dict[str, Any]:
    from generator.core.config import load_settings
    from generator.core.errors import sort_problems
    from generator.core.load import load_dir
    from generator.core.project import Project, resolve_now
    from generator.outputs.artifacts import build_artifacts
    from generator.outputs.pages import render_site
    from generator.rules import run_checks

    times: dict[str, Any] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = fn()
        times[name] = time.perf_counter() - start
        return value

    settings = timed("config", lambda: load_settings(config))
    moment = resolve_now(settings, now)
    files = timed("load", lambda: load_dir(settings.incidents_dir, settings.root, settings.tz))
    problems = timed("check", lambda: sort_problems(run_checks(files, settings.candor, moment)))
    project = Project(settings, files, problems, moment)
    state = timed("state", project.state)
    timed("render", lambda: render_site(settings, state))
    timed("artifacts", lambda: build_artifacts(settings, state))
    times["errors"] = len(project.errors)
    times["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return times


# --- the baseline: plain mkdocs-material, same number of pages ------------------------------

PARAGRAPHS = (
    "Requests to the API failed for some customers for a short while. We found the cause, "
    "fixed it and watched the service until it was stable again.",
    "We are sorry for the trouble. This page is part of a plain mkdocs-material site used "
    "as the baseline of Candor's benchmarks: it has the same number of pages as the history.",
)


def baseline_site(out: Path, pages: int) -> Path:
    docs = out / "docs" / "incidents"
    docs.mkdir(parents=True)
    (out / "docs" / "index.md").write_text("# Status\n\n" + PARAGRAPHS[0] + "\n")
    for index in range(pages):
        (docs / f"page-{index:05d}.md").write_text(
            f"# Incident {index}\n\n{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}\n"
        )
    # Like Candor's incident pages, these stay out of the navigation: with every page in
    # the nav, each page would render the whole list and the baseline would be quadratic.
    (out / "mkdocs.yml").write_text(
        "site_name: Baseline\nsite_url: https://status.example.com/\n"
        "theme:\n  name: material\nplugins:\n  - search\nnav:\n  - Home: index.md\n"
    )
    return out / "mkdocs.yml"


# --- one size --------------------------------------------------------------------------------


def has_build() -> bool:
    return measure([str(BIN / "candor"), "build", "--help"]).ok


def bench_size(size: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    row: dict[str, Any] = {"size": size}
    history = work / f"history-{size}"
    start = time.perf_counter()
    files = synth.generate(history, size, seed=args.seed, now=args.now)
    row["generate"] = time.perf_counter() - start
    row["input_mb"] = sum(p.stat().st_size for p in files) / 1e6
    config = history / "mkdocs.yml"
    log(f"{size}: phases")
    worker = measure([sys.executable, __file__, "--phases", str(config), "--now", args.now])
    if not worker.ok:
        raise SystemExit(f"phase worker failed at {size}:\n{worker.out}")
    row["phases"] = json.loads(worker.out.strip().splitlines()[-1])
    log(f"{size}: candor check")
    check = measure(
        [str(BIN / "candor"), "check", "--strict", "--config", str(config)], env=_now(args)
    )
    row["check"] = check.__dict__ | {"out": check.out.strip().splitlines()[-1:]}
    if args.build and has_build():
        log(f"{size}: candor build")
        site = work / f"site-{size}"
        build = measure(
            [str(BIN / "candor"), "build", "--config", str(config), "--out", str(site)],
            env=_now(args),
        )
        row["build"] = build.__dict__ | {"out": build.out[-2000:]}
        if build.ok:
            outputs = [p for p in site.rglob("*") if p.is_file()]
            row["output_files"] = len(outputs)
            row["output_mb"] = sum(p.stat().st_size for p in outputs) / 1e6
            row["site"] = str(site)
    if args.baseline:
        log(f"{size}: baseline mkdocs-material")
        base = baseline_site(work / f"baseline-{size}", size)
        plain = measure(
            [str(BIN / "mkdocs"), "build", "-q", "-f", str(base), "-d", str(base.parent / "site")]
        )
        row["baseline"] = plain.__dict__ | {"out": plain.out[-2000:]}
    return row


def goal_row(size: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The build-speed goals at one size (scripts/bench_speed.py), on a history of its own:
    the goals edit its files."""
    history = work / f"goals-{size}"
    synth.generate(history, size, seed=args.seed, now=args.now)
    base = baseline_site(work / f"goals-baseline-{size}", size)
    log(f"{size}: goals ({args.reps} runs each)")
    return bench_speed.measure_goals(
        size, history, work, args.reps, args.now, measure, base, BIN, serve=args.serve
    )


def floor_figures(work: Path, args: argparse.Namespace) -> dict[str, dict[str, list[float]]]:
    """What every rebuild pays whatever the history's length: the rebuild of a history of a
    handful of incidents (bench_speed.measure_floor), and plain mkdocs-material building one
    page (bench_speed.measure_start)."""
    history = work / "goals-floor"
    synth.generate(history, bench_speed.FLOOR_SIZE, seed=args.seed, now=args.now)
    log(f"{bench_speed.FLOOR_SIZE}: one changed incident ({args.reps} runs)")
    floor = bench_speed.measure_floor(history, work, args.reps, args.now, measure, BIN)
    log(f"plain mkdocs-material, one page ({args.reps} runs)")
    one_page = baseline_site(work / "baseline-one-page", 0)
    start = bench_speed.measure_start(one_page, args.reps, measure, BIN)
    return {"floor": floor, "start": start}


def _now(args: argparse.Namespace) -> dict[str, str]:
    return {"CANDOR_NOW": args.now}


def log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


# --- the report ------------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return NA
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def table(rows: list[dict[str, Any]]) -> str:
    def get(row: dict[str, Any], *keys: str) -> Any:
        value: Any = row
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value

    def run_value(row: dict[str, Any], key: str, field: str) -> Any:
        run = row.get(key)
        if not run:
            return None
        return run[field] if run["code"] == 0 else f"failed (exit {run['code']})"

    def fmt_s(v: Any) -> str:
        return v if isinstance(v, str) else seconds(v)

    def fmt_mb(v: Any) -> str:
        return v if isinstance(v, str) else (NA if v is None else f"{v:.0f} MB")

    def ratio(row: dict[str, Any], field: str = "wall") -> str:
        build, base = run_value(row, "build", field), run_value(row, "baseline", field)
        if isinstance(build, float) and isinstance(base, float):
            return f"{build / base:.2f}×"
        return NA

    def per(row: dict[str, Any], key: str) -> str:
        value = run_value(row, key, "wall")
        return f"{value / row['size'] * 1000:.2f} ms" if isinstance(value, float) else NA

    lines: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("Incident files (input MB)", lambda r: f"{r['size']:,} ({r['input_mb']:.1f} MB)"),
        ("load: read, parse, validate (s)", lambda r: fmt_s(get(r, "phases", "load"))),
        ("check: rules (s)", lambda r: fmt_s(get(r, "phases", "check"))),
        ("derived state (s)", lambda r: fmt_s(get(r, "phases", "state"))),
        ("render: page bodies (s)", lambda r: fmt_s(get(r, "phases", "render"))),
        ("feeds and API (s)", lambda r: fmt_s(get(r, "phases", "artifacts"))),
        ("phases: peak RSS", lambda r: fmt_mb(get(r, "phases", "rss_mb"))),
        ("`candor check --strict`, end to end (s)", lambda r: fmt_s(run_value(r, "check", "wall"))),
        ("`candor check`: CPU user+sys (s)", lambda r: fmt_s(run_value(r, "check", "cpu"))),
        ("`candor check`: peak RSS", lambda r: fmt_mb(run_value(r, "check", "rss_mb"))),
        ("`candor check`: per file", lambda r: per(r, "check")),
        ("`candor build`, full mkdocs build (s)", lambda r: fmt_s(run_value(r, "build", "wall"))),
        ("`candor build`: CPU user+sys (s)", lambda r: fmt_s(run_value(r, "build", "cpu"))),
        ("`candor build`: peak RSS", lambda r: fmt_mb(run_value(r, "build", "rss_mb"))),
        ("`candor build`: per incident", lambda r: per(r, "build")),
        (
            "output (files, MB)",
            lambda r: (
                f"{r['output_files']:,} files, {r['output_mb']:.1f} MB"
                if "output_files" in r
                else NA
            ),
        ),
        (
            "baseline: mkdocs-material, same pages (s)",
            lambda r: fmt_s(run_value(r, "baseline", "wall")),
        ),
        ("baseline: CPU user+sys (s)", lambda r: fmt_s(run_value(r, "baseline", "cpu"))),
        ("baseline: peak RSS", lambda r: fmt_mb(run_value(r, "baseline", "rss_mb"))),
        ("baseline: per page", lambda r: per(r, "baseline")),
        ("build ÷ baseline (wall)", ratio),
        ("build ÷ baseline (CPU)", lambda r: ratio(r, "cpu")),
    ]
    out = ["| | " + " | ".join(f"{r['size']:,}" for r in rows) + " |"]
    out.append("|---|" + "---:|" * len(rows))
    for label, fn in lines:
        out.append(f"| {label} | " + " | ".join(fn(r) for r in rows) + " |")
    return "\n".join(out)


def growth(rows: list[dict[str, Any]]) -> str:
    """Per-incident cost at the largest size ÷ that at 1,000 (or the smallest), and the
    marginal cost per added incident, which leaves out fixed start-up (imports, theme)."""
    by_size = {r["size"]: r for r in rows}
    if len(by_size) < 2:
        return ""
    small = by_size.get(1000) or by_size[min(by_size)]
    large = by_size[max(by_size)]
    if small is large:
        return ""
    lines = [f"Per-incident cost growth from {small['size']:,} to {large['size']:,}:"]
    for key, label in (
        ("check", "`candor check`"),
        ("build", "`candor build`"),
        ("baseline", "baseline"),
    ):
        a, b = small.get(key), large.get(key)
        if a and b and a["code"] == 0 and b["code"] == 0:
            wall = (b["wall"] / large["size"]) / (a["wall"] / small["size"])
            cpu = (b["cpu"] / large["size"]) / (a["cpu"] / small["size"])
            text = f"- {label}: {wall:.2f}× (wall), {cpu:.2f}× (CPU)"
            tiny = by_size[min(by_size)].get(key)
            if tiny and tiny["code"] == 0 and min(by_size) < small["size"]:
                # Marginal CPU per incident: 1,000→10,000 against 100→1,000.
                late = (b["cpu"] - a["cpu"]) / (large["size"] - small["size"])
                early = (a["cpu"] - tiny["cpu"]) / (small["size"] - min(by_size))
                text += f"; marginal CPU per incident {late * 1000:.2f} ms vs {early * 1000:.2f} ms"
                text += f" ({late / early:.2f}×)"
            lines.append(text)
        else:
            lines.append(f"- {label}: {NA}")
    return "\n".join(lines)


def machine() -> str:
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    total = mem[1].split()[1] if len(mem) > 1 else "?"
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {total} RAM, "
        f"Python {sys.version.split()[0]}, {sys.platform}; load average at the end "
        f"{os.getloadavg()[0]:.1f}"
    )


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return f"`{done.stdout.strip()}`" if done.returncode == 0 else "(not a git checkout)"


def compile_candor() -> None:
    """Candor's modules compiled, as an installed package has them. The checkout is installed
    in place (`pip install -e`), and where PYTHONDONTWRITEBYTECODE is set no run writes their
    bytecode: each measured run compiled Candor's 65 modules again (0.09 s of every build),
    while mkdocs and its theme, installed from wheels, ran from theirs."""
    compileall.compile_dir(ROOT / "generator", quiet=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default=NOW)
    parser.add_argument("--no-build", dest="build", action="store_false")
    parser.add_argument("--no-baseline", dest="baseline", action="store_false")
    parser.add_argument("--no-lighthouse", dest="lighthouse", action="store_false")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument(
        "--weight-only", action="store_true", help="only page weight and Lighthouse"
    )
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument(
        "--update",
        type=Path,
        help="also write the page weight and Lighthouse figures into this file "
        "(BENCHMARKS.md), between its `make bench: pages` markers",
    )
    parser.add_argument(
        "--goal-sizes", default="1000,10000", help="sizes at which to measure the speed goals"
    )
    parser.add_argument("--reps", type=int, default=3, help="runs of each goal measurement")
    parser.add_argument("--no-serve", dest="serve", action="store_false")
    parser.add_argument(
        "--goals-only", action="store_true", help="only the speed goals (no tables, no pages)"
    )
    parser.add_argument("--phases", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phases:  # the worker: one size's in-process phases, one JSON line
        print(json.dumps(phases(args.phases, args.now)))
        return
    compile_candor()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    goal_sizes = [int(s.replace("_", "")) for s in args.goal_sizes.split(",") if s.strip()]
    if args.weight_only:
        sizes = goal_sizes = []
    if args.goals_only:
        sizes = []
    work = args.keep or Path(tempfile.mkdtemp(prefix="candor-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        rows = [bench_size(size, work, args) for size in sizes]
        report = [f"Machine: {machine()}", f"Now: {args.now}, seed {args.seed}"]
        if rows:
            report += ["", table(rows), "", growth(rows)]
        goal_rows = [goal_row(size, work, args) for size in goal_sizes]
        if goal_rows:
            fixed = floor_figures(work, args)
            for row in goal_rows:
                row.update(fixed)
        speed = bench_speed.report(goal_rows) if goal_rows else ""
        if speed:
            report += ["", speed]
        pages = ""
        if not args.goals_only:
            pages = weight.report(ROOT, work / "pages", args.lighthouse, args.runs)
        report += ["", pages]
        print("\n".join(report))
        if args.update:
            stamp = f"Run of {time.strftime('%d %B %Y')} at commit {commit()}; {machine()}."
            if pages:
                update_section(args.update, "pages", pages, stamp)
                log(f"wrote the page figures into {args.update}")
            if speed:
                update_section(args.update, "speed", speed, stamp)
                log(f"wrote the speed goals into {args.update}")
        if args.json:
            raw = {"sizes": rows, "goals": goal_rows}
            args.json.write_text(json.dumps(raw, indent=2, default=str))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
