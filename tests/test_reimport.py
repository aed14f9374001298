"""Edit, rebuild, re-import: notes update in place and review history stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from helpers import answer_cards, import_package, rendered_cards, review_log, rows, run_cli

OLD = "事前学習済みモデルの知識を、関連するタスクに活用すること。"
NEW = "事前学習済みモデルで得た知識を、関連する別のタスクに活用すること。"


def build(project: Path, epoch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr


def test_an_edited_description_updates_its_note_and_keeps_every_review(
    project: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project, 1_700_000_000, monkeypatch)
    package = project / "dist" / "ml-techniques.ja.apkg"
    assert import_package(collection, package).new == 26

    reviewed = sorted(collection.find_cards("card:NameToDescription or card:QuestionToAnswer"))
    assert len(reviewed) == 8
    answer_cards(collection, reviewed)
    history = review_log(collection)
    assert len(history) == 8
    schedule = rows(collection, "SELECT id, nid, type, queue, due, ivl, reps FROM cards ORDER BY id")

    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    source.write_text(text.replace(OLD, NEW), encoding="utf-8")
    build(project, 1_700_000_100, monkeypatch)

    summary = import_package(collection, package)
    assert (summary.new, summary.duplicate + summary.updated, summary.conflicting) == (0, 26, 0)
    assert "転移学習" in summary.updated_first_fields
    assert collection.note_count() == 26
    assert collection.card_count() == 49
    assert review_log(collection) == history
    assert rows(collection, "SELECT id, nid, type, queue, due, ivl, reps FROM cards ORDER BY id") == schedule

    (card,) = rendered_cards(
        collection, '"note:ml-techniques · concept · ja" card:NameToDescription 転移学習'
    )
    assert card.answer.endswith(NEW)
    assert OLD not in card.answer
