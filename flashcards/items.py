"""Items: the features, pros and cons of concepts, each asked for on cards of its own.

An item has no id in the source, so the lock remembers one for it: a number in its concept's list, with
a hash of its text in every language. The next build gives each item the number of the item it was:

1. the same text (after normalising) in every language: the item moved, or stayed;
2. the same text in one language: the item was edited in the others;
3. what is left of the list on both sides, paired in order: an item rewritten in every language at once
   keeps its number when as many items are left on each side in its place.

Any other item is new and gets the next number; a number no item takes any more is gone, and its notes
become tombstones (the number is remembered and never given again). An item's notes keep their review
history as long as it keeps its number.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flashcards.lock import ItemKey, ItemRecord
from flashcards.model import Concept, Deck, Localized

#: The lists a concept has items in, in the order cards show them.
LISTS = ("features", "pros", "cons")


def normalised(text: str) -> str:
    """The form items are compared in: case, width, spacing and final punctuation ignored."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split()).rstrip("。.!?!?")  # noqa: B005 - a set of marks


def text_hash(text: str) -> str:
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True, eq=False)
class Item:
    concept: Concept
    list: str
    #: Where it is in its list, from 0.
    index: int
    number: int
    text: Localized
    #: Per language, the hash of its text that the lock remembers.
    hashes: dict[str, str]

    @property
    def id(self) -> str:
        """Its identity in notes: ``<concept id>-<list>-<number>`` (a concept id never ends so)."""
        return f"{self.concept.id}-{self.list}-{self.number}"


def items_of(concept: Concept, list_name: str) -> tuple[Localized, ...]:
    items: tuple[Localized, ...] = getattr(concept, list_name)
    return items


def assign(deck: Deck, remembered: Mapping[ItemKey, ItemRecord]) -> dict[tuple[str, str], tuple[Item, ...]]:
    """Every concept's items, by (concept id, list), each with its number (see the module's rules)."""
    by_list: dict[tuple[str, str], dict[int, ItemRecord]] = {}
    for key, record in remembered.items():
        by_list.setdefault((key.concept_id, key.list), {})[key.number] = record
    result: dict[tuple[str, str], tuple[Item, ...]] = {}
    for concept in deck.concepts:
        for list_name in LISTS:
            texts = items_of(concept, list_name)
            if not texts:
                continue
            hashes = [{language: text_hash(text[language]) for language in text} for text in texts]
            numbers = _numbers(hashes, by_list.get((concept.id, list_name), {}))
            result[(concept.id, list_name)] = tuple(
                Item(concept, list_name, index, number, text, text_hashes)
                for index, (number, text, text_hashes) in enumerate(zip(numbers, texts, hashes, strict=True))
            )
    return result


def _numbers(hashes: Sequence[Mapping[str, str]], old: Mapping[int, ItemRecord]) -> list[int]:
    numbers: list[int | None] = [None] * len(hashes)
    # (A number whose item is gone is remembered without text, and never given again.)
    free = {number: record for number, record in sorted(old.items()) if record}
    # 1: the same text in every language; 2: the same text in one of them.
    for rule in (all, any):
        for i, new in enumerate(hashes):
            if numbers[i] is not None:
                continue
            for number, record in free.items():
                if rule(record.get(language) == value for language, value in new.items()):
                    numbers[i] = number
                    del free[number]
                    break
    # 3: what is left, in order.
    left = iter(list(free))
    for i in range(len(numbers)):
        if numbers[i] is None:
            numbers[i] = next(left, None)
    next_number = max([*old, 0]) + 1
    final: list[int] = []
    for kept in numbers:
        if kept is None:
            final.append(next_number)
            next_number += 1
        else:
            final.append(kept)
    return final


def records(
    assigned: Mapping[tuple[str, str], Sequence[Item]], remembered: Mapping[ItemKey, ItemRecord]
) -> dict[ItemKey, ItemRecord]:
    """What the lock remembers of these items, and of the numbers of items that are gone (no text)."""
    gone: dict[ItemKey, ItemRecord] = {key: {} for key in remembered}
    return gone | {
        ItemKey(item.concept.id, item.list, item.number): item.hashes
        for items in assigned.values()
        for item in items
    }
