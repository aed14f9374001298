"""Write one Anki package (.apkg) per deck and language with genanki, reproducibly and atomically.

genanki's dict-shaped API stays in this module. A package is written to a temporary file beside its
target and renamed into place with the build's other files (``staging``), so that a failed build never
leaves half a package; the zip gets fixed member dates and order, so that the same input gives the
same bytes.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from flashcards import identity
from flashcards.cards import DeckNotes
from flashcards.model import MediaFile
from flashcards.note_kinds import NoteKind
from flashcards.render import NoteType

#: The temporary folders of a build's packages: ``flashcards-<process id>-…``.
WORK_FOLDER_PREFIX = "flashcards-"

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TABLES = ";".join(s for s in APKG_SCHEMA.split(";") if "CREATE INDEX" not in s)
_INDEXES = ";".join(s for s in APKG_SCHEMA.split(";") if "CREATE INDEX" in s) + ";"


@dataclass(frozen=True)
class PackageSpec:
    """Everything one .apkg holds."""

    notes: DeckNotes
    note_types: Sequence[NoteType]
    deck_name: str
    description_html: str
    #: Seconds since the epoch: the newest modification time in the package (used for its cards and deck).
    timestamp: int
    #: Each note's modification time, in the order of ``notes.notes`` (an unchanged note keeps its old one).
    note_mods: Sequence[int]
    #: Per-note-type modification time, by note type id.
    note_type_mods: Mapping[int, int]
    #: First note and card id; each package gets its own range.
    first_id: int
    #: The images and sounds the package holds, in order of name.
    media: Sequence[MediaFile] = ()


def guid_of(notes: DeckNotes, kind: NoteKind, entry_id: str) -> str:
    return identity.note_guid(notes.deck.id, notes.language, kind, entry_id)


def _genanki_model(note_type: NoteType, deck_key: str, *, filters: bool = True) -> genanki.Model:
    model = genanki.Model(
        model_id=identity.note_type_id(deck_key, note_type.kind, note_type.language),
        name=note_type.name,
        fields=[{"name": name} for name in note_type.kind.fields],
        templates=[
            {"name": t.name, "qfmt": t.front if filters else _FILTERS.sub(r"{{\1}}", t.front), "afmt": t.back}
            for t in note_type.templates
        ],
        css=note_type.css,
        sort_field_index=0,
        model_type=genanki.Model.CLOZE if note_type.kind.cloze else genanki.Model.FRONT_BACK,
    )
    if filters and _FILTERS.search("".join(t.front for t in note_type.templates)):
        # genanki works out the fields a card needs with chevron, which reads '{{furigana:Name}}' as a
        # field of that name: it is told from the same fronts with Anki's filters left out.
        model._req = _genanki_model(note_type, deck_key, filters=False)._req
    return model


#: A field reference with filters, such as ``{{furigana:Name}}``: group 1 is the field.
_FILTERS = re.compile(r"\{\{(?:[^{}:#^/!][^{}:]*:)+([^{}:]+)\}\}")


@dataclass(frozen=True)
class Prepared:
    """A package ready to write: its note types as genanki models, and each note's guid and cards."""

    spec: PackageSpec
    models: Mapping[str, genanki.Model]
    guids: tuple[str, ...]
    #: Per note, the ordinals of the card templates that give it a card.
    card_ordinals: tuple[tuple[int, ...], ...]

    @property
    def cards(self) -> int:
        return sum(len(ordinals) for ordinals in self.card_ordinals)


def prepare(spec: PackageSpec) -> Prepared:
    deck = spec.notes.deck
    models = {nt.kind.name: _genanki_model(nt, deck.id) for nt in spec.note_types}
    # genanki's reimplementation of Anki's rule: a template makes a card when its front uses a
    # non-empty field ("all" of these / "any" of these fields non-empty).
    rules = {
        name: [(o, all if how == "all" else any, f) for o, how, f in m._req] for name, m in models.items()
    }
    guids = tuple(guid_of(spec.notes, note.kind, note.entry_id) for note in spec.notes.notes)
    # A cloze note type has one template and a card per deletion number, as Anki makes them.
    ordinals = tuple(
        note.cloze_ordinals()
        if note.kind.cloze
        else tuple(o for o, test, fields in rules[note.kind.name] if test(note.fields[f] for f in fields))
        for note in spec.notes.notes
    )
    return Prepared(spec, models, guids, ordinals)


