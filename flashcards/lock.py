"""The lock file: memory between builds, committed beside each source.

For every note it records a hash of the note's content and the modification time (``mod``) the
note was given; for every note type its schema, a hash of its templates and stylesheet, and its
``mod``; for every item of a concept's lists, its number and a hash of its text (see ``items``).
With it a rebuild gives a new ``mod`` exactly to what changed, so that Anki updates those notes and
leaves every other note (and the learner's own edits to it) alone.

One line per note, sorted, so that a diff shows what a build changed.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from flashcards.errors import Problem, SourceError
from flashcards.yaml_reader import Document, plain_values, read_yaml

LOCK_SUFFIX = ".lock.yaml"
LOCK_VERSION = 1

HEADER = """\
# Written by `flashcards build`. Commit it together with {source}.
# For every note it remembers a hash of its content and when it last changed, and for every item its
# number, so that importing the next build into Anki updates exactly what you edited. Do not edit it.
"""


class NoteKey(NamedTuple):
    """A note's identity in the lock (a tuple: a large deck has hundreds of thousands)."""

    language: str
    kind: str
    entry_id: str

    def __str__(self) -> str:
        return f"{self.language} {self.kind} {self.entry_id}"


class NoteRecord(NamedTuple):
    hash: str
    mod: int
    removed: bool = False
    #: The subdeck its cards were last built for ('' for the deck itself): Anki never moves cards.
    topic: str = ""


@dataclass(frozen=True, order=True)
class NoteTypeKey:
    language: str
    kind: str

    def __str__(self) -> str:
        return f"{self.language} {self.kind}"


@dataclass(frozen=True)
class NoteTypeRecord:
    id: int
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    hash: str
    mod: int
    #: 1 for the first schema; one more for every build that appended fields or card templates.
    revision: int = 1


class ItemKey(NamedTuple):
    """One item of a concept's features, pros or cons: its number never changes (see ``items``)."""

    concept_id: str
    list: str
    number: int

    def __str__(self) -> str:
        return f"{self.concept_id} {self.list} {self.number}"


#: Per language, a hash of the item's text as last built.
ItemRecord = dict[str, str]


@dataclass(frozen=True)
class Lock:
    notes: dict[NoteKey, NoteRecord] = field(default_factory=dict)
    note_types: dict[NoteTypeKey, NoteTypeRecord] = field(default_factory=dict)
    items: dict[ItemKey, ItemRecord] = field(default_factory=dict)


def lock_path(source: Path) -> Path:
    """``source/deck.yaml`` → ``source/deck.lock.yaml``."""
    return source.with_name(source.stem + LOCK_SUFFIX)


def is_lock_file(path: Path) -> bool:
    return path.name.endswith(LOCK_SUFFIX)


def read_lock(path: Path) -> Lock:
    """The lock beside a source; an empty lock when there is none yet."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return Lock()
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device would never end, or block
        message = "is not a file that flashcards build wrote (a folder, a pipe or a device): remove it"
        raise SourceError([Problem(str(path), None, None, message)])
    if info.st_size == 0:
        raise SourceError([Problem(str(path), None, None, _broken(path, "the lock file is empty"))])
    quick = _quick_lock(path)
    if quick is not None:
        return quick
    # A large lock is read fast first; yaml-rs types scalars (a hash of digits would be a number), so
    # anything unexpected sends it through the exact reading, which also says where a damage is.
    fast = read_yaml(path, str(path), fast=True)
    if not fast.exact:
        try:
            return _lock_from(fast, path, strict=True)
        except _Unexpected:
            pass
    return _lock_from(read_yaml(path, str(path)), path, strict=False)


#: A note's line exactly as ``format_lock`` writes it.
_NOTE_LINE = re.compile(
    r"^  ([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*) ([a-z]+) ([a-z0-9]+(?:-[a-z0-9]+)*): "
    r"\{hash: '([0-9a-f]{16})', mod: ([0-9]{1,11})(, removed: true)?"
    r"(?:, topic: '((?:[^'\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|'')*)')?\}\n",
    re.MULTILINE,
)


def _quick_lock(path: Path) -> Lock | None:
    """The lock read a line at a time, when every note's line is exactly as ``format_lock`` writes it
    (and so means to YAML just what it means here); None otherwise, and YAML reads it all."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None
    head, marker, notes = text.partition("\nnotes:\n")
    head, items_marker, item_lines = head.partition("\nitems:\n")
    data = plain_values(head) if marker else None
    if type(data) is not dict or "notes" in data or "items" in data:
        return None
    try:
        lock = _lock_from(Document(str(path), data), path, strict=True)
    except _Unexpected:
        return None
    if items_marker and not _quick_items(item_lines + "\n", lock):
        return None
    lines = 0
    # Languages, kinds and times repeat from line to line: one object for each (a lock can be large).
    same: dict[str, str] = {}
    mods: dict[str, int] = {}
    for line in _NOTE_LINE.finditer(notes):
        language, kind, entry_id, hash_, mod, removed, topic = line.groups()
        key = NoteKey(same.setdefault(language, language), same.setdefault(kind, kind), entry_id)
        when = mods.get(mod)
        if when is None:
            when = mods[mod] = int(mod)
        lock.notes[key] = NoteRecord(hash_, when, bool(removed), topic.replace("''", "'") if topic else "")
        lines += 1
    # Each match is one whole line: every line matched (the last one too), and no key twice (YAML
    # reports a duplicate).
    ends_in_line_break = notes.endswith("\n") or not notes
    if lines != notes.count("\n") or not ends_in_line_break or len(lock.notes) != lines:
        return None
    return lock


