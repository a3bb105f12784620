"""Page weight and Lighthouse scores of a built Candor site, for `scripts/bench.py`.

Weight is what a phone downloads for the first view of a page: the HTML and every
stylesheet, script, icon and image its tags reference, each gzip-compressed as a static
host would serve it. Lighthouse runs Debian's Chromium against the site served on
127.0.0.1 (gzip on), in mobile mode.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

CHROME = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_DIR = Path(tempfile.gettempdir()) / "candor-bench-lighthouse"
LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and LINK_RELS & set(a.get("rel", "").lower().split()) and a.get("href"):
            kind = "css" if "stylesheet" in a["rel"] else "other"
            self.refs.append((kind, a["href"]))
        elif tag == "script" and a.get("src"):
            self.refs.append(("js", a["src"]))
        elif tag == "img" and a.get("src"):
            self.refs.append(("img", a["src"]))


@dataclass
class Weight:
    page: str
    requests: int = 1
    external: list[str] = field(default_factory=list)
    gzip: dict[str, int] = field(default_factory=dict)  # by kind: html, css, js, img, other
    scripts: int = 0

    @property
    def total(self) -> int:
        return sum(self.gzip.values())


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def weigh(site: Path, page: str) -> Weight:
    """The first view of `page` (a path like `incidents/x/`), with a cold cache."""
    html_path = site / page / "index.html"
    html = html_path.read_bytes()
    result = Weight(page, gzip={"html": gz(html)})
    parser = _Refs()
    parser.feed(html.decode("utf-8", "replace"))
    base = "http://127.0.0.1/" + page
    seen: set[str] = set()
    for kind, ref in parser.refs:
        url = urljoin(base, ref)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            continue
        if parts.netloc != "127.0.0.1":
            result.external.append(ref)
            continue
        if parts.path in seen:
            continue
        seen.add(parts.path)
        target = site / parts.path.lstrip("/")
        if target.is_dir():
            target /= "index.html"
        if not target.is_file():
            continue
        result.requests += 1
        result.scripts += kind == "js"
        result.gzip[kind] = result.gzip.get(kind, 0) + gz(target.read_bytes())
    return result


def incident_page(site: Path) -> str | None:
    """The heaviest incident page: the honest case for a phone during an outage."""
    pages = [p for p in (site / "incidents").glob("*/index.html")]
    if not pages:
        return None
    heaviest = max(pages, key=lambda p: (p.stat().st_size, p.parent.name))
    return f"incidents/{heaviest.parent.name}/"


class _GzipHandler(SimpleHTTPRequestHandler):
    """Serves the site as a static host does: text compressed when the client accepts it."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # the redirect to the slash
                return
            path /= "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        ctype = self.guess_type(str(path))
        compress = "gzip" in self.headers.get("Accept-Encoding", "") and (
            ctype.startswith("text/") or ctype.endswith(("json", "javascript", "xml", "svg+xml"))
        )
        if compress:
            body = gzip.compress(body, 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_GzipHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse_bin() -> tuple[Path | None, str]:
    """Lighthouse from npm, installed once into a cache folder outside the repository."""
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary, ""
    if not Path(CHROME).exists():
        return None, f"no Chromium at {CHROME}"
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", "lighthouse"],
            cwd=LIGHTHOUSE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"npm install lighthouse failed: {exc}"
    if done.returncode or not binary.exists():
        return None, "npm install lighthouse failed: " + done.stderr.strip()[-300:]
    return binary, ""


def lighthouse(binary: Path, url: str, out: Path) -> dict[str, Any]:
    cmd = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--form-factor=mobile",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if done.returncode or not out.exists():
        return {"error": (done.stderr or done.stdout).strip()[-300:]}
    data = json.loads(out.read_text())
    scores = {c: data["categories"][c]["score"] for c in CATEGORIES if c in data["categories"]}
    failing = [
        f"{audit_id} ({audit.get('score')})"
        for audit_id, audit in data["audits"].items()
        if audit.get("scoreDisplayMode") in ("binary", "numeric")
        and audit.get("score") is not None
        and audit["score"] < 0.9
    ]
    return {"scores": scores, "failing": sorted(failing)[:12]}


def example_site(root: Path, work: Path, now: str) -> Path | None:
    """The example site, built with `candor build` into the work folder."""
    out = work / "example-site"
    candor = Path(sys.executable).parent / "candor"
    done = subprocess.run(
        [str(candor), "build", "--config", str(root / "mkdocs.yml"), "--out", str(out)],
        capture_output=True,
        env={**os.environ, "CANDOR_NOW": now},
    )
    return out if done.returncode == 0 and (out / "index.html").exists() else None


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def report(
    root: Path, work: Path, rows: list[dict[str, Any]], now: str, build: bool, run_lh: bool
) -> str:
    lines = ["### Page weight (first view, gzip)", ""]
    site, source = (example_site(root, work, now), "the example site") if build else (None, "")
    if site is None:
        built = [r for r in rows if r.get("site")]
        if built:
            row = min(built, key=lambda r: abs(r["size"] - 1000))
            site, source = Path(row["site"]), f"the {row['size']:,}-incident build"
    if site is None:
        return "\n".join([*lines, f"{NA}: no built site (`candor build` is missing or failed)."])
    pages = ["", incident_page(site)]
    weights = [weigh(site, p) for p in pages if p is not None]
    lines.append(f"From {source}.")
    lines.append("")
    lines.append("| page | requests | HTML | CSS | JS | other | total | total without JS |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for w in weights:
        g = w.gzip
        lines.append(
            f"| `/{w.page}` | {w.requests} | {kb(g.get('html', 0))} | {kb(g.get('css', 0))} | "
            f"{kb(g.get('js', 0))} ({w.scripts} files) | "
            f"{kb(g.get('img', 0) + g.get('other', 0))} | {kb(w.total)} | "
            f"{kb(w.total - g.get('js', 0))} |"
        )
    external = sorted({e for w in weights for e in w.external})
    lines.append("")
    lines.append(f"Requests to other hosts: {', '.join(external) if external else 'none'}.")
    lines += ["", "### Lighthouse (mobile)", ""]
    if not run_lh:
        return "\n".join([*lines, "Skipped (--no-lighthouse)."])
    binary, why = lighthouse_bin()
    if binary is None:
        return "\n".join([*lines, f"Skipped: {why}."])
    lines.append("| page | " + " | ".join(CATEGORIES) + " | audits below 0.9 |")
    lines.append("|---|" + "---:|" * len(CATEGORIES) + "---|")
    with serve(site) as base, tempfile.TemporaryDirectory() as tmp:
        for w in weights:
            result = lighthouse(binary, base + w.page, Path(tmp) / "report.json")
            if "error" in result:
                lines.append(f"| `/{w.page}` | failed: {result['error']} |")
                continue
            scores = [result["scores"].get(c) for c in CATEGORIES]
            shown = [NA if s is None else f"{round(s * 100)}" for s in scores]
            lines.append(
                f"| `/{w.page}` | " + " | ".join(shown) + f" | {', '.join(result['failing'])} |"
            )
    return "\n".join(lines)


NA = "not available"
