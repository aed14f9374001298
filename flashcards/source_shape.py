"""The shape of a source file as written: its sections, the keys of each, their types and defaults.

This is the one description of the format. ``parser`` checks every source against it, and
``source_schema`` turns it into the JSON Schema. It checks shape only: meaning (languages, ids,
references) is checked by ``parser``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: A text in every language of the deck: ``{ja: ..., en: ...}``.
LocalizedText = dict[str, str]

#: What an id looks like: lower-case words joined by hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


@dataclass(frozen=True)
class Key:
    """One key of a section: the type of its value, and what it holds when it is left out."""

    #: The type of the value, as a Python annotation.
    annotation: Any
    #: Makes the value of a key left out; None when the key is required.
    default: Callable[[], Any] | None = None
    #: What the key is for, as editors show it.
    description: str | None = None
    #: Whether the value is an id (see ``SLUG_PATTERN``).
    slug: bool = False

    @property
    def required(self) -> bool:
        return self.default is None

    def value_left_out(self) -> Any:
        """The value of this key when a source leaves it out (for an optional key only)."""
        assert self.default is not None, "a required key has no value when left out"
        return self.default()


@dataclass(frozen=True, eq=False)
class Section:
    """The keys one mapping of a source may have, in the order the format lists them.

    Each section is made once, below, and is compared and hashed by identity."""

    keys: Mapping[str, Key]


def _false() -> bool:
    return False


def _true() -> bool:
    return True


def _none() -> None:
    return None


_NOTE_ID_DESCRIPTION = "The note's identity in Anki: lower-case words joined by hyphens. Never change it."
_TAGS_DESCRIPTION = "Your own Anki tags for this note (no spaces; 'flashcards::' is reserved)."
_TOPIC_DESCRIPTION = (
    "The subdeck its new cards go to ('Deck name::Topic'), per language. Anki never moves cards "
    "already imported: a changed topic only applies to new cards."
)


_NOTE_ID = Key(str, description=_NOTE_ID_DESCRIPTION, slug=True)
_TAGS = Key(list[str], list, _TAGS_DESCRIPTION)
_TOPIC = Key(LocalizedText, dict, _TOPIC_DESCRIPTION)


#: The ``deck`` mapping: the deck's identity, languages and names.
DECK_INFO = Section(
    {
        "id": Key(str, description="Namespace of every identity in this deck. Never change it.", slug=True),
        "languages": Key(list[str], description="Language codes, e.g. [ja, en]; every text exists in each."),
        "name": Key(LocalizedText, description="The deck's name in Anki, per language."),
        "description": Key(LocalizedText, dict, "Shown on the deck's overview."),
        "kind": Key(
            LocalizedText,
            dict,
            "What the concepts are, per language (e.g. ja: 手法, en: technique), as the cards ask for "
            "them: 'Which technique is this?'. Left out: 概念 / concept.",
        ),
        "answer-note": Key(
            LocalizedText, dict, "A remark that qualifies every answer: shown on every question card's back."
        ),
        "options": Key(
            bool,
            _none,
            "Show the deck's concepts as the options of every question. Left out: shown when the deck "
            "has at most 7 concepts.",
        ),
        "speech": Key(
            dict[str, Any],
            dict,
            "Anki's text to speech: 'read' names card types and sides ({NameToDescription: [front]}), "
            "'voices' a voice per language ({ja: ja_JP}).",
        ),
        "dollar-math": Key(
            bool, _false, "Read $…$ and $$…$$ as math, like \\(…\\) and \\[…\\] (off: a $ is a dollar sign)."
        ),
        "show-source": Key(
            bool,
            _false,
            "Show on every card's back where its entry is in the source (file and line). Every note holds "
            "it in its Source field, which Anki's browser searches: Source:source/deck.yaml:*.",
        ),
    }
)

#: An entry of ``concepts``.
CONCEPT = Section(
    {
        "id": _NOTE_ID,
        "name": Key(LocalizedText),
        "description": Key(LocalizedText),
        "features": Key(list[LocalizedText], list),
        "pros": Key(list[LocalizedText], list),
        "cons": Key(list[LocalizedText], list),
        "example": Key(LocalizedText, dict),
        "tags": _TAGS,
        "topic": _TOPIC,
    }
)

#: An entry of ``questions``.
QUESTION = Section(
    {
        "id": _NOTE_ID,
        "question": Key(LocalizedText),
        "answer": Key(str, description="The id of the concept this question recommends.", slug=True),
        "explanation": Key(LocalizedText),
        "options": Key(
            bool | list[str],
            _true,
            "Show the deck's concepts as the options on this question's card (true or false), or the ids "
            "of the concepts to show, in that order.",
        ),
        "tags": _TAGS,
        "topic": _TOPIC,
    }
)

#: An entry of ``cards``: 'front' and 'back', or 'cloze' (``parser`` checks which).
CARD = Section(
    {
        "id": _NOTE_ID,
        "front": Key(LocalizedText, dict, "The question side."),
        "back": Key(LocalizedText, dict, "The answer side."),
        "reverse": Key(bool, _false, "Also ask from the back to the front."),
        "cloze": Key(
            LocalizedText,
            dict,
            "A sentence with deletions: [[answer]] (numbered in order), [[answer::hint]], "
            "or Anki's own {{c1::answer}}.",
        ),
        "extra": Key(LocalizedText, dict, "Shown below the answer."),
        "tags": _TAGS,
        "topic": _TOPIC,
    }
)

#: The whole file. Its entries are checked one by one (against the sections above), so that one bad
#: entry hides no other.
SOURCE = Section(
    {
        "deck": Key(dict[str, Any]),
        "concepts": Key(list[Any], list),
        "questions": Key(list[Any], list),
        "cards": Key(list[Any], list),
    }
)
