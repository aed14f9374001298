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


class RawSource(_Raw):
    """One file is one deck. Entries are checked one by one, so that one bad entry hides no other."""

    deck: dict[str, Any]
    concepts: list[Any] = Field(default_factory=list)
    questions: list[Any] = Field(default_factory=list)


class FullSource(_Raw):
    """The whole file's shape in one model (used for the JSON Schema)."""

    deck: RawDeckInfo
    concepts: list[RawConcept] = Field(default_factory=list)
    questions: list[RawQuestion] = Field(default_factory=list)
