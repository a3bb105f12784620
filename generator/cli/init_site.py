"""`candor init`: a new site repository, from options or, on a terminal, from questions."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from generator.core.characters import inert
from generator.init import (
    Answers,
    Component,
    InitError,
    check_components,
    check_name,
    check_timezone,
    check_url,
    create_site,
    parse_component,
    refusal,
)

T = TypeVar("T")


def interactive() -> bool:
    """Questions are asked only of a person at a terminal; a script gets a usage error."""
    return sys.stdin.isatty()


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", metavar="N", help="Your service's name, e.g. 'Acme Cloud'.")
@click.option("--url", metavar="U", help="The address the page is served at.")
@click.option("--timezone", metavar="TZ", help="IANA zone the page shows times in (default: UTC).")
@click.option(
    "--component",
    "components",
    metavar="ID=NAME",
    multiple=True,
    help="A component customers use, e.g. api='Public API'; repeat for each.",
)
def init(
    directory: Path,
    name: str | None,
    url: str | None,
    timezone: str | None,
    components: tuple[str, ...],
) -> None:
    """Create a new status site in DIRECTORY (new, or empty): mkdocs.yml with your
    components, incidents/, an About page to fill in, the GitHub workflows and the pinned
    Candor version. Asks for what the options leave out when run on a terminal."""
    why = refusal(directory)
    if why is not None:
        raise InitError(why)
    missing = [
        option
        for option, value in (("--name", name), ("--url", url), ("--component", components))
        if not value
    ]
    if missing and not interactive():
        raise click.UsageError(
            f"give {', '.join(missing)} (there is no terminal to ask), e.g. "
            "candor init my-status --name 'Acme Cloud' --url https://status.acme.com/ "
            "--component api='Public API'"
        )
    answers = Answers(
        name=_ask("Your service's name (e.g. Acme Cloud)", name, check_name),
        url=_ask("The page's address (e.g. https://status.acme.com/)", url, check_url),
        timezone=_ask("Time zone the page shows times in", timezone, check_timezone, default="UTC"),
        components=_components(components),
    )
    written = create_site(directory, answers)
    click.echo(inert(f"Created the status site of {answers.name} in {directory}:"))
    for rel in written:
        click.echo(inert(f"  {rel}"))
    click.echo(
        inert(
            "\nNext:\n"
            f"  cd {shlex.quote(str(directory))}\n"
            "  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt\n"
            "  .venv/bin/candor check    # names each [[ prompt ]] left in site_src/about.md\n"
            "  .venv/bin/candor serve    # live preview\n"
            "Then push it to GitHub and set Settings → Pages → Source to GitHub Actions "
            "(README.md says more)."
        )
    )


def _ask(
    question: str, given: str | None, check: Callable[[str], T], default: str | None = None
) -> T:
    if given is not None:
        return check(given)
    if default is not None and not interactive():
        return check(default)
    value: T = click.prompt(question, default=default, value_proc=_reasked(check))
    return value


def _reasked(check: Callable[[str], T]) -> Callable[[str], T]:
    """A bad answer is asked again (Click re-prompts on UsageError), with the reason."""

    def proc(value: str) -> T:
        try:
            return check(value)
        except InitError as exc:
            raise click.UsageError(_without_option(exc.format_message())) from None

    return proc


def _without_option(message: str) -> str:
    # "--url: `x` is …" reads oddly as the answer to a question: keep what follows.
    head, sep, rest = message.partition(": ")
    return rest if sep and head.startswith("--") else message


def _components(given: tuple[str, ...]) -> tuple[Component, ...]:
    if given:
        return check_components([parse_component(value) for value in given])
    click.echo("Components your customers use, one per line as ID=NAME (e.g. api=Public API);")
    click.echo("an empty line ends the list.")
    found: list[Component] = []
    while True:
        value = click.prompt(f"Component {len(found) + 1}", default="", show_default=False).strip()
        if not value:
            if found:
                return tuple(found)
            click.echo("Error: name at least one component.", err=True)
            continue
        try:
            component = parse_component(value)
            check_components([*found, component])
        except InitError as exc:
            click.echo(f"Error: {_without_option(exc.format_message())}", err=True)
            continue
        found.append(component)
