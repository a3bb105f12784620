"""Hostile text in every field, through every output channel (SPEC §6): nothing that executes
in any page, feed, JSON, calendar, badge or search index, and titles and names literal.

Text goes into the title, messages, authors, postmortem sections, action items, component
names, descriptions and groups, and `site_name`; out through pages, feeds, API, calendar,
badge, search index and every notification channel. Two levels: the outputs Candor makes
itself (pages' bodies, feeds, API, calendar, badge, notifications: quick, many examples) and
whole mkdocs-material
builds (every page with the theme's header and the search index: slow, a few examples).
`CANDOR_FUZZ_EXAMPLES` raises the first, `CANDOR_FUZZ_BUILDS` the second."""

from __future__ import annotations

import email
import html
import json
import os
import re
import shutil
from email.policy import default as email_policy
from pathlib import Path
from typing import Any

import feedparser
import html5lib
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from site_scan import scan_api_json, scan_file, scan_html, scan_xml, theme_scripts

from generator.cli import main
from generator.core.characters import visible
from generator.core.errors import ValidationFailed
from generator.core.project import load_project
from generator.notify.messages import candidates
from generator.notify.run import senders
from generator.outputs.artifacts import build_artifacts
from generator.outputs.pages import plan_site

EXAMPLES = int(os.environ.get("CANDOR_FUZZ_EXAMPLES", "30"))
BUILDS = int(os.environ.get("CANDOR_FUZZ_BUILDS", "3"))
NOW = "2026-12-01T00:00Z"
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](  JaVaScRiPt:alert(1))",
    "[x](java&#115;cript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    '<div style="background:url(javascript:alert(1))">s</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form><button formaction="javascript:alert(1)">b</button></form>',
    '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--",
    "-->",
    "<!-- <img src=x onerror=alert(1)> -->",
    "`<timeout>`",
    "Errors in `Vec<u8>` parsing",
    "java&#115;cript:",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;",
    "]]>",
    "{% raw %}",
    "\\",
    "%0A::error::x",
    "\u202e",
    "é日本\u00a0",
]
ALPHABET = st.characters(
    # No control characters (SPEC §4 makes them an error) and no YAML-hostile surrogates.
    blacklist_categories=("Cc", "Cs"),
    blacklist_characters="\u2028\u2029\ufeff\x85",
)
TEXT = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(ALPHABET, min_size=1, max_size=6)),
    min_size=1,
    max_size=5,
).map(" ".join)


def _clean(value: str) -> bool:
    """Text that passes `candor check`: no placeholder markers (those are refused)."""
    return not re.search(r"TODO|TBD|FIXME|XXX|\{\{|\}\}|\[\[|\]\]", value)


NOTIFY = [
    {"type": "webhook", "url_env": "HOOK", "secret_env": "HOOK_SECRET"},
    {"type": "slack", "url_env": "HOOK"},
    {"type": "discord", "url_env": "HOOK"},
    {"type": "teams", "url_env": "HOOK"},
    {"type": "mastodon", "url_env": "HOOK", "token_env": "HOOK_SECRET"},
    {"type": "email", "host_env": "HOOK", "to": "s@lists.example.com", "from": "s@example.com"},
]
NOTIFY_ENV = {"HOOK": "https://hooks.example.com/x", "HOOK_SECRET": "whsec_dGVzdA=="}
FIELD_NAMES = (
    "title",
    "message",
    "message2",
    "by",
    "apology",
    "why",
    "action",
    "component",
    "description",
    "group",
    "site_name",
    "maintenance",
)
FIELDS = st.fixed_dictionaries(dict.fromkeys(FIELD_NAMES, TEXT))


def _files(f: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    config = {
        "site_name": f["site_name"],
        "site_url": "https://status.example.com/",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "en"},
        "plugins": [
            "search",
            {
                "candor": {
                    "timezone": "UTC",
                    "notify": NOTIFY,
                    "components": [
                        {
                            "id": "api",
                            "name": f["component"],
                            "description": f["description"],
                            "group": f["group"],
                        },
                        {"id": "web", "name": "Website", "group": f["group"]},
                    ],
                }
            },
        ],
    }
    incident = {
        "title": f["title"],
        "impact": "major",
        "components": ["api"],
        "updates": [
            {
                "at": "2026-11-30T10:00:00Z",
                "status": "investigating",
                "message": f["message"],
                "by": f["by"],
            },
            {"at": "2026-11-30T11:00:00Z", "status": "resolved", "message": f["message2"]},
        ],
        "postmortem": {
            "published_at": "2026-11-30T12:00:00Z",
            "apology": f["apology"],
            "what_happened": f["message"],
            "why": f["why"],
            "what_we_did": f["message2"],
            "impact": f["apology"],
            "prevention": [{"action": f["action"], "status": "done"}],
            "compensation": f["why"],
        },
    }
    maintenance = {
        "kind": "maintenance",
        "title": f["maintenance"],
        "components": ["web"],
        "scheduled": {"start": "2026-12-05T01:00:00Z", "end": "2026-12-05T03:00:00Z"},
        "updates": [{"at": "2026-11-25T10:00:00Z", "status": "scheduled", "message": f["message"]}],
    }
    dump = {"allow_unicode": True, "sort_keys": False}
    return config, {
        "2026-11-30-fuzz.yaml": yaml.safe_dump(incident, **dump),
        "2026-11-25-move.yaml": yaml.safe_dump(maintenance, **dump),
    }


