"""Back to the source: every note holds where its entry is (file and line) in a field that no card shows
unless the deck asks for it, that Anki's browser searches, and that is not content, so that moving an entry
in its file leaves its note alone in Anki."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from anki.collection import Collection
from anki.sound import TTSTag

from flashcards.package_contents import read_package

from helpers import REPO, import_package, rendered_cards, run_cli, visible_text, without_style, write_tree
from preview_page import folded, page_cards

V1 = 1_700_000_000
V2 = 1_700_000_100
V3 = 1_700_000_200

#: One entry of each kind; every entry's first line is named in the tests by its number.
SOURCE = """\
deck:
  id: where
  languages: [ja, en]
  name:
    ja: 出どころ
    en: Where from
concepts:
  - id: distillation
    name:
      ja: 蒸留
      en: Distillation
    description:
      ja: 大きなモデルの知識を小さなモデルに移すこと。
      en: Moving a large model's knowledge into a small one.
    pros:
      - ja: 推論が速い。
        en: Fast inference.
  - id: pruning
    name:
      ja: 枝刈り
      en: Pruning
    description:
      ja: 重要度の低い重みを取り除くこと。
      en: Removing weights of low importance.
questions:
  - id: smaller-model
    question:
      ja: モデルを小さくしたい。どの手法?
      en: You need a smaller model. Which technique?
    answer: distillation
    explanation:
      ja: 蒸留を用いる。
      en: Use distillation.
cards:
  - id: sigmoid-range
    front:
      ja: シグモイド関数の値域は?
      en: What is the range of the sigmoid function?
    back:
      ja: 0 から 1
      en: Between 0 and 1
  - id: softmax
    cloze:
      ja: ソフトマックス関数は[[ロジット]]を確率に変える。
      en: The softmax function turns [[logits]] into probabilities.
"""

#: The line each entry starts on in SOURCE.
LINES = {"distillation": 8, "pruning": 18, "smaller-model": 26, "sigmoid-range": 35, "softmax": 42}


def build_at(project: Path, epoch: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def sources(col: Collection, search: str = "") -> dict[str, str]:
    """The Source field of every note found, by the note's first field (as the browser lists them)."""
    found = {}
    for note_id in col.find_notes(search):
        note = col.get_note(note_id)
        found[note.fields[0]] = note["Source"]
    return found


def mods(col: Collection) -> dict[str, int]:
    assert col.db is not None
    return {str(guid): int(mod) for guid, mod in col.db.all("SELECT guid, mod FROM notes")}


def edit(project: Path, old: str, new: str) -> None:
    path = project / "source" / "where.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = write_tree(tmp_path / "project", {"source/where.yaml": SOURCE})
    build_at(project, V1, monkeypatch)
    return project


def test_every_note_holds_the_file_and_line_of_its_entry(built: Path, collection: Collection) -> None:
    for language in ("ja", "en"):
        assert import_package(collection, built / "dist" / f"where.{language}.apkg").new == 6
    assert sources(collection, "deck:Where*") == {
        "Distillation": "source/where.yaml:8",
        # An item's note is where its concept's entry starts.
        "Distillation · Fast inference.": "source/where.yaml:8",
        "Pruning": "source/where.yaml:18",
        "You need a smaller model. Which technique?": "source/where.yaml:26",
        "What is the range of the sigmoid function?": "source/where.yaml:35",
        "The softmax function turns {{c1::logits}} into probabilities.": "source/where.yaml:42",
    }
    assert set(sources(collection, "deck:出どころ").values()) == {
        f"source/where.yaml:{n}" for n in LINES.values()
    }
    # No card shows it unless the deck asks for it.
    cards = rendered_cards(collection)
    assert len(cards) == 18
    assert not [c for c in cards if "where.yaml" in c.question_html + c.answer_html]


def test_the_browser_finds_the_notes_of_a_file_or_of_one_line(built: Path, collection: Collection) -> None:
    for language in ("ja", "en"):
        import_package(collection, built / "dist" / f"where.{language}.apkg")
    assert len(collection.find_notes("Source:source/where.yaml:*")) == 12
    assert sorted(sources(collection, "Source:source/where.yaml:8 deck:Where*")) == [
        "Distillation",
        "Distillation · Fast inference.",
    ]
    assert sorted(sources(collection, "Source:*:26")) == [
        "You need a smaller model. Which technique?",
        "モデルを小さくしたい。どの手法?",
    ]
    assert collection.find_notes("Source:other.yaml:*") == []


