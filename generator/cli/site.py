"""`candor build`, `serve` and `status`: the site and the derived state, from the terminal."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from generator.cli.options import CONFIG, NOW, append
from generator.core.characters import inert
from generator.core.config import load_settings
from generator.core.project import NOW_ENV, load_project, resolve_now
from generator.outputs import urls
from generator.outputs.digest import site_digest
from generator.outputs.terminal import status_text


@click.command()
@CONFIG
@NOW
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: site_dir of mkdocs.yml, i.e. site/).",
)
@click.option(
    "--preview",
    is_flag=True,
    help="A preview to open from a folder: links name index.html, and every page says it "
    "is a preview of a pull request. Never publish it.",
)
def build(config_path: Path, now: str | None, out: Path | None, preview: bool) -> None:
    """Build the site; the previous output stays untouched unless the build succeeds."""
    from generator.plugin.build import build_site

    target = build_site(config_path, out, now, preview=preview)
    click.echo(inert(f"Built the {'preview' if preview else 'site'} into {target}"))


@click.command()
@CONFIG
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built site (default: site_dir, i.e. site/).",
)
@click.option(
    "--live",
    metavar="URL",
    default=None,
    help="Compare with the site published there (default: site_url).",
)
@click.option(
    "--github-output",
    "output_path",
    default=None,
    help='Append `deploy=true` or `deploy=false` (e.g. "$GITHUB_OUTPUT").',
)
def digest(
    config_path: Path, site_dir: Path | None, live: str | None, output_path: str | None
) -> None:
    """Say whether the built site differs from the live one (the digest both publish)."""
    settings = load_settings(config_path)
    site = site_dir if site_dir is not None else settings.site_dir
    if not (site / urls.DIGEST).is_file():
        raise click.ClickException(f"no {urls.DIGEST} in {site}: run `candor build` first")
    built = site_digest(site)
    from generator.notify.previous import live_digest  # a build need not load the fetching

    where = live or settings.site_url
    found, why = live_digest(where)
    deploy = found != built
    click.echo(f"built site:  {built}")
    click.echo(inert(f"live site:   {found or why}"))
    if deploy:
        click.echo("The built site differs from the live one: deploy it.")
    else:
        click.echo("The built site is the one already live: nothing to deploy.")
    if output_path:
        append(output_path, f"deploy={'true' if deploy else 'false'}\n")


@click.command()
@CONFIG
@NOW
def status(config_path: Path, now: str | None) -> None:
    """Show the current state: overall, components, open incidents, what is due."""
    project = load_project(config_path, now)
    # Files that do not load are left out rather than hiding the state of all the others.
    state = project.derive()
    click.echo(inert(status_text(state)), nl=False)
    errors, warnings = len(project.errors), len(project.warnings)
    if errors or warnings:
        # Here, not at the top: `candor check`'s module loads the authoring code, which
        # `candor build` and `serve` have no use for.
        from generator.cli.check import summary

        broken = sorted({p.file for p in project.errors})
        click.echo(f"\n{summary(errors, warnings, len(project.files))}: run `candor check`")
        for name in broken:
            click.echo(inert(f"  has errors: {name}"))


@click.command()
@CONFIG
@NOW
@click.option(
    "--dev-addr",
    metavar="IP:PORT",
    default="127.0.0.1:8000",
    show_default=True,
    help="Where to serve the live preview.",
)
def serve(config_path: Path, now: str | None, dev_addr: str) -> None:
    """Live preview: rebuilds and reloads when an incident file is saved."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    settings = load_settings(config_path)  # a broken config fails here, readably
    if now:
        resolve_now(settings, now)
        os.environ[NOW_ENV] = now  # the plugin reads it on every rebuild
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    # Dirty: after a change to incident files, only the files that change are written
    # (plugin/serving.py); any other change rebuilds everything.
    mkdocs_serve(
        config_file=str(settings.config_path),
        dev_addr=dev_addr,
        livereload=True,
        build_type="dirty",
    )


COMMANDS = (build, digest, serve, status)
