"""What every format is read into: lines of text and tables of cells, each with its place in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashcards.errors import Problem

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    #: The cell's text; a hard line break (``<br>``, a new line in a spreadsheet cell) is "\n".
    text: str
    line: int
    column: int = 1


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    #: Why the rows after these could not be read; reported unless the header is wrong already.
    broken: Problem | None = None

    @property
    def line(self) -> int:
        return self.rows[0][0].line if self.rows and self.rows[0] else 1


@dataclass(frozen=True)
class TextLine:
    line: int
    #: The line as written, indentation included.
    text: str


Block = Table | TextLine


@dataclass(frozen=True)
class Document:
    path: str
    blocks: tuple[Block, ...]
    #: Problems found while reading that still let the rest be read (as warnings).
    notes: tuple[tuple[int, str], ...] = ()
    #: For a file of several parts (a workbook's worksheets), where each starts among the lines, and its
    #: name in messages: line ``start + n`` is line n of that part.
    parts: tuple[tuple[int, str], ...] = ()

    def locate(self, line: int) -> tuple[str, int]:
        """The name and line that messages give for ``line``."""
        return locate(self.path, self.parts, line)


def locate(path: str, parts: tuple[tuple[int, str], ...], line: int) -> tuple[str, int]:
    for start, name in reversed(parts):
        if line >= start:
            return name, max(1, line - start)
    return path, line


def located(problem: Problem, path: str, parts: tuple[tuple[int, str], ...]) -> Problem:
    """``problem`` with the name and line of the part it is in."""
    if not parts or problem.path != path or problem.line is None:
        return problem
    name, line = locate(path, parts, problem.line)
    return Problem(name, line, problem.column, problem.message, problem.key, problem.severity)


def padded(rows: list[tuple[Cell, ...]]) -> Table:
    """A table of ``rows``, each filled up with empty cells to the width of the widest."""
    width = max(len(r) for r in rows)
    return Table(tuple(r + tuple(Cell("", r[0].line, i + 1) for i in range(len(r), width)) for r in rows))


def hard_breaks(text: str) -> str:
    """``<br>`` as a line break, and Windows line ends as plain ones."""
    return _BREAK.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))
