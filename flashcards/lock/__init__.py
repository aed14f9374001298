"""The lock file: memory between builds, committed beside each source.

For every note it records a hash of the note's content and the modification time (``mod``) the
note was given; for every note type its schema, a hash of its templates and stylesheet, and its
``mod``; for every item of a concept's lists, its number and a hash of its text (see ``items``).
With it a rebuild gives a new ``mod`` exactly to what changed, so that Anki updates those notes and
leaves every other note (and the learner's own edits to it) alone.

``records`` holds what it remembers, ``reader`` reads it (checked against its shape), ``writer`` writes it.
"""

from flashcards.lock.files import LOCK_SUFFIX, is_lock_file, lock_path
from flashcards.lock.reader import read_lock
from flashcards.lock.records import (
    LOCK_VERSION,
    MAX_ID,
    MAX_MOD,
    ItemKey,
    ItemRecord,
    Lock,
    NoteKey,
    NoteRecord,
    NoteTypeKey,
    NoteTypeRecord,
)
from flashcards.lock.writer import HEADER, format_lock, lock_to_write

__all__ = [
    "HEADER",
    "LOCK_SUFFIX",
    "LOCK_VERSION",
    "MAX_ID",
    "MAX_MOD",
    "ItemKey",
    "ItemRecord",
    "Lock",
    "NoteKey",
    "NoteRecord",
    "NoteTypeKey",
    "NoteTypeRecord",
    "format_lock",
    "is_lock_file",
    "lock_path",
    "lock_to_write",
    "read_lock",
]
