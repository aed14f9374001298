"""What this user's builds ever gave Anki: each note's newest modification time and content, per deck.

The lock file beside a source is the memory that travels with the project, and it goes back in time
with it: restore a source *and* its lock to an older commit, and the lock gives the old content its old
``mod``, older than the edit Anki already holds, so Anki's "update if newer" would skip the note. This
record is kept outside the repository, per user (``$XDG_STATE_HOME/flashcards``, by default
``~/.local/state/flashcards``), and never goes back: a build compares each note with the newer of the
two records, so that content that differs from the last one issued gets a ``mod`` newer than every one
issued before.

It has the lock file's format (one line per note), in a file per deck id: the deck id is what makes a
note's identity in Anki, whichever folder the project is in.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from flashcards.errors import FlashcardsError, Problem, Severity
from flashcards.lock import Lock, format_lock, read_lock
from flashcards.staging import staged_files

HEADER = """\
# Written by `flashcards build`: what this user's builds gave Anki for the deck '{source}', so that a
# source and lock file restored to an older version still update the notes Anki holds. Kept outside the
# project on purpose; deleting it only loses that.
"""


def state_dir() -> Path:
    """Where flashcards keeps what it remembers per user: ``$XDG_STATE_HOME/flashcards`` when that is
    set, else the platform's place for an application's state."""
    xdg = os.environ.get("XDG_STATE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "flashcards"
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "")
        return (Path(local) if local else home / "AppData" / "Local") / "flashcards"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "flashcards"
    return home / ".local" / "state" / "flashcards"


def issued_path(deck_id: str) -> Path:
    return state_dir() / "issued" / f"{deck_id}.yaml"


def read_issued(deck_id: str, lock: Lock | None = None, lock_file: Path | None = None) -> Lock:
    """What was issued for the deck (an empty record when nothing was, or the record cannot be read).

    When the record says just what ``lock`` (read from ``lock_file``) says, as it does after a build on
    this machine, that is ``lock`` itself: found by comparing the two files' lines, without reading
    the record's."""
    path = issued_path(deck_id)
    try:
        if lock is not None and lock_file is not None:
            records = _records(path)
            if records is not None and records == _records(lock_file):
                return lock
        return read_lock(path)
    except (FlashcardsError, OSError, UnicodeDecodeError):  # damaged: not the learner's to fix, start anew
        return Lock()


def _write_record(path: Path, *, head: str, lock_text: str) -> None:
    """The record: its own comment, then the lock's lines, copied a piece at a time (a lock can be large)."""
    start = lock_text.index(_RECORDS)
    with path.open("w", encoding="utf-8", newline="\n") as record:
        record.write(head)
        for piece in range(start, len(lock_text), _PIECE):
            record.write(lock_text[piece : piece + _PIECE])


_PIECE = 1 << 20

#: Where a lock-format file's records start, after its comment.
_RECORDS = "\nversion: "


def _records(path: Path) -> str | None:
    """A lock-format file's lines after its comment (None when it has none)."""
    if not path.is_file():
        return None
    _, marker, records = path.read_text(encoding="utf-8").partition(_RECORDS)
    return records if marker else None


def newest(lock: Lock, issued: Lock) -> Lock:
    """For every note and note type, the newer of the two records (``lock``'s when they are as new); every
    item either knows (``lock``'s record when both do)."""
    notes = dict(lock.notes)
    for key, record in issued.notes.items():
        known = notes.get(key)
        if known is None or record.mod > known.mod:
            notes[key] = record
    note_types = dict(lock.note_types)
    for nt_key, nt_record in issued.note_types.items():
        nt_known = note_types.get(nt_key)
        if nt_known is None or nt_record.mod > nt_known.mod:
            note_types[nt_key] = nt_record
    # An item's number is never given to another item: every number either record knows stays taken.
    return Lock(notes, note_types, {**issued.items, **lock.items})


def record_issued(
    deck_id: str, after: Lock, lock_text: str | None = None, lock_file: Path | None = None
) -> Problem | None:
    """Write ``after`` as the record of ``deck_id``; a warning when it cannot be written.

    ``lock_text`` is ``after`` as the lock file's text, when this build wrote it: the record takes its
    lines. ``lock_file`` is the lock file this build read, when the record said the same: as long as
    it still does, no other build has recorded anything since."""
    path = issued_path(deck_id)
    records = None if lock_file is None else _records(path)
    if lock_file is None or records is None or records != _records(lock_file):
        # Another build of the deck may have recorded times since this one read the record: keep them.
        merged = newest(after, read_issued(deck_id))
        lock_text = lock_text if merged == after else None
        after = merged
    if lock_text is None:
        lock_text = format_lock(after, deck_id)
    head = format_lock(Lock(), deck_id, header=HEADER).partition(_RECORDS)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with staged_files() as staged:
            staged.add(path, functools.partial(_write_record, head=head, lock_text=lock_text))
            staged.commit()
    except OSError as error:
        message = (
            f"cannot record the modification times this build gave ({error.strerror or error}): "
            "if you restore this source and its lock file to an older version, a build may not update "
            "the notes Anki holds"
        )
        return Problem(str(path), None, None, message, severity=Severity.WARNING)
    return None
