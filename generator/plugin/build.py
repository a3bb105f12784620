"""`candor build`: mkdocs builds into a fresh folder beside the output, and the writer swaps it
into place only when the build succeeded, so a failed build leaves the previous site untouched.
The staging folder stays locked while the build runs; what killed builds left beside the
output is removed first (see core/workfiles.py)."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generator.core import workfiles
from generator.core.errors import CandorError
from generator.outputs.digest import digest_artifact
from generator.outputs.writer import clean_stale_staging, staging_prefix, swap, write_artifacts
from generator.plugin.serving import QUIET_DIRTY_BUILD


def _quiet_mkdocs_logging() -> None:
    """Show mkdocs' warnings and errors (not its info chatter) when run outside its CLI."""
    logger = logging.getLogger("mkdocs")
    if not any(isinstance(h, logging.StreamHandler) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
    logging.getLogger("mkdocs.commands.build").addFilter(QUIET_DIRTY_BUILD)


def build_site(
    config_path: Path, out: Path | None = None, now: str | None = None, preview: bool = False
) -> Path:
    """Build the site of `config_path` into `out` (default: its site_dir); return `out`."""
    from generator.core.config import load_settings

    settings = load_settings(config_path)  # config problems reported the Candor way
    target = (out if out is not None else settings.site_dir).absolute()
    if target.exists() and not target.is_dir():
        raise CandorError(f"cannot build into {target}: it is a file; choose a folder with --out")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(target)
        work = workfiles.new_folder(target.parent, staging_prefix(target))
    except OSError as exc:
        raise CandorError(f"cannot build into {target}: {exc.strerror or exc}") from None
    try:
        _build_into(settings.config_path, settings.docs_dir, work.path, now, preview)
        # Last: the digest covers every file the build wrote.
        write_artifacts(work.path, digest_artifact(work.path))
        os.chmod(work.path, 0o755)  # mkdtemp makes it private; a published site is not
        swap(work.path, target)
    except OSError as exc:
        raise CandorError(f"cannot replace {target}: {exc.strerror or exc}") from None
    finally:
        work.release()
        if work.path.exists():
            shutil.rmtree(work.path, ignore_errors=True)
    return target


def _build_into(
    config_path: Path, docs_dir: Path, staging: Path, now: str | None, preview: bool
) -> None:
    # Imported here so that `candor check` does not pay for loading mkdocs.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _quiet_mkdocs_logging()
    overrides = {"site_dir": str(staging)}
    # Git keeps no empty folders: a site without hand-written pages has no docs_dir in a
    # fresh clone, and mkdocs refuses a missing one. Every page Candor makes is generated.
    empty_docs = None if docs_dir.is_dir() else tempfile.TemporaryDirectory()
    if empty_docs is not None:
        overrides["docs_dir"] = empty_docs.name
    try:
        config = load_config(str(config_path), **overrides)
        plugin = config.plugins.get("candor")
        # mkdocs keeps a plugin between builds in one process: this build is not `serve`'s.
        config.plugins.on_startup(command="build", dirty=False)
        if plugin is None:
            build(config)
            return
        plugin.now = now
        plugin.preview = preview
        # Dirty, into an empty folder: mkdocs builds every page but those the plugin finds
        # in its cache, which it writes itself, without mkdocs' work for each page.
        plugin.direct = True
        try:
            build(config, dirty=True)
        finally:
            plugin.direct = False
    except MkDocsException as exc:
        raise CandorError(exc.format_message()) from None
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise CandorError(f"the build failed: {exc.strerror or exc}{where}") from None
    finally:
        if empty_docs is not None:
            empty_docs.cleanup()