#: An item's line exactly as ``format_lock`` writes it, and each of its hashes.
_ITEM_LINE = re.compile(
    r"^  ([a-z0-9]+(?:-[a-z0-9]+)*) (features|pros|cons) ([1-9][0-9]{0,8}): "
    r"\{((?:[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*: '[0-9a-f]{16}'(?:, |(?=\})))*)\}\n",
    re.MULTILINE,
)
_ITEM_HASH = re.compile(r"([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*): '([0-9a-f]{16})'")


def _quick_items(lines: str, lock: Lock) -> bool:
    """The items' lines read into ``lock``; False when one is not exactly as ``format_lock`` writes it."""
    count = 0
    for line in _ITEM_LINE.finditer(lines):
        concept_id, list_name, number, hashes = line.groups()
        lock.items[ItemKey(concept_id, list_name, int(number))] = dict(_ITEM_HASH.findall(hashes))
        count += 1
    return count == lines.count("\n") and len(lock.items) == count


class _Unexpected(Exception):
    pass


_HASH = re.compile(r"^[0-9a-f]{16}$")


def _lock_from(document: Document, path: Path, *, strict: bool) -> Lock:
    data = document.data
    problems: list[Problem] = []
    lock = Lock()
    if not isinstance(data, dict) or str(data.get("version")) != str(LOCK_VERSION):
        if strict:
            raise _Unexpected
        raise SourceError([document.problem((), _broken(path, f"expected 'version: {LOCK_VERSION}'"))])
    for key, value in (data.get("note-types") or {}).items():
        try:
            language, kind = key.split(" ")
            lock.note_types[NoteTypeKey(language, kind)] = NoteTypeRecord(
                id=_number(value["id"], MAX_ID),
                fields=tuple(str(f) for f in value["fields"]),
                templates=tuple(str(t) for t in value["templates"]),
                hash=_hash(value["hash"]),
                mod=_number(value["mod"], MAX_MOD),
                revision=_number(value.get("revision", "1"), MAX_MOD),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            if strict:
                raise _Unexpected from None
            problems.append(document.problem(("note-types", key), _broken(path, "this line is damaged")))
    problems.extend(_items_from(document, path, lock, strict=strict))
    for key, value in (data.get("notes") or {}).items():
        try:
            language, kind, entry_id = key.split(" ")
            removed = value.get("removed", False)
            if removed not in (True, False, "true", "false"):
                raise ValueError(removed)
            topic = value.get("topic", "")
            if not isinstance(topic, str):
                raise TypeError(topic)
            lock.notes[NoteKey(language, kind, entry_id)] = NoteRecord(
                hash=_hash(value["hash"]),
                mod=_number(value["mod"], MAX_MOD),
                removed=removed in (True, "true"),
                topic=topic,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            if strict:
                raise _Unexpected from None
            problems.append(document.problem(("notes", key), _broken(path, "this line is damaged")))
    if problems:
        raise SourceError(problems)
    return lock


def _items_from(document: Document, path: Path, lock: Lock, *, strict: bool) -> list[Problem]:
    """The lock's ``items``, read into ``lock``; the damaged lines."""
    problems = []
    for key, value in (document.data.get("items") or {}).items():
        try:
            concept_id, list_name, number = key.split(" ")
            if not isinstance(value, dict):
                raise TypeError(value)
            record = {str(language): _hash(text_hash) for language, text_hash in value.items()}
            lock.items[ItemKey(concept_id, list_name, _number(number, MAX_ID))] = record
        except (ValueError, KeyError, TypeError, AttributeError):
            if strict:
                raise _Unexpected from None
            problems.append(document.problem(("items", key), _broken(path, "this line is damaged")))
    return problems


#: The largest time a lock may hold (seconds: the year 5138) and the largest id (Anki's are 64-bit).
MAX_MOD = 10**11 - 1
MAX_ID = 2**63 - 1


def _number(value: object, largest: int) -> int:
    """A whole number from 0 to ``largest`` written in digits; ValueError for anything else."""
    text = str(value)
    if type(value) not in (int, str) or not text.isdigit() or not text.isascii() or len(text) > 19:
        raise ValueError(value)
    number = int(text)
    if number > largest:
        raise ValueError(value)
    return number


def _hash(value: object) -> str:
    if not isinstance(value, str) or not _HASH.match(value):
        raise ValueError(value)
    return value


def _broken(path: Path, what: str) -> str:
    return (
        f"{what}; restore {path.name} from version control, "
        "or delete it (the next import then updates every note)"
    )


def format_lock(lock: Lock, source_name: str, *, header: str = HEADER) -> str:
    lines = [header.format(source=source_name), f"version: {LOCK_VERSION}", "note-types:"]
    for nt_key, nt in sorted(lock.note_types.items()):
        lines.append(
            f"  {nt_key}: {{id: {nt.id}, revision: {nt.revision}, mod: {nt.mod}, hash: '{nt.hash}', "
            f"fields: [{', '.join(nt.fields)}], templates: [{', '.join(nt.templates)}]}}"
        )
    if lock.items:
        lines.append("items:")
        for item_key, item in sorted(lock.items.items()):
            hashes = ", ".join(f"{language}: '{text_hash}'" for language, text_hash in sorted(item.items()))
            lines.append(f"  {item_key}: {{{hashes}}}")
    lines.append("notes:")
    for key, note in sorted(lock.notes.items()):
        removed = ", removed: true" if note.removed else ""
        topic = ", topic: '" + note.topic.replace("'", "''") + "'" if note.topic else ""
        lines.append(f"  {key}: {{hash: '{note.hash}', mod: {note.mod}{removed}{topic}}}")
    return "\n".join(lines) + "\n"


def lock_to_write(path: Path, lock: Lock, source_name: str) -> str | None:
    """The text to write to ``path`` for ``lock``; None when the file already says exactly that."""
    text = format_lock(lock, source_name)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return None
    return text
