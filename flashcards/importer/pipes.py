"""Markdown and plain text: tables of '|'-separated cells, and the lines around them.

A GFM table (a header row, a delimiter row, one line a row) is read by markdown-it-py, so escapes
(``\\|`` inside a cell) and code blocks are read as GitHub reads them. Other tables are read line by
line: a row may wrap over several lines and goes on until it has one cell per column, as assistants
and copy-paste often leave it; ``｜`` counts as ``|``, and the delimiter row may be left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from flashcards.errors import Problem, SourceError
from flashcards.importer.document import Block, Cell, Document, Table, TextLine, hard_breaks

_PIPE = re.compile(r"(?<!\\)\|")


def read_pipe_text(text: str, display: str) -> Document:
    lines = re.split(r"\r\n|\r|\n", text.replace("｜", "|"))
    code, gfm = _markdown_structure(text.replace("｜", "|"), lines)
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        number = index + 1
        if index in gfm:
            table, index = gfm[index]
            blocks.append(table)
            continue
        if index not in code and len(split_cells(lines[index])) >= 2:
            table, index = _WrappedTable(display, lines, index).read()
            blocks.append(table)
            continue
        blocks.append(TextLine(number, lines[index]))
        index += 1
    return Document(display, tuple(blocks))


def split_cells(text: str) -> list[str]:
    """A table line's cells (split at every '|' not escaped as '\\|'), without the empty outer cells."""
    if not _PIPE.search(text):
        return []
    cells = _PIPE.split(text)
    if not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def cell_columns(text: str) -> list[int]:
    """The 1-based column where each of ``split_cells(text)`` starts (at its first non-blank character)."""
    starts = [0] + [m.end() for m in _PIPE.finditer(text)]
    segments = _PIPE.split(text)
    columns = [start + len(seg) - len(seg.lstrip()) + 1 for start, seg in zip(starts, segments, strict=True)]
    if not segments[0].strip():
        columns, segments = columns[1:], segments[1:]
    if segments and not segments[-1].strip():
        columns = columns[:-1]
    return columns


def is_delimiter_row(text: str) -> bool:
    normal = unicodedata.normalize("NFKC", text).strip()
    return "-" in normal and set(normal) <= set("|-: \t")


def _unescape(text: str) -> str:
    return hard_breaks(text.replace("\\|", "|")).strip()


