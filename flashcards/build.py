"""The build pipeline: load → validate → cards → render → plan against the lock → export."""

from __future__ import annotations

import dataclasses
import signal
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flashcards import cycle_collection, items, lint, note_kinds
from flashcards.cards import (
    REMOVED_TAG,
    AssignedItems,
    Note,
    deck_notes,
    tombstone_note,
)
from flashcards.changes import (
    NoteChange,
    NoteTypeChange,
    build_clock,
    kind_named,
    new_lock,
    note_hash,
    plan_note,
    plan_note_type,
    removed_keys,
)
from flashcards.errors import OutputError, Problem, Severity, SourceError
from flashcards.export import WORK_FOLDER_PREFIX, PackageSpec, Prepared, prepare, write_package
from flashcards.issued import newest, read_issued, record_issued
from flashcards.lock import Lock, NoteKey, NoteTypeKey, lock_path, lock_to_write, read_lock
from flashcards.markup import text_html
from flashcards.model import Deck, MediaFile
from flashcards.note_kinds import ALWAYS_KINDS
from flashcards.render import Renderer, note_type_name, template_search_path
from flashcards.source.validate import load_decks
from flashcards.source_location import source_file
from flashcards.staging import (
    finish_interrupted,
    journal_in,
    remove_dead_folders,
    staged_files,
    stopped_journals,
)

#: Each package's note and card ids start this far apart, below its newest change (an id is a time in
#: milliseconds): the build's last package one range below, each earlier one a range further. Packages
#: that share their newest time (those of a first build, or of any build that changed every language)
#: so never share an id, and imported in the order built, each one's ids come after those already in the
#: collection, where Anki adds rows fastest. Packages whose newest times differ overlap only if those
#: are about ID_RANGE milliseconds apart, which costs Anki some renumbering on a first import.
ID_RANGE = 10_000_000


@dataclass(frozen=True)
class PackagePlan:
    """One package to write, and what importing it will do."""

    path: Path
    deck: Deck
    language: str
    #: The package's notes and cards, until it is written (then only what importing it will do is kept).
    prepared: Prepared | None
    notes: tuple[NoteChange, ...]
    note_types: tuple[NoteTypeChange, ...]
    note_type_names: dict[NoteTypeKey, str]
    cards: int
    #: How many fronts show a gap in place of their answer, and how many show it (it could not be masked).
    masked_fronts: tuple[int, int] = (0, 0)

    @property
    def ready(self) -> Prepared:
        """Its notes and cards, ready to write (a package already written keeps none)."""
        assert self.prepared is not None, "a written package keeps no notes"
        return self.prepared

    @property
    def spec(self) -> PackageSpec:
        return self.ready.spec


@dataclass(frozen=True)
class DeckPlan:
    deck: Deck
    lock_path: Path
    lock: Lock
    packages: tuple[PackagePlan, ...]
    #: What this user's builds had issued for the deck before this one (see ``issued``); None when that
    #: is just what the lock file said.
    issued: Lock | None = None


@dataclass(frozen=True)
class BuildResult:
    decks: tuple[DeckPlan, ...]
    warnings: tuple[Problem, ...]
    written: bool

    @property
    def packages(self) -> tuple[PackagePlan, ...]:
        return tuple(p for d in self.decks for p in d.packages)


def package_path(out_dir: Path, deck: Deck, language: str) -> Path:
    return out_dir / f"{deck.id}.{language}.apkg"


