"""Finding the sources named on the command line: the YAML files named, and those in the folders named,
each with a lock file of its own."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flashcards.errors import Problem, SourceError
from flashcards.lock import is_lock_file, lock_path
from flashcards.source.format import MAX_FILE_BYTES, SOURCE_SUFFIXES


def find_sources(paths: Sequence[Path]) -> list[Path]:
    """The YAML files named, and those found (recursively, sorted) in the folders named."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in SOURCE_SUFFIXES and p.is_file() and not is_lock_file(p)
                )
            )
        elif path.is_file():
            found.append(path)
        elif path.exists() or path.is_symlink():
            message = "is not a file or a folder of YAML sources (a pipe, a device or a broken link?)"
            problems.append(Problem(str(path), None, None, message))
        else:
            problems.append(Problem(str(path), None, None, "no such file or folder"))
    if problems:
        raise SourceError(problems)
    if not found:
        names = ", ".join(str(p) for p in paths)
        raise SourceError([Problem(names, None, None, "no .yaml source files found here")])
    return _one_lock_each(list(dict.fromkeys(found)))


def _one_lock_each(sources: list[Path]) -> list[Path]:
    """The sources, each with a lock file of its own: ``deck.yaml`` and ``deck.yml`` would share one."""
    owners: dict[Path, Path] = {}
    problems: list[Problem] = []
    for source in sources:
        if is_lock_file(source):
            message = "is a lock file, which flashcards build writes beside a source: name the source instead"
            problems.append(Problem(str(source), None, None, message))
            continue
        lock = lock_path(source).resolve()
        if lock in owners:
            message = (
                f"{owners[lock]} has the same name: both would keep their lock file in "
                f"{lock_path(source)}; rename one of them"
            )
            problems.append(Problem(str(source), None, None, message))
        else:
            owners[lock] = source
    if problems:
        raise SourceError(problems)
    return sources


def too_large(path: Path) -> Problem | None:
    """A source too large to be study notes, said before it is read."""
    size = path.stat().st_size
    if size <= MAX_FILE_BYTES:
        return None
    message = (
        f"the file has {size / 1024 / 1024:.0f} MB; a source may have at most "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB: split it into several decks"
    )
    return Problem(str(path), None, None, message)
