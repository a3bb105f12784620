"""The text `candor new` and `candor postmortem` write: new incident files, and the
postmortem skeleton with the facts Candor already knows written out as comments.

Prompts are wrapped in the scaffold markers, which `candor check` refuses like any other
placeholder, so nothing half-written is ever published.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from generator.authoring.edit import Style, file_timestamp, render_item, scalar
from generator.core.config import Component
from generator.core.model import Update
from generator.core.state import EventState
from generator.outputs.i18n import format_datetime, format_duration
from generator.rules import SCAFFOLD_CLOSE, SCAFFOLD_OPEN

# The layout of files Candor creates, matching the example incidents.
NEW_FILE_STYLE = Style(newline="\n", dash_col=2, key_col=4, step=2)
SLUG_MAX = 60


def prompt(text: str) -> str:
    return f"{SCAFFOLD_OPEN} {text} {SCAFFOLD_CLOSE}"


INCIDENT_PROMPTS = (
    prompt('Apologise first, in your own words: "We\'re sorry: …"'),
    prompt("What customers notice right now, and which services are affected"),
    prompt("What we are doing about it, and when the next update will come"),
)
MAINTENANCE_PROMPTS = (
    prompt("What will change, and why it is worth the disruption"),
    prompt("What customers may notice during the window, and what they can do"),
)


def slugify(title: str, fallback: str = "incident") -> str:
    """A readable ASCII slug: accents dropped (é → e), other scripts skipped."""
    ascii_text = (
        unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug or fallback


def scaffold_message(maintenance: bool) -> str:
    return "\n\n".join(MAINTENANCE_PROMPTS if maintenance else INCIDENT_PROMPTS) + "\n"


def event_text(
    *,
    title: str,
    impact: str | None,
    components: Sequence[str],
    first: Update,
    tz: ZoneInfo,
    window: tuple[datetime, datetime] | None = None,
    started_at: datetime | None = None,
    scaffold: bool = False,
) -> str:
    """A new incident (or, with `window`, maintenance) file holding one update."""
    lines: list[str] = []
    if scaffold:
        lines += [
            "# Replace every [[ … ]] prompt with real text, then run `candor check`.",
            "# Customers read this first: apologise, say what is affected, promise an update.",
        ]
    lines.append(f"title: {scalar(title)}")
    if window is not None:
        lines.append("kind: maintenance")
    if impact is not None:
        lines.append(f"impact: {impact}   # none | minor | major | critical")
    lines.append(f"components: [{', '.join(components)}]")
    if started_at is not None:
        lines.append(
            f"started_at: {file_timestamp(started_at, tz)}   # when customers were first affected"
        )
    if window is not None:
        lines += [
            "scheduled:",
            f"  start: {file_timestamp(window[0], tz)}",
            f"  end: {file_timestamp(window[1], tz)}",
        ]
    lines.append("updates:   # oldest first; `candor update` appends new ones")
    lines.append(render_item(first, tz, NEW_FILE_STYLE, quoted_message=False))
    return "\n".join(lines) + "\n"


def _impact(state: EventState) -> str:
    latest, peak = state.impact or "none", state.event.peak_impact or "none"
    return latest if latest == peak else f"{latest} (at its worst {peak})"


def postmortem_text(
    state: EventState,
    components: Sequence[Component],
    tz: ZoneInfo,
    published_at: datetime,
    due: datetime | None,
) -> str:
    """The `postmortem:` section: facts as comments, a prompt in every section."""
    event = state.event
    names = {c.id: c.name for c in components}
    affected = ", ".join(f"{names.get(c, c)} ({c})" for c in event.affected) or "none listed"

    def when(moment: datetime) -> str:
        return format_datetime(moment, tz)

    facts = [
        f"impact: {_impact(state)}; components: {affected}",
        f"started: {when(state.began)}",
        f"first update: {when(state.first_update)} "
        f"({format_duration(state.time_to_first_update)} after the start)",
    ]
    if state.resolved_at is not None and state.time_to_resolve is not None:
        facts.append(
            f"resolved: {when(state.resolved_at)} "
            f"(duration {format_duration(state.time_to_resolve)})"
        )
        if due is not None:
            facts.append(f"report due by: {when(due)}")
    else:
        facts.append(f"not resolved yet (status {state.status}): this will be a preliminary review")
    updates = len(event.updates)
    facts.append(f"{updates} public update{'s' if updates != 1 else ''}; timeline from the file")

    def section(key: str, text: str, note: str = "") -> list[str]:
        comment = f"   # {note}" if note else ""
        return [f"  {key}: |{comment}", f"    {prompt(text)}"]

    lines = [
        "postmortem:",
        "  # What Candor knows from this incident (shown in the report's header):",
        *(f"  #   {fact}" for fact in facts),
        "  # Write for customers: plain words, no blame, numbers where you have them.",
        f"  published_at: {file_timestamp(published_at, tz)}   # when the report goes public",
        *section(
            "apology",
            "A sincere apology in the first person: what went wrong for you, our customers, "
            'and that it was our responsibility ("We are sorry that …"). '
            'Not "for any inconvenience".',
        ),
        *section(
            "what_happened",
            "What customers experienced, from the first symptom to full recovery, with times",
        ),
        *section(
            "why",
            "The root cause and the contributing causes, blameless: systems and processes",
        ),
        *section(
            "what_we_did",
            "How we noticed, what we tried, what fixed it, and how long each step took",
        ),
        *section(
            "impact",
            "Who and what was affected, how much and for how long (requests, customers, data)",
        ),
        "  prevention:   # action items (or Markdown text instead of the list)",
        f'    - action: "{prompt("A concrete change that stops this from happening again")}"',
        "      status: planned   # planned | in_progress | done",
        "      # due: YYYY-MM-DD   owner: the team that will do it",
        "  # compensation: |   # optional: credits or remedies offered, and how to claim them",
    ]
    return "\n".join(lines) + "\n"