def _markdown_structure(text: str, lines: Sequence[str]) -> tuple[set[int], dict[int, tuple[Table, int]]]:
    """The lines inside code blocks, and the clean GFM tables: {first line index: (table, next index)}."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    code: set[int] = set()
    tables: dict[int, tuple[Table, int]] = {}
    for position, token in enumerate(tokens):
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(*token.map))
        if token.type == "table_open" and token.map:
            start, end = token.map
            table = _gfm_table(tokens[position:], lines, start, end)
            if table is not None:
                tables[start] = (table, end)
    return code, tables


def _gfm_table(tokens: Sequence[object], lines: Sequence[str], start: int, end: int) -> Table | None:
    """The table as markdown-it-py read it, when every row is one line with one cell per column."""
    from markdown_it.token import Token

    width = len(split_cells(lines[start]))
    if any(len(split_cells(lines[i])) != width for i in range(start + 2, end)):
        return None
    rows: list[tuple[Cell, ...]] = []
    row: list[Cell] = []
    for token in tokens:
        assert isinstance(token, Token)
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            row = []
            line = token.map[0] if token.map else start
        elif token.type == "inline":
            columns = cell_columns(lines[line])
            column = columns[len(row)] if len(row) < len(columns) else 1
            row.append(Cell(_unescape(token.content), line + 1, column))
        elif token.type == "tr_close":
            rows.append(tuple(row))
    return Table(tuple(rows))


@dataclass
class _Row:
    start: int
    column: int
    cells: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    open: bool = False

    def add(self, fragment: str, line: int, *, closed: bool) -> None:
        if self.open:
            self.cells[-1].append(fragment)
        else:
            self.cells.append([fragment])
            self.lines.append(line)
        self.open = not closed

    def table_row(self) -> tuple[Cell, ...]:
        return tuple(
            Cell(_wrapped_cell(fragments), line, self.column if i == 0 else 1)
            for i, (fragments, line) in enumerate(zip(self.cells, self.lines, strict=True))
        )


class _WrappedTable:
    """A table whose rows may wrap over lines; it ends at a blank line or a line without '|'."""

    def __init__(self, display: str, lines: Sequence[str], start: int) -> None:
        self.path = display
        self.lines = lines
        self.start = start

    def error(self, line: int, message: str) -> SourceError:
        return SourceError([Problem(self.path, line, 1, message)])

    def read(self) -> tuple[Table, int]:
        """The table, and the index of the line after it; a table whose rows break is returned with the
        problem, and the lines after the break are not read."""
        try:
            return self._read()
        except SourceError as error:
            return Table((self.header(),), broken=error.problems[0]), len(self.lines)

    def header(self) -> tuple[Cell, ...]:
        text = self.lines[self.start]
        return tuple(
            Cell(_unescape(label), self.start + 1, column)
            for label, column in zip(split_cells(text), cell_columns(text), strict=True)
        )

    def _read(self) -> tuple[Table, int]:
        header_text = self.lines[self.start]
        labels = split_cells(header_text)
        columns = cell_columns(header_text)
        header = tuple(
            Cell(_unescape(label), self.start + 1, column)
            for label, column in zip(labels, columns, strict=True)
        )
        width = len(header)
        index = self.start + 1
        if index < len(self.lines) and is_delimiter_row(self.lines[index]):
            index += 1
        rows: list[tuple[Cell, ...]] = [header]
        row: _Row | None = None
        while index < len(self.lines):
            text = self.lines[index]
            number = index + 1
            if not text.strip() or (not _PIPE.search(text) and (row is None or not row.open)):
                break
            index += 1
            if not _PIPE.search(text):
                assert row is not None
                row.add(text, number, closed=False)
            else:
                if row is not None and len(split_cells(text)) >= width:
                    raise self.short_row(labels, row)
                if row is None:
                    columns = cell_columns(text)
                    row = _Row(number, columns[0] if columns else 1)
                _add_line(row, text, number)
            if row is not None and len(row.cells) > width:
                raise self.too_many_cells(row, number, width)
            if row is not None and len(row.cells) == width and not self.goes_on(row, index, width):
                rows.append(row.table_row())
                row = None
        if row is not None:
            raise self.short_row(labels, row)
        return Table(tuple(rows)), index

    def goes_on(self, row: _Row, index: int, width: int) -> bool:
        """Whether the row's open last cell goes on into the next line: a line too short to be a row
        that closes a cell (``- item |``)."""
        if not row.open or index >= len(self.lines):
            return False
        text = self.lines[index]
        return bool(_PIPE.search(text)) and 0 < len(split_cells(text)) < width and not is_delimiter_row(text)

    def too_many_cells(self, row: _Row, line: int, width: int) -> SourceError:
        if row.start == line:
            return self.error(
                line,
                f"this row has {len(row.cells)} cells, but the table has {width} columns; "
                "a '|' inside a cell splits it in two (write it as '\\|')",
            )
        return self.error(
            line,
            f"with this line, the row that starts on line {row.start} has {len(row.cells)} cells, "
            f"but the table has {width} columns; "
            "a cell is missing from that row, or a '|' inside a cell splits it in two (write it as '\\|')",
        )

    def short_row(self, labels: Sequence[str], row: _Row) -> SourceError:
        return self.error(
            row.start,
            f"this row has {len(row.cells)} cells, but the table has {len(labels)} columns "
            f"({' | '.join(label.strip() for label in labels)}); write an empty cell as '| |'",
        )


def _add_line(row: _Row, text: str, line: int) -> None:
    """One physical line of a row: every '|' closes a cell; the text after the last is left open."""
    segments = _PIPE.split(text)
    lead, middle, last = segments[0], segments[1:-1], segments[-1]
    if lead.strip() or row.open:
        row.add(lead, line, closed=True)
    for segment in middle:
        row.add(segment, line, closed=True)
    if last.strip():
        row.add(last, line, closed=False)


def _wrapped_cell(fragments: Sequence[str]) -> str:
    """A cell written over several lines: soft wraps joined, ``<br>`` kept as a line break."""
    lines: list[list[str]] = [[]]
    for fragment in fragments:
        pieces = hard_breaks(fragment.replace("\\|", "|")).split("\n")
        lines[-1].append(pieces[0])
        lines.extend([piece] for piece in pieces[1:])
    return "\n".join(text for text in (join_wrapped(pieces) for pieces in lines) if text).strip()


def join_wrapped(parts: Sequence[str]) -> str:
    """Join the lines of a wrapped text: with a space, except between two East Asian characters."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (_is_wide(out[-1]) and _is_wide(part[0])):
            out += " "
        out += part
    return out


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")
