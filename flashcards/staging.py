"""Write a build's files whole beside their targets, then put them all in place at once.

A build writes several files (a package per deck and language, a lock file per deck). Each is written
to a temporary file in its target's folder; only when every one is whole, and every target can be
replaced, are they renamed into place. A build that fails on the way leaves every file as it was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class StagedFiles:
    """Files written beside their targets, waiting to be renamed into place together."""

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []

    def add(self, target: Path, write: Callable[[Path], None]) -> None:
        """Have ``write`` write the file that is to become ``target``, now, to a temporary path."""
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        os.close(handle)
        partial = Path(name)
        self._staged.append((partial, target))
        write(partial)
        os.chmod(partial, 0o644)

    def add_text(self, target: Path, text: str) -> None:
        """The text file that is to become ``target`` (UTF-8, with ``\\n`` line ends)."""
        self.add(target, lambda path: _write_text(path, text))

    def commit(self) -> None:
        """Rename every file into place, once nothing is in the way of any of them."""
        for _, target in self._staged:
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, "a folder is in the way of this file", str(target))
        for partial, target in self._staged:
            os.replace(partial, target)
        self._staged.clear()

    def discard(self) -> None:
        for partial, _ in self._staged:
            partial.unlink(missing_ok=True)
        self._staged.clear()


@contextmanager
def staged_files() -> Iterator[StagedFiles]:
    """Files to write together; whatever is not committed when the block ends is removed."""
    staged = StagedFiles()
    try:
        yield staged
    finally:
        staged.discard()


def write_atomically(target: Path, text: str) -> None:
    """One text file, written whole or not at all."""
    with staged_files() as staged:
        staged.add_text(target, text)
        staged.commit()


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")
