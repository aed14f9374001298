"""The name a learner knows a package's note by ('concept distillation'), found from its guid."""

from __future__ import annotations

from flashcards import identity
from flashcards.build import PackagePlan
from flashcards.changes import kind_named
from flashcards.lock import NoteKey
from flashcards.package_contents import PackageContents


class NoteLabels:
    """Each note's 'kind entry-id', by guid. The package holds its notes in the order the build planned
    them, so a note's label is found by its place and checked against its guid; a package in any other
    order falls back to working out every guid."""

    def __init__(self, package: PackagePlan, contents: PackageContents) -> None:
        self._package = package
        self._places = {note.guid: place for place, note in enumerate(contents.notes)}
        self._all: dict[str, str] | None = None

    def _guid(self, key: NoteKey) -> str | None:
        kind = kind_named(key.kind)
        return (
            None
            if kind is None
            else identity.note_guid(self._package.deck.id, key.language, kind, key.entry_id)
        )

    def __call__(self, guid: str) -> str:
        place = self._places.get(guid)
        notes = self._package.notes
        if place is not None and place < len(notes) and self._guid(notes[place].key) == guid:
            key = notes[place].key
            return f"{key.kind} {key.entry_id}"
        if self._all is None:
            self._all = {g: f"{c.key.kind} {c.key.entry_id}" for c in notes if (g := self._guid(c.key))}
        return self._all.get(guid, guid)
