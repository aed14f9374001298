"""A YAML file being read: cut into pieces where it cuts cleanly, each piece read fast or exactly, and the
whole file read exactly when a piece does not read as its cut promised."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flashcards.errors import Problem, SourceError
from flashcards.source import _yaml_exact, _yaml_fast
from flashcards.source._yaml_batches import Entries, Lines
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
            raise SourceError([Problem(self.shown_path, None, None, self.empty)])
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
