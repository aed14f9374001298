"""The notes that ask for one item of a list (features, pros, cons), both ways.

- ``item``: the item on the front, the concept that has it on the back. An item several concepts share
  (the same text after normalising, in the same list) is one note, answered with all of them, and its
  front says how many to give.
- ``recall``: the concept and its list with this item hidden on the front, the item on the back with the
  rest of the list around it (an overlapping cloze).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from flashcards.cards import (
    FLAG_ON,
    ITEM,
    RECALL,
    AssignedItems,
    Note,
    kind_tag,
    text_html,
    topic_of,
)
from flashcards.fronts import masked_html
from flashcards.items import LISTS, Item, normalised
from flashcards.mask import gap_for
from flashcards.model import Deck

_ITEM_TAGS = (kind_tag("item"),)
_RECALL_TAGS = (kind_tag("recall"),)
#: The flag field of each list.
FLAGS = {"features": "IsFeature", "pros": "IsPro", "cons": "IsCon"}


def shared_items(deck: Deck, language: str, assigned: AssignedItems) -> dict[tuple[str, str], list[Item]]:
    """Items by (list, normalised text): the items of one key are asked as one."""
    key = ("shared items", language)
    if key not in deck.derived:
        groups: dict[tuple[str, str], list[Item]] = {}
        for concept in deck.concepts:
            for list_name in LISTS:
                for item in assigned.get((concept.id, list_name), ()):
                    groups.setdefault((list_name, normalised(item.text[language])), []).append(item)
        deck.derived[key] = groups
    found: dict[tuple[str, str], list[Item]] = deck.derived[key]
    return found


def item_notes(deck: Deck, language: str, assigned: AssignedItems) -> Iterator[Note]:
    """Per concept and list, each item's recall note, and its item note where the item is first met."""
    groups = shared_items(deck, language, assigned)
    for concept in deck.concepts:
        for list_name in LISTS:
            items = assigned.get((concept.id, list_name), ())
            for item in items:
                holders = groups[(list_name, normalised(item.text[language]))]
                if holders[0] is item:
                    yield item_note(deck, language, holders)
                yield recall_note(language, item, items)


def _flags(list_name: str) -> dict[str, str]:
    return {FLAGS[list_name]: FLAG_ON}


def item_note(deck: Deck, language: str, holders: Sequence[Item]) -> Note:
    first = holders[0]
    concepts = [item.concept for item in holders]
    text = masked_html(deck, language, first.text[language], [c.id for c in concepts])
    if len(concepts) == 1:
        answer = text_html(concepts[0].name[language])
    else:
        names = "".join(f"<li>{text_html(c.name[language])}</li>" for c in concepts)
        answer = f'<ul class="fc-concepts">{names}</ul>'
    values = {
        "Item": text,
        **_flags(first.list),
        "Concepts": answer,
        "Count": str(len(concepts)) if len(concepts) > 1 else "",
    }
    fields = tuple(values.get(f, "") for f in ITEM.fields)
    return Note(ITEM, first.id, language, fields, _ITEM_TAGS, topic_of(first.concept.topic, language))


def recall_note(language: str, item: Item, items: Sequence[Item]) -> Note:
    gap = gap_for(language)

    def shown(hidden: str) -> str:
        lines = "".join(
            hidden if other is item else f"<li>{text_html(other.text[language])}</li>" for other in items
        )
        return f'<ul class="fc-list">{lines}</ul>'

    values = {
        # Unique in its note type (Anki flags a first field two notes share): the concept, then the item.
        "Entry": text_html(f"{item.concept.name[language]} · {item.text[language]}"),
        **_flags(item.list),
        "Name": text_html(item.concept.name[language]),
        "Item": text_html(item.text[language]),
        "ListFront": shown(f'<li class="fc-gap">{gap}</li>'),
        "ListBack": shown(f'<li class="fc-recalled">{text_html(item.text[language])}</li>'),
    }
    fields = tuple(values.get(f, "") for f in RECALL.fields)
    return Note(RECALL, item.id, language, fields, _RECALL_TAGS, topic_of(item.concept.topic, language))
