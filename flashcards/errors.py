"""Every problem the tool reports, typed, with the file, line and column it concerns."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    #: Said for information: a card the build changed on purpose (an answer masked on its front).
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in a source or template file. Lines and columns count from 1."""

    path: str
    line: int
    column: int
    message: str
    key: str = ""
    severity: Severity = Severity.ERROR
    #: The card template whose front the finding is about ("" for a finding about the whole entry).
    card: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        prefix = "" if self.severity is Severity.ERROR else f"{self.severity.value}: "
        if self.key:
            return f"{where}: {self.key}: {prefix}{self.message}"
        return f"{where}: {prefix}{self.message}"


class FlashcardsError(Exception):
    """Base of every error the command line turns into a message (exit status 1)."""

    def messages(self) -> list[str]:
        return [str(self)]


class SourceError(FlashcardsError):
    """The input is wrong: carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=_order))
        super().__init__("\n".join(p.format() for p in self.problems))

    def messages(self) -> list[str]:
        return [p.format() for p in self.problems]


def _order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.path, problem.line, problem.column, problem.message)


class OutputError(FlashcardsError):
    """A file or folder the tool writes to cannot take the output; the message names it."""
