"""mkdocs.yml → Settings: the site keys Candor needs and its own `candor` section, validated
once, in one place, with file:line:col errors. The CLI and the mkdocs plugin both use it."""

from __future__ import annotations

import difflib
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field, ValidationError, model_validator

from generator.core import times
from generator.core.channels import CHANNEL_MODELS, Channel, channel_problems, unique_channel_names
from generator.core.characters import describe, raw_controls
from generator.core.errors import ConfigError, Problem
from generator.core.folders import incidents_dir_problem
from generator.core.languages import LANGUAGES, base_language, theme_language_problems
from generator.core.load import CONTROL_HINT, MAX_CONTROLS
from generator.core.model import (
    RULE_IDS,
    ComponentId,
    Duration,
    Impact,
    Strict,
    SwitchableRule,
    Text,
)
from generator.core.outputdir import overlap_problem, source_folders
from generator.core.source import SourceError, SourceMap, compose, escaped_control_characters
from generator.core.validation import field_name, translate

REQUIRED_DEFAULT: tuple[Impact, ...] = ("major", "critical")
IMPACT_LIST = "a list of impacts, e.g. `[major, critical]`"
DURATIONS = "a list of durations, e.g. `[24h, 1h]`"


def _unique_component_ids(components: list[Component]) -> list[Component]:
    seen: set[str] = set()
    for index, component in enumerate(components):
        if component.id in seen:
            raise ValueError(f"component id `{component.id}` is used twice (entry {index + 1})")
        seen.add(component.id)
    return components


def zone_name(name: str) -> str:
    """`name` when it is an IANA time zone name; else ValueError with the closest one."""
    try:
        times.zone(name)
    except ValueError:
        close = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones()), n=1)
        hint = f"did you mean `{close[0]}`? " if close else ""
        raise ValueError(
            f"`{name}` is not an IANA time zone name; "
            f"{hint}Use a name such as UTC, Europe/Berlin or Asia/Tokyo."
        ) from None
    return name


class Component(Strict):
    id: ComponentId
    name: Text
    description: str | None = None
    group: str | None = None


class CandorConfig(Strict):
    """The `candor` plugin section of mkdocs.yml."""

    incidents_dir: str = "incidents"
    templates_dir: str = "templates"  # `candor new --template NAME`; never read as incidents
    timezone: Annotated[str, AfterValidator(zone_name)] = "UTC"
    uptime_days: int = Field(default=90, ge=1, le=3650)
    feed_entries: int = Field(default=50, ge=1)
    stale_after: Duration = timedelta(minutes=60)
    postmortem_within: Duration = timedelta(hours=24)
    postmortem_required_for: list[Impact] = Field(
        default_factory=lambda: list(REQUIRED_DEFAULT), description=IMPACT_LIST
    )
    first_update_within: Duration = timedelta(minutes=15)
    # Communication rules switched off for every file (a file can add its own `ignore:`).
    ignore: list[SwitchableRule] = Field(default_factory=list, description=RULE_IDS)
    components: Annotated[list[Component], AfterValidator(_unique_component_ids)] = Field(
        default_factory=list, description="a list of components, each `- id: …` with its `name:`"
    )
    # `candor notify`: where each new update goes, and maintenance reminders before a window.
    notify: Annotated[list[Channel], AfterValidator(unique_channel_names)] = Field(
        default_factory=list, description="a list of channels, each `- type: …` with its settings"
    )
    remind_before: list[Duration] = Field(default_factory=list, description=DURATIONS)
    # The site's own words, replaced key by key (`home.subscribe: Follow us`), in the site's
    # language; the keys and their `{placeholders}` are checked against the catalogue.
    labels: dict[str, Text] = Field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return times.zone(self.timezone)

    @model_validator(mode="after")
    def _templates_apart(self) -> CandorConfig:
        incidents, templates = (
            PurePosixPath(d.replace("\\", "/")) for d in (self.incidents_dir, self.templates_dir)
        )
        if not self.incidents_dir.strip():
            return self  # an empty incidents_dir is reported as such (see folders.py)
        if incidents == templates or incidents in templates.parents:
            raise ValueError(
                f"`templates_dir` ({self.templates_dir}) is inside `incidents_dir` "
                f"({self.incidents_dir}): templates would be read as incidents; "
                "keep them in a folder of their own, e.g. `templates_dir: templates`"
            )
        return self

    def component(self, component_id: str) -> Component | None:
        return next((c for c in self.components if c.id == component_id), None)


