"""What `candor notify` says: a line per channel and a closing summary for the terminal and
the workflow log, and Markdown for the job summary of a GitHub Actions run."""

from __future__ import annotations

from generator.notify.run import ChannelResult, Report


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def channel_line(result: ChannelResult, mode: str) -> str:
    name = result.name
    if mode == "dry-run":
        if not result.due:
            return f"{name}: nothing new"
        return f"{name}: would send {_plural(len(result.due), 'message')}"
    if mode == "prepare":
        return f"{name}: {_plural(len(result.due), 'message')} to send after the deploy"
    if result.error is not None:
        left = len(result.left)
        what = f' "{result.failed.title}"' if result.failed else ""
        return (
            f"{name}: FAILED{what}: {result.error}; {_plural(left, 'message')} left for the "
            "next run"
        )
    if not result.due:
        return f"{name}: nothing new"
    return f"{name}: sent {_plural(len(result.sent), 'message')}"


def text(report: Report) -> list[str]:
    lines = [f"note: {note}" for note in report.notes]
    if not report.results:
        lines.append("No channels under `notify:` in mkdocs.yml: nothing to send.")
        return lines
    for result in report.results:
        lines.append(channel_line(result, report.mode))
        if report.mode == "dry-run":
            lines += [f"  {m.title} — {m.url}" for m in result.due]
    if report.mode == "send":
        sent = sum(len(r.sent) for r in report.results)
        failed = report.failed
        summary = f"Sent {_plural(sent, 'message')} to {_plural(len(report.results), 'channel')}"
        if failed:
            names = ", ".join(r.name for r in failed)
            summary += (
                f"; {_plural(len(failed), 'channel')} failed ({names}): what it did not take "
                "goes out on the next run."
            )
        else:
            summary += "."
        lines.append(summary)
    return lines


def _cell(value: str) -> str:
    for char in "\\|`*_[]<>#":
        value = value.replace(char, f"\\{char}")
    return " ".join(value.split())


def markdown(report: Report) -> str:
    heading = {
        "dry-run": "What `candor notify` would send",
        "prepare": "`candor notify`: prepared for the deploy",
        "send": "What `candor notify` sent",
    }[report.mode]
    lines = [f"### {heading}", ""]
    lines += [f"- {_cell(note)}" for note in report.notes]
    if report.notes:
        lines.append("")
    if not report.results:
        lines.append("No channels under `notify:` in mkdocs.yml.")
        return "\n".join(lines) + "\n"
    lines += ["| Channel | Message | Link | |", "|---|---|---|---|"]
    shown = False
    for result in report.results:
        done = {m.key for m in result.sent}
        for message in result.due:
            if report.mode == "send":
                state = "sent" if message.key in done else "not sent"
            else:
                state = "would send" if report.mode == "dry-run" else "due"
            lines.append(
                f"| {_cell(result.name)} | {_cell(message.title)} | {message.url} | {state} |"
            )
            shown = True
        if result.error:
            lines.append(f"| {_cell(result.name)} | failed: {_cell(result.error)} | | |")
            shown = True
    if not shown:
        lines.append("| | nothing new | | |")
    if report.mode == "dry-run":
        seen: set[str] = set()
        for result in report.results:
            for message in result.due:
                if message.key in seen:
                    continue
                seen.add(message.key)
                lines += ["", f"<details><summary>{_cell(message.title)}</summary>", ""]
                lines += [f"> {_cell(line)}" if line else ">" for line in message.text.splitlines()]
                lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
