"""A source and its lock file restored to an older version still reach Anki: what the user's builds issued
is remembered outside the repository, and a content Anki does not hold always gets a newer time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from anki.collection import Collection

from flashcards import issued
from flashcards.lock import Lock, NoteKey, NoteRecord, format_lock

from helpers import import_package, rendered_cards, run_cli

SOURCE = Path("source") / "ml-techniques.yaml"
LOCK = Path("source") / "ml-techniques.lock.yaml"
ORIGINAL = "Transferring the knowledge of a large teacher model to a small student model."
EDITED = "Transferring the knowledge of a large teacher model to a small student model through its outputs."


def build(project: Path) -> list[str]:
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def nothing_to_import(lines: list[str]) -> bool:
    """Whether every package of a build is, to Anki, what it already holds."""
    since = [line for line in lines if line.startswith("  since the last build: ")]
    return len(since) == 2 and all(
        re.fullmatch(r"  since the last build: \d+ unchanged", line) for line in since
    )


def said(stderr: str) -> list[str]:
    """What a build said on stderr, besides its notes on the fronts that mask their answer."""
    return [
        line for line in stderr.splitlines() if "fronts show a gap" not in line and ": note: " not in line
    ]


def distillation_back(col: Collection) -> str:
    (card,) = [
        c
        for c in rendered_cards(col, "card:NameToDescription")
        if "Knowledge distillation" in c.question.splitlines()
    ]
    return card.answer.splitlines()[-1]


def test_a_reverted_source_and_lock_update_the_note_anki_holds(
    project: Path, collection: Collection, user_state: Path
) -> None:
    source = project / SOURCE
    build(project)
    original_source, original_lock = source.read_bytes(), (project / LOCK).read_bytes()
    import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    assert distillation_back(collection) == ORIGINAL

    source.write_text(source.read_text(encoding="utf-8").replace(ORIGINAL, EDITED), encoding="utf-8")
    assert "  updated: concept distillation" in build(project)
    summary = import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    assert summary.updated == 1
    assert distillation_back(collection) == EDITED

    # `git checkout HEAD~1 -- source/` (or a revert): the source and its lock go back together.
    source.write_bytes(original_source)
    (project / LOCK).write_bytes(original_lock)
    lines = build(project)
    assert lines[3].startswith("  since the last build: 1 updated, ")
    assert lines[4:] == ["  updated: concept distillation"]
    summary = import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    assert (summary.new, summary.updated) == (0, 1)
    assert distillation_back(collection) == ORIGINAL
    # The record is the user's, outside the project.
    assert (user_state / "flashcards" / "issued" / "ml-techniques.yaml").is_file()
    assert sorted(p.name for p in (project / "source").iterdir()) == [
        "ml-techniques.lock.yaml",
        "ml-techniques.yaml",
    ]

    # Built again as it is: nothing more to import.
    assert nothing_to_import(build(project))


def test_an_entry_added_then_reverted_becomes_a_tombstone(project: Path, collection: Collection) -> None:
    source = project / SOURCE
    build(project)
    original_source, original_lock = source.read_bytes(), (project / LOCK).read_bytes()
    text = source.read_text(encoding="utf-8")
    added = text.replace(
        "questions:\n",
        "  - id: pruning\n    name:\n      ja: 枝刈り\n      en: Pruning\n    description:\n"
        "      ja: 重みを取り除くこと。\n      en: Removing weights.\nquestions:\n",
        1,
    )
    source.write_text(added, encoding="utf-8")
    build(project)
    import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    source.write_bytes(original_source)
    (project / LOCK).write_bytes(original_lock)
    lines = build(project)
    assert "  removed: concept pruning" in lines
    import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    assert collection.find_notes("Pruning tag:flashcards::removed")
    assert not collection.find_notes("Pruning -tag:flashcards::removed")


def test_another_user_building_the_same_project_goes_by_the_lock_file(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project)
    source = project / SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace(ORIGINAL, "Passing on what a large teacher model knows."),
        encoding="utf-8",
    )
    assert "  updated: concept distillation" in build(project)
    # A second machine (a state of its own) gets the project with its lock: nothing to import again.
    other = tmp_path_factory.mktemp("other-machine")
    monkeypatch.setenv("XDG_STATE_HOME", str(other))
    assert nothing_to_import(build(project))
    # ... and from then on remembers what it gave, as the first machine does.
    record = (other / "flashcards" / "issued" / "ml-techniques.yaml").read_text(encoding="utf-8")
    lock = (project / LOCK).read_text(encoding="utf-8")
    assert record.partition("\nversion: ")[2] == lock.partition("\nversion: ")[2]


def test_an_unwritable_record_is_a_warning_and_the_build_goes_on(project: Path, user_state: Path) -> None:
    (user_state / "flashcards").write_text("not a folder", encoding="utf-8")
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    (line,) = said(result.stderr)
    assert line.startswith(f"{user_state}/flashcards/issued/ml-techniques.yaml: warning: cannot record")
    assert (project / "dist" / "ml-techniques.en.apkg").is_file()


def test_a_damaged_record_is_started_anew(project: Path, user_state: Path) -> None:
    record = user_state / "flashcards" / "issued" / "ml-techniques.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("version: 1\nnotes:\n  en concept distillation: {hash: 'nonsense'}\n", encoding="utf-8")
    result = run_cli(["build"], project)
    assert (result.exit_code, said(result.stderr)) == (0, [])
    assert "en concept distillation: {hash: '" in record.read_text(encoding="utf-8")
    assert record.read_text(encoding="utf-8").startswith("# Written by `flashcards build`")


def test_an_item_added_then_reverted_keeps_its_number_from_any_later_item(project: Path) -> None:
    source = project / SOURCE
    build(project)
    original_source, original_lock = source.read_bytes(), (project / LOCK).read_bytes()
    feature = "    features:\n"
    text = source.read_text(encoding="utf-8")
    first = text.index(feature) + len(feature)

    def with_feature(ja: str, en: str) -> str:
        return text[:first] + f"      - ja: {ja}\n        en: {en}\n" + text[first:]

    source.write_text(with_feature("学習率を小さくする。", "Uses a small learning rate."), encoding="utf-8")
    assert "  new: item fine-tuning-features-3" in build(project)
    source.write_bytes(original_source)
    (project / LOCK).write_bytes(original_lock)
    assert "  removed: item fine-tuning-features-3" in build(project)
    # A different item added later is a new note: it never takes the number of one Anki already has.
    source.write_text(with_feature("層を凍結する。", "Freezes some layers."), encoding="utf-8")
    assert "  new: item fine-tuning-features-4" in build(project)


def test_what_another_build_recorded_meanwhile_is_kept(tmp_path: Path) -> None:
    a, b = NoteKey("en", "concept", "a"), NoteKey("en", "concept", "b")
    read = Lock(notes={a: NoteRecord("0123456789abcdef", 100)})
    lock_file = tmp_path / "deck.lock.yaml"
    lock_file.write_text(format_lock(read, "deck.yaml"), encoding="utf-8")
    # This build read a record that said what the lock file says; another build then recorded a later time.
    meanwhile = Lock(notes={a: NoteRecord("fedcba9876543210", 200)})
    issued.issued_path("deck").parent.mkdir(parents=True)
    issued.issued_path("deck").write_text(
        format_lock(meanwhile, "deck", header=issued.HEADER), encoding="utf-8"
    )
    after = Lock(notes={**read.notes, b: NoteRecord("00000000ffffffff", 300)})
    assert issued.record_issued("deck", after, format_lock(after, "deck.yaml"), lock_file) is None
    assert issued.read_issued("deck").notes == {a: meanwhile.notes[a], b: after.notes[b]}
    # Had nothing happened meanwhile, the record would take the lock file's lines as they are.
    issued.issued_path("deck").write_text(format_lock(read, "deck", header=issued.HEADER), encoding="utf-8")
    assert issued.record_issued("deck", after, format_lock(after, "deck.yaml"), lock_file) is None
    assert issued.read_issued("deck") == after
