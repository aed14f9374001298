"""`flashcards preview`: what it writes, what it says, its warnings and its errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flashcards.staging import write_atomically

from helpers import InstalledCopy, copy_project, run_cli, write_tree
from preview_page import deck_payload, manifest, page_cards

SHARED = """\
deck:
  id: shared
  languages: [en, ja]
  name:
    en: Shared prompts
    ja: 共有
concepts:
  - id: alpha
    name:
      en: Alpha
      ja: アルファ
    description:
      en: A technique that reuses a model.
      ja: 一つ目の説明。
    pros:
      - en: Works with little data.
        ja: 少ないデータ。
  - id: beta
    name:
      en: Beta
      ja: ベータ
    description:
      en: A technique that reuses a model
      ja: 二つ目の説明。
"""

WARNING = (
    "source/shared.yaml:{line}: concepts[{index}].description.en: warning: another concept has the same "
    "description in 'en', so the card asking for the name from the description would have two right answers; "
    "it is left out"
)


def written(out: Path) -> dict[str, bytes]:
    """Every file the preview wrote, by its path under ``out``."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_preview_writes_a_page_and_the_cards_of_each_deck_and_language(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = run_cli(["preview"], project)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "source/ml-techniques.yaml: 10 fronts show a gap in place of the answer each asks for "
        "('flashcards check' lists them)\n"
    )
    assert result.stdout.splitlines() == [
        "ファインチューニング・転移学習・蒸留 [ja]: 49 cards",
        "Fine-tuning, Transfer Learning and Distillation [en]: 49 cards",
        "dist/preview/index.html: 98 cards",
    ]
    out = project / "dist" / "preview"
    page = out / "index.html"
    assert len(page_cards(page)) == 98
    # The page knows every deck, note type and template with its counts; the cards are in a file per
    # deck and language, named after its content.
    data = manifest(page)
    assert data["languages"] == ["ja", "en"]
    assert [(d["key"], d["total"]) for d in data["decks"]] == [
        ("ml-techniques/ja", 49),
        ("ml-techniques/en", 49),
    ]
    files = sorted(p.name for p in (out / "cards").iterdir())
    assert [d["files"] for d in data["decks"]] == [[f"cards/{name}"] for name in reversed(files)]
    assert all(re.fullmatch(r"ml-techniques\.(ja|en)\.[0-9a-f]{12}\.js", name) for name in files)
    ja = data["decks"][0]
    assert ja["source"] == "source/ml-techniques.yaml · ml-techniques · ja"
    groups = {(n["name"], t["name"]): t["total"] for n in ja["noteTypes"] for t in n["templates"]}
    assert groups[("ml-techniques · item · ja", "ItemToConcept")] == 17
    assert sum(groups.values()) == 49
    assert ("ml-techniques · question · ja", 5) in [(n["name"], n["total"]) for n in ja["noteTypes"]]
    # Each note type's stylesheet is in the page once, not once per card.
    assert sorted(data["noteTypes"]) == sorted({c.note_type for c in page_cards(page)})
    css = data["noteTypes"]["ml-techniques · concept · ja"]
    assert ".card" in css
    assert all(css not in f"{c.front} {c.back}" for c in page_cards(page))
    # A back that shows the front ({{FrontSide}}) does not write the front again.
    rows = deck_payload(page, ja)["cards"]
    assert [row[0] for row in rows if isinstance(row[7], str) and row[6] in row[7]] == []
    assert len([row for row in rows if isinstance(row[7], list)]) > len(rows) / 2
    # Self-contained: nothing is fetched from anywhere; the only stylesheet linked is the math renderer's
    # copy beside the page, for cards with formulas (the bundled deck has none, so it is not copied).
    texts = {"index.html": page.read_text(encoding="utf-8")} | {
        c.id: f"{c.front} {c.back}" for c in page_cards(page)
    }
    for name, text in texts.items():
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), name
        assert re.findall(r"<link[^>]*>", text) in (
            [],
            ['<link rel="stylesheet" href="katex/katex.min.css">'],
        )
        assert "@import" not in text, name
    assert not (out / "katex").exists()
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_preview_takes_sources_and_an_output_folder(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = run_cli(["preview", "source/ml-techniques.yaml", "-o", "site"], project)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "site/index.html: 98 cards"
    assert (project / "site" / "index.html").is_file()
    assert not (project / "dist").exists()


def test_the_same_source_gives_the_same_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    run_cli(["preview", "-o", "one"], project)
    run_cli(["preview", "-o", "two"], project)
    assert written(project / "one") == written(project / "two")


def test_a_new_write_replaces_the_card_files_and_leaves_no_stale_one(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    out = project / "dist" / "preview"
    assert run_cli(["preview"], project).exit_code == 0
    before = set(written(out))
    source = project / "source" / "ml-techniques.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Retraining the parameters", "Re-training the parameters"),
        encoding="utf-8",
    )
    assert run_cli(["preview"], project).exit_code == 0
    after = set(written(out))
    changed = before ^ after
    # Only the English cards changed: their file has a new name, the old one is gone.
    assert len(changed) == 2
    assert all(".en." in name for name in changed)
    assert any("Re-training the parameters" in c.back for c in page_cards(out / "index.html"))


