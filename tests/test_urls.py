"""The URL scheme: SPEC §6 paths, permanent anchors, and links that work under any base path."""

from __future__ import annotations

from generator.outputs import urls
from generator.outputs.urls import relative


def test_spec_paths() -> None:
    assert urls.incident("x") == "incidents/x/"
    assert urls.update("x", 3) == "incidents/x/#update-3"
    assert urls.postmortem("x") == "incidents/x/postmortem/"
    assert urls.component("api") == "components/api/"
    assert urls.component_feed("api") == "components/api/history.atom"
    assert urls.history_year(2025) == "history/2025/"
    assert urls.api("summary.json") == "api/v2/summary.json"
    assert (urls.RSS, urls.ATOM, urls.CALENDAR, urls.BADGE) == (
        "history.rss",
        "history.atom",
        "maintenance.ics",
        "badge.svg",
    )
    assert urls.absolute("https://s.example.com/", urls.postmortem("x")) == (
        "https://s.example.com/incidents/x/postmortem/"
    )


def test_relative_links() -> None:
    assert relative("", "history/") == "history/"
    assert relative("incidents/a/", "components/api/") == "../../components/api/"
    assert relative("incidents/a/postmortem/", "incidents/a/") == "../"
    assert relative("incidents/a/postmortem/", urls.update("a", 2)) == "../#update-2"
    assert relative("history/", "") == "../"