def _write(root: Path, f: dict[str, str], about: str = "") -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "incidents").mkdir(parents=True)
    config, files = _files(f)
    (root / "docs").mkdir()
    if about:
        (root / "docs" / "about.md").write_text(about, encoding="utf-8")
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    for name, text in files.items():
        (root / "incidents" / name).write_text(text, encoding="utf-8")
    return path


_SPACE = re.compile(r"[ \t\n\f\r]+")


def shown(value: str) -> str:
    """A text as a page shows it: ASCII whitespace collapsed."""
    return _SPACE.sub(" ", value).strip()


def _text(element: Any) -> str:
    return shown("".join(element.itertext()))


# Checks per channel


def check_feed(data: bytes, titles: list[str]) -> None:
    assert scan_xml(data) == []
    feed: Any = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    from xml.etree import ElementTree

    root = ElementTree.fromstring(data)
    found = {shown(e.text or "") for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "title"}
    for title in titles:
        assert any(t.endswith(shown(title)) for t in found), (title, found)


def check_api(out: dict[str, bytes], f: dict[str, str]) -> None:
    for path, data in out.items():
        if path.endswith(".json"):
            assert scan_api_json(data) == [], path
    summary = json.loads(out["api/v2/incidents.json"])
    (incident,) = summary["incidents"]
    assert incident["name"] == shown(f["title"])
    page = json.loads(out["api/v2/summary.json"])["page"]
    assert page["name"] == shown(f["site_name"])
    components = json.loads(out["api/v2/components.json"])["components"]
    names = {c["id"]: c["name"] for c in components}
    assert names["api"] == shown(f["component"])
    assert shown(f["group"]) in names.values()
    assert {c["description"] for c in components if c["id"] == "api"} == {shown(f["description"])}
    for text in (*(u["body"] for u in incident["incident_updates"]), incident["postmortem_body"]):
        assert not re.search(r"(javascript|vbscript|data)\s*:\s*\w+\(|\]\(\s*<?\s*data:", text)


def check_calendar(data: bytes, f: dict[str, str]) -> None:
    calendar = Calendar.from_ical(data)
    assert shown(f["site_name"]) in str(calendar["X-WR-CALNAME"])
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == shown(f["maintenance"])
    assert str(event["URL"]).startswith("https://status.example.com/")
    assert "javascript:alert" not in str(event["DESCRIPTION"]).lower()


_REMOVED_URL = re.compile(r"(javascript|vbscript|data)\s*:\s*\w+\(|\]\(\s*<?\s*data:", re.I)
# A link target in each chat's markup: Slack's <url|text>, Markdown's [text](url).
_SCHEME = r"\s*(javascript|vbscript|data|livescript)\s*:"
_SCRIPT_TARGET = {
    "slack": re.compile(r"<" + _SCHEME, re.I),
    "discord": re.compile(r"(?<!\\)\]\(\s*<?" + _SCHEME, re.I),
    "teams": re.compile(r"(?<!\\)\]\(\s*<?" + _SCHEME, re.I),
}


def _urls(value: object) -> list[str]:
    if isinstance(value, dict):
        return [
            u
            for k, v in value.items()
            for u in ([v] if k.endswith(("url", "href", "link")) and isinstance(v, str) else [])
            + _urls(v)
        ]
    if isinstance(value, list):
        return [u for v in value for u in _urls(v)]
    return []


def _slack_mrkdwn(value: object) -> list[str]:
    if isinstance(value, dict):
        own = [value["text"]] if value.get("type") == "mrkdwn" else []
        return own + [t for v in value.values() for t in _slack_mrkdwn(v)]
    if isinstance(value, list):
        return [t for v in value for t in _slack_mrkdwn(v)]
    return []


