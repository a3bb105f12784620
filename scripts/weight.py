"""Page weight and Lighthouse scores of each page kind, in English and Japanese, for
`scripts/bench.py`.

Weight is what a phone downloads for the first view of a page: the HTML and every
stylesheet, script, icon and image its tags reference, each gzip-compressed as a static
host would serve it. Lighthouse (npm, pinned in package.json) runs Debian's Chromium
(CHROME_PATH) against the site served on 127.0.0.1 (gzip on), in mobile mode, three times
per page; the report keeps the median of each category.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import statistics
import subprocess
import sys
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


def lighthouse_bin(root: Path) -> tuple[Path | None, str]:
    """Lighthouse from npm, pinned in package.json (`make test` installs it)."""
    binary = root / "node_modules" / ".bin" / "lighthouse"
    if not Path(CHROME).exists():
        return None, f"no Chromium at {CHROME}"
    if not binary.exists():
        return None, "no node_modules/.bin/lighthouse: run `make test` (npm install) first"
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
    out.unlink()
    scores = {c: data["categories"][c]["score"] for c in CATEGORIES if c in data["categories"]}
    failing = [
        f"{audit_id} ({audit.get('score')})"
        for audit_id, audit in data["audits"].items()
        if audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
        and audit.get("score") is not None
        and audit["score"] < 0.9
    ]
    requests = [
        item.get("url", "")
        for item in (data["audits"].get("network-requests", {}).get("details") or {}).get(
            "items", []
        )
    ]
    return {"scores": scores, "failing": sorted(failing), "requests": requests}


def median_run(binary: Path, url: str, out: Path, runs: int) -> dict[str, Any]:
    """`runs` Lighthouse runs of one page: the median of each category, every audit that
    fell below 0.9 in any run (with how many runs), and the requests of the first run."""
    results = [lighthouse(binary, url, out) for _ in range(runs)]
    errors = [r["error"] for r in results if "error" in r]
    scored = [r for r in results if "scores" in r]
    if not scored:
        return {"error": errors[0] if errors else "no run"}
    medians = {
        c: statistics.median(r["scores"][c] for r in scored if r["scores"].get(c) is not None)
        for c in CATEGORIES
    }
    counts: dict[str, int] = {}
    for r in scored:
        for audit in {a.split(" (")[0] for a in r["failing"]}:
            counts[audit] = counts.get(audit, 0) + 1
    failing = [f"{a} ({n}/{len(scored)})" for a, n in sorted(counts.items())]
    return {
        "scores": medians,
        "runs": len(scored),
        "failing": failing,
        "requests": scored[0]["requests"],
        "errors": errors,
    }


@dataclass(frozen=True)
class SitePage:
    lang: str
    kind: str
    path: str


def build_sites(root: Path, work: Path) -> tuple[dict[str, Path], list[SitePage], str]:
    """The English example with an open incident and a maintenance in progress, and the
    Japanese site of tests/fixtures/ja, built at the browser tests' moment; and the pages
    of each kind to measure."""
    sys.path.insert(0, str(root / "tests" / "site"))
    import harness

    candor = Path(sys.executable).parent / "candor"
    sites: dict[str, Path] = {}
    for lang, make in (("en", harness.open_example), ("ja", harness.japanese_example)):
        config = make(work / f"source-{lang}")
        out = work / f"site-{lang}"
        done = subprocess.run(
            [str(candor), "build", "--config", str(config), "--out", str(out)],
            capture_output=True,
            text=True,
            env={**os.environ, "CANDOR_NOW": harness.NOW},
        )
        if done.returncode or not (out / "index.html").exists():
            raise SystemExit(f"candor build of the {lang} site failed:\n{done.stderr}")
        sites[lang] = out
    pages = [
        SitePage("en", kind, harness.PAGES[name])
        for kind, name in (
            ("home", "home"),
            ("incident", "incident"),
            ("postmortem", "postmortem"),
            ("history", "history"),
            ("component", "component"),
        )
    ] + [
        SitePage("ja", kind, harness.JA_PAGES[kind])
        for kind in ("home", "incident", "postmortem", "history", "component")
    ]
    return sites, pages, harness.NOW


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def report(root: Path, work: Path, run_lh: bool, runs: int = 3) -> str:
    """Page weight and Lighthouse (median of `runs`) of each page kind in both languages."""
    sites, pages, now = build_sites(root, work)
    lines = [
        "### Page weight and Lighthouse (mobile)",
        "",
        f"Each page kind of the English example with an open incident, a maintenance in "
        f"progress and a Japanese incident, and of the Japanese site of `tests/fixtures/ja`, "
        f"built at {now}. First view: the HTML and every stylesheet, script, icon and image "
        f"it references, gzip level 6, cold cache.",
        "",
    ]
    binary, why = lighthouse_bin(root) if run_lh else (None, "--no-lighthouse")
    header = "| page | lang | requests | first view | HTML | CSS | JS |"
    rule = "|---|---|---:|---:|---:|---:|---:|"
    if binary is not None:
        header += " " + " | ".join(CATEGORIES) + " | audits below 0.9 (runs) |"
        rule += "---:|" * len(CATEGORIES) + "---|"
        lines += [
            f"Lighthouse {lighthouse_version(binary)}: the median of {runs} runs per page, "
            "Debian's Chromium, served with gzip on 127.0.0.1.",
            "",
        ]
    lines += [header, rule]
    external: set[str] = set()
    other_hosts: set[str] = set()
    with contextlib.ExitStack() as stack:
        bases = {lang: stack.enter_context(serve(site)) for lang, site in sites.items()}
        for page in pages:
            w = weigh(sites[page.lang], page.path)
            external.update(w.external)
            g = w.gzip
            row = (
                f"| {page.kind} `/{page.path}` | {page.lang} | {w.requests} | "
                f"**{kb(w.total)}** | {kb(g.get('html', 0))} | {kb(g.get('css', 0))} | "
                f"{kb(g.get('js', 0))} |"
            )
            if binary is not None:
                result = median_run(binary, bases[page.lang] + page.path, work / "lh.json", runs)
                if "error" in result:
                    row += f" failed: {result['error']} |"
                else:
                    row += " " + " | ".join(
                        f"{round(result['scores'][c] * 100)}" for c in CATEGORIES
                    )
                    row += f" | {', '.join(result['failing']) or 'none'} |"
                    host = urlsplit(bases[page.lang]).netloc
                    other_hosts.update(
                        urlsplit(u).netloc
                        for u in result["requests"]
                        if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != host
                    )
            lines.append(row)
    lines += [
        "",
        f"References to other hosts in the pages: {', '.join(sorted(external)) or 'none'}. "
        + (
            f"Requests Lighthouse saw to other hosts: {', '.join(sorted(other_hosts)) or 'none'}."
            if binary is not None
            else f"Lighthouse skipped: {why}."
        ),
    ]
    return "\n".join(lines)


def lighthouse_version(binary: Path) -> str:
    done = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


NA = "not available"
