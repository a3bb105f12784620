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
