"""The languages of a site: those Candor's own words come in, and those mkdocs-material can
build (`theme.language`), judged before the theme is loaded."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path
from typing import Any

from generator.core.errors import Problem
from generator.core.source import SourceMap

# The languages the site's own words come in; a theme language outside them shows English.
LANGUAGES = ("en", "ja")


def base_language(tag: str) -> str:
    """`ja` of `ja_JP` or `ja-JP`: the language Candor's words are looked up by."""
    return tag.replace("-", "_").split("_")[0]


def material_languages(custom_dir: Path | None = None) -> list[str]:
    """The `theme.language` values mkdocs-material can build: one partial per language, in
    its templates or in the site's `custom_dir` (found without importing the theme)."""
    folders = [custom_dir / "partials" / "languages"] if custom_dir else []
    spec = importlib.util.find_spec("material")
    for location in (spec.submodule_search_locations or []) if spec else []:
        folders.append(Path(location) / "templates" / "partials" / "languages")
    return sorted({p.stem for folder in folders if folder.is_dir() for p in folder.glob("*.html")})


def theme_language_problems(
    data: dict[str, Any], source: SourceMap, rel: str, root: Path
) -> list[Problem]:
    """A language mkdocs-material has no words for stops its build: check says so first."""
    theme = data.get("theme")
    if not isinstance(theme, dict) or theme.get("name") != "material":
        return []
    language = theme.get("language")
    if language is None:
        return []
    custom = theme.get("custom_dir")
    known = material_languages(root / custom if isinstance(custom, str) else None)
    if not known or str(language) in known:
        return []
    # `en_GB` and `EN` are spelt as mkdocs-material's files are: `en`.
    spelt = str(language).replace("_", "-").lower()
    close = [k for k in known if k.lower() == spelt]
    close = close or [k for k in known if k.lower() == spelt.split("-")[0]]
    close = close or difflib.get_close_matches(str(language), known, n=1, cutoff=0.6)
    return [
        Problem(
            rel,
            *source.value_pos(("theme", "language")),
            "error",
            "config",
            f"`theme.language` is `{language}`, which mkdocs-material cannot build",
            (f"did you mean `{close[0]}`? " if close else "")
            + f"Candor's own words come in {' and '.join(LANGUAGES)} (any other language "
            f"shows them in English); mkdocs-material knows: {', '.join(known)}.",
        )
    ]
