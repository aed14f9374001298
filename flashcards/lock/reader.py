"""Read a lock file through the source reader and check it against the lock's shape, below.

A lock from the wild (a merge-conflict marker left in it, a hash unquoted by hand, Windows line ends, an
editor's reformatting, a truncated file) is read as YAML reads it: it is either exactly what a build
wrote, or every damaged line is reported with its line and column.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from flashcards import cycle_collection
from flashcards.errors import Problem, SourceError
from flashcards.lock.records import (
    LOCK_VERSION,
    MAX_ID,
    MAX_MOD,
    ItemKey,
    Lock,
    NoteKey,
    NoteRecord,
    NoteTypeKey,
    NoteTypeRecord,
)
from flashcards.source.yaml_reader import read_yaml

_HEX = "0123456789abcdef"


def _number(largest: int) -> Callable[[Any], int | None]:
    def check(value: Any) -> int | None:
        if type(value) is not str or not value.isdigit() or not value.isascii() or len(value) > 19:
            return None
        number = int(value)
        return number if number <= largest else None

    return check


def _hash(value: Any) -> str | None:
    return value if type(value) is str and len(value) == 16 and not value.strip(_HEX) else None


def _flag(value: Any) -> bool | None:
    return _FLAGS.get(value) if type(value) is str else None


_FLAGS = {"true": True, "false": False}


def _text(value: Any) -> str | None:
    return value if type(value) is str else None


def _names(value: Any) -> tuple[str, ...] | None:
    if type(value) is not list or not all(type(name) is str and name for name in value):
        return None
    return tuple(value)


class Field(NamedTuple):
    check: Callable[[Any], Any]
    #: The value when the field is left out; ``REQUIRED`` for a field every line has.
    default: Any


REQUIRED: Any = object()

# The lock's shape. Every line of a section is ``key: {field: value, …}``; the key's parts are separated
# by single spaces. A line with a field missing, unknown or of the wrong form is damaged.

#: ``note-types``: ``<language> <kind>: {id, revision, mod, hash, fields, templates}``
NOTE_TYPE = {
    "id": Field(_number(MAX_ID), REQUIRED),
    "revision": Field(_number(MAX_MOD), 1),
    "mod": Field(_number(MAX_MOD), REQUIRED),
    "hash": Field(_hash, REQUIRED),
    "fields": Field(_names, REQUIRED),
    "templates": Field(_names, REQUIRED),
}
#: ``notes``: ``<language> <kind> <entry id>: {hash, mod, removed, topic}``
NOTE = {
    "hash": Field(_hash, REQUIRED),
    "mod": Field(_number(MAX_MOD), REQUIRED),
    "removed": Field(_flag, False),
    "topic": Field(_text, ""),
}
#: ``items``: ``<concept id> <list> <number>: {<language>: <hash of its text>, …}``
ITEM_NUMBER = _number(MAX_ID)


def read_lock(path: Path) -> Lock:
    """The lock beside a source; an empty lock when there is none yet."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return Lock()
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device would never end, or block
        message = "is not a file that flashcards build wrote (a folder, a pipe or a device): remove it"
        raise SourceError([Problem(str(path), None, None, message)])
    with cycle_collection.paused():
        return _read(path)


def _read(path: Path) -> Lock:
    empty = _broken(path, "the lock file is empty")
    try:
        document = read_yaml(path, str(path), empty=empty, mappings_in_batches=True)
    except SourceError as error:
        if [problem.message for problem in error.problems] == [empty]:  # about the whole file: no position
            raise SourceError([Problem(str(path), None, None, empty)]) from None
        raise SourceError(_conflict_markers(path) or error.problems) from None
    data = document.data
    if not isinstance(data, dict) or data.get("version") != str(LOCK_VERSION):
        raise SourceError([document.problem((), _broken(path, f"expected 'version: {LOCK_VERSION}'"))])
    lock = Lock()
    problems: list[Problem] = []
    for name, value in data.items():
        read = _SECTIONS.get(name)
        if name == "version":
            continue
        if read is None:
            problems.append(
                document.problem((name,), _broken(path, f"unknown section '{name}'"), of_key=True)
            )
        elif value is not None and not isinstance(value, Mapping):
            problems.append(document.problem((name,), _broken(path, "expected one 'key: {…}' line each")))
        else:
            damaged = read(lock, value or {})
            problems.extend(
                document.problem((name, key), _broken(path, "this line is damaged")) for key in damaged
            )
    if problems:
        raise SourceError(problems)
    return lock


