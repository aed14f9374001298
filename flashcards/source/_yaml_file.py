"""A YAML file being read: cut into pieces where it cuts cleanly, each piece read fast or exactly, and the
whole file read exactly when a piece does not read as its cut promised."""

from __future__ import annotations

import itertools
import os
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

from flashcards.errors import Problem, SourceError
from flashcards.source import _yaml_exact, _yaml_fast
from flashcards.source._yaml_exact import Reading, Refused
from flashcards.source._yaml_where import Where
from flashcards.source.positions import KeyPath, Position

#: Items of a top-level list read by one call of the parser: large enough that a call costs little,
#: small enough that a batch of raw values is a small part of a large deck.
BATCH = 200
#: A file read whole records where values and keys start down to this depth: ``("concepts", 3, "id")``.
_WHOLE_DEPTH = 3
#: A batch of a mapping's keys holds this many times as many as one of a list's items.
_KEYS_PER_ITEM = 10
_BOM = b"\xef\xbb\xbf"
#: Bytes read at a time from the file once it has been cut.
_WINDOW = 1 << 16
_EVERYWHERE = 1 << 30


class Entries(Sequence[Any]):
    """The items of a top-level block list, read a batch at a time as they are iterated."""

    def __init__(self, file: File, key: str, section: _yaml_fast.Section) -> None:
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
            self.batch(earlier)
        items = self.batch(number)
        whole = self._whole()
        return items[index % self._file.batch] if whole is None else whole[index]

    def __iter__(self) -> Iterator[Any]:
        done = 0
        while self._whole() is None and done < len(self._section.items):
            items = self.batch(done // self._file.batch)
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

    def batch(self, number: int) -> list[Any]:
        if self._cached is not None and self._cached[0] == number:
            return self._cached[1]
        items: list[Any] = self._file.read_batch(self._section, number)
        self._checked = max(self._checked, number + 1)
        self._cached = (number, items)
        return items


class Lines(Mapping[str, Any]):
    """The keys of a top-level block mapping and their values, read a batch at a time as its ``items()``
    are iterated (looking one key up reads the batches up to it)."""

    def __init__(self, file: File, key: str, section: _yaml_fast.Section) -> None:
        self._file = file
        self._key = key
        self._section = section
        self._cached: tuple[int, dict[str, Any]] | None = None

    def __len__(self) -> int:
        whole = self._whole()
        return len(self._section.items) if whole is None else len(whole)

    def __getitem__(self, key: str) -> Any:
        for name, value in self._pairs():
            if name == key:
                return value
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._pairs())

    def items(self) -> ItemsView[str, Any]:
        return _LinesItems(self)

    def _pairs(self) -> Iterator[tuple[str, Any]]:
        done = 0
        # A key twice in two batches: the whole file's reading refuses it. (The keys' hashes are kept, not
        # the keys: an equal hash of two keys only has the file read whole, to no other effect.)
        seen: set[int] = set()
        while self._whole() is None and done < len(self._section.items):
            lines = self.batch(done // self._file.batch_size(self._section))
            hashes = [hash(key) for key in lines]
            if self._whole() is None and not seen.isdisjoint(hashes):
                self._file.read_whole()
            if self._whole() is not None:
                break
            seen.update(hashes)
            yield from lines.items()
            done += len(lines)
        whole = self._whole()
        if whole is not None:  # a batch did not read as cut: the rest as the whole file reads
            yield from itertools.islice(whole.items(), done, None)

    def _whole(self) -> dict[str, Any] | None:
        if self._file.whole is None:
            return None
        value = self._file.whole.get(self._key) if isinstance(self._file.whole, dict) else None
        return value if isinstance(value, dict) else {}

    def batch(self, number: int) -> dict[str, Any]:
        if self._cached is not None and self._cached[0] == number:
            return self._cached[1]
        lines: dict[str, Any] = self._file.read_batch(self._section, number)
        self._cached = (number, lines)
        return lines


class _LinesItems(ItemsView[str, Any]):
    _mapping: Lines

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return self._mapping._pairs()


class File:
    """One file being read: its pieces, how each was read, and the positions found so far."""

    def __init__(
        self,
        path: Path,
        shown_path: str,
        raw: bytes,
        written: os.stat_result,
        batch: int,
        empty: str,
        *,
        mappings: bool,
    ) -> None:
        self.path = path
        self.empty = empty
        self.shown_path = shown_path
        self.batch = max(1, batch)
        self.mappings = mappings
        #: The file's text is read again from the file a piece at a time once it has been cut, and is not
        #: kept (a large deck's text would stay in memory as long as its positions might be asked).
        self._raw: bytes | None = raw.removeprefix(_BOM)
        self._bom = len(raw) - len(self._raw)
        self._written = (written.st_size, written.st_mtime_ns)
        self._window: tuple[int, bytes] = (0, b"")
        #: The whole file's values, once it had to be read whole.
        self.whole: Any = None
        self._whole_values: dict[KeyPath, Position] = {}
        self._whole_keys: dict[KeyPath, Position] = {}
        self._everywhere: Reading | None = None
        self.sections: dict[str, _yaml_fast.Section] = {}
        self._where = Where(self)

    def read(self) -> Any:
        """The file's values (a top-level list as ``Entries``; a top-level mapping, if asked, ``Lines``)."""
        try:
            return self._read()
        finally:
            self._raw = None

    def text(self, start: int = 0, end: int | None = None) -> bytes:
        """The file's bytes from ``start`` to ``end`` (after a byte-order mark), read from the file once it
        has been cut; SourceError if it has changed since."""
        if self._raw is not None:
            return self._raw[start:end]
        window_start, window = self._window
        if end is not None and window_start <= start and end <= window_start + len(window):
            return window[start - window_start : end - window_start]
        with self.path.open("rb") as file:
            now = os.fstat(file.fileno())
            if (now.st_size, now.st_mtime_ns) != self._written:
                raise SourceError(
                    [Problem(self.shown_path, None, None, "the file changed while it was read; run again")]
                )
            file.seek(self._bom + start)
            if end is None:
                return file.read()
            # Positions are mostly asked in the order of the file: read a little ahead for the next ones.
            self._window = (start, file.read(max(end - start, _WINDOW)))
        return self._window[1][: end - start]

    def _read(self) -> Any:
        raw = self.text()
        sections = _yaml_fast.cut(raw, mappings=self.mappings)
        if sections is None:
            return self.read_whole()
        data: dict[str, Any] = {}
        for section in sections:
            if section.key is not None:
                key, value = section.key, (Lines if section.mapping else Entries)(self, section.key, section)
                if section.end < len(raw):  # its last piece ends where the next key starts: check it
                    value.batch((len(section.items) - 1) // self.batch_size(section))
            else:
                piece = self.piece(section.start, section.end)
                if type(piece) is not dict or len(piece) != 1:
                    return self.read_whole()
                [(key, value)] = piece.items()
            if self.whole is not None:
                return self.whole
            if key in data:
                return self.read_whole()
            data[key] = value
            self.sections[key] = section
        return data

    def piece(self, start: int, end: int) -> Any:
        """The values of the text from ``start`` to ``end``; ``REFUSED`` when it does not read alone."""
        piece = self.text(start, end)
        values = _yaml_fast.read(piece)
        if values is not _yaml_fast.REFUSED:
            return values
        try:
            return Reading(self.shown_path).read(piece)
        except Refused:
            return _yaml_fast.REFUSED

    def batch_size(self, section: _yaml_fast.Section) -> int:
        """Items of a list, or keys of a mapping (most of them one line), read at a time."""
        return self.batch * _KEYS_PER_ITEM if section.mapping else self.batch

    def read_batch(self, section: _yaml_fast.Section, number: int) -> Any:
        """One batch of the items of a top-level block list (a list), or of the keys of a top-level block
        mapping (a dict); when it does not read as cut, the file is read whole (then ``self.whole`` has
        it) and the batch is empty."""
        size = self.batch_size(section)
        first = number * size
        last = first + size
        items = section.items
        end = items[last] if last < len(items) else section.end
        values = self.piece(items[first], end)
        if type(values) is not (dict if section.mapping else list) or len(values) != len(items[first:last]):
            self.read_whole()
            return {} if section.mapping else []
        return values

    def read_whole(self) -> Any:
        """The whole file read exactly (every problem reported, with positions, when there is one)."""
        reading = Reading(self.shown_path, depth=_WHOLE_DEPTH)
        try:
            raw = self.text()
            data = reading.read(raw)
        except Refused:
            data = self._read_everywhere().read(_yaml_exact.decode(raw, self.shown_path))
            reading = self._read_everywhere()
        if _yaml_exact.is_unset(data):
            raise SourceError([Problem(self.shown_path, 1, 1, self.empty)])
        self.whole, self._whole_values, self._whole_keys = data, reading.values, reading.keys
        self.sections = {}
        return data

    def _read_everywhere(self) -> Reading:
        if self._everywhere is None:
            self._everywhere = Reading(self.shown_path, collect=True, depth=_EVERYWHERE)
        return self._everywhere

    def find(self, key_path: KeyPath, *, of_key: bool) -> Position | None:
        """Where ``key_path`` (or its key) starts; None when there is no such value."""
        if self.whole is None and self.sections:
            return self._where.find(key_path, of_key=of_key)
        found = self._whole_keys.get(key_path) if of_key else None
        if found is None:
            found = self._whole_values.get(key_path)
        if found is not None or len(key_path) <= _WHOLE_DEPTH:
            return found
        everywhere = self._read_everywhere()
        if not everywhere.values:
            everywhere.read(_yaml_exact.decode(self.text(), self.shown_path))
        found = everywhere.keys.get(key_path) if of_key else None
        return everywhere.values.get(key_path) if found is None else found
