"""Write one Anki package (.apkg) per deck and language with genanki, reproducibly and atomically.

genanki's dict-shaped API stays in this module. The package is written to a temporary file beside
the target and renamed into place, so that a failed build never leaves half a package; the zip gets
fixed member dates and order, so that the same input gives the same bytes.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import genanki

from flashcards import identity
from flashcards.cards import DeckNotes, NoteKind
from flashcards.render import NoteType

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageSpec:
    """Everything one .apkg holds."""

    notes: DeckNotes
    note_types: Sequence[NoteType]
    deck_name: str
    description_html: str
    #: Seconds since the epoch; the modification time of every note without its own entry in ``note_mods``.
    timestamp: int
    #: Per-note modification time, by guid (notes whose content did not change keep their old one).
    note_mods: Mapping[str, int]
    #: Per-note-type modification time, by note type id.
    note_type_mods: Mapping[int, int]
    #: First note and card id; each package gets its own range.
    first_id: int


def guid_of(notes: DeckNotes, kind: NoteKind, entry_id: str) -> str:
    return identity.note_guid(notes.deck.id, notes.language, kind, entry_id)


def _genanki_model(note_type: NoteType, deck_key: str) -> genanki.Model:
    return genanki.Model(
        model_id=identity.note_type_id(deck_key, note_type.kind, note_type.language),
        name=note_type.name,
        fields=[{"name": name} for name in note_type.kind.fields],
        templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back} for t in note_type.templates],
        css=note_type.css,
        sort_field_index=0,
    )


def _genanki_package(spec: PackageSpec) -> genanki.Package:
    deck = spec.notes.deck
    models = {nt.kind.name: _genanki_model(nt, deck.id) for nt in spec.note_types}
    anki_deck = genanki.Deck(
        identity.deck_id(deck.id, spec.notes.language), spec.deck_name, description=spec.description_html
    )
    for note in spec.notes.notes:
        anki_deck.add_note(
            genanki.Note(
                model=models[note.kind.name],
                fields=list(note.fields),
                guid=guid_of(spec.notes, note.kind, note.entry_id),
                tags=list(note.tags),
            )
        )
    for model in models.values():
        anki_deck.add_model(model)
    return genanki.Package(anki_deck)


def write_collection(spec: PackageSpec, database: Path) -> None:
    """The collection.anki2 SQLite file of the package."""
    connection = sqlite3.connect(database)
    try:
        cursor = connection.cursor()
        ids = itertools.count(spec.first_id)
        _genanki_package(spec).write_to_db(cursor, spec.timestamp, ids)
        cursor.executemany(
            "UPDATE notes SET mod = ? WHERE guid = ?",
            [(mod, guid) for guid, mod in sorted(spec.note_mods.items())],
        )
        _set_note_type_mods(cursor, spec.note_type_mods)
        # A tombstone's cards arrive suspended where they are new (Anki never changes existing cards).
        removed = [(guid_of(spec.notes, n.kind, n.entry_id),) for n in spec.notes.notes if n.removed]
        cursor.executemany(
            "UPDATE cards SET queue = -1 WHERE nid = (SELECT id FROM notes WHERE guid = ?)", removed
        )
        connection.commit()
    finally:
        connection.close()


def _set_note_type_mods(cursor: sqlite3.Cursor, mods: Mapping[int, int]) -> None:
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for model_id, mod in mods.items():
        if str(model_id) in models:
            models[str(model_id)]["mod"] = mod
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))


def card_count(spec: PackageSpec) -> int:
    """How many cards the package holds (Anki's rule: a card whose front would be empty is not made)."""
    return sum(len(note.cards) for deck in _genanki_package(spec).decks for note in deck.notes)


def write_package(spec: PackageSpec, target: Path) -> None:
    """Write the .apkg whole, or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flashcards-") as work:
        database = Path(work) / "collection.anki2"
        write_collection(spec, database)
        with _atomic(target) as partial, zipfile.ZipFile(partial, "w") as archive:
            _add(archive, "collection.anki2", database.read_bytes())
            _add(archive, "media", b"{}")


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


@contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
