"""`flashcards sync` into a learner's collection with Anki's own backend: exactly the changed notes
change, review history stays, removed entries are suspended or deleted, cards follow their topic, a
revert reaches the collection, edits made in Anki are listed and kept on request, and a collection Anki
holds open is left alone."""

from __future__ import annotations

import errno
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from test_safe_updates import TL_DESCRIPTION, V1, V2, card_state, edit_source, extend_concept_kind

from flashcards import sync_decks
from flashcards.anki_profiles import anki_base
from flashcards.cards import REMOVED_TAG
from flashcards.package_contents import read_package

from helpers import (
    REPO,
    VALID_SOURCE,
    answer_cards,
    import_package,
    png,
    rendered_cards,
    review_log,
    rows,
    run_cli,
    write_tree,
)

V3 = V2 + 100
JA, EN = "ファインチューニング・転移学習・蒸留", "Fine-tuning, Transfer Learning and Distillation"
FINE_TUNING = "  - id: fine-tuning\n"


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A learner's only Anki profile, with an empty collection, in Anki's data folder (ANKI_BASE)."""
    folder = tmp_path / "Anki2" / "User 1"
    folder.mkdir(parents=True)
    (folder / "backups").mkdir()
    Collection(str(folder / "collection.anki2")).close()
    monkeypatch.setenv("ANKI_BASE", str(tmp_path / "Anki2"))
    return folder


@contextmanager
def opened(profile: Path) -> Iterator[Collection]:
    col = Collection(str(profile / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def sync_at(
    project: Path, epoch: int, monkeypatch: pytest.MonkeyPatch, *args: str, code: int = 0
) -> list[str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = run_cli(["sync", *args], project)
    assert result.exit_code == code, result.stderr or result.stdout
    return (result.stdout if code == 0 else result.stderr).splitlines()


def set_topic(project: Path, ja: str, en: str) -> None:
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index(FINE_TUNING) + len(FINE_TUNING)
    if text[start:].startswith("    topic:"):
        end = text.index("    name:", start)
        text = text[:start] + text[end:]
    topic = f"    topic:\n      ja: {ja}\n      en: {en}\n"
    source.write_text(text[:start] + topic + text[start:], encoding="utf-8")


def remove_distillation(project: Path) -> None:
    """Delete the concept 'distillation' and the one question that recommends it."""
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    text = text[: text.index("  - id: distillation")] + text[text.index("questions:") :]
    start = text.index("  - id: smaller-grammar-correction-model")
    end = text.index("  - id: job-satisfaction-from-survey-text")
    source.write_text(text[:start] + text[end:], encoding="utf-8")


@dataclass(frozen=True)
class StoredNote:
    language: str
    note_type: str
    fields: dict[str, str]
    tags: tuple[str, ...]


def stored_notes(col: Collection) -> dict[str, StoredNote]:
    """Every note of the collection by guid: its language (from its note type's name), fields and tags."""
    notes = {}
    for guid, mid, flds, tags in rows(col, "SELECT guid, mid, flds, tags FROM notes"):
        note_type = col.models.get(mid)
        assert note_type is not None
        names = [f["name"] for f in note_type["flds"]]
        language = str(note_type["name"]).split(" · ")[2]
        notes[guid] = StoredNote(
            language,
            str(note_type["name"]),
            dict(zip(names, flds.split("\x1f"), strict=True)),
            tuple(tags.split()),
        )
    return notes


def built_notes(project: Path) -> dict[str, dict[str, str]]:
    """What the last build gives every note, by guid: its fields by name, read from the packages."""
    return {
        note.guid: note.field_dict()
        for lang in ("ja", "en")
        for note in read_package(project / "dist" / f"ml-techniques.{lang}.apkg").notes
    }


def block(out: list[str], deck: str, language: str) -> list[str]:
    """The lines sync printed for one deck and language."""
    start = next(i for i, line in enumerate(out) if line.startswith(f"  {deck} [{language}]: "))
    end = next((i for i in range(start + 1, len(out)) if not out[i].startswith("    ")), len(out))
    return out[start:end]


def build_says(project: Path, epoch: int, monkeypatch: pytest.MonkeyPatch, language: str, what: str) -> str:
    """What `flashcards build --dry-run` lists as ``what`` ('removed', 'updated') for a language."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = run_cli(["build", "--dry-run"], project)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"dist/ml-techniques.{language}.apkg"))
    return next(line for line in lines[start + 1 :] if line.startswith(f"  {what}: ")).split(": ", 1)[1]


def notes_per_language(project: Path) -> int:
    """How many notes the bundled deck has in each language, as the build counts them."""
    result = run_cli(["build", "--dry-run"], project)
    assert result.exit_code == 0, result.stderr
    match = re.search(r"\((\d+) notes, ", result.stdout)
    assert match is not None
    return int(match.group(1))


def counted(notes: dict[str, StoredNote], language: str) -> int:
    return sum(1 for note in notes.values() if note.language == language and REMOVED_TAG not in note.tags)


def backups(profile: Path) -> list[str]:
    return sorted(p.name for p in (profile / "backups").iterdir())


def assert_siblings_buried(col: Collection, decks: list[str]) -> None:
    """Every deck buries siblings, with a preset of its own; Anki's default preset is left as it was."""
    for name in decks:
        config = col.decks.config_dict_for_deck_id(col.decks.id_for_name(name))  # type: ignore[arg-type]
        assert (config["new"]["bury"], config["rev"]["bury"], config["buryInterdayLearning"]) == (
            True,
            True,
            True,
        )
    default = col.decks.get_config(1)  # type: ignore[arg-type]
    assert default is not None
    assert (default["new"]["bury"], default["rev"]["bury"]) == (False, False)


def assert_report(
    out: list[str],
    col: Collection,
    before: dict[str, StoredNote],
    after: dict[str, StoredNote],
    differs: set[str],
    removed: set[int],
) -> None:
    """What sync said after the text, removal, topic and note type changes, per deck and language."""
    for deck, language, topic, old_topic in (
        (JA, "ja", "応用", "基礎"),
        (EN, "en", "Adaptation", "Basics"),
    ):
        lines = block(out, deck, language)
        updated = sum(
            1 for g in differs if before[g].language == language and REMOVED_TAG not in after[g].tags
        )
        gone = sum(1 for g in before if before[g].language == language and REMOVED_TAG in after[g].tags)
        suspended = len([c for c in removed if col.decks.name(col.get_card(c).did).startswith(deck)])  # type: ignore[arg-type]
        unchanged = counted(before, language) - updated - gone
        assert lines[0] == f"  {deck} [{language}]: 0 added, {updated} updated, {unchanged} unchanged"
        assert lines[1].startswith("    updated: ")
        assert "concept transfer-learning" in lines[1]
        assert lines[2].startswith("    removed from the source: concept distillation")
        assert lines[2].endswith(
            f": {suspended} cards suspended, tagged flashcards::removed "
            "(--delete-removed deletes them with their history)"
        )
        assert f"    concept fine-tuning: cards moved to '{deck}::{topic}'" in lines
        moves = [line for line in lines if "cards moved to" in line]
        assert all(line.endswith(f"cards moved to '{deck}::{topic}'") for line in moves)
        assert f"    empty subdeck '{deck}::{old_topic}' removed" in lines
        assert (
            f"    note type 'ml-techniques · concept · {language} · v2': merged (fields or cards added)"
            in lines
        )
        assert lines[-1] == f"    siblings are now buried in '{deck}::{topic}'"


def assert_cards_kept(
    col: Collection, cards_before: dict[int, list[object]], in_old_topic: set[int], removed: set[int]
) -> None:
    """No card was added or lost, and each keeps its schedule; the old topic's cards are in the new
    subdeck, and the removed entries' cards are suspended."""
    new_topic = {col.decks.id_for_name(f"{JA}::応用"), col.decks.id_for_name(f"{EN}::Adaptation")}
    cards_after = {int(row[0]): row for row in card_state(col)}  # type: ignore[call-overload]
    assert cards_after.keys() == cards_before.keys()
    for card_id, row in cards_after.items():
        was = cards_before[card_id]
        if card_id in in_old_topic:
            assert row[2] in new_topic
        else:
            assert row[2] == was[2]
        if card_id in removed:
            assert row[5] == -1
        else:
            assert row[3:] == was[3:]


def test_a_second_sync_changes_exactly_the_edited_notes_and_keeps_every_review(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_topic(project, "基礎", "Basics")
    first = sync_at(project, V1, monkeypatch)
    with opened(profile) as col:
        before = stored_notes(col)
        assert first[:2] == [
            f"{profile / 'collection.anki2'}:",
            f"  {JA} [ja]: {counted(before, 'ja')} added, 0 updated, 0 unchanged",
        ]
        answer_cards(col, sorted(col.find_cards("card:NameToDescription or card:QuestionToAnswer")))
        (tl_en,) = col.find_notes('"note:ml-techniques · concept · en" "Name:Transfer learning"')
        note = col.get_note(tl_en)
        note.tags = [*note.tags, "my-own-tag"]
        col.update_note(note)
        history = review_log(col)
        assert len(history) == 16
        cards_before = {int(row[0]): row for row in card_state(col)}  # type: ignore[call-overload]
        in_old_topic = {int(c) for c in col.find_cards(f'"deck:{EN}::Basics" or "deck:{JA}::基礎"')}
        assert in_old_topic
    assert len(backups(profile)) == 1

    edit_source(project, *TL_DESCRIPTION.values())
    remove_distillation(project)
    set_topic(project, "応用", "Adaptation")
    extend_concept_kind(monkeypatch, project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V2))
    result = run_cli(["sync"], project)
    assert result.exit_code == 0, result.stderr
    # No warning that Anki keeps the cards of a changed topic where they are: sync moves them.
    assert "topic" not in result.stderr
    out = result.stdout.splitlines()
    built = built_notes(project)

    with opened(profile) as col:
        after = stored_notes(col)
        # Every note holds the build's text, and exactly the notes whose text the build changed changed.
        for guid, fields in built.items():
            assert {name: after[guid].fields.get(name) for name in fields} == fields
        differs = {g for g in before if any(before[g].fields.get(n, "") != v for n, v in built[g].items())}
        changed = {g for g in before if any(after[g].fields.get(n) != v for n, v in before[g].fields.items())}
        assert changed == differs
        assert {
            col.get_note(n).guid
            for n in col.find_notes(
                '"note:ml-techniques · concept*" ("Name:Transfer learning" or "Name:転移学習")'
            )
        } <= changed
        assert after[col.get_note(tl_en).guid].fields["Description"] == TL_DESCRIPTION["en"][1]
        # Every review is still there; no card was added or lost; the removed entries' cards are suspended.
        assert review_log(col) == history
        removed = {int(c) for c in col.find_cards("tag:flashcards::removed")}
        assert removed
        assert {col.get_card(c).queue for c in removed} == {-1}  # type: ignore[arg-type]
        assert col.find_cards("-tag:flashcards::removed is:suspended") == []
        # The changed topic's cards are in the new subdeck; every card keeps its schedule.
        assert_cards_kept(col, cards_before, in_old_topic, removed)
        assert sorted(d.name for d in col.decks.all_names_and_ids()) == sorted(
            ["Default", EN, f"{EN}::Adaptation", JA, f"{JA}::応用"]
        )
        # The concept note types were merged: no copy named '…+', every concept note on the new type.
        assert not [m.name for m in col.models.all_names_and_ids() if m.name.endswith("+")]
        assert {n.note_type for n in after.values() if " · concept · " in n.note_type} == {
            "ml-techniques · concept · ja · v2",
            "ml-techniques · concept · en · v2",
        }
        # The tag added in Anki stays, though the note was updated.
        assert "my-own-tag" in col.get_note(tl_en).tags
        assert_siblings_buried(col, [JA, f"{JA}::応用", EN, f"{EN}::Adaptation"])

        assert_report(out, col, before, after, differs, removed)
    assert out[-2:] == [
        f"backup: {profile / 'backups' / backups(profile)[-1]} "
        "(to go back, in Anki: File > Switch Profile > Open Backup...)",
        "packages: dist/ml-techniques.ja.apkg, dist/ml-techniques.en.apkg",
    ]
    assert len(backups(profile)) == 2

    # Synced again, nothing changes.
    again = sync_at(project, V3, monkeypatch)
    assert again[1:3] == [
        f"  {JA} [ja]: 0 added, 0 updated, {counted(after, 'ja')} unchanged",
        f"  {EN} [en]: 0 added, 0 updated, {counted(after, 'en')} unchanged",
    ]


def test_removed_entries_are_deleted_with_delete_removed(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_at(project, V1, monkeypatch)
    with opened(profile) as col:
        before = stored_notes(col)
        cards_before = card_state(col)
    remove_distillation(project)
    removed = build_says(project, V2, monkeypatch, "ja", "removed")
    assert removed.startswith("concept distillation")
    out = sync_at(project, V2, monkeypatch, "--delete-removed")
    assert f"    removed from the source, deleted: {removed}" in block(out, JA, "ja")
    with opened(profile) as col:
        after = stored_notes(col)
        assert col.find_notes("tag:flashcards::removed") == []
        assert col.find_notes('"Name:Knowledge distillation" or "Name:蒸留"') == []
        # Only the removed entries' notes and cards are gone.
        assert after.keys() < before.keys()
        kept = {row[1] for row in card_state(col)}
        assert card_state(col) == [row for row in cards_before if row[1] in kept]
        assert len(after) == col.note_count()


def test_a_removed_entry_a_collection_never_had_leaves_nothing_behind(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V1))
    assert run_cli(["build"], project).exit_code == 0
    remove_distillation(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V2))
    assert run_cli(["build"], project).exit_code == 0
    # This collection never saw the first build: the tombstones arrive without cards and are not kept.
    out = sync_at(project, V3, monkeypatch)
    with opened(profile) as col:
        notes = stored_notes(col)
        assert out[1] == f"  {JA} [ja]: {counted(notes, 'ja')} added, 0 updated, 0 unchanged"
        assert not [n for n in notes.values() if REMOVED_TAG in n.tags]
        assert rows(col, "SELECT id FROM notes WHERE id NOT IN (SELECT nid FROM cards)") == []


