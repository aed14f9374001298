"""The JSON Schema editors check a source with: cards of the learner's own, media, tags and topics."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from flashcards.schema import source_schema

from extras_project import SOURCE


def test_a_source_with_every_new_key_follows_the_json_schema() -> None:
    jsonschema.validate(yaml.safe_load(SOURCE), source_schema())


@pytest.mark.parametrize(
    "card",
    [
        {"id": "both", "front": {"en": "a"}, "back": {"en": "b"}, "cloze": {"en": "[[c]]"}},
        {"id": "front-only", "front": {"en": "a"}},
    ],
)
def test_the_json_schema_asks_for_front_and_back_or_cloze(card: dict[str, object]) -> None:
    source = {"deck": {"id": "d", "languages": ["en"], "name": {"en": "D"}}, "cards": [card]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(source, source_schema())
