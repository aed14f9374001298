"""Card rules: which notes a deck gives in each language, their field HTML, and which cards they ask for.

Field and card-template names are identities in Anki (see ``NoteKind``): ASCII, the same in every
language, and only ever appended to. Everything a learner reads is localized in the templates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape as _escape
from pathlib import PurePath
from typing import TYPE_CHECKING

from flashcards.fronts import Fronts, masked_html
from flashcards.items import normalised
from flashcards.markup import text_html
from flashcards.model import BasicCard, ClozeCard, Concept, Deck, Localized, Question
from flashcards.note_kinds import (
    BASIC,
    CLOZE,
    CONCEPT,
    QUESTION,
    SOURCE_FIELD,
    NoteKind,
)
from flashcards.source.format import CLOZE_NUMBER, TAG_PREFIX
from flashcards.source_location import location

if TYPE_CHECKING:
    from flashcards.items import Item

#: Every concept's items, numbered, by (concept id, list): see ``items.assign``.
AssignedItems = Mapping[tuple[str, str], Sequence["Item"]]

#: The tag of a note whose entry left the source (a tombstone): Anki cannot delete it on import.
REMOVED_TAG = TAG_PREFIX + "removed"

#: The value of a flag field that asks for its card; an empty flag field asks for none.
FLAG_ON = "y"


@dataclass(frozen=True, slots=True)
class Note:
    """One note of one language, ready for export: field values are HTML."""

    kind: NoteKind
    entry_id: str
    language: str
    fields: tuple[str, ...]
    tags: tuple[str, ...] = ()
    #: The subdeck (below the deck) its new cards go to; empty for the deck itself.
    topic: str = ""

    @property
    def removed(self) -> bool:
        return REMOVED_TAG in self.tags

    def field(self, name: str) -> str:
        return self.fields[self.kind.fields.index(name)]

    @property
    def content(self) -> tuple[str, ...]:
        """The fields that are the note's content: all but where its entry is in the source."""
        at = self.kind.fields.index(SOURCE_FIELD)
        return self.fields[:at] + self.fields[at + 1 :]

    @property
    def user_tags(self) -> tuple[str, ...]:
        """The tags that are part of the note's content: all but the ones saying what kind it is (a
        kind never changes for a note, so they need no update of notes imported before they existed)."""
        if len(self.tags) == 1 and self.tags[0] != REMOVED_TAG:
            return ()  # the common case: only the tag saying what it is
        return tuple(t for t in self.tags if t == REMOVED_TAG or not t.startswith(TAG_PREFIX))

    def cloze_ordinals(self) -> tuple[int, ...]:
        """A cloze note's cards: one per deletion number, ``{{cN::`` giving ordinal N - 1."""
        return tuple(sorted({int(n) - 1 for field in self.fields for n in CLOZE_NUMBER.findall(field)}))


@dataclass(frozen=True)
class DeckNotes:
    deck: Deck
    language: str
    notes: tuple[Note, ...]
    #: How many fronts show a gap in place of their answer, and how many show it (it could not be masked).
    masked: int = 0
    unsafe: int = 0


def escape(text: str) -> str:
    """Text as HTML element content: ``&``, ``<`` and ``>`` escaped (quotes need no escaping there)."""
    return _escape(text, quote=False)


#: The prompts a reverse card asks from, and where a concept keeps each.
PROMPTS: dict[str, Callable[[Concept], Localized | None]] = {
    "description": lambda c: c.description,
    "example": lambda c: c.example,
}


def ambiguous_prompts(deck: Deck, language: str, prompt: str) -> frozenset[str]:
    """Ids of concepts whose ``prompt`` ("description" or "example") is shared with another concept."""
    pick = PROMPTS[prompt]
    keys = {c.id: normalised(text[language]) for c in deck.concepts if (text := pick(c)) is not None}
    counts = Counter(keys.values())
    if len(counts) == len(keys):
        return frozenset()
    return frozenset(concept_id for concept_id, same in keys.items() if counts[same] > 1)


def kind_tag(*parts: str) -> str:
    return TAG_PREFIX + "::".join(parts)


CONCEPT_TAG = kind_tag("concept")
QUESTION_TAG = kind_tag("question")
_CONCEPT_TAGS = (CONCEPT_TAG,)
_QUESTION_TAGS = (QUESTION_TAG,)


def topic_of(topic: Localized | None, language: str) -> str:
    return topic[language] if topic is not None else ""


def concept_note(
    concept: Concept,
    language: str,
    ask_description: bool,
    ask_example: bool,
    fronts: Fronts | None = None,
    source: str = "",
) -> Note:
    """A concept's note. Its lists are asked item by item (``item_notes``): the fields of the cards that
    asked for a whole list stay empty, so those cards are empty in a collection that has them.
    ``source``: where the concept is in the source (``file:line``)."""
    example = concept.example[language] if concept.example is not None else ""
    values = {
        "Name": text_html(concept.name[language]),
        "Description": text_html(concept.description[language]),
        "Example": text_html(example),
        "AskFromDescription": FLAG_ON if ask_description else "",
        "AskFromExample": FLAG_ON if ask_example and example else "",
        SOURCE_FIELD: escape(source),
    }
    if fronts is not None:
        values["DescriptionPrompt"] = masked_html(fronts, concept.description[language], [concept.id])
        if example:
            values["ExamplePrompt"] = masked_html(fronts, example, [concept.id])
    fields = tuple(values.get(f, "") for f in CONCEPT.fields)
    tags = (CONCEPT_TAG, *concept.tags) if concept.tags else _CONCEPT_TAGS
    return Note(CONCEPT, concept.id, language, fields, tags, topic_of(concept.topic, language))


