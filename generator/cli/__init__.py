"""The `candor` command: a thin Click shell over the library's functions."""

from __future__ import annotations

import click

from generator import __version__
from generator.cli import authoring, check, site
from generator.cli.init_site import init
from generator.cli.notify import notify


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="candor")
def main() -> None:
    """Candor: status pages and postmortems from incident files."""


for command in (*authoring.COMMANDS, check.check, notify, *site.COMMANDS, init):
    main.add_command(command)
