"""The GitHub Actions workflows, the pre-commit hook and the commands they run.

The workflows are parsed and held to GitHub's Pages and security-hardening guidance, linted
with actionlint, and their `candor` steps are run for real in a copy of the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

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
    assert len(crons) == 1
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
    """The deploy, and the notify job that republishes the record of what it sent."""
    for path in all_workflows():
        for name, job in load(path)["jobs"].items():
            granted = job.get("permissions")
            if path == PUBLISH and name in ("deploy", "notify"):
                assert granted == {"pages": "write", "id-token": "write"}
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


def test_publishing_uses_the_pages_actions_in_order() -> None:
    workflow = load(PUBLISH)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    build_uses = [s.get("uses", s.get("run")) for s in build["steps"]]
    assert build_uses.index("candor check --strict --format github") < build_uses.index(
        "candor build --out site"
    )
    assert build_uses[-1] == "actions/upload-pages-artifact@v5"
    assert build_uses.index("candor build --out site") < build_uses.index(
        "candor notify --prepare --site site"
    )
    assert [s["uses"] for s in deploy["steps"]] == [
        "actions/configure-pages@v6",
        "actions/deploy-pages@v5",
    ]
    # A failing check must stop the run: no step may swallow a failure.
    for step in build["steps"]:
        assert "if" not in step and "continue-on-error" not in step, step


def test_the_deployment_names_the_pages_environment_and_its_url() -> None:
    deploy = load(PUBLISH)["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    last = deploy["steps"][-1]
    assert last == {"id": "deployment", "uses": "actions/deploy-pages@v5", "name": "Deploy"}


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


@pytest.mark.parametrize("path", [CHECK, PUBLISH], ids=lambda p: p.name)
def test_every_step_runs_locally_too(path: Path) -> None:
    """Steps are actions or `make`/`candor` commands that a laptop runs the same way."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for name, job in load(path)["jobs"].items():
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


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


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


def copy_repository(target: Path) -> Path:
    """What a checkout gives the workflow, without .venv: the data, config and theme."""
    target.mkdir()
    for name in ("incidents", "site_src", "theme"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def run_step(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """One `run:` line as the runner's bash runs it, with `make install`'s PATH."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("CANDOR_NOW", None)
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", line],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def candor_steps(job: dict[str, Any]) -> list[str]:
    """The job's steps after installation: the ones that do the work."""
    return [line for line in run_lines(job) if line.startswith("candor ")]


def test_the_check_job_runs_the_check_and_then_the_build() -> None:
    incidents = load(CHECK)["jobs"]["incidents"]
    assert run_lines(incidents) == [
        "make install",
        "candor check --strict --format github",
        "candor build --out site",
        'candor notify --dry-run --site site --summary "$GITHUB_STEP_SUMMARY"',
    ]
    assert candor_steps(load(PUBLISH)["jobs"]["build"]) == [
        *candor_steps(incidents)[:2],
        "candor notify --prepare --site site",
    ]


def test_a_broken_incident_gets_annotations_on_its_lines(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "incidents" / "2026-01-20-login-errors.yaml").write_text(BROKEN, encoding="utf-8")
    check = candor_steps(load(CHECK)["jobs"]["incidents"])[0]
    result = run_step(check, repo)
    assert result.returncode == 1
    annotations = result.stdout.splitlines()
    name = "incidents/2026-01-20-login-errors.yaml"
    assert any(a.startswith(f"::error file={name},line=8,") for a in annotations), annotations
    assert any(a.startswith(f"::error file={name},line=10,") for a in annotations), annotations
    assert all(a.startswith("::") for a in annotations)
    # The other example incidents are fine: nothing but notes of the record points at them.
    assert all(f"file={name}," in a for a in annotations if not a.startswith("::notice "))


# --- notify ------------------------------------------------------------------------------


def test_notify_runs_after_a_successful_deploy_and_republishes_its_record() -> None:
    jobs = load(PUBLISH)["jobs"]
    notify = jobs["notify"]
    assert notify["needs"] == "deploy" and "if" not in notify  # only after a success
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
    # Published even when a channel failed (exit 1), never when the run was cancelled.
    condition = "${{ !cancelled() && steps.notify.outputs.record == 'changed' }}"
    assert upload["if"] == deploy["if"] == condition
    keep = next(s for s in jobs["build"]["steps"] if s.get("uses") == "actions/upload-artifact@v7")
    download = next(s for s in notify["steps"] if s.get("uses") == "actions/download-artifact@v8")
    assert keep["with"]["name"] == download["with"]["name"]


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
    for line in candor_steps(load(CHECK)["jobs"]["incidents"]):
        result = run_step(line, repo)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    return repo


@pytest.mark.slow
def test_the_preview_artifact_is_the_built_site(built_copy: Path) -> None:
    upload = next(
        s
        for s in load(CHECK)["jobs"]["incidents"]["steps"]
        if s.get("uses") == "actions/upload-artifact@v7"
    )
    site = built_copy / upload["with"]["path"]
    assert (site / "index.html").is_file()
    assert (site / "api" / "v2" / "summary.json").is_file()
    assert "Northwind Cloud" in (site / "index.html").read_text(encoding="utf-8")


def test_the_notify_steps_run_in_a_copy_of_the_repository(built_copy: Path, tmp_path: Path) -> None:
    """The dry run of a pull request (its summary written where GitHub shows it) and the
    publish job's preparation, on the example site: no channels, nothing to send."""
    summary = tmp_path / "summary.md"
    dry = next(line for line in candor_steps(load(CHECK)["jobs"]["incidents"]) if "notify" in line)
    env_line = f'export GITHUB_STEP_SUMMARY="{summary}"; {dry}'
    result = run_step(env_line, built_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "### What `candor notify` would send" in summary.read_text(encoding="utf-8")
    build = candor_steps(load(PUBLISH)["jobs"]["build"])
    prepare = next(line for line in build if "notify" in line)
    result = run_step(prepare, built_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_pages_artifact_is_the_built_site(built_copy: Path) -> None:
    upload = next(
        s
        for s in load(PUBLISH)["jobs"]["build"]["steps"]
        if s.get("uses") == "actions/upload-pages-artifact@v5"
    )
    site = built_copy / upload["with"]["path"]
    assert (site / "index.html").is_file()
    files = list(site.rglob("*"))
    # upload-pages-artifact refuses links and leaves hidden files out of the deployment.
    assert not [p for p in files if p.is_symlink()]
    assert not [p for p in files if any(part.startswith(".") for part in p.relative_to(site).parts)]


def test_the_pre_commit_entry_refuses_the_broken_incident(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    assert run_step(hook()["entry"], repo).returncode == 0
    (repo / "incidents" / "2026-01-20-login-errors.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_step(hook()["entry"], repo)
    assert result.returncode == 1
    assert "incidents/2026-01-20-login-errors.yaml:10" in result.stdout
