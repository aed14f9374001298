"""What a build changes, compared with the lock: each note's status and ``mod``, each note type's.

The rules (from how Anki imports a package):
- a note whose content changed gets a ``mod`` strictly greater than the one Anki has seen, so that
  Anki's default "update if newer" applies it; an unchanged note keeps its ``mod``, so that Anki
  leaves it, and the learner's own edits to it, alone;
- a note type's id follows its schema: fields and card templates may only be appended, which gives
  a new id and needs "Merge note types" on that one import; anything else is refused;
- a note that left the source is kept as a tombstone, tagged, so that the learner can find it.
"""

from __future__ import annotations

import enum
import hashlib
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flashcards import identity, note_kinds
from flashcards.cards import Note
from flashcards.errors import Problem, SourceError
from flashcards.lock import ItemKey, ItemRecord, Lock, NoteKey, NoteRecord, NoteTypeKey, NoteTypeRecord
from flashcards.note_kinds import NoteKind
from flashcards.render import NoteType


class NoteStatus(enum.Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    #: Removed by an earlier build; its tombstone is unchanged.
    STILL_REMOVED = "still removed"


class NoteTypeStatus(enum.Enum):
    NEW = "new"
    UNCHANGED = "unchanged"
    #: Templates or stylesheet changed; same id, Anki's default import applies it.
    RESTYLED = "restyled"
    #: Fields or card templates appended: a new id, imported once with "Merge note types".
    EXTENDED = "extended"


@dataclass(frozen=True, slots=True)
class NoteChange:
    key: NoteKey
    status: NoteStatus
    mod: int
    hash: str
    #: The subdeck the note's new cards go to ('' for the deck itself).
    topic: str = ""


@dataclass(frozen=True)
class NoteTypeChange:
    key: NoteTypeKey
    status: NoteTypeStatus
    id: int
    mod: int
    hash: str
    revision: int = 1
    added_fields: tuple[str, ...] = ()
    added_templates: tuple[str, ...] = ()


def build_clock() -> tuple[int, bool]:
    """The build's clock: SOURCE_DATE_EPOCH when set (and whether it was), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch), True
    return int(time.time()), False


def note_hash(note: Note, note_type_id: int, tags: Sequence[str]) -> str:
    """A hash of the note's content: where its entry is in the source is not part of it, so that moving
    an entry to another line gives it no newer ``mod`` (Anki leaves it, and the learner's edits, alone)."""
    content = "\x1e".join([str(note_type_id), "\x1f".join(note.content), " ".join(tags)])
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def note_type_hash(note_type: NoteType) -> str:
    parts = [note_type.css]
    for template in note_type.templates:
        parts.extend([template.name, template.front, template.back])
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()[:16]


def _next_mod(clock: int, previous: int | None) -> int:
    return clock if previous is None else max(clock, previous + 1)


def plan_note(
    key: NoteKey, content_hash: str, record: NoteRecord | None, clock: int, *, removed: bool, topic: str = ""
) -> NoteChange:
    """The note's status and ``mod``. Its topic is not content: Anki keeps cards where they are."""
    if record is None:
        return NoteChange(key, NoteStatus.REMOVED if removed else NoteStatus.NEW, clock, content_hash, topic)
    if record.hash == content_hash and record.removed == removed:
        status = NoteStatus.STILL_REMOVED if removed else NoteStatus.UNCHANGED
        return NoteChange(key, status, record.mod, content_hash, topic)
    status = NoteStatus.REMOVED if removed else NoteStatus.UPDATED
    return NoteChange(key, status, _next_mod(clock, record.mod), content_hash, topic)


def plan_note_type(
    deck_id: str, note_type: NoteType, record: NoteTypeRecord | None, clock: int, lock_display: str
) -> NoteTypeChange:
    kind = note_type.kind
    key = NoteTypeKey(note_type.language, kind.name)
    new_id = identity.note_type_id(deck_id, kind, note_type.language)
    content_hash = note_type_hash(note_type)
    if record is None:
        return NoteTypeChange(key, NoteTypeStatus.NEW, new_id, clock, content_hash)
    same_schema = record.fields == kind.fields and record.templates == kind.templates
    if same_schema:
        # (The note type keeps its name, which says its revision.)
        if record.hash == content_hash:
            return NoteTypeChange(
                key, NoteTypeStatus.UNCHANGED, new_id, record.mod, content_hash, revision=record.revision
            )
        return NoteTypeChange(
            key,
            NoteTypeStatus.RESTYLED,
            new_id,
            _next_mod(clock, record.mod),
            content_hash,
            revision=record.revision,
        )
    appended = (
        kind.fields[: len(record.fields)] == record.fields
        and kind.templates[: len(record.templates)] == record.templates
    )
    if not appended:
        raise SourceError([_schema_refusal(note_type, record, lock_display)])
    return NoteTypeChange(
        key,
        NoteTypeStatus.EXTENDED,
        new_id,
        _next_mod(clock, record.mod),
        content_hash,
        revision=record.revision + 1,
        added_fields=kind.fields[len(record.fields) :],
        added_templates=kind.templates[len(record.templates) :],
    )


def _schema_refusal(note_type: NoteType, record: NoteTypeRecord, lock_display: str) -> Problem:
    kind = note_type.kind
    was = f"fields [{', '.join(record.fields)}], cards [{', '.join(record.templates)}]"
    now = f"fields [{', '.join(kind.fields)}], cards [{', '.join(kind.templates)}]"
    message = (
        f"note type '{note_type.name}' would change from {was} to {now}; fields and cards can only be added "
        "at the end: a renamed, removed or reordered one cannot be undone in an Anki collection"
    )
    return Problem(lock_display, None, None, message)


def kind_named(name: str) -> NoteKind | None:
    return next((kind for kind in note_kinds.NOTE_KINDS if kind.name == name), None)


def removed_keys(lock: Lock, language: str, present: Iterable[NoteKey]) -> list[NoteKey]:
    """Notes of ``language`` the lock knows and the source no longer has, in a stable order."""
    current = set(present)
    return sorted(
        key
        for key in lock.notes
        if key.language == language and key not in current and kind_named(key.kind) is not None
    )


def new_lock(
    previous: Lock,
    languages: Sequence[str],
    notes: Iterable[NoteChange],
    note_types: Mapping[NoteTypeKey, NoteTypeChange],
    kinds: Mapping[str, NoteKind],
    items: Mapping[ItemKey, ItemRecord] | None = None,
) -> Lock:
    """The lock after this build: every language built is replaced; others are kept as they were.
    ``items``: the numbers of the deck's items (see ``items``), remembered whole."""
    lock = Lock(
        notes={k: v for k, v in previous.notes.items() if k.language not in languages},
        note_types={k: v for k, v in previous.note_types.items() if k.language not in languages},
        items=dict(items) if items is not None else dict(previous.items),
    )
    for change in notes:
        removed = change.status in (NoteStatus.REMOVED, NoteStatus.STILL_REMOVED)
        lock.notes[change.key] = NoteRecord(change.hash, change.mod, removed, change.topic)
    for key, nt in note_types.items():
        kind = kinds[key.kind]
        lock.note_types[key] = NoteTypeRecord(
            nt.id, kind.fields, kind.templates, nt.hash, nt.mod, nt.revision
        )
    return lock
