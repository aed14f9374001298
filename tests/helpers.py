"""Shared test helpers: run the CLI, write source trees, and drive the real Anki backend."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
from click.testing import CliRunner, Result

from flashcards.cli import main

REPO = Path(__file__).resolve().parent.parent
BUNDLED_SOURCE = REPO / "source" / "ml-techniques.yaml"


def run_cli(args: Sequence[str], cwd: Path) -> Result:
    """Run ``flashcards ARGS`` in ``cwd`` and capture stdout and stderr apart."""
    runner = CliRunner()
    with _chdir(cwd):
        return runner.invoke(main, list(args), prog_name="flashcards", catch_exceptions=False)


@contextmanager
def _chdir(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


@dataclass(frozen=True)
class InstalledCopy:
    """flashcards installed from its wheel (not editable) into ``site``, run from any folder."""

    site: Path

    def run(self, args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        """``python ARGS`` with only the installed copy of flashcards importable."""
        env = {**os.environ, "PYTHONPATH": str(self.site)}
        return subprocess.run(
            [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )

    def flashcards(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return self.run(["-m", "flashcards", *args], cwd)

    def evaluate(self, expression: str, module: str, cwd: Path) -> str:
        """What ``print(expression)`` prints after ``import module``."""
        result = self.run(["-c", f"import {module}; print({expression})"], cwd)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create files under ``root`` from {relative path: text}; text is dedented."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def copy_project(tmp_path: Path) -> Path:
    """A copy of the bundled project (source only; templates come from the package)."""
    project = tmp_path / "project"
    (project / "source").mkdir(parents=True)
    shutil.copy(BUNDLED_SOURCE, project / "source" / BUNDLED_SOURCE.name)
    return project


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 1×1 PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb)))
        + chunk(b"IEND", b"")
    )


#: A small valid bilingual source: one concept, one question.
VALID_SOURCE = """\
deck:
  id: tiny
  languages: [ja, en]
  name:
    ja: 小さなデッキ
    en: Tiny deck
concepts:
  - id: distillation
    name:
      ja: 蒸留
      en: Distillation
    description:
      ja: 大きなモデルの知識を小さなモデルに移すこと。
      en: Moving a large model's knowledge into a small one.
questions:
  - id: smaller-model
    question:
      ja: モデルを小さくしたい。どの手法?
      en: You need a smaller model. Which technique?
    answer: distillation
    explanation:
      ja: 蒸留を用いる。
      en: Use distillation.
"""

#: The learner's own study sheet, as written, that the bundled source was made from.
STUDY_SHEET = REPO / "examples" / "ml-techniques-sheet.txt"


# --- the real Anki backend --------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    new: int
    updated: int
    duplicate: int
    conflicting: int
    first_field_match: int
    missing_notetype: int
    updated_first_fields: tuple[str, ...]


def import_package(
    col: Collection, package: Path, *, merge_notetypes: bool = False, always_update: bool = False
) -> ImportSummary:
    """Import like a user with Anki's import dialog: defaults, or the options named."""
    update = (
        ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
        if always_update
        else ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
    )
    options = ImportAnkiPackageOptions(
        merge_notetypes=merge_notetypes,
        update_notes=update,
        update_notetypes=update,
        with_scheduling=False,
        with_deck_configs=False,
    )
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options)).log
    return ImportSummary(
        new=len(log.new),
        updated=len(log.updated),
        duplicate=len(log.duplicate),
        conflicting=len(log.conflicting),
        first_field_match=len(log.first_field_match),
        missing_notetype=len(log.missing_notetype),
        updated_first_fields=tuple(visible_text(n.fields[0]) for n in log.updated),
    )


@dataclass(frozen=True)
class RenderedCard:
    deck: str
    note_type: str
    template: str
    guid: str
    question_html: str
    answer_html: str

    @property
    def question(self) -> str:
        return visible_text(self.question_html)

    @property
    def answer(self) -> str:
        return visible_text(self.answer_html)


def rendered_cards(col: Collection, search: str = "") -> list[RenderedCard]:
    cards = []
    for card_id in sorted(col.find_cards(search)):
        card = col.get_card(card_id)
        note = card.note()
        cards.append(
            RenderedCard(
                deck=col.decks.name(card.did),
                note_type=note.note_type()["name"],  # type: ignore[index]
                template=str(card.template()["name"]),
                guid=note.guid,
                question_html=card.question(),
                answer_html=card.answer(),
            )
        )
    return cards


def answer_cards(col: Collection, card_ids: Sequence[int], ease: int = 3) -> None:
    """Review cards as a learner would: each answered once with the given button."""
    for card_id in card_ids:
        card = col.get_card(card_id)  # type: ignore[arg-type]
        card.start_timer()
        col.sched.answerCard(card, ease)  # type: ignore[arg-type]


def review_log(col: Collection) -> list[tuple[int, int]]:
    """(card id, ease) of every review in the collection, oldest first."""
    return [(int(cid), int(ease)) for cid, ease in rows(col, "SELECT cid, ease FROM revlog ORDER BY id")]


def rows(col: Collection, sql: str) -> list[list[Any]]:
    """Rows of a query on the collection's database."""
    assert col.db is not None
    return [list(row) for row in col.db.all(sql)]


def deck_description(col: Collection, name: str) -> str:
    """The deck's description as the learner reads it on the deck overview."""
    deck = col.decks.by_name(name)
    assert deck is not None, f"no deck named {name!r}"
    return visible_text(str(deck["desc"]))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in ("br", "p", "li", "div", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a learner reads: the text outside <style>/<script>, one line per block, spaces folded."""
    extractor = _TextExtractor()
    extractor.feed(html)
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in "".join(extractor.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def without_style(html: str) -> str:
    return re.sub(r"<style>.*?</style>\s*", "", html, flags=re.DOTALL).strip() + "\n"


def iter_lines(text: str) -> Iterator[str]:
    return (line for line in text.splitlines() if line.strip())
