"""Packages hold the notes and cards genanki would write for the same notes: the same rows, column by column."""

from __future__ import annotations

import itertools
import sqlite3
import sys
from pathlib import Path
from typing import Any

import genanki

from flashcards import build, export

from helpers import BUNDLED_SOURCE, REPO, write_tree

sys.path.insert(0, str(REPO / "bench"))
from generate import source_text


def genanki_rows(prepared: export.Prepared, database: Path) -> None:
    """The same package written the way genanki writes it, note by note (the floor we measure against)."""
    spec = prepared.spec

    class TimedNote(genanki.Note):  # type: ignore[misc]
        def __init__(self, mod: int, **kwargs: object) -> None:
            super().__init__(**kwargs)
            self.mod = mod

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, ids: Any) -> None:
            super().write_to_db(cursor, self.mod, deck_id, ids)

    from flashcards import identity

    deck = genanki.Deck(identity.deck_id(spec.notes.deck.id, spec.notes.language), spec.deck_name)
    for note, guid, mod in zip(spec.notes.notes, prepared.guids, spec.note_mods, strict=True):
        deck.add_note(
            TimedNote(
                mod,
                model=prepared.models[note.kind.name],
                fields=list(note.fields),
                guid=guid,
                tags=list(note.tags),
            )
        )
    connection = sqlite3.connect(database)
    cursor = connection.cursor()
    genanki.Package(deck).write_to_db(cursor, spec.timestamp, itertools.count(spec.first_id))
    connection.commit()
    connection.close()


def table(database: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        return list(connection.execute(sql))
    finally:
        connection.close()


def test_notes_and_cards_are_written_as_genanki_writes_them(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"source/bench.yaml": source_text(30), "source/ml.yaml": BUNDLED_SOURCE.read_text("utf-8")}
    )
    plans, _ = build.plan([tmp_path / "source"], tmp_path / "dist", tmp_path)
    packages = [p for d in plans for p in d.packages]
    assert len(packages) == 4
    for package in packages:
        ours, theirs = tmp_path / "ours.anki2", tmp_path / "theirs.anki2"
        assert package.prepared is not None
        export.write_collection(package.prepared, ours)
        genanki_rows(package.prepared, theirs)
        for sql in (
            "SELECT id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data FROM notes ORDER BY id",
            "SELECT * FROM cards ORDER BY id",
        ):
            assert table(ours, sql) == table(theirs, sql)
        assert package.cards == len(table(ours, "SELECT id FROM cards"))
        ours.unlink()
        theirs.unlink()
