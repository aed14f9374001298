"""The sheet corpus: every shape people write, each with the source it must give.

Each ``tests/corpus/sheets/NAME.*`` is imported with the CLI; ``NAME.expected`` holds what the learner
would get: the deck, every concept with its topic and fields, every question with the concept it is
linked to, what import printed, and the warnings; or, for a sheet that cannot be imported, the errors
(exit 1, nothing written). Set ``FLASHCARDS_WRITE_EXPECTED=1`` to write the files after a deliberate
change, then read the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from flashcards.source.validate import load_decks

from helpers import REPO, run_cli

CORPUS = REPO / "tests" / "corpus" / "sheets"
SHEETS = sorted(p for p in CORPUS.iterdir() if p.suffix != ".expected")


def _text(value: dict[str, str] | None, lang: str) -> str:
    return repr(value[lang]) if value else "-"


def describe_import(sheet: Path, folder: Path) -> str:
    """What importing ``sheet`` gives, as the lines of an ``.expected`` file."""
    shutil.copy(sheet, folder / sheet.name)
    result = run_cli(["import", sheet.name, "-o", "out.yaml"], folder)
    lines = [f"exit {result.exit_code}"]
    if result.exit_code != 0:
        assert not (folder / "out.yaml").exists(), "nothing is written"
        assert result.stdout == ""
        return "\n".join([*lines, *result.stderr.splitlines()]) + "\n"
    source: dict[str, Any] = yaml.safe_load((folder / "out.yaml").read_text(encoding="utf-8"))
    deck = source["deck"]
    (lang,) = deck["languages"]
    lines.append(f"deck {deck['id']} [{lang}]: {_text(deck['name'], lang)}")
    for key in ("description", "kind", "answer-note"):
        if key in deck:
            lines.append(f"  {key}: {_text(deck[key], lang)}")
    for c in source["concepts"]:
        topic = f" (topic {_text(c['topic'], lang)})" if "topic" in c else ""
        lines.append(f"concept {c['id']}: {_text(c['name'], lang)}{topic}")
        lines.append(f"    description: {_text(c['description'], lang)}")
        for key in ("features", "pros", "cons"):
            lines += [f"    {key}: {_text(item, lang)}" for item in c.get(key, [])]
        if "example" in c:
            lines.append(f"    example: {_text(c['example'], lang)}")
    for q in source.get("questions", []):
        lines.append(f"question {q['id']} -> {q['answer'] or '(TODO)'}: {_text(q['question'], lang)}")
        lines.append(f"    explanation: {_text(q['explanation'], lang)}")
    lines += [f"printed: {line}" for line in result.stdout.splitlines()]
    lines += [f"stderr: {line}" for line in result.stderr.splitlines()]
    if "(TODO)" not in "\n".join(lines):
        load_decks([folder / "out.yaml"])
    return "\n".join(lines) + "\n"


def test_the_corpus_holds_every_shape() -> None:
    assert len(SHEETS) >= 40
    assert {p.suffix for p in SHEETS} >= {".md", ".txt", ".csv", ".tsv", ".html"}
    assert all(p.with_suffix(".expected").exists() for p in SHEETS), "every sheet has its expected source"


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_a_sheet_gives_its_expected_source(sheet: Path, tmp_path: Path) -> None:
    got = describe_import(sheet, tmp_path)
    expected = sheet.with_suffix(".expected")
    if os.environ.get("FLASHCARDS_WRITE_EXPECTED") == "1":
        expected.write_text(got, encoding="utf-8")
        pytest.skip(f"wrote {expected.name}: compared on the next run")
    assert got == expected.read_text(encoding="utf-8")
