"""The lock file's text: one line per note, sorted, so that a diff shows what a build changed."""

from __future__ import annotations

from pathlib import Path

from flashcards.lock.records import LOCK_VERSION, Lock

HEADER = """\
# Written by `flashcards build`. Commit it together with {source}.
# For every note it remembers a hash of its content and when it last changed, and for every item its
# number, so that importing the next build into Anki updates exactly what you edited. Do not edit it.
"""


def format_lock(lock: Lock, source_name: str, *, header: str = HEADER) -> str:
    lines = [header.format(source=source_name), f"version: {LOCK_VERSION}", "note-types:"]
    for nt_key, nt in sorted(lock.note_types.items()):
        lines.append(
            f"  {nt_key}: {{id: {nt.id}, revision: {nt.revision}, mod: {nt.mod}, hash: '{nt.hash}', "
            f"fields: [{', '.join(nt.fields)}], templates: [{', '.join(nt.templates)}]}}"
        )
    if lock.items:
        lines.append("items:")
        for item_key, item in sorted(lock.items.items()):
            hashes = ", ".join(f"{language}: '{text_hash}'" for language, text_hash in sorted(item.items()))
            lines.append(f"  {item_key}: {{{hashes}}}")
    lines.append("notes:")
    for key, note in sorted(lock.notes.items()):
        removed = ", removed: true" if note.removed else ""
        topic = ", topic: '" + note.topic.replace("'", "''") + "'" if note.topic else ""
        lines.append(f"  {key}: {{hash: '{note.hash}', mod: {note.mod}{removed}{topic}}}")
    return "\n".join(lines) + "\n"


def lock_to_write(path: Path, lock: Lock, source_name: str) -> str | None:
    """The text to write to ``path`` for ``lock``; None when the file already says exactly that."""
    text = format_lock(lock, source_name)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return None
    return text
