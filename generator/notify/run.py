"""`candor notify`: decide what is new for each channel, send it, and record each send the
moment the channel accepted it.

State, all of it readable by a fresh CI runner:
- the built site (`--site`, default site/): its feed says what the deployed site shows, and
  `notify/sent.json` in it is the record carried into this publish;
- the live site (`--previous`, default `site_url`): its record (merged in, so a re-run never
  repeats what an earlier attempt sent) and its feed (what was public before a channel was
  added: not news to it).

A channel's messages go out oldest first; the first one it does not take (after retries)
stops that channel for this run, so it never receives update 3 before update 2. Channels
run side by side: a slow or failing one holds up no other."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from generator.core.channels import is_env_name
from generator.core.config import Settings
from generator.core.errors import CandorError
from generator.core.state import SiteState
from generator.notify import delivery, discord, mail, mastodon, previous, slack, teams, webhook
from generator.notify.channel import MissingSecret, Sender
from generator.notify.messages import Message, Site, candidates
from generator.notify.record import Record, RecordError, read
from generator.notify.redact import Redactor
from generator.outputs import urls

SENDERS: dict[str, type[Sender]] = {
    "webhook": webhook.Sender,
    "slack": slack.Sender,
    "discord": discord.Sender,
    "teams": teams.Sender,
    "mastodon": mastodon.Sender,
    "email": mail.Sender,
}


@dataclass
class Options:
    site: Path
    previous: str  # URL, folder or file
    dry_run: bool = False
    prepare: bool = False
    env: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    sleep: Callable[[float], None] | None = None
    echo: Callable[[str], None] = print
    # Called once, before the first message goes out: from then on the record in `site`
    # may hold sends the live one lacks, so it must be published whatever happens next.
    sending: Callable[[], None] = lambda: None


@dataclass
class ChannelResult:
    name: str
    kind: str
    due: list[Message]
    sent: list[Message] = field(default_factory=list)
    failed: Message | None = None
    error: str | None = None

    @property
    def left(self) -> list[Message]:
        return self.due[len(self.sent) :]


@dataclass
class Report:
    results: list[ChannelResult]
    notes: list[str]
    record_changed: bool
    mode: str  # send | dry-run | prepare

    @property
    def failed(self) -> list[ChannelResult]:
        return [r for r in self.results if r.error is not None]


def senders(settings: Settings, env: Mapping[str, str]) -> list[Sender]:
    site = Site.of(settings)
    return [SENDERS[c.kind](c, env, site) for c in settings.candor.notify]


def redactor(settings: Settings, env: Mapping[str, str]) -> Redactor:
    names = {name for c in settings.candor.notify for name in c.env_names()}
    # A "name" check would refuse may be a pasted secret: hidden like the values.
    pasted = {name for name in names if not is_env_name(name)}
    return Redactor([*(env.get(name, "") for name in names), *pasted])


def _local_feed(site: Path) -> set[str] | None:
    path = site / urls.ATOM
    if not path.is_file():
        return None
    try:
        return previous.feed_ids(path.read_bytes())
    except ValueError as exc:
        raise CandorError(f"{path}: {exc}; rebuild the site with `candor build`") from None


def notify(settings: Settings, state: SiteState, options: Options) -> Report:
    mode = "prepare" if options.prepare else "dry-run" if options.dry_run else "send"
    notes: list[str] = []
    site_dir = options.site
    if mode != "dry-run" and not site_dir.is_dir():
        raise CandorError(
            f"no built site at {site_dir}: run `candor build` first, or pass --site FOLDER"
        )
    record_path = site_dir / urls.NOTIFY_RECORD
    try:
        local = read(record_path) if site_dir.is_dir() else None
    except RecordError as exc:
        raise CandorError(str(exc)) from None
    try:
        before = previous.read(options.previous)
    except previous.PreviousUnavailable as exc:
        if mode == "dry-run":
            notes.append(f"could not read the live site ({exc}); assuming it announced nothing")
            before = previous.Previous(options.previous, None, set())
        elif local is not None:
            notes.append(f"could not read the live site ({exc}); going by the record in {site_dir}")
            before = previous.Previous(options.previous, None, None)
        elif mode == "prepare":
            # The deploy must go ahead whatever happens here: say so, and carry nothing.
            notes.append(
                f"could not read the live site ({exc}); the record is not carried into this "
                "publish, and the next run starts a new one from what is live then"
            )
            return Report([], notes, False, mode)
        else:
            raise CandorError(
                f"cannot read what the live site announced: {exc}. Nothing was sent, so nothing "
                "can be sent twice; the next run tries again (or pass --previous)"
            ) from None

    messages = candidates(settings, state, _local_feed(site_dir))
    # What is live now: a new channel's starting point. The record keeps every key it holds
    # beyond these, so an entry that leaves the feed and returns is still not due.
    every = {m.key for m in messages}
    clock_keys = {m.key for m in messages if m.is_clock}
    record = (local or Record()).merge(before.record)
    first_publish = before.missing and local is None
    configured = [c.key for c in settings.candor.notify]
    for name in configured:
        if record.channel(name) is not None:
            continue
        if first_publish:
            known = set(every)
            notes.append(
                f"{name}: nothing was published before, so the {len(known)} messages live "
                "now are its starting point and are not sent"
            )
        else:
            known = {k for k in every if k in (before.feed or set())} | clock_keys
            notes.append(
                f"{name}: a new channel; {len(known)} messages already public are not sent to it"
            )
        record.start(name, known)
    record = record.only(configured)
    changed = local is None or local.to_json() != record.to_json()

    results = []
    for sender in senders(settings, options.env):
        channel = record.channel(sender.name)
        assert channel is not None
        due = [m for m in messages if not channel.has(m.key)]
        results.append(ChannelResult(sender.name, sender.kind, due))

    if mode == "dry-run":
        return Report(results, notes, changed, mode)
    if mode == "prepare" or not any(r.due for r in results):
        if changed:
            _write(record, record_path)
        return Report(results, notes, changed, mode)
    # Written before the first send even when unchanged: a record that cannot be written
    # stops the run here, before any channel takes a message that could not be recorded.
    _write(record, record_path)
    options.sending()
    _send_all(settings, options, record, record_path, results)
    return Report(results, notes, True, mode)


def _write(record: Record, path: Path) -> None:
    try:
        record.write(path)
    except RecordError as exc:
        raise CandorError(str(exc)) from None


def _deliver(
    sender: Sender, message: Message, options: Options, say: Callable[[str], None]
) -> None:
    def attempt() -> None:
        sender.send(message)

    def log(text: str) -> None:
        say(f"{sender.name}: {message.title}: {text}")

    if options.sleep is not None:
        delivery.with_retries(attempt, sender.config.retries, sleep=options.sleep, log=log)
    else:
        delivery.with_retries(attempt, sender.config.retries, log=log)


def _send_all(
    settings: Settings,
    options: Options,
    record: Record,
    path: Path,
    results: list[ChannelResult],
) -> None:
    redact = redactor(settings, options.env)
    lock = threading.Lock()

    def say(text: str) -> None:
        with lock:
            options.echo(redact(text))

    def work(sender: Sender, result: ChannelResult) -> None:
        try:
            with sender.session():
                for message in result.due:
                    try:
                        _deliver(sender, message, options, say)
                    except (delivery.DeliveryError, MissingSecret) as exc:
                        result.failed, result.error = message, redact(exc)
                        return
                    with lock:
                        record.add(sender.name, message.key, options.clock())
                        result.sent.append(message)
                        options.echo(redact(f"{sender.name}: sent {message.title} ({message.url})"))
                        try:
                            record.write(path)
                        except RecordError as exc:
                            # Taken but not recorded: stop, so that at most this one repeats.
                            result.error = redact(f"sent, but not recorded: {exc}")
                            return
        except Exception as exc:  # a bug in one channel must not cost the others their messages
            result.error = redact(f"unexpected error: {type(exc).__name__}: {exc}")

    pending = [(s, r) for s, r in zip(senders(settings, options.env), results, strict=True)]
    with ThreadPoolExecutor(max_workers=max(1, len(pending))) as pool:
        for future in [pool.submit(work, s, r) for s, r in pending if r.due]:
            future.result()
