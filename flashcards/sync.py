"""``flashcards sync``: the build's packages applied to the learner's collection with Anki's own backend.

The packages go through Anki's package importer, with "Merge note types" exactly when a note of the
collection has another note type than the package gives it. Then, in the same transaction, what an import
cannot do: every note gets the build's content whatever its modification time (a revert, an edit made in
Anki, which is listed first and kept on request), tags the learner added in Anki stay, a removed entry's
cards are suspended (or its note deleted), cards whose topic changed move to their subdeck, and the decks
bury siblings. The collection remembers what sync last put in each note, which tells an edit made in
Anki from a change of the source.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashcards import sync_decks
from flashcards.anki_profiles import CollectionLocation
from flashcards.build import BuildResult, PackagePlan, build
from flashcards.cards import REMOVED_TAG
from flashcards.collection_state import (
    CollectionNote,
    anki_edit,
    cards_by_note,
    content_hash,
    learners_tags,
    notes_by_guid,
    notes_by_id,
)
from flashcards.note_labels import NoteLabels
from flashcards.package_contents import PackageContents, PackageNote, read_package
from flashcards.sync_result import PackageSync, SyncOptions, SyncRefused, SyncResult

if TYPE_CHECKING:
    from collections.abc import Iterator

    from anki.collection import Collection

#: The collection config key (per deck and language) where sync remembers what it put in each note.
RECORD_KEY = "flashcards:{deck}:{language}"
_SUSPENDED = -1
_BACKUP_NAME = "backup-%Y-%m-%d-%H.%M.%S.colpkg"


def anki_missing() -> str | None:
    """A message when Anki's backend is not installed, else None."""
    try:
        import anki.collection  # noqa: F401
    except ImportError:
        return (
            "flashcards sync needs Anki's own backend, the 'anki' package: "
            "install it with  pip install 'flashcards[anki]'"
        )
    return None


def sync(
    sources: Sequence[Path],
    out_dir: Path,
    project_dir: Path,
    location: CollectionLocation,
    options: SyncOptions,
) -> tuple[BuildResult, SyncResult]:
    """Build as ``build`` does, apply the packages to the collection, and only then put the build's files
    in place (a dry run writes nothing)."""
    missing = anki_missing()
    if missing is not None:
        raise SyncRefused(missing)
    with _open(location.collection):
        pass  # refused before anything is built when Anki has it open
    results: list[SyncResult] = []

    def apply(result: BuildResult, files: Mapping[Path, Path]) -> bool:
        contents = [(package, read_package(files[package.path])) for package in result.packages]
        results.append(_sync_collection(location, contents, files, options))
        return not options.dry_run

    if not options.dry_run:
        return build(sources, out_dir, project_dir, before_commit=apply), results[0]
    # A dry run writes its packages to a temporary folder, and puts nothing in place.
    with tempfile.TemporaryDirectory(prefix="flashcards-") as packages:
        return build(sources, Path(packages), project_dir, before_commit=apply), results[0]


def _sync_collection(
    location: CollectionLocation,
    contents: Sequence[tuple[PackagePlan, PackageContents]],
    files: Mapping[Path, Path],
    options: SyncOptions,
) -> SyncResult:
    with _open(location.collection) as col:
        if not options.dry_run:
            return _apply(col, location, contents, files, options)
    # A dry run does it all on a copy of the collection, which it then throws away.
    with tempfile.TemporaryDirectory(prefix="flashcards-") as work:
        copy = Path(work) / location.collection.name
        shutil.copyfile(location.collection, copy)
        with _open(copy) as col:
            result = _apply(col, location, contents, files, options)
    return result


@contextmanager
def _open(path: Path) -> Iterator[Collection]:
    from anki.collection import Collection
    from anki.errors import DBError

    try:
        col = Collection(str(path))
    except DBError as error:
        if "already open" in str(error):
            raise SyncRefused(
                f"{path}: Anki has this collection open: close Anki first (or switch it to another "
                "profile), then run flashcards sync again"
            ) from None
        detail = re.search(r'Some\(\\?"([^"\\]+)', str(error))
        reason = detail.group(1) if detail else str(error)
        raise SyncRefused(f"{path}: Anki cannot open this collection: {reason}") from None
    try:
        yield col
    finally:
        col.close()


