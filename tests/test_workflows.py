"""The GitHub Actions workflows, the pre-commit hook and the commands they run.

The workflows are parsed and held to GitHub's Pages and security-hardening guidance, linted
with actionlint, and their `candor` steps are run for real in a copy of the repository.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from git_repos import git, merge_request

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
PUBLISH = WORKFLOWS / "publish.yml"
VENV_BIN = Path(sys.executable).parent

# Majors that run on a supported Node runtime (node24) or are composites of such actions.
MAJORS = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/upload-artifact": 7,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/download-artifact": 8,
}
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
# Contexts an outsider can put text into (GitHub's script-injection guide).
UNTRUSTED = re.compile(
    r"github\.event\.|github\.head_ref|\binputs\.|github\.event_path|steps\.[^.]+\.outputs"
)


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` mapping; YAML 1.1 reads the bare key `on` as the boolean True."""
    on = workflow["on"] if "on" in workflow else workflow[True]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on)


def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.y*ml"))


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def run_lines(job: dict[str, Any]) -> list[str]:
    """The shell lines of a job's `run:` steps, comments and blank lines left out."""
    lines = []
    for step in job["steps"]:
        for line in str(step.get("run", "")).splitlines():
            if line.strip() and not line.strip().startswith("#"):
                lines.append(line.strip())
    return lines


def expressions_in_run_scripts(workflow: dict[str, Any]) -> list[str]:
    return [
        expr.strip()
        for _, step in steps(workflow)
        for expr in EXPRESSION.findall(str(step.get("run", "")))
    ]


def require_tool(path: Path | None, name: str) -> Path:
    """The tool's path; a missing tool skips locally but fails in CI."""
    if path is not None and path.exists():
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is missing: `make test` installs it with the test extras")
    pytest.skip(f"{name} is not installed")


def tool(name: str) -> Path | None:
    found = VENV_BIN / name
    if found.exists():
        return found
    which = shutil.which(name)
    return Path(which) if which else None


# --- triggers -------------------------------------------------------------------------


def test_check_runs_on_every_pull_request_and_nothing_riskier() -> None:
    on = triggers(load(CHECK))
    assert set(on) == {"pull_request"}
    # No branch or path filter: every pull request gets the check.
    assert not on["pull_request"]


def test_publish_runs_on_main_on_a_schedule_and_by_hand() -> None:
    on = triggers(load(PUBLISH))
    assert set(on) == {"push", "schedule", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}
    crons = [entry["cron"] for entry in on["schedule"]]
    assert len(crons) == 2 and crons[1] == KEEP_ALIVE_CRON
    minutes, *rest = crons[0].split()
    assert rest == ["*", "*", "*", "*"]
    runs_per_hour = len(minutes.split(","))
    assert 2 <= runs_per_hour <= 12  # often enough for the clock, not wastefully often
    assert "0" not in minutes.split(",")  # the top of the hour is GitHub's busiest


def test_the_schedule_explains_its_interval() -> None:
    text = PUBLISH.read_text(encoding="utf-8")
    comment = text[: text.index("schedule:")].rsplit("push:", 1)[1]
    for reason in ("maintenance windows", "uptime bars", "stale", "postmortem", "15 minutes"):
        assert reason in comment


# --- permissions, concurrency, timeouts ----------------------------------------------


@pytest.mark.parametrize("path", [CHECK, PUBLISH], ids=lambda p: p.name)
def test_the_token_reads_only_by_default(path: Path) -> None:
    assert load(path)["permissions"] == {"contents": "read"}


def test_only_the_deploy_jobs_may_write_pages_and_mint_an_id_token() -> None:
    """The deploy, and the notify job that republishes the record of what it sent; the
    keep-alive alone may manage workflows."""
    for path in all_workflows():
        for name, job in load(path)["jobs"].items():
            granted = job.get("permissions")
            if path == PUBLISH and name in ("deploy", "notify"):
                assert granted == {"pages": "write", "id-token": "write"}
            elif path == PUBLISH and name == "keep-alive":
                assert granted == {"actions": "write"}
            else:
                assert granted is None, f"{path.name}: {name}"


def test_deploys_never_race_and_none_is_cancelled_half_way() -> None:
    concurrency = load(PUBLISH)["concurrency"]
    assert concurrency["group"]
    assert concurrency["cancel-in-progress"] is False


def test_a_new_push_cancels_the_pull_requests_running_check() -> None:
    concurrency = load(CHECK)["concurrency"]
    assert "github.event.pull_request.number" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is True