#: A deck shows its concepts as options on question cards when it has at most this many.
MOST_OPTIONS = 7


def shows_options(deck: Deck, question: Question) -> bool:
    if isinstance(question.options, tuple):
        return True
    if not question.options:
        return False
    return deck.options if deck.options is not None else len(deck.concepts) <= MOST_OPTIONS


def options_html(deck: Deck, language: str, chosen: tuple[str, ...] = ()) -> str:
    """The options of a question: the concepts it names, in its order, or else the deck's, in the source's."""
    concepts = [deck.concept(c) for c in chosen] if chosen else deck.concepts
    names = "".join(f"<li>{text_html(c.name[language])}</li>" for c in concepts)
    return f'<ul class="fc-options">{names}</ul>'


def question_note(question: Question, fronts: Fronts, deck_options: str, source: str = "") -> Note:
    """A question's note; ``deck_options``: the deck's concepts as options, shown unless the question
    names its own; ``source``: where the question is in the source (``file:line``)."""
    deck, language = fronts.deck, fronts.language
    if not shows_options(deck, question):
        options = ""
    elif isinstance(question.options, tuple):
        options = options_html(deck, language, question.options)
    else:
        options = deck_options
    values = {
        "Question": masked_html(fronts, question.question[language], [question.answer]),
        "Answer": text_html(deck.concept(question.answer).name[language]),
        "Explanation": text_html(question.explanation[language]),
        "Options": options,
        "Note": text_html(deck.answer_note[language]) if deck.answer_note is not None else "",
        SOURCE_FIELD: escape(source),
    }
    fields = tuple(values.get(f, "") for f in QUESTION.fields)
    tags = (QUESTION_TAG, *question.tags) if question.tags else _QUESTION_TAGS
    return Note(QUESTION, question.id, language, fields, tags, topic_of(question.topic, language))


def free_note(card: BasicCard | ClozeCard, language: str, source: str = "") -> Note:
    """A card of the learner's own: basic (with the reverse card when asked) or cloze."""
    extra = text_html(card.extra[language]) if card.extra is not None else ""
    if isinstance(card, ClozeCard):
        cloze_fields = (text_html(card.text[language]), extra, escape(source))
        cloze_tags = (kind_tag("card", "cloze"), *card.tags)
        return Note(CLOZE, card.id, language, cloze_fields, cloze_tags, topic_of(card.topic, language))
    values = {
        "Front": text_html(card.front[language]),
        "Back": text_html(card.back[language]),
        "Reverse": FLAG_ON if card.reverse else "",
        "Extra": extra,
        SOURCE_FIELD: escape(source),
    }
    tags = (kind_tag("card", "reverse" if card.reverse else "basic"), *card.tags)
    fields = tuple(values[f] for f in BASIC.fields)
    return Note(BASIC, card.id, language, fields, tags, topic_of(card.topic, language))


def tombstone_note(kind: NoteKind, entry_id: str, language: str, labels: Mapping[str, str]) -> Note:
    """The note that stands for a removed entry: tagged, saying so, and asking for no card at all.

    Its first field names it; its last text field says what happened. Every card template's front is
    conditional on a field left empty here, so a new collection gets the note without cards, and in a
    collection that has its cards they turn blank, which Anki's Tools > Empty Cards then offers to delete.
    """
    values = dict.fromkeys(kind.fields, "")
    values[kind.fields[0]] = escape(f"[{labels['removed']}] {entry_id}")
    values[kind.message_field] = escape(labels["removed_note"])
    return Note(kind, entry_id, language, tuple(values[f] for f in kind.fields), (REMOVED_TAG,))


def deck_notes(
    deck: Deck, language: str, assigned: AssignedItems | None = None, source_file: str | None = None
) -> DeckNotes:
    """Every note of ``deck`` in ``language``: concepts first, then their items, questions and cards of
    the learner's own, in source order. ``assigned`` numbers the items (by default, in list order);
    ``source_file`` names the source in the notes' Source field (by default, as the deck's path)."""
    from flashcards import item_notes, items

    file = PurePath(deck.path).as_posix() if source_file is None else source_file
    shared_descriptions = ambiguous_prompts(deck, language, "description")
    shared_examples = ambiguous_prompts(deck, language, "example")
    fronts = Fronts.of(deck, language)
    notes = [
        concept_note(
            c,
            language,
            c.id not in shared_descriptions,
            c.id not in shared_examples,
            fronts,
            location(file, c.line),
        )
        for c in deck.concepts
    ]
    if assigned is None:
        assigned = items.assign(deck, {})
    notes.extend(item_notes.item_notes(deck, language, assigned, fronts, file))
    asks_deck_options = any(shows_options(deck, q) and q.options is True for q in deck.questions)
    deck_options = options_html(deck, language) if asks_deck_options else ""
    notes.extend(question_note(q, fronts, deck_options, location(file, q.line)) for q in deck.questions)
    notes.extend(free_note(card, language, location(file, card.line)) for card in deck.cards)
    return DeckNotes(deck, language, tuple(notes), fronts.masked, fronts.unsafe)
