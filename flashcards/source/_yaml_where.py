"""Where a value or a key of a file read in pieces starts, found without reading the whole file again."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flashcards.errors import SourceError
from flashcards.source import _yaml_fast
from flashcards.source._yaml_exact import Reading
from flashcards.source.positions import KeyPath, Position

if TYPE_CHECKING:
    from flashcards.source._yaml_file import File

_EVERYWHERE = 1 << 30
#: Enough of an item's text to hold its first line up to its value.
_HEAD = 4096
#: The start of an item of a block list up to its first key: ``  - ``.
_ITEM_DASH = re.compile(rb" *- +(?=[^\s#])")
#: A line's plain key (it cannot start with an indicator or a quote) and where its value starts on that line.
_PLAIN_KEY = re.compile(rb"([^\s#'\"?&!*{}\[\]|>%@`,-][^\r\n]*?):(?:[ \t]+(?:([^\s#])|#|\r?$)|\r?$)")


class Where:
    """The positions in one file read in pieces; what was read again to find them is kept a while."""

    def __init__(self, file: File) -> None:
        self.file = file
        self._located: dict[tuple[int, int], Reading] = {}
        self._keys_of_item: tuple[tuple[int, int], dict[str, tuple[Position, Position | None]]] | None = None

    def find(self, key_path: KeyPath, *, of_key: bool) -> Position | None:
        if not key_path:
            top = min(self.file.sections.values(), key=lambda s: s.start)
            return Position(top.line, 1)
        section = self.file.sections.get(key_path[0]) if isinstance(key_path[0], str) else None
        if section is None:
            return None
        if len(key_path) == 1 and of_key:
            return Position(section.line, 1)
        if section.key is None or section.mapping:  # not a block list: read the top-level key again
            return self._locate(section.start, section.end, section.line, key_path, of_key=of_key)
        return self._find_in_list(section, key_path[1:], of_key=of_key)

    def _find_in_list(self, section: _yaml_fast.Section, path: KeyPath, *, of_key: bool) -> Position | None:
        """A position in a top-level block list; ``path`` starts with the index of an item."""
        lines = section.item_lines
        assert lines is not None
        if not path:  # a block list starts at its first '-'
            column = (
                self.file.text(section.items[0], min(section.end, section.items[0] + _HEAD)).index(b"-") + 1
            )
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
        end = section.items[index + 1] if index + 1 < len(section.items) else section.end
        head = self.file.text(start, min(end, start + _HEAD))
        at = head.index(b"-") + 1
        while head[at : at + 1] in (b" ", b"\t"):
            at += 1
        if head[at : at + 1] in (b"\n", b"\r", b"#", b""):
            return None
        assert section.item_lines is not None
        return Position(section.item_lines[index], at + 1)

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
        text = self.file.text(start, end)
        dash = _ITEM_DASH.match(text)
        values = self.file.piece(start, end) if dash else None
        if dash is None or type(values) is not list or len(values) != 1 or type(values[0]) is not dict:
            return None
        assert section.item_lines is not None
        indent = dash.end()
        found: dict[str, tuple[Position, Position | None]] = {}
        lines = text.split(b"\n")
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
            reading = Reading(self.file.shown_path, collect=True, depth=_EVERYWHERE)
            try:
                reading.read(self.file.text(start, end).decode("utf-8"))
            except SourceError:  # pragma: no cover - a piece that read well reads well again
                return None
            if len(self._located) > 64:
                self._located.clear()
            self._located[(start, end)] = reading
        found = reading.keys.get(path) if of_key else None
        if found is None:
            found = reading.values.get(path)
        return None if found is None else Position(found.line + line - 1, found.column)
