"""PyYAML's (libyaml's) reading of a YAML text as plain values, every scalar kept as the text written.

This is the reading that defines what a file says; ``yaml_reader`` may take a faster way, but only where
it gives exactly these values. Values are built straight from the parser's events (no node objects, no
tag resolution, which is most of the cost of reading a large file). Aliases, merge keys, keys that are
not text, duplicate keys and a second document are refused.
"""

from __future__ import annotations

from typing import Any

import yaml

from flashcards.errors import Problem, SourceError
from flashcards.source.positions import KeyPath, Position, format_key_path

try:  # the C parser is several times faster; both give the same events and marks
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

EMPTY_FILE = "the file is empty; a deck needs a 'deck:' section"

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_UNSET: Any = object()
#: Stands for the key of a mapping entry whose key was refused: its value is skipped.
_BAD_KEY: Any = object()


class Refused(Exception):
    """Raised by a reading that does not collect problems, at the first one (``yaml_reader`` then reads
    the file again collecting them, with positions)."""


class Reading:
    """One reading of a text into values.

    ``collect``: record every problem with its position (raising SourceError at the end) rather than
    stop at the first (raising ``Refused``). ``depth``: record where every key and value whose key path
    is at most that long starts (0: none; a top-level list's entries and their keys are at depth 3).
    """

    def __init__(self, shown_path: str, *, collect: bool = False, depth: int = 0) -> None:
        self.shown_path = shown_path
        self.collect = collect
        self.depth = depth
        self.values: dict[KeyPath, Position] = {}
        self.keys: dict[KeyPath, Position] = {}
        self.problems: list[Problem] = []
        self.aliases: list[Position] = []

    def read(self, text: str | bytes) -> Any:
        """The text's values (see ``is_unset`` for a text with no document)."""
        try:
            root = self._build(yaml.parse(text, Loader=_Loader))
        except yaml.MarkedYAMLError as error:
            if not self.collect:
                raise Refused from None
            raise SourceError([_syntax_problem(error, self.shown_path)]) from None
        except yaml.reader.ReaderError as error:
            if not self.collect:
                raise Refused from None
            raise SourceError([_character_problem(error, text, self.shown_path)]) from None
        except yaml.YAMLError:
            if not self.collect:
                raise Refused from None
            raise
        if self.aliases:
            first = self.aliases[0]
            message = "YAML aliases (*name) are not supported; write the text out"
            if len(self.aliases) > 1:
                message += f" (this file has {len(self.aliases)} aliases)"
            self.problems.insert(0, Problem(self.shown_path, first.line, first.column, message))
        if self.problems:
            raise SourceError(self.problems)
        return root

    def problem(self, mark: Any, message: str, key_path: KeyPath = ()) -> None:
        if not self.collect:
            raise Refused
        pos = _position(mark)
        self.problems.append(
            Problem(self.shown_path, pos.line, pos.column, message, format_key_path(key_path))
        )

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
            if len(path) < self.depth:
                self.keys[(*path, value)] = _position(event.start_mark)

    def _build(self, events: Any) -> Any:  # noqa: PLR0912, PLR0915 - one flat loop is what makes it fast
        root: Any = _UNSET
        # Each open container: [container, its key path, a mapping's pending key (None: a key comes next)].
        stack: list[list[Any]] = []
        depth = self.depth
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
                if not self.collect:
                    raise Refused
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
                recorded = len(stack) <= depth
                if type(container) is list:
                    if recorded:
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
                    if recorded:
                        path = (*top[1], key)
                    container[key] = value
            else:
                root = value
                recorded = depth > 0
            if recorded:
                self.values[path] = _position(event.start_mark)
            if kind in starts:
                stack.append([value, path, None])
        return root


def is_unset(value: Any) -> bool:
    return value is _UNSET


def _position(mark: Any) -> Position:
    """A PyYAML mark (pure-Python or libyaml) as 1-based line and column."""
    return Position(mark.line + 1, mark.column + 1)


def _syntax_problem(error: yaml.MarkedYAMLError, shown_path: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    pos = _position(mark) if mark is not None else Position(1, 1)
    what = error.problem or error.context or "invalid YAML"
    if what.startswith("mapping values are not allowed"):
        what += "; check this line's indentation and the line above, or put a text that has ': ' in quotes"
    if error.problem and error.context and error.context_mark is not None:
        start = _position(error.context_mark)
        context = error.context.removeprefix("while ").removeprefix("parsing ")
        what += f" ({context} that starts on line {start.line}, column {start.column})"
    return Problem(shown_path, pos.line, pos.column, f"YAML syntax error: {what}")


def _character_problem(error: yaml.reader.ReaderError, text: str | bytes, shown_path: str) -> Problem:
    # libyaml reads UTF-8 and counts bytes; a line and a column count characters.
    raw = text.encode("utf-8") if isinstance(text, str) else text
    before = raw[: error.position].decode("utf-8", errors="replace")
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    code = ord(error.character) if isinstance(error.character, str) else int(error.character)
    message = f"the text has a control character (U+{code:04X}) that YAML does not allow; remove it"
    return Problem(shown_path, line, column, message)


def decode(raw: bytes, shown_path: str) -> str:
    """UTF-8 text (a byte-order mark is accepted); anything else is reported with its position."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        message = "the file is not UTF-8 text; save it as UTF-8"
        raise SourceError([Problem(shown_path, line, column, message)]) from None
