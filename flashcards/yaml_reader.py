"""Read a YAML file into plain values, remembering where every key and value starts.

Scalars are kept as the text the user wrote (``yes`` stays ``"yes"``, ``1,000`` stays ``"1,000"``);
only an empty value or ``~``/``null`` becomes ``None``. Aliases and merge keys are refused: a study
note has no use for them, and they are the way to make a small file expand without bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from flashcards.errors import Problem, SourceError

KeyPath = tuple[str | int, ...]

_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"

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
    """A YAML document as plain dicts, lists and strings, with the position of every node."""

    path: str
    data: Any
    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)

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


def read_yaml(path: Path, display: str) -> Document:
    """Parse one YAML file. Raises SourceError with the position of whatever is wrong."""
    raw = path.read_bytes()
    text = decode(raw, display)
    if not text.strip():
        raise SourceError([Problem(display, 1, 1, "the file is empty; a deck needs a 'deck:' section")])
    if "&" in text:
        _refuse_aliases(text, display)
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        pos = _position(mark) if mark is not None else Position(1, 1)
        what = error.problem or error.context or "invalid YAML"
        if what.startswith("mapping values are not allowed"):
            what += (
                "; check this line's indentation and the line above, or put a text that has ': ' in quotes"
            )
        if error.problem and error.context and error.context_mark is not None:
            start = _position(error.context_mark)
            context = error.context.removeprefix("while ").removeprefix("parsing ")
            what += f" ({context} that starts on line {start.line}, column {start.column})"
        raise SourceError([Problem(display, pos.line, pos.column, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as error:  # pragma: no cover - every parser error carries a mark
        raise SourceError([Problem(display, 1, 1, f"YAML syntax error: {error}")]) from None
    documents = [n for n in nodes if n is not None]
    if not documents:
        raise SourceError([Problem(display, 1, 1, "the file is empty; a deck needs a 'deck:' section")])
    if len(documents) > 1:
        pos = _position(documents[1].start_mark)
        raise SourceError(
            [Problem(display, pos.line, pos.column, "one file holds one deck: remove the '---'")]
        )
    doc = Document(display, None)
    problems: list[Problem] = []
    doc.data = _convert(documents[0], (), doc, problems, set())
    if problems:
        raise SourceError(problems)
    return doc


def _refuse_aliases(text: str, display: str) -> None:
    """Report every alias (``*name``) where it is written; an anchor alone is harmless."""
    aliases: list[Position] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                aliases.append(_position(event.start_mark))
    except yaml.YAMLError:
        return  # the syntax error is reported, with its position, by the parse that follows
    if aliases:
        first = aliases[0]
        message = "YAML aliases (*name) are not supported; write the text out"
        if len(aliases) > 1:
            message += f" (this file has {len(aliases)} aliases)"
        raise SourceError([Problem(display, first.line, first.column, message)])


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


def _convert(
    node: yaml.Node, key_path: KeyPath, doc: Document, problems: list[Problem], seen: set[int]
) -> Any:
    doc.values[key_path] = _position(node.start_mark)
    if id(node) in seen:
        problems.append(doc.problem(key_path, "YAML aliases (*name) are not supported; write the text out"))
        return None
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _NULL_TAG:
            return None
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*key_path, i), doc, problems, seen) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.MappingNode)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL_TAG:
            pos = _position(key_node.start_mark)
            message = "a key must be a plain name"
            problems.append(Problem(doc.path, pos.line, pos.column, message, format_key_path(key_path)))
            continue
        key = str(key_node.value)
        child = (*key_path, key)
        if key_node.tag == _MERGE_TAG:
            pos = _position(key_node.start_mark)
            message = "YAML merge keys (<<) are not supported; write the keys out"
            problems.append(Problem(doc.path, pos.line, pos.column, message, format_key_path(key_path)))
            continue
        if key in result:
            pos = _position(key_node.start_mark)
            first = doc.keys[child]
            message = f"duplicate key '{key}' (first given on line {first.line})"
            problems.append(Problem(doc.path, pos.line, pos.column, message, format_key_path(child)))
            continue
        doc.keys[child] = _position(key_node.start_mark)
        result[key] = _convert(value_node, child, doc, problems, seen)
    return result
