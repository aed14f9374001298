"""The shape of a source file as written: keys, nesting and value types.

These models check shape only. Meaning (languages, ids, references) is checked by ``parser``,
which turns these raw models into the frozen ``model`` types.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_SLUG_SCHEMA: dict[str, Any] = {"pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"}

#: A text in every language of the deck: ``{ja: ..., en: ...}``.
LocalizedText = dict[str, str]


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RawDeckInfo(_Raw):
    id: str = Field(
        description="Namespace of every identity in this deck. Never change it.",
        json_schema_extra=_SLUG_SCHEMA,
    )
    languages: list[str] = Field(description="Language codes, e.g. [ja, en]; every text exists in each.")
    name: LocalizedText = Field(description="The deck's name in Anki, per language.")
    description: LocalizedText = Field(default_factory=dict, description="Shown on the deck's overview.")


_TAGS_DESCRIPTION = "Your own Anki tags for this note (no spaces; 'flashcards::' is reserved)."
_TOPIC_DESCRIPTION = (
    "The subdeck its new cards go to ('Deck name::Topic'), per language. Anki never moves cards "
    "already imported: a changed topic only applies to new cards."
)


class RawConcept(_Raw):
    id: str = Field(
        description="The note's identity in Anki: lower-case words joined by hyphens. Never change it.",
        json_schema_extra=_SLUG_SCHEMA,
    )
    name: LocalizedText
    description: LocalizedText
    features: list[LocalizedText] = Field(default_factory=list)
    pros: list[LocalizedText] = Field(default_factory=list)
    cons: list[LocalizedText] = Field(default_factory=list)
    example: LocalizedText = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list, description=_TAGS_DESCRIPTION)
    topic: LocalizedText = Field(default_factory=dict, description=_TOPIC_DESCRIPTION)


class RawQuestion(_Raw):
    id: str = Field(
        description="The note's identity in Anki: lower-case words joined by hyphens. Never change it.",
        json_schema_extra=_SLUG_SCHEMA,
    )
    question: LocalizedText
    answer: str = Field(
        description="The id of the concept this question recommends.", json_schema_extra=_SLUG_SCHEMA
    )
    explanation: LocalizedText
    tags: list[str] = Field(default_factory=list, description=_TAGS_DESCRIPTION)
    topic: LocalizedText = Field(default_factory=dict, description=_TOPIC_DESCRIPTION)


class RawCard(_Raw):
    """A card of your own: 'front' and 'back' (and 'reverse: true' for the reverse card too), or 'cloze'."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"oneOf": [{"required": ["front", "back"]}, {"required": ["cloze"]}]},
    )

    id: str = Field(
        description="The note's identity in Anki: lower-case words joined by hyphens. Never change it.",
        json_schema_extra=_SLUG_SCHEMA,
    )
    front: LocalizedText = Field(default_factory=dict, description="The question side.")
    back: LocalizedText = Field(default_factory=dict, description="The answer side.")
    reverse: bool = Field(default=False, description="Also ask from the back to the front.")
    cloze: LocalizedText = Field(
        default_factory=dict,
        description="A sentence with deletions: [[answer]] (numbered in order), [[answer::hint]], "
        "or Anki's own {{c1::answer}}.",
    )
    extra: LocalizedText = Field(default_factory=dict, description="Shown below the answer.")
    tags: list[str] = Field(default_factory=list, description=_TAGS_DESCRIPTION)
    topic: LocalizedText = Field(default_factory=dict, description=_TOPIC_DESCRIPTION)


class RawSource(_Raw):
    """One file is one deck. Entries are checked one by one, so that one bad entry hides no other."""

    deck: dict[str, Any]
    concepts: list[Any] = Field(default_factory=list)
    questions: list[Any] = Field(default_factory=list)
    cards: list[Any] = Field(default_factory=list)


class FullSource(_Raw):
    """The whole file's shape in one model (used for the JSON Schema)."""

    deck: RawDeckInfo
    concepts: list[RawConcept] = Field(default_factory=list)
    questions: list[RawQuestion] = Field(default_factory=list)
    cards: list[RawCard] = Field(default_factory=list)
