"""Tags and topics: as written in the collection, a changed topic warned about once, kind tags that change no note.

Every test builds with the CLI and imports into a fresh collection with the real Anki backend.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from extras_project import build
from helpers import REPO, import_package, rendered_cards, run_cli


def test_tags_and_topics_are_as_written(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    import_package(collection, extras / "dist" / "extras.ja.apkg")
    tags = [sorted(collection.get_note(nid).tags) for nid in collection.find_notes("")]
    assert sorted(tags) == sorted(
        [
            ["compression", "flashcards::concept", "ml"],
            ["flashcards::question"],
            ["activation", "flashcards::card::cloze"],
            ["flashcards::card::reverse"],
            ["flashcards::card::basic"],
        ]
    )
    decks = {(c.template, c.deck) for c in rendered_cards(collection)}
    assert decks == {
        ("NameToDescription", "おまけ::圧縮"),
        ("DescriptionToName", "おまけ::圧縮"),
        ("QuestionToAnswer", "おまけ"),
        ("Cloze", "おまけ"),
        ("FrontToBack", "おまけ::活性化::基本"),
        ("BackToFront", "おまけ::活性化::基本"),
        ("FrontToBack", "おまけ"),
    }
    assert collection.decks.by_name("おまけ::活性化") is not None


def test_a_changed_topic_is_recorded_and_warned_about_and_moves_no_card(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    lock = extras / "source" / "extras.lock.yaml"
    assert "  en concept distillation: {hash: " in lock.read_text(encoding="utf-8")
    assert "topic: 'Compression'}" in lock.read_text(encoding="utf-8")
    import_package(collection, extras / "dist" / "extras.en.apkg")

    source = extras / "source" / "extras.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("en: Compression", "en: Model compression"))
    stderr = build(extras, monkeypatch, 1_700_000_100)
    assert stderr == [
        "source/extras.yaml:8: concepts[0].topic.en: warning: the topic changed since the last build: "
        "Anki never moves cards, so the cards already imported stay in 'Extras::Compression' and only new "
        "cards of this note go to 'Extras::Model compression' (move the old ones in Anki's browser with "
        "Change Deck)"
    ]
    assert "topic: 'Model compression'}" in lock.read_text(encoding="utf-8")
    assert build(extras, monkeypatch, 1_700_000_200) == []  # said once

    summary = import_package(collection, extras / "dist" / "extras.en.apkg")
    assert (summary.new, summary.updated) == (0, 0)
    assert {c.deck for c in rendered_cards(collection, "card:NameToDescription")} == {"Extras::Compression"}


def test_kind_tags_change_no_existing_note(project: Path) -> None:
    """The tags saying what a note is are not content: notes built before they existed stay unchanged."""
    lock = REPO / "source" / "ml-techniques.lock.yaml"
    (project / "source" / lock.name).write_bytes(lock.read_bytes())
    result = run_cli(["build", "--dry-run"], project)
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if "since the last build" in line] == [
        "  since the last build: 26 unchanged",
        "  since the last build: 26 unchanged",
    ]