def _apply(
    col: Collection,
    location: CollectionLocation,
    contents: Sequence[tuple[PackagePlan, PackageContents]],
    files: Mapping[Path, Path],
    options: SyncOptions,
) -> SyncResult:
    known = notes_by_guid(col, [n.guid for _, c in contents for n in c.notes])
    before = {p.path: {n.guid: known[n.guid] for n in c.notes if n.guid in known} for p, c in contents}
    merges = {
        p.path: any(
            n.guid in before[p.path] and before[p.path][n.guid].note_type_id != n.note_type_id
            for n in c.notes
        )
        for p, c in contents
    }
    assert col.db is not None
    ever_synced = bool(col.db.scalar("select ls from col"))
    in_step_with_ankiweb = ever_synced and not col.schema_changed()
    full_sync = any(merges.values()) and ever_synced
    needs_consent = any(merges.values()) and in_step_with_ankiweb and not options.allow_full_sync
    if needs_consent and not options.dry_run:
        raise SyncRefused(
            f"{location.collection}: this sync adds fields or cards to a note type, which changes the "
            "collection's schema: the next sync with AnkiWeb must upload the whole collection, and reviews "
            "made on other devices since their last sync are lost. Sync every device with AnkiWeb first, "
            "then run flashcards sync again with --allow-full-sync"
        )
    backup = None if options.dry_run else _backup(col, location.backups)
    reports: list[PackageSync] = []

    def run() -> None:
        for package, package_contents in contents:
            reports.append(
                _apply_package(
                    col,
                    package,
                    package_contents,
                    files[package.path],
                    before[package.path],
                    merge=merges[package.path],
                    options=options,
                )
            )

    col.db.transact(run)
    return SyncResult(
        location.collection,
        tuple(reports),
        options.dry_run,
        options.keep_anki_edits,
        backup,
        full_sync,
        needs_consent,
    )


def _backup(col: Collection, folder: Path) -> Path | None:
    """Anki's own backup of the collection, in the folder Anki's restore dialog looks in."""
    folder.mkdir(parents=True, exist_ok=True)
    # Anki names a backup after the second it is taken: one from this very second would be replaced.
    now = time.time()
    if (folder / time.strftime(_BACKUP_NAME, time.localtime(now))).exists():
        time.sleep(1.01 - now % 1)
    col.create_backup(backup_folder=str(folder), force=True, wait_for_completion=True)
    backups = sorted(folder.glob("*.colpkg"), key=lambda p: p.stat().st_mtime)
    return backups[-1] if backups else None


