"""Safe updates through the real Anki backend: only changed notes change, note-type changes import in
one step, removals lose nothing, and identical input gives identical bytes."""

from __future__ import annotations

import dataclasses
import errno
import sqlite3
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection

from flashcards import build, cards, export, note_kinds

from helpers import answer_cards, import_package, rendered_cards, review_log, rows, run_cli, write_tree

V1 = 1_700_000_000
V2 = 1_700_000_100

TL_DESCRIPTION = {
    "ja": (
        "事前学習済みモデルの知識を、関連するタスクに活用すること。",
        "事前学習済みモデルで得た知識を、関連する別のタスクに活用すること。",
    ),
    "en": (
        "Applying a pre-trained model's knowledge to a related task.",
        "Putting what a pre-trained model knows to use on a different but related task.",
    ),
}


def build_at(project: Path, epoch: int | None, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = run_cli(["build", *args], project)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def edit_source(project: Path, *replacements: tuple[str, str]) -> None:
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    source.write_text(text, encoding="utf-8")


def package(project: Path, lang: str) -> Path:
    return project / "dist" / f"ml-techniques.{lang}.apkg"


def import_both(col: Collection, project: Path, **options: bool) -> dict[str, tuple[int, int, int, int]]:
    """Import both languages; per language (new, updated, unchanged, conflicting)."""
    out = {}
    for lang in ("ja", "en"):
        s = import_package(col, package(project, lang), **options)
        out[lang] = (s.new, s.updated, s.duplicate, s.conflicting)
    return out


def card_state(col: Collection) -> list[list[object]]:
    return rows(
        col, "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses FROM cards ORDER BY id"
    )


def study(col: Collection) -> None:
    """Answer the first card of several notes in both decks."""
    ids = sorted(col.find_cards("card:NameToDescription or card:QuestionToAnswer"))
    answer_cards(col, ids[::2])


def test_1_one_edited_concept_updates_exactly_that_note_per_language(
    project: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    assert import_both(collection, project) == {"ja": (26, 0, 0, 0), "en": (26, 0, 0, 0)}
    study(collection)
    history = review_log(collection)
    assert len(history) == 8
    before = card_state(collection)

    edit_source(project, *(TL_DESCRIPTION[lang] for lang in ("ja", "en")))
    out = build_at(project, V2, monkeypatch)
    assert out == [
        "dist/ml-techniques.ja.apkg: ファインチューニング・転移学習・蒸留 (26 notes, 49 cards)",
        "  since the last build: 1 updated, 25 unchanged",
        "  updated: concept transfer-learning",
        "dist/ml-techniques.en.apkg: Fine-tuning, Transfer Learning and Distillation (26 notes, 49 cards)",
        "  since the last build: 1 updated, 25 unchanged",
        "  updated: concept transfer-learning",
    ]

    logs = {lang: import_package(collection, package(project, lang)) for lang in ("ja", "en")}
    assert logs["ja"].updated_first_fields == ("転移学習",)
    assert logs["en"].updated_first_fields == ("Transfer learning",)
    assert all((s.new, s.updated, s.duplicate, s.conflicting) == (0, 1, 25, 0) for s in logs.values())
    assert collection.note_count() == 52
    assert review_log(collection) == history
    assert card_state(collection) == before
    for lang, (_, new) in TL_DESCRIPTION.items():
        (card,) = rendered_cards(
            collection, f'"note:ml-techniques · concept · {lang}" card:DescriptionToName "Description:{new}"'
        )
        assert card.question.split("\n")[2] == new


def test_2_an_unchanged_rebuild_is_byte_identical_and_updates_nothing(
    project: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    first = {lang: package(project, lang).read_bytes() for lang in ("ja", "en")}
    lock = (project / "source" / "ml-techniques.lock.yaml").read_text(encoding="utf-8")
    import_both(collection, project)
    study(collection)
    history = review_log(collection)

    # A later build, on another day and without SOURCE_DATE_EPOCH: the lock alone decides.
    out = build_at(project, None, monkeypatch)
    assert out[1] == out[3] == "  since the last build: 26 unchanged"
    assert {lang: package(project, lang).read_bytes() for lang in ("ja", "en")} == first
    assert (project / "source" / "ml-techniques.lock.yaml").read_text(encoding="utf-8") == lock
    assert import_both(collection, project) == {"ja": (0, 0, 26, 0), "en": (0, 0, 26, 0)}
    assert review_log(collection) == history


def test_3_a_users_own_edit_in_anki_survives_a_build_that_changes_another_note(
    project: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    import_both(collection, project)
    (note_id,) = collection.find_notes('"note:ml-techniques · concept · en" "Name:Knowledge distillation"')
    note = collection.get_note(note_id)
    note["Example"] = "My own example: DistilBERT, distilled from BERT-base."
    note.tags = ["my-tag"]
    collection.update_note(note)

    edit_source(project, TL_DESCRIPTION["en"])
    build_at(project, V2, monkeypatch)
    assert import_both(collection, project) == {"ja": (0, 0, 26, 0), "en": (0, 1, 25, 0)}
    mine = collection.get_note(note_id)
    assert mine["Example"] == "My own example: DistilBERT, distilled from BERT-base."
    assert mine.tags == ["my-tag"]
    (tl,) = collection.find_notes('"note:ml-techniques · concept · en" "Name:Transfer learning"')
    assert collection.get_note(tl)["Description"] == TL_DESCRIPTION["en"][1]


def extend_concept_kind(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    """A newer schema: the concept note type gains a field and a card (appended, as schema changes must be)."""
    extended = dataclasses.replace(
        note_kinds.CONCEPT,
        fields=(*note_kinds.CONCEPT.fields, "Mnemonic"),
        templates=(*note_kinds.CONCEPT.templates, "NameToMnemonic"),
    )
    monkeypatch.setattr(cards, "CONCEPT", extended)
    monkeypatch.setattr(note_kinds, "NOTE_KINDS", (extended, *note_kinds.NOTE_KINDS[1:]))
    write_tree(
        project,
        {
            "templates/concept/NameToMnemonic.front.html": "{{#Mnemonic}}{{Name}}{{/Mnemonic}}\n",
            "templates/concept/NameToMnemonic.back.html": "{{FrontSide}}<hr id=answer>{{Mnemonic}}\n",
        },
    )


def test_4_an_added_field_and_card_import_in_one_step_with_merge_note_types(
    project: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    import_both(collection, project)
    study(collection)
    history = review_log(collection)
    before = card_state(collection)
    old_ids = {m.name: m.id for m in collection.models.all_names_and_ids()}

    extend_concept_kind(monkeypatch, project)
    out = build_at(project, V2, monkeypatch)
    # What the user sees first, before importing: which file needs which option.
    assert out == [
        "dist/ml-techniques.ja.apkg: ファインチューニング・転移学習・蒸留 (26 notes, 49 cards)",
        "  since the last build: 3 updated, 23 unchanged",
        "  updated: concept fine-tuning, concept transfer-learning, concept distillation",
        "  note type 'ml-techniques · concept · ja · v2' gains Mnemonic, NameToMnemonic: when you import "
        'ml-techniques.ja.apkg, tick "Merge note types" in Anki\'s import dialog (for this import only)',
        "dist/ml-techniques.en.apkg: Fine-tuning, Transfer Learning and Distillation (26 notes, 49 cards)",
        "  since the last build: 3 updated, 23 unchanged",
        "  updated: concept fine-tuning, concept transfer-learning, concept distillation",
        "  note type 'ml-techniques · concept · en · v2' gains Mnemonic, NameToMnemonic: when you import "
        'ml-techniques.en.apkg, tick "Merge note types" in Anki\'s import dialog (for this import only)',
    ]

    assert import_both(collection, project, merge_notetypes=True) == {
        "ja": (0, 3, 23, 0),
        "en": (0, 3, 23, 0),
    }
    names = sorted(m.name for m in collection.models.all_names_and_ids() if m.name.startswith("ml-"))
    # The old concept note types are merged away; no copy named "…+" is left.
    assert names == [
        "ml-techniques · concept · en · v2",
        "ml-techniques · concept · ja · v2",
        "ml-techniques · item · en",
        "ml-techniques · item · ja",
        "ml-techniques · question · en",
        "ml-techniques · question · ja",
    ]
    concept_ja = collection.models.by_name("ml-techniques · concept · ja · v2")
    assert concept_ja is not None
    assert concept_ja["id"] != old_ids["ml-techniques · concept · ja"]
    assert [f["name"] for f in concept_ja["flds"]][-1] == "Mnemonic"
    assert [t["name"] for t in concept_ja["tmpls"]][-1] == "NameToMnemonic"
    notes_of_type = collection.find_notes(f"mid:{concept_ja['id']}")
    assert len(notes_of_type) == 3
    assert review_log(collection) == history
    # Every card is the same card, with its schedule; none was added or lost.
    assert card_state(collection) == before
    assert collection.note_count() == 52


def test_4b_renaming_a_field_is_refused_with_the_reason(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    renamed = dataclasses.replace(note_kinds.QUESTION, fields=("Question", "Recommended", "Explanation"))
    monkeypatch.setattr(cards, "QUESTION", renamed)
    monkeypatch.setattr(note_kinds, "NOTE_KINDS", (note_kinds.CONCEPT, renamed, *note_kinds.NOTE_KINDS[2:]))
    write_tree(
        project,
        {
            "templates/question/QuestionToAnswer.front.html": "{{#Recommended}}{{Question}}{{/Recommended}}\n",
            "templates/question/QuestionToAnswer.back.html": "{{FrontSide}}<hr id=answer>{{Recommended}}\n",
        },
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V2))
    result = run_cli(["build"], project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "source/ml-techniques.lock.yaml: note type 'ml-techniques · question · ja' would change from "
        "fields [Question, Answer, Explanation, Options, Note, Source], cards [QuestionToAnswer] to fields [Question, Recommended, "
        "Explanation], cards [QuestionToAnswer]; fields and cards can only be added at the end: a renamed, removed "
        "or reordered one cannot be undone in an Anki collection"
    ]


def test_5_a_deleted_concept_becomes_a_tagged_tombstone_and_nothing_else_changes(
    project: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    import_both(collection, project)
    study(collection)
    history = review_log(collection)
    before = card_state(collection)

    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("  - id: distillation")
    end = text.index("questions:")
    text = text[:start] + text[end:]
    start = text.index("  - id: smaller-grammar-correction-model")
    end = text.index("  - id: job-satisfaction-from-survey-text")
    source.write_text(text[:start] + text[end:], encoding="utf-8")

    out = build_at(project, V2, monkeypatch)
    # The concept goes with its six items. The other questions
    # no longer offer it as an option.
    assert out[:5] == [
        "dist/ml-techniques.ja.apkg: ファインチューニング・転移学習・蒸留 (18 notes, 33 cards)",
        "  since the last build: 4 updated, 14 unchanged, 8 removed",
        "  updated: question cats-and-dogs-with-little-data, question job-satisfaction-from-survey-text, "
        "question grade-prediction-across-platforms, question nlp-benchmark-with-ample-data",
        "  removed: concept distillation, item distillation-cons-1, item distillation-cons-2, "
        "item distillation-features-1, item distillation-features-2, item distillation-pros-1, "
        "item distillation-pros-2, question smaller-grammar-correction-model",
        "  removed notes stay in Anki tagged flashcards::removed: in the browser, search "
        "tag:flashcards::removed and delete or suspend their cards",
    ]
    assert import_both(collection, project) == {"ja": (0, 12, 14, 0), "en": (0, 12, 14, 0)}
    removed = collection.find_notes("tag:flashcards::removed")
    assert len(removed) == 16
    tombstones = sorted(collection.get_note(n).fields[0] for n in removed)
    assert tombstones[:4] == [
        "[removed] distillation",
        "[removed] distillation-cons-1",
        "[removed] distillation-cons-2",
        "[removed] distillation-features-1",
    ]
    assert "[削除済み] smaller-grammar-correction-model" in tombstones
    assert len(collection.find_notes("-tag:flashcards::removed")) == 36
    assert collection.note_count() == 52
    assert review_log(collection) == history
    assert card_state(collection) == before
    # Their cards keep their history but now have a blank front, which Anki's Empty Cards tool lists.
    blank = rendered_cards(collection, "tag:flashcards::removed")
    assert len(blank) == 32
    assert all("The front of this card is blank" in c.question_html for c in blank), blank[0].question_html
    report = collection.get_empty_cards()
    assert sorted(collection.get_note(n.note_id).fields[0] for n in report.notes) == tombstones
    tombstone = collection.get_note(collection.find_notes('"Name:[removed] distillation"')[0])
    assert tombstone["Example"] == (
        "This entry was removed from the source. In Anki's browser, search for tag:flashcards::removed "
        "and delete or suspend it."
    )

    # Built again, the tombstones stay as they are: nothing to update.
    out = build_at(project, V2 + 50, monkeypatch)
    assert out[1] == "  since the last build: 18 unchanged"
    assert import_both(collection, project) == {"ja": (0, 0, 26, 0), "en": (0, 0, 26, 0)}


def test_5b_a_tombstone_in_a_new_collection_arrives_suspended(
    project: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    edit_source(
        project, ("  - id: nlp-benchmark-with-ample-data", "  - id: nlp-benchmark-with-plenty-of-data")
    )
    out = build_at(project, V2, monkeypatch)
    assert out[1:4] == [
        "  since the last build: 1 new, 25 unchanged, 1 removed",
        "  new: question nlp-benchmark-with-plenty-of-data",
        "  removed: question nlp-benchmark-with-ample-data",
    ]
    assert out[5] == (
        "  if you renamed question 'nlp-benchmark-with-ample-data' to 'nlp-benchmark-with-plenty-of-data': "
        "Anki sees a removed note and a new one, and the review history stays with the removed note; "
        "give it back the id 'nlp-benchmark-with-ample-data' to keep the history"
    )
    summary = import_package(collection, package(project, "en"))
    # A collection that never had the note gets the tombstone alone, with no card to study.
    assert (summary.new, collection.note_count(), collection.card_count()) == (27, 27, 49)
    (tombstone,) = collection.find_notes("tag:flashcards::removed")
    assert collection.get_note(tombstone)["Question"] == "[removed] nlp-benchmark-with-ample-data"
    assert collection.get_note(tombstone).card_ids() == []


def test_a_build_that_fails_while_writing_leaves_every_package_and_the_lock_as_they_were(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    lock_file = project / "source" / "ml-techniques.lock.yaml"
    before = {path.name: path.read_bytes() for path in [*sorted((project / "dist").iterdir()), lock_file]}
    edit_source(project, (TL_DESCRIPTION["ja"][0], TL_DESCRIPTION["ja"][1]))

    # The Japanese package is written whole, then the disk fills up while the English one is written.
    write_package = export.write_package
    written: list[str] = []

    def disk_fills_up(prepared: export.Prepared, path: Path) -> None:
        written.append(path.name)
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        write_package(prepared, path)

    monkeypatch.setattr(build, "write_package", disk_fills_up)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V2))
    result = run_cli(["build"], project)

    # The message names the file the learner knows, not the temporary file.
    assert written[1].startswith(".ml-techniques.en.apkg.")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "dist/ml-techniques.en.apkg: No space left on device\n",
    )
    after = {path.name: path.read_bytes() for path in [*sorted((project / "dist").iterdir()), lock_file]}
    assert after == before


def test_a_folder_in_the_way_of_a_package_stops_the_build_before_anything_is_replaced(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_at(project, V1, monkeypatch)
    lock_file = project / "source" / "ml-techniques.lock.yaml"
    japanese = package(project, "ja").read_bytes()
    lock = lock_file.read_bytes()
    edit_source(project, (TL_DESCRIPTION["ja"][0], TL_DESCRIPTION["ja"][1]))
    package(project, "en").unlink()
    package(project, "en").mkdir()  # the English package cannot be replaced

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V2))
    result = run_cli(["build"], project)

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "dist/ml-techniques.en.apkg: a folder is in the way of this file\n"
    assert (package(project, "ja").read_bytes(), lock_file.read_bytes()) == (japanese, lock)
    assert sorted(p.name for p in (project / "dist").iterdir()) == [
        "ml-techniques.en.apkg",
        "ml-techniques.ja.apkg",
    ]


def package_ids(path: Path) -> set[int]:
    """Every note and card id in a package."""
    with zipfile.ZipFile(path) as archive:
        database = path.with_suffix(".ids.anki2")
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    ids = {row[0] for row in connection.execute("SELECT id FROM notes UNION SELECT id FROM cards")}
    connection.close()
    database.unlink()
    return ids


@pytest.mark.parametrize(
    ("first", "second"), [(V1, V2), (0, 0)], ids=["one language edited later", "at time 0"]
)
def test_the_two_packages_never_share_an_id(
    project: Path, monkeypatch: pytest.MonkeyPatch, first: int, second: int
) -> None:
    build_at(project, first, monkeypatch)
    edit_source(project, (TL_DESCRIPTION["ja"][0], TL_DESCRIPTION["ja"][1]))
    out = build_at(project, second, monkeypatch)
    assert out[1] == "  since the last build: 1 updated, 25 unchanged"
    japanese, english = (package_ids(package(project, lang)) for lang in ("ja", "en"))
    assert len(japanese) == len(english) == 26 + 49
    assert min(japanese) >= 0
    assert max(japanese) < min(english)