def test_moving_an_entry_leaves_its_note_alone_and_an_edit_brings_the_new_line(
    built: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    en = built / "dist" / "where.en.apkg"
    import_package(collection, en)
    before = mods(collection)

    # A comment pushes every entry down a line, and the two cards change places.
    edit(built, "concepts:\n", "# Model compression, and a quiz.\nconcepts:\n")
    text = (built / "source" / "where.yaml").read_text(encoding="utf-8")
    head, cards = text.split("cards:\n")
    basic, cloze = cards.split("  - id: softmax\n")
    swapped = f"{head}cards:\n  - id: softmax\n{cloze}{basic}"
    (built / "source" / "where.yaml").write_text(swapped, encoding="utf-8")
    out = build_at(built, V2, monkeypatch)
    assert "  since the last build: 6 unchanged" in out
    summary = import_package(collection, en)
    assert (summary.new, summary.updated, summary.duplicate) == (0, 0, 6)
    assert mods(collection) == before
    assert sources(collection)["Pruning"] == "source/where.yaml:18"  # Anki kept the note as it was
    notes = read_package(en).notes
    assert {n.field_dict()["Source"] for n in notes} == {
        f"source/where.yaml:{n}" for n in (9, 19, 27, 36, 40)
    }

    # An edit of the moved entry updates its note, which then holds the line it is on now.
    edit(built, "Removing weights of low importance.", "Removing the weights of least importance.")
    out = build_at(built, V3, monkeypatch)
    assert "  updated: concept pruning" in out
    summary = import_package(collection, en)
    assert (summary.new, summary.updated, summary.duplicate) == (0, 1, 5)
    assert sources(collection) == {
        "Pruning": "source/where.yaml:19",
        "Distillation": "source/where.yaml:8",
        "Distillation · Fast inference.": "source/where.yaml:8",
        "You need a smaller model. Which technique?": "source/where.yaml:26",
        "What is the range of the sigmoid function?": "source/where.yaml:35",
        "The softmax function turns {{c1::logits}} into probabilities.": "source/where.yaml:42",
    }
    changed = {guid for guid, mod in mods(collection).items() if mod != before[guid]}
    assert len(changed) == 1
    (card,) = rendered_cards(collection, "Name:Pruning card:NameToDescription")
    assert card.answer.endswith("Removing the weights of least importance.")


def test_the_footer_shows_the_source_on_every_back_when_the_deck_asks(
    built: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    for language in ("ja", "en"):
        import_package(collection, built / "dist" / f"where.{language}.apkg")
    edit(built, "  id: where\n", "  id: where\n  show-source: true\n")
    out = build_at(built, V2, monkeypatch)
    # A change of the card templates alone: the notes are as they were (only their lines moved by one).
    assert "  since the last build: 6 unchanged" in out
    assert "  note type 'where · concept · en': new card templates or style (applied on import)" in out
    for language in ("ja", "en"):
        summary = import_package(collection, built / "dist" / f"where.{language}.apkg")
        assert (summary.updated, summary.duplicate) == (0, 6)

    # Each back ends with the place its note holds: that of the build that last changed the note (here the
    # first, before show-source pushed every entry down a line).
    cards = rendered_cards(collection, "deck:Where*")
    assert sorted((c.template, c.answer.splitlines()[-1]) for c in cards) == [
        ("Cloze", "Source: source/where.yaml:42"),
        ("ConceptToItem", "Source: source/where.yaml:8"),
        ("DescriptionToName", "Source: source/where.yaml:18"),
        ("DescriptionToName", "Source: source/where.yaml:8"),
        ("FrontToBack", "Source: source/where.yaml:35"),
        ("ItemToConcept", "Source: source/where.yaml:8"),
        ("NameToDescription", "Source: source/where.yaml:18"),
        ("NameToDescription", "Source: source/where.yaml:8"),
        ("QuestionToAnswer", "Source: source/where.yaml:26"),
    ]
    assert not [c for c in cards if "where.yaml" in c.question]
    (card,) = rendered_cards(collection, "deck:出どころ card:QuestionToAnswer")
    assert card.answer.splitlines()[-1] == "ソース: source/where.yaml:26"
    assert '<div class="fc" lang="ja"><div class="fc-source">ソース: ' in card.answer_html


def test_show_source_takes_true_or_false(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path,
        {"source/where.yaml": SOURCE.replace("  id: where\n", "  id: where\n  show-source: often\n")},
    )
    result = run_cli(["check"], project)
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        ["source/where.yaml:3:16: deck.show-source: expected true or false, found 'often'"],
    )
    # The JSON Schema editors read says the same.
    schema = json.loads((REPO / "schema" / "source.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for value, valid in (("true", True), ("false", True), ("often", False)):
        text = SOURCE.replace("  id: where\n", f"  id: where\n  show-source: {value}\n")
        assert validator.is_valid(yaml.safe_load(text)) is valid, value


def test_a_source_named_outside_the_project_is_named_from_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collection: Collection
) -> None:
    write_tree(tmp_path, {"notes/where.yaml": SOURCE})
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V1))
    result = run_cli(["build", str(tmp_path / "notes" / "where.yaml")], project)
    assert result.exit_code == 0, result.stderr
    import_package(collection, project / "dist" / "where.en.apkg")
    assert sources(collection)["Pruning"] == "../notes/where.yaml:18"


