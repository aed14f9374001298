"""What a written package holds, read back from the file: the notes, their fields by name, and the deck
each of their cards goes to. ``sync`` compares this with the learner's collection."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flashcards.note_kinds import SOURCE_FIELD

#: Anki's default deck, which every package's collection holds and no card of ours is in.
DEFAULT_DECK_ID = 1


@dataclass(frozen=True)
class PackageNote:
    guid: str
    note_type_id: int
    note_type_name: str
    #: (field name, value) in the note type's order.
    fields: tuple[tuple[str, str], ...]
    tags: tuple[str, ...]
    mod: int
    #: The deck each card goes to, by card template ordinal.
    decks: dict[int, str]

    def field_dict(self) -> dict[str, str]:
        return dict(self.fields)

    def content_dict(self) -> dict[str, str]:
        """Its fields but where its entry is in the source, which is not content (see ``cards.Note``)."""
        return {name: value for name, value in self.fields if name != SOURCE_FIELD}


@dataclass(frozen=True)
class PackageContents:
    notes: tuple[PackageNote, ...]
    #: The package's decks by name (its deck and the topics' subdecks).
    deck_names: tuple[str, ...]

    @property
    def top_deck(self) -> str:
        return min(self.deck_names, key=len)


def read_package(path: Path) -> PackageContents:
    with tempfile.TemporaryDirectory(prefix="flashcards-") as work:
        database = Path(work) / "collection.anki2"
        with zipfile.ZipFile(path) as archive:
            database.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(database)
        try:
            return _contents(connection)
        finally:
            connection.close()


def _contents(connection: sqlite3.Connection) -> PackageContents:
    models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
    models = json.loads(models_json)
    decks = {int(i): d["name"] for i, d in json.loads(decks_json).items() if int(i) != DEFAULT_DECK_ID}
    field_names = {int(i): [f["name"] for f in m["flds"]] for i, m in models.items()}
    type_names = {int(i): str(m["name"]) for i, m in models.items()}
    card_decks: dict[int, dict[int, str]] = {}
    for nid, ordinal, did in connection.execute("SELECT nid, ord, did FROM cards"):
        card_decks.setdefault(nid, {})[ordinal] = decks[did]
    notes = []
    for nid, guid, mid, mod, tags, flds in connection.execute(
        "SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id"
    ):
        names = field_names[mid]
        notes.append(
            PackageNote(
                guid=guid,
                note_type_id=mid,
                note_type_name=type_names[mid],
                fields=tuple(zip(names, flds.split("\x1f"), strict=True)),
                tags=tuple(tags.split()),
                mod=mod,
                decks=card_decks.get(nid, {}),
            )
        )
    return PackageContents(tuple(notes), tuple(sorted(decks.values())))