@dataclass(frozen=True)
class Settings:
    config_path: Path
    root: Path  # the config's folder: incident paths and problem file names are relative to it
    site_name: str
    site_url: str  # absolute, ending in "/"
    language: str  # "en" or "ja"; other theme languages fall back to English labels
    site_dir: Path
    docs_dir: Path
    candor: CandorConfig
    custom_dir: Path | None = None  # the theme's overrides (`theme.custom_dir`)
    # The preview of a pull request (`candor build --preview`): pages link files, not
    # folders, and each says it is a preview.
    preview: bool = False
    # Where each value stands in mkdocs.yml, for problems found after loading (read once).
    source: SourceMap | None = field(default=None, repr=False, compare=False)
    theme_language: str = "en"  # as mkdocs.yml writes it: the pages' `lang`

    @property
    def tz(self) -> ZoneInfo:
        return times.zone(self.candor.timezone)

    @property
    def incidents_dir(self) -> Path:
        return self.root / self.candor.incidents_dir

    @property
    def templates_dir(self) -> Path:
        return self.root / self.candor.templates_dir

    @property
    def host(self) -> str:
        return urlsplit(self.site_url).hostname or "localhost"


def load_settings(config_path: Path | str) -> Settings:
    path = Path(config_path).absolute()
    rel = path.name

    def fail(message: str, hint: str, pos: tuple[int, int] | None = None) -> ConfigError:
        line, col = pos if pos else (None, None)
        return ConfigError([Problem(rel, line, col, "error", "config", message, hint)])

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(
            f"no config file at {path}",
            "run Candor in the folder that holds mkdocs.yml, or pass --config PATH",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read the config: {exc}", "save mkdocs.yml as UTF-8 text") from None
    raw_found = raw_controls(text)
    if raw_found:
        # YAML refuses these characters itself: as in an incident file, they stand alone.
        where = SourceMap(text)
        raise ConfigError(
            [
                Problem(
                    rel,
                    *where.line_col(offset),
                    "error",
                    "control-character",
                    f"the file holds the control character {describe(char)}",
                    CONTROL_HINT,
                )
                for offset, char in raw_found[:MAX_CONTROLS]
            ]
        )
    try:
        data, source = compose(text, allow_tags=True)
    except SourceError as exc:
        line, col = SourceMap(text).line_col(exc.index) if exc.index is not None else (None, None)
        problem = Problem(rel, line, col, "error", exc.rule, exc.message, exc.hint)
        raise ConfigError([problem]) from None
    if not isinstance(data, dict):
        raise fail("mkdocs.yml must be a mapping of settings", "start with `site_name:`", (1, 1))

    # Every problem of the config at once: a fix-one-see-the-next loop is slow at 3 a.m.
    problems = [
        Problem(
            rel,
            *place,
            "error",
            "control-character",
            f"`{field_name(path)}` holds the control character {describe(char)}, "
            f"written as `{written}`",
            CONTROL_HINT,
        )
        for path, place, written, char in escaped_control_characters(data, source)
    ][:MAX_CONTROLS]
    problems += _site_url_problems(data, source, rel)
    problems += theme_language_problems(data, source, rel, path.parent)
    section, section_path = candor_section(data)
    if section_path is None:
        problems.append(
            Problem(
                rel,
                *(source.key_pos(("plugins",)) if "plugins" in data else (1, 1)),
                "error",
                "config",
                "the `candor` plugin is not listed under `plugins:`",
                "add `- candor` (with its settings) under `plugins:` in mkdocs.yml",
            )
        )
        raise ConfigError(problems)
    if section is not None and not isinstance(section, dict):
        problems.append(
            Problem(
                rel,
                *source.value_pos(section_path),
                "error",
                "config",
                "the `candor` plugin settings must be a mapping of `key: value` lines",
                "indent the settings under `- candor:`, e.g. `timezone: UTC`",
            )
        )
        raise ConfigError(problems)
    problems += _duplicate_components(section or {}, source, section_path, rel)
    problems += channel_problems(section or {}, source, section_path, rel)
    try:
        candor = CandorConfig.model_validate(section or {})
    except ValidationError as exc:
        found = translate(
            exc,
            section or {},
            _Shifted(source, section_path),
            rel,
            (CandorConfig,),
            tags=CHANNEL_MODELS,
        )
        # The model's own duplicate check has no exact place; ours points at the second id.
        problems += [
            p
            for p in found
            if not any(
                own in p.message for own in ("is used twice", "`type` must be", "are called")
            )
        ]
    else:
        problems += _folder_problems(candor, section or {}, source, section_path, path.parent, rel)
    if problems:
        raise ConfigError(problems)
    site_url = str(data["site_url"])
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    theme_language = str((theme or {}).get("language") or "en")
    language = base_language(theme_language)
    root = path.parent
    site_dir = Path(str(data.get("site_dir") or "site"))  # as written: errors name it so
    custom = (theme or {}).get("custom_dir")
    settings = Settings(
        config_path=path,
        root=root,
        site_name=str(data.get("site_name") or "Status"),
        site_url=site_url.strip().rstrip("/") + "/",
        language=language if language in LANGUAGES else "en",
        site_dir=root / site_dir,
        docs_dir=root / str(data.get("docs_dir") or "docs"),
        candor=candor,
        custom_dir=root / custom if isinstance(custom, str) and custom.strip() else None,
        source=source,
        theme_language=theme_language,
    )
    # A build replaces its output folder whole: `site_dir: incidents` would delete them.
    wrong = overlap_problem(settings.site_dir, site_dir, root, source_folders(settings))
    if wrong is not None:
        raise fail(*wrong, source.value_pos(("site_dir",)))
    return settings


def _folder_problems(
    candor: CandorConfig,
    section: dict[str, Any],
    source: SourceMap,
    section_path: tuple[str | int, ...],
    root: Path,
    rel: str,
) -> list[Problem]:
    """The incidents folder must be there (an empty one is fine: a new site has no incidents)
    and a site must have a component: either mistake would publish "All Systems Operational"
    over nothing."""
    problems = []
    wrong = incidents_dir_problem(root, candor.incidents_dir)
    if wrong is not None:
        where = (*section_path, "incidents_dir") if "incidents_dir" in section else section_path
        problems.append(Problem(rel, *source.value_pos(where), "error", "config", *wrong))
    if "components" in section and not candor.components:
        problems.append(
            Problem(
                rel,
                *source.value_pos((*section_path, "components")),
                "error",
                "config",
                "`components` is empty; the page would show nothing to be operational",
                "list what your customers use, e.g. `components: [{id: api, name: Public API}]`",
            )
        )
    return problems


def _site_url_problems(data: dict[str, Any], source: SourceMap, rel: str) -> list[Problem]:
    site_url = data.get("site_url")
    if not isinstance(site_url, str) or not site_url.strip():
        return [
            Problem(
                rel,
                *(source.key_pos(("site_url",)) if "site_url" in data else (1, 1)),
                "error",
                "config",
                "`site_url` is missing; feeds, the API and calendar links need absolute URLs",
                "add `site_url: https://status.example.com/` to mkdocs.yml",
            )
        ]
    wrong = site_url_problem(site_url.strip())
    if wrong is None:
        return []
    hint = (
        "write it in full, e.g. `https://status.example.com/`"
        if wrong == NOT_ABSOLUTE
        else "write the address the site is served at, e.g. `https://status.example.com/` "
        "or `https://owner.github.io/repo/`"
    )
    return [
        Problem(
            rel,
            *source.value_pos(("site_url",)),
            "error",
            "config",
            f"`site_url` is `{site_url}`; {wrong}",
            hint,
        )
    ]


# What a site_url may be: http(s), a host (ASCII letters, digits, hyphens, dots; or an IPv6
# address in brackets), an optional port and a path of URL characters. Every feed, API link
# and page header uses it verbatim, so nothing that could end an attribute or start a tag
# (quotes, spaces, angle brackets, backslashes) is let through, nor credentials, a query or a
# fragment, which make no sense in the base of every URL of the site.
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?)+|\[[0-9A-Fa-f:.]+\]")
NOT_ABSOLUTE = "it must be an absolute http(s) URL"
_PATH = re.compile(r"(?:[A-Za-z0-9._~!$()*+,;=:@/-]|%[0-9A-Fa-f]{2})*")