def _fields(value: Any, shape: dict[str, Field]) -> list[Any] | None:
    """The value of every field of ``shape`` in a line's mapping, in order; None when it is damaged."""
    if type(value) is not dict or not value.keys() <= shape.keys():
        return None
    out = [check(value[name]) if name in value else default for name, (check, default) in shape.items()]
    return None if None in out or REQUIRED in out else out


def _parts(key: str, count: int) -> list[str] | None:
    parts = key.split(" ")
    return parts if len(parts) == count and all(parts) else None


def _note_types(lock: Lock, lines: Mapping[str, Any]) -> list[str]:
    damaged = []
    for key, value in lines.items():
        parts = _parts(key, 2)
        fields = _fields(value, NOTE_TYPE)
        if parts is None or fields is None:
            damaged.append(key)
            continue
        type_id, revision, mod, type_hash, names, templates = fields
        lock.note_types[NoteTypeKey(*parts)] = NoteTypeRecord(
            type_id, names, templates, type_hash, mod, revision
        )
    return damaged


def _items(lock: Lock, lines: Mapping[str, Any]) -> list[str]:
    damaged = []
    for key, value in lines.items():
        parts = _parts(key, 3)
        number = ITEM_NUMBER(parts[2]) if parts is not None else None
        if parts is None or number is None or type(value) is not dict:
            damaged.append(key)
            continue
        hashes = {language: _hash(text_hash) for language, text_hash in value.items()}
        if None in hashes.values():
            damaged.append(key)
            continue
        lock.items[ItemKey(parts[0], parts[1], number)] = hashes  # type: ignore[assignment]
    return damaged


def _notes(lock: Lock, lines: Mapping[str, Any]) -> list[str]:
    damaged = []
    notes = lock.notes
    # Languages and kinds repeat from line to line: one object for each (a lock can be large).
    same: dict[str, str] = {}
    check_hash, check_mod = NOTE["hash"].check, NOTE["mod"].check
    check_removed, check_topic = NOTE["removed"].check, NOTE["topic"].check
    allowed, required = NOTE.keys(), {"hash", "mod"}
    for key, value in lines.items():
        parts = key.split(" ")
        if (
            len(parts) == 3
            and "" not in parts
            and type(value) is dict
            and required <= value.keys() <= allowed
        ):
            record = NoteRecord(
                check_hash(value["hash"]),
                check_mod(value["mod"]),
                check_removed(value["removed"]) if "removed" in value else False,
                check_topic(value["topic"]) if "topic" in value else "",
            )
            if None not in record:
                language, kind, entry_id = parts
                notes[NoteKey(same.setdefault(language, language), same.setdefault(kind, kind), entry_id)] = (
                    record
                )
                continue
        damaged.append(key)
    return damaged


_SECTIONS: dict[str, Callable[[Lock, Mapping[str, Any]], list[str]]] = {
    "note-types": _note_types,
    "items": _items,
    "notes": _notes,
}


#: A line git leaves in a file that two branches changed: ``<<<<<<< ours``, ``=======``, ``>>>>>>> theirs``.
_CONFLICT_MARKER = re.compile(rb"^(?:<{7}|={7}|>{7})(?: |\r?$)", re.MULTILINE)


def _conflict_markers(path: Path) -> list[Problem]:
    """Where a merge left its markers in a lock that does not read as YAML."""
    raw = path.read_bytes()
    problems = []
    for marker in _CONFLICT_MARKER.finditer(raw):
        line = raw.count(b"\n", 0, marker.start()) + 1
        message = (
            f"a merge left its conflict marker here; delete {path.name} and build again "
            "(the next import then updates every note)"
        )
        problems.append(Problem(str(path), line, 1, message))
    return problems


def _broken(path: Path, what: str) -> str:
    return (
        f"{what}; restore {path.name} from version control, "
        "or delete it (the next import then updates every note)"
    )