def write_collection(prepared: Prepared, database: Path) -> None:
    """The collection.anki2 SQLite file: genanki's schema, note types and deck; notes and cards in bulk."""
    spec = prepared.spec
    deck_id = identity.deck_id(spec.notes.deck.id, spec.notes.language)
    deck = genanki.Deck(deck_id, spec.deck_name, description=spec.description_html)
    subdecks = subdeck_ids(spec)
    connection = sqlite3.connect(database)
    try:
        cursor = connection.cursor()
        # A temporary file that is zipped, then deleted: no journal, and the indexes made after the rows.
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.executescript(_TABLES)
        cursor.executescript(APKG_COL)
        (decks_json, models_json, dconf_json) = cursor.execute(
            "SELECT decks, models, dconf FROM col"
        ).fetchone()
        decks = json.loads(decks_json)
        options = deck_options(json.loads(dconf_json)["1"], spec)
        decks[str(deck_id)] = {**deck.to_json(), "conf": options["id"]}
        for topic, subdeck_id in subdecks.items():
            subdeck = genanki.Deck(subdeck_id, f"{spec.deck_name}::{topic}").to_json()
            decks[str(subdeck_id)] = {**subdeck, "conf": options["id"]}
        models = json.loads(models_json)
        for model in prepared.models.values():
            mod = spec.note_type_mods.get(model.model_id, spec.timestamp)
            models[str(model.model_id)] = model.to_json(mod, deck_id)
        dconf = json.dumps({"1": json.loads(dconf_json)["1"], str(options["id"]): options})
        cursor.execute(
            "UPDATE col SET decks = ?, models = ?, dconf = ?", (json.dumps(decks), json.dumps(models), dconf)
        )
        cursor.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", _note_rows(prepared))
        cards = _card_rows(prepared, deck_id, subdecks)
        cursor.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        cursor.executescript(_INDEXES)
        connection.commit()
    finally:
        connection.close()


def deck_options(default: Mapping[str, Any], spec: PackageSpec) -> dict[str, Any]:
    """The deck's options preset: Anki's defaults, with new and review siblings buried (two cards of one
    note are never shown on the same day). Its own id, so that it never replaces the learner's Default."""
    options_id = identity.deck_id(f"{spec.notes.deck.id} options", spec.notes.language)
    return {
        **default,
        "id": options_id,
        "name": f"{spec.deck_name} (flashcards)",
        "mod": 0,
        "new": {**default["new"], "bury": True},
        "rev": {**default["rev"], "bury": True},
        "buryInterdayLearning": True,
    }


def _note_ids(prepared: Prepared) -> Iterator[int]:
    """Each note's id: ids are given in order, a note's first and then its cards'."""
    next_id = prepared.spec.first_id
    for ordinals in prepared.card_ordinals:
        yield next_id
        next_id += 1 + len(ordinals)


def _note_rows(prepared: Prepared) -> Iterator[tuple[object, ...]]:
    spec = prepared.spec
    model_ids = {name: model.model_id for name, model in prepared.models.items()}
    for note, note_id, guid, mod in zip(
        spec.notes.notes, _note_ids(prepared), prepared.guids, spec.note_mods, strict=True
    ):
        tags = " " + " ".join(note.tags) + " "
        fields = "\x1f".join(note.fields)
        yield (note_id, guid, model_ids[note.kind.name], mod, -1, tags, fields, note.fields[0], 0, 0, "")


def subdeck_ids(spec: PackageSpec) -> dict[str, int]:
    """Each topic's subdeck (``Deck name::Topic``), by topic, with an id of its own (Anki matches by name)."""
    topics = sorted({note.topic for note in spec.notes.notes if note.topic})
    return {
        topic: identity.deck_id(f"{spec.notes.deck.id}::{topic}", spec.notes.language) for topic in topics
    }


def _card_rows(prepared: Prepared, deck_id: int, subdecks: Mapping[str, int]) -> Iterator[tuple[object, ...]]:
    mod = prepared.spec.timestamp
    for note, note_id, ordinals in zip(
        prepared.spec.notes.notes, _note_ids(prepared), prepared.card_ordinals, strict=True
    ):
        did = subdecks[note.topic] if note.topic else deck_id
        for offset, ordinal in enumerate(ordinals, start=1):
            yield (note_id + offset, note_id, did, ordinal, mod, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "")


def write_package(prepared: Prepared, path: Path) -> None:
    """The .apkg file at ``path`` (a temporary file, renamed into place by the build)."""
    # Named after the process, so that a later build can tell a folder whose build was killed.
    with tempfile.TemporaryDirectory(prefix=f"{WORK_FOLDER_PREFIX}{os.getpid()}-") as work:
        database = Path(work) / "collection.anki2"
        write_collection(prepared, database)
        with zipfile.ZipFile(path, "w") as archive:
            with database.open("rb") as collection:
                _add(archive, "collection.anki2", collection)
            names = {str(i): media.name for i, media in enumerate(prepared.spec.media)}
            _add(archive, "media", io.BytesIO(json.dumps(names, ensure_ascii=False).encode("utf-8")))
            for index, media in enumerate(prepared.spec.media):
                with Path(media.path).open("rb") as data:
                    _add(archive, str(index), data)


def _add(archive: zipfile.ZipFile, name: str, data: BinaryIO) -> None:
    """A member with a fixed date, deflated fast, copied in chunks (a collection can be large)."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # type: ignore[attr-defined]  # the only way before Python 3.13
    info.external_attr = 0o644 << 16
    with archive.open(info, "w") as member:
        shutil.copyfileobj(data, member, 1024 * 1024)
