"""Problems found in user input, and the one exception family the CLI and plugin report.

Every problem names a file (relative to the config's folder), a 1-based line and column
where the problem has a place, what is wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import click

from generator.core.characters import inert

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    severity: Severity
    rule: str
    message: str
    hint: str = ""

    @property
    def sort_key(self) -> tuple[str, int, int, int]:
        # Problems without a place come first within a file, as SPEC §5 orders them.
        return (self.file, 0 if self.line is None else 1, self.line or 0, self.column or 0)

    def location(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

    def as_error(self) -> Problem:
        """The problem under `--strict`: a warning becomes an error; a note stays a note."""
        if self.severity == "note":
            return self
        return Problem(
            self.file, self.line, self.column, "error", self.rule, self.message, self.hint
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        text = f"{self.location()}: {self.severity}: {self.message} [{self.rule}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (*p.sort_key, p.rule, p.message))


class CandorError(click.ClickException):
    """A problem a user can act on; Click prints it without a traceback, exit code 1."""

    exit_code = 1

    def format_message(self) -> str:
        # Messages quote values from the files: shown inert, never acted on by a terminal.
        return inert(self.message)


class ConfigError(CandorError):
    """The `candor` section of mkdocs.yml (or the file itself) is unusable."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ValidationFailed(CandorError):
    """Incident files have errors: nothing is published."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sort_problems(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [str(p) for p in errors]
        lines.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''}: nothing was built.")
        super().__init__("\n".join(lines))
