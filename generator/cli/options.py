"""Options every `candor` command shares, defined once."""

from __future__ import annotations

from pathlib import Path

import click

CONFIG = click.option(
    "--config",
    "config_path",
    default="mkdocs.yml",
    show_default=True,
    is_eager=True,  # read first, so completion of ids and components can use it
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml; incident paths are relative to its folder.",
)
NOW = click.option(
    "--now",
    metavar="T",
    default=None,
    help="Pretend it is this moment (ISO 8601); default: $CANDOR_NOW, else the clock.",
)


def append(path: str, text: str) -> None:
    """Add `text` to a file a workflow reads afterwards ($GITHUB_OUTPUT, the job summary)."""
    try:
        with open(path, "a", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
