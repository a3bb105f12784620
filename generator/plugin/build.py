"""`candor build`: mkdocs builds into a fresh folder beside the output, and the writer swaps it
into place only when the build succeeded, so a failed build leaves the previous site untouched.
The staging folder stays locked while the build runs; what killed builds left beside the
output is removed first (see core/workfiles.py).

With the build cache on, the staging folder is the site the last build replaced (the spare,
plugin/reuse.py) rather than an empty one, and the build writes only the files that differ
from it; the site it replaces becomes the next spare."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core import workfiles
from generator.core.cache import cache_dir
from generator.core.characters import inert
from generator.core.config import Settings, load_settings
from generator.core.errors import CandorError, ConfigError, Problem
from generator.core.load import ENCODING_HINT
from generator.core.outputdir import contents_problem, overlap_problem, source_folders
from generator.outputs import urls
from generator.outputs.digest import digest_artifact, file_sum, file_sums
from generator.outputs.writer import clean_stale_staging, staging_prefix, swap, write_artifacts
from generator.plugin.reuse import QUIET_DIRTY_BUILD, Reuse, Spare

if TYPE_CHECKING:
    from generator.plugin.candor import CandorPlugin


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
    settings = load_settings(config_path)  # config problems reported the Candor way
    target = (out if out is not None else settings.site_dir).absolute()
    if target.exists() and not target.is_dir():
        raise CandorError(f"cannot build into {target}: it is a file; choose a folder with --out")
    folder = cache_dir(settings.config_path)
    _refuse_to_replace(settings, out, target, folder)
    spare = Spare(folder, target) if folder is not None else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(target)
        prefix = staging_prefix(target)
        taken = spare.take(target.parent, prefix) if spare is not None else None
        work = taken or workfiles.new_folder(target.parent, prefix)
    except OSError as exc:
        raise CandorError(f"cannot build into {target}: {exc.strerror or exc}") from None
    try:
        plugin = _build_into(settings, work.path, now, preview, spare)
        # Last: the digest covers every file the build wrote. Those the build kept are known.
        sums = file_sums(work.path, spare.kept_files() if spare is not None else None)
        write_artifacts(work.path, digest_artifact(work.path, sums))
        os.chmod(work.path, 0o755)  # mkdtemp makes it private; a published site is not
        if plugin is not None and plugin.reuse is not None and plugin.cache is not None:
            assert spare is not None
            sums[urls.DIGEST] = file_sum(work.path / urls.DIGEST)
            plugin.cache.put(spare.key, spare.entry(plugin.reuse.record(sums)))
        swap(work.path, target, spare.put_aside if spare is not None else None)
    except OSError as exc:
        raise CandorError(f"cannot replace {target}: {exc.strerror or exc}") from None
    finally:
        work.release()
        if work.path.exists():
            shutil.rmtree(work.path, ignore_errors=True)
    return target


def _refuse_to_replace(
    settings: Settings, out: Path | None, target: Path, cache: Path | None
) -> None:
    """Stop before anything is moved when the output folder holds what a build must not
    replace (core/outputdir.py): named as `--out` was given, or at `site_dir` in mkdocs.yml."""
    sources = source_folders(settings)
    if cache is not None:
        sources.append(("the build cache folder", cache))
    # As the user wrote it: `--out` as given, `site_dir` from the folder of mkdocs.yml.
    shown = out if out is not None else Path(os.path.relpath(target, settings.root))
    wrong = overlap_problem(target, shown, settings.root, sources)
    wrong = wrong or contents_problem(target, shown)
    if wrong is None:
        return
    if out is not None:
        raise CandorError(f"--out {out}: {wrong[0]}\n    hint: {wrong[1]}")
    line, col = settings.source.value_pos(("site_dir",)) if settings.source else (1, 1)
    name = settings.config_path.name
    raise ConfigError([Problem(name, line, col, "error", "config", wrong[0], wrong[1])])


def _build_into(
    settings: Settings, staging: Path, now: str | None, preview: bool, spare: Spare | None
) -> CandorPlugin | None:
    """Build into `staging`; the Candor plugin that did, if the site has one."""
    # Imported here so that `candor check` does not pay for loading mkdocs' build.
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from generator.plugin.mkdocs_config import build_overrides, validated

    _quiet_mkdocs_logging()
    with build_overrides(settings) as overrides:
        try:
            # mkdocs' own validation, its failures placed in mkdocs.yml as `candor check`
            # shows them.
            config, problems = validated(settings, {**overrides, "site_dir": str(staging)})
            if config is None:
                raise ConfigError(problems)
            for problem in problems:
                logging.getLogger("mkdocs.config").warning(inert(str(problem)))
            plugin = config.plugins.get("candor")
            # mkdocs keeps a plugin between builds in one process: this build is not `serve`'s.
            config.plugins.on_startup(command="build", dirty=False)
            if plugin is None:
                build(config)
                return None
            plugin.now = now
            plugin.preview = preview
            # Dirty: mkdocs builds every page but those the plugin finds in its cache, which
            # it writes itself, without mkdocs' work for each page, and only when the spare
            # does not hold them already.
            plugin.direct = True
            plugin.spare = spare
            plugin.reuse = Reuse() if spare is not None else None
            try:
                build(config, dirty=True)
            finally:
                plugin.direct = False
            return plugin
        except CandorError:
            raise
        except MkDocsException as exc:
            raise CandorError(exc.format_message()) from None
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise CandorError(f"the build failed: {exc.strerror or exc}{where}") from None
        except Exception as exc:  # a theme's or a plugin's own code runs here
            raise _failure(exc, settings.root) from None


def _failure(exc: Exception, root: Path) -> CandorError:
    """What mkdocs raised, said without a traceback; mkdocs logs the page it was at, where it
    knows it."""
    from jinja2 import TemplateSyntaxError

    if isinstance(exc, UnicodeDecodeError):
        return CandorError(
            f"the build failed: a file mkdocs reads is not UTF-8 (byte "
            f"0x{exc.object[exc.start]:02x} at offset {exc.start}; the error above names the "
            f"file)\n    hint: {ENCODING_HINT}"
        )
    if isinstance(exc, TemplateSyntaxError):
        name = exc.filename or exc.name or "a template"
        with contextlib.suppress(ValueError):
            name = Path(name).relative_to(root).as_posix()
        return CandorError(
            f"{name}:{exc.lineno}:1: error: {exc.message or exc}\n    hint: fix the template; "
            "the theme cannot render a page until then"
        )
    return CandorError(
        f"the build failed: {type(exc).__name__}: {exc}\n    hint: the error above may name "
        "the page or template at fault; if none does, report this message as a bug"
    )