def site_url_problem(url: str) -> str | None:
    """What is wrong with `url` as a site_url, or None."""
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("http", "https") or not rest:
        return NOT_ABSOLUTE
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        return "it must not hold a user name or password"
    if "?" in url or "#" in url:
        return "it must not have a query (`?…`) or fragment (`#…`)"
    host, port = authority, ""
    if ":" in authority and not authority.endswith("]"):
        host, _, port = authority.rpartition(":")
    if not host or not _HOST.fullmatch(host) or host.startswith("."):
        return (
            "its host must be a domain name (ASCII letters, digits, hyphens and dots; an "
            "international name in its `xn--` form) or an IP address"
        )
    if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        return "its port must be a number from 1 to 65535"
    if not _PATH.fullmatch(slash + path):
        bad = next((c for c in path if not _PATH.fullmatch(c) and c != "%"), None)
        if bad is None:
            return "a `%` in its path must start an escape such as `%20`"
        return f"`{bad}` does not belong in a URL path; percent-encode it or leave it out"
    return None


def _duplicate_components(
    section: dict[str, Any], source: SourceMap, prefix: tuple[str | int, ...], rel: str
) -> list[Problem]:
    components = section.get("components")
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, entry in enumerate(components if isinstance(components, list) else []):
        component_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(component_id, str):
            continue
        if component_id in first:
            line, column = source.value_pos((*prefix, "components", index, "id"))
            earlier, _ = source.value_pos((*prefix, "components", first[component_id], "id"))
            problems.append(
                Problem(
                    rel,
                    line,
                    column,
                    "error",
                    "duplicate-component",
                    f"component id `{component_id}` is used twice (first on line {earlier})",
                    "give every component its own id; pages and API URLs are built from it",
                )
            )
        else:
            first[component_id] = index
    return problems


def candor_section(data: dict[str, Any]) -> tuple[Any, tuple[str | int, ...] | None]:
    """The `candor` plugin's settings in mkdocs.yml's data, and the key path to them."""
    plugins = data.get("plugins")
    if isinstance(plugins, dict):  # mkdocs also accepts plugins as a mapping
        if "candor" in plugins:
            return plugins["candor"], ("plugins", "candor")
        return None, None
    for index, entry in enumerate(plugins or []):
        if entry == "candor":
            return {}, ("plugins", index)
        if isinstance(entry, dict) and "candor" in entry:
            return entry["candor"], ("plugins", index, "candor")
    return None, None


class _Shifted(SourceMap):
    """A view of the mkdocs.yml source map rooted at the `candor` section."""

    def __init__(self, source: SourceMap, prefix: tuple[str | int, ...]) -> None:
        super().__init__(source.text)
        self.values = {
            k[len(prefix) :]: v for k, v in source.values.items() if k[: len(prefix)] == prefix
        }
        self.keys = {
            k[len(prefix) :]: v for k, v in source.keys.items() if k[: len(prefix)] == prefix
        }

    def mapping_pos(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        return self.value_pos(path)
