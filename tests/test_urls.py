"""The URL scheme: SPEC §6 paths, permanent anchors, and links that work under any base path."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

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


def test_links_to_files_for_a_preview_opened_from_a_folder() -> None:
    """`candor build --preview`: no server turns a folder into its index.html there."""
    assert relative("", "history/", files=True) == "history/index.html"
    assert relative("history/", "", files=True) == "../index.html"
    assert relative("incidents/a/", "incidents/a/", files=True) == "index.html"
    assert relative("incidents/a/", urls.update("b", 2), files=True) == ("../b/index.html#update-2")
    # A link within the page, a file, or another host: as they are.
    assert relative("incidents/a/", urls.update("a", 2), files=True) == "#update-2"
    assert relative("incidents/a/", urls.ATOM, files=True) == "../../history.atom"
    assert relative("", "https://x.example/", files=True) == "https://x.example/"
    # Without `files`, the published site's links are unchanged.
    assert relative("incidents/a/", urls.update("b", 2)) == "../b/#update-2"


# Paths as pages and links have them, and the odd ones (`.`, `..`, empty parts) besides.
_PART = st.sampled_from(["a", "b", "incidents", "x-1", ".", "..", "", ".well-known", "é"])
_PATH = st.lists(_PART, max_size=5).map(lambda parts: "/" + "/".join(parts))


@given(_PATH, _PATH, st.booleans(), st.booleans())
def test_relpath_is_posix_relpath(path: str, start: str, slash: bool, start_slash: bool) -> None:
    path += "/" if slash else ""
    start += "/" if start_slash else ""
    assert urls.relpath(path, start) == posixpath.relpath(path, start)
