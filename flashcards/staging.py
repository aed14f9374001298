"""Write a build's files whole beside their targets, then put them all in place at once.

A build writes several files (a package per deck and language, a lock file per deck). Each is written
to a temporary file in its target's folder (``.<name>.<process id>.<random>.partial``); only when every
one is whole, and every target can be replaced, are they renamed into place. A build that fails on the
way leaves every file as it was.

Renaming several files is not one step: a build stopped between two renames (a power cut, SIGKILL)
would leave a new package beside an old one. So before the first rename, the list of renames is
written to a journal; the next build finishes what it lists (``finish_interrupted``) before it does
anything else. Temporary files that a stopped build left (their process is gone) are removed by the
next build that writes the same file.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: Signals that stop a build from outside; they wait while files are being renamed into place.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StagedFiles:
    """Files written beside their targets, waiting to be renamed into place together."""

    def __init__(self, journal: Path | None = None) -> None:
        self._staged: list[tuple[Path, Path]] = []
        self._journal = journal

    def add(self, target: Path, write: Callable[[Path], None]) -> None:
        """Have ``write`` write the file that is to become ``target``, now, to a temporary path."""
        target.parent.mkdir(parents=True, exist_ok=True)  # an error names the folder
        try:
            remove_leftovers(target)
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.{os.getpid()}.", suffix=".partial", dir=target.parent
            )
            os.close(handle)
        except OSError as error:
            raise _about(error, target) from None
        partial = Path(name)
        self._staged.append((partial, target))
        try:
            write(partial)
            os.chmod(partial, 0o644)
        except OSError as error:
            raise _about(error, target) from None

    def add_text(self, target: Path, text: str) -> None:
        """The text file that is to become ``target`` (UTF-8, with ``\\n`` line ends)."""
        self.add(target, lambda path: _write_text(path, text))

    def commit(self) -> None:
        """Rename every file into place, once nothing is in the way of any of them."""
        for _, target in self._staged:
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, "a folder is in the way of this file", str(target))
        with _signals_wait():
            journal = self._journal if len(self._staged) > 1 else None
            if journal is not None:
                _write_journal(journal, self._staged)
            for partial, target in self._staged:
                try:
                    os.replace(partial, target)
                except OSError as error:
                    raise _about(error, target) from None
            if journal is not None:
                journal.unlink(missing_ok=True)
            self._staged.clear()

    def discard(self) -> None:
        for partial, _ in self._staged:
            partial.unlink(missing_ok=True)
        self._staged.clear()


@contextmanager
def staged_files(journal: Path | None = None) -> Iterator[StagedFiles]:
    """Files to write together; whatever is not committed when the block ends is removed.

    With a ``journal``, renaming them is recorded there first, so that the next build can finish it."""
    staged = StagedFiles(journal)
    try:
        yield staged
    finally:
        staged.discard()


def write_atomically(target: Path, text: str) -> None:
    """One text file, written whole or not at all."""
    with staged_files() as staged:
        staged.add_text(target, text)
        staged.commit()


#: A build's journal in its output folder: ``.flashcards-build.<process id>.journal``.
JOURNAL_PREFIX, JOURNAL_SUFFIX = ".flashcards-build.", ".journal"


def journal_in(folder: Path) -> Path:
    """Where this process's build lists its renames, while it puts its files in place."""
    return folder / f"{JOURNAL_PREFIX}{os.getpid()}{JOURNAL_SUFFIX}"


def stopped_journals(folder: Path) -> list[Path]:
    """The journals in ``folder`` of builds that stopped before they had put all their files in place."""
    try:
        found = sorted(folder.glob(f"{JOURNAL_PREFIX}*{JOURNAL_SUFFIX}"))
    except OSError:
        return []
    owners = (path.name[len(JOURNAL_PREFIX) : -len(JOURNAL_SUFFIX)] for path in found)
    return [
        path
        for path, owner in zip(found, owners, strict=True)
        if not (owner.isdigit() and owner.isascii() and process_runs(int(owner)))
    ]


