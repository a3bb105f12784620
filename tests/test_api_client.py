"""A real Statuspage client from PyPI reads our summary.json over HTTP on 127.0.0.1.

statuspage-prometheus-exporter polls Statuspage `summary.json` endpoints and turns them into
Prometheus metrics; in one-shot mode it writes them to a text file we can read back."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from artifact_sites import STANDARD, build

EXPORTER = "statuspage-prometheus-exporter"
_SAMPLE = re.compile(r"^(\w+)\{(.*)\} (\S+)$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def _exporter() -> str:
    found = shutil.which(EXPORTER, path=str(Path(sys.executable).parent)) or shutil.which(EXPORTER)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{EXPORTER} is missing: pip install -e '.[test]'")
        pytest.skip(f"{EXPORTER} is not installed (it is in the test extras)")
    return found


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_site(tmp_path: Path) -> Iterator[str]:
    _, _, out = build(tmp_path / "project", STANDARD)
    root = tmp_path / "www"
    for path, data in out.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _metrics(text: str) -> list[tuple[str, dict[str, str], float]]:
    samples = []
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match:
            labels = dict(_LABEL.findall(match[2]))
            samples.append((match[1], labels, float(match[3])))
    return samples


def test_statuspage_exporter_reports_our_status_incidents_and_maintenance(
    tmp_path: Path, served_site: str
) -> None:
    exporter = _exporter()
    work = tmp_path / "exporter"
    work.mkdir()
    services = work / "services.json"
    services.write_text(
        json.dumps(
            {"teststatus": {"name": "Test Status", "url": f"{served_site}api/v2/summary.json"}}
        ),
        encoding="utf-8",
    )
    prom = work / "metrics.prom"
    env = {
        **os.environ,
        "RUN_MODE": "once",
        "SERVICES_JSON_PATH": str(services),
        "METRICS_TEXTFILE_PATH": str(prom),
        "NO_PROXY": "*",
    }
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "SLACK_WEBHOOK_URL"):
        env.pop(proxy, None)
    run = subprocess.run(
        [exporter], cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    samples = _metrics(prom.read_text(encoding="utf-8"))

    def find(name: str) -> list[tuple[dict[str, str], float]]:
        return [(labels, value) for metric, labels, value in samples if metric == name]

    # The probe succeeded, and the page is not operational: one open minor incident.
    assert find("statuspage_probe_check") == [({"service_name": "Test Status"}, 1.0)]
    assert find("statuspage_service_status") == [({"service_name": "Test Status"}, 0.0)]
    incidents = find("statuspage_incident_info")
    assert [(labels["incident_id"], value) for labels, value in incidents] == [
        ("2026-11-30-slow-website", 1.0)
    ]
    incident = incidents[0][0]
    assert incident["incident_name"] == "Slow website"
    assert incident["impact"] == "minor"
    assert incident["shortlink"] == "https://status.example.com/incidents/2026-11-30-slow-website/"
    assert incident["affected_components"] == "Website"
    maintenance = find("statuspage_maintenance_info")
    assert [labels["maintenance_id"] for labels, _ in maintenance] == [
        "2026-11-25-database-upgrade"
    ]
    assert maintenance[0][0]["scheduled_start"] == "2026-12-05T01:00:00+00:00"
    assert maintenance[0][0]["scheduled_end"] == "2026-12-05T03:00:00+00:00"
    components = {
        labels["component_name"]: value for labels, value in find("statuspage_component_status")
    }
    assert components["Website"] == 0.0
    assert components["Public API"] == 1.0
    assert components["Database"] == 1.0
