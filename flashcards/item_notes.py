"""The notes that ask for one item of a list (features, pros, cons), both ways, one note per item.

- ItemToConcept: the item on the front, the concept that has it on the back. An item several concepts
  share (the same text after normalising, in the same list) is asked once, on the note of its first
  concept, answered with all of them, and its front says how many to give.
- ConceptToItem: the concept and its list with this item hidden on the front, the item on the back with
  the rest of the list around it (an overlapping cloze).

The two cards of an item are siblings, so that the deck's options bury one while the other is due.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from flashcards.cards import (
    FLAG_ON,
    AssignedItems,
    Note,
    escape,
    kind_tag,
    topic_of,
)
from flashcards.fronts import Fronts, masked_html
from flashcards.items import LISTS, Item, normalised
from flashcards.markup import text_html
from flashcards.mask import gap_for
from flashcards.model import Deck
from flashcards.note_kinds import ITEM, SOURCE_FIELD
from flashcards.source_location import location

_ITEM_TAGS = (kind_tag("item"),)
#: The flag field of each list.
FLAGS = {"features": "IsFeature", "pros": "IsPro", "cons": "IsCon"}


def shared_items(deck: Deck, language: str, assigned: AssignedItems) -> dict[Item, list[Item]]:
    """Each item that asks for its concepts (the first of its text), with every item of the same text
    (after normalising, in the same list): those are asked as one."""
    groups: dict[tuple[str, str], list[Item]] = {}
    for concept in deck.concepts:
        for list_name in LISTS:
            for item in assigned.get((concept.id, list_name), ()):
                groups.setdefault((list_name, normalised(item.text[language])), []).append(item)
    return {holders[0]: holders for holders in groups.values()}


def item_notes(
    deck: Deck, language: str, assigned: AssignedItems, fronts: Fronts, source_file: str = ""
) -> Iterator[Note]:
    """Per concept and list, each item's note, in the source's order. An item's note says it comes
    from its concept's entry in ``source_file`` (the line where the entry starts)."""
    askers = shared_items(deck, language, assigned)
    for concept in deck.concepts:
        source = location(source_file, concept.line)
        name_html = text_html(concept.name[language])
        for list_name in LISTS:
            items = assigned.get((concept.id, list_name), ())
            htmls = [text_html(item.text[language]) for item in items]
            for index, item in enumerate(items):
                yield item_note(fronts, item, htmls, index, askers.get(item, ()), name_html, source)


def item_note(
    fronts: Fronts,
    item: Item,
    htmls: Sequence[str],
    index: int,
    holders: Sequence[Item],
    name_html: str,
    source: str = "",
) -> Note:
    """``htmls``: the HTML of every item of its list, this one at ``index`` (made once per list).
    ``holders``: every item of the same text, when this one asks for them (it is the first); else none.
    ``name_html``: its concept's name. ``source``: where its concept is in the source (``file:line``)."""
    language = fronts.language
    gap = gap_for(language)

    def shown(hidden: str) -> str:
        lines = "".join(hidden if i == index else f"<li>{html}</li>" for i, html in enumerate(htmls))
        return f'<ul class="fc-list">{lines}</ul>'

    item_html = htmls[index]
    values = {
        # Unique in its note type (Anki flags a first field two notes share): the concept, then the item.
        "Entry": text_html(f"{item.concept.name[language]} · {item.text[language]}"),
        FLAGS[item.list]: FLAG_ON,
        "Name": name_html,
        "Item": item_html,
        "ListFront": shown(f'<li class="fc-gap">{gap}</li>'),
        "ListBack": shown(f'<li class="fc-recalled">{item_html}</li>'),
        SOURCE_FIELD: escape(source),
    }
    if holders:
        concepts = list({other.concept.id: other.concept for other in holders}.values())
        values["ItemPrompt"] = masked_html(fronts, item.text[language], [c.id for c in concepts])
        if len(concepts) == 1:
            values["Concepts"] = text_html(concepts[0].name[language])
        else:
            names = "".join(f"<li>{text_html(c.name[language])}</li>" for c in concepts)
            values["Concepts"] = f'<ul class="fc-concepts">{names}</ul>'
            values["Count"] = str(len(concepts))
    fields = tuple(values.get(f, "") for f in ITEM.fields)
    return Note(ITEM, item.id, language, fields, _ITEM_TAGS, topic_of(item.concept.topic, language))
