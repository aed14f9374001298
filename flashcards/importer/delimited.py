"""CSV, TSV and spreadsheets: rows of cells. Rows with two cells or more make a table (until an empty
row); a row with one cell is a line of text, such as a title, a question or an answer."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from flashcards.errors import Problem, SourceError
from flashcards.importer.document import Block, Cell, Document, TextLine, hard_breaks, padded

_DELIMITERS = ",;\t"


def read_delimited(text: str, display: str, *, tab: bool) -> Document:
    """A CSV file as Excel writes it (',' or ';', quotes doubled), or a TSV file when ``tab``."""
    delimiter = "\t" if tab else _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            rows.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        raise SourceError([Problem(display, start, 1, f"this CSV row cannot be read: {error}")]) from None
    return Document(display, tuple(_blocks(rows)))


def read_spreadsheet(path: Path, display: str) -> Document:
    """Every worksheet of an .xlsx file that holds something; messages name row N of a worksheet as line
    N of ``book.xlsx[Worksheet]`` (of ``book.xlsx`` when it has one worksheet), and a workbook of several
    worksheets has each one's name as the heading of its tables."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        message = f"the file is not a spreadsheet that can be read (.xlsx): {error}"
        raise SourceError([Problem(display, None, None, message)]) from None
    try:
        worksheets = [
            (sheet.title, [[_value(v) for v in row] for row in sheet.iter_rows(values_only=True)])
            for sheet in book.worksheets
        ]
    finally:
        book.close()
    filled = [(title, rows) for title, rows in worksheets if any(any(rows_) for rows_ in rows)]
    if len(filled) <= 1:
        rows = filled[0][1] if filled else []
        return Document(display, tuple(_blocks(list(enumerate(rows, start=1)))))
    blocks: list[Block] = []
    parts: list[tuple[int, str]] = []
    start = 1
    for title, rows in filled:
        parts.append((start, f"{display}[{title}]"))
        blocks += [TextLine(start, ""), TextLine(start, f"## {title}")]
        blocks += _blocks([(start + number, row) for number, row in enumerate(rows, start=1)])
        start += len(rows) + 1
    return Document(display, tuple(blocks), parts=tuple(parts))


def _value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _sniff(text: str) -> str:
    """',' or ';' (Excel's choice in locales that write a decimal comma), as the first row uses most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) else ","


def _blocks(rows: Iterable[tuple[int, Sequence[str]]]) -> list[Block]:
    blocks: list[Block] = []
    table: list[tuple[Cell, ...]] = []

    def close() -> None:
        if table:
            blocks.append(padded(table))
            table.clear()

    for number, record in rows:
        cells = [hard_breaks(value).strip() for value in record]
        while cells and not cells[-1]:
            cells.pop()
        filled = [c for c in cells if c]
        if not filled:
            close()
            blocks.append(TextLine(number, ""))
        elif table or len(filled) >= 2:
            table.append(tuple(Cell(c, number, i + 1) for i, c in enumerate(cells)))
        else:
            blocks.append(TextLine(number, filled[0]))
    close()
    return blocks