def test_warnings_are_reported_and_shown_beside_the_cards_they_concern(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/shared.yaml": SHARED})
    result = run_cli(["preview"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [WARNING.format(line=8, index=0), WARNING.format(line=18, index=1)]
    assert sorted(p.name for p in (tmp_path / "source").iterdir()) == ["shared.yaml"], "no lock file written"
    cards = {c.id: c for c in page_cards(tmp_path / "dist" / "preview" / "index.html")}
    # The English DescriptionToName cards are left out; the Japanese descriptions differ, so theirs stay.
    assert sorted(cards) == [
        "shared/en/concept/alpha/NameToDescription",
        "shared/en/concept/beta/NameToDescription",
        "shared/en/item/alpha-pros-1/ConceptToItem",
        "shared/en/item/alpha-pros-1/ItemToConcept",
        "shared/ja/concept/alpha/DescriptionToName",
        "shared/ja/concept/alpha/NameToDescription",
        "shared/ja/concept/beta/DescriptionToName",
        "shared/ja/concept/beta/NameToDescription",
        "shared/ja/item/alpha-pros-1/ConceptToItem",
        "shared/ja/item/alpha-pros-1/ItemToConcept",
    ]
    for card_id, card in cards.items():
        if card_id.startswith("shared/en/concept/alpha/"):
            assert card.warnings == (WARNING.format(line=8, index=0),)
        elif card_id.startswith("shared/en/concept/beta/"):
            assert card.warnings == (WARNING.format(line=18, index=1),)
        else:
            assert card.warnings == (), card_id


def test_a_missing_source_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    result = run_cli(["preview", "nowhere.yaml"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr == "nowhere.yaml: no such file or folder\n"
    assert not (tmp_path / "dist").exists()


def test_a_template_anki_cannot_render_is_an_error_and_the_old_page_stays(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert run_cli(["preview"], project).exit_code == 0
    out = project / "dist" / "preview"
    before = written(out)
    write_tree(
        project,
        {
            "templates/concept/NameToDescription.back.html": (
                "{{FrontSide}}\n{{#Description}}\n<div>{{Description}}</div>\n"
            )
        },
    )
    result = run_cli(["preview"], project)
    assert result.exit_code == 1
    assert result.stderr == (
        "templates/concept/NameToDescription.back.html: template error: '{{#Description}}' is not closed: "
        "add '{{/Description}}'\n"
    )
    assert written(out) == before


def test_a_failed_write_leaves_the_old_file_and_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "\udcff")  # not encodable: fails while writing
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_an_installed_copy_finds_the_page_assets(installed_copy: InstalledCopy, tmp_path: Path) -> None:
    """A non-editable install (a wheel) writes the preview from any folder."""
    site = installed_copy.site
    project = copy_project(tmp_path)
    result = installed_copy.flashcards("preview", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (site / "flashcards" / "preview_assets" / "preview.js").is_file()
    assert len(page_cards(project / "dist" / "preview" / "index.html")) == 98


def test_a_folder_in_the_way_of_the_page_is_an_error_and_no_card_file_is_left(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "dist" / "preview" / "index.html").mkdir(parents=True)
    result = run_cli(["preview"], project)
    assert result.exit_code == 1
    assert result.stderr == "dist/preview/index.html: a folder is in the way of this file\n"
    assert written(project / "dist" / "preview") == {}


def test_a_note_on_a_masked_front_is_shown_on_that_card_only(tmp_path: Path) -> None:
    """The note that a front shows a gap is about one card: not about the note's other cards. A front of
    another note (an item's card) is never shown beside a card it is not about (``check`` lists it)."""
    project = copy_project(tmp_path)
    result = run_cli(["preview"], project)
    assert result.exit_code == 0, result.stderr
    page = project / "dist" / "preview" / "index.html"
    cards = {c.id: c for c in page_cards(page)}
    example_note = (
        "source/ml-techniques.yaml:25: concepts[0].example.ja: note: ExampleToName: the front shows ［…］ in "
        "place of 'ファインチューニング', the answer it asks for"
    )
    assert cards["ml-techniques/ja/concept/fine-tuning/ExampleToName"].warnings == (example_note,)
    assert cards["ml-techniques/ja/concept/fine-tuning/NameToDescription"].warnings == ()
    assert cards["ml-techniques/ja/concept/transfer-learning/ExampleToName"].warnings == (
        "source/ml-techniques.yaml:51: concepts[1].example.ja: note: ExampleToName: the front shows ［…］ in "
        "place of '転移学習', the answer it asks for",
    )
    item_note = (
        "source/ml-techniques.yaml:51: concepts[1].cons[0].ja: note: ItemToConcept: the front shows ［…］ in "
        "place of '転移学習', the answer it asks for"
    )
    assert [c.id for c in cards.values() if item_note in c.warnings] == []
