"""What a customer sees in real Chromium with JavaScript disabled: is it broken, what is
affected, what is being done, when will I hear more; on a phone too; and nothing is fetched
from any host but the site's own."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from harness import (
    EXAMPLE_INCIDENT,
    MAINTENANCE_TITLE,
    OPEN_FIRST,
    OPEN_ID,
    OPEN_INCIDENT,
    OPEN_LATEST,
    OPEN_NEXT_LOCAL,
    OPEN_NEXT_UTC,
    OPEN_TITLE,
    PAGES,
    REPO,
    Site,
    open_page,
    squash,
    update_snippets,
)

pytestmark = pytest.mark.browser

STATUS_LABELS = {
    "operational": "Operational",
    "under_maintenance": "Under maintenance",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
}
OPEN_STATUSES = {"api": "major_outage", "backups": "under_maintenance"}


def components() -> list[dict[str, Any]]:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    candor = next(p["candor"] for p in config["plugins"] if isinstance(p, dict) and "candor" in p)
    return list(candor["components"])


def text_of(locator: Any) -> str:
    return squash(locator.inner_text())


def component_statuses(page: Any) -> dict[str, str]:
    """Component name -> the status label shown beside it in the home page's component list."""
    region = page.get_by_role("region", name="Components")
    shown = {}
    for component in components():
        row = region.locator("li").filter(
            has=page.get_by_role("link", name=component["name"], exact=True)
        )
        assert row.count() == 1, f"{component['name']}: {row.count()} rows in the component list"
        assert row.is_visible(), f"{component['name']} is not visible"
        labels = [label for label in STATUS_LABELS.values() if label in text_of(row)]
        assert len(labels) == 1, f"{component['name']}: status labels {labels} in {text_of(row)!r}"
        shown[component["name"]] = labels[0]
    return shown


def test_home_shows_the_overall_status_of_an_outage(open_site: Site, nojs: Any, new_page) -> None:
    page = open_page(new_page(nojs), open_site, "")
    banner = page.get_by_role("heading", level=1)
    assert banner.is_visible()
    assert text_of(banner) == "Major System Outage"
    assert "All Systems Operational" not in page.inner_text("body")


def test_home_shows_each_component_with_its_status(open_site: Site, nojs: Any, new_page) -> None:
    page = open_page(new_page(nojs), open_site, "")
    expected = {
        c["name"]: STATUS_LABELS[OPEN_STATUSES.get(c["id"], "operational")] for c in components()
    }
    assert component_statuses(page) == expected
    body = page.inner_text("body")
    for group in ("Core", "Data", "Delivery"):
        assert group in body


def test_home_shows_the_open_incident_latest_update_and_next_update_time(
    open_site: Site, nojs: Any, new_page
) -> None:
    page = open_page(new_page(nojs), open_site, "")
    # The innermost article: the theme's whole content area is an article as well.
    card = (
        page.locator("article")
        .filter(has=page.get_by_role("link", name=OPEN_TITLE))
        .filter(has_not=page.locator("article"))
    )
    assert card.count() == 1 and card.is_visible()
    text = text_of(card)
    assert OPEN_LATEST in text, text
    assert OPEN_FIRST not in text, "the home page shows an older update, not the latest"
    # Posted 11:48 UTC, next update promised 30 minutes later; shown in Europe/Berlin (CET).
    assert "12:48" in text, text
    next_line = card.get_by_text("Next update due")
    assert next_line.is_visible()
    assert OPEN_NEXT_LOCAL in text_of(next_line)
    # The in-progress maintenance is announced as well.
    assert page.get_by_role("link", name=MAINTENANCE_TITLE).first.is_visible()


def test_example_home_says_all_systems_operational(example_site: Site, nojs: Any, new_page) -> None:
    page = open_page(new_page(nojs), example_site, "")
    assert text_of(page.get_by_role("heading", level=1)) == "All Systems Operational"
    assert set(component_statuses(page).values()) == {"Operational"}


def first_top(page: Any, snippet: str) -> float:
    """Vertical position of the first visible text containing `snippet`."""
    box = page.get_by_text(snippet).first.bounding_box()
    assert box is not None, f"{snippet!r} is not rendered"
    return float(box["y"])


@pytest.mark.parametrize(
    ("page_id", "source"),
    [
        (OPEN_ID, None),
        (EXAMPLE_INCIDENT, REPO / "incidents" / f"{EXAMPLE_INCIDENT}.yaml"),
    ],
    ids=["open", "resolved"],
)
def test_incident_page_shows_every_update_with_its_anchor_latest_first(
    open_site: Site, nojs: Any, new_page, page_id: str, source: Any
) -> None:
    snippets = update_snippets(OPEN_INCIDENT if source is None else source.read_text("utf-8"))
    page = open_page(new_page(nojs), open_site, f"incidents/{page_id}/")
    for n, snippet in enumerate(snippets, start=1):
        anchor = page.locator(f"[id='update-{n}']")
        assert anchor.count() == 1, f"#update-{n}: {anchor.count()} elements"
        assert snippet in text_of(anchor), f"#update-{n} does not hold {snippet!r}"
    assert page.locator(f"[id='update-{len(snippets) + 1}']").count() == 0
    # The latest update comes first on screen, above the fold, before any earlier one.
    latest = first_top(page, snippets[-1])
    assert latest < page.viewport_size["height"], "the latest update is below the fold"
    for snippet in snippets[:-1]:
        assert latest < first_top(page, snippet), f"{snippet!r} appears above the latest update"


