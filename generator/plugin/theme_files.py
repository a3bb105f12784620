"""The theme's static files as mkdocs finds them, kept: on every build mkdocs lists each
theme folder's every file and tests each name against a dozen patterns, and
mkdocs-material's icons make that 14,000 names, a tenth of a rebuild after one changed
incident and a fifth of `candor serve`'s."""

from __future__ import annotations

import contextlib
import json
import sysconfig
from collections.abc import Callable, Collection
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig

from generator.plugin import cache


class ThemeListing:
    """Kept for the folders of installed packages, which do not change while a site is built
    or served: in memory for the rebuilds of `candor serve`, and in the build cache (under
    the site's key, which covers mkdocs' and mkdocs-material's versions) for the next
    `candor build`. Any other theme folder (Candor's own in a working copy, a `custom_dir`)
    is listed again each time."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
        self._installed = [
            Path(sysconfig.get_paths()[name]).resolve() for name in ("purelib", "platlib")
        ]

    def keep(self, config: MkDocsConfig, store: cache.Store | None = None, site: str = "") -> None:
        """Make this build's theme list its files through this object; `store`, `site`: the
        build cache and the site's key, when there is one."""
        theme = config.theme
        make_env = theme.get_env

        def get_env() -> jinja2.Environment:
            env = make_env()
            listed = env.list_templates

            def list_templates(
                extensions: Collection[str] | None = None,
                filter_func: Callable[[str], bool] | None = None,
            ) -> list[str]:
                if extensions is not None or filter_func is None:
                    return listed(extensions, filter_func)
                found: set[str] = set()
                for folder in theme.dirs:
                    names = self._names(folder, filter_func, theme.static_templates, store, site)
                    found.update(names)
                return sorted(found)

            env.list_templates = list_templates  # type: ignore[method-assign]
            return env

        theme.get_env = get_env  # type: ignore[method-assign]

    def _names(
        self,
        folder: str,
        keep: Callable[[str], bool],
        static: Collection[str],
        store: cache.Store | None,
        site: str,
    ) -> list[str]:
        def listed() -> list[str]:
            return [name for name in jinja2.FileSystemLoader(folder).list_templates() if keep(name)]

        if not any(Path(folder).resolve().is_relative_to(p) for p in self._installed):
            return listed()
        # The test is mkdocs' own function, which reads nothing but the theme's static
        # templates (and mkdocs' version, in the site's key).
        entry = (folder, f"{keep.__module__}.{keep.__qualname__}", tuple(sorted(static)))
        names = self._kept.get(entry)
        if names is None:
            names = self._kept[entry] = self._stored(entry, listed, store, site)
        return names

    @staticmethod
    def _stored(
        entry: tuple[str, str, tuple[str, ...]],
        listed: Callable[[], list[str]],
        store: cache.Store | None,
        site: str,
    ) -> list[str]:
        if store is None or not site:
            return listed()
        key = cache.key(site, "theme-files", entry)
        with contextlib.suppress(ValueError):
            found = json.loads(store.get(key) or b"null")
            if isinstance(found, list) and all(isinstance(name, str) for name in found):
                return found
        names = listed()
        store.put(key, json.dumps(names).encode())
        return names
