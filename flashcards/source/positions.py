"""Where a value is in a source: its key path and its line and column."""

from __future__ import annotations

from dataclasses import dataclass

#: The keys and list indexes from the top of a document to a value: ``("concepts", 3, "name", "en")``.
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    """A place in a file; lines and columns count from 1."""

    line: int
    column: int


def format_key_path(key_path: KeyPath) -> str:
    """``("concepts", 3, "name")`` → ``concepts[3].name``."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
