"""Golden files: the front and back of every card template in both languages, as Anki renders them.

Regenerate after an intended change with ``FLASHCARDS_UPDATE_GOLDEN=1 pytest tests/test_golden_cards.py``
and review the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from anki.collection import Collection

from helpers import import_package, rendered_cards, without_style

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FLASHCARDS_UPDATE_GOLDEN") == "1"

#: One note of each kind: a concept (its three card templates), the pro fine-tuning and transfer learning
#: share (answered with both; hidden in fine-tuning's list), and a question.
SAMPLES = {
    "concept": '"note:ml-techniques · concept · {lang}" (Name:ファインチューニング or Name:Fine-tuning)',
    "item": '"note:ml-techniques · item · {lang}" (Item:少量のデータ* or "Item:Achieves high performance*") '
    "(Name:ファインチューニング or Name:Fine-tuning)",
    "question": '"note:ml-techniques · question · {lang}" (Question:大量の* or "Question:You want to build a model that tells*")',
}
TEMPLATES = {
    "concept": ["NameToDescription", "DescriptionToName", "ExampleToName"],
    "item": ["ItemToConcept", "ConceptToItem"],
    "question": ["QuestionToAnswer"],
}

CASES = [
    (lang, kind, template)
    for lang in ("ja", "en")
    for kind, templates in TEMPLATES.items()
    for template in templates
]


@pytest.fixture(scope="module")
def imported(
    bundled_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], tuple[str, str]]:
    folder = tmp_path_factory.mktemp("golden")
    col = Collection(str(folder / "collection.anki2"))
    try:
        rendered: dict[tuple[str, str], tuple[str, str]] = {}
        for lang in ("ja", "en"):
            import_package(col, bundled_build / f"ml-techniques.{lang}.apkg")
            for kind, search in SAMPLES.items():
                cards = rendered_cards(col, search.format(lang=lang))
                assert sorted(card.template for card in cards) == sorted(TEMPLATES[kind])
                for card in cards:
                    rendered[(lang, card.template)] = (
                        without_style(card.question_html),
                        without_style(card.answer_html),
                    )
        return rendered
    finally:
        col.close()


@pytest.mark.parametrize(("lang", "kind", "template"), CASES)
def test_card_matches_golden_file(
    imported: dict[tuple[str, str], tuple[str, str]], lang: str, kind: str, template: str
) -> None:
    front, back = imported[(lang, template)]
    for side, html in (("front", front), ("back", back)):
        path = GOLDEN / lang / kind / f"{template}.{side}.html"
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        assert html == path.read_text(encoding="utf-8"), f"{path} differs"