def _markup_fields(kind: str, payload: Any) -> list[str]:
    """The fields each chat renders as its markup (titles and footers are plain text there)."""
    if kind == "slack":
        return [payload["text"], *_slack_mrkdwn(payload["blocks"])]
    if kind == "discord":
        (embed,) = payload["embeds"]
        return [embed["description"], *(f["value"] for f in embed["fields"])]
    card = payload["attachments"][0]["content"]
    return [
        *(b["text"] for b in card["body"] if b["type"] == "TextBlock"),
        *(f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]),
    ]


def check_notifications(settings: Any, state: Any, f: dict[str, str]) -> None:
    """Every message on every channel: no URL the page's sanitiser removed; the email's HTML
    with nothing that executes; the title as written."""
    messages = candidates(settings, state)
    assert {m.event_title for m in messages} >= {shown(f["title"]), shown(f["maintenance"])}
    for message in messages:
        assert not _REMOVED_URL.search(message.text) and not _REMOVED_URL.search(message.markdown)
        assert scan_html(message.html) == []
    for sender in senders(settings, NOTIFY_ENV):
        for message in messages:
            payload = sender.payload(message)
            if sender.kind == "email":
                mail = email.message_from_string(payload, policy=email_policy)
                body = mail.get_body(("html",))
                assert body is not None and scan_html(body.get_content()) == []
            elif sender.kind == "webhook":
                # Data, not markup: what it links to is in its URL fields.
                urls = _urls(payload)
                assert urls and all(u.startswith("https://") for u in urls), urls
            elif sender.kind in _SCRIPT_TARGET:
                for text in _markup_fields(sender.kind, payload):
                    assert not _SCRIPT_TARGET[sender.kind].search(text), (sender.kind, text)
            # Mastodon takes plain text and links only http(s) addresses.


def check_artifacts(out: dict[str, bytes], f: dict[str, str]) -> None:
    check_api(out, f)
    check_calendar(out["maintenance.ics"], f)
    feeds = ("history.rss", "history.atom", "components/api/history.atom")
    for path in (*feeds, "incidents/2026-11-30-fuzz/feed.atom"):
        check_feed(out[path], [f["title"]])
    assert scan_xml(out["badge.svg"]) == [] and scan_html(out["badge.svg"].decode()) == []


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(FIELDS)
def test_hostile_text_in_every_field_of_candors_own_outputs(
    tmp_path_factory: pytest.TempPathFactory, f: dict[str, str]
) -> None:
    assume(all(_clean(v) for v in f.values()))
    config = _write(tmp_path_factory.mktemp("fuzz") / "site", f)
    project = load_project(config, NOW)
    try:
        state = project.state()
    except ValidationFailed:
        assume(False)
        raise
    check_artifacts(build_artifacts(project.settings, state), f)
    check_notifications(project.settings, state, f)
    for page in plan_site(project.settings, state):
        # As the plugin hands it on: the body made, then what on_post_page does to every page.
        assert scan_html(visible(page.make())) == [], page.src_uri
        # The title mkdocs prints into <title>, headers and the search index: escaped once.
        expected = {
            "incidents/2026-11-30-fuzz/index.md": f["title"],
            "components/api/index.md": f["component"],
        }.get(page.src_uri)
        if expected is not None:
            assert "<" not in page.title and html.unescape(page.title) == expected


# Whole builds with mkdocs-material


