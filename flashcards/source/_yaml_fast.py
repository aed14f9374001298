"""The fast way to read a source: cut into pieces where YAML itself starts a top-level key or a list item,
each piece read by yaml-rs (a YAML 1.2 parser in Rust, about twenty times faster than libyaml here).

Nothing here decides what a file says: a piece's values are kept only when they are exactly what
libyaml's reading (``_yaml_exact``) gives, and ``yaml_reader`` reads a piece or the file exactly
whenever this module says ``REFUSED``.
"""

from __future__ import annotations

import itertools
import re
from array import array
from dataclasses import dataclass
from typing import Any

try:
    import yaml_rs
except ImportError:  # pragma: no cover - it is a dependency; the exact reading works without it
    yaml_rs = None  # type: ignore[assignment]

#: Returned for a piece that yaml-rs cannot be trusted to read as libyaml does.
REFUSED: Any = object()

#: A line that starts at column 0 and is neither blank, a comment nor a list item: where a top-level key
#: starts, if the file cuts cleanly (found after its line break, which the regex engine finds fast).
_TOP_LEVEL = re.compile(rb"\n[^\s#\-]")
#: How a top-level key may start to be cut at: a letter, a digit, ``_`` or a quote. (A flow mapping, a
#: tag, a directive or any other indicator at column 0 sends the file to be read whole.)
_KEY_START = re.compile(rb"[A-Za-z0-9_\"']")
#: A key whose value starts on the next line: ``concepts:`` (maybe with a comment).
_BARE_KEY = re.compile(rb"([a-z]+):[ \t]*(?:#[^\r\n]*)?\r?\n")
#: The first line of a block list: its indentation.
_FIRST_ITEM = re.compile(rb"(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*( *)-(?: |\r?\n)")
#: The first line of a block mapping: its indentation.
_FIRST_KEY = re.compile(rb"(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*( +)[^\s#\-]")
#: A carriage return alone, which YAML reads as a line break and the cuts do not.
_LONE_CR = re.compile(rb"\r(?!\n)")
#: Characters that libyaml (YAML 1.1) and yaml-rs (YAML 1.2) read differently: C0 and C1 controls but tab
#: and line ends (refused by libyaml), NEL, U+2028 and U+2029 (line breaks in YAML 1.1 only), DEL, U+FFFE
#: and U+FFFF. A file with any of them is read by libyaml alone, whole.
_NOT_PRINTABLE = tuple(
    re.compile(pattern)  # each starts with one byte, which the regex engine finds fast
    for pattern in (rb"\xc2[\x80-\x9f]", rb"\xe2\x80[\xa8\xa9]", rb"\xef\xbf[\xbe\xbf]")
)
#: Every byte but C0 controls other than tab and line ends, and DEL (deleted, what is left is a control).
_NOT_CONTROL = bytes(sorted(set(range(256)) - set(range(0x20)) - {0x7F} | {0x09, 0x0A, 0x0D}))
#: The header of a block scalar (``|``, ``>-``, …) ending a piece: yaml-rs reads its empty text as a line
#: break there (libyaml as an empty text).
_BLOCK_HEADER = re.compile(rb"[|>][0-9+-]*[ \t]*(?:#[^\r\n]*)?\Z")
#: Where a plain scalar may start: after a line start, a space, a tab or a flow indicator.
_TOKEN = rb"(?<![^\s\[{,:?-])"
#: An anchor or a tag (yaml-rs honours ``!!int``, libyaml's reading keeps the text).
_ANCHOR_OR_TAG = re.compile(_TOKEN + rb"[&!]")
#: A plain scalar that yaml-rs may read as a whole number written otherwise than ``str(number)`` does:
#: with a sign, a leading zero, a base prefix or an underscore.
_ODD_NUMBER = re.compile(_TOKEN + rb"(?:[-+][0-9]|0[0-9A-Za-z_]|[0-9][0-9]*_)")
#: What such a number must have (found far faster than the pattern): a ``+``, an ``_``, or a ``-`` or a
#: ``0`` where a plain scalar may start (each such place made a space first).
_ODD_NUMBER_PARTS = (b"+", b"_", b" -", b" 0")
_SPACES = bytes.maketrans(b"\t\n[{,:?", b"       ")
#: The ways of writing a boolean other than ``true`` and ``false``.
_ODD_BOOLEANS = (b"True", b"TRUE", b"False", b"FALSE")


def available() -> bool:
    return yaml_rs is not None


@dataclass(frozen=True)
class Section:
    """One top-level key of a file cut into pieces: the bytes from its key to the next key."""

    start: int
    end: int
    #: The line its key is on.
    line: int
    #: For a block list (``concepts:`` then ``  - …`` lines): its key, where each item starts and its line.
    key: str | None = None
    items: tuple[int, ...] = ()
    item_lines: array[int] | None = None
    #: True when ``items`` are the keys of a block mapping (``notes:`` then ``  <key>: …`` lines).
    mapping: bool = False


