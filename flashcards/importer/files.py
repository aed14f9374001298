"""Read a sheet's file: only a regular file, within a size limit, in the format its name or bytes say."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from flashcards.errors import Problem, SourceError
from flashcards.importer.decoding import decode
from flashcards.importer.document import Document

#: A study sheet is a few pages; past this a file is refused before it is read.
MAX_SHEET_BYTES = 20 * 1024 * 1024

_ZIP = b"PK\x03\x04"
_HTML = re.compile(r"<(?:table|html|!doctype html)\b", re.IGNORECASE)


def read_document(path: Path, display: str) -> Document:
    """The sheet as lines and tables. Raises SourceError, with the line, for a file that cannot be read."""
    raw = _read_bytes(path, display)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or raw.startswith(_ZIP):
        from flashcards.importer.delimited import read_spreadsheet

        return read_spreadsheet(path, display)
    if suffix in (".xls", ".ods", ".numbers"):
        message = f"a '{suffix}' file cannot be read: save the spreadsheet as .xlsx or .csv"
        raise SourceError([Problem(display, None, None, message)])
    text = decode(raw, display)
    if not text.strip():
        raise SourceError(
            [Problem(display, None, None, "the file is empty; a study sheet holds a table of concepts")]
        )
    if suffix in (".csv", ".tsv", ".tab"):
        from flashcards.importer.delimited import read_delimited

        return read_delimited(text, display, tab=suffix != ".csv")
    if suffix in (".html", ".htm") or (text.lstrip().startswith("<") and _HTML.search(text[:4096])):
        from flashcards.importer.html_tables import read_html

        return read_html(text, display)
    if "|" not in text and "｜" not in text and "\t" in text.lstrip().split("\n", 1)[0]:
        from flashcards.importer.delimited import read_delimited

        return read_delimited(text, display, tab=True)
    from flashcards.importer.pipes import read_pipe_text

    return read_pipe_text(text, display)


def _read_bytes(path: Path, display: str) -> bytes:
    def refuse(message: str) -> SourceError:
        return SourceError([Problem(display, None, None, message)])

    try:
        info = path.stat()
    except FileNotFoundError:
        raise refuse("no such file") from None
    except OSError as error:
        raise refuse(f"cannot be read: {error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise refuse("is a folder; name the study sheet's file")
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
        raise refuse(f"is {kind}, not a file; name the study sheet's file")
    if info.st_size > MAX_SHEET_BYTES:
        raise refuse(
            f"the file has {info.st_size / 1024 / 1024:.0f} MB; a study sheet may have at most "
            f"{MAX_SHEET_BYTES // 1024 // 1024} MB"
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise refuse("is not a regular file; name the study sheet's file")
            return file.read(MAX_SHEET_BYTES + 1)[:MAX_SHEET_BYTES]
    except OSError as error:
        raise refuse(f"cannot be read: {error.strerror}") from None
