"""The build pipeline: load → validate → cards → render → export, for every deck and language."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flashcards import identity
from flashcards.cards import ambiguity_warnings, deck_notes, text_html
from flashcards.errors import Problem
from flashcards.export import PackageSpec, write_package
from flashcards.model import Deck
from flashcards.parser import find_sources, load_decks
from flashcards.render import Renderer, template_search_path

#: Each package's note and card ids start this far apart, so that packages never share an id range.
ID_RANGE = 10_000_000


@dataclass(frozen=True)
class BuiltPackage:
    path: Path
    deck: Deck
    language: str
    notes: int
    cards: int


@dataclass(frozen=True)
class BuildResult:
    packages: tuple[BuiltPackage, ...]
    warnings: tuple[Problem, ...]


def package_path(out_dir: Path, deck: Deck, language: str) -> Path:
    return out_dir / f"{deck.id}.{language}.apkg"


def build_time(sources: Sequence[Path], template_dirs: Sequence[Path]) -> int:
    """The build's timestamp: SOURCE_DATE_EPOCH when set, else the newest input's modification time.

    Never in the future, and the same for the same input files.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = int(time.time())
    if epoch.isdigit():
        return min(int(epoch), now)
    inputs = list(sources) + [p for d in template_dirs for p in d.rglob("*") if p.is_file()]
    newest = max(int(p.stat().st_mtime) for p in inputs)
    return min(newest, now)


def build(sources: Sequence[Path], out_dir: Path, project_dir: Path) -> BuildResult:
    decks = load_decks(sources)
    search_path = template_search_path(project_dir / "templates")
    renderer = Renderer(search_path)
    timestamp = build_time(find_sources(sources), search_path)
    warnings: list[Problem] = []
    specs: list[tuple[Path, PackageSpec]] = []
    for deck in decks:
        warnings.extend(ambiguity_warnings(deck))
        for language in deck.languages:
            note_types = renderer.note_types(deck.id, language)
            description = text_html(deck.description[language]) if deck.description else ""
            spec = PackageSpec(
                notes=deck_notes(deck, language),
                note_types=note_types,
                deck_name=deck.name[language],
                description_html=description,
                timestamp=timestamp,
                note_mods={},
                note_type_mods={},
                first_id=timestamp * 1000 - len(specs) * ID_RANGE,
            )
            specs.append((package_path(out_dir, deck, language), spec))
    built = []
    for path, spec in specs:
        cards = write_package(spec, path)
        built.append(BuiltPackage(path, spec.notes.deck, spec.notes.language, len(spec.notes.notes), cards))
    return BuildResult(tuple(built), tuple(warnings))


__all__ = ["BuildResult", "BuiltPackage", "build", "identity"]
