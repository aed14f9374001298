"""What the learner's collection holds for a package's notes, and what the learner did to them in Anki:
their text, tags and cards as they are before a sync, and which of them were edited in Anki."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flashcards.note_kinds import SOURCE_FIELD
from flashcards.package_contents import PackageNote
from flashcards.source.format import TAG_PREFIX

if TYPE_CHECKING:
    from anki.collection import Collection

#: How many ids one query asks for.
_CHUNK = 500


@dataclass(frozen=True)
class AnkiEdit:
    """A note whose text in the collection is not what sync last put there."""

    label: str
    #: (field, the collection's text) for every field that differs from the build's.
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CollectionNote:
    """A note of the collection, as it was before the sync."""

    id: int
    note_type_id: int
    fields: dict[str, str]
    tags: tuple[str, ...]
    mod: int


def notes_by_guid(col: Collection, guids: Sequence[str]) -> dict[str, CollectionNote]:
    """The collection's notes with these guids, by guid."""
    assert col.db is not None
    # Anki has no index on guids: one pass over them all, then the notes wanted by id.
    wanted = set(guids)
    return notes_by_id(col, [nid for nid, guid in col.db.all("select id, guid from notes") if guid in wanted])


def notes_by_id(col: Collection, ids: Sequence[int]) -> dict[str, CollectionNote]:
    """The collection's notes with these ids, by guid."""
    assert col.db is not None
    names: dict[int, list[str]] = {}
    found: dict[str, CollectionNote] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = col.db.all(f"select id, guid, mid, mod, tags, flds from notes where id in ({marks})", *chunk)
        for nid, guid, mid, mod, tags, flds in rows:
            if mid not in names:
                names[mid] = [f["name"] for f in col.models.get(mid)["flds"]]  # type: ignore[index]
            fields = dict(zip(names[mid], flds.split("\x1f"), strict=False))
            found[guid] = CollectionNote(nid, mid, fields, tuple(tags.split()), mod)
    return found


@dataclass(frozen=True)
class CollectionCard:
    id: int
    ordinal: int
    #: The deck the card belongs to (for a card in a filtered deck, the deck it returns to).
    home: int
    queue: int


def cards_by_note(col: Collection, note_ids: Sequence[int]) -> dict[int, list[CollectionCard]]:
    """The cards of these notes, by note id."""
    assert col.db is not None
    found: dict[int, list[CollectionCard]] = {}
    for start in range(0, len(note_ids), _CHUNK):
        chunk = list(note_ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        query = f"select id, nid, ord, did, odid, queue from cards where nid in ({marks})"
        for card_id, nid, ordinal, did, odid, queue in col.db.all(query, *chunk):
            found.setdefault(nid, []).append(CollectionCard(card_id, ordinal, odid or did, queue))
    return found


def content_hash(fields: Mapping[str, str]) -> str:
    """A note's text, whatever its note type's revision: the fields that are not empty, by name, but
    where its entry is in the source (not content: moving an entry is no edit)."""
    parts = sorted(f"{name}\x1f{value}" for name, value in fields.items() if value and name != SOURCE_FIELD)
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()[:16]


def anki_edit(
    note: PackageNote, old: CollectionNote | None, record: list[str] | None, label: Callable[[str], str]
) -> AnkiEdit | None:
    """The note's edit made in Anki, if it has one: its text is not what sync last put there (or, in a
    collection sync has not seen yet, it differs from the build's and changed after the build's)."""
    if old is None:
        return None
    built = note.content_dict()
    if record is not None:
        edited = content_hash(old.fields) != record[0]
    else:
        edited = content_hash(old.fields) != content_hash(built) and old.mod > note.mod
    if not edited:
        return None
    differ = tuple(
        (name, old.fields.get(name, "")) for name, value in built.items() if old.fields.get(name, "") != value
    )
    return AnkiEdit(label(note.guid), differ) if differ else None


def learners_tags(old: CollectionNote | None, issued: Sequence[str], built: Sequence[str]) -> list[str]:
    """Tags the learner added in Anki: neither sync's nor the build's."""
    if old is None:
        return []
    ours = {t.casefold() for t in (*issued, *built)}
    return [t for t in old.tags if t.casefold() not in ours and not t.casefold().startswith(TAG_PREFIX)]
