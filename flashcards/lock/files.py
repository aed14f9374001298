"""Where a source's lock file is: ``source/deck.yaml`` → ``source/deck.lock.yaml``."""

from __future__ import annotations

from pathlib import Path

LOCK_SUFFIX = ".lock.yaml"


def lock_path(source: Path) -> Path:
    """``source/deck.yaml`` → ``source/deck.lock.yaml``."""
    return source.with_name(source.stem + LOCK_SUFFIX)


def is_lock_file(path: Path) -> bool:
    return path.name.endswith(LOCK_SUFFIX)
