"""`candor init`: the files of a new site, its questions, its refusals, and a site that passes
`candor check` and builds."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from click.testing import CliRunner
from test_workflows import actionlint_command, expressions_in_run_scripts, require_tool, tool

import generator.cli.init_site as cli_init
from generator import __version__
from generator.cli import main
from generator.core.config import load_settings
from generator.init import DISTRIBUTION, Answers, Component, render

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-12-04T12:00Z"
OPTIONS = [
    "--name",
    "Acme Cloud",
    "--url",
    "https://status.acme.com",
    "--timezone",
    "Europe/Berlin",
    "--component",
    "api=Public API",
    "--component",
    "web=Website",
]
FILES = [
    ".github/workflows/check.yml",
    ".github/workflows/publish.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "incidents/.gitkeep",
    "mkdocs.yml",
    "requirements.txt",
    "site_src/about.md",
    "templates/elevated-error-rates.yaml",
    "templates/third-party-outage.yaml",
]
ANSWERS = Answers(
    "Acme Cloud",
    "https://status.acme.com/",
    "UTC",
    (Component("api", "Public API"), Component("web", "Website")),
)


def init(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, ["init", *args], input=input)


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def check_json(site: Path) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["check", "--config", str(site / "mkdocs.yml"), "--now", NOW, "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "acme-status"
    result = init(str(target), *OPTIONS)
    assert result.exit_code == 0, result.output
    return target


# --- what it writes ----------------------------------------------------------------------


def test_init_writes_a_whole_site_repository(site: Path) -> None:
    assert listing(site) == FILES
    assert (site / "incidents" / ".gitkeep").read_bytes() == b""
    requirements = (site / "requirements.txt").read_text(encoding="utf-8")
    assert f"\n{DISTRIBUTION}=={__version__}\n" in requirements
    ignored = (site / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/site/", ".venv/", ".site.*/", ".candor-cache/"} <= set(ignored)


def test_the_config_has_their_answers_and_needs_no_custom_dir(site: Path) -> None:
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Acme Cloud Status"
    assert config["site_url"] == "https://status.acme.com/"
    assert config["theme"] == {"name": "material", "language": "en"}
    assert config["plugins"][0] == "search"
    candor = config["plugins"][1]["candor"]
    assert candor["timezone"] == "Europe/Berlin"
    assert candor["components"] == [
        {"id": "api", "name": "Public API"},
        {"id": "web", "name": "Website"},
    ]
    # The loader `candor check` uses accepts it as it is.
    settings = load_settings(site / "mkdocs.yml")
    assert [c.id for c in settings.candor.components] == ["api", "web"]
    assert settings.incidents_dir == site / "incidents"


def test_the_about_page_speaks_of_their_service_with_prompts(site: Path) -> None:
    about = (site / "site_src" / "about.md").read_text(encoding="utf-8")
    assert "status page of Acme Cloud" in about
    assert "Public API" in about and "Website" in about
    assert "Europe/Berlin" in about
    assert len(re.findall(r"\[\[.*?\]\]", about, re.S)) == 2
    readme = (site / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Acme Cloud Status\n")
    assert "[[ … ]]" in readme and "requirements.txt" in readme


def test_nothing_of_the_example_company_reaches_a_new_site(site: Path) -> None:
    # The example site's name is its own: it must not leak into a team's repository.
    example = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"]
    company = example.removesuffix(" Status").split()[0]
    assert company == "Northwind"
    for rel in FILES:
        assert company.lower() not in (site / rel).read_text(encoding="utf-8").lower(), rel


def test_the_new_site_passes_check_with_a_warning_per_prompt(site: Path) -> None:
    report = check_json(site)
    assert (report["errors"], report["warnings"]) == (0, 2)
    assert {(p["file"], p["rule"], p["severity"]) for p in report["problems"]} == {
        ("site_src/about.md", "placeholder", "warning")
    }
    assert [p["line"] for p in report["problems"]] == [3, 53]
    about = (site / "site_src" / "about.md").read_text(encoding="utf-8")
    filled = re.sub(r"\[\[.*?\]\]", "Acme Cloud hosts online shops.", about, flags=re.S)
    (site / "site_src" / "about.md").write_text(filled, encoding="utf-8")
    report = check_json(site)
    assert (report["errors"], report["warnings"], report["problems"]) == (0, 0, [])


def test_a_prompt_inside_code_is_not_a_prompt(site: Path) -> None:
    (site / "site_src" / "about.md").write_text("# About\n\nWrite `[[ x ]]` like this.\n")
    assert check_json(site)["problems"] == []


def test_the_incident_templates_name_their_components(site: Path) -> None:
    result = CliRunner().invoke(
        main, ["new", "--config", str(site / "mkdocs.yml"), "--now", NOW, "--template",
               "elevated-error-rates", "Errors"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    created = next((site / "incidents").glob("*.yaml"))
    assert yaml.safe_load(created.read_text(encoding="utf-8"))["components"] == ["api"]


@pytest.mark.slow
def test_the_new_site_builds_styled(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", "--config", str(site / "mkdocs.yml"), "--now", NOW, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="assets/stylesheets/candor.css"' in home
    assert (out / "assets" / "stylesheets" / "candor.css").stat().st_size > 1000
    assert "All Systems Operational" in home and "Public API" in home
    # Until they are replaced, the prompts are in plain sight on the page.
    about = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert "[[ How customers reach you" in about


def test_names_are_quoted_for_yaml_and_markdown(tmp_path: Path) -> None:
    name = 'Acme: "Cloud" #1 <b>*'
    files = render(
        Answers(name, "https://status.acme.com/", "UTC", (Component("api", 'A: "B" # c'),))
    )
    config = yaml.safe_load(files["mkdocs.yml"])
    assert config["site_name"] == f"{name} Status"
    assert config["plugins"][1]["candor"]["components"] == [{"id": "api", "name": 'A: "B" # c'}]
    template = yaml.safe_load(files["templates/elevated-error-rates.yaml"])
    assert template["title"] == 'Elevated error rates on A: "B" # c'
    # On the About page, the name reads as written: no markup, no tag.
    html = markdown.markdown(files["site_src/about.md"])
    assert "status page of Acme: &quot;Cloud&quot; #1 &lt;b&gt;*." in html.replace('"', "&quot;")


# --- questions ---------------------------------------------------------------------------


def test_on_a_terminal_it_asks_and_asks_again_after_a_bad_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_init, "interactive", lambda: True)
    answers = [
        "Acme Cloud",
        "ftp://status.acme.com/",  # not http(s): asked again
        "https://status.acme.com/",
        "Europe/Berln",  # a typo: asked again, with the likely name
        "Europe/Berlin",
        "",  # no component yet: asked again
        "API=Public API",  # upper case: asked again
        "api=Public API",
        "api=Again",  # a second `api`: asked again
        "web=Website",
        "",
    ]
    result = init(str(tmp_path / "s"), input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "it must be an absolute http(s) URL" in result.output
    assert "did you mean `Europe/Berlin`?" in result.output
    assert "name at least one component" in result.output
    assert "may hold only lower-case letters" in result.output
    assert "is given twice" in result.output
    settings = load_settings(tmp_path / "s" / "mkdocs.yml")
    assert settings.candor.timezone == "Europe/Berlin"
    assert [(c.id, c.name) for c in settings.candor.components] == [
        ("api", "Public API"),
        ("web", "Website"),
    ]


def test_on_a_terminal_only_what_the_options_leave_out_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_init, "interactive", lambda: True)
    result = init(
        str(tmp_path / "s"), "--name", "Acme", "--component", "api=API", input="https://a.io/\n\n"
    )
    assert result.exit_code == 0, result.output
    assert "Your service's name" not in result.output
    assert "Time zone the page shows times in [UTC]" in result.output
    assert load_settings(tmp_path / "s" / "mkdocs.yml").candor.timezone == "UTC"


def test_without_a_terminal_missing_answers_are_a_usage_error(tmp_path: Path) -> None:
    result = init(str(tmp_path / "s"), "--name", "Acme")
    assert result.exit_code == 2
    assert "give --url, --component (there is no terminal to ask)" in result.output
    assert not (tmp_path / "s").exists()


def test_the_timezone_defaults_to_utc(tmp_path: Path) -> None:
    options = ["--name", "A", "--url", "https://a.io/", "--component", "a=A"]
    result = init(str(tmp_path / "s"), *options)
    assert result.exit_code == 0, result.output
    assert load_settings(tmp_path / "s" / "mkdocs.yml").candor.timezone == "UTC"


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--url", "status.acme.com", "`status.acme.com` is not usable as the site's address"),
        ("--url", "ftp://acme.com/", "it must be an absolute http(s) URL"),
        ("--url", "https://acme.com/?x=1", "must not have a query"),
        ("--timezone", "Europe/Berln", "did you mean `Europe/Berlin`?"),
        ("--timezone", "CEST+1", "`CEST+1` is not an IANA time zone name"),
        ("--component", "Api=API", "the id `Api` may hold only lower-case letters"),
        ("--component", "a_b=AB", "the id `a_b` may hold only"),
        ("--component", "-a=A", "the id `-a` may hold only"),
        ("--component", "api", "`api` has no name; write ID=NAME"),
        ("--component", "api=", "`api=` has no name"),
        ("--component", "web=Again", "the id `web` is given twice"),
        ("--name", "   ", "give the name of your service"),
        ("--name", "Acme\x1b[31m", "holds the control character U+001B (ESC)"),
        ("--component", "api=API\x07", "holds the control character U+0007 (BEL)"),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_written(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    # A second --name, --url or --timezone replaces the first; a --component adds one.
    result = init(str(tmp_path / "s"), *OPTIONS, option, value)
    assert result.exit_code == 1, result.output
    assert f"Error: {option}: " in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "s").exists()


def test_a_folder_that_is_not_empty_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    (target / "notes").mkdir()
    result = init(str(target), *OPTIONS)
    assert result.exit_code == 1
    assert f"{target} is not empty (mkdocs.yml, notes)" in result.output
    assert "Choose a new folder" in result.output
    assert listing(target) == ["mkdocs.yml"]
    assert (target / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Mine\n"


def test_a_non_empty_folder_is_refused_before_any_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_init, "interactive", lambda: True)
    (tmp_path / "x").write_text("x", encoding="utf-8")
    result = init(str(tmp_path), input="Acme\n")
    assert result.exit_code == 1
    assert "Your service's name" not in result.output


def test_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = init(str(tmp_path / "taken"), *OPTIONS)
    assert result.exit_code in (1, 2)
    assert "taken" in result.output and "Traceback" not in result.output
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "x"


def test_an_empty_folder_or_a_fresh_git_repository_is_fine(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert init(str(tmp_path / "empty"), *OPTIONS).exit_code == 0
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    result = init(str(tmp_path / "repo"), *OPTIONS)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "repo" / "mkdocs.yml").is_file()


# --- the workflows and the pre-commit hook it writes ------------------------------------


def workflows(site: Path) -> dict[str, dict[Any, Any]]:
    folder = site / ".github" / "workflows"
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in folder.iterdir()}


def run_scripts(workflow: dict[Any, Any]) -> list[str]:
    return [
        str(step["run"])
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


def test_the_workflows_are_actionlint_clean(site: Path) -> None:
    folder = site / ".github" / "workflows"
    files = sorted(str(p) for p in folder.iterdir())
    result = subprocess.run(
        [*actionlint_command(), *files], cwd=site, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_workflows_install_the_pinned_candor(site: Path) -> None:
    for name, workflow in workflows(site).items():
        scripts = run_scripts(workflow)
        installs = [s for s in scripts if "install" in s]
        assert installs and set(installs) == {"pip install -r requirements.txt"}, name
        assert not any("make" in s.split() for s in scripts), name
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/setup-python"):
                    assert step["with"]["cache-dependency-path"] == "requirements.txt"
        assert expressions_in_run_scripts(workflow) == [], name


# Where a new site's workflows differ from the repository's own, and why: they install the
# Candor that requirements.txt pins (there is no Makefile, and no generator to install),
# and a site has no test suite to run.
OWN_JOBS_ONLY = {"check.yml": {"changes", "tests"}, "publish.yml": set()}
PINNED_INSTALL = "pip install -r requirements.txt"


def same_rules(workflow: dict[Any, Any], drop: set[str]) -> tuple[dict[Any, Any], int]:
    """The repository's workflow as a new site would have it, and how many steps changed."""
    assert drop <= set(workflow["jobs"])
    jobs = {name: job for name, job in workflow["jobs"].items() if name not in drop}
    changed = 0
    for job in jobs.values():
        for step in job.get("steps", []):
            if step.get("run") == "make install":
                step["run"] = PINNED_INSTALL
                changed += 1
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["cache-dependency-path"] == "pyproject.toml"
                step["with"]["cache-dependency-path"] = "requirements.txt"
                changed += 1
    return {**workflow, "jobs": jobs}, changed