def plan_package(
    deck: Deck,
    language: str,
    renderer: Renderer,
    lock: Lock,
    lock_display: str,
    clock: int,
    out_dir: Path,
    ranges_above: int,
    ranges: int,
    assigned: AssignedItems | None = None,
    source_file: str | None = None,
) -> PackagePlan:
    """``source_file``: the deck's source as its notes' Source field names it (by default, its path)."""
    current = deck_notes(deck, language, assigned, source_file)
    used = {note.kind.name for note in current.notes}
    used.update(key.kind for key in lock.note_types if key.language == language)
    used.update(key.kind for key in lock.notes if key.language == language)  # a tombstone needs its type
    kinds = [kind for kind in note_kinds.NOTE_KINDS if kind in ALWAYS_KINDS or kind.name in used]
    concept_kind = deck.concept_kind[language] if deck.concept_kind is not None else None
    note_types = renderer.note_types(
        deck.id,
        language,
        kinds,
        subject=deck.name[language],
        concept_kind=concept_kind,
        speech=deck.speech,
        show_source=deck.show_source,
    )
    nt_changes = tuple(
        plan_note_type(
            deck.id, nt, lock.note_types.get(NoteTypeKey(language, nt.kind.name)), clock, lock_display
        )
        for nt in note_types
    )
    note_types = [
        dataclasses.replace(nt, name=note_type_name(deck.id, nt.kind, language, change.revision))
        for nt, change in zip(note_types, nt_changes, strict=True)
    ]
    nt_ids = {change.key.kind: change.id for change in nt_changes}
    notes: list[Note] = list(current.notes)
    changes: list[NoteChange] = []
    for note in current.notes:
        key = NoteKey(language, note.kind.name, note.entry_id)
        content = note_hash(note, nt_ids[note.kind.name], note.user_tags)
        record = lock.notes.get(key)
        changes.append(plan_note(key, content, record, clock, removed=False, topic=note.topic))
    labels = renderer.labels()[language]
    for key in removed_keys(lock, language, [c.key for c in changes]):
        kind = kind_named(key.kind)
        assert kind is not None
        tombstone = tombstone_note(kind, key.entry_id, language, labels)
        content = note_hash(tombstone, nt_ids[kind.name], (REMOVED_TAG,))
        changes.append(plan_note(key, content, lock.notes.get(key), clock, removed=True))
        notes.append(tombstone)
    all_notes = dataclasses.replace(current, notes=tuple(notes))
    mods = [c.mod for c in changes] + [c.mod for c in nt_changes]
    timestamp = max(mods)
    description_html = text_html(deck.description[language]) if deck.description else ""
    spec = PackageSpec(
        notes=all_notes,
        note_types=note_types,
        deck_name=deck.name[language],
        description_html=description_html,
        timestamp=timestamp,
        note_mods=tuple(change.mod for change in changes),
        note_type_mods={c.id: c.mod for c in nt_changes},
        # (An early clock, such as SOURCE_DATE_EPOCH=0, still gives ids from 0 up.)
        first_id=max(timestamp * 1000, ranges * ID_RANGE) - (ranges_above + 1) * ID_RANGE,
        media=_media_used(deck, [*(f for note in notes for f in note.fields), description_html]),
    )
    path = package_path(out_dir, deck, language)
    prepared = prepare(spec)
    names = {NoteTypeKey(language, nt.kind.name): nt.name for nt in note_types}
    counted = (current.masked, current.unsafe)
    return PackagePlan(
        path, deck, language, prepared, tuple(changes), nt_changes, names, prepared.cards, counted
    )


def _media_used(deck: Deck, texts: Sequence[str]) -> tuple[MediaFile, ...]:
    """The deck's media files that these texts (the package's fields and description) refer to."""
    if not deck.media:
        return ()
    text = "\x1f".join(texts)
    return tuple(media for media in deck.media if media.name in text)


def plan(
    sources: Sequence[Path],
    out_dir: Path,
    project_dir: Path,
    *,
    write: Callable[[PackagePlan], None] | None = None,
    each_mask: bool = True,
) -> tuple[list[DeckPlan], list[Problem]]:
    """What building ``sources`` gives. With ``write``, each package is handed to it as soon as it is
    planned and then let go of its notes, so that a large deck is held in one language at a time."""
    decks = load_decks(sources, project_dir)
    renderer = Renderer(template_search_path(project_dir / "templates"))
    clock, _ = build_clock()
    warnings: list[Problem] = []
    plans: list[DeckPlan] = []
    ranges = ranges_above = sum(len(deck.languages) for deck in decks)
    for deck in decks:
        path = lock_path(Path(deck.path))
        read = read_lock(path)
        record = read_issued(deck.id, read, path)
        # A lock restored to an older version says less than what was issued since: the newer wins.
        issued, lock = (None, read) if record is read else (record, newest(read, record))
        assigned = items.assign(deck, lock.items)
        file = source_file(deck.path, project_dir)
        packages = []
        for language in deck.languages:
            ranges_above -= 1
            package = plan_package(
                deck,
                language,
                renderer,
                lock,
                str(path),
                clock,
                out_dir,
                ranges_above,
                ranges,
                assigned,
                source_file=file,
            )
            if write is not None:
                write(package)
                package = dataclasses.replace(package, prepared=None)
            packages.append(package)
        # Without each_mask, the fronts masked are counted as the notes were made.
        counted = tuple(sum(c) for c in zip(*(p.masked_fronts for p in packages), strict=True))
        warnings.extend(lint.warnings(deck, counted=None if each_mask else (counted[0], counted[1])))
        warnings.extend(lint.topic_warnings(deck, lock, {p.language: p.notes for p in packages}))
        updated = new_lock(
            lock,
            deck.languages,
            [c for p in packages for c in p.notes],
            {c.key: c for p in packages for c in p.note_types},
            {kind.name: kind for kind in note_kinds.NOTE_KINDS},
            items.records(assigned, lock.items),
        )
        plans.append(DeckPlan(deck, path, updated, tuple(packages), issued))
    stopped = stopped_journals(out_dir) if write is None else []  # a dry run or a check: a build finishes it
    if stopped:
        message = (
            "the previous build was stopped while it put its files in place: run flashcards build to finish "
            "it (until then, the packages and lock files may not belong together)"
        )
        warnings.insert(0, Problem(str(stopped[0]), None, None, message, severity=Severity.WARNING))
    return plans, warnings


