"""Read a clean source with yaml-rs piece by piece, so that a large file never becomes one tree of values.

A source's top level is a mapping whose keys start at column 0; each one (``deck:``, ``concepts:``, …)
is read on its own, and a key whose value is a block list (``concepts:`` then ``  - …`` lines) gives an
``Entries`` that reads its items a batch at a time, while the parser turns the previous batch into
the deck. The pieces are cut where YAML itself starts a new key or list item, and every piece must
read as exactly what its cut promises (one key; as many items as its lines start). When a cut falls
anywhere else — inside a quoted text spread over lines, say — that piece does not read so, and the
file is read again whole and exactly (``ReadAgain``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

try:  # a YAML 1.2 parser in Rust, several times faster than libyaml on the happy path
    import yaml_rs
except ImportError:  # pragma: no cover - it is a dependency; the rest works without it
    yaml_rs = None  # type: ignore[assignment]

#: Entries read by one call of the parser: large enough that a call costs little, small enough that
#: a batch of raw values is a small part of the deck.
BATCH = 200

#: A line that starts at column 0 and is neither blank, a comment nor a list item: where a top-level key
#: starts, if the file cuts cleanly (found after its line break, which the regex engine searches for far
#: faster than a line start).
_TOP_LEVEL = re.compile(rb"\n[^\s#\-]")
#: How a top-level key this module cuts at may start: a letter, a digit, ``_`` or a quote. (A flow
#: mapping, a tag or any other indicator at column 0 sends the file to be read whole.)
_KEY_START = re.compile(rb"[A-Za-z0-9_\"']")
#: A key whose value starts on the next line: ``concepts:`` (maybe with a comment).
_BARE_KEY = re.compile(rb"([a-z]+):[ \t]*(?:#[^\r\n]*)?\r?\n")
#: The first line of a block list: its indentation.
_FIRST_ITEM = re.compile(rb"(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*( *)-(?: |\r?\n)")
#: A line break that is a carriage return alone, which YAML reads as a line break, and the cuts do not.
_LONE_CR = re.compile(rb"\r(?!\n)")
#: The header of a block scalar (``|``, ``>-``, …) ending a line: one that ends a piece holds an empty
#: text, which yaml-rs reads as a line break at the end of its input (libyaml, and yaml-rs elsewhere, as
#: an empty text).
_BLOCK_HEADER = re.compile(rb"[|>][0-9+-]*[ \t]*(?:#[^\r\n]*)?\Z")


class ReadAgain(Exception):
    """A piece did not read as its cut promised: read the whole file again, exactly."""


class Entries:
    """The items of one top-level block list, read by yaml-rs a batch at a time when iterated."""

    def __init__(self, text: bytes, starts: list[int], end: int) -> None:
        self._text = text
        self._starts = starts
        self._end = end

    def __len__(self) -> int:
        """The number of items the list was cut into (each batch is checked against it when read)."""
        return len(self._starts)

    def __iter__(self) -> Iterator[Any]:
        starts, end = self._starts, self._end
        for first in range(0, len(starts), BATCH):
            last = first + BATCH
            stop = starts[last] if last < len(starts) else end
            items = _load(self._text[starts[first] : stop])
            if type(items) is not list or len(items) != len(starts[first:last]):
                raise ReadAgain
            yield from items


def available() -> bool:
    return yaml_rs is not None


def read(raw: bytes) -> Any:
    """The document in UTF-8 ``raw``: a top-level mapping with its block lists as ``Entries`` when the
    file cuts cleanly into top-level keys, else read whole. Raises ``ReadAgain`` when yaml-rs finds it
    wrong, or a piece reads otherwise than its cut promised."""
    pieces = _read_pieces(raw)
    return _load(raw) if pieces is None else pieces


def _read_pieces(raw: bytes) -> dict[str, Any] | None:
    """The top-level mapping cut into keys, or None when the file does not cut cleanly."""
    if b"\r" in raw and _LONE_CR.search(raw):
        return None
    starts = [0] if _TOP_LEVEL.match(b"\n" + raw[:1]) else []
    starts.extend(m.start() + 1 for m in _TOP_LEVEL.finditer(raw))
    if not starts or not _only_comments(raw[: starts[0]]):
        return None
    if not all(_KEY_START.match(raw, start) for start in starts):
        return None
    starts.append(len(raw))
    data: dict[str, Any] = {}
    for start, end in itertools.pairwise(starts):
        key, value = _section(raw, start, end)
        if key in data:
            return None  # read whole, which finds the duplicate; the exact reading then says where
        data[key] = value
    return data


def _only_comments(text: bytes) -> bool:
    return all(not line.strip() or line.lstrip().startswith(b"#") for line in text.splitlines())


def _section(raw: bytes, start: int, end: int) -> tuple[str, Any]:
    """One top-level key and its value; a block list's items are cut where each starts."""
    header = _BARE_KEY.match(raw, start, end)
    first = _FIRST_ITEM.match(raw, header.end(), end) if header else None
    if header is None or first is None:
        value = _load(raw[start:end])
        if type(value) is not dict or len(value) != 1 or type(next(iter(value))) is not str:
            raise ReadAgain
        [(key, item)] = value.items()
        return key, item
    body = first.start(1)
    item = re.compile(rb"\n" + first.group(1) + rb"-(?: |\r?\n)")
    starts = [body, *(m.start() + 1 for m in item.finditer(raw, body, end))]
    return header.group(1).decode(), Entries(raw, starts, end)


def _load(piece: bytes) -> Any:
    tail = piece[-4096:].rstrip()
    if _BLOCK_HEADER.search(tail, tail.rfind(b"\n") + 1):
        raise ReadAgain
    try:
        return yaml_rs.loads(piece.decode("utf-8"))
    except (UnicodeDecodeError, yaml_rs.YAMLDecodeError, ValueError):
        raise ReadAgain from None
