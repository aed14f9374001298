"""The JSON Schema of the source format, for editors (yaml-language-server) and other tools, made from the
format's one description (``flashcards.source.format``)."""

from __future__ import annotations

import json
from typing import Any

from flashcards.source.format import ENTRY_SECTIONS, SOURCE, Key, Section


def _property(key: Key) -> dict[str, Any]:
    schema: dict[str, Any] = {**key.kind.schema, "description": key.description}
    if key.default is not None:
        default = key.default()
        if isinstance(default, bool):  # a list or mapping left out is empty: not worth saying
            schema["default"] = default
    return schema


def _object(section: Section) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    if section.description:
        schema["description"] = section.description
    schema["properties"] = {name: _property(key) for name, key in section.keys.items()}
    required = [name for name, key in section.keys.items() if key.required]
    if required:
        schema["required"] = required
    if section.one_of:
        schema["oneOf"] = [{"required": list(keys)} for keys in section.one_of]
    schema["additionalProperties"] = False
    return schema


def source_schema() -> dict[str, Any]:
    schema = _object(SOURCE)
    defs = {name: _object(section) for name, section in ENTRY_SECTIONS.items()}
    for name, prop in schema["properties"].items():
        ref = {"$ref": f"#/$defs/{name}"}
        schema["properties"][name] = (
            {**ref, "description": prop["description"]}
            if name == "deck"
            else {"type": "array", "description": prop["description"], "items": ref}
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "flashcards source",
        "description": (
            "One deck of flashcards: its languages and names, concepts (name, description, features, pros, "
            "cons, example), questions that recommend a concept, and cards of your own (front and back, or "
            "cloze). Every text is given in every language."
        ),
        **schema,
        "$defs": defs,
    }


def schema_json() -> str:
    return json.dumps(source_schema(), ensure_ascii=False, indent=2) + "\n"
