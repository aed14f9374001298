"""Read a YAML file into plain values, and say where each one was written.

Every scalar is the text as written (``yes``, ``1.10`` and ``2024-01-01`` stay text); only an empty
value, ``~`` or ``null`` is None. Aliases, merge keys, duplicate keys, a second document and characters
YAML does not allow are refused, each with its line and column. What a file says is what PyYAML's
libyaml parser reads (``_yaml_exact``); a file that cuts cleanly into top-level keys is read a key at a
time, and its block lists a batch of items at a time as they are iterated, each piece by yaml-rs when
that gives exactly the same values (``_yaml_fast``), else by libyaml.

Positions cost nothing until asked. The start of an item of a top-level list is known from where the
file was cut; a position inside one item reads that item again; other positions read their top-level
key again, and a file read whole records the positions of its top-level lists' items and their keys as
it is read. A position deeper than that, in a file read whole, reads the file again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from flashcards.errors import Problem, SourceError
from flashcards.source import _yaml_exact, _yaml_fast
from flashcards.source._yaml_exact import EMPTY_FILE, Reading, Refused
from flashcards.source.positions import KeyPath, Position, format_key_path

__all__ = ["EMPTY_FILE", "Document", "Entries", "KeyPath", "Position", "format_key_path", "read_yaml"]

#: Items of a top-level list read by one call of the parser: large enough that a call costs little,
#: small enough that a batch of raw values is a small part of a large deck.
BATCH = 200
#: A file read whole records where values and keys start down to this depth: ``("concepts", 3, "id")``.
_WHOLE_DEPTH = 3
_EVERYWHERE = 1 << 30
#: The start of an item of a block list up to its first key: ``  - ``.
_ITEM_DASH = re.compile(rb" *- +(?=[^\s#])")
#: A line's plain key (it cannot start with an indicator or a quote) and where its value starts on that line.
_PLAIN_KEY = re.compile(rb"([^\s#'\"?&!*{}\[\]|>%@`,-][^\r\n]*?):(?:[ \t]+(?:([^\s#])|#|\r?$)|\r?$)")


def read_yaml(path: Path, shown_path: str, *, batch: int = BATCH, empty: str = EMPTY_FILE) -> Document:
    """Read one YAML file; SourceError with every problem found, each with its position.

    ``batch``: how many items of a top-level list are read at a time as it is iterated (tests make it
    small to cut a small file into many pieces; any size gives the same values). ``empty``: what to say
    of a file with nothing in it but blank lines and comments.
    """
    raw = path.read_bytes()
    if not raw or raw.isspace():
        raise SourceError([Problem(shown_path, 1, 1, empty)])
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]:
        _yaml_exact.decode(raw, shown_path)  # UTF-16 or UTF-32, which libyaml would read but a source may not
    return Document(shown_path, _File(path, shown_path, raw.removeprefix(b"\xef\xbb\xbf"), batch, empty))


class Document:
    """A YAML document as plain values, with the position of every key and value found on demand."""

    def __init__(self, path: str, file: _File) -> None:
        self.path = path
        self._file = file
        #: Plain dicts, lists, str and None; a top-level key's block list may be ``Entries``.
        self.data: Any = file.data

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


class Entries(Sequence[Any]):
    """The items of a top-level block list, read a batch at a time as they are iterated."""

    def __init__(self, file: _File, key: str, section: _yaml_fast.Section) -> None:
        self._file = file
        self._key = key
        self._section = section
        #: The batches read so far (each read checks the cut that ends the one before it).
        self._checked = 0
        self._cached: tuple[int, list[Any]] | None = None

    def __len__(self) -> int:
        whole = self._whole()
        return len(self._section.items) if whole is None else len(whole)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return list(self)[index]
        size = len(self)
        if not -size <= index < size:
            raise IndexError(index)
        index %= size
        whole = self._whole()
        if whole is not None:
            return whole[index]
        number = index // self._file.batch
        for earlier in range(self._checked, number):
            self._batch(earlier)
        items = self._batch(number)
        whole = self._whole()
        return items[index % self._file.batch] if whole is None else whole[index]

    def __iter__(self) -> Iterator[Any]:
        done = 0
        while self._whole() is None and done < len(self._section.items):
            items = self._batch(done // self._file.batch)
            if self._whole() is not None:
                break
            yield from items
            done += len(items)
        whole = self._whole()
        if whole is not None:  # a batch did not read as cut: the rest as the whole file reads
            yield from whole[done:]

    def _whole(self) -> list[Any] | None:
        """The list as the whole file's exact reading gives it, once the file had to be read so."""
        if self._file.whole is None:
            return None
        value = self._file.whole.get(self._key) if isinstance(self._file.whole, dict) else None
        return value if isinstance(value, list) else []

    def _batch(self, number: int) -> list[Any]:
        if self._cached is not None and self._cached[0] == number:
            return self._cached[1]
        items = self._file.read_items(self._section, number)
        self._checked = max(self._checked, number + 1)
        self._cached = (number, items)
        return items


