"""RSS and Atom feeds: every update once, newest first, with ids that never change."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import feedparser
from artifact_sites import (
    HOSTILE,
    HOSTILE_MARKERS,
    NOW,
    OPEN,
    RESOLVED,
    STANDARD,
    STANDARD_ENTRIES,
    build,
)
from candor_sites import load_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.outputs import feeds

SITE = "https://status.example.com/"
API = f"{SITE}incidents/2026-11-20-api-errors/"


def parse(data: bytes) -> Any:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def ids(feed: Any) -> list[str]:
    return [entry.id for entry in feed.entries]


def test_both_feeds_list_every_update_and_postmortem_newest_first(tmp_path: Path) -> None:
    _, _, out = build(tmp_path, STANDARD)
    rss, atom = parse(out["history.rss"]), parse(out["history.atom"])
    assert rss.version == "rss20" and atom.version == "atom10"
    for feed in (rss, atom):
        assert len(feed.entries) == STANDARD_ENTRIES
        assert len(set(ids(feed))) == STANDARD_ENTRIES
        dates = [entry.published_parsed for entry in feed.entries]
        assert dates == sorted(dates, reverse=True)
        for entry in feed.entries:
            assert entry.id.startswith(f"{SITE}incidents/")
            assert entry.link == entry.id
    assert ids(rss) == ids(atom)
    assert ids(atom)[:2] == [
        f"{SITE}incidents/2026-11-30-slow-website/#update-1",
        f"{SITE}incidents/2026-11-25-database-upgrade/#update-1",
    ]
    assert ids(atom)[2:6] == [
        f"{API}postmortem/",
        f"{API}#update-3",
        f"{API}#update-2",
        f"{API}#update-1",
    ]


def test_entries_carry_status_title_html_and_their_own_dates(tmp_path: Path) -> None:
    _, _, out = build(tmp_path, STANDARD)
    atom = parse(out["history.atom"])
    by_id = {entry.id: entry for entry in atom.entries}
    identified = by_id[f"{API}#update-2"]
    assert identified.title == "Identified — Elevated API errors"
    assert identified.content[0].value == "<p>A bad configuration push. We are rolling it back.</p>"
    assert identified.published == "2026-11-20T09:40:00+00:00"
    postmortem = by_id[f"{API}postmortem/"]
    assert postmortem.title == "Postmortem — Elevated API errors"
    assert postmortem.published == "2026-11-21T08:00:00+00:00"
    assert "<h3>Apology</h3>" in postmortem.content[0].value
    assert by_id[f"{SITE}incidents/2026-11-03-website-host-move/#update-2"].title == (
        "In progress — Website host move"
    )
    rss = parse(out["history.rss"])
    assert rss.entries[0].title == "Investigating — Slow website"
    assert b'<guid isPermaLink="true">' in out["history.rss"]
    assert "<p>The website is slow" in rss.entries[0].summary


def test_feed_dates_come_from_the_files_not_the_clock(tmp_path: Path) -> None:
    _, _, first = build(tmp_path / "a", STANDARD, now=NOW)
    _, _, later = build(tmp_path / "b", STANDARD, now="2026-12-03T12:00Z")
    for path in ("history.rss", "history.atom", "components/db/history.atom"):
        assert first[path] == later[path]
    assert b"<lastBuildDate>Mon, 30 Nov 2026 23:30:00 +0000</lastBuildDate>" in first["history.rss"]
    assert b"<updated>2026-11-30T23:30:00+00:00</updated>" in first["history.atom"]


def test_ids_survive_rebuild_message_edit_title_fix_and_appended_update(tmp_path: Path) -> None:
    _, _, before = build(tmp_path / "a", {"2026-11-20-api-errors.yaml": RESOLVED})
    _, _, again = build(tmp_path / "b", {"2026-11-20-api-errors.yaml": RESOLVED})
    assert before == again

    edited = RESOLVED.replace("Elevated API erors", "x").replace(
        "A bad configuration push.", "A faulty configuration push, now fully understood."
    )
    edited = edited.replace("title: Elevated API errors", "title: Elevated API error rates")
    _, _, after_edit = build(tmp_path / "c", {"2026-11-20-api-errors.yaml": edited})
    old, new = parse(before["history.atom"]), parse(after_edit["history.atom"])
    assert ids(old) == ids(new)
    assert new.entries[0].title == "Postmortem — Elevated API error rates"
    assert "now fully understood" in new.entries[2].content[0].value

    appended = OPEN + (
        "  - at: 2026-11-30T23:50:00Z\n"
        "    status: identified\n"
        "    message: A cache node is overloaded.\n"
    )
    _, _, one = build(tmp_path / "d", {"2026-11-30-slow-website.yaml": OPEN})
    _, _, two = build(tmp_path / "e", {"2026-11-30-slow-website.yaml": appended})
    for path in ("history.rss", "history.atom"):
        first, second = ids(parse(one[path])), ids(parse(two[path]))
        assert second == [f"{SITE}incidents/2026-11-30-slow-website/#update-2", *first]


def test_ties_sort_by_incident_id_then_update_order_postmortem_last(tmp_path: Path) -> None:
    def incident(title: str, postmortem_at: str | None = None) -> str:
        text = (
            f"title: {title}\nimpact: none\nupdates:\n"
            "  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    message: Looking.\n"
            "  - at: 2026-11-20T10:00:00Z\n    status: resolved\n    message: Fixed.\n"
        )
        if postmortem_at:
            text += (
                f"postmortem:\n  published_at: {postmortem_at}\n  apology: Sorry.\n"
                "  what_happened: It broke.\n  why: A bug.\n  what_we_did: A fix.\n"
                "  impact: Little.\n  prevention: Tests.\n"
            )
        return text

    files = {
        "b-second.yaml": incident("B", postmortem_at="2026-11-20T10:00:00Z"),
        "a-first.yaml": incident("A"),
    }
    _, _, out = build(tmp_path, files)
    assert ids(parse(out["history.atom"])) == [
        f"{SITE}incidents/a-first/#update-1",
        f"{SITE}incidents/a-first/#update-2",
        f"{SITE}incidents/b-second/#update-1",
        f"{SITE}incidents/b-second/#update-2",
        f"{SITE}incidents/b-second/postmortem/",
    ]


def test_only_the_newest_feed_entries_are_kept(tmp_path: Path) -> None:
    _, _, out = build(tmp_path, STANDARD, feed_entries=3)
    for path in ("history.rss", "history.atom"):
        feed = parse(out[path])
        assert len(feed.entries) == 3
        assert feed.entries[2].id == f"{API}postmortem/"


def test_future_postmortem_is_left_out_and_early_one_is_a_preliminary_review(
    tmp_path: Path,
) -> None:
    future = RESOLVED.replace(
        "published_at: 2026-11-21T08:00:00Z", "published_at: 2027-01-01T00:00Z"
    )
    _, _, out = build(tmp_path / "a", {"2026-11-20-api-errors.yaml": future})
    assert f"{API}postmortem/" not in ids(parse(out["history.atom"]))

    early = RESOLVED.replace(
        "published_at: 2026-11-21T08:00:00Z", "published_at: 2026-11-20T10:00Z"
    )
    _, _, out = build(tmp_path / "b", {"2026-11-20-api-errors.yaml": early})
    entries = parse(out["history.atom"]).entries
    assert [e.id for e in entries][:2] == [f"{API}#update-3", f"{API}postmortem/"]
    assert entries[1].title == "Preliminary review — Elevated API errors"


def test_every_component_has_its_own_feed_with_only_its_entries(tmp_path: Path) -> None:
    _, _, out = build(tmp_path, {"2026-11-20-api-errors.yaml": RESOLVED})
    api = parse(out["components/api/history.atom"])
    assert ids(api) == [
        f"{API}postmortem/",
        f"{API}#update-3",
        f"{API}#update-2",
        f"{API}#update-1",
    ]
    assert api.feed.title == "Public API — Test Status — history"
    assert api.feed.link == f"{SITE}components/api/"
    for empty in ("web", "db"):
        feed = parse(out[f"components/{empty}/history.atom"])
        assert feed.entries == []
        assert feed.feed.id == f"{SITE}components/{empty}/history.atom"


HOSTILE_TITLE = "<script>alert(1)</script>Outage <img src=x onerror=alert(2)>"


def test_hostile_text_leaves_no_executable_markup(tmp_path: Path) -> None:
    # SPEC §6: the title is plain text, literal in the feed; the messages are the page's
    # sanitised HTML, with nothing the sanitiser removed.
    _, _, out = build(tmp_path, {"2026-11-15-hostile.yaml": HOSTILE})
    for path in ("history.rss", "history.atom", "components/api/history.atom"):
        feed = parse(out[path])
        assert len(feed.entries) == 3
        for entry in feed.entries:
            assert entry.title.endswith(f" — {HOSTILE_TITLE}"), entry.title
            content = html.unescape(entry.get("summary", "")).lower()
            assert all(marker not in content for marker in HOSTILE_MARKERS), content
    atom = parse(out["history.atom"])
    assert atom.entries[-1].title == f"Investigating — {HOSTILE_TITLE}"
    assert "click me" in atom.entries[-1].content[0].value


def test_an_incident_feed_carries_every_entry_of_the_site_feed_and_nothing_redundant(
    tmp_path: Path,
) -> None:
    """One feed per incident, tens of thousands in a long history: each entry keeps its id,
    title, link, date, author and message exactly as the site feed has them, and the feed
    drops what repeats something else (a subtitle equal to its title, a published date equal
    to the updated one, indentation)."""
    _, _, out = build(tmp_path, STANDARD)
    site = {entry.id: entry for entry in parse(out["history.atom"]).entries}
    incident_feeds = sorted(path for path in out if path.endswith("/feed.atom"))
    assert len(incident_feeds) == len(STANDARD)
    entries = 0
    for path in incident_feeds:
        raw = out[path]
        feed = parse(raw)
        assert feed.version == "atom10"
        assert feed.feed.id == f"{SITE}{path}"
        assert feed.feed.title.endswith(" — Test Status")
        assert {link.rel: link.href for link in feed.feed.links} == {
            "self": f"{SITE}{path}",
            "alternate": f"{SITE}{path.removesuffix('feed.atom')}",
        }
        assert b"<subtitle>" not in raw and b"<published>" not in raw and b">\n  <" not in raw
        own = [e for e in site.values() if e.id.startswith(f"{SITE}{path[:-9]}")]
        assert [e.id for e in feed.entries] == [e.id for e in own], path
        for entry in feed.entries:
            twin = site[entry.id]
            assert entry.link == entry.id
            assert (entry.title, entry.updated) == (twin.title, twin.updated)
            assert entry.content[0].value == twin.content[0].value
            assert entry.content[0].type == "text/html"
            assert entry.get("author") == twin.get("author")
            entries += 1
    assert entries == STANDARD_ENTRIES


def test_each_component_feed_keeps_its_own_newest_entries(tmp_path: Path) -> None:
    _, _, everything = build(tmp_path / "all", STANDARD, feed_entries=100)
    _, _, kept = build(tmp_path / "two", STANDARD, feed_entries=2)
    feeds = [path for path in everything if path.endswith("history.atom")]
    assert len(feeds) > 2
    for path in feeds:
        assert ids(parse(kept[path])) == ids(parse(everything[path]))[:2], path
    # The same entry in the site feed and in a component's is the same text.
    site = {e.id: e.summary for e in parse(everything["history.atom"]).entries}
    api = parse(everything["components/api/history.atom"]).entries
    assert api and all(site[e.id] == e.summary for e in api)


_TIMES = [f"2026-11-2{day}T10:00:00Z" for day in (0, 1, 2)]


@st.composite
def _histories(draw: st.DrawFn) -> tuple[dict[str, str | bytes], int]:
    """A few incidents whose updates and postmortems share a handful of moments (so that
    ties are common; a postmortem may be published after the build), and a number of
    entries to keep."""
    files: dict[str, str | bytes] = {}
    for number in range(draw(st.integers(1, 8))):
        times = sorted(draw(st.lists(st.sampled_from(_TIMES), min_size=1, max_size=3)))
        components = draw(st.lists(st.sampled_from(["api", "web", "db"]), max_size=2, unique=True))
        text = f"title: Incident {number}\nimpact: minor\ncomponents: {components}\nupdates:\n"
        for at in times:
            text += f"  - at: {at}\n    status: investigating\n    message: Looking.\n"
        # Never before the incident began: `candor check` rejects that (postmortem-before-start).
        since = [t for t in _TIMES if t >= times[0]]
        published = draw(st.sampled_from([None, *since, "2026-12-05T10:00:00Z"]))
        if published is not None:
            text += (
                f"postmortem:\n  published_at: {published}\n  apology: Sorry.\n"
                "  what_happened: It broke.\n  why: A bug.\n  what_we_did: A fix.\n"
                "  impact: Little.\n  prevention: Tests.\n"
            )
        files[f"2026-11-{20 + number % 3}-incident-{number}.yaml"] = text
    return files, draw(st.integers(1, 6))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_histories())
def test_feeds_hold_the_newest_entries_of_every_update_sorted(
    tmp_path: Path, history: tuple[dict[str, str | bytes], int]
) -> None:
    """Each feed's entries are the first `feed_entries` of every update and published
    postmortem out by then, all sorted (newest first, ties by incident id, then update
    order, the postmortem last), though only the incidents that can reach a feed are looked
    at."""
    files, keep = history
    site = tmp_path / str(len(list(tmp_path.iterdir())))
    site.mkdir()
    project = load_site(site, files, NOW, feed_entries=keep)
    state = project.state()
    every = [
        (ref.at, ref.event_id, ref.order, ref.state.event.affected)
        for event in state.events
        for ref in feeds._refs(event)
        if ref.at <= state.now
    ]
    every.sort(key=lambda r: (-r[0].timestamp(), r[1], r[2]))
    found = feeds._Entries(project.settings, state)
    for component in (None, "api", "web", "db", "unknown"):
        own = [r for r in every if component is None or component in r[3]]
        expected = [(event_id, order) for _, event_id, order, _ in own[:keep]]
        assert [(e.event_id, e.order) for e in found.entries(component)] == expected, component
