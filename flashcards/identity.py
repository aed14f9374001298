"""Identities in Anki: note guids, note-type ids and deck ids, derived from the source's explicit ids.

Never from content, position, time or chance: a typo fix must keep a note's identity, and the
same source must give the same identities on every machine.
"""

from __future__ import annotations

import hashlib

from flashcards.note_kinds import NoteKind

_BASE91 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"

#: Note-type and deck ids live in [2**30, 2**31), the range genanki recommends for generated ids.
_ID_LOW = 1 << 30


def _digest(*parts: str) -> int:
    joined = "\x1f".join(parts).encode("utf-8")
    return int.from_bytes(hashlib.sha256(joined).digest()[:8], "big")


def note_guid(deck_id: str, language: str, kind: NoteKind, entry_id: str) -> str:
    """The note's guid, Anki's only way to recognise it on the next import."""
    value = _digest("flashcards-note", deck_id, language, kind.name, entry_id)
    digits = []
    while value:
        value, rest = divmod(value, len(_BASE91))
        digits.append(_BASE91[rest])
    return "".join(reversed(digits)) or _BASE91[0]


def note_type_id(deck_id: str, kind: NoteKind, language: str) -> int:
    """Changes exactly when the schema (field or template names, in order) changes."""
    schema = "\x1e".join(["\x1d".join(kind.fields), "\x1d".join(kind.templates)])
    return _ID_LOW + _digest("flashcards-notetype", deck_id, kind.name, language, schema) % _ID_LOW


def deck_id(deck_id: str, language: str) -> int:
    """A stable id for the deck inside the package (Anki itself matches decks by name)."""
    return _ID_LOW + _digest("flashcards-deck", deck_id, language) % _ID_LOW
