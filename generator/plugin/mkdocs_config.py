"""mkdocs' own validation of mkdocs.yml, the one `candor build` runs, with each failure placed
at file:line:col. `candor check` runs it too, so that what mkdocs refuses (a `custom_dir` that
is not there, a plugin or a Markdown extension that is not installed) is found in review
rather than by a build that stops at 3 a.m.

It loads neither the plugin nor the build: `candor check` stays quick (see
`_candor_stand_in`)."""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from typing import Any

from mkdocs.config.config_options import Plugins
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import BasePlugin
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from generator.core.config import Settings
from generator.core.errors import Problem
from generator.core.source import SourceMap

KeyPath = tuple[str | int, ...]
# mkdocs stops at the first setting it refuses; each further one is found by validating again
# without the settings already refused. At most this many: each costs a validation.
MOST = 8
_HINTS = {
    "plugins": "install the plugin (add it to requirements.txt and run `pip install -r "
    "requirements.txt`), or remove it from `plugins:`",
    "markdown_extensions": "install the package that provides the extension (add it to "
    "requirements.txt), fix its name, or remove it from `markdown_extensions:`",
    "custom_dir": "create the folder (it holds your template overrides), or remove "
    "`custom_dir` from `theme:`",
}
_HINT = "change the setting as mkdocs says (https://www.mkdocs.org/user-guide/configuration/)"


def validated(
    settings: Settings, overrides: dict[str, str]
) -> tuple[MkDocsConfig | None, list[Problem]]:
    """mkdocs' config of the site with `overrides` (as `mkdocs.config.load_config` makes it;
    None when mkdocs refuses it) and its problems: an error for each setting it refuses, and
    its warnings, which are errors under `strict: true` since mkdocs then aborts on them."""
    path = str(settings.config_path)
    first: MkDocsConfig | None = None
    refused: list[tuple[KeyPath, str]] = []
    warned: dict[tuple[str, str], None] = {}  # in order, once each
    dropped: set[KeyPath] = set()
    try:
        config = first = MkDocsConfig(config_file_path=path)
        with open(path, "rb") as fd:
            data = yaml_load(fd, get_yaml_loader(config=config))
        while True:
            config.load_dict(_without(data, dropped))  # a copy: mkdocs takes plugins apart
            config.load_dict(dict(overrides))
            errors, warnings = config.validate()
            warned.update(dict.fromkeys((key, str(w)) for key, w in warnings))
            found = []
            for key, error in errors:
                where = _offending(data, key, str(error))
                found.append((where, _message(where, key, error)))
            refused += found
            places = {where for where, _ in found}
            if not found or len(refused) >= MOST or () in places or places & dropped:
                break  # all found, enough found, or validating again would find the same
            dropped |= places
            config = MkDocsConfig(config_file_path=path)
    except Exception as exc:  # a plugin's own code runs here: whatever it raises
        refused.append(((), f"mkdocs cannot load the config: {_described(exc)}"))
    source = settings.source or SourceMap("")
    rel = settings.config_path.name
    problems = [_problem(rel, source, where, True, message) for where, message in refused]
    strict = first is not None and bool(first.get("strict"))
    problems += [
        _problem(
            rel,
            source,
            (key,),
            strict,
            f"mkdocs warns about `{key}`: {message}",
        )
        for key, message in warned
    ]
    refuses = any(p.severity == "error" for p in problems)
    return (None if refuses else first), problems


def check_problems(settings: Settings) -> list[Problem]:
    """What `candor build` would find in validating the config, for `candor check`."""
    with build_overrides(settings) as overrides, _candor_stand_in():
        return validated(settings, overrides)[1]


class _StandIn(BasePlugin):
    """Candor's plugin as `candor check` validates the config. mkdocs loads each plugin to
    validate its settings, and loading Candor's loads the whole build, most of what the check
    would cost; mkdocs has nothing to say about its settings (the plugin takes each as it is,
    plugin/site_config.py), which Candor validated before, with file:line:col errors."""

    supports_multiple_instances = False  # as the plugin: mkdocs warns about a second one

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[Any], list[Any]]:
        return [], []


@contextlib.contextmanager
def _candor_stand_in() -> Iterator[None]:
    """mkdocs' validation loads `_StandIn` for the `candor` plugin while this lasts."""
    option = dict(MkDocsConfig._schema).get("plugins")
    installed = option.installed_plugins if isinstance(option, Plugins) else None
    if installed is None or "candor" not in installed:
        yield  # not installed: mkdocs says so, as the build would
        return
    real = installed["candor"]
    installed["candor"] = EntryPoint("candor", f"{__name__}:_StandIn", real.group)
    try:
        yield
    finally:
        installed["candor"] = real


@contextlib.contextmanager
def build_overrides(settings: Settings) -> Iterator[dict[str, str]]:
    """The settings `candor build` gives mkdocs besides the file's (and `candor check` too,
    so that both validate the same): an empty docs_dir when the site has none. Git keeps no
    empty folders, so a site without hand-written pages has no docs_dir in a fresh clone,
    and mkdocs refuses a missing one; every page Candor makes is generated."""
    if settings.docs_dir.is_dir():
        yield {}
        return
    with tempfile.TemporaryDirectory() as empty:
        yield {"docs_dir": empty}


def _message(where: KeyPath, key: str, error: Exception) -> str:
    # `theme.custom_dir` rather than `theme`; a list's entry is named in mkdocs' words.
    setting = ".".join(str(part) for part in where[:2] if isinstance(part, str)) or key
    return f"mkdocs refuses `{setting}`: {' '.join(str(error).split())}"


def _described(exc: Exception) -> str:
    return (
        str(exc)
        if isinstance(exc, (ConfigurationError, OSError))
        else f"{type(exc).__name__}: {exc}"
    )


def _problem(rel: str, source: SourceMap, where: KeyPath, error: bool, message: str) -> Problem:
    line, column = source.key_pos(where) if where else (1, 1)
    hint = next((h for name, h in _HINTS.items() if name in where[:2]), _HINT)
    return Problem(
        rel, line, column, "error" if error else "warning", "mkdocs-config", message, hint
    )


def _offending(data: dict[str, Any], key: str, message: str) -> KeyPath:
    """The setting an error of mkdocs' about `key` is about: the entry of a list it names
    (`- minify` in `plugins:`), the key of a mapping it names (`custom_dir` in `theme:`), or
    else `key` itself; () when `key` is not in the file (a default mkdocs refuses)."""
    if key not in data:
        return ()
    value = data[key]
    if isinstance(value, list):
        for index, entry in enumerate(value):
            name = next(iter(entry), None) if isinstance(entry, dict) and entry else entry
            if isinstance(name, str) and re.search(rf"['\"]{re.escape(name)}['\"]", message):
                return (key, index, name) if isinstance(entry, dict) else (key, index)
    if isinstance(value, dict):
        for name in value:
            if isinstance(name, str) and re.search(rf"\b{re.escape(name)}\b", message):
                return (key, name)
    return (key,)


def _without(value: Any, dropped: set[KeyPath], path: KeyPath = ()) -> Any:
    """A copy of the mappings and lists of `value`, without the entries at `dropped`."""
    if isinstance(value, dict):
        return {
            k: _without(v, dropped, (*path, k))
            for k, v in value.items()
            if (*path, k) not in dropped
        }
    if isinstance(value, list):
        return [
            _without(v, dropped, (*path, i))
            for i, v in enumerate(value)
            if (*path, i) not in dropped and (*path, i, _name(v)) not in dropped
        ]
    return value


def _name(entry: Any) -> Any:
    return next(iter(entry), None) if isinstance(entry, dict) and entry else None
