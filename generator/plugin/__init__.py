"""The mkdocs side of Candor: the `candor` plugin (candor.py), the build it drives (build.py)
and what only they use. The package itself loads nothing: mkdocs finds the plugin as
`generator.plugin:CandorPlugin` (the entry point), which loads it on first use, while
`candor check` reads mkdocs' own validation of mkdocs.yml (mkdocs_config.py) without loading
the build."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.plugin.candor import CandorPlugin
    from generator.plugin.site_config import CandorPluginConfig

__all__ = ["CandorPlugin", "CandorPluginConfig"]


def __getattr__(name: str) -> Any:
    if name == "CandorPlugin":
        from generator.plugin.candor import CandorPlugin

        return CandorPlugin
    if name == "CandorPluginConfig":
        from generator.plugin.site_config import CandorPluginConfig

        return CandorPluginConfig
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