def test_a_revert_of_the_source_and_its_lock_reaches_the_collection(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_at(project, V1, monkeypatch)
    with opened(profile) as col:
        notes = counted(stored_notes(col), "ja")
    old = {p.name: p.read_bytes() for p in (project / "source").iterdir()}
    edit_source(project, *TL_DESCRIPTION.values())
    sync_at(project, V2, monkeypatch)
    # The learner goes back to the first version: source and lock file as they were (git checkout).
    for name, data in old.items():
        (project / "source" / name).write_bytes(data)

    # A build gives the old text its old modification time, which an import skips; sync applies it.
    out = sync_at(project, V3, monkeypatch, "--dry-run")
    assert out[:3] == [
        f"{profile / 'collection.anki2'} (dry run: nothing changed; this is what sync would do):",
        f"  {JA} [ja]: 0 added, 1 updated, {notes - 1} unchanged",
        "    updated: concept transfer-learning",
    ]
    sync_at(project, V3, monkeypatch)
    with opened(profile) as col:
        for lang, (old_text, _) in TL_DESCRIPTION.items():
            (card,) = rendered_cards(
                col,
                f'"note:ml-techniques · concept · {lang}" card:NameToDescription "Description:{old_text}"',
            )
            assert card.answer.endswith(old_text)
        assert counted(stored_notes(col), "ja") == notes


def test_an_edit_made_in_anki_is_listed_by_dry_run_and_kept_with_keep_anki_edits(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = notes_per_language(project)
    sync_at(project, V1, monkeypatch)
    mine = "My own example: DistilBERT, distilled from BERT-base, which is <b>40%</b> smaller."
    with opened(profile) as col:
        (distillation,) = col.find_notes('"note:ml-techniques · concept · en" "Name:Knowledge distillation"')
        note = col.get_note(distillation)
        note["Example"] = mine
        col.update_note(note)
        edited_mod = col.get_note(distillation).mod
    collection_bytes = (profile / "collection.anki2").read_bytes()
    lock = (project / "source" / "ml-techniques.lock.yaml").read_bytes()
    edit_source(project, TL_DESCRIPTION["en"])

    out = sync_at(project, V2, monkeypatch, "--dry-run")
    # As the README shows it.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("edits made in Anki first:") :]
    block = example[example.index("```\n") + 4 : example.index("  ```\n", example.index("```\n") + 4)]
    assert out[:2] == textwrap.dedent(block).splitlines()
    assert out[:4] == [
        "edits made in Anki that sync replaces with the source's text (keep them with --keep-anki-edits):",
        f'  {EN} [en] concept distillation: Example: "My own example: DistilBERT, distilled from BERT-base, which…"',
        f"{profile / 'collection.anki2'} (dry run: nothing changed; this is what sync would do):",
        f"  {JA} [ja]: 0 added, 0 updated, {n} unchanged",
    ]
    assert out[4:6] == [
        f"  {EN} [en]: 0 added, 2 updated, {n - 2} unchanged",
        "    updated: concept transfer-learning, concept distillation",
    ]
    # The dry run changed nothing: not the collection, not the lock file, no backup.
    assert (profile / "collection.anki2").read_bytes() == collection_bytes
    assert (project / "source" / "ml-techniques.lock.yaml").read_bytes() == lock
    assert len(backups(profile)) == 1

    out = sync_at(project, V2, monkeypatch, "--keep-anki-edits")
    assert out[:2] == [
        "edits made in Anki, kept (--keep-anki-edits):",
        f'  {EN} [en] concept distillation: Example: "My own example: DistilBERT, distilled from BERT-base, which…"',
    ]
    with opened(profile) as col:
        kept = col.get_note(distillation)
        assert (kept["Example"], kept.mod) == (mine, edited_mod)
        (tl,) = col.find_notes('"note:ml-techniques · concept · en" "Name:Transfer learning"')
        assert col.get_note(tl)["Description"] == TL_DESCRIPTION["en"][1]

    # Without the flag, the next sync says so again and puts the source's text back.
    out = sync_at(project, V3, monkeypatch)
    assert out[0].startswith("edits made in Anki that sync replaces")
    with opened(profile) as col:
        assert col.get_note(distillation)["Example"] == (
            "Distill the knowledge of BERT-large into the small BERT-tiny, which can run on mobile devices."
        )


def test_a_collection_held_open_by_another_process_is_refused_and_left_untouched(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_at(project, V1, monkeypatch)
    lock = (project / "source" / "ml-techniques.lock.yaml").read_bytes()
    packages = {p.name: p.read_bytes() for p in (project / "dist").iterdir()}
    holder = textwrap.dedent(
        f"""
        import sys
        from anki.collection import Collection
        col = Collection({str(profile / "collection.anki2")!r})
        print("open", flush=True)
        sys.stdin.readline()
        col.close()
        """
    )
    anki = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert anki.stdout is not None
        assert anki.stdout.readline() == "open\n"
        before = (profile / "collection.anki2").read_bytes()
        edit_source(project, *TL_DESCRIPTION.values())
        for args in ([], ["--dry-run"]):
            err = sync_at(project, V2, monkeypatch, *args, code=1)
            assert err == [
                f"{profile / 'collection.anki2'}: Anki has this collection open: close Anki first "
                "(or switch it to another profile), then run flashcards sync again"
            ]
        assert (profile / "collection.anki2").read_bytes() == before
        assert len(backups(profile)) == 1
        assert (project / "source" / "ml-techniques.lock.yaml").read_bytes() == lock
        assert {p.name: p.read_bytes() for p in (project / "dist").iterdir()} == packages
    finally:
        anki.communicate("\n", timeout=30)
    with opened(profile) as col:
        assert not col.find_notes(f'"Description:{TL_DESCRIPTION["en"][1]}"')


def test_a_note_type_change_asks_before_a_full_upload_to_ankiweb(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_at(project, V1, monkeypatch)
    with opened(profile) as col:
        # As after a sync with AnkiWeb: the last sync is later than the last schema change.
        col.db.execute("UPDATE col SET scm = scm - 100000, ls = scm - 50000")  # type: ignore[union-attr]
    extend_concept_kind(monkeypatch, project)
    err = sync_at(project, V2, monkeypatch, code=1)
    assert err == [
        f"{profile / 'collection.anki2'}: this sync adds fields or cards to a note type, which changes the "
        "collection's schema: the next sync with AnkiWeb must upload the whole collection, and reviews made on "
        "other devices since their last sync are lost. Sync every device with AnkiWeb first, then run "
        "flashcards sync again with --allow-full-sync"
    ]
    assert len(backups(profile)) == 1
    out = sync_at(project, V2, monkeypatch, "--dry-run")
    assert out[-1] == (
        "AnkiWeb: a note type gained fields or cards, so the next sync uploads the whole collection (one way): "
        "sync your other devices first, then run flashcards sync --allow-full-sync"
    )
    out = sync_at(project, V2, monkeypatch, "--allow-full-sync")
    assert out[-2] == (
        "AnkiWeb: a note type gained fields or cards, so the next sync uploads the whole collection (one way): "
        "sync your other devices first"
    )
    with opened(profile) as col:
        assert col.schema_changed()
        assert len(col.find_notes('"note:ml-techniques · concept · en · v2"')) == 3


def test_the_collection_is_found_by_profile_and_ambiguity_is_an_error(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = profile.parent / "Work"
    other.mkdir()
    Collection(str(other / "collection.anki2")).close()
    (profile.parent / "addons21").mkdir()
    base = profile.parent
    assert sync_at(project, V1, monkeypatch, code=1) == [
        f"{base}: Anki has several profiles ('User 1', 'Work'); choose one with --profile NAME"
    ]
    assert sync_at(project, V1, monkeypatch, "--profile", "Home", code=1) == [
        f"{base}: Anki has no profile named 'Home'; the profiles are 'User 1', 'Work'"
    ]
    out = sync_at(project, V1, monkeypatch, "--profile", "Work")
    assert out[0] == f"{other / 'collection.anki2'}:"
    out = sync_at(project, V1, monkeypatch, "--collection", str(profile))
    assert out[0] == f"{profile / 'collection.anki2'}:"
    assert sync_at(project, V1, monkeypatch, "--collection", str(base / "Nobody"), code=1) == [
        f"{base / 'Nobody'}: no Anki collection here (give the path of collection.anki2)"
    ]
    result = run_cli(["sync", "--collection", str(profile), "--profile", "Work"], project)
    assert result.exit_code == 2
    assert "give --collection or --profile, not both" in result.stderr


def test_without_ankis_backend_sync_says_how_to_install_it(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "anki.collection", None)
    assert sync_at(project, V1, monkeypatch, code=1) == [
        "flashcards sync needs Anki's own backend, the 'anki' package: install it with  "
        "pip install 'flashcards[anki]'"
    ]
    assert not (project / "dist").exists()


def test_a_failure_halfway_leaves_the_collection_the_packages_and_the_lock_as_they_were(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_at(project, V1, monkeypatch)
    lock = (project / "source" / "ml-techniques.lock.yaml").read_bytes()
    packages = {p.name: p.read_bytes() for p in (project / "dist").iterdir()}
    with opened(profile) as col:
        before = (stored_notes(col), card_state(col))
    edit_source(project, *TL_DESCRIPTION.values())
    remove_distillation(project)

    def disk_fails(*args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    # The notes are updated and the removed entries suspended; then, before the decks' options, a failure.
    monkeypatch.setattr(sync_decks, "bury_siblings", disk_fails)
    assert sync_at(project, V2, monkeypatch, code=1) == ["flashcards: Input/output error"]

    with opened(profile) as col:
        assert (stored_notes(col), card_state(col)) == before
    assert (project / "source" / "ml-techniques.lock.yaml").read_bytes() == lock
    assert {p.name: p.read_bytes() for p in (project / "dist").iterdir()} == packages
    # The backup was taken before anything changed.
    assert len(backups(profile)) == 2


def test_cards_the_learner_moved_stay_and_a_filtered_deck_keeps_its_card(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_topic(project, "基礎", "Basics")
    sync_at(project, V1, monkeypatch)
    with opened(profile) as col:
        first, second, *rest = sorted(col.find_cards('"Name:Fine-tuning"'))
        own = col.decks.id("My own deck")
        assert own is not None
        col.set_deck([first], own)
        filtered = col.decks.new_filtered("Today")
        deck = col.decks.get(filtered)
        assert deck is not None
        deck["terms"] = [[f"cid:{second}", 10, 0]]
        col.decks.save(deck)
        col.sched.rebuild_filtered_deck(filtered)
        assert col.get_card(second).did == filtered

    set_topic(project, "応用", "Adaptation")
    out = sync_at(project, V2, monkeypatch)
    assert f"    concept fine-tuning: cards moved to '{EN}::Adaptation'" in out
    with opened(profile) as col:
        assert col.decks.name(col.get_card(first).did) == "My own deck"
        in_filter = col.get_card(second)
        assert (col.decks.name(in_filter.did), col.decks.name(in_filter.odid)) == (
            "Today",
            f"{EN}::Adaptation",
        )
        assert {col.decks.name(col.get_card(c).did) for c in rest} == {f"{EN}::Adaptation"}
        # Emptied, the filtered deck gives the card back to its new home.
        col.sched.empty_filtered_deck(filtered)
        assert col.decks.name(col.get_card(second).did) == f"{EN}::Adaptation"


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {}, Path.home() / ".local" / "share" / "Anki2"),
        ("linux", {"XDG_DATA_HOME": "/data"}, Path("/data/Anki2")),
        ("darwin", {}, Path.home() / "Library" / "Application Support" / "Anki2"),
        ("win32", {"APPDATA": "C:/Users/me/AppData/Roaming"}, Path("C:/Users/me/AppData/Roaming/Anki2")),
        ("win32", {"ANKI_BASE": "D:/Anki"}, Path("D:/Anki")),
        ("darwin", {"ANKI_BASE": "/Volumes/usb/Anki2"}, Path("/Volumes/usb/Anki2")),
    ],
)
def test_ankis_data_folder_on_each_platform(platform: str, environ: dict[str, str], expected: Path) -> None:
    assert anki_base(environ, platform) == expected


def test_a_first_sync_into_a_collection_imported_by_hand_tells_edits_from_older_builds(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = notes_per_language(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V1))
    assert run_cli(["build"], project).exit_code == 0
    with opened(profile) as col:
        for lang in ("ja", "en"):
            import_package(col, project / "dist" / f"ml-techniques.{lang}.apkg")
        (distillation,) = col.find_notes('"note:ml-techniques · concept · en" "Name:Knowledge distillation"')
        note = col.get_note(distillation)
        note["Example"] = "Mine."
        col.update_note(note)
    shutil.rmtree(project / "dist")
    # The source changes after that import; sync has never seen this collection.
    edit_source(project, *TL_DESCRIPTION.values())
    out = sync_at(project, V2, monkeypatch, "--dry-run")
    assert out == [
        "edits made in Anki that sync replaces with the source's text (keep them with --keep-anki-edits):",
        f'  {EN} [en] concept distillation: Example: "Mine."',
        f"{profile / 'collection.anki2'} (dry run: nothing changed; this is what sync would do):",
        f"  {JA} [ja]: 0 added, 1 updated, {n - 1} unchanged",
        "    updated: concept transfer-learning",
        f"    siblings are now buried in '{JA}' (a new options preset '{JA} (flashcards)', copied from the one they shared "
        "with other decks)",
        f"  {EN} [en]: 0 added, 2 updated, {n - 2} unchanged",
        "    updated: concept transfer-learning, concept distillation",
        f"    siblings are now buried in '{EN}' (a new options preset '{EN} (flashcards)', copied from the one they shared "
        "with other decks)",
    ]
    # A dry run writes nothing: no packages, no lock file change.
    assert not (project / "dist").exists()


def test_no_profile_at_all_says_where_it_looked(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANKI_BASE", str(tmp_path / "nowhere"))
    assert sync_at(project, V1, monkeypatch, code=1) == [
        f"{tmp_path / 'nowhere'}: no Anki profile found; open Anki once to make one, set ANKI_BASE to Anki's "
        "data folder, or give --collection PATH"
    ]


def test_a_file_that_is_not_a_collection_is_refused_and_left_as_it_was(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "notes.anki2"
    notes.write_text("My notes, not an Anki collection.\n" * 100, encoding="utf-8")
    assert sync_at(project, V1, monkeypatch, "--collection", str(notes), code=1) == [
        f"{notes}: Anki cannot open this collection: file is not a database"
    ]
    assert notes.read_text(encoding="utf-8") == "My notes, not an Anki collection.\n" * 100
    assert not (tmp_path / "backups").exists()
    assert not (project / "dist").exists()


def test_pictures_reach_the_profiles_media_folder(
    tmp_path: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "pictures"
    source = VALID_SOURCE.replace(
        "en: Moving a large model's knowledge into a small one.",
        "en: Moving a large model's knowledge into a small one. ![teacher and student](media/diagram.png)",
    )
    write_tree(project, {"source/tiny.yaml": source})
    (project / "source" / "media").mkdir()
    (project / "source" / "media" / "diagram.png").write_bytes(png((200, 30, 30)))
    out = sync_at(project, V1, monkeypatch)
    assert out[1] == f"  小さなデッキ [ja]: {notes_per_language(project)} added, 0 updated, 0 unchanged"
    (picture,) = (profile / "collection.media").glob("fc-*.png")
    assert picture.read_bytes() == png((200, 30, 30))
    with opened(profile) as col:
        (card,) = rendered_cards(col, '"Name:Distillation" card:NameToDescription')
        assert f'<img src="{picture.name}" alt="teacher and student"' in card.answer_html


def test_a_tag_anki_spells_otherwise_does_not_update_the_note_again(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with opened(profile) as col:
        # The learner already has the tag, with a capital letter, on a note of their own.
        own = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
        own["Front"], own["Back"] = "Pruning", "Removing weights"
        own.tags = ["Compression"]
        col.add_note(own, col.decks.id("Default"))  # type: ignore[arg-type]
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("  - id: distillation\n", "  - id: distillation\n    tags: [compression]\n")
    )
    n = notes_per_language(project)
    sync_at(project, V1, monkeypatch)
    with opened(profile) as col:
        (distillation,) = col.find_notes('"note:ml-techniques · concept · en" "Name:Knowledge distillation"')
        assert "compression" in [t.casefold() for t in col.get_note(distillation).tags]
        mods = rows(col, "SELECT id, mod FROM notes ORDER BY id")
    out = sync_at(project, V2, monkeypatch)
    assert out[1:3] == [
        f"  {JA} [ja]: 0 added, 0 updated, {n} unchanged",
        f"  {EN} [en]: 0 added, 0 updated, {n} unchanged",
    ]
    with opened(profile) as col:
        assert rows(col, "SELECT id, mod FROM notes ORDER BY id") == mods


def test_the_readme_example_is_what_sync_prints(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_at(project, V1, monkeypatch)
    edit_source(project, *TL_DESCRIPTION.values())
    out = sync_at(project, V2, monkeypatch)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Sync straight into Anki") :]
    command, example = re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.DOTALL)[:2]
    assert command == "flashcards sync\n"
    shown = example.replace("/home/you/.local/share/Anki2", str(profile.parent))
    backup = re.sub(r"backup-[0-9.-]+\.colpkg", backups(profile)[-1], shown)
    assert out == backup.splitlines()


def test_a_mistake_in_the_source_is_reported_and_the_collection_is_left_alone(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_at(project, V1, monkeypatch)
    collection = (profile / "collection.anki2").read_bytes()
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("answer: fine-tuning", "answer: fine-tunning", 1), encoding="utf-8")
    err = sync_at(project, V2, monkeypatch, code=1)
    assert len(err) == 1
    assert err[0].startswith("source/ml-techniques.yaml:")
    assert err[0].endswith("no concept has the id 'fine-tunning'; did you mean 'fine-tuning'?")
    assert (profile / "collection.anki2").read_bytes() == collection
    assert len(backups(profile)) == 1


def test_two_decks_sync_side_by_side(project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(project, {"source/tiny.yaml": VALID_SOURCE})
    out = sync_at(project, V1, monkeypatch)
    with opened(profile) as col:
        notes = stored_notes(col)
    tiny = {n.note_type.split(" · ")[0] for n in notes.values()}
    assert tiny == {"ml-techniques", "tiny"}
    assert [line.split(": ")[0] for line in out if line.startswith("  ") and not line.startswith("    ")] == [
        f"  {JA} [ja]",
        f"  {EN} [en]",
        "  小さなデッキ [ja]",
        "  Tiny deck [en]",
    ]
    edit_source(project, *TL_DESCRIPTION.values())
    again = sync_at(project, V2, monkeypatch)
    assert block(again, "Tiny deck", "en")[0].startswith("  Tiny deck [en]: 0 added, 0 updated, ")
    assert block(again, EN, "en")[1] == "    updated: concept transfer-learning"


def test_build_warns_once_per_language_about_a_changed_topic_of_a_concept_with_items(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_topic(project, "基礎", "Basics")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V1))
    assert run_cli(["build"], project).exit_code == 0
    set_topic(project, "応用", "Adaptation")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V2))
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    assert [line.split(": warning: ")[0] for line in result.stderr.splitlines() if "topic" in line] == [
        "source/ml-techniques.yaml:25: concepts[0].topic.ja",
        "source/ml-techniques.yaml:25: concepts[0].topic.en",
    ]


def test_the_decks_own_preset_from_an_import_by_hand_is_used_again(
    project: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V1))
    assert run_cli(["build"], project).exit_code == 0
    with opened(profile) as col:
        for lang in ("ja", "en"):
            # File > Import with "Import deck presets" ticked: the decks get the packages' preset.
            options = ImportAnkiPackageOptions(with_deck_configs=True)
            package = str(project / "dist" / f"ml-techniques.{lang}.apkg")
            col.import_anki_package(ImportAnkiPackageRequest(package_path=package, options=options))
        # Later the learner puts the English deck back on Anki's Default preset.
        deck = col.decks.by_name(EN)
        assert deck is not None
        deck["conf"] = 1
        col.decks.save(deck)
        presets = sorted(c["name"] for c in col.decks.all_config())
    assert presets == ["Default", f"{EN} (flashcards)", f"{JA} (flashcards)"]

    out = sync_at(project, V2, monkeypatch)
    assert [line for line in out if "siblings" in line] == [f"    siblings are now buried in '{EN}'"]
    with opened(profile) as col:
        assert sorted(c["name"] for c in col.decks.all_config()) == presets
        assert col.decks.config_dict_for_deck_id(col.decks.id_for_name(EN))["name"] == f"{EN} (flashcards)"  # type: ignore[arg-type]
        assert_siblings_buried(col, [JA, EN])


def test_sync_says_a_warning_of_many_entries_once(
    tmp_path: Path, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["Alpha", "Beta", "Gamma", "Delta"]
    extra = "".join(
        f"  - id: extra-{n}\n    name: {{ja: 概念{n}, en: {names[n - 1]}}}\n"
        f"    description: {{ja: {n}番目の説明。, en: The description of idea {n}.}}\n"
        for n in range(1, 5)
    )
    write_tree(tmp_path, {"source/deck.yaml": VALID_SOURCE.replace("concepts:\n", "concepts:\n" + extra)})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(V1))
    result = run_cli(["sync"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "source/deck.yaml: warning: 4 concepts that no question recommends, on lines 8, 11, 14 and 1 more "
        "('flashcards check' lists them)"
    ]
    with opened(profile) as col:
        assert len(col.find_notes("tag:flashcards::concept")) == 2 * 5