def test_incident_page_says_when_the_next_update_is_due(
    open_site: Site, nojs: Any, new_page
) -> None:
    page = open_page(new_page(nojs), open_site, PAGES["incident"])
    assert text_of(page.get_by_role("heading", level=1)) == OPEN_TITLE
    next_line = page.get_by_text("Next update due").first
    assert next_line.is_visible() and OPEN_NEXT_LOCAL in text_of(next_line)


@pytest.mark.parametrize("name", ["home", "incident", "postmortem", "history", "component"])
def test_times_show_the_readers_own_zone_where_scripts_run(
    open_site: Site, js_tokyo: Any, js_berlin: Any, nojs: Any, new_page, name: str
) -> None:
    page = open_page(new_page(js_tokyo), open_site, PAGES[name])
    times = page.locator(".cd-page time[datetime]")
    assert times.count() > 0
    page.wait_for_function(
        "n => document.querySelectorAll('.cd-page .cd-local').length === n", arg=times.count()
    )
    # Every shown time is followed (after its UTC part) by the reader's own: Tokyo, nine
    # hours ahead of UTC.
    for n in range(times.count()):
        after = times.nth(n).evaluate(
            """t => {
              let next = t.nextElementSibling;
              if (next && next.classList.contains('cd-utc')) next = next.nextElementSibling;
              return next.textContent;
            }"""
        )
        assert after.startswith(" · your time: ") and "GMT+9" in after, after
    # The scripts add to a page that is complete without them, and add nothing for a reader
    # in the site's own zone.
    for context in (nojs, js_berlin):
        plain = open_page(new_page(context), open_site, PAGES[name])
        plain.wait_for_load_state("load")
        assert plain.locator(".cd-page time[datetime]").count() == times.count()
        assert plain.locator(".cd-local").count() == 0


def test_the_next_update_in_the_readers_zone(open_site: Site, js_tokyo: Any, new_page) -> None:
    page = open_page(new_page(js_tokyo), open_site, PAGES["incident"])
    line = page.get_by_text("Next update due").first
    page.wait_for_selector(".cd-next .cd-local")
    # Promised for 12:18 UTC: 13:18 in Berlin, 21:18 in Tokyo.
    text = text_of(line)
    assert OPEN_NEXT_LOCAL in text and OPEN_NEXT_UTC in text and "21:18 GMT+9" in text, text


def overflowing(page: Any) -> list[str]:
    """Elements reaching past the right edge of the viewport, for a useful failure."""
    return list(
        page.evaluate(
            """() => {
              const width = document.scrollingElement.clientWidth;
              const out = [];
              for (const el of document.body.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.width && r.right > width + 1) {
                  const cls = el.getAttribute('class');
                  out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (cls ? '.' + cls.trim().split(/\\s+/).join('.') : '')
                    + ' right=' + Math.round(r.right));
                }
              }
              return out.slice(0, 15);
            }"""
        )
    )


@pytest.mark.parametrize("javascript", [False, True], ids=["nojs", "js"])
@pytest.mark.parametrize("name", list(PAGES))
def test_phone_viewport_has_no_horizontal_scrolling(
    open_site: Site, nojs_phone: Any, js_phone: Any, new_page, name: str, javascript: bool
) -> None:
    page = open_page(new_page(js_phone if javascript else nojs_phone), open_site, PAGES[name])
    scroll, client = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert client == 390
    assert scroll <= client, f"{PAGES[name] or 'home'} scrolls sideways: {overflowing(page)}"


@pytest.mark.parametrize("javascript", [False, True], ids=["nojs", "js"])
def test_pages_request_nothing_from_other_hosts(
    open_site: Site, nojs: Any, withjs: Any, new_page, javascript: bool
) -> None:
    requested: list[str] = []
    page = new_page(withjs if javascript else nojs)
    page.on("request", lambda request: requested.append(request.url))
    for name in ("home", "incident", "postmortem", "history", "component"):
        # networkidle: whatever the theme's scripts fetch after load is counted as well.
        page.goto(open_site.page(PAGES[name]), wait_until="networkidle")
    assert any(url.endswith(".css") for url in requested), "no stylesheet was requested at all"
    elsewhere = [
        url
        for url in requested
        if urlsplit(url).scheme not in ("data", "blob", "about")
        and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert not elsewhere


def test_search_lists_the_incidents_themselves(example_site: Site, withjs: Any, new_page) -> None:
    # mkdocs-material's search box (on hand-written pages, with JavaScript): each incident is
    # one result, its title and what it was, linking to its own page.
    page = open_page(new_page(withjs), example_site, "about/")
    page.locator("input[data-md-component=search-query]").first.click()
    page.keyboard.type("Frankfurt")
    first = page.locator(".md-search-result__item").first
    first.wait_for(state="visible", timeout=15_000)
    # Results come as the query is typed: wait for those of the whole word.
    page.wait_for_function(
        "() => (document.querySelector('.md-search-result__item a.md-search-result__link')"
        "?.getAttribute('href') || '').includes('frankfurt-network-partition')",
        timeout=15_000,
    )
    link = first.locator("a.md-search-result__link").first
    assert urlsplit(link.get_attribute("href") or "").path == (
        "/incidents/2026-09-29-frankfurt-network-partition/"
    )
    shown = squash(first.inner_text())
    assert "Databases unavailable in Frankfurt" in shown
    assert "Critical · Resolved · 29 Sep 2026" in shown