@pytest.mark.parametrize("named", ["source", "source/where.yaml", "./source//where.yaml", "ABSOLUTE"])
def test_the_file_is_named_from_the_project_however_the_command_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str
) -> None:
    project = write_tree(tmp_path / "project", {"source/where.yaml": SOURCE})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V1))
    argument = str(project / "source" / "where.yaml") if named == "ABSOLUTE" else named
    result = run_cli(["build", argument], project)
    assert result.exit_code == 0, result.stderr
    notes = read_package(project / "dist" / "where.en.apkg").notes
    assert sorted({note.field_dict()["Source"] for note in notes}) == [
        "source/where.yaml:18",
        "source/where.yaml:26",
        "source/where.yaml:35",
        "source/where.yaml:42",
        "source/where.yaml:8",
    ]


def test_a_file_name_in_any_script_with_spaces_is_found_by_the_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collection: Collection
) -> None:
    project = write_tree(tmp_path, {"source/機械 学習/モデル圧縮.yaml": SOURCE})
    build_at(project, V1, monkeypatch)
    import_package(collection, project / "dist" / "where.ja.apkg")
    assert sources(collection, '"Source:source/機械 学習/モデル圧縮.yaml:18"') == {
        "枝刈り": "source/機械 学習/モデル圧縮.yaml:18"
    }
    assert len(collection.find_notes('"Source:source/機械 学習/*"')) == 6


#: A concept written in the shapes people write YAML in, each after a line of its own (line 1 to 7 are the deck).
SHAPES = {
    "flow mappings": "  - {id: pruning, name: {ja: 枝刈り, en: Pruning}, description: {ja: 取り除く。, en: Removing.}}\n",
    "the dash on a line of its own": (
        "  -\n    id: pruning\n    name: {ja: 枝刈り, en: Pruning}\n    description: {ja: 取り除く。, en: Removing.}\n"
    ),
    "no indentation, a comment and a blank line above": (
        "# Compression\n\n- id: pruning\n  name: {ja: 枝刈り, en: Pruning}\n  description: {ja: 取り除く。, en: Removing.}\n"
    ),
}


@pytest.mark.parametrize(
    ("shape", "line"),
    [
        ("flow mappings", 8),
        ("the dash on a line of its own", 9),
        ("no indentation, a comment and a blank line above", 10),
    ],
)
@pytest.mark.parametrize("line_break", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_the_line_is_found_in_every_shape_of_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str, line: int, line_break: str, bom: str
) -> None:
    head = SOURCE[: SOURCE.index("  - id: distillation")]
    text = bom + (head + SHAPES[shape]).replace("\n", line_break)
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "where.yaml").write_bytes(text.encode("utf-8"))
    build_at(tmp_path, V1, monkeypatch)
    (note,) = read_package(tmp_path / "dist" / "where.en.apkg").notes
    assert note.field_dict()["Source"] == f"source/where.yaml:{line}"


