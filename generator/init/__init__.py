"""`candor init`: a new site repository for a team, from the answers to four questions.

Everything is validated and rendered in memory first; only then is anything written, so a
refusal (a folder that is not empty, a bad answer) leaves the disk as it was. The files come
from `files/` in the package: `*.jinja` ones rendered with the answers, the others (the
workflows, whose `${{ }}` are GitHub's) copied as they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from generator import __version__
from generator.core.characters import NOT_TEXT, describe
from generator.core.config import site_url_problem, zone_name
from generator.core.errors import CandorError
from generator.core.model import COMPONENT_ID

FILES = resources.files(__package__) / "files"
# The name Candor is installed by (pyproject.toml's `name`; a test holds the two together):
# requirements.txt and the pre-commit hook of a new site pin it.
DISTRIBUTION = "candor-status"
TEMPLATE_SUFFIX = ".jinja"
# Dot-files are stored without their dot: packaging tools skip hidden files, and a `.github`
# folder inside the package would look like the package's own workflows.
DOTTED = frozenset({"github", "gitignore", "gitkeep", "pre-commit-config.yaml"})
# What a folder may already hold: a fresh `git init` or a clone of an empty repository.
ALLOWED_ENTRIES = frozenset({".git"})
_COMPONENT_ID = re.compile(COMPONENT_ID)
# Markdown that would turn a name into markup on the About page: the characters
# Python-Markdown lets a backslash escape (`<` and `&` it does not: they become entities).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+!])")


class InitError(CandorError):
    """An answer Candor cannot use, or a folder it will not write into (exit 1)."""


@dataclass(frozen=True)
class Component:
    id: str
    name: str


@dataclass(frozen=True)
class Answers:
    name: str
    url: str
    timezone: str = "UTC"
    components: tuple[Component, ...] = field(default_factory=tuple)

    @property
    def site_name(self) -> str:
        return f"{self.name} Status"


def _no_controls(option: str, text: str) -> str:
    """`text`, unless it holds a character `candor check` would refuse in mkdocs.yml."""
    found = NOT_TEXT.search(text)
    if found is not None:
        raise InitError(
            f"{option}: the text holds the control character {describe(found.group())} "
            "(a colour code or a stray key, perhaps); type it again without it"
        )
    return text


def check_name(value: str) -> str:
    name = _no_controls("--name", " ".join(value.split()))
    if not name:
        raise InitError("--name: give the name of your service, e.g. `Acme Cloud`")
    if len(name) > 80:
        raise InitError(f"--name: `{name[:40]}…` is longer than 80 characters; shorten it")
    # "Acme Status" as the name would make "Acme Status Status" the site's name.
    if name.lower().endswith(" status"):
        name = name[: -len(" status")].rstrip()
    return name


def check_url(value: str) -> str:
    url = value.strip()
    wrong = site_url_problem(url)
    if wrong is not None:
        raise InitError(
            f"--url: `{url}` is not usable as the site's address: {wrong}; write the address "
            "the page will be served at, e.g. `https://status.acme.com/` or "
            "`https://OWNER.github.io/REPO/`"
        )
    return url.rstrip("/") + "/"


def check_timezone(value: str) -> str:
    try:
        return zone_name(value.strip())
    except ValueError as exc:
        raise InitError(f"--timezone: {exc}") from None


def parse_component(value: str) -> Component:
    """`ID=NAME`, as `--component` takes it."""
    ident, sep, name = value.partition("=")
    ident, name = ident.strip(), _no_controls("--component", " ".join(name.split()))
    if not sep or not name:
        raise InitError(f"--component: `{value}` has no name; write ID=NAME, e.g. `api=Public API`")
    if not _COMPONENT_ID.fullmatch(ident):
        raise InitError(
            f"--component: the id `{ident}` may hold only lower-case letters, digits and "
            "hyphens, starting with a letter or digit, e.g. `api` or `web-app`"
        )
    return Component(ident, name)


def check_components(components: list[Component]) -> tuple[Component, ...]:
    if not components:
        raise InitError(
            "--component: name at least one component your customers use, "
            "e.g. `--component api='Public API'`"
        )
    seen: set[str] = set()
    for component in components:
        if component.id in seen:
            raise InitError(
                f"--component: the id `{component.id}` is given twice; each needs its own id"
            )
        seen.add(component.id)
    return tuple(components)


def refusal(target: Path) -> str | None:
    """Why `target` cannot take a new site, or None when it can."""
    if target.exists() and not target.is_dir():
        return f"{target} exists and is not a folder; choose a new folder's name"
    if not target.exists():
        return None
    present = sorted(p.name for p in target.iterdir() if p.name not in ALLOWED_ENTRIES)
    if not present:
        return None
    shown = ", ".join(present[:5]) + (", …" if len(present) > 5 else "")
    return (
        f"{target} is not empty ({shown}); candor init writes only into an empty folder "
        "(or one holding just .git), so that nothing of yours is overwritten. "
        "Choose a new folder, e.g. `candor init my-status`"
    )


def render(answers: Answers) -> dict[str, str]:
    """Every file of the new site, by its path relative to the site's folder."""
    env = Environment(
        # The files are YAML and Markdown, never HTML: each value goes through the filter
        # that quotes it for the place it lands in (`yaml`, `md`), rather than HTML escaping.
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["yaml"] = _yaml_scalar
    env.filters["md"] = _markdown_text
    values = {"answers": answers, "version": __version__, "distribution": DISTRIBUTION}
    out: dict[str, str] = {}
    for rel, source in _package_files(FILES, ""):
        text = source.read_text(encoding="utf-8")
        if rel.endswith(TEMPLATE_SUFFIX):
            rel = rel.removesuffix(TEMPLATE_SUFFIX)
            text = env.from_string(text).render(values)
        out[_renamed(rel)] = text
    return out


def create_site(target: Path, answers: Answers) -> list[str]:
    """Write the new site into `target` (created when missing); the paths written."""
    why = refusal(target)
    if why is not None:
        raise InitError(why)
    files = render(answers)
    target.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return sorted(files)


def _package_files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _package_files(entry, rel + "/")
        else:
            found.append((rel, entry))
    return found


def _renamed(rel: str) -> str:
    return "/".join(f".{part}" if part in DOTTED else part for part in rel.split("/"))


def _yaml_scalar(value: object) -> str:
    # A JSON string is a valid double-quoted YAML scalar: quotes, colons, `#` and non-ASCII
    # text stay the literal text they are.
    return json.dumps(str(value), ensure_ascii=False)


def _markdown_text(value: object) -> str:
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
