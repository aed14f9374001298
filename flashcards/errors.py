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


@dataclass(frozen=True)
class Problem:
    """One finding in a source or template file. Lines and columns count from 1; a finding about a whole
    file (or about a file that cannot be read) has none."""

    path: str
    line: int | None
    column: int | None
    message: str
    key: str = ""
    severity: Severity = Severity.ERROR
    #: The card template whose front the finding is about ("" for a finding about the whole entry).
    card: str = ""
    #: For a kind of warning that may be said of many entries, what they are, in the plural ("concepts that
    #: no question recommends"): a build says them once, with their number.
    group: str = ""

    def format(self) -> str:
        where = self.path + "".join(f":{n}" for n in (self.line, self.column) if n is not None)
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
    """By file, then findings about the whole file first, then by place."""
    return (problem.path, problem.line or 0, problem.column or 0, problem.message)


class OutputError(FlashcardsError):
    """A file or folder the tool writes to cannot take the output; the message names it."""