@pytest.mark.parametrize("name", sorted(OWN_JOBS_ONLY))
def test_the_workflows_follow_the_repositorys_own(name: str) -> None:
    """Every trigger, permission, job, condition, step and command of a new site's workflow
    is the repository's own: a change to one set without the other fails here."""
    own = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    written = yaml.safe_load(render(ANSWERS)[f".github/workflows/{name}"])
    expected, changed = same_rules(own, OWN_JOBS_ONLY[name])
    # Each remaining job that installs Candor changed in its setup and install steps only.
    installs = [s for job in written["jobs"].values() for s in job["steps"] if "run" in s]
    assert changed == 2 * sum(s["run"] == PINNED_INSTALL for s in installs) > 0
    assert written == expected


def test_the_pull_request_check_holds_only_changed_files_to_strict(site: Path) -> None:
    """The check step as written, run for real on a change to the About page (whose prompts
    are warnings) and then on a new incident file whose prompt is a warning too."""
    git = ["git", "-C", str(site), "-c", "user.name=T", "-c", "user.email=t@t.invalid"]
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (site / "site_src" / "about.md").write_text("# About\n\n[[ still a prompt ]]\n")
    subprocess.run([*git, "commit", "-qam", "pr"], check=True)
    script = next(s for s in run_scripts(workflows(site)["check.yml"]) if "candor check" in s)
    assert script == "candor check --changed-since HEAD^1 --format github"
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "CANDOR_NOW": NOW}
    command = ["bash", "-e", "-c", script]
    result = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::warning file=site_src/about.md,line=3" in result.stdout
    assert "nothing held to --strict" in result.stderr
    # A template changed in the pull request: its problem is an error there.
    template = site / "templates" / "third-party-outage.yaml"
    template.write_text(template.read_text(encoding="utf-8") + "colour: red\n")
    subprocess.run([*git, "commit", "-qam", "pr"], check=True)
    result = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "::error file=templates/third-party-outage.yaml," in result.stdout
    assert "::warning file=site_src/about.md,line=3" in result.stdout