def _build(config: Path, out: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", "--config", str(config), "--out", str(out), "--now", NOW]
    )
    if result.exit_code == 1 and "nothing was built" in result.output:
        assume(False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def known_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The inline scripts of a site built from harmless text: what the theme itself runs."""
    benign = dict.fromkeys(FIELD_NAMES, "Plain text")
    root = tmp_path_factory.mktemp("benign")
    out = root / "out"
    _build(_write(root / "site", benign, about="# About\n\nHello."), out)
    return theme_scripts(p.read_text("utf-8") for p in out.rglob("*.html"))


def check_site(out: Path, f: dict[str, str], known: set[str]) -> None:
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            problems = scan_file(path, known)
            if problems:
                found[str(path.relative_to(out))] = problems
    assert found == {}
    site_name = shown(f["site_name"])
    for path in out.rglob("*.html"):
        text = path.read_text("utf-8")
        assert "\x00" not in text
        document = html5lib.parse(text, namespaceHTMLElements=False)
        title = _text(document.find(".//title"))
        assert title.endswith(site_name), (path, title)
        logo = document.find(".//a[@data-md-component='logo']")
        if logo is not None:
            assert shown(logo.get("aria-label")) == site_name
            assert shown(logo.get("title")) == site_name
        topic = document.find(".//div[@class='md-header__topic']")
        if topic is not None:
            assert _text(topic) == site_name
    incident = html5lib.parse(
        (out / "incidents" / "2026-11-30-fuzz" / "index.html").read_text("utf-8"),
        namespaceHTMLElements=False,
    )
    # Composed, then shown: a title's last character (a no-break space, say) stays in it.
    assert _text(incident.find(".//title")) == shown(f"{f['title']} - {site_name}")
    assert _text(incident.find(".//h1")) == shown(f["title"])
    index = json.loads((out / "search" / "search_index.json").read_text("utf-8"))
    entry = next(d for d in index["docs"] if d["location"] == "incidents/2026-11-30-fuzz/")
    # The search box shows the title as HTML: escaped once, it reads as written.
    assert _text(html5lib.parseFragment(entry["title"])) == shown(f["title"])
    artifacts = {
        str(p.relative_to(out)): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file()
        and p.suffix in (".json", ".ics", ".rss", ".atom", ".svg")
        and "search" not in p.parts
    }
    check_artifacts(artifacts, f)


@pytest.mark.slow
@settings(max_examples=BUILDS, deadline=None, suppress_health_check=list(HealthCheck))
@given(FIELDS)
def test_hostile_text_in_every_field_of_a_whole_build(
    tmp_path_factory: pytest.TempPathFactory, known_scripts: set[str], f: dict[str, str]
) -> None:
    assume(all(_clean(v) for v in f.values()))
    root = tmp_path_factory.mktemp("build")
    out = root / "out"
    # A hand-written page: its Markdown is the site's own, but the theme's header around it
    # shows site_name.
    _build(_write(root / "site", f, about="# About\n\nHand-written."), out)
    check_site(out, f, known_scripts)


# The exact inputs of the issue, and their neighbours.

SITE_NAMES = [
    "<img src=x onerror=alert(1)>",
    '"><img src=x onerror=alert(1)>',
    "A & B <Status>",
    "java&#115;cript: &amp; Co",
]


@pytest.mark.slow
@pytest.mark.parametrize("site_name", SITE_NAMES)
def test_site_name_and_names_from_mkdocs_yml_are_literal_everywhere(
    tmp_path: Path, known_scripts: set[str], site_name: str
) -> None:
    f = dict.fromkeys(FIELD_NAMES, "Plain words")
    f.update(
        site_name=site_name,
        component=f"API {site_name}",
        description=f"REST {site_name}",
        group=f"Core {site_name}",
        title="Errors in `Vec<u8>` parsing",
        message="We saw `<timeout>` errors; see [details](javascript:alert(1)). The rest.",
    )
    out = tmp_path / "out"
    _build(_write(tmp_path / "site", f, about="# About\n\nHand-written."), out)
    check_site(out, f, known_scripts)
    home = html5lib.parse((out / "index.html").read_text("utf-8"), namespaceHTMLElements=False)
    assert f"API {site_name}" in _text(home)
    assert f"Core {site_name}" in _text(home)
    component = html5lib.parse(
        (out / "components" / "api" / "index.html").read_text("utf-8"),
        namespaceHTMLElements=False,
    )
    assert _text(component.find(".//title")) == f"API {site_name} - {site_name}"
    about = html5lib.parse(
        (out / "about" / "index.html").read_text("utf-8"), namespaceHTMLElements=False
    )
    assert _text(about.find(".//title")) == f"About - {site_name}"


@pytest.mark.slow
@pytest.mark.parametrize(
    "title", ['"><img src=x onerror=alert(1)>', "Errors in `Vec<u8>` parsing", "A &amp; B"]
)
def test_a_title_is_literal_wherever_a_template_strips_its_tags(
    tmp_path: Path, known_scripts: set[str], title: str
) -> None:
    # Jinja's `striptags` unescapes; mkdocs-material's <title> and the feed link of Candor's
    # page template use it on the title.
    f = dict.fromkeys(FIELD_NAMES, "Plain words")
    f.update(title=title, maintenance=title)
    out = tmp_path / "out"
    _build(_write(tmp_path / "site", f), out)
    check_site(out, f, known_scripts)
    for page in ("incidents/2026-11-30-fuzz/index.html", "incidents/2026-11-25-move/index.html"):
        document = html5lib.parse((out / page).read_text("utf-8"), namespaceHTMLElements=False)
        feeds = [
            link.get("title") for link in document.iter("link") if link.get("href") == "feed.atom"
        ]
        assert feeds == [f"{title} (Atom)"]
