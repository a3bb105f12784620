"""A synthetic incident history for benchmarks: N incident files plus the example site.

    python scripts/synth.py --count 1000 --out /tmp/history --seed 1 --now 2026-12-01T12:00Z

The history looks like a busy service's: 2–20 updates per incident, about a fifth of the
incidents major or critical with a postmortem (some with action items), some scheduled
maintenance, spread over years that end a few days before `--now`, every promised
`next_update` kept and every incident resolved. It passes `candor check --strict` at `--now`.
The same seed, count and `--now` give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NOW = "2026-12-01T12:00:00Z"
# Copied into the target so the synthetic site builds exactly like the example.
SITE_FILES = ("mkdocs.yml", "site_src", "theme")

PEOPLE = (
    "Aiko, on-call SRE",
    "Tomás, incident commander",
    "Priya, platform team",
    "Kwame, DNS team",
    "Lena, support lead",
    "Mateo, database team",
    "Sofia, network engineering",
    "Jonas, API platform team",
)
SYMPTOMS = (
    ("Elevated error rates on {name}", "a share of requests to {name} are failing"),
    ("Slow responses from {name}", "{name} is responding much more slowly than usual"),
    ("{name} unavailable for some customers", "some of you cannot reach {name}"),
    ("Intermittent timeouts in {name}", "requests to {name} are timing out now and then"),
    ("Delays in {name}", "work submitted to {name} is waiting longer than it should"),
    ("Degraded {name} in one region", "{name} is degraded for customers in one region"),
)
CAUSES = (
    "a configuration change that reached every server at once",
    "a disk that filled up on a primary node",
    "an expired internal certificate",
    "a faulty network switch in one availability zone",
    "a deployment that exhausted the connection pool",
    "a spike of traffic from a single client that our rate limits did not catch",
    "a dependency upgrade that changed a default timeout",
    "a failed failover between two database replicas",
)
FIXES = (
    "rolled the change back",
    "moved traffic away from the affected servers",
    "replaced the certificate and restarted the proxies",
    "added capacity and drained the backlog",
    "restarted the affected workers one by one",
    "restored the previous version of the service",
)
TEAMS = ("platform team", "database team", "network engineering", "API platform team")
ACTIONS = (
    "Alert when disk usage grows faster than expected",
    "Roll out configuration changes region by region, with automatic rollback",
    "Renew internal certificates automatically and alert 30 days before expiry",
    "Load-test connection pool limits before every release",
    "Practise the failover procedure every quarter",
    "Add per-client rate limits in front of every public endpoint",
    "Pin timeouts explicitly instead of relying on library defaults",
)


@dataclass
class Writer:
    """Builds one YAML file as text: block strings for messages, JSON-quoted scalars."""

    lines: list[str]

    def scalar(self, indent: int, key: str, value: str) -> None:
        self.lines.append(f"{' ' * indent}{key}: {json.dumps(value, ensure_ascii=False)}")

    def raw(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def block(self, indent: int, key: str, text: str) -> None:
        self.lines.append(f"{' ' * indent}{key}: |")
        pad = " " * (indent + 2)
        # Wrapped like a person types in an editor, so files look like the example's.
        paragraphs = [
            p if p.startswith("- ") else textwrap.fill(p, 88) for p in text.strip().split("\n\n")
        ]
        for line in "\n\n".join(paragraphs).split("\n"):
            self.lines.append(pad + line if line else "")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48].strip("-")


def component_ids(config: Path) -> list[tuple[str, str]]:
    """(id, name) of every component in the example config, read the way Candor reads it."""
    sys.path.insert(0, str(ROOT))
    from generator.core.config import load_settings

    return [(c.id, c.name) for c in load_settings(config).candor.components]


def update_count(rng: random.Random) -> int:
    # Most incidents are short, a few drag on: skewed towards the low end of 2–20.
    return 2 + int(rng.betavariate(1.2, 3.0) * 19)


def incident(rng: random.Random, began: datetime, comps: list[tuple[str, str]]) -> tuple[str, str]:
    affected = rng.sample(comps, k=min(len(comps), rng.choice((1, 1, 1, 2, 2, 3))))
    names = " and ".join(name for _, name in affected)
    title_pattern, symptom = rng.choice(SYMPTOMS)
    title = title_pattern.format(name=names)
    impact = rng.choices(("none", "minor", "major", "critical"), weights=(8, 70, 16, 6))[0]
    outage = {
        "none": "operational",
        "minor": "degraded_performance",
        "major": "partial_outage",
        "critical": "major_outage",
    }[impact]
    cause, fix = rng.choice(CAUSES), rng.choice(FIXES)
    person = rng.choice(PEOPLE)
    count = update_count(rng)
    # Investigating → identified → monitoring, never backwards; the last one resolves.
    middle = sorted(rng.choice((0, 0, 1, 1, 2)) for _ in range(count - 2))
    stages = ("investigating", "identified", "monitoring")
    statuses = ["investigating", *(stages[s] for s in middle)]
    statuses.append("resolved")

    w = Writer([])
    w.scalar(0, "title", title)
    w.raw(0, f"impact: {impact}")
    w.raw(0, f"components: [{', '.join(c for c, _ in affected)}]")
    w.raw(0, f"started_at: {stamp(began)}")
    w.raw(0, "updates:")
    # The first public word within `first_update_within` (15 minutes) of the start.
    at = began + timedelta(minutes=rng.randint(2, 15))
    promise: int | None = None
    for index, status in enumerate(statuses):
        if index:
            at += timedelta(minutes=rng.randint(3, promise) if promise else rng.randint(5, 120))
        last = index == len(statuses) - 1
        w.raw(2, f"- at: {stamp(at)}")
        w.raw(4, f"status: {status}")
        w.block(4, "message", message(rng, status, symptom.format(name=names), cause, fix, index))
        if index == 0 and impact != "none":
            w.raw(4, "components:")
            for cid, _ in affected:
                w.raw(6, f"{cid}: {outage}")
        elif last:
            w.raw(4, "components:")
            for cid, _ in affected:
                w.raw(6, f"{cid}: operational")
        promise = None if last or rng.random() < 0.25 else rng.choice((15, 30, 30, 60, 120))
        if promise:
            spec = f"{promise}m" if promise < 60 else f"{promise // 60}h"
            w.raw(4, f"next_update: {spec}")
        w.scalar(4, "by", person)
    if impact in ("major", "critical"):
        postmortem(w, rng, at, names, cause, fix)
    return title, w.text()


def message(rng: random.Random, status: str, symptom: str, cause: str, fix: str, n: int) -> str:
    if status == "investigating" and n == 0:
        return (
            f"We're sorry: {symptom}. We are investigating and will post here as soon as we "
            "know more.\n\nYour data is safe; nothing you have stored is affected."
        )
    if status == "investigating":
        return rng.choice(
            (
                "We are still investigating. Several engineers are looking at the logs and "
                "metrics from the affected servers.",
                "We have ruled out the most recent deployment and are now checking the network "
                "between our data centres.",
                "We are still working on it. Retrying failed requests with a short back-off "
                "helps in the meantime.",
            )
        )
    if status == "identified":
        return (
            f"We found the cause: {cause}. We {fix.split(' and ')[0]} and are watching "
            "the effect.\n\nWe are sorry for the disruption this is causing you."
        )
    if status == "monitoring":
        return rng.choice(
            (
                "The fix is in place and error rates are back to normal. We are watching the "
                "service closely before we call this resolved.",
                "Things look better: the backlog is shrinking and new requests succeed. We "
                "keep monitoring until every queue is empty.",
            )
        )
    return (
        f"This incident is resolved. The cause was {cause}; we {fix}. No data was lost.\n\n"
        "Thank you for your patience, and sorry again for the trouble."
    )


def postmortem(
    w: Writer, rng: random.Random, resolved: datetime, names: str, cause: str, fix: str
) -> None:
    w.raw(0, "postmortem:")
    w.raw(2, f"published_at: {stamp(resolved + timedelta(hours=rng.randint(2, 22)))}")
    w.block(
        2,
        "apology",
        f"We are sorry. {names} let you down, and the cause was on our side. We know you "
        "rely on us, and we take that trust seriously.",
    )
    w.block(
        2,
        "what_happened",
        f"- Errors on {names} started and our alerts fired within minutes.\n"
        "- We posted the first update and started the investigation.\n"
        f"- We {fix} and the service recovered.",
    )
    w.block(2, "why", f"**Root cause.** The trigger was {cause}. Our checks did not catch it.")
    w.block(2, "what_we_did", f"We {fix}, then watched the service until it was stable.")
    w.block(2, "impact", f"Customers using {names} saw errors or slow responses.")
    if rng.random() < 0.6:
        w.raw(2, "prevention:")
        for action in rng.sample(ACTIONS, k=rng.randint(1, 4)):
            w.scalar(4, "- action", action)
            w.raw(6, f"status: {rng.choice(('planned', 'in_progress', 'done'))}")
            w.raw(6, f"due: {(resolved + timedelta(days=rng.randint(3, 60))).date()}")
            w.scalar(6, "owner", rng.choice(TEAMS))
    else:
        w.block(2, "prevention", "We now test this case before every release and alert on it.")
    if rng.random() < 0.3:
        w.block(2, "compensation", "Affected customers receive a service credit automatically.")


def maintenance(
    rng: random.Random, start: datetime, comps: list[tuple[str, str]]
) -> tuple[str, str]:
    cid, name = rng.choice(comps)
    title = f"Scheduled upgrade of {name}"
    end = start + timedelta(hours=rng.randint(1, 4))
    window = end - start
    progress = max(0, update_count(rng) - 3)
    w = Writer([])
    w.raw(0, "kind: maintenance")
    w.scalar(0, "title", title)
    w.raw(0, "impact: none")
    w.raw(0, f"components: [{cid}]")
    w.raw(0, "scheduled:")
    w.raw(2, f"start: {stamp(start)}")
    w.raw(2, f"end: {stamp(end)}")
    w.raw(0, "updates:")
    person = rng.choice(PEOPLE)
    announced = start - timedelta(days=rng.randint(3, 14), hours=rng.randint(0, 8))

    def update(at: datetime, status: str, text: str, component: str | None = None) -> None:
        w.raw(2, f"- at: {stamp(at)}")
        w.raw(4, f"status: {status}")
        w.block(4, "message", text)
        if component:
            w.raw(4, "components:")
            w.raw(6, f"{cid}: {component}")
        w.scalar(4, "by", person)

    update(
        announced,
        "scheduled",
        f"We will upgrade {name} during this window. The service stays available; some "
        "requests may be slower for a few minutes.",
    )
    update(start, "in_progress", "The maintenance has started.", "under_maintenance")
    step = window / (progress + 2)
    for index in range(progress):
        update(start + step * (index + 1), "in_progress", f"Step {index + 1} is complete.")
    update(start + step * (progress + 1), "verifying", "We are verifying the upgrade.")
    update(end, "completed", "The maintenance is complete.", "operational")
    return title, w.text()


def generate(
    out: Path, count: int, seed: int = 1, now: str = DEFAULT_NOW, years: float | None = None
) -> list[Path]:
    """Write the site and `count` incident files into `out` (replacing its incidents)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source, target = ROOT / name, out / name
        if source.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)
        elif source.exists():
            shutil.copy2(source, target)
    incidents = out / "incidents"
    shutil.rmtree(incidents, ignore_errors=True)
    incidents.mkdir()
    comps = component_ids(out / "mkdocs.yml")
    end = datetime.fromisoformat(now.replace("Z", "+00:00")).astimezone(UTC)
    # Leave room for the longest incident and its postmortem to finish before `now`.
    end -= timedelta(days=4)
    span = timedelta(days=365 * (years or max(2.0, min(10.0, count / 1000))))
    rng = random.Random(seed)
    seconds = int(span.total_seconds())
    starts = sorted(end - span + timedelta(seconds=rng.randrange(seconds)) for _ in range(count))
    written, used = [], set()
    for index, began in enumerate(starts):
        item = random.Random(f"{seed}:{index}")
        began = began.replace(second=0, microsecond=0)
        if item.random() < 0.08:
            title, text = maintenance(item, began, comps)
        else:
            title, text = incident(item, began, comps)
        stem = base = f"{began.date()}-{slugify(title)}"
        suffix = 2
        while stem in used:
            stem, suffix = f"{base}-{suffix}", suffix + 1
        used.add(stem)
        path = incidents / f"{stem}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="incident files to write")
    parser.add_argument("--out", type=Path, required=True, help="target folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default=DEFAULT_NOW, help="the history ends before this (UTC)")
    parser.add_argument("--years", type=float, default=None, help="span (default: by count)")
    args = parser.parse_args(argv)
    files = generate(args.out, args.count, args.seed, args.now, args.years)
    print(f"{len(files)} incident files in {args.out / 'incidents'}")


if __name__ == "__main__":
    main()
