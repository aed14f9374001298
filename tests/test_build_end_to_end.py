"""The bundled deck, built by the CLI and imported into a fresh collection of the real Anki backend."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml
from anki.collection import Collection

from helpers import (
    BUNDLED_SOURCE,
    STUDY_SHEET,
    deck_description,
    import_package,
    rendered_cards,
    rows,
)

JA_DECK = "ファインチューニング・転移学習・蒸留"
EN_DECK = "Fine-tuning, Transfer Learning and Distillation"
JAPANESE_SCRIPT = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")

#: Lines of the study sheet that are structure (headings, list markers), not study text.
SHEET_STRUCTURE = {"目的", "一覧表", "知識定着のための問題:", "回答:", "-"}


def sheet_sentences(text: str) -> list[str]:
    """Every sentence of the study sheet: table cells, '- ' items, questions, answers, remarks."""
    body = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line in SHEET_STRUCTURE or set(line) <= set("-|") or line.startswith("手法 |"):
            continue
        body.append(line)
    sentences: list[str] = []
    cells = re.split(r"\s*\|\s*", " | ".join(body))
    for item in (item for cell in cells for item in re.split(r"(?:^|\s)-\s", cell)):
        piece = item.strip().removeprefix("問題:")
        sentences.extend(s.strip() for s in re.split(r"(?<=[。?])", piece) if s.strip())
    return sentences


def test_every_note_and_card_of_both_languages_imports(bundled_build: Path, collection: Collection) -> None:
    ja = import_package(collection, bundled_build / "ml-techniques.ja.apkg")
    en = import_package(collection, bundled_build / "ml-techniques.en.apkg")

    assert (ja.new, ja.duplicate, ja.conflicting, ja.first_field_match) == (26, 0, 0, 0)
    assert (en.new, en.duplicate, en.conflicting, en.first_field_match) == (26, 0, 0, 0)
    cards = rendered_cards(collection)
    per_deck_template = Counter((c.deck, c.template) for c in cards)
    for deck in (JA_DECK, EN_DECK):
        # Three concepts asked three ways (no shared description or example); their 18 items each asked
        # both ways, the pro two concepts share asked once; five questions.
        assert {t: n for (d, t), n in per_deck_template.items() if d == deck} == {
            "NameToDescription": 3,
            "DescriptionToName": 3,
            "ExampleToName": 3,
            "ItemToConcept": 17,
            "ConceptToItem": 18,
            "QuestionToAnswer": 5,
        }
    assert collection.note_count() == 52
    assert collection.card_count() == 98


def test_the_two_languages_live_side_by_side(bundled_build: Path, collection: Collection) -> None:
    import_package(collection, bundled_build / "ml-techniques.ja.apkg")
    import_package(collection, bundled_build / "ml-techniques.en.apkg")

    decks = sorted(d.name for d in collection.decks.all_names_and_ids() if d.name != "Default")
    assert decks == sorted([JA_DECK, EN_DECK])
    note_types = sorted(m.name for m in collection.models.all_names_and_ids() if m.name.startswith("ml-"))
    assert note_types == [
        "ml-techniques · concept · en",
        "ml-techniques · concept · ja",
        "ml-techniques · item · en",
        "ml-techniques · item · ja",
        "ml-techniques · question · en",
        "ml-techniques · question · ja",
    ]
    guids = [g for (g,) in rows(collection, "SELECT guid FROM notes")]
    assert len(guids) == len(set(guids)) == 52
    # Anki's duplicate check (same first field in the same note type) flags nothing.
    assert all(not n.dupeOrEmpty() for n in (collection.get_note(i) for i in collection.find_notes("")))
    # Re-importing both packages changes nothing: the second import matches every note by guid.
    again = [
        import_package(collection, bundled_build / f"ml-techniques.{lang}.apkg") for lang in ("ja", "en")
    ]
    assert [(s.new, s.updated, s.duplicate, s.conflicting) for s in again] == [(0, 0, 26, 0), (0, 0, 26, 0)]
    assert collection.note_count() == 52


def test_every_sentence_of_the_study_sheet_is_in_the_japanese_deck(
    bundled_build: Path, collection: Collection
) -> None:
    import_package(collection, bundled_build / "ml-techniques.ja.apkg")
    cards = rendered_cards(collection)
    description = deck_description(collection, JA_DECK)
    shown = "\n".join([c.answer for c in cards] + [description])

    sentences = sheet_sentences(STUDY_SHEET.read_text(encoding="utf-8"))
    assert len(sentences) > 60
    missing = [s for s in sentences if s not in shown]
    assert missing == []


def test_the_english_deck_shows_no_japanese_script(bundled_build: Path, collection: Collection) -> None:
    import_package(collection, bundled_build / "ml-techniques.en.apkg")
    cards = rendered_cards(collection)
    assert len(cards) == 49
    description = deck_description(collection, EN_DECK)
    for text in [c.question for c in cards] + [c.answer for c in cards] + [EN_DECK, description]:
        assert not JAPANESE_SCRIPT.search(text), text


def test_each_question_names_the_technique_the_source_recommends(
    bundled_build: Path, collection: Collection
) -> None:
    source = yaml.safe_load(BUNDLED_SOURCE.read_text(encoding="utf-8"))
    names = {c["id"]: c["name"] for c in source["concepts"]}
    for lang in ("ja", "en"):
        import_package(collection, bundled_build / f"ml-techniques.{lang}.apkg")
    for lang, deck in (("ja", JA_DECK), ("en", EN_DECK)):
        cards = rendered_cards(collection, f'"deck:{deck}" card:QuestionToAnswer')
        # The front reads: the deck's subject, the label, then the question and its options.
        by_question = {card.question.split("\n")[2]: card for card in cards}
        assert len(by_question) == 5
        for question in source["questions"]:
            card = by_question[question["question"][lang]]
            answer = re.search(r'<div class="fc-answer">(.*?)</div>', card.answer_html)
            assert answer is not None
            assert answer.group(1) == names[question["answer"]][lang]


def test_the_sheet_splits_into_the_expected_sentences() -> None:
    sentences = sheet_sentences(STUDY_SHEET.read_text(encoding="utf-8"))
    assert sentences[:3] == [
        "各手法がいまいちピンとこなかったため、生成AIにて学習",
        "ファインチューニング",
        "事前学習済みモデルのパラメータを、新しいタスク用のデータで再学習すること。",
    ]
    assert "大量の猫と犬の画像データを用いて、猫と犬を分類するモデルを構築したい。" in sentences
    assert "どの手法を用いるべきか?" in sentences
    assert "少量のデータでも高い性能を発揮できる。" in sentences


def test_each_package_has_its_own_id_range_so_anki_keeps_every_id(
    bundled_build: Path, collection: Collection
) -> None:
    import sqlite3
    import zipfile

    package_ids: set[int] = set()
    for lang in ("ja", "en"):
        with zipfile.ZipFile(bundled_build / f"ml-techniques.{lang}.apkg") as archive:
            database = bundled_build.parent / f"ids-{lang}.anki2"
            database.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(database)
        ids = {row[0] for row in connection.execute("SELECT id FROM notes UNION SELECT id FROM cards")}
        (newest,) = connection.execute("SELECT max(mod) FROM notes").fetchone()
        connection.close()
        database.unlink()
        # Each package's ids come after the previous package's (imported in that order, Anki appends
        # them), and none lies after the package's newest change (an id is a creation time in ms).
        assert min(ids) > max(package_ids, default=0)
        assert max(ids) < newest * 1000
        package_ids |= ids
        import_package(collection, bundled_build / f"ml-techniques.{lang}.apkg")
    # Anki renumbers an incoming id only when the collection has it already: here it kept all 150.
    kept = {row[0] for row in rows(collection, "SELECT id FROM notes UNION SELECT id FROM cards")}
    assert len(package_ids) == 52 + 98
    assert kept == package_ids
