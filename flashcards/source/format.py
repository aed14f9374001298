"""The one description of the source format: its sections, their keys, the kind of each value, and the
patterns and limits a value must keep to.

Every other part reads it from here: ``shape`` checks a source against it, ``flashcards.schema`` turns it
into the JSON Schema, and the README's list of keys is written from it (``key_list``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# --- patterns and limits, each written once --------------------------------------------------------

#: An id: lower-case words joined by hyphens (it names the deck's package files and its notes' identities).
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID = re.compile(ID_PATTERN)
#: A language code as BCP 47 writes it: ``ja``, ``en``, ``pt-BR``, ``zh-Hant``.
LANGUAGE_PATTERN = r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
LANGUAGE = re.compile(LANGUAGE_PATTERN)
#: The file names a source may have.
SOURCE_SUFFIXES = (".yaml", ".yml")
#: Limits that no study note comes near; past them a file or a text is refused, quickly.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TEXT_CHARS = 10_000
#: An id names the deck's package files (``<id>.<language>.apkg``), which a file system limits.
MAX_ID_CHARS = 100
#: Tags that flashcards gives its notes start with this; a learner's own tags may not.
TAG_PREFIX = "flashcards::"
#: A deletion of a cloze in Anki's form: ``{{c1::answer}}``.
CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")
#: The highest deletion number Anki shows: a card's template number is 16 bits (measured with Anki's
#: backend: c65536 imports and shows "No cloze 0 found", a higher one fails the whole import).
MAX_CLOZE_NUMBER = 65_535
#: The spellings of true and false (YAML 1.2's core schema); any other value of a yes-or-no key is refused.
BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


# --- kinds of values ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Kind:
    """What a value may be: a name for the README, and its JSON Schema. Compared by identity."""

    name: str
    schema: Mapping[str, Any]


TEXT = Kind("text", {"type": "string"})
IDENTIFIER = Kind("id", {"type": "string", "pattern": ID_PATTERN})
BOOLEAN = Kind("true or false", {"type": "boolean"})
#: A text in every language of the deck: ``{ja: ..., en: ...}``.
LOCALIZED = Kind("a text per language", {"type": "object", "additionalProperties": {"type": "string"}})
TEXTS = Kind("list of texts", {"type": "array", "items": {"type": "string"}})
LOCALIZED_LIST = Kind("list of texts per language", {"type": "array", "items": LOCALIZED.schema})
#: ``true``, ``false``, or the ids of concepts.
BOOLEAN_OR_IDS = Kind(
    "true, false or a list of ids", {"oneOf": [BOOLEAN.schema, {"type": "array", "items": IDENTIFIER.schema}]}
)
MAPPING = Kind("keys and values", {"type": "object"})
#: The entries of a top-level list, each checked against its own section.
ENTRIES = Kind("entries", {"type": "array"})


@dataclass(frozen=True)
class Key:
    """One key of a section: the kind of its value, and what it holds when it is left out."""

    kind: Kind
    #: Makes the value of a key left out; None when the key is required.
    default: Callable[[], Any] | None = None
    #: What the key is for, as editors and the README show it.
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True, eq=False)
class Section:
    """The keys one mapping of a source may have, in the order the format lists them."""

    name: str
    keys: Mapping[str, Key]
    description: str = ""
    #: For the JSON Schema: the keys of each alternative form (a card is front and back, or cloze).
    one_of: tuple[tuple[str, ...], ...] = ()


def _false() -> bool:
    return False


def _true() -> bool:
    return True


def _none() -> None:
    return None


_NOTE_ID = Key(
    IDENTIFIER,
    description="The note's identity in Anki: lower-case words joined by hyphens. Never change it.",
)
_TAGS = Key(TEXTS, list, f"Your own Anki tags for this note (no spaces; '{TAG_PREFIX}' is reserved).")
_TOPIC = Key(
    LOCALIZED,
    dict,
    "The subdeck its new cards go to ('Deck name::Topic'), per language. Anki never moves cards "
    "already imported: a changed topic only applies to new cards.",
)

#: The ``deck`` mapping: the deck's identity, languages and names.
DECK = Section(
    "deck",
    {
        "id": Key(IDENTIFIER, description="Namespace of every identity in this deck. Never change it."),
        "languages": Key(TEXTS, description="Language codes, e.g. [ja, en]; every text exists in each."),
        "name": Key(LOCALIZED, description="The deck's name in Anki, per language."),
        "description": Key(LOCALIZED, dict, "Shown on the deck's overview."),
        "kind": Key(
            LOCALIZED,
            dict,
            "What the concepts are, per language (e.g. ja: 手法, en: technique), as the cards ask for "
            "them: 'Which technique is this?'. Left out: 概念 / concept.",
        ),
        "answer-note": Key(
            LOCALIZED, dict, "A remark that qualifies every answer: shown on every question card's back."
        ),
        "options": Key(
            BOOLEAN,
            _none,
            "Show the deck's concepts as the options of every question. Left out: shown when the deck "
            "has at most 7 concepts.",
        ),
        "speech": Key(
            MAPPING,
            dict,
            "Anki's text to speech: 'read' names card types and sides ({NameToDescription: [front]}), "
            "'voices' a voice per language ({ja: ja_JP}).",
        ),
        "dollar-math": Key(
            BOOLEAN,
            _false,
            "Read $…$ and $$…$$ as math, like \\(…\\) and \\[…\\] (off: a $ is a dollar sign).",
        ),
        "show-source": Key(
            BOOLEAN,
            _false,
            "Show on every card's back where its entry is in the source (file and line). Every note holds "
            "it in its Source field, which Anki's browser searches: Source:source/deck.yaml:*.",
        ),
    },
    "The deck's identity, languages and names.",
)

#: An entry of ``concepts``.
CONCEPT = Section(
    "concept",
    {
        "id": _NOTE_ID,
        "name": Key(LOCALIZED, description="The concept's name."),
        "description": Key(LOCALIZED, description="What it is, in a sentence or two."),
        "features": Key(LOCALIZED_LIST, list, "What is typical of it, one item each."),
        "pros": Key(LOCALIZED_LIST, list, "Its advantages."),
        "cons": Key(LOCALIZED_LIST, list, "Its drawbacks."),
        "example": Key(LOCALIZED, dict, "An example of it."),
        "tags": _TAGS,
        "topic": _TOPIC,
    },
    "A concept of the comparison table: a note with its cards.",
)

#: An entry of ``questions``.
QUESTION = Section(
    "question",
    {
        "id": _NOTE_ID,
        "question": Key(LOCALIZED, description="A situation to which one concept is the answer."),
        "answer": Key(IDENTIFIER, description="The id of the concept this question recommends."),
        "explanation": Key(LOCALIZED, description="Why that concept."),
        "options": Key(
            BOOLEAN_OR_IDS,
            _true,
            "Show the deck's concepts as the options on this question's card (true or false), or the ids "
            "of the concepts to show, in that order.",
        ),
        "tags": _TAGS,
        "topic": _TOPIC,
    },
    "A question that recommends a concept.",
)

#: An entry of ``cards``: 'front' and 'back', or 'cloze' (``entries`` checks which).
CARD = Section(
    "card",
    {
        "id": _NOTE_ID,
        "front": Key(LOCALIZED, dict, "The question side."),
        "back": Key(LOCALIZED, dict, "The answer side."),
        "reverse": Key(BOOLEAN, _false, "Also ask from the back to the front."),
        "cloze": Key(
            LOCALIZED,
            dict,
            "A sentence with deletions: [[answer]] (numbered in order), [[answer::hint]], "
            "or Anki's own {{c1::answer}}.",
        ),
        "extra": Key(LOCALIZED, dict, "Shown below the answer."),
        "tags": _TAGS,
        "topic": _TOPIC,
    },
    "A card of your own: 'front' and 'back' (and 'reverse: true' for the reverse card too), or 'cloze'.",
    one_of=(("front", "back"), ("cloze",)),
)

#: The whole file. Its entries are checked one by one against the sections above, so that one bad entry
#: hides no other.
SOURCE = Section(
    "source",
    {
        "deck": Key(MAPPING, description="The deck's identity, languages and names."),
        "concepts": Key(ENTRIES, list, "The concepts."),
        "questions": Key(ENTRIES, list, "Questions that each recommend a concept."),
        "cards": Key(ENTRIES, list, "Cards of your own."),
    },
)

#: The section of each entry of a top-level list.
ENTRY_SECTIONS = {"deck": DECK, "concepts": CONCEPT, "questions": QUESTION, "cards": CARD}


def key_list() -> str:
    """The README's list of keys: each section's keys, whether each is required, and what it is for."""
    lines: list[str] = []
    for name, section in ENTRY_SECTIONS.items():
        if lines:
            lines.append("")
        lines.append(f"- `{name}`: {section.description}" if name == "deck" else f"- `{name}`, each entry:")
        for key_name, key in section.keys.items():
            need = "required" if key.required else "optional"
            lines.append(f"  - `{key_name}` ({key.kind.name}, {need}): {key.description}")
    return "\n".join(lines)
