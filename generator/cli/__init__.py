"""The `candor` command: a thin Click shell over the library's functions."""

from __future__ import annotations

import importlib

import click

from generator import __version__

# Each command's module is imported only when that command runs (or `--help` lists them):
# `candor check` need not load the build, feeds and notification code first.
COMMANDS = {
    "build": "generator.cli.site:build",
    "check": "generator.cli.check:check",
    "digest": "generator.cli.site:digest",
    "init": "generator.cli.init_site:init",
    "new": "generator.cli.authoring:new",
    "notify": "generator.cli.notify:notify",
    "postmortem": "generator.cli.authoring:postmortem",
    "resolve": "generator.cli.authoring:resolve",
    "serve": "generator.cli.site:serve",
    "status": "generator.cli.site:status",
    "templates": "generator.cli.authoring:templates",
    "update": "generator.cli.authoring:update",
}


class _Commands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module), name)
            assert isinstance(command, click.Command) and command.name == cmd_name
            self.add_command(command)
        return self.commands.get(cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="candor")
def main() -> None:
    """Candor: status pages and postmortems from incident files."""
