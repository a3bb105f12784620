"""axe-core (the npm package) in real Chromium: no serious or critical accessibility
violation on the pages customers read during an outage, in light and in dark, in English and
in Japanese, on messages that hold what real updates hold (lists, code, links, tables)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from harness import AXE, JA_PAGES, PAGES, Site, need, open_page

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def background(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


LIGHT_BG = "rgb(255, 255, 255)"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violations(
    open_site: Site, withjs: Any, withjs_dark: Any, new_page, name: str, scheme: str
) -> None:
    need("axe-core")
    page = open_page(new_page(withjs if scheme == "light" else withjs_dark), open_site, PAGES[name])
    # The reader's system setting picks the scheme: the test checks it really did.
    assert (background(page) == LIGHT_BG) == (scheme == "light"), background(page)
    violations = axe_violations(page)
    assert not violations, f"{PAGES[name] or 'home'} ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("name", ["home", "incident"])
def test_no_violations_with_the_readers_zone_shown(
    open_site: Site, js_tokyo: Any, new_page, name: str
) -> None:
    need("axe-core")
    page = open_page(new_page(js_tokyo), open_site, PAGES[name])
    page.wait_for_selector(".cd-local")
    violations = axe_violations(page)
    assert not violations, f"{PAGES[name] or 'home'}:\n{describe(violations)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(JA_PAGES))
def test_no_serious_or_critical_violations_in_japanese(
    ja_site: Site, withjs: Any, withjs_dark: Any, new_page, name: str, scheme: str
) -> None:
    need("axe-core")
    page = open_page(
        new_page(withjs if scheme == "light" else withjs_dark), ja_site, JA_PAGES[name]
    )
    assert (background(page) == LIGHT_BG) == (scheme == "light"), background(page)
    violations = axe_violations(page)
    assert not violations, f"{JA_PAGES[name] or 'home'} ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("name", ["home", "incident", "postmortem"])
def test_the_slate_palette_is_dark_and_accessible_whatever_the_system_says(
    slate_site: Site, withjs: Any, new_page, name: str
) -> None:
    need("axe-core")
    page = open_page(new_page(withjs), slate_site, PAGES[name])  # a light system
    assert background(page) != LIGHT_BG
    violations = axe_violations(page)
    assert not violations, f"{PAGES[name] or 'home'} (slate):\n{describe(violations)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_violations_on_the_quiet_home_page(
    example_site: Site, withjs: Any, withjs_dark: Any, new_page, scheme: str
) -> None:
    need("axe-core")
    page = open_page(new_page(withjs if scheme == "light" else withjs_dark), example_site, "")
    violations = axe_violations(page)
    assert not violations, describe(violations)
