"""The import command's steps: read the sheet, make the source, and write it where no other deck is."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from flashcards.errors import Problem, SourceError
from flashcards.importer.columns import Field, parse_choices
from flashcards.importer.draft import ImportedSheet, build_source, check_beside
from flashcards.importer.language import LANGUAGES
from flashcards.importer.sheet import read_sheet
from flashcards.source_writer import write_new_file

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_DECK_ID = re.compile(
    r"^deck:\s*(?:#.*)?$\n(?:^[ \t]+.*$\n|^\s*$\n)*?^[ \t]+id:[ \t]*['\"]?([^'\"\s#]+)", re.MULTILINE
)


def check_options(columns: tuple[str, ...], language: str | None) -> dict[str, Field]:
    """The ``--column`` choices; ValueError with a message for a wrong option."""
    if language is not None and not _LANGUAGE_CODE.match(language):
        raise ValueError(f"'{language}' is not a language code such as {', '.join(LANGUAGES)}")
    return parse_choices(columns)


def import_sheet(
    path: Path, display: str, columns: Mapping[str, Field] | None = None, language: str | None = None
) -> ImportedSheet:
    sheet = read_sheet(path, display, columns, language)
    return build_source(sheet, Path(display).name, Path.cwd())


def write_source(imported: ImportedSheet, target: Path, *, force: bool, dry_run: bool) -> None:
    """Write the source to ``target``: never over another deck's file; over the same deck's with force."""
    if target.is_file():
        other = _deck_in(target)
        if other is not None and other != imported.draft.id:
            message = (
                f"the file already holds the deck '{other}', not this sheet's '{imported.draft.id}'; "
                "write this deck to another file with -o FILE"
            )
            raise SourceError([Problem(str(target), None, None, message)])
        if not force:
            raise SourceError(
                [Problem(str(target), None, None, "the file already exists; use --force to replace it")]
            )
    check_beside(imported, target)
    if dry_run:
        return
    write_new_file(imported.text, target, force=force)


def _deck_in(path: Path) -> str | None:
    """The deck id a source file holds, or None when it holds none (or cannot be read)."""
    try:
        with path.open("rb") as file:
            head = file.read(64 * 1024).decode("utf-8", "replace")
    except OSError:
        return None
    match = _DECK_ID.search(head)
    return match.group(1) if match else None
