"""The note types a deck has: each one's field names and card-template names, in order.

Field and card-template names are identities in Anki: ASCII, the same in every language, and only ever
appended to (a new name gives the note type a new id; see ``identity``). Everything a learner reads is
localized in the templates.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The field every note has last: where its entry is in the source (``source/deck.yaml:12``). It is not
#: content: moving an entry in its file leaves the note as it was in Anki (see ``Note.content``).
SOURCE_FIELD = "Source"


@dataclass(frozen=True)
class NoteKind:
    """The schema of one note type: its field names and card-template names, in order."""

    name: str
    fields: tuple[str, ...]
    templates: tuple[str, ...]
    #: The field a tombstone writes its message in: one that no card's front depends on.
    message_field: str
    #: A cloze note type: one template, and one card per deletion number (``{{c1::…}}`` → ordinal 0).
    cloze: bool = False


CONCEPT = NoteKind(
    "concept",
    fields=(
        "Name",
        "Description",
        "Features",
        "Pros",
        "Cons",
        "Example",
        "AskFromDescription",
        "AskFromExample",
        "DescriptionPrompt",
        "ExamplePrompt",
        SOURCE_FIELD,
    ),
    templates=(
        "NameToDescription",
        "DescriptionToName",
        "NameToFeatures",
        "NameToPros",
        "NameToCons",
        "ExampleToName",
    ),
    message_field="Example",
)

QUESTION = NoteKind(
    "question",
    fields=("Question", "Answer", "Explanation", "Options", "Note", SOURCE_FIELD),
    templates=("QuestionToAnswer",),
    message_field="Explanation",
)

BASIC = NoteKind(
    "basic",
    fields=("Front", "Back", "Reverse", "Extra", SOURCE_FIELD),
    templates=("FrontToBack", "BackToFront"),
    message_field="Extra",
)

CLOZE = NoteKind(
    "cloze", fields=("Text", "Extra", SOURCE_FIELD), templates=("Cloze",), message_field="Extra", cloze=True
)

#: One item of features, pros or cons, asked both ways (two cards of one note, so that Anki buries
#: one while the other is due): the item → the concept (or all the concepts) that have it, and the
#: concept with its list, this item hidden → the item (an overlapping cloze).
ITEM = NoteKind(
    "item",
    fields=(
        "Entry",
        "IsFeature",
        "IsPro",
        "IsCon",
        "Name",
        "Item",
        "ItemPrompt",
        "Concepts",
        "Count",
        "ListFront",
        "ListBack",
        SOURCE_FIELD,
    ),
    templates=("ItemToConcept", "ConceptToItem"),
    message_field="ListBack",
)

NOTE_KINDS = (CONCEPT, QUESTION, BASIC, CLOZE, ITEM)
#: The kinds every deck has a note type for, used or not; the others only once a deck uses them.
ALWAYS_KINDS = (CONCEPT, QUESTION)