def _apply_package(
    col: Collection,
    package: PackagePlan,
    contents: PackageContents,
    file: Path,
    before: Mapping[str, CollectionNote],
    *,
    merge: bool,
    options: SyncOptions,
) -> PackageSync:
    labels = NoteLabels(package, contents)
    report = PackageSync(contents.top_deck, package.language)
    key = RECORD_KEY.format(deck=package.deck.id, language=package.language)
    records: dict[str, list[str]] = col.get_config(key, {})
    edits = {
        n.guid: edit
        for n in contents.notes
        if (edit := anki_edit(n, before.get(n.guid), records.get(n.guid), labels))
    }
    report.edits = list(edits.values())
    log = col.import_anki_package(_request(file, merge=merge)).log
    report.merged = sorted(
        {
            n.note_type_name
            for n in contents.notes
            if n.guid in before and before[n.guid].note_type_id != n.note_type_id
        }
    )
    if merge:  # every note of a merged note type changed
        after = notes_by_guid(col, [n.guid for n in contents.notes])
    else:  # the notes the import added or updated changed; the others are as they were
        after = {**before, **notes_by_id(col, [n.id.nid for n in (*log.new, *log.updated)])}
    updates = []
    removed: list[tuple[PackageNote, CollectionNote]] = []
    decks: dict[int, dict[int, str]] = {}
    for note in contents.notes:
        old, now = before.get(note.guid), after[note.guid]
        # Where the entry is in the source is no content: a note only moved in its file stays as it is,
        # and one updated gets it too.
        fields = note.content_dict()
        if old is not None and note.guid in edits and options.keep_anki_edits:
            fields = {name: old.fields.get(name, value) for name, value in fields.items()}
        issued = records[note.guid][1].split() if note.guid in records else note.tags
        tags = [*note.tags, *learners_tags(old, issued, note.tags)]
        if now.fields != {**now.fields, **fields} or _tag_set(now.tags) != _tag_set(tags):
            updates.append(_updated_note(col, now.id, {**note.field_dict(), **fields}, tags))
        if REMOVED_TAG in note.tags:
            removed.append((note, old or now))
        elif old is None:
            report.added.append(labels(note.guid))
        elif any(old.fields.get(name, "") != value for name, value in fields.items()):
            report.updated.append(labels(note.guid))
        else:
            report.unchanged += 1
        if REMOVED_TAG not in note.tags:
            decks[now.id] = note.decks
    targets = {
        card.id: (card.home, decks[nid][card.ordinal])
        for nid, cards in cards_by_note(col, list(decks)).items()
        for card in cards
        if card.ordinal in decks[nid]
    }
    if updates:
        col.update_notes(updates)
    deleted = _tombstones(col, removed, labels, report, options)
    moved, report.emptied_decks = sync_decks.move_cards(col, targets, contents.top_deck)
    report.moved = _moves(col, moved, labels)
    report.buried, report.preset = sync_decks.bury_siblings(col, contents.deck_names, contents.top_deck)
    col.set_config(
        key,
        {
            n.guid: [content_hash(n.field_dict()), " ".join(n.tags)]
            for n in contents.notes
            if n.guid not in deleted
        },
    )
    return report


def _tag_set(tags: Sequence[str]) -> set[str]:
    """Tags as Anki compares them: without regard to case (it keeps the case of a tag it already has)."""
    return {tag.casefold() for tag in tags}


def _updated_note(col: Collection, note_id: int, fields: Mapping[str, str], tags: Sequence[str]) -> Any:
    note = col.get_note(note_id)  # type: ignore[arg-type]
    for name, value in fields.items():
        if name in note:
            note[name] = value
    note.tags = list(tags)
    return note


def _tombstones(
    col: Collection,
    removed: Sequence[tuple[PackageNote, CollectionNote]],
    labels: Callable[[str], str],
    report: PackageSync,
    options: SyncOptions,
) -> set[str]:
    """Suspend a removed entry's cards, or delete its note; a note without cards goes in any case."""
    assert col.db is not None
    deleted: set[str] = set()
    doomed = []
    all_cards = cards_by_note(col, [old.id for _, old in removed])
    for note, old in removed:
        cards = [(card.id, card.queue) for card in all_cards.get(old.id, ())]
        label = labels(note.guid)
        newly = REMOVED_TAG not in old.tags
        if not cards or options.delete_removed:
            doomed.append(old.id)
            deleted.add(note.guid)
            if cards:
                report.deleted.append(label)
        elif newly:
            to_suspend = [cid for cid, queue in cards if queue != _SUSPENDED]
            if to_suspend:
                col.sched.suspend_cards(to_suspend)  # type: ignore[arg-type]
            report.suspended.append((label, len(cards)))
    if doomed:
        col.remove_notes(doomed)  # type: ignore[arg-type]
    return deleted


def _moves(col: Collection, moved: Mapping[int, str], labels: Callable[[str], str]) -> list[tuple[str, str]]:
    notes: dict[str, str] = {}
    assert col.db is not None
    ids = list(moved)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        query = f"select c.id, n.guid from cards c join notes n on n.id = c.nid where c.id in ({marks})"
        for card_id, guid in col.db.all(query, *chunk):
            notes[labels(guid)] = moved[card_id]
    return sorted(notes.items())


def _request(file: Path, *, merge: bool) -> Any:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as Update

    options = ImportAnkiPackageOptions(
        merge_notetypes=merge,
        update_notes=Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=Update.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=False,
        with_deck_configs=False,
    )
    return ImportAnkiPackageRequest(package_path=str(file), options=options)
