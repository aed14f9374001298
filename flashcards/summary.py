"""What a build tells the learner: per package, what importing it will do, and which option it needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from flashcards.build import BuildResult, PackagePlan
from flashcards.cards import REMOVED_TAG
from flashcards.changes import NoteChange, NoteStatus, NoteTypeStatus

#: How many note ids a line lists before it says "and N more".
LISTED = 8


def describe(result: BuildResult) -> list[str]:
    lines: list[str] = []
    for package in result.packages:
        lines.extend(describe_package(package, written=result.written))
    return lines


def describe_package(package: PackagePlan, *, written: bool) -> list[str]:
    name = package.deck.name[package.language]
    notes = sum(1 for c in package.notes if c.status not in (NoteStatus.REMOVED, NoteStatus.STILL_REMOVED))
    verb = "" if written else " (dry run, not written)"
    lines = [f"{package.path}{verb}: {name} ({notes} notes, {package.cards} cards)"]
    counts = Counter(c.status for c in package.notes)
    parts = [
        f"{counts[status]} {status.value}"
        for status in (NoteStatus.NEW, NoteStatus.UPDATED, NoteStatus.UNCHANGED, NoteStatus.REMOVED)
        if counts[status]
    ]
    lines.append("  since the last build: " + ", ".join(parts))
    first_build = counts[NoteStatus.NEW] == len(package.notes)
    for status in (NoteStatus.NEW, NoteStatus.UPDATED, NoteStatus.REMOVED):
        changed = [c for c in package.notes if c.status is status]
        if changed and not (first_build and status is NoteStatus.NEW):
            lines.append(f"  {status.value}: {_listing(changed)}")
    if counts[NoteStatus.REMOVED] or counts[NoteStatus.STILL_REMOVED]:
        lines.append(
            f"  removed notes stay in Anki tagged {REMOVED_TAG}: in the browser, search "
            f"tag:{REMOVED_TAG} and delete or suspend their cards"
        )
    lines.extend(_renames(package))
    names = package.note_type_names
    for change in package.note_types:
        name = names[change.key]
        if change.status is NoteTypeStatus.EXTENDED:
            added = ", ".join([*change.added_fields, *change.added_templates])
            lines.append(
                f"  note type '{name}' gains {added}: when you import {package.path.name}, "
                'tick "Merge note types" in Anki\'s import dialog (for this import only)'
            )
        elif change.status is NoteTypeStatus.RESTYLED:
            lines.append(f"  note type '{name}': new card templates or style (applied on import)")
    return lines


def _listing(changes: Iterable[NoteChange]) -> str:
    items = [f"{c.key.kind} {c.key.entry_id}" for c in changes]
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def _renames(package: PackagePlan) -> list[str]:
    """A removal and an addition of the same kind in one build may be a renamed id: say what that costs."""
    lines = []
    for kind in sorted({c.key.kind for c in package.notes}):
        of_kind = [c for c in package.notes if c.key.kind == kind]
        gone = [c.key.entry_id for c in of_kind if c.status is NoteStatus.REMOVED]
        new = [c.key.entry_id for c in of_kind if c.status is NoteStatus.NEW]
        if gone and new:
            lines.append(
                f"  if you renamed {kind} '{gone[0]}' to '{new[0]}': Anki sees a removed note and a new one, "
                "and the review history stays with the removed note; "
                f"give it back the id '{gone[0]}' to keep the history"
            )
    return lines