class _File:
    """One file being read: its pieces, how each was read, and the positions found so far."""

    def __init__(self, path: Path, shown_path: str, raw: bytes, batch: int, empty: str) -> None:
        self.path = path
        self.empty = empty
        self.shown_path = shown_path
        self.raw = raw
        self.batch = max(1, batch)
        #: The whole file's values, once it had to be read whole.
        self.whole: Any = None
        self._whole_values: dict[KeyPath, Position] = {}
        self._whole_keys: dict[KeyPath, Position] = {}
        self._everywhere: Reading | None = None
        self._located: dict[tuple[int, int], Reading] = {}
        self._keys_of_item: tuple[tuple[int, int], dict[str, tuple[Position, Position | None]]] | None = None
        self.sections: dict[str, _yaml_fast.Section] = {}
        self.data = self._read()

    def _read(self) -> Any:
        sections = _yaml_fast.cut(self.raw)
        if sections is None:
            return self._read_whole()
        data: dict[str, Any] = {}
        for section in sections:
            if section.key is not None:
                key, value = section.key, Entries(self, section.key, section)
                if section.end < len(self.raw):  # its last piece ends where the next key starts: check it
                    value._batch((len(section.items) - 1) // self.batch)
            else:
                piece = self._piece(section.start, section.end)
                if type(piece) is not dict or len(piece) != 1:
                    return self._read_whole()
                [(key, value)] = piece.items()
            if self.whole is not None:
                return self.whole
            if key in data:
                return self._read_whole()
            data[key] = value
            self.sections[key] = section
        return data

    def _piece(self, start: int, end: int) -> Any:
        """The values of the text from ``start`` to ``end``; ``REFUSED`` when it does not read alone."""
        piece = self.raw[start:end]
        values = _yaml_fast.read(piece)
        if values is not _yaml_fast.REFUSED:
            return values
        try:
            return Reading(self.shown_path).read(piece)
        except Refused:
            return _yaml_fast.REFUSED

    def read_items(self, section: _yaml_fast.Section, number: int) -> list[Any]:
        """The items of one batch of a top-level list; when they do not read as cut, the file is read
        whole (then ``self.whole`` has the list)."""
        first = number * self.batch
        last = first + self.batch
        items = section.items
        end = items[last] if last < len(items) else section.end
        values = self._piece(items[first], end)
        if type(values) is not list or len(values) != len(items[first:last]):
            self._read_whole()
            return []
        return values

    def _read_whole(self) -> Any:
        """The whole file read exactly (every problem reported, with positions, when there is one)."""
        reading = Reading(self.shown_path, depth=_WHOLE_DEPTH)
        try:
            data = reading.read(self.raw)
        except Refused:
            data = self._read_everywhere().read(_yaml_exact.decode(self.raw, self.shown_path))
            reading = self._read_everywhere()
        if _yaml_exact.is_unset(data):
            raise SourceError([Problem(self.shown_path, 1, 1, self.empty)])
        self.whole, self._whole_values, self._whole_keys = data, reading.values, reading.keys
        self.sections = {}
        self._located = {}
        return data

    def _read_everywhere(self) -> Reading:
        if self._everywhere is None:
            self._everywhere = Reading(self.shown_path, collect=True, depth=_EVERYWHERE)
        return self._everywhere

    def find(self, key_path: KeyPath, *, of_key: bool) -> Position | None:
        """Where ``key_path`` (or its key) starts; None when there is no such value."""
        if self.whole is None and self.sections:
            return self._find_in_pieces(key_path, of_key=of_key)
        found = self._whole_keys.get(key_path) if of_key else None
        if found is None:
            found = self._whole_values.get(key_path)
        if found is not None or len(key_path) <= _WHOLE_DEPTH:
            return found
        everywhere = self._read_everywhere()
        if not everywhere.values:
            everywhere.read(_yaml_exact.decode(self.raw, self.shown_path))
        found = everywhere.keys.get(key_path) if of_key else None
        return everywhere.values.get(key_path) if found is None else found

    def _find_in_pieces(self, key_path: KeyPath, *, of_key: bool) -> Position | None:
        if not key_path:
            top = min(self.sections.values(), key=lambda s: s.start)
            return Position(top.line, 1)
        section = self.sections.get(key_path[0]) if isinstance(key_path[0], str) else None
        if section is None:
            return None
        if len(key_path) == 1 and of_key:
            return Position(section.line, 1)
        if section.key is None:  # a top-level key's value that is not a block list: read it again
            return self._locate(section.start, section.end, section.line, key_path, of_key=of_key)
        return self._find_in_list(section, key_path[1:], of_key=of_key)

    def _find_in_list(self, section: _yaml_fast.Section, path: KeyPath, *, of_key: bool) -> Position | None:
        """A position in a top-level block list; ``path`` starts with the index of an item."""
        lines = section.item_lines
        assert lines is not None
        if not path:  # a block list starts at its first '-'
            column = self.raw.index(b"-", section.items[0]) - section.items[0] + 1
            return Position(lines[0], column)
        index = path[0]
        if not isinstance(index, int) or not 0 <= index < len(section.items):
            return None
        if len(path) == 1:
            quick = self._item_start(section, index)
            if quick is not None:
                return quick
        if len(path) == 2 and isinstance(path[1], str):
            keys = self._item_keys(section, index)
            if keys is not None and path[1] not in keys:
                return None
            if keys is not None and (of_key or keys[path[1]][1] is not None):
                return keys[path[1]][0 if of_key else 1]
        end = section.items[index + 1] if index + 1 < len(section.items) else section.end
        return self._locate(section.items[index], end, lines[index], (0, *path[1:]), of_key=of_key)

    def _item_start(self, section: _yaml_fast.Section, index: int) -> Position | None:
        """Where an item's value starts when it is on its ``- `` line (else None)."""
        start = section.items[index]
        dash = self.raw.index(b"-", start)
        at = dash + 1
        while self.raw[at : at + 1] in (b" ", b"\t"):
            at += 1
        if self.raw[at : at + 1] in (b"\n", b"\r", b"#", b""):
            return None
        assert section.item_lines is not None
        return Position(section.item_lines[index], at - start + 1)

    def _item_keys(
        self, section: _yaml_fast.Section, index: int
    ) -> dict[str, tuple[Position, Position | None]] | None:
        """Where each key of an item and its value start (None: on a later line), found from its lines when
        the item is a block mapping of plain keys: then the lines at its keys' indentation hold exactly its
        keys, in order. None for any other item (its positions are then found by reading it again)."""
        if self._keys_of_item is not None and self._keys_of_item[0] == (section.start, index):
            return self._keys_of_item[1]
        start = section.items[index]
        end = section.items[index + 1] if index + 1 < len(section.items) else section.end
        dash = _ITEM_DASH.match(self.raw, start, end)
        values = self._piece(start, end) if dash else None
        if dash is None or type(values) is not list or len(values) != 1 or type(values[0]) is not dict:
            return None
        assert section.item_lines is not None
        indent = dash.end() - start
        found: dict[str, tuple[Position, Position | None]] = {}
        lines = self.raw[start:end].split(b"\n")
        lines[0] = b" " * indent + lines[0][indent:]
        for number, text in enumerate(lines):
            content = text.lstrip(b" ")
            if not content.strip() or content.startswith(b"#") or len(text) - len(content) > indent:
                continue
            key_line = _PLAIN_KEY.match(text, indent) if len(text) - len(content) == indent else None
            if key_line is None or key_line.group(1).decode() in found:
                return None  # something else at (or left of) the keys' indentation
            value = None if key_line.group(2) is None else Position(0, key_line.start(2) + 1)
            line = section.item_lines[index] + number
            found[key_line.group(1).decode()] = (
                Position(line, indent + 1),
                None if value is None else Position(line, value.column),
            )
        if list(found) != list(values[0]):
            return None
        self._keys_of_item = ((section.start, index), found)
        return found

    def _locate(self, start: int, end: int, line: int, path: KeyPath, *, of_key: bool) -> Position | None:
        """A position found by reading the text from ``start`` to ``end`` (on ``line``) again."""
        reading = self._located.get((start, end))
        if reading is None:
            reading = Reading(self.shown_path, collect=True, depth=_EVERYWHERE)
            try:
                reading.read(self.raw[start:end].decode("utf-8"))
            except SourceError:  # pragma: no cover - a piece that read well reads well again
                return None
            if len(self._located) > 64:
                self._located.clear()
            self._located[(start, end)] = reading
        found = reading.keys.get(path) if of_key else None
        if found is None:
            found = reading.values.get(path)
        return None if found is None else Position(found.line + line - 1, found.column)
