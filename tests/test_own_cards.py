"""Cards of the learner's own: basic, reversed and cloze, edited, extended and removed without losing history.

Every test builds with the CLI and imports into a fresh collection with the real Anki backend.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from extras_project import RED, SOURCE, build
from helpers import answer_cards, import_package, rendered_cards, review_log, rows, run_cli, write_tree


def test_a_cloze_gives_one_card_per_deletion(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    import_package(collection, extras / "dist" / "extras.en.apkg")
    cards = rendered_cards(collection, '"note:extras · cloze · en"')
    assert [c.template for c in cards] == ["Cloze", "Cloze"]
    assert [c.question for c in cards] == [
        "Softmax turns [...] into probabilities.",
        "Softmax turns logits into [what?].",
    ]
    assert cards[0].answer.splitlines() == [
        "Softmax turns logits into probabilities.",
        "More",
        "The last layer of a classifier.",
    ]


def test_an_edited_cloze_updates_in_place_and_keeps_its_history(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    package = extras / "dist" / "extras.en.apkg"
    import_package(collection, package)
    cloze_cards = sorted(collection.find_cards('"note:extras · cloze · en"'))
    answer_cards(collection, cloze_cards)
    history = review_log(collection)
    schedule = rows(collection, "SELECT id, nid, ord, type, queue, due, ivl, reps FROM cards ORDER BY id")

    source = extras / "source" / "extras.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Softmax turns [[logits]]", "The softmax function turns [[logits]]"))
    build(extras, monkeypatch, 1_700_000_100)
    summary = import_package(collection, package)

    assert (summary.new, summary.updated, summary.conflicting) == (0, 1, 0)
    assert review_log(collection) == history
    assert (
        rows(collection, "SELECT id, nid, ord, type, queue, due, ivl, reps FROM cards ORDER BY id")
        == schedule
    )
    questions = [c.question for c in rendered_cards(collection, '"note:extras · cloze · en"')]
    assert questions[0] == "The softmax function turns [...] into probabilities."


def test_a_deletion_added_at_the_end_adds_one_card_and_keeps_the_others(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    package = extras / "dist" / "extras.en.apkg"
    import_package(collection, package)
    answer_cards(collection, sorted(collection.find_cards("card:Cloze")))
    history = review_log(collection)
    before = rows(collection, "SELECT id, ord, reps FROM cards WHERE ord < 2 ORDER BY id")

    source = extras / "source" / "extras.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("[[probabilities::what?]].", "[[probabilities::what?]] that sum to [[one]]."),
        encoding="utf-8",
    )
    assert run_cli(["build"], extras).exit_code == 1  # the ja text must ask the same deletions
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "[[確率::何?]]に変える。", "[[確率::何?]]に変える。和は[[1]]。"
        ),
        encoding="utf-8",
    )
    build(extras, monkeypatch, 1_700_000_100)
    summary = import_package(collection, package)
    assert (summary.new, summary.updated) == (0, 1)
    assert review_log(collection) == history
    assert rows(collection, "SELECT id, ord, reps FROM cards WHERE ord < 2 ORDER BY id") == before
    cards = rendered_cards(collection, '"note:extras · cloze · en"')
    assert [c.question for c in cards][2] == "Softmax turns logits into probabilities that sum to [...]."


def test_anki_cloze_syntax_is_accepted_and_numbered_before_the_friendly_one(
    tmp_path: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = SOURCE.split("cards:\n", maxsplit=1)[0] + (
        "cards:\n"
        "  - id: mixed\n"
        "    cloze:\n"
        "      ja: '{{c2::東京}}は[[日本]]の首都'\n"
        "      en: '{{c2::Tokyo}} is the capital of [[Japan]]'\n"
    )
    project = write_tree(tmp_path / "project", {"source/extras.yaml": source})
    (project / "source" / "media").mkdir()
    (project / "source" / "media" / "teacher.png").write_bytes(RED)
    build(project, monkeypatch)
    import_package(collection, project / "dist" / "extras.en.apkg")
    cards = rendered_cards(collection, '"note:extras · cloze · en"')
    assert [c.question for c in cards] == [
        "[...] is the capital of Japan",
        "Tokyo is the capital of [...]",
    ]
    (note_id,) = collection.find_notes('"note:extras · cloze · en"')
    assert collection.get_note(note_id)["Text"] == "{{c2::Tokyo}} is the capital of {{c3::Japan}}"


def test_basic_cards_with_and_without_the_reverse(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    import_package(collection, extras / "dist" / "extras.en.apkg")
    relu = rendered_cards(collection, "relu")
    assert [c.template for c in relu] == ["FrontToBack", "BackToFront"]
    assert relu[1].question == "max(0, x)"
    assert relu[1].answer.splitlines()[-1] == "The formula of ReLU? [anki:play:a:0]"
    sigmoid = rendered_cards(collection, "sigmoid")
    assert [(c.template, c.question, c.answer.splitlines()[-1]) for c in sigmoid] == [
        ("FrontToBack", "The range of the sigmoid?", "(0, 1)")
    ]


def test_a_removed_card_stays_as_a_tombstone_without_losing_its_history(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    package = extras / "dist" / "extras.en.apkg"
    import_package(collection, package)
    answer_cards(collection, sorted(collection.find_cards("card:Cloze or relu")))
    history = review_log(collection)
    cards = collection.card_count()

    source = extras / "source" / "extras.yaml"
    text = source.read_text(encoding="utf-8")
    start, end = text.index("  - id: softmax"), text.index("  - id: sigmoid")
    source.write_text(text[:start] + text[end:], encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    result = run_cli(["build"], extras)
    assert result.exit_code == 0, result.stderr
    assert "  since the last build: 3 unchanged, 2 removed" in result.stdout.splitlines()

    summary = import_package(collection, package)
    assert (summary.new, summary.updated, summary.conflicting) == (0, 2, 0)
    assert review_log(collection) == history
    removed = collection.find_notes("tag:flashcards::removed")
    assert len(removed) == 2
    assert collection.card_count() == cards  # no card deleted, none added
    assert sorted(collection.get_note(nid).fields[0] for nid in removed) == [
        "[removed] relu",
        "[removed] softmax",
    ]


def test_the_bundled_deck_is_unchanged_by_the_new_kinds(project: Path) -> None:
    """A deck without free-form cards gets no note type for them."""
    run_cli(["build"], project)
    lock = (project / "source" / "ml-techniques.lock.yaml").read_text(encoding="utf-8")
    assert " basic" not in lock
    assert " cloze" not in lock
