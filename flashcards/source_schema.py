"""The source's shape (``source_shape``) as pydantic models, from which the JSON Schema is made."""

from __future__ import annotations

from types import GenericAlias
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from flashcards.source_shape import CARD, CONCEPT, DECK_INFO, QUESTION, SLUG_PATTERN, SOURCE, Key, Section

_CONFIG = ConfigDict(extra="forbid", strict=True, frozen=True)


def _field(key: Key) -> Any:  # pydantic's Field is typed Any, to stand in for any default
    extra: dict[str, Any] | None = {"pattern": SLUG_PATTERN} if key.slug else None
    if key.default is None:
        return Field(description=key.description, json_schema_extra=extra)
    default = key.default()
    if isinstance(default, list | dict):  # a fresh value each time: the schema shows no default
        return Field(default_factory=key.default, description=key.description, json_schema_extra=extra)
    return Field(default=default, description=key.description, json_schema_extra=extra)


def _model(
    name: str,
    section: Section,
    *,
    doc: str | None = None,
    config: ConfigDict = _CONFIG,
    annotations: dict[str, Any] | None = None,
) -> type[BaseModel]:
    """A model with the section's keys, in order; ``annotations`` gives some of them another type."""
    types = annotations or {}
    fields: dict[str, Any] = {
        key_name: (types.get(key_name, key.annotation), _field(key)) for key_name, key in section.keys.items()
    }
    return create_model(name, __config__=config, __doc__=doc, __module__=__name__, **fields)


RawDeckInfo = _model("RawDeckInfo", DECK_INFO)
RawConcept = _model("RawConcept", CONCEPT)
RawQuestion = _model("RawQuestion", QUESTION)
RawCard = _model(
    "RawCard",
    CARD,
    doc="A card of your own: 'front' and 'back' (and 'reverse: true' for the reverse card too), or 'cloze'.",
    config=ConfigDict(
        **_CONFIG,
        json_schema_extra={"oneOf": [{"required": ["front", "back"]}, {"required": ["cloze"]}]},
    ),
)
FullSource = _model(
    "FullSource",
    SOURCE,
    doc="The whole file's shape in one model (used for the JSON Schema).",
    annotations={
        "deck": RawDeckInfo,
        "concepts": GenericAlias(list, RawConcept),
        "questions": GenericAlias(list, RawQuestion),
        "cards": GenericAlias(list, RawCard),
    },
)
