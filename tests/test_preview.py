"""`flashcards preview`: what it writes, what it says, its warnings and its errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flashcards.preview import PreviewCard, search_text
from flashcards.staging import write_atomically

from helpers import InstalledCopy, copy_project, run_cli, visible_text, write_tree
from preview_page import page_cards

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
    "source/shared.yaml:{line}:11: concepts[{index}].description.en: warning: another concept has the same "
    "description in 'en', so the card asking for the name from the description would have two right answers; "
    "it is left out"
)


def articles(page: str) -> dict[str, str]:
    """Each card's <article> in the page, by its id (deck/language/kind/entry/template)."""
    found = re.findall(r'(<article class="pv-card".*?</article>)', page, flags=re.DOTALL)
    return {re.search(r'data-card="([^"]+)"', a).group(1): a for a in found}  # type: ignore[union-attr]


def test_preview_writes_one_page_of_every_card_of_both_languages(tmp_path: Path) -> None:
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
    page = (project / "dist" / "preview" / "index.html").read_text(encoding="utf-8")
    assert len(page_cards(project / "dist" / "preview" / "index.html")) == 98
    assert len(articles(page)) == 98
    # Grouped by deck, note type and card template, with counts.
    assert "ml-techniques · concept · ja" in page
    assert re.search(r"ItemToConcept <span class=\"pv-group-count\" data-total=\"17\">17 cards</span>", page)
    assert re.search(r"ml-techniques · question · en <span[^>]*>5 cards</span>", page)
    # Self-contained: nothing is fetched from anywhere.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page
    assert "@import" not in page
    assert not list((project / "dist" / "preview").glob(".*partial"))


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
    assert (project / "one" / "index.html").read_bytes() == (project / "two" / "index.html").read_bytes()


def test_warnings_are_reported_and_shown_beside_the_cards_they_concern(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/shared.yaml": SHARED})
    result = run_cli(["preview"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [WARNING.format(line=13, index=0), WARNING.format(line=23, index=1)]
    assert sorted(p.name for p in (tmp_path / "source").iterdir()) == ["shared.yaml"], "no lock file written"
    page = (tmp_path / "dist" / "preview" / "index.html").read_text(encoding="utf-8")
    cards = articles(page)
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
    for card_id, article in cards.items():
        warnings = re.search(r'<ul class="pv-warnings">.*?</ul>', article, flags=re.DOTALL)
        shown = visible_text(warnings.group(0)) if warnings else ""
        if card_id.startswith("shared/en/concept/alpha/"):
            assert shown == WARNING.format(line=13, index=0)
        elif card_id.startswith("shared/en/concept/beta/"):
            assert shown == WARNING.format(line=23, index=1)
        else:
            assert shown == "", card_id


def test_a_missing_source_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    result = run_cli(["preview", "nowhere.yaml"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr == "nowhere.yaml:1:1: no such file or folder\n"
    assert not (tmp_path / "dist").exists()


def test_a_template_anki_cannot_render_is_an_error_and_the_old_page_stays(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert run_cli(["preview"], project).exit_code == 0
    page = project / "dist" / "preview" / "index.html"
    before = page.read_bytes()
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
        "templates/concept/NameToDescription.back.html:1:1: template error: '{{#Description}}' is not closed: "
        "add '{{/Description}}'\n"
    )
    assert page.read_bytes() == before


def test_a_failed_write_leaves_the_old_file_and_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "\udcff")  # not encodable: fails while writing
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_search_text_is_the_folded_text_of_both_sides() -> None:
    card = PreviewCard(
        "id", "g", "fine-tuning", "T", 1, "<b>ＡＢＣ</b>\n<i>x</i>", "<p>Deux&nbsp;mots</p>", ()
    )
    assert search_text(card) == "fine-tuning abc x deux mots"


def test_an_installed_copy_finds_the_page_assets(installed_copy: InstalledCopy, tmp_path: Path) -> None:
    """A non-editable install (a wheel) writes the preview from any folder."""
    site = installed_copy.site
    project = copy_project(tmp_path)
    result = installed_copy.flashcards("preview", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (site / "flashcards" / "preview_assets" / "preview.js").is_file()
    assert len(page_cards(project / "dist" / "preview" / "index.html")) == 98
