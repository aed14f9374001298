"""What ``flashcards sync`` is asked to do, and what it did (or, in a dry run, would do) to the collection."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flashcards.collection_state import AnkiEdit
from flashcards.errors import FlashcardsError


class SyncRefused(FlashcardsError):
    """The collection cannot be changed now: Anki has it open, or the change needs the learner's consent."""


@dataclass(frozen=True)
class SyncOptions:
    dry_run: bool = False
    delete_removed: bool = False
    keep_anki_edits: bool = False
    allow_full_sync: bool = False


@dataclass
class PackageSync:
    """What syncing one package did (or, in a dry run, would do) to the collection."""

    deck: str
    language: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    edits: list[AnkiEdit] = field(default_factory=list)
    #: Removed entries whose cards were suspended, with how many.
    suspended: list[tuple[str, int]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    #: (note, deck) for the notes whose cards moved.
    moved: list[tuple[str, str]] = field(default_factory=list)
    emptied_decks: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    buried: list[str] = field(default_factory=list)
    preset: str | None = None


@dataclass(frozen=True)
class SyncResult:
    collection: Path
    packages: tuple[PackageSync, ...]
    dry_run: bool
    keep_anki_edits: bool
    backup: Path | None
    #: The collection's schema changed: the next sync with AnkiWeb uploads it whole.
    full_sync: bool
    #: ... and that needs ``--allow-full-sync`` (a dry run says so instead of stopping).
    needs_consent: bool = False
