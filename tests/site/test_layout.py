"""The status-page layout in real Chromium: one column with the site's name, a Subscribe
button and an honest footer; the answers a reader needs above the fold of a phone; uptime
detail for keyboard and touch; values that never break apart; Japanese typography; `lang`
on text in another language; and no request made twice."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from harness import (
    JA_PAGES,
    JA_TITLE,
    OPEN_LATEST,
    OPEN_TITLE,
    PAGES,
    PHONE,
    Site,
    open_page,
    squash,
)

pytestmark = pytest.mark.browser


def test_every_generated_page_has_one_column_the_site_name_and_a_subscribe_button(
    open_site: Site, nojs: Any, new_page
) -> None:
    page = new_page(nojs)
    for name, path in PAGES.items():
        open_page(page, open_site, path)
        header = page.get_by_role("banner")
        assert "Northwind Cloud Status" in squash(header.inner_text()), name
        subscribe = header.get_by_role("link", name="Subscribe")
        assert subscribe.is_visible(), name
        assert subscribe.evaluate("a => a.href") == open_site.page("subscribe/"), name
        # No navigation column beside the content, no "Made with Material".
        assert page.locator(".md-sidebar, .md-nav").count() == 0, name
        assert "Made with" not in page.inner_text("body"), name
        content = page.locator("#cd-main").bounding_box()
        assert content is not None and content["width"] <= 800 + 2 * 16 + 1, name  # 50rem + padding
        assert abs(content["x"] * 2 + content["width"] - 1280) <= 2, f"{name}: not centred"


def test_hand_written_pages_keep_their_navigation_and_get_the_subscribe_link(
    open_site: Site, nojs: Any, new_page
) -> None:
    page = open_page(new_page(nojs), open_site, "about/")
    assert page.locator(".md-nav--primary").count() == 1
    link = page.get_by_role("banner").get_by_role("link", name="Subscribe")
    assert link.evaluate("a => a.href") == open_site.page("subscribe/")


def test_the_footer_says_when_the_status_last_changed_and_links_feeds_and_api(
    open_site: Site, nojs: Any, new_page
) -> None:
    page = open_page(new_page(nojs), open_site, PAGES["incident"])
    footer = page.get_by_role("contentinfo")
    text = squash(footer.inner_text())
    # The open incident's latest update (11:48 UTC), not the build at 12:00: it stays true
    # while a build that changes nothing is not deployed.
    assert "Status last changed 23 Nov 2026, 12:48 CET (11:48 UTC)" in text, text
    hrefs = footer.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for target in ("history.rss", "history.atom", "api/v2/summary.json", "maintenance.ics"):
        assert any(h.endswith(target) for h in hrefs), (target, hrefs)
    assert any(h.endswith("about/") for h in hrefs), hrefs


def test_a_phone_answers_is_it_broken_what_is_affected_and_when_next_above_the_fold(
    open_site: Site, nojs_phone: Any, new_page
) -> None:
    page = open_page(new_page(nojs_phone), open_site, "")
    fold = PHONE["height"]

    def top(locator: Any) -> float:
        box = locator.bounding_box()
        assert box is not None
        return float(box["y"] + box["height"])

    assert top(page.get_by_role("heading", level=1)) < fold  # the overall status
    card = page.locator("article.cd-card").filter(has=page.get_by_role("link", name=OPEN_TITLE))
    assert top(card.locator(".cd-card__affected")) < fold, "what is affected is below the fold"
    assert top(card.get_by_text("Next update due")) < fold, "when next is below the fold"
    incident = open_page(new_page(nojs_phone), open_site, PAGES["incident"])
    assert top(incident.locator(".cd-affects").first) < fold
    assert top(incident.get_by_text("Next update due").first) < fold
    assert top(incident.get_by_text(OPEN_LATEST).first) < fold


def test_the_latest_update_is_shown_once(open_site: Site, nojs: Any, new_page) -> None:
    page = open_page(new_page(nojs), open_site, PAGES["incident"])
    assert page.inner_text("body").count(OPEN_LATEST) == 1


def test_uptime_detail_is_reachable_by_keyboard(open_site: Site, nojs: Any, new_page) -> None:
    page = open_page(new_page(nojs), open_site, "")
    summary = page.locator("details.cd-days > summary").first
    detail = page.locator("details.cd-days ul").first
    assert not detail.is_visible()
    for _ in range(200):  # tab through the page to the first uptime summary
        page.keyboard.press("Tab")
        if summary.evaluate("s => s === document.activeElement"):
            break
    else:
        pytest.fail("the uptime detail never takes the keyboard focus")
    page.keyboard.press("Enter")
    assert detail.is_visible()
    text = squash(detail.inner_text())
    assert re.search(r"\d{1,2} \w{3} 2026 (Major|Partial) outage \d+\.\d\d% uptime", text), text


def test_uptime_detail_opens_with_a_tap(open_site: Site, nojs_phone: Any, new_page) -> None:
    page = open_page(new_page(nojs_phone), open_site, "components/api/")
    page.locator("details.cd-days > summary").tap()
    assert page.locator("details.cd-days ul").is_visible()
    assert page.locator(".cd-bar[title], .cd-bar [title]").count() == 0  # no hover-only detail


def test_the_uptime_label_explains_itself(open_site: Site, nojs: Any, new_page) -> None:
    page = open_page(new_page(nojs), open_site, "")
    labels = page.locator(".cd-bar").evaluate_all("bars => bars.map(b => b.ariaLabel)")
    assert labels and all(re.search(r"\d+ of 90 days not fully operational$", x) for x in labels)
    assert not any(re.search(r"\(\d+/\d+\)", x) for x in labels)


@pytest.mark.parametrize("site_name", ["open_site", "ja_site"])
def test_values_never_break_across_lines_on_a_phone(
    request: pytest.FixtureRequest, nojs_phone: Any, new_page, site_name: str
) -> None:
    site: Site = request.getfixturevalue(site_name)
    pages = PAGES if site_name == "open_site" else JA_PAGES
    page = new_page(nojs_phone)
    for name, path in pages.items():
        open_page(page, site, path)
        broken = page.evaluate(
            """() => [...document.querySelectorAll('time, .cd-utc, .cd-nw, .cd-status, .cd-badge')]
                 .filter(el => {
                   const rects = [...el.getClientRects()].filter(r => r.width > 0);
                   const tops = new Set(rects.map(r => Math.round(r.top)));
                   return tops.size > 1;
                 })
                 .map(el => el.textContent)"""
        )
        assert broken == [], f"{name}: {broken}"


def test_a_component_without_a_group_is_not_under_the_last_group(
    open_site: Site, nojs: Any, new_page
) -> None:
    page = open_page(new_page(nojs), open_site, "")
    billing = page.get_by_role("link", name="Billing and Invoices", exact=True)
    group = billing.locator("xpath=ancestor::div[contains(@class, 'cd-group')][1]")
    assert group.locator("h3").count() == 0
    delivery = page.locator(".cd-group").filter(has=page.get_by_role("heading", name="Delivery"))
    delivery_box = delivery.bounding_box()
    billing_box = billing.bounding_box()
    assert delivery_box is not None and billing_box is not None
    assert billing_box["y"] > delivery_box["y"] + delivery_box["height"]  # below its box


def test_action_items_align(open_site: Site, nojs: Any, new_page) -> None:
    page = open_page(new_page(nojs), open_site, PAGES["postmortem"])
    lefts = page.locator(".cd-action__text").evaluate_all(
        "items => items.map(i => Math.round(i.getBoundingClientRect().left))"
    )
    assert len(lefts) > 2 and len(set(lefts)) == 1, lefts


def test_no_time_to_first_update_of_zero(open_site: Site, nojs: Any, new_page) -> None:
    page = open_page(new_page(nojs), open_site, PAGES["japanese-incident"])  # no started_at
    assert "0 min" not in page.inner_text("body")


def test_text_in_another_language_carries_its_lang(
    open_site: Site, ja_site: Site, nojs: Any, new_page
) -> None:
    page = open_page(new_page(nojs), open_site, PAGES["japanese-incident"])
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).get_attribute("lang") == "ja"
    messages = page.locator(".cd-message")
    assert messages.count() == 2
    assert set(messages.evaluate_all("ms => ms.map(m => m.lang)")) == {"ja"}
    history = open_page(new_page(nojs), open_site, "history/")
    assert history.get_by_role("link", name=JA_TITLE).get_attribute("lang") == "ja"
    ja = open_page(new_page(nojs), ja_site, JA_PAGES["english-incident"])
    assert ja.locator("html").get_attribute("lang") == "ja"
    assert ja.get_by_role("heading", level=1).get_attribute("lang") == "en"


def test_japanese_pages_use_one_style_of_punctuation(ja_site: Site, nojs: Any, new_page) -> None:
    """Candor's own words on a Japanese site: full-width parentheses and colons, never the
    ASCII ones (a colon between digits, as in 21:00, is part of a time)."""
    page = new_page(nojs)
    for name, path in JA_PAGES.items():
        open_page(page, ja_site, path)
        own = page.evaluate(
            """() => {
              const skip = '.cd-message, .cd-summary, code, pre, [lang]:not([lang="ja"])';
              const out = [];
              const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              while (walk.nextNode()) {
                const el = walk.currentNode.parentElement;
                if (el.closest(skip) || el.closest('script, style')) continue;
                out.push(walk.currentNode.textContent);
              }
              return out.join(' ');
            }"""
        )
        assert not re.search(r"[()]", own), f"{name}: ASCII parenthesis in {own!r}"
        assert not re.search(r"(?<!\d):|:(?!\d)", own), f"{name}: ASCII colon in {own!r}"
        # Times are in the site's zone (Asia/Tokyo) and say so.
        assert "JST" in own and "CET" not in own, name


def test_no_request_is_made_twice(open_site: Site, withjs: Any, new_page) -> None:
    for path in [*PAGES.values(), "about/"]:
        page = new_page(withjs)
        requested: list[str] = []
        page.on("request", lambda request, seen=requested: seen.append(request.url))
        page.goto(open_site.page(path), wait_until="networkidle")
        twice = [url for url, n in Counter(requested).items() if n > 1]
        assert twice == [], f"{path}: {twice}"
        if path != "about/":
            assert not any(url.endswith("sitemap.xml") for url in requested), path
            # Only Candor's own small deferred scripts (the reader's time; the live notice where
            # something is going on), never mkdocs-material's bundle.
            scripts = {url.rsplit("/", 1)[-1] for url in requested if url.endswith(".js")}
            assert scripts <= {"candor-time.js", "candor-live.js"}, f"{path}: {scripts}"
            sheets = [url for url in requested if url.endswith(".css")]
            assert len(sheets) == 1, f"{path}: {sheets}"