def finish_interrupted(folder: Path) -> list[Path]:
    """Put in place the files that builds stopped halfway (their journals are in ``folder``) had not yet
    renamed; returns their targets (none when no build was stopped there)."""
    finished: list[Path] = []
    for journal in stopped_journals(folder):
        finished.extend(_finish(journal))
    return finished


def _finish(journal: Path) -> list[Path]:
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
    except OSError:  # gone meanwhile: nothing to finish
        return []
    except ValueError:  # not written whole: no file was renamed after it
        journal.unlink(missing_ok=True)
        return []
    if not isinstance(entries, list) or not all(_is_staged(entry) for entry in entries):
        journal.unlink(missing_ok=True)  # not one this tool wrote: it renames nothing
        return []
    finished = []
    with _signals_wait():
        for partial, target in entries:
            try:
                os.replace(partial, target)
            except FileNotFoundError:
                continue  # renamed before the build stopped
            except OSError as error:
                raise _about(error, Path(target)) from None
            finished.append(Path(target))
        journal.unlink(missing_ok=True)
    return finished


def _is_staged(entry: object) -> bool:
    """Whether a journal's entry renames a file as ``StagedFiles`` does: a temporary file beside its
    target, named after it (a journal found in a folder renames nothing else)."""
    if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(p, str) for p in entry)):
        return False
    partial, target = Path(entry[0]), Path(entry[1])
    return (
        partial.parent == target.parent
        and partial.name.startswith(f".{target.name}.")
        and partial.name.endswith(".partial")
    )


def remove_leftovers(target: Path) -> None:
    """Remove the temporary files of ``target`` that a build which no longer runs left behind."""
    prefix = f".{target.name}."
    for path in target.parent.glob(".*.partial"):
        if path.name.startswith(prefix) and not process_runs(_owner(path, target)):
            path.unlink(missing_ok=True)


def _owner(partial: Path, target: Path) -> int:
    """The process that wrote the temporary file ``partial`` of ``target`` (0 when its name has none)."""
    owner = partial.name[len(target.name) + 2 :].split(".", 1)[0]
    return int(owner) if owner.isdigit() and owner.isascii() else 0


def remove_dead_folders(parent: Path, prefix: str) -> None:
    """Remove the folders ``<prefix><process id>-…`` in ``parent`` whose process no longer runs."""
    import shutil

    try:
        found = list(parent.glob(f"{prefix}*"))
    except OSError:
        return
    for path in found:
        owner = path.name[len(prefix) :].split("-", 1)[0]
        if owner.isdigit() and not process_runs(int(owner)) and _own_folder(path):
            shutil.rmtree(path, ignore_errors=True)


def _own_folder(path: Path) -> bool:
    """A folder (not a link to one) of this user's: a shared temporary folder holds others' too."""
    try:
        info = path.lstat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and mine


def process_runs(pid: int) -> bool:
    """Whether process ``pid`` runs (True when there is no telling: its files are then kept)."""
    if pid <= 0:
        return False
    if pid == os.getpid() or sys.platform == "win32":  # Windows' os.kill would stop the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # another user's process, or no way to tell: keep its files
    return True


@contextmanager
def _signals_wait() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (only the main thread can hold them back)."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    except (AttributeError, ValueError, OSError):  # pragma: no cover - no signal masks here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write_journal(journal: Path, staged: list[tuple[Path, Path]]) -> None:
    entries = [[os.path.abspath(partial), os.path.abspath(target)] for partial, target in staged]
    write_atomically(journal, json.dumps(entries, ensure_ascii=False) + "\n")


def _about(error: OSError, target: Path) -> OSError:
    """The error, naming the file the user knows rather than its temporary file."""
    return type(error)(error.errno, error.strerror or str(error), str(target))


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")
