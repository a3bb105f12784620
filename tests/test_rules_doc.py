"""docs/rules.md documents every rule `candor check` can report, and every example on it is
true: the example fires, the near miss does not, both through `candor check` itself."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules.md"
NOW = "2026-11-20T10:00Z"
DEFAULT_FILE = "incidents/2026-11-20-example.yaml"

_HEADING = re.compile(r"^### `([a-z-]+)` · (.+)$", re.M)
_BLOCK = re.compile(r"^(Fires|Does not fire)[^\n]*:\n\n```(yaml|sh)\n(.*?)\n```$", re.M | re.S)


@dataclass(frozen=True)
class Example:
    rule: str
    severity: str  # as documented: "error", "warning", "warning or note"
    fires: bool
    kind: str  # yaml | sh
    text: str

    @property
    def id(self) -> str:
        return f"{self.rule}-{'fires' if self.fires else 'near-miss'}"


def documented() -> dict[str, str]:
    """Rule id → severity, from the page's headings."""
    return dict(_HEADING.findall(DOC.read_text(encoding="utf-8")))


def examples() -> list[Example]:
    text = DOC.read_text(encoding="utf-8")
    headings = list(_HEADING.finditer(text))
    found = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        section = text[heading.end() : end].split("\n## ")[0]
        for label, kind, body in _BLOCK.findall(section):
            found.append(Example(heading[1], heading[2], label == "Fires", kind, body + "\n"))
    return found


def base_config() -> str:
    text = DOC.read_text(encoding="utf-8")
    before_rules = text[: text.index("\n### ")]
    return next(
        body + "\n"
        for kind, body in re.findall(r"```(yaml)\n(.*?)\n```", before_rules, re.S)
        if body.startswith("# mkdocs.yml")
    )


def run_example(example: Example, site: Path) -> list[dict[str, object]]:
    (site / "incidents").mkdir(parents=True)
    (site / "mkdocs.yml").write_text(base_config(), encoding="utf-8")
    if example.kind == "sh":
        subprocess.run(["bash", "-e", "-c", example.text], cwd=site, check=True)
    else:
        first = example.text.split("\n", 1)[0]
        named = first.removeprefix("# ").strip()
        target = named if first.startswith("# ") and named.endswith((".yaml", ".yml")) else None
        (site / (target or DEFAULT_FILE)).write_text(example.text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "--now", NOW, "--config", str(site / "mkdocs.yml")]
    )
    assert result.exit_code in (0, 1), result.output
    problems: list[dict[str, object]] = json.loads(result.output)["problems"]
    return problems


@pytest.mark.parametrize("example", examples(), ids=lambda e: e.id)
def test_every_documented_example_is_true(example: Example, tmp_path: Path) -> None:
    problems = run_example(example, tmp_path / "site")
    severities = {str(p["severity"]) for p in problems if p["rule"] == example.rule}
    if example.fires:
        assert severities, f"`{example.rule}` does not fire for its example: {problems}"
        assert severities <= set(example.severity.split(" or ")), severities
    else:
        assert not severities, f"`{example.rule}` fires for its near miss: {problems}"


def test_every_rule_has_an_example_and_a_near_miss() -> None:
    kinds: dict[str, set[bool]] = {}
    for example in examples():
        kinds.setdefault(example.rule, set()).add(example.fires)
    assert {rule: {True, False} for rule in documented()} == kinds


# Calls that hand a rule id to a problem: name → where the id is.
_RULE_SLOT = {"SourceError": 0, "error": 0, "at": 1, "report": 1}
_SEVERITIES = {"error", "warning", "note"}


def _strings(node: ast.AST, scope: ast.AST) -> set[str]:
    """The string constants an expression can be: literals, both sides of `a if c else b`, and
    what a local name is assigned."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, scope) | _strings(node.orelse, scope)
    if isinstance(node, ast.Name):
        return {
            value
            for assign in ast.walk(scope)
            if isinstance(assign, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in assign.targets)
            for value in _strings(assign.value, scope)
        }
    return set()


def emitted_rule_ids() -> set[str]:
    """Every rule id the package's code hands to a problem, read from its source."""
    ids: set[str] = set()
    for path in sorted((ROOT / "generator").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for scope in [tree, *scopes]:
            for call in ast.walk(scope):
                if not isinstance(call, ast.Call):
                    continue
                func = call.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                slot: ast.AST | None = None
                if name == "Problem":
                    # The rule follows the severity: (file, line, column, severity, rule, …),
                    # line and column often given as one starred pair.
                    args = call.args
                    at = next(
                        (i for i, a in enumerate(args) if _strings(a, scope) & _SEVERITIES), None
                    )
                    slot = args[at + 1] if at is not None and at + 1 < len(args) else None
                    slot = next((k.value for k in call.keywords if k.arg == "rule"), slot)
                elif name in _RULE_SLOT and len(call.args) > _RULE_SLOT[name]:
                    slot = call.args[_RULE_SLOT[name]]
                if slot is not None:
                    ids |= {
                        s for s in _strings(slot, scope) if re.fullmatch(r"[a-z]+(-[a-z]+)*", s)
                    }
    return ids


def test_every_rule_the_code_can_report_is_documented() -> None:
    emitted = emitted_rule_ids()
    # The scan itself works: it finds rules of every kind of call.
    assert {"yaml-syntax", "bad-filename", "unknown-key", "stale", "config", "spelling"} <= emitted
    assert emitted - set(documented()) == set(), "undocumented rules"
    assert set(documented()) - emitted == set(), "documented rules the code cannot report"


def test_the_readme_links_the_rules_page() -> None:
    assert "](docs/rules.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
