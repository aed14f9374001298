"""What ``flashcards sync`` tells the learner: the edits made in Anki it replaces (first), then per deck and
language what changed in the collection, the backup, and whether AnkiWeb needs a full upload."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from flashcards.cards import REMOVED_TAG
from flashcards.sync_result import PackageSync, SyncResult

#: How many notes a line lists before it says "and N more".
LISTED = 8
#: How much of an edit made in Anki a line quotes.
QUOTED = 60


def describe_sync(result: SyncResult) -> list[str]:
    lines = _edits(result)
    state = " (dry run: nothing changed; this is what sync would do)" if result.dry_run else ""
    lines.append(f"{result.collection}{state}:")
    for package in result.packages:
        lines.extend(_package(package))
    if result.backup is not None:
        lines.append(f"backup: {result.backup} (to go back, in Anki: File > Switch Profile > Open Backup...)")
    if result.full_sync:
        consent = ", then run flashcards sync --allow-full-sync" if result.needs_consent else ""
        lines.append(
            "AnkiWeb: a note type gained fields or cards, so the next sync uploads the whole collection "
            f"(one way): sync your other devices first{consent}"
        )
    return lines


def _edits(result: SyncResult) -> list[str]:
    edits = [(p, e) for p in result.packages for e in p.edits]
    if not edits:
        return []
    if result.keep_anki_edits:
        lines = ["edits made in Anki, kept (--keep-anki-edits):"]
    else:
        lines = [
            "edits made in Anki that sync replaces with the source's text (keep them with --keep-anki-edits):"
        ]
    for package, edit in edits:
        for name, text in edit.fields:
            lines.append(f"  {package.deck} [{package.language}] {edit.label}: {name}: {_quote(text)}")
    return lines


def _quote(field_html: str) -> str:
    text = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", field_html)).split())
    if len(text) > QUOTED:
        text = text[: QUOTED - 1] + "…"
    return f'"{text}"'


def _package(p: PackageSync) -> list[str]:
    lines = [
        f"  {p.deck} [{p.language}]: {len(p.added)} added, {len(p.updated)} updated, {p.unchanged} unchanged"
    ]
    if p.added and (p.updated or p.unchanged or p.suspended or p.deleted):
        lines.append(f"    added: {_listing(p.added)}")
    if p.updated:
        lines.append(f"    updated: {_listing(p.updated)}")
    if p.suspended:
        cards = sum(n for _, n in p.suspended)
        lines.append(
            f"    removed from the source: {_listing([label for label, _ in p.suspended])}: {cards} cards "
            f"suspended, tagged {REMOVED_TAG} (--delete-removed deletes them with their history)"
        )
    if p.deleted:
        lines.append(f"    removed from the source, deleted: {_listing(p.deleted)}")
    for label, deck in p.moved:
        lines.append(f"    {label}: cards moved to '{deck}'")
    for deck in p.emptied_decks:
        lines.append(f"    empty subdeck '{deck}' removed")
    for name in p.merged:
        lines.append(f"    note type '{name}': merged (fields or cards added)")
    if p.buried:
        decks = ", ".join(f"'{d}'" for d in p.buried)
        preset = (
            f" (a new options preset '{p.preset}', copied from the one they shared with other decks)"
            if p.preset
            else ""
        )
        lines.append(f"    siblings are now buried in {decks}{preset}")
    return lines


def _listing(items: Sequence[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")
