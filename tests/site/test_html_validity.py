"""The Nu HTML checker (npm `vnu-jar`, run with Java) over the generated pages: Candor's own
templates produce valid HTML. The only errors allowed are listed below, each one caused by
mkdocs-material's base template, and each must also show on the hand-written About page,
which no Candor template touches: that is what shows the base, not Candor, causes it."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from harness import MAINTENANCE_ID, OPEN_ID, VNU, need

pytestmark = pytest.mark.slow

# Errors that mkdocs-material's own base template produces on every page, whatever Candor
# renders into it: (message pattern, pattern of the offending markup, where it comes from).
MATERIAL_BASE: list[tuple[re.Pattern[str], re.Pattern[str], str]] = [
    (
        re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
        re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"'),
        "material/templates/base.html: the drawer and search toggles are checkboxes with "
        'autocomplete="off" (kept so browsers do not restore them as checked)',
    ),
]

# The hand-written page in site_src/: mkdocs-material alone, nothing of Candor's.
PLAIN_PAGE = "about/index.html"


@dataclass(frozen=True)
class Error:
    file: str
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}\n    {self.extract.strip()!r}"


@pytest.fixture(scope="module")
def errors(example_build: Path, open_build: Path) -> list[Error]:
    """Every error vnu finds, in one JVM run over all pages of the example build plus the
    open-incident build's home, open incident and maintenance pages."""
    need("java", "vnu-jar")
    pages = {p.relative_to(example_build).as_posix(): p for p in example_build.rglob("*.html")}
    for path in ("index.html", f"incidents/{OPEN_ID}/index.html"):
        pages["open/" + path] = open_build / path
    pages[f"open/incidents/{MAINTENANCE_ID}/index.html"] = (
        open_build / "incidents" / MAINTENANCE_ID / "index.html"
    )
    assert PLAIN_PAGE in pages and "index.html" in pages
    names = {p.resolve().as_uri(): name for name, p in pages.items()}
    result = subprocess.run(
        [
            "java",
            # A short run: skipping the optimising compiler starts the JVM faster.
            "-XX:TieredStopAtLevel=1",
            # The checker's schema evaluation recurses deeply; it asks for at least 512k.
            "-Xss4m",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--errors-only",
            *(str(p) for p in pages.values()),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not report:\n{result.stdout}\n{result.stderr}", pytrace=False)
    found = []
    for message in report["messages"]:
        assert message["type"] in ("error", "non-document-error"), message
        url = message.get("url", "")
        name = names.get(url) or names.get(url.replace("file:/", "file:///", 1), url)
        found.append(
            Error(name, message.get("lastLine"), message["message"], message.get("extract", ""))
        )
    return found


def allowed(error: Error) -> bool:
    return any(
        message.search(error.message) and markup.search(error.extract)
        for message, markup, _ in MATERIAL_BASE
    )


def test_generated_pages_have_no_html_errors(errors: list[Error]) -> None:
    unexpected = [e for e in errors if not allowed(e)]
    assert not unexpected, "\n".join(str(e) for e in unexpected)


def test_every_allowed_error_comes_from_the_base_template(errors: list[Error]) -> None:
    on_plain_page = [e for e in errors if e.file == PLAIN_PAGE]
    for message, markup, where in MATERIAL_BASE:
        shown = any(message.search(e.message) and markup.search(e.extract) for e in on_plain_page)
        assert shown, (
            f"allowed as {where!r}, but the plain About page does not show it: "
            "drop it from MATERIAL_BASE"
        )
