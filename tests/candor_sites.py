"""Shared test helpers: a throwaway site on disk, loaded the way `candor check` loads it.

Import them as `from candor_sites import make_site` (a module of its own: several
`conftest.py` files share one module name, so importing from `conftest` is ambiguous)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.core.config import CandorConfig
from generator.core.errors import Problem, sort_problems
from generator.core.load import load_file
from generator.core.project import Project, load_project
from generator.core.times import parse_timestamp
from generator.rules import run_checks

# Debian's Chromium, driven by Playwright (never `playwright install`: it cannot download).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

COMPONENTS = [
    {"id": "api", "name": "Public API", "group": "Core"},
    {"id": "web", "name": "Website", "group": "Core"},
    {"id": "db", "name": "Database"},
]


def make_site(tmp_path: Path, files: dict[str, str | bytes], **candor_options: Any) -> Path:
    """Write mkdocs.yml (UTC, components api/web/db unless given) and `incidents/<name>`
    for each entry of `files`; return the config's path."""
    options: dict[str, Any] = {"timezone": "UTC", "components": COMPONENTS, **candor_options}
    config = {
        "site_name": "Test Status",
        "site_url": "https://status.example.com/",
        "docs_dir": "docs",
        "plugins": [{"candor": options}],
    }
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    incidents = tmp_path / options.get("incidents_dir", "incidents")
    incidents.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = incidents / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return path


def load_site(
    tmp_path: Path, files: dict[str, str | bytes], now: str = "2026-12-01T00:00Z", **options: Any
) -> Project:
    """`make_site`, then `load_project` at `now`."""
    return load_project(make_site(tmp_path, files, **options), now)


def check_file(
    text: str | bytes,
    name: str = "x.yaml",
    now: str = "2026-12-01T00:00Z",
    **options: Any,
) -> list[Problem]:
    """Load one incident file from memory and run every check on it, as `candor check` does
    (config: UTC and components api/web/db unless `options` say otherwise); sorted."""
    config = CandorConfig.model_validate({"timezone": "UTC", "components": COMPONENTS, **options})
    raw = text.encode("utf-8") if isinstance(text, str) else text
    loaded = load_file(Path("incidents") / name, f"incidents/{name}", config.tz, raw)
    return sort_problems(run_checks([loaded], config, parse_timestamp(now, config.tz)))


def incident_text(
    message: str,
    *,
    status: str = "investigating",
    next_update: str | None = "30m",
    by: str | None = "Aiko, on-call SRE",
    at: str = "2026-11-20T09:14:00Z",
    top: str = "",
    tail: str = "",
) -> str:
    """One incident file whose (single) update has `message` as a `|` block, so that the
    message's line n is the file's line 9 + n (line 10 with `top`'s lines added)."""
    body = "\n".join("      " + line if line else "" for line in message.split("\n"))
    lines = [
        f"{top}title: Checkout errors",
        "impact: major",
        "components: [api]",
        "updates:",
        f"  - at: {at}",
        f"    status: {status}",
        *([f"    next_update: {next_update}"] if next_update else []),
        *([f"    by: {by}"] if by else []),
        "    message: |",
        body,
    ]
    return "\n".join(lines) + "\n" + tail


def rule_hits(text: str, rule: str, now: str = "2026-11-20T10:00Z", **options: Any) -> list[str]:
    """`line:column` of each problem of `rule` in one incident file."""
    return [f"{p.line}:{p.column}" for p in check_file(text, now=now, **options) if p.rule == rule]