@pytest.mark.parametrize("path", [CHECK, PUBLISH], ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, name


# --- actions and scripts ---------------------------------------------------------------


def test_actions_are_at_current_majors() -> None:
    used = set()
    for path in all_workflows():
        for _, step in steps(load(path)):
            if "uses" not in step:
                continue
            action, _, ref = step["uses"].partition("@")
            assert action in MAJORS, f"{path.name}: unexpected action {action}"
            assert ref == f"v{MAJORS[action]}", f"{path.name}: {step['uses']}"
            used.add(action)
    assert used == set(MAJORS)


PUBLISH_STEPS = [
    "make install",
    "candor check --format github",
    "candor build --out site",
    'candor notify --prepare --site site --github-output "$GITHUB_OUTPUT"',
    'candor digest --site site --github-output "$GITHUB_OUTPUT"',
]
DEPLOY_IF = "${{ steps.digest.outputs.deploy == 'true' }}"
KEEP_IF = "${{ steps.digest.outputs.deploy == 'true' || steps.prepare.outputs.due == 'true' }}"


def test_publishing_never_runs_strict_and_uses_the_pages_actions_in_order() -> None:
    workflow = load(PUBLISH)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert run_lines(build) == PUBLISH_STEPS
    every_run = [line for job in workflow["jobs"].values() for line in run_lines(job)]
    assert not [line for line in every_run if "--strict" in line]
    uses = [s.get("uses") for s in build["steps"] if "uses" in s]
    assert uses[-2:] == ["actions/upload-artifact@v7", "actions/upload-pages-artifact@v5"]
    # A failing check must stop the run: no step may swallow a failure, and only the
    # uploads wait for the comparison with the live site.
    conditions = {s.get("uses", s.get("run")): s.get("if") for s in build["steps"]}
    assert conditions.pop("actions/upload-pages-artifact@v5") == DEPLOY_IF
    assert conditions.pop("actions/upload-artifact@v7") == KEEP_IF
    assert set(conditions.values()) == {None}
    assert not [s for s in build["steps"] if "continue-on-error" in s]
    assert build["outputs"] == {
        "deploy": "${{ steps.digest.outputs.deploy }}",
        "due": "${{ steps.prepare.outputs.due }}",
    }
    assert deploy["needs"] == "build"
    assert deploy["if"] == "${{ needs.build.outputs.deploy == 'true' }}"
    assert [s.get("uses", s.get("id")) for s in deploy["steps"]] == [
        "pages",
        "actions/configure-pages@v6",
        "actions/deploy-pages@v5",
    ]


def test_the_deployment_names_the_pages_environment_and_its_url() -> None:
    deploy = load(PUBLISH)["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    last = deploy["steps"][-1]
    assert last == {
        "id": "deployment",
        "uses": "actions/deploy-pages@v5",
        "name": "Deploy",
        "if": "${{ steps.pages.outputs.enabled == 'true' }}",
    }
    assert deploy["outputs"] == {"deployed": "${{ steps.deployment.outcome == 'success' }}"}


def test_python_dependencies_are_cached_by_pyproject() -> None:
    setups = [
        step
        for path in all_workflows()
        for _, step in steps(load(path))
        if step.get("uses", "").startswith("actions/setup-python@")
    ]
    assert len(setups) == 4
    for step in setups:
        assert step["with"]["cache"] == "pip"
        assert step["with"]["cache-dependency-path"] == "pyproject.toml"


def test_checkouts_leave_no_token_behind() -> None:
    for path in all_workflows():
        for _, step in steps(load(path)):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", [CHECK, PUBLISH], ids=lambda p: p.name)
def test_no_expression_reaches_a_run_script(path: Path) -> None:
    assert expressions_in_run_scripts(load(path)) == []
    text = path.read_text(encoding="utf-8")
    assert "github.head_ref" not in text


def test_the_injection_scan_finds_untrusted_text_in_run_scripts() -> None:
    """The scan above would catch what GitHub's hardening guide warns about."""
    risky = yaml.safe_load(
        """
        on: pull_request
        jobs:
          a:
            steps:
              - run: echo "${{ github.event.pull_request.title }}"
              - run: |
                  git switch ${{ github.head_ref }}
              - env: {TITLE: "${{ github.event.pull_request.title }}"}
                run: echo "$TITLE"
        """
    )
    found = expressions_in_run_scripts(risky)
    assert found == ["github.event.pull_request.title", "github.head_ref"]
    assert all(UNTRUSTED.search(expr) for expr in found)


# Jobs that only talk to GitHub's API: no checkout, no Candor, a few lines of curl.
API_JOBS = {"deploy", "keep-alive"}


@pytest.mark.parametrize("path", [CHECK, PUBLISH], ids=lambda p: p.name)
def test_every_step_runs_locally_too(path: Path) -> None:
    """Steps are actions or `make`/`candor` commands that a laptop runs the same way."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for name, job in load(path)["jobs"].items():
        if path == PUBLISH and name in API_JOBS:
            assert not [s for s in job["steps"] if "checkout" in s.get("uses", "")]
            continue
        for line in run_lines(job):
            command = line.split()
            assert command[0] in {"make", "candor"}, f"{name}: {line}"
            if command[0] == "make":
                target = command[1]
                assert re.search(rf"^{re.escape(target)}:", makefile, re.M), target


def test_the_suite_runs_only_when_code_changes() -> None:
    jobs = load(CHECK)["jobs"]
    assert jobs["changes"]["outputs"]["tests"] == "${{ steps.diff.outputs.tests }}"
    diff = next(s for s in jobs["changes"]["steps"] if s.get("id") == "diff")
    assert diff["run"] == 'make tests-needed BASE=HEAD^1 >> "$GITHUB_OUTPUT"'
    checkout = jobs["changes"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 2  # the merge commit and its base parent
    assert jobs["tests"]["needs"] == "changes"
    assert jobs["tests"]["if"] == "needs.changes.outputs.tests == 'true'"
    assert run_lines(jobs["tests"]) == ["make test"]
    assert "needs" not in jobs["incidents"]  # incidents are checked on every pull request


def needs_tests(repo: Path, base: str = "HEAD^1") -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", "tests-needed", f"BASE={base}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ("incidents/2026-01-20-new.yaml", "tests=false\n"),
        ("site_src/about.md", "tests=false\n"),
        ("generator/model.py", "tests=true\n"),
        ("theme/main.html", "tests=true\n"),
        ("tests/test_x.py", "tests=true\n"),
        ("pyproject.toml", "tests=true\n"),
        (".github/workflows/check.yml", "tests=true\n"),
    ],
)
def test_tests_needed_looks_at_what_the_pull_request_changes(
    tmp_path: Path, changed: str, expected: str
) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "Makefile")
    git(tmp_path, "commit", "-q", "-m", "base")
    target = tmp_path / changed
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("changed\n", encoding="utf-8")
    git(tmp_path, "add", changed)
    git(tmp_path, "commit", "-q", "-m", "change")
    assert needs_tests(tmp_path) == expected


def test_tests_needed_runs_the_suite_when_the_base_is_unknown(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "Makefile")
    git(tmp_path, "commit", "-q", "-m", "only commit")
    assert needs_tests(tmp_path, base="no-such-revision") == "tests=true\n"


# --- actionlint ------------------------------------------------------------------------


def actionlint_command() -> list[str]:
    binary = require_tool(tool("actionlint"), "actionlint")
    shellcheck = tool("shellcheck")
    return [str(binary), "-shellcheck", str(shellcheck or ""), "-pyflakes", ""]


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run(
        actionlint_command(), cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_would_catch_a_script_injection(tmp_path: Path) -> None:
    """The linter `make test` runs really reads the workflows: a bad one fails."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    text = CHECK.read_text(encoding="utf-8").replace(
        "run: make install", 'run: echo "${{ github.event.pull_request.title }}"'
    )
    bad.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [*actionlint_command(), str(bad)], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout


# --- pre-commit ------------------------------------------------------------------------


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["candor-check"]
    return dict(hooks[0])


def test_the_pre_commit_hook_checks_incidents_before_each_commit() -> None:
    entry = hook()
    assert entry["entry"] == "candor check"
    assert entry["language"] == "python"
    assert entry["pass_filenames"] is False
    files = re.compile(entry["files"])
    assert files.search("incidents/2026-01-20-login-errors.yaml")
    assert files.search("mkdocs.yml")
    assert not files.search("generator/model.py")
    assert not files.search("site_src/incidents/x.md")


def test_the_pre_commit_manifest_is_valid() -> None:
    pre_commit = require_tool(tool("pre-commit"), "pre-commit")
    result = subprocess.run(
        [str(pre_commit), "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the workflow's commands, run for real -----------------------------------------------

BROKEN = """\
title: Login errors
impact: minor
components: [auth]
updates:
  - at: 2026-01-20T10:00:00Z
    status: investigating
    message: |
      Some of you cannot log in. We are looking into TODO.
    components:
      autth: partial_outage
  - at: 2026-01-20T10:30:00Z
    status: resolved
    message: Log-ins work again.
"""
# Open for days, its promise of an update long overdue: `stale` and `missed-next-update`
# warnings, which --strict would make errors. The page must still go out.
OVERDUE = """\
title: Invoices arrive late
impact: minor
components: [billing]
updates:
  - at: 2026-11-30T09:00:00Z
    status: identified
    message: Invoice emails are delayed by up to an hour. We are clearing the queue.
    next_update: 1h
"""
OVERDUE_FILE = "incidents/2026-11-30-invoices-arrive-late.yaml"
NOW = "2026-12-04T12:00:00Z"


def copy_repository(target: Path, site_url: str | None = None) -> Path:
    """What a checkout gives the workflow, without .venv: the data, config and theme;
    `site_url` moved to a 127.0.0.1 server standing in for the live site."""
    target.mkdir()
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    if site_url is not None:
        config = target / "mkdocs.yml"
        text, count = re.subn(
            r"^site_url: .*$", f"site_url: {site_url}", config.read_text("utf-8"), flags=re.M
        )
        assert count == 1
        config.write_text(text, encoding="utf-8")
    return target


def run_step(
    line: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """One `run:` script as the runner's bash runs it, with `make install`'s PATH."""
    full = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    full.pop("CANDOR_NOW", None)
    full.update(env or {})
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", line],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


def candor_steps(job: dict[str, Any]) -> list[str]:
    """The job's steps after installation: the ones that do the work."""
    return [line for line in run_lines(job) if line.startswith("candor ")]


def outputs(path: Path) -> dict[str, str]:
    """What steps wrote to $GITHUB_OUTPUT (the last value of each key)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        found[key] = value
    return found


# Strict for what the pull request changes: its merge commit against the first parent.
CHECK_CHANGED = "candor check --changed-since HEAD^1 --format github"


def test_the_check_job_checks_what_the_pull_request_changes_and_builds_a_preview() -> None:
    incidents = load(CHECK)["jobs"]["incidents"]
    assert run_lines(incidents) == [
        "make install",
        CHECK_CHANGED,
        "candor build --preview --out site",
        'candor notify --dry-run --site site --summary "$GITHUB_STEP_SUMMARY"',
    ]
    checkout = incidents["steps"][0]
    assert checkout["with"]["fetch-depth"] == 2  # the merge commit and its base parent
    # On a laptop, the same check against any branch.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "check-changed: $(RUNTIME)\n\t$(CANDOR) check --changed-since '$(BASE)'\n" in makefile


def test_a_broken_incident_gets_annotations_on_its_lines(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "incidents" / "2026-01-20-login-errors.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_step(PUBLISH_STEPS[1], repo)
    assert result.returncode == 1
    annotations = result.stdout.splitlines()
    name = "incidents/2026-01-20-login-errors.yaml"
    assert any(a.startswith(f"::error file={name},line=8,") for a in annotations), annotations
    assert any(a.startswith(f"::error file={name},line=10,") for a in annotations), annotations
    assert all(a.startswith("::") for a in annotations)
    # The other example incidents are fine: no error points at them.
    assert all(f"file={name}," in a for a in annotations if a.startswith("::error "))


# --- publish: warnings never stop it; an unchanged site is not deployed again -------------


class _Live(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def live_site(root: Path) -> Iterator[str]:
    """`root` served on 127.0.0.1, standing in for the published site; yields its URL."""
    root.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Live, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def publish_build(repo: Path, work: Path, now: str = NOW) -> dict[str, str]:
    """The publish job's steps after `make install`, exactly as written in publish.yml;
    returns what they wrote to $GITHUB_OUTPUT."""
    shutil.rmtree(repo / "site", ignore_errors=True)
    output = work / f"output-{len(list(work.glob('output-*')))}"
    output.write_text("", encoding="utf-8")
    env = {"GITHUB_OUTPUT": str(output), "CANDOR_NOW": now}
    for line in PUBLISH_STEPS[1:]:
        result = run_step(line, repo, env)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    return outputs(output)


def deploy(site: Path, live: Path) -> None:
    """What the deploy does, for the stand-in: the live site becomes the built one."""
    shutil.rmtree(live)
    shutil.copytree(site, live)


@pytest.mark.slow
def test_a_site_whose_only_problems_are_warnings_is_published(tmp_path: Path) -> None:
    with live_site(tmp_path / "live") as url:
        repo = copy_repository(tmp_path / "repo", url)
        (repo / OVERDUE_FILE).write_text(OVERDUE, encoding="utf-8")
        strict = run_step("candor check --strict --format github", repo, {"CANDOR_NOW": NOW})
        assert strict.returncode == 1  # what used to freeze the page
        check = run_step(PUBLISH_STEPS[1], repo, {"CANDOR_NOW": NOW})
        assert check.returncode == 0, check.stdout
        warnings = [a for a in check.stdout.splitlines() if a.startswith("::warning ")]
        assert any(f"file={OVERDUE_FILE}," in a for a in warnings), check.stdout
        assert not [a for a in check.stdout.splitlines() if a.startswith("::error")]
        found = publish_build(repo, tmp_path)
    assert found["deploy"] == "true"  # nothing live yet: a first publish
    home = (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert "Invoices arrive late" in home


@pytest.mark.slow
def test_a_build_identical_to_the_live_site_is_not_deployed(tmp_path: Path) -> None:
    """The publish job's own commands, twice a quarter of an hour apart, against a live
    site on 127.0.0.1: the second build is the live site, byte for byte."""
    live = tmp_path / "live"
    with live_site(live) as url:
        repo = copy_repository(tmp_path / "repo", url)
        assert publish_build(repo, tmp_path)["deploy"] == "true"  # nothing live yet
        deploy(repo / "site", live)
        assert publish_build(repo, tmp_path, "2026-12-04T12:15:00Z")["deploy"] == "false"
        assert (repo / "site" / "digest.txt").read_bytes() == (live / "digest.txt").read_bytes()
        # An update edited: a new site.
        incident = repo / "incidents" / "2026-11-12-slow-api-responses-us-east.yaml"
        text = incident.read_text(encoding="utf-8")
        incident.write_text(text.replace("No data was lost.", "No data was lost at all."))
        assert text != incident.read_text(encoding="utf-8")
        assert publish_build(repo, tmp_path)["deploy"] == "true"
        deploy(repo / "site", live)
        assert publish_build(repo, tmp_path)["deploy"] == "false"
        # Whatever stands where the digest should be (a 404 page, a proxy's error): deploy.
        (live / "digest.txt").write_text("<html>Not Found</html>", encoding="utf-8")
        assert publish_build(repo, tmp_path)["deploy"] == "true"
    # The live site cannot be reached at all: deploy.
    assert publish_build(repo, tmp_path)["deploy"] == "true"


def test_the_digest_step_says_what_it_found(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    (site / "digest.txt").write_text("0" * 64 + "\n", encoding="ascii")
    with live_site(tmp_path / "live") as url:
        result = run_step(
            f"candor digest --config {ROOT / 'mkdocs.yml'} --site site --live {url}", tmp_path
        )
    assert result.returncode == 0, result.stderr
    assert f"none published at {url}" in result.stdout
    assert "deploy it" in result.stdout
    (site / "digest.txt").unlink()
    missing = run_step(f"candor digest --config {ROOT / 'mkdocs.yml'} --site site", tmp_path)
    assert missing.returncode == 1
    assert "no digest.txt in site: run `candor build` first" in missing.stderr


# --- the GitHub API jobs: Pages not enabled yet, and the keep-alive -----------------------

KEEP_ALIVE_CRON = "44 5 * * 1"


@dataclass
class FakeApi:
    """A stand-in for GitHub's REST API on 127.0.0.1: answers every request with `status`
    and remembers each (method, path, Authorization header)."""

    status: int
    seen: list[tuple[str, str, str]]


@contextlib.contextmanager
def fake_api(status: int) -> Iterator[tuple[str, FakeApi]]:
    api = FakeApi(status, [])

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self) -> None:
            api.seen.append((self.command, self.path, self.headers.get("Authorization", "")))
            body = b'{"message": "Not Found"}' if api.status == 404 else b"{}"
            self.send_response(api.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def api_env(tmp_path: Path, api_url: str) -> dict[str, str]:
    """What the runner sets for a step (GitHub's default variables) and the step's env."""
    for name in ("output", "summary"):
        (tmp_path / name).write_text("", encoding="utf-8")
    return {
        "GH_TOKEN": "token-for-tests",
        "GITHUB_API_URL": api_url,
        "GITHUB_REPOSITORY": "northwind/status",
        "GITHUB_WORKFLOW_REF": "northwind/status/.github/workflows/publish.yml@refs/heads/main",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
    }


def pages_probe() -> dict[str, Any]:
    return next(s for s in load(PUBLISH)["jobs"]["deploy"]["steps"] if s.get("id") == "pages")


def test_without_pages_the_run_ends_green_with_a_notice(tmp_path: Path) -> None:
    step = pages_probe()
    assert step["env"] == {"GH_TOKEN": "${{ github.token }}"}
    with fake_api(404) as (url, api):
        result = run_step(step["run"], tmp_path, api_env(tmp_path, url))
    assert result.returncode == 0, result.stdout + result.stderr
    assert api.seen == [("GET", "/repos/northwind/status/pages", "Bearer token-for-tests")]
    assert outputs(tmp_path / "output") == {"enabled": "false"}
    summary = (tmp_path / "summary").read_text(encoding="utf-8").splitlines()
    assert len(summary) == 1 and "GitHub Pages is not enabled" in summary[0]
    assert "Settings → Pages → Source: GitHub Actions" in summary[0]
    assert result.stdout.startswith("::notice ")
    # Nothing after the probe runs: no configure-pages failure, no deploy, no notify.
    deploy = load(PUBLISH)["jobs"]["deploy"]
    for later in deploy["steps"][1:]:
        assert later["if"] == "${{ steps.pages.outputs.enabled == 'true' }}"
    assert "needs.deploy.outputs.deployed == 'true'" in load(PUBLISH)["jobs"]["notify"]["if"]


def test_with_pages_the_deploy_goes_ahead(tmp_path: Path) -> None:
    with fake_api(200) as (url, _):
        result = run_step(pages_probe()["run"], tmp_path, api_env(tmp_path, url))
    assert result.returncode == 0, result.stdout + result.stderr
    assert outputs(tmp_path / "output") == {"enabled": "true"}
    assert (tmp_path / "summary").read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("status", [401, 500])
def test_any_other_answer_about_pages_fails_the_run(tmp_path: Path, status: int) -> None:
    with fake_api(status) as (url, _):
        result = run_step(pages_probe()["run"], tmp_path, api_env(tmp_path, url))
    assert result.returncode == 1
    assert f"::error::reading the Pages settings answered HTTP {status}" in result.stdout
    assert outputs(tmp_path / "output") == {}


def test_an_unreachable_api_fails_the_run(tmp_path: Path) -> None:
    with fake_api(200) as (url, _):
        pass  # closed again: nothing listens there now
    result = run_step(pages_probe()["run"], tmp_path, api_env(tmp_path, url))
    assert result.returncode == 1
    assert "answered HTTP 000" in result.stdout


def test_the_keep_alive_runs_weekly_with_the_one_permission_it_needs() -> None:
    job = load(PUBLISH)["jobs"]["keep-alive"]
    assert job["permissions"] == {"actions": "write"}
    weekly = f"github.event.schedule == '{KEEP_ALIVE_CRON}'"
    assert job["if"] == f"${{{{ github.event_name == 'schedule' && {weekly} }}}}"
    assert "needs" not in job  # independent of the build: a failing check does not stop it
    [step] = job["steps"]
    assert step["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert "git " not in step["run"]  # no commits


def test_the_keep_alive_re_enables_the_workflow_through_the_api(tmp_path: Path) -> None:
    [step] = load(PUBLISH)["jobs"]["keep-alive"]["steps"]
    with fake_api(204) as (url, api):
        result = run_step(step["run"], tmp_path, api_env(tmp_path, url))
    assert result.returncode == 0, result.stdout + result.stderr
    assert api.seen == [
        (
            "PUT",
            "/repos/northwind/status/actions/workflows/publish.yml/enable",
            "Bearer token-for-tests",
        )
    ]
    assert "publish.yml stays enabled" in result.stdout


def test_a_refused_keep_alive_fails_the_run(tmp_path: Path) -> None:
    [step] = load(PUBLISH)["jobs"]["keep-alive"]["steps"]
    with fake_api(403) as (url, _):
        result = run_step(step["run"], tmp_path, api_env(tmp_path, url))
    assert result.returncode != 0
    assert "stays enabled" not in result.stdout


# --- the pull request's check: strict for the files it changes -----------------------------


def write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run_check_changed(repo: Path) -> subprocess.CompletedProcess[str]:
    """The check workflow's step, as written in check.yml."""
    incidents = load(CHECK)["jobs"]["incidents"]
    assert CHECK_CHANGED in run_lines(incidents)
    return run_step(CHECK_CHANGED, repo, {"CANDOR_NOW": NOW})


def example_repository(tmp_path: Path) -> Path:
    repo = copy_repository(tmp_path / "repo")
    (repo / OVERDUE_FILE).write_text(OVERDUE, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def test_a_pull_request_without_incident_files_gets_the_plain_check(tmp_path: Path) -> None:
    """Another file's overdue promise is a warning on the run, not a failed pull request."""
    repo = example_repository(tmp_path)
    merge_request(
        repo,
        lambda: write(repo, {"site_src/about.md": "# About\n\nNew words.\n"}),
        lambda: None,
    )
    result = run_check_changed(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.splitlines()[0] == (
        "No file candor check reads changed since HEAD^1: nothing held to --strict"
    )
    assert any(f"file={OVERDUE_FILE}," in a for a in result.stdout.splitlines())


def test_a_pull_request_is_strict_for_its_own_incident_file_only(tmp_path: Path) -> None:
    repo = example_repository(tmp_path)
    edited = "incidents/2026-11-12-slow-api-responses-us-east.yaml"
    text = (repo / edited).read_text(encoding="utf-8")
    merge_request(
        repo,
        lambda: write(
            repo, {edited: text.replace("No data was lost.", "No data was lost at all.")}
        ),
        lambda: None,
    )
    result = run_check_changed(repo)
    assert result.stderr.splitlines()[0] == f"Held to --strict, changed since HEAD^1: {edited}"
    assert result.returncode == 0, result.stdout + result.stderr
    # The same pull request touching the overdue incident fails: it is the one to fix.
    merge_request(
        repo,
        lambda: write(repo, {OVERDUE_FILE: OVERDUE.replace("up to an hour", "up to two hours")}),
        lambda: None,
    )
    result = run_check_changed(repo)
    assert result.returncode == 1
    assert any(a.startswith(f"::error file={OVERDUE_FILE},") for a in result.stdout.splitlines()), (
        result.stdout
    )


# --- notify ------------------------------------------------------------------------------

NOTIFY_IF = (
    "${{ !cancelled() && needs.build.result == 'success' && "
    "(needs.deploy.outputs.deployed == 'true' || "
    "(needs.deploy.result == 'skipped' && needs.build.outputs.due == 'true')) }}"
)


def test_notify_runs_when_its_news_is_live_and_republishes_its_record() -> None:
    jobs = load(PUBLISH)["jobs"]
    notify = jobs["notify"]
    # After a deploy, or when the build was the live site and a channel is owed a message;
    # never when Pages is not enabled (the deploy then deploys nothing).
    assert notify["needs"] == ["build", "deploy"]
    assert notify["if"] == NOTIFY_IF
    assert notify["environment"]["name"] == "github-pages"
    names = [s.get("uses", s.get("run")) for s in notify["steps"]]
    send = next(s for s in notify["steps"] if s.get("id") == "notify")
    assert send["run"].startswith("candor notify --site site ")
    assert '--github-output "$GITHUB_OUTPUT"' in send["run"]
    assert names.index("actions/download-artifact@v8") < names.index(send["run"])
    upload, deploy = notify["steps"][-2:]
    assert upload["uses"] == "actions/upload-pages-artifact@v5"
    assert deploy["uses"] == "actions/deploy-pages@v5"
    assert upload["with"]["name"] == deploy["with"]["artifact_name"]
    # Published whenever a channel took a message: after a failed channel (exit 1), a send
    # that ran out of time, even a cancelled run. Otherwise the next run would send it again.
    condition = "${{ always() && steps.notify.outputs.record == 'changed' }}"
    assert upload["if"] == deploy["if"] == condition
    assert send["timeout-minutes"] < notify["timeout-minutes"]
    keep = next(s for s in jobs["build"]["steps"] if s.get("uses") == "actions/upload-artifact@v7")
    download = next(s for s in notify["steps"] if s.get("uses") == "actions/download-artifact@v8")
    assert keep["with"]["name"] == download["with"]["name"]


def test_the_build_says_whether_a_channel_is_owed_a_message(tmp_path: Path) -> None:
    """`due=` from the preparation decides whether notify runs after a skipped deploy."""
    newest = "incidents/2026-11-12-slow-api-responses-us-east.yaml"
    live = tmp_path / "live"
    with live_site(live) as url:
        repo = copy_repository(tmp_path / "repo", url)
        assert publish_build(repo, tmp_path)["due"] == "false"  # no channels in the example
        # The live site from before the newest incident; then a channel is added.
        held = (repo / newest).read_bytes()
        (repo / newest).unlink()
        publish_build(repo, tmp_path)
        deploy(repo / "site", live)
        (repo / newest).write_bytes(held)
        config = repo / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        channel = (
            "      notify:\n        - type: webhook\n          url_env: STATUS_WEBHOOK_URL\n"
            "          secret_env: STATUS_WEBHOOK_SECRET\n"
        )
        config.write_text(text.replace("      timezone:", channel + "      timezone:", 1))
        found = publish_build(repo, tmp_path)
    # What was public before is not news to the new channel; the newest incident is.
    assert found["due"] == "true"
    assert found["deploy"] == "true"


def test_secrets_reach_only_the_notify_step_as_environment_variables() -> None:
    for path in all_workflows():
        for name, step in steps(load(path)):
            text = yaml.safe_dump(step)
            if path == PUBLISH and name == "notify" and step.get("id") == "notify":
                env = step["env"]
                assert env and all(
                    value == f"${{{{ secrets.{key} }}}}" for key, value in env.items()
                ), env
                assert "secrets." not in str(step.get("run", ""))
            else:
                assert "secrets." not in text, f"{path.name}: {name}: {step}"


def test_the_pull_request_preview_of_notify_has_no_secrets() -> None:
    step = next(
        s
        for s in load(CHECK)["jobs"]["incidents"]["steps"]
        if str(s.get("run", "")).startswith("candor notify")
    )
    assert "--dry-run" in step["run"] and "env" not in step


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean copy, through every `candor` step of the pull request check."""
    probe = subprocess.run(
        [str(VENV_BIN / "candor"), "build", "--help"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        pytest.fail("`candor build` is missing: the workflows call it (SPEC §5)")
    repo = copy_repository(tmp_path_factory.mktemp("workflow") / "repo")
    # Checked out as a pull request's merge commit, as actions/checkout leaves it.
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    merge_request(repo, lambda: write(repo, {"site_src/about.md": "# About\n"}), lambda: None)
    for line in candor_steps(load(CHECK)["jobs"]["incidents"]):
        result = run_step(line, repo, {"CANDOR_NOW": NOW})
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    return repo


@pytest.fixture(scope="module")
def published_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean copy, through every `candor` step of the publish job."""
    work = tmp_path_factory.mktemp("publish")
    with live_site(work / "live") as url:
        repo = copy_repository(work / "repo", url)
        publish_build(repo, work)
    return repo


@pytest.mark.slow
def test_the_preview_artifact_is_the_preview_build(built_copy: Path) -> None:
    upload = next(
        s
        for s in load(CHECK)["jobs"]["incidents"]["steps"]
        if s.get("uses") == "actions/upload-artifact@v7"
    )
    site = built_copy / upload["with"]["path"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert (site / "api" / "v2" / "summary.json").is_file()
    assert "Northwind Cloud" in home
    assert 'class="cd-preview"' in home
    assert 'href="history/index.html"' in home


def test_the_notify_steps_run_in_a_copy_of_the_repository(built_copy: Path, tmp_path: Path) -> None:
    """The dry run of a pull request (its summary written where GitHub shows it) and the
    publish job's preparation, on the example site: no channels, nothing to send."""
    summary = tmp_path / "summary.md"
    dry = next(line for line in candor_steps(load(CHECK)["jobs"]["incidents"]) if "notify" in line)
    result = run_step(dry, built_copy, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "### What `candor notify` would send" in summary.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_pages_artifact_is_the_normal_build(published_copy: Path) -> None:
    upload = next(
        s
        for s in load(PUBLISH)["jobs"]["build"]["steps"]
        if s.get("uses") == "actions/upload-pages-artifact@v5"
    )
    site = published_copy / upload["with"]["path"]
    assert (site / "index.html").is_file()
    files = list(site.rglob("*"))
    # upload-pages-artifact refuses links and leaves hidden files out of the deployment.
    assert not [p for p in files if p.is_symlink()]
    assert not [p for p in files if any(part.startswith(".") for part in p.relative_to(site).parts)]
    # No preview banner, and links to folders, as the SPEC's paths are.
    pages = [p for p in files if p.suffix == ".html"]
    assert pages and not [p for p in pages if "cd-preview" in p.read_text(encoding="utf-8")]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="history/"' in home and "index.html" not in re.sub(r"https?://\S+", "", home)


@pytest.mark.browser
def test_the_preview_opens_from_a_folder(built_copy: Path, browser: Any) -> None:
    """Unzipped and opened from disk (file://), the preview's links lead to pages, and every
    page says it is a preview, not the live status."""
    site = built_copy / "site"
    incident = "2026-09-29-frankfurt-network-partition"
    page = browser.new_page()
    try:
        page.goto((site / "index.html").as_uri())
        visited = []
        for link in (
            'a[href="history/index.html"]',
            f'a[href$="incidents/{incident}/index.html"]',
            'a[href$="postmortem/index.html"]',
            "a.cd-brand",
        ):
            assert page.locator(".cd-preview").count() == 1
            banner = page.locator(".cd-preview").inner_text()
            assert banner == "Preview of a pull request: not the live status page."
            with page.expect_navigation():
                page.locator(f"{link} >> visible=true").first.click()
            assert page.url.endswith(".html"), page.url
            assert "Index of" not in page.content()
            visited.append(page.url.removeprefix(site.as_uri()))
        assert visited == [
            "/history/index.html",
            f"/incidents/{incident}/index.html",
            f"/incidents/{incident}/postmortem/index.html",
            "/index.html",
        ]
        page.goto((site / "about.html").as_uri())
        assert page.locator(".cd-preview").count() == 1  # hand-written pages too
        with page.expect_navigation():
            page.locator("a.md-logo").first.click()
        assert page.url == (site / "index.html").as_uri()
    finally:
        page.close()


def test_the_pre_commit_entry_refuses_the_broken_incident(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    assert run_step(hook()["entry"], repo).returncode == 0
    (repo / "incidents" / "2026-01-20-login-errors.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_step(hook()["entry"], repo)
    assert result.returncode == 1
    assert "incidents/2026-01-20-login-errors.yaml:10" in result.stdout
