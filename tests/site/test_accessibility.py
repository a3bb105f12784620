"""axe-core (the npm package) in real Chromium: no serious or critical accessibility
violation on the pages customers read during an outage."""

from __future__ import annotations

import json
from typing import Any

import pytest
from harness import AXE, PAGES, Site, need, open_page

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


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violations(
    open_site: Site, withjs: Any, new_page, name: str
) -> None:
    need("axe-core")
    page = open_page(new_page(withjs), open_site, PAGES[name])
    violations = axe_violations(page)
    assert not violations, f"{PAGES[name] or 'home'}:\n{describe(violations)}"


@pytest.mark.parametrize("name", ["home", "incident"])
def test_no_violations_with_the_readers_zone_shown(
    open_site: Site, js_tokyo: Any, new_page, name: str
) -> None:
    need("axe-core")
    page = open_page(new_page(js_tokyo), open_site, PAGES[name])
    page.wait_for_selector(".cd-local")
    violations = axe_violations(page)
    assert not violations, f"{PAGES[name] or 'home'}:\n{describe(violations)}"


def test_no_serious_or_critical_violations_on_the_quiet_home_page(
    example_site: Site, withjs: Any, new_page
) -> None:
    need("axe-core")
    page = open_page(new_page(withjs), example_site, "")
    violations = axe_violations(page)
    assert not violations, describe(violations)
