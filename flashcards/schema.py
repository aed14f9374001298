"""The JSON Schema of the source format, for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json
from typing import Any

from flashcards.source_schema import FullSource


def source_schema() -> dict[str, Any]:
    schema = FullSource.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "flashcards source"
    schema["description"] = (
        "One deck of flashcards: its languages and names, concepts (name, description, features, pros, "
        "cons, example), questions that recommend a concept, and cards of your own (front and back, or "
        "cloze). Every text is given in every language."
    )
    return schema


def schema_json() -> str:
    return json.dumps(source_schema(), ensure_ascii=False, indent=2) + "\n"
