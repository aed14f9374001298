"""The preview shows what Anki shows: every card of the bundled decks, compared with Anki's own rendering."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from anki.collection import Collection

from flashcards.anki_template import render_card

from helpers import copy_project, import_package, rendered_cards, run_cli, without_style, write_tree
from preview_page import PageCard, folded, page_cards


@pytest.fixture(scope="module")
def preview_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("preview"))
    result = run_cli(["preview"], project)
    assert result.exit_code == 0, result.stderr
    return project / "dist" / "preview" / "index.html"


@pytest.fixture(scope="module")
def anki_cards(
    bundled_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], PageCard]:
    """Both bundled packages imported into one fresh collection; each card as Anki renders it."""
    col = Collection(str(tmp_path_factory.mktemp("anki") / "collection.anki2"))
    try:
        for language in ("ja", "en"):
            import_package(col, bundled_build / f"ml-techniques.{language}.apkg")
        return {
            (card.guid, card.template): PageCard(
                card.guid,
                card.template,
                card.note_type,
                without_style(card.question_html),
                without_style(card.answer_html),
            )
            for card in rendered_cards(col)
        }
    finally:
        col.close()


def test_the_preview_has_exactly_the_cards_anki_has(
    preview_page: Path, anki_cards: dict[tuple[str, str], PageCard]
) -> None:
    shown = page_cards(preview_page)
    assert Counter((c.note_type, c.template) for c in shown) == Counter(
        (c.note_type, c.template) for c in anki_cards.values()
    )
    assert {(c.guid, c.template) for c in shown} == set(anki_cards)
    assert len(shown) == len(anki_cards) == 98


def test_every_card_front_and_back_is_what_anki_renders(
    preview_page: Path, anki_cards: dict[tuple[str, str], PageCard]
) -> None:
    for card in page_cards(preview_page):
        anki = anki_cards[(card.guid, card.template)]
        assert card.note_type == anki.note_type
        assert folded(card.front) == folded(anki.front), f"{card.note_type} {card.template} front"
        assert folded(card.back) == folded(anki.back), f"{card.note_type} {card.template} back"


# --- the template rules on cases the bundled templates do not reach, against Anki itself ------------

FIELDS = ("Front", "Back", "Extra")

CASES = [
    # (front template, back template, field values)
    ("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}", ("<b>a</b> &amp; b", "c", "")),
    ("{{#Extra}}{{Front}}{{/Extra}}", "{{Back}}", ("a", "b", "")),
    ("{{#Extra}}{{Front}}{{/Extra}}", "{{Back}}", ("a", "b", " <br> <div></div> ")),
    ("{{#Extra}}{{Front}}{{/Extra}}", "{{Back}}", ("a", "b", "<p></p>")),
    ("{{^Extra}}{{Front}}{{/Extra}}", "{{Back}}{{^Back}}none{{/Back}}", ("a", "", "")),
    ("{{^Extra}}{{Front}}{{/Extra}}", "{{Back}}", ("a", "b", "x")),
    ("text only {{#Front}}and text{{/Front}}", "{{Back}}", ("a", "b", "")),
    ("<!-- {{Back}} -->{{Front}}", "{{FrontSide}}{{Back}}", ("a", "b", "")),
    (
        "{{ Front }} {{Deck}} {{Card}} {{Type}}",
        "{{kanji:Back}}|{{kana:Back}}|{{furigana:Back}}",
        ("a", "日本[にほん]", ""),
    ),
    ("{{#Front}}{{#Back}}{{Extra}}{{/Back}}{{/Front}}", "{{Extra}}", ("a", "b", "")),
    ("{{#Front}}{{#Back}}{{Extra}}{{/Back}}{{/Front}}", "{{Extra}}", ("a", "b", "c")),
]


@pytest.mark.parametrize(("front", "back", "values"), CASES)
def test_template_rules_match_anki(
    collection: Collection, front: str, back: str, values: tuple[str, str, str]
) -> None:
    # A first template that always gives a card, so that Anki adds the note whatever the tested one does.
    models = collection.models
    note_type = models.new("Rules")
    for name in ("Id", *FIELDS):
        models.add_field(note_type, models.new_field(name))
    for name, qfmt, afmt in (("Always", "{{Id}}", "{{Id}}"), ("Tested", front, back)):
        template = models.new_template(name)
        template["qfmt"] = qfmt
        template["afmt"] = afmt
        models.add_template(note_type, template)
    models.add(note_type)
    added = models.by_name("Rules")
    deck_id = collection.decks.id("Rules deck")
    assert added is not None
    assert deck_id is not None
    note = collection.new_note(added)
    note["Id"] = "1"
    for name, value in zip(FIELDS, values, strict=True):
        note[name] = value
    collection.add_note(note, deck_id)

    fields = {"Id": "1", **dict(zip(FIELDS, values, strict=True))}
    specials = {"Deck": "Rules deck", "Subdeck": "Rules deck", "Card": "Tested", "Type": "Rules", "Tags": ""}
    ours = render_card(front, back, fields, specials)
    tested = [card for card in note.cards() if card.ord == 1]
    if ours is None:
        assert tested == []
        return
    (card,) = tested
    assert folded(ours.front) == folded(without_style(card.question()))
    assert folded(ours.back) == folded(without_style(card.answer()))


TWO_CONCEPTS = """\
deck:
  id: two
  languages: [en]
  name:
    en: Two concepts
concepts:
  - id: alpha
    name:
      en: Alpha
    description:
      en: The first one.
    pros:
      - en: Simple.
  - id: beta
    name:
      en: Beta
    description:
      en: The second one.
    cons:
      - en: Slow.
"""


def test_a_removed_entry_has_no_card_in_the_preview_as_in_anki(
    tmp_path: Path, collection: Collection
) -> None:
    """An entry that left the source stays in the package as a card-less note (a tombstone); so in the preview."""
    write_tree(tmp_path, {"source/two.yaml": TWO_CONCEPTS})
    assert run_cli(["build"], tmp_path).exit_code == 0
    write_tree(tmp_path, {"source/two.yaml": TWO_CONCEPTS[: TWO_CONCEPTS.index("  - id: beta")]})
    assert run_cli(["build"], tmp_path).exit_code == 0
    result = run_cli(["preview"], tmp_path)
    assert result.exit_code == 0, result.stderr
    import_package(collection, tmp_path / "dist" / "two.en.apkg")
    # The concept, and its item.
    assert len(collection.find_notes("tag:flashcards::removed")) == 2
    anki = {(c.guid, c.template) for c in rendered_cards(collection)}
    shown = {(c.guid, c.template) for c in page_cards(tmp_path / "dist" / "preview" / "index.html")}
    assert shown == anki
    assert len(shown) == 4  # alpha: NameToDescription, DescriptionToName, and its pro both ways