def test_a_path_is_stored_as_html_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collection: Collection
) -> None:
    project = write_tree(tmp_path, {"source/a&b <c>.yaml": SOURCE})
    build_at(project, V1, monkeypatch)
    import_package(collection, project / "dist" / "where.en.apkg")
    (note_id,) = collection.find_notes("Name:Pruning")
    assert collection.get_note(note_id)["Source"] == "source/a&amp;b &lt;c&gt;.yaml:18"
    # Anki's browser searches a field's HTML, as stored.
    assert len(collection.find_notes('"Source:source/a&amp;b &lt;c&gt;.yaml:*"')) == 6
    assert collection.find_notes('"Source:source/a&b <c>.yaml:*"') == []


def test_the_preview_says_where_each_card_comes_from_and_draws_the_footer_as_anki_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collection: Collection
) -> None:
    shown_source = SOURCE.replace("  id: where\n", "  id: where\n  show-source: true\n")
    project = write_tree(tmp_path, {"source/where.yaml": shown_source})
    build_at(project, V1, monkeypatch)
    result = run_cli(["preview"], project)
    assert result.exit_code == 0, result.stderr
    for language in ("ja", "en"):
        import_package(collection, project / "dist" / f"where.{language}.apkg")
    anki = {(card.guid, card.template): card for card in rendered_cards(collection)}

    shown = page_cards(project / "dist" / "preview" / "index.html")
    assert len(shown) == len(anki) == 18
    for card in shown:
        in_anki = anki[(card.guid, card.template)]
        assert folded(card.back) == folded(without_style(in_anki.answer_html))
        assert in_anki.answer.splitlines()[-1].split(": ", 1)[1] == card.source
    # Every entry one line further down than in SOURCE, for the line show-source takes.
    assert {card.source for card in shown} == {f"source/where.yaml:{n + 1}" for n in LINES.values()}


def test_sync_leaves_a_moved_entry_alone_and_brings_the_new_line_with_an_edit(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = tmp_path / "Anki2" / "User 1"
    profile.mkdir(parents=True)
    Collection(str(profile / "collection.anki2")).close()
    monkeypatch.setenv("ANKI_BASE", str(tmp_path / "Anki2"))

    def sync(epoch: int) -> list[str]:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        result = run_cli(["sync"], built)
        assert result.exit_code == 0, result.stderr
        return [line for line in result.stdout.splitlines() if line.startswith("  Where from [en]")]

    assert sync(V1) == ["  Where from [en]: 6 added, 0 updated, 0 unchanged"]
    col = Collection(str(profile / "collection.anki2"))
    before = mods(col)
    col.close()

    edit(built, "concepts:\n", "# Model compression\nconcepts:\n")
    assert sync(V2) == ["  Where from [en]: 0 added, 0 updated, 6 unchanged"]
    col = Collection(str(profile / "collection.anki2"))
    assert mods(col) == before
    assert sources(col, "deck:Where*")["Pruning"] == "source/where.yaml:18"
    col.close()

    edit(built, "Removing weights of low importance.", "Removing the weights of least importance.")
    assert sync(V3) == ["  Where from [en]: 0 added, 1 updated, 5 unchanged"]
    col = Collection(str(profile / "collection.anki2"))
    assert sources(col, "deck:Where*") == {
        "Pruning": "source/where.yaml:19",
        "Distillation": "source/where.yaml:8",
        "Distillation · Fast inference.": "source/where.yaml:8",
        "You need a smaller model. Which technique?": "source/where.yaml:26",
        "What is the range of the sigmoid function?": "source/where.yaml:35",
        "The softmax function turns {{c1::logits}} into probabilities.": "source/where.yaml:42",
    }
    col.close()


def test_speech_does_not_read_the_source_aloud(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collection: Collection
) -> None:
    options = "  show-source: true\n  speech:\n    read:\n      NameToDescription: [back]\n"
    project = write_tree(
        tmp_path, {"source/where.yaml": SOURCE.replace("  id: where\n", f"  id: where\n{options}")}
    )
    build_at(project, V1, monkeypatch)
    import_package(collection, project / "dist" / "where.en.apkg")
    (card_id,) = collection.find_cards("Name:Pruning card:NameToDescription")
    card = collection.get_card(card_id)
    said = [(t.lang, t.field_text.strip()) for t in card.answer_av_tags() if isinstance(t, TTSTag)]
    assert said == [("en_US", "Removing weights of low importance.")]
    assert visible_text(card.answer()).splitlines()[-1] == "Source: source/where.yaml:22"
