"""What the lock file remembers: for every note a hash of its content and the time it last changed, for
every note type its schema, and for every item of a concept's lists its number (see ``items``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

LOCK_VERSION = 1
#: The largest time a lock may hold (seconds: the year 5138) and the largest id (Anki's are 64-bit).
MAX_MOD = 10**11 - 1
MAX_ID = 2**63 - 1


class NoteKey(NamedTuple):
    """A note's identity in the lock (a tuple: a large deck has hundreds of thousands)."""

    language: str
    kind: str
    entry_id: str

    def __str__(self) -> str:
        return f"{self.language} {self.kind} {self.entry_id}"


class NoteRecord(NamedTuple):
    hash: str
    mod: int
    removed: bool = False
    #: The subdeck its cards were last built for ('' for the deck itself): Anki never moves cards.
    topic: str = ""


@dataclass(frozen=True, order=True)
class NoteTypeKey:
    language: str
    kind: str

    def __str__(self) -> str:
        return f"{self.language} {self.kind}"


@dataclass(frozen=True)
class NoteTypeRecord:
    id: int
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    hash: str
    mod: int
    #: 1 for the first schema; one more for every build that appended fields or card templates.
    revision: int = 1


class ItemKey(NamedTuple):
    """One item of a concept's features, pros or cons: its number never changes (see ``items``)."""

    concept_id: str
    list: str
    number: int

    def __str__(self) -> str:
        return f"{self.concept_id} {self.list} {self.number}"


#: Per language, a hash of the item's text as last built.
ItemRecord = dict[str, str]


@dataclass(frozen=True)
class Lock:
    notes: dict[NoteKey, NoteRecord] = field(default_factory=dict)
    note_types: dict[NoteTypeKey, NoteTypeRecord] = field(default_factory=dict)
    items: dict[ItemKey, ItemRecord] = field(default_factory=dict)
