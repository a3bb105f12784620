"""The site's URL scheme (SPEC §6): every address Candor publishes, in one place.

Paths are relative to the site root ("" is the home page) and end in "/" for pages. Feeds,
the API and the calendar need them absolute (`absolute`); pages link to each other with
`relative`, so the site works under any base path and opened from a folder."""

from __future__ import annotations

import posixpath
from functools import lru_cache

HOME = ""
HISTORY = "history/"
RSS = "history.rss"
ATOM = "history.atom"
CALENDAR = "maintenance.ics"
BADGE = "badge.svg"
API = "api/v2/"
SUBSCRIBE = "subscribe/"
# What `candor notify` sent to each channel, published with the site so that the next run,
# on a fresh machine, knows (README: "Exactly once").
NOTIFY_RECORD = "notify/sent.json"
# The SHA-256 of everything else the site publishes: the publish workflow deploys a build
# only when it differs from the live one (outputs/digest.py).
DIGEST = "digest.txt"
# The standalone script that tells a reader of an open incident that the page is behind.
LIVE_SCRIPT = "assets/javascripts/candor-live.js"


def incident(event_id: str) -> str:
    return f"incidents/{event_id}/"


def update(event_id: str, n: int) -> str:
    """Update n (1-based, in file order) keeps this anchor for good."""
    return f"{incident(event_id)}#update-{n}"


def incident_feed(event_id: str) -> str:
    """One incident's own Atom feed: its updates and postmortem, as in the site feed."""
    return f"{incident(event_id)}feed.atom"


def postmortem(event_id: str) -> str:
    return f"{incident(event_id)}postmortem/"


def component(component_id: str) -> str:
    return f"components/{component_id}/"


def component_feed(component_id: str) -> str:
    return f"{component(component_id)}history.atom"


def history_year(year: int) -> str:
    return f"{HISTORY}{year}/"


def api(endpoint: str) -> str:
    """`api("summary.json")` → `api/v2/summary.json`."""
    return f"{API}{endpoint}"


# The file name of every generated page's source, in the folder of its URL.
SOURCE_INDEX = "index.md"


def source(page: str) -> str:
    """The name mkdocs knows a generated page by: `incidents/<id>/index.md`."""
    return page + SOURCE_INDEX


def absolute(site_url: str, path: str) -> str:
    """`site_url` ends in "/" (see `Settings`)."""
    return f"{site_url}{path}"


@lru_cache(maxsize=4096)
def relative(from_url: str, to_url: str, files: bool = False) -> str:
    """A link from the page at `from_url` to `to_url` (both relative to the site root).
    With `files`, a link to a page names its `index.html`: the preview of a pull request is
    opened from a folder, where no server turns a folder into its index."""
    if to_url.startswith(("http://", "https://", "#")):
        return to_url
    start = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    rel = relpath("/" + to_url, "/" + start)
    if rel == ".":
        rel = "./"
    wants_folder = to_url.endswith("/") or to_url == ""
    if wants_folder and not rel.endswith("/"):
        rel += "/"
    if not files:
        return rel
    path, hash_, fragment = rel.partition("#")
    if path == "./":
        path = "index.html"
    elif path.endswith("/"):
        path += "index.html"
    return path + hash_ + fragment


def relpath(path: str, start: str) -> str:
    """`posixpath.relpath` of two absolute paths, without its normalising when neither has
    a `.` or `..` part or an empty one: every page asks it for a dozen links."""
    if "/." in path or "/." in start or "//" in path or "//" in start:
        return posixpath.relpath(path, start)
    here, there = start.strip("/").split("/"), path.strip("/").split("/")
    here, there = [p for p in here if p], [p for p in there if p]
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."
