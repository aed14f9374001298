"""The items of a top-level block list, or the keys of a top-level block mapping, read a batch at a time as
they are iterated; when a batch does not read as it was cut, the rest comes from the whole file's reading."""

from __future__ import annotations

import itertools
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from flashcards.source import _yaml_fast

if TYPE_CHECKING:
    from flashcards.source._yaml_file import File


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
        """The number of items where the file was cut; should a batch then not read as cut (a quoted text
        whose second line looks like an item), the number the whole file's reading gives from then on."""
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
