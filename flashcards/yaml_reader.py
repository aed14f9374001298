"""Read a YAML file into plain values, remembering where every key and value starts.

Scalars are kept as the text the user wrote (``yes`` stays ``"yes"``, ``1,000`` stays ``"1,000"``);
only an empty value or ``~``/``null`` becomes ``None``. Aliases and merge keys are refused: a study
note has no use for them, and they are the way to make a small file expand without bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from flashcards import yaml_pieces
from flashcards.errors import Problem, SourceError

KeyPath = tuple[str | int, ...]


try:  # the C parser is several times faster; both give the same nodes and marks
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Document:
    """A YAML document as plain dicts, lists and strings, with the position of every node.

    Positions are found on demand: a source without problems is read once, fast, without them; the
    first message that needs a position reads the text again, recording where every node starts.
    """

    path: str
    data: Any
    #: The file, read again when a position is first needed (a large text is not kept in memory).
    file: Path | None = None
    #: False when read by yaml-rs: scalars may be numbers or booleans rather than the text as written.
    exact: bool = True
    _values: dict[KeyPath, Position] | None = field(default=None, repr=False)
    _keys: dict[KeyPath, Position] | None = field(default=None, repr=False)

    @property
    def values(self) -> dict[KeyPath, Position]:
        if self._values is None:
            self._locate()
        assert self._values is not None
        return self._values

    @property
    def keys(self) -> dict[KeyPath, Position]:
        if self._keys is None:
            self._locate()
        assert self._keys is not None
        return self._keys

    def _locate(self) -> None:
        located = _Builder(self.path, with_positions=True)
        if self.file is not None:
            located.located(decode(self.file.read_bytes(), self.path))
        self._values, self._keys = located.values, located.keys

    def position(self, key_path: KeyPath, *, of_key: bool = False) -> Position:
        """Where the value at ``key_path`` starts (or its key, with ``of_key``).

        A path that does not exist (a missing key) gives the position of its nearest parent.
        """
        path = key_path
        while path:
            if of_key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Position(1, 1))

    def problem(self, key_path: KeyPath, message: str, *, of_key: bool = False) -> Problem:
        pos = self.position(key_path, of_key=of_key)
        return Problem(self.path, pos.line, pos.column, message, key=format_key_path(key_path))


def format_key_path(key_path: KeyPath) -> str:
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _position(mark: Any) -> Position:
    """A PyYAML mark (pure-Python or libyaml) as 1-based line and column."""
    return Position(mark.line + 1, mark.column + 1)


def read_yaml(path: Path, display: str, *, fast: bool = False) -> Document:
    """Parse one YAML file. Raises SourceError with the position of whatever is wrong.

    With ``fast``, a file that looks plain may be read by yaml-rs, which types scalars by YAML 1.2
    (``1.5`` is a number there): the document is then not ``exact``, and a caller that finds anything
    wrong with it must read it again without ``fast`` before saying what.
    """
    raw = path.read_bytes()
    if not raw or raw.isspace():
        raise SourceError([Problem(display, 1, 1, EMPTY_FILE)])
    if fast:
        data = _read_with_yaml_rs(raw)
        if data is not None:
            return Document(display, data, path, exact=False)
    try:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]:
            raise _Slow  # UTF-16 or UTF-32, which libyaml would read but a source may not be
        # The fast way: libyaml reads the UTF-8 bytes itself, and no position is recorded.
        data = _Builder(display, with_positions=False).build(raw)
    except _Slow:
        _Builder(display, with_positions=True).located(decode(raw, display))
        raise AssertionError("a problem found without positions is found with them") from None
    return Document(display, data, path)


def plain_values(text: str) -> Any:
    """The values of a short YAML text, read exactly but without positions; None when anything in it
    is wrong (the caller then reads its file with ``read_yaml`` to say what)."""
    try:
        return _Builder("", with_positions=False).build(text)
    except _Slow:
        return None


#: Bytes that libyaml (YAML 1.1) and yaml-rs (YAML 1.2) read differently, as UTF-8: C0 and C1 controls
#: but tab and line ends (refused by libyaml), NEL, U+2028 and U+2029 (line breaks in YAML 1.1 only),
#: DEL, U+FFFE and U+FFFF. A file with any of them is read by libyaml alone. (Four patterns, each
#: starting with one byte or a set of them, which the regex engine finds several times faster than one
#: pattern of four choices.)
_NOT_PRINTABLE = tuple(
    re.compile(pattern)
    for pattern in (
        rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]",
        rb"\xc2[\x80-\x9f]",
        rb"\xe2\x80[\xa8\xa9]",
        rb"\xef\xbf[\xbe\xbf]",
    )
)


def _read_with_yaml_rs(raw: bytes) -> Any | None:
    """The document as yaml-rs reads it, when it has no anchor (so no alias), only one document, no
    character libyaml refuses, and is UTF-8; None otherwise, or when yaml-rs finds the YAML wrong.

    A file whose top level is keys at column 0 is read a key at a time, and its block lists an entry
    batch at a time as they are iterated (``yaml_pieces.Entries``, which may raise ``ReadAgain``)."""
    if (
        not yaml_pieces.available()
        or b"&" in raw
        or raw.startswith((b"---", b"..."))
        or b"\n---" in raw
        or b"\n..." in raw
        or any(pattern.search(raw) for pattern in _NOT_PRINTABLE)
    ):
        return None
    try:
        return yaml_pieces.read(raw.removeprefix(b"\xef\xbb\xbf"))
    except yaml_pieces.ReadAgain:
        return None


def _syntax_problem(error: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    pos = _position(mark) if mark is not None else Position(1, 1)
    what = error.problem or error.context or "invalid YAML"
    if what.startswith("mapping values are not allowed"):
        what += "; check this line's indentation and the line above, or put a text that has ': ' in quotes"
    if error.problem and error.context and error.context_mark is not None:
        start = _position(error.context_mark)
        context = error.context.removeprefix("while ").removeprefix("parsing ")
        what += f" ({context} that starts on line {start.line}, column {start.column})"
    return Problem(display, pos.line, pos.column, f"YAML syntax error: {what}")


EMPTY_FILE = "the file is empty; a deck needs a 'deck:' section"


class _Slow(Exception):
    """Something is wrong: read the text again, with positions, to say where."""


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_UNSET: Any = object()
#: Stands for the key of a mapping entry whose key was refused: its value is skipped.
_BAD_KEY: Any = object()


class _Builder:
    """Plain values straight from the parser's events (libyaml's when available): no node objects and
    no tag resolution, which is most of the cost of reading a large file.

    Without positions it stops at the first problem (raising ``_Slow``); with positions it records where
    every key and value starts and collects every problem.
    """

    def __init__(self, display: str, *, with_positions: bool) -> None:
        self.display = display
        self.with_positions = with_positions
        self.values: dict[KeyPath, Position] = {}
        self.keys: dict[KeyPath, Position] = {}
        self.problems: list[Problem] = []
        self.aliases: list[Position] = []

    def problem(self, mark: Any, message: str, key_path: KeyPath = ()) -> None:
        if not self.with_positions:
            raise _Slow
        pos = _position(mark)
        self.problems.append(Problem(self.display, pos.line, pos.column, message, format_key_path(key_path)))

    def build(self, text: str | bytes) -> Any:
        """The document's values; SourceError with every problem (with positions), else ``_Slow``."""
        try:
            root = self._build(yaml.parse(text, Loader=_Loader))
        except (yaml.YAMLError, SourceError):
            if not self.with_positions:
                raise _Slow from None
            raise
        if not self.with_positions:
            if root is _UNSET:
                raise _Slow
            return root
        if self.aliases:
            first = self.aliases[0]
            message = "YAML aliases (*name) are not supported; write the text out"
            if len(self.aliases) > 1:
                message += f" (this file has {len(self.aliases)} aliases)"
            self.problems.insert(0, Problem(self.display, first.line, first.column, message))
        if self.problems:
            raise SourceError(self.problems)
        if root is _UNSET:
            raise SourceError([Problem(self.display, 1, 1, EMPTY_FILE)])
        return root

    def located(self, text: str) -> None:
        """Read ``text`` with positions; raise SourceError for a syntax error or a forbidden character."""
        try:
            self.build(text)
        except yaml.MarkedYAMLError as error:
            raise SourceError([_syntax_problem(error, self.display)]) from None
        except yaml.reader.ReaderError as error:
            before = text[: error.position]
            line, column = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
            code = ord(error.character) if isinstance(error.character, str) else int(error.character)
            message = f"the text has a control character (U+{code:04X}) that YAML does not allow; remove it"
            raise SourceError([Problem(self.display, line, column, message)]) from None

    def _key(self, top: list[Any], event: Any, value: Any) -> None:
        """A mapping's key: checked, then kept as the pending key of ``top``."""
        container, path = top[0], top[1]
        if type(event) is not yaml.ScalarEvent or value is None:
            self.problem(event.start_mark, "a key must be a plain name", path)
            top[2] = _BAD_KEY
        elif value == "<<" and not event.style:
            self.problem(event.start_mark, "YAML merge keys (<<) are not supported; write the keys out", path)
            top[2] = _BAD_KEY
        elif value in container:
            child = (*path, value)
            first = self.keys[child].line if child in self.keys else 0
            self.problem(event.start_mark, f"duplicate key '{value}' (first given on line {first})", child)
            top[2] = _BAD_KEY
        else:
            top[2] = value
            if self.with_positions:
                self.keys[(*path, value)] = _position(event.start_mark)

    def _build(self, events: Any) -> Any:  # noqa: PLR0912, PLR0915 - one flat loop is what makes it fast
        root: Any = _UNSET
        # Each open container: [container, its key path, a mapping's pending key (None: a key comes next)].
        stack: list[list[Any]] = []
        positions = self.with_positions
        scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
        starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        documents = 0
        for event in events:
            kind = type(event)
            if kind is scalar:
                value: Any = event.value
                if not event.style and event.implicit[0] and value in _NULLS:  # plain: '' (libyaml) or None
                    value = None
            elif kind in starts:
                value = {} if kind is yaml.MappingStartEvent else []
            elif kind in ends:
                stack.pop()
                continue
            elif kind is alias:
                if not positions:
                    raise _Slow
                self.aliases.append(_position(event.start_mark))
                value = None
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.problem(event.start_mark, "one file holds one deck: remove the '---'")
                    break
                continue
            else:
                continue
            path: KeyPath = ()
            if stack:
                top = stack[-1]
                container = top[0]
                if type(container) is list:
                    if positions:
                        path = (*top[1], len(container))
                    container.append(value)
                elif top[2] is None:
                    self._key(top, event, value)
                    if top[2] is _BAD_KEY and kind in starts:
                        stack.append([value, top[1], _BAD_KEY])  # a mapping or list as a key: skip it
                    continue
                else:
                    key, top[2] = top[2], None
                    if key is _BAD_KEY:
                        if kind in starts:
                            stack.append([value, top[1], _BAD_KEY])
                        continue
                    if positions:
                        path = (*top[1], key)
                    container[key] = value
            else:
                root = value
            if positions:
                self.values[path] = _position(event.start_mark)
            if kind in starts:
                stack.append([value, path, None])
        return root


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text (a byte-order mark is accepted); anything else is reported with its position."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        message = "the file is not UTF-8 text; save it as UTF-8"
        raise SourceError([Problem(display, line, column, message)]) from None