def test_the_pre_commit_hook_is_candors_own_at_the_pinned_version(site: Path) -> None:
    config = yaml.safe_load((site / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    (manifest,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for key in ("id", "name", "entry", "language", "pass_filenames", "files"):
        assert hook[key] == manifest[key], key
    assert hook["additional_dependencies"] == [f"{DISTRIBUTION}=={__version__}"]
    pre_commit = require_tool(tool("pre-commit"), "pre-commit")
    result = subprocess.run(
        [str(pre_commit), "validate-config", ".pre-commit-config.yaml"],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readmes_transcript_is_what_candor_init_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    transcript = readme.split("$ candor init acme-status\n", 1)[1].split("\n$ ", 1)[0]
    prompt = (
        r"^(?:Your service's name \(.*?\)|The page's address \(.*?\)|Time zone .*?\]"
        r"|Component \d+):"
    )
    typed = [answer.strip() for answer in re.findall(prompt + r"(.*)$", transcript, re.M)]
    assert typed[:3] == ["Acme Cloud", "https://status.acme.com/", "Europe/Berlin"]
    monkeypatch.setattr(cli_init, "interactive", lambda: True)
    monkeypatch.chdir(tmp_path)
    result = init("acme-status", input="\n".join(typed) + "\n")
    assert result.exit_code == 0, result.output
    printed = [line.rstrip() for line in result.output.split("\nNext:")[0].splitlines()]
    assert printed == transcript.splitlines()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_the_publish_build_deploys_only_a_site_that_differs_from_the_live_one(
    site: Path, tmp_path: Path
) -> None:
    """The new site's publish build, its `candor` steps as written, run for real twice
    against a live site on 127.0.0.1: the second build is the live site, byte for byte."""
    build = workflows(site)["publish.yml"]["jobs"]["build"]
    lines = [s["run"] for s in build["steps"] if str(s.get("run", "")).startswith("candor ")]
    assert [line.split()[1] for line in lines] == ["check", "build", "notify", "digest"]
    live = tmp_path / "live"
    live.mkdir()
    handler = functools.partial(Quiet, directory=str(live))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = (site / "mkdocs.yml").read_text(encoding="utf-8")
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        (site / "mkdocs.yml").write_text(config.replace("https://status.acme.com/", url))
        found = []
        for _ in range(2):
            output = tmp_path / f"output-{len(found)}"
            env = {
                "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
                "GITHUB_OUTPUT": str(output),
                "CANDOR_NOW": NOW,
            }
            for line in lines:
                result = subprocess.run(
                    ["bash", "-e", "-o", "pipefail", "-c", line],
                    cwd=site,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
            found.append(dict(line.split("=", 1) for line in output.read_text().splitlines()))
            # What the deploy does: the live site becomes the built one.
            shutil.rmtree(live)
            shutil.copytree(site / "site", live)
    finally:
        server.shutdown()
        server.server_close()
    # Nothing live yet, then the same site: no deploy, and no channel owed a message.
    assert [(run["deploy"], run["due"]) for run in found] == [("true", "false"), ("false", "false")]
