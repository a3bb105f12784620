"""`candor notify`: send what the last publish made new to every channel under `notify:`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from generator.cli.options import CONFIG, NOW, append
from generator.core.characters import inert
from generator.core.project import load_project
from generator.notify import report as reports
from generator.notify.run import Options, redactor
from generator.notify.run import notify as run_notify


@click.command()
@CONFIG
@NOW
@click.option(
    "--previous",
    metavar="URL_OR_FILE",
    default=None,
    help="What was published before: a site URL, a folder with a copy of the site, or its "
    "history.atom or notify/sent.json (default: site_url).",
)
@click.option("--dry-run", is_flag=True, help="Show what would go where; send nothing.")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built site being published (default: site_dir, i.e. site/); the record of what "
    "each channel was sent is kept in it.",
)
@click.option(
    "--prepare",
    is_flag=True,
    help="Before the deploy: carry the live record into --site and note what is public; "
    "send nothing.",
)
@click.option(
    "--summary",
    "summary_path",
    default=None,
    help='Append a Markdown summary to this file (e.g. "$GITHUB_STEP_SUMMARY").',
)
@click.option(
    "--github-output",
    "output_path",
    default=None,
    help="Append `record=changed` or `record=unchanged`, and `due=true` or `due=false` (any "
    'message owed to a channel), e.g. "$GITHUB_OUTPUT".',
)
def notify(
    config_path: Path,
    now: str | None,
    previous: str | None,
    dry_run: bool,
    site_dir: Path | None,
    prepare: bool,
    summary_path: str | None,
    output_path: str | None,
) -> None:
    """Send each new update, postmortem and maintenance reminder to every channel, once."""
    if dry_run and prepare:
        raise click.UsageError("--dry-run and --prepare exclude each other")
    project = load_project(config_path, now)
    state = project.state()
    settings = project.settings
    env = dict(os.environ)
    secret_free = redactor(settings, env)

    def redact(text: str) -> str:
        # Lines quote titles and what receivers answered: shown inert, never acted on.
        return inert(secret_free(text))

    options = Options(
        site=site_dir if site_dir is not None else settings.site_dir,
        previous=previous or settings.site_url,
        dry_run=dry_run,
        prepare=prepare,
        env=env,
        echo=lambda text: click.echo(redact(text)),
    )
    if output_path:
        # Said before sending, so that a run that dies half-way still has its record
        # (every send already in it) published by the workflow's next step.
        options.sending = lambda: append(output_path, "record=changed\n")
    if now is not None or os.environ.get("CANDOR_NOW"):
        options.clock = lambda: state.now
    try:
        report = run_notify(settings, state, options)
    except Exception as exc:
        if not prepare:
            raise
        # Preparing must never stop a publish: the site goes out, the next run starts over.
        message = exc.format_message() if isinstance(exc, click.ClickException) else repr(exc)
        click.echo(redact(f"::warning::candor notify --prepare: {message}"))
        return
    for line in reports.text(report):
        click.echo(redact(line))
    # Outside GitHub Actions "$GITHUB_STEP_SUMMARY" is empty: then there is nowhere to write.
    if summary_path:
        append(summary_path, secret_free(reports.markdown(report)))
    if output_path:
        # `due` lets the publish workflow run the notify job after a build that changed
        # nothing on the site but owes a channel a message (a maintenance reminder, a retry).
        due = any(result.due for result in report.results)
        append(
            output_path,
            f"record={'changed' if report.record_changed else 'unchanged'}\n"
            f"due={'true' if due else 'false'}\n",
        )
    if report.failed:
        sys.exit(1)