#: Called with a build whose files are written but not yet in place, and each package's written file (by
#: the package's path); it returns whether to put them in place. An exception from it leaves them out.
BeforeCommit = Callable[["BuildResult", Mapping[Path, Path]], bool]


def build(
    sources: Sequence[Path],
    out_dir: Path,
    project_dir: Path,
    *,
    dry_run: bool = False,
    before_commit: BeforeCommit | None = None,
) -> BuildResult:
    """Check the sources, then write every package and lock file (or, with ``dry_run``, only say what)."""
    with cycle_collection.paused(), _stopped_cleanly():
        return _build(sources, out_dir, project_dir, dry_run=dry_run, before_commit=before_commit)


@contextmanager
def _stopped_cleanly() -> Iterator[None]:
    """SIGTERM stops a build as Ctrl-C does: on the way out, its temporary files are removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(
    sources: Sequence[Path],
    out_dir: Path,
    project_dir: Path,
    *,
    dry_run: bool,
    before_commit: BeforeCommit | None,
) -> BuildResult:
    if dry_run:
        plans, warnings = plan(sources, out_dir, project_dir, each_mask=False)
        return BuildResult(tuple(plans), tuple(warnings), written=False)
    finished = finish_interrupted(out_dir)
    remove_dead_folders(Path(tempfile.gettempdir()), WORK_FOLDER_PREFIX)
    with staged_files(journal_in(out_dir)) as staged:
        files: dict[Path, Path] = {}

        def write(package: PackagePlan) -> None:
            _wait_until_not_future(package.spec.timestamp)

            def write_file(path: Path, ready: Prepared = package.ready) -> None:
                write_package(ready, path)
                files[package.path] = path

            try:
                staged.add(package.path, write_file)
            except sqlite3.OperationalError as error:  # the temporary database: a full disk, say
                where = tempfile.gettempdir()
                raise OutputError(
                    f"{where}: cannot write the temporary database of {package.path}: {error} "
                    "(free some space there, or set TMPDIR to another folder); nothing was changed"
                ) from None

        try:
            plans, warnings = plan(sources, out_dir, project_dir, write=write, each_mask=False)
        except SourceError as error:
            if not finished:
                raise
            # Say what was finished, even though this build stops here.
            raise SourceError([*error.problems, _finished_warning(finished)]) from None
        if finished:
            warnings.insert(0, _finished_warning(finished))
        lock_texts: list[str | None] = []
        for deck_plan in plans:
            text = lock_to_write(deck_plan.lock_path, deck_plan.lock, Path(deck_plan.deck.path).name)
            lock_texts.append(text)
            if text is not None:
                staged.add_text(deck_plan.lock_path, text)
        result = BuildResult(tuple(plans), tuple(warnings), written=True)
        if before_commit is not None and not before_commit(result, files):
            return dataclasses.replace(result, written=False)
        # Recorded before any package is in place: a time is never in a package and not in the record.
        recorded = [
            _record_issued(deck_plan, text) for deck_plan, text in zip(plans, lock_texts, strict=True)
        ]
        problems = tuple(problem for problem in recorded if problem is not None)
        if problems:
            result = dataclasses.replace(result, warnings=(*result.warnings, *problems))
        staged.commit()
    return result


def _record_issued(deck_plan: DeckPlan, lock_text: str | None) -> Problem | None:
    """Add what this build issued for the deck to the user's record, when that changes it (``lock_text``:
    the deck's new lock file, None when it stays as it is)."""
    if deck_plan.issued is None:  # the record said what the lock file said: it changes as the lock does
        if lock_text is None:
            return None
        return record_issued(deck_plan.deck.id, deck_plan.lock, lock_text, deck_plan.lock_path)
    after = newest(deck_plan.lock, deck_plan.issued)
    return None if after == deck_plan.issued else record_issued(deck_plan.deck.id, after)


def _finished_warning(finished: Sequence[Path]) -> Problem:
    shown = ", ".join(str(_relative(path)) for path in finished)
    message = (
        "the previous build was stopped while it put its files in place; this build put the rest of them "
        f"in place first: {shown}"
    )
    return Problem(str(_relative(finished[0])), None, None, message, severity=Severity.WARNING)


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _wait_until_not_future(timestamp: int) -> None:
    """A note's ``mod`` must never lie in the future: a second build within the same second waits for it."""
    _, fixed = build_clock()
    if fixed:
        return
    delay = timestamp - time.time()
    if 0 < delay <= 2:
        time.sleep(delay)
