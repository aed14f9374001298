"""Where a note comes from: its entry's source file and line, as the note's Source field holds it.

The file is named relative to the project folder, with forward slashes on every system, so that one
search in Anki's browser finds the notes of one file (``Source:source/deck.yaml:*``) whichever machine
built them.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath


def source_file(path: str, project_dir: Path) -> str:
    """``path`` (a source file, as named on the command line) relative to the project folder."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, os.path.abspath(project_dir))
    except ValueError:  # on another drive than the project (Windows): named in full
        return PurePath(absolute).as_posix()
    return PurePath(relative).as_posix()


def location(file: str, line: int) -> str:
    """``file:line``, as editors and terminals open it; the file alone when the line is not known."""
    return f"{file}:{line}" if line > 0 else file