def cut(raw: bytes, *, mappings: bool = False) -> list[Section] | None:
    """The top-level keys of a UTF-8 text, or None when it does not cut cleanly (it is then read whole).
    ``mappings``: cut a top-level key's block mapping at its keys, as a block list at its items."""
    if (b"\r" in raw and _LONE_CR.search(raw)) or raw.startswith((b"---", b"...")):
        return None
    if b"\n---" in raw or b"\n..." in raw:  # a second document, or the first one's end
        return None
    if raw.translate(None, _NOT_CONTROL) or any(pattern.search(raw) for pattern in _NOT_PRINTABLE):
        return None
    starts = [0] if _TOP_LEVEL.match(b"\n" + raw[:1]) else []
    starts.extend(m.start() + 1 for m in _TOP_LEVEL.finditer(raw))
    if not starts or not _only_comments(raw[: starts[0]]):
        return None
    if not all(_KEY_START.match(raw, start) for start in starts):
        return None
    starts.append(len(raw))
    sections = []
    line = 1 + raw.count(b"\n", 0, starts[0])
    for start, end in itertools.pairwise(starts):
        sections.append(_section(raw, start, end, line, mappings=mappings))
        line += raw.count(b"\n", start, end)
    return sections


def _only_comments(text: bytes) -> bool:
    return all(not line.strip() or line.lstrip().startswith(b"#") for line in text.splitlines())


def _section(raw: bytes, start: int, end: int, line: int, *, mappings: bool) -> Section:
    header = _BARE_KEY.match(raw, start, end)
    if header is None:
        return Section(start, end, line)
    first = _FIRST_ITEM.match(raw, header.end(), end)
    if first is not None:
        cut_at = re.compile(rb"\n" + first.group(1) + rb"-(?: |\r?\n)")
    elif mappings and (first := _FIRST_KEY.match(raw, header.end(), end)) is not None:
        cut_at = re.compile(rb"\n" + first.group(1) + rb"[^\s#\-]")
    else:
        return Section(start, end, line)
    body = first.start(1)
    items = (body, *[m.start() + 1 for m in cut_at.finditer(raw, body, end)])
    if first.re is _FIRST_KEY:  # where a key is, is found by reading its mapping again
        return Section(start, end, line, header.group(1).decode(), items, mapping=True)
    lines = array("l")
    at, count = start, line
    for item_start in items:
        count += raw.count(b"\n", at, item_start)
        lines.append(count)
        at = item_start
    return Section(start, end, line, header.group(1).decode(), items, lines)


def read(piece: bytes) -> Any:
    """The values of a piece as libyaml's exact reading gives them, or ``REFUSED``."""
    if yaml_rs is None or ((b"&" in piece or b"!" in piece) and _ANCHOR_OR_TAG.search(piece)):
        return REFUSED
    tail = piece[-4096:].rstrip()
    if _BLOCK_HEADER.search(tail, tail.rfind(b"\n") + 1):
        return REFUSED
    try:
        values = yaml_rs.loads(piece.decode("utf-8"), parse_datetime=False)
    except (UnicodeDecodeError, yaml_rs.YAMLDecodeError, ValueError):
        return REFUSED
    try:
        return _AsText(piece).value(values)
    except _Untrusted:
        return REFUSED


class _Untrusted(Exception):
    pass


class _AsText:
    """yaml-rs's values with every scalar as the text written: a whole number or a boolean is written
    back as text only when the piece has no other way of writing one (``+1``, ``0x1F``, ``True``…)."""

    def __init__(self, piece: bytes) -> None:
        self.piece = piece
        self.numbers = False
        self.booleans = False

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind is str or value is None:
            return value
        if kind is dict:
            return self.mapping(value)
        if kind is list:
            return self.sequence(value)
        return self.scalar(value)

    def sequence(self, items: list[Any]) -> list[Any]:
        for index, item in enumerate(items):
            if type(item) is not str and item is not None:
                items[index] = self.value(item)
        return items

    def mapping(self, mapping: dict[Any, Any]) -> dict[str, Any]:
        if "<<" in mapping:  # a merge key to libyaml's reading unless quoted: it says which
            raise _Untrusted
        plain_keys = True
        for key, item in mapping.items():
            if type(key) is not str:
                plain_keys = False
            kind = type(item)
            if kind is str or item is None:
                continue
            if kind is dict:
                mapping[key] = self.mapping(item)
            elif kind is list:
                self.sequence(item)
            elif kind is int and (self.numbers or self.check_numbers()):
                mapping[key] = str(item)
            else:
                mapping[key] = self.scalar(item)
        if plain_keys:
            return mapping
        out = {}
        for key, item in mapping.items():
            text = key if type(key) is str else self.scalar(key)
            if text in out:
                raise _Untrusted
            out[text] = item
        return out

    def scalar(self, value: Any) -> str:
        kind = type(value)
        if kind is int and (self.numbers or self.check_numbers()):
            return str(value)
        if kind is bool and (self.booleans or self.check_booleans()):
            return "true" if value else "false"
        raise _Untrusted

    def check_numbers(self) -> bool:
        """Whether every whole number in the piece is written as ``str`` writes it."""
        piece = self.piece
        spaced = piece.translate(_SPACES)
        if piece[:1] in (b"-", b"0") or any(part in spaced for part in _ODD_NUMBER_PARTS):
            self.numbers = not _ODD_NUMBER.search(piece)
        else:
            self.numbers = True
        return self.numbers

    def check_booleans(self) -> bool:
        """Whether every boolean in the piece is written ``true`` or ``false``."""
        self.booleans = not any(word in self.piece for word in _ODD_BOOLEANS)
        return self.booleans
