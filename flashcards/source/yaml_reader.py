"""Read a YAML file into plain values, and say where each one was written.

Every scalar is the text as written (``yes``, ``1.10`` and ``2024-01-01`` stay text); only an empty
value, ``~`` or ``null`` is None. Aliases, merge keys, duplicate keys, a second document and characters
YAML does not allow are refused, each with its line and column. What a file says is what PyYAML's
libyaml parser reads (``_yaml_exact``); a file that cuts cleanly into top-level keys is read a key at a
time (``_yaml_file``), and its block lists a batch of items at a time as they are iterated
(``_yaml_batches``), each piece by yaml-rs when that gives exactly the same values (``_yaml_fast``), else
by libyaml.

Positions cost nothing until asked (``_yaml_where``). The start of an item of a top-level list is known from
where the file was cut, its keys from its lines; a position deeper inside one item reads that item again;
other positions read their top-level key again. A file read whole records the positions of its top-level
lists' items and their keys as it is read; a position deeper than that reads it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flashcards.errors import Problem, SourceError
from flashcards.source import _yaml_exact
from flashcards.source._yaml_batches import Entries, Lines
from flashcards.source._yaml_exact import EMPTY_FILE
from flashcards.source._yaml_file import BATCH, File
from flashcards.source.positions import KeyPath, Position, format_key_path

__all__ = [
    "BATCH",
    "EMPTY_FILE",
    "Document",
    "Entries",
    "KeyPath",
    "Lines",
    "Position",
    "format_key_path",
    "read_yaml",
]


def read_yaml(
    path: Path,
    shown_path: str,
    *,
    batch: int = BATCH,
    empty: str = EMPTY_FILE,
    mappings_in_batches: bool = False,
) -> Document:
    """Read one YAML file; SourceError with every problem found, each with its position.

    ``batch``: how many items of a top-level list are read at a time as it is iterated (tests make it
    small to cut a small file into many pieces; any size gives the same values). ``empty``: what to say
    of a file with nothing in it but blank lines and comments. ``mappings_in_batches``: a top-level key's
    block mapping is read a batch of keys at a time too, as ``Lines`` (a mapping whose ``items()`` reads
    them as it goes: for a file of many one-line entries, such as the lock file).
    """
    written = path.stat()
    raw = path.read_bytes()
    if not raw or raw.isspace():
        raise SourceError([Problem(shown_path, None, None, empty)])
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]:
        _yaml_exact.decode(raw, shown_path)  # UTF-16 or UTF-32, which libyaml would read but a source may not
    file = File(path, shown_path, raw, written, batch, empty, mappings=mappings_in_batches)
    return Document(shown_path, file, file.read())


class Document:
    """A YAML document as plain values, with the position of every key and value found on demand."""

    def __init__(self, path: str, file: File, data: Any) -> None:
        self.path = path
        self._file = file
        #: Plain dicts, lists, str and None; a top-level key's block list may be ``Entries`` (and its block
        #: mapping ``Lines``, when read with ``mappings_in_batches``).
        self.data: Any = data

    @property
    def file(self) -> Path:
        return self._file.path

    def position(self, key_path: KeyPath) -> Position:
        """Where the value at ``key_path`` starts; its nearest parent's start when it is absent."""
        return self._nearest(key_path, of_key=False)

    def key_position(self, key_path: KeyPath) -> Position:
        """Where the key of the value at ``key_path`` starts (an item of a list has none: its value's)."""
        return self._nearest(key_path, of_key=True)

    def problem(self, key_path: KeyPath, message: str, *, of_key: bool = False) -> Problem:
        pos = self._nearest(key_path, of_key=of_key)
        return Problem(self.path, pos.line, pos.column, message, key=format_key_path(key_path))

    def _nearest(self, key_path: KeyPath, *, of_key: bool) -> Position:
        path = key_path
        while path:
            found = self._file.find(path, of_key=of_key)
            if found is not None:
                return found
            path = path[:-1]
        return self._file.find((), of_key=False) or Position(1, 1)
