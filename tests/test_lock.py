"""The lock file reads back exactly what the build wrote, quickly when it is as written, and a damaged lock
is reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards import lock
from flashcards.errors import SourceError
from flashcards.lock import Lock, NoteKey, NoteRecord, NoteTypeKey, NoteTypeRecord

from helpers import copy_project, run_cli

WRITTEN = Lock(
    notes={
        NoteKey("ja", "concept", "distillation"): NoteRecord("0123456789abcdef", 1_700_000_000),
        NoteKey("en", "concept", "distillation"): NoteRecord(
            "fedcba9876543210", 1_700_000_100, topic="Models"
        ),
        NoteKey("en", "question", "its-name"): NoteRecord(
            "00000000ffffffff", 1_700_000_000, topic="It's::ここ"
        ),
        NoteKey("ja", "question", "gone"): NoteRecord("1111111111111111", 1_700_000_200, removed=True),
    },
    note_types={
        NoteTypeKey("ja", "concept"): NoteTypeRecord(
            1_234_567, ("Name", "Description"), ("NameToDescription",), "abcdefabcdefabcd", 1_700_000_000, 2
        )
    },
)


def read_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """The lock read by the quick line reader (falling back as it decides), then by YAML alone."""

    def read() -> object:
        try:
            return lock.read_lock(path)
        except SourceError as error:
            return error.messages()

    quick = read()
    with monkeypatch.context() as patch:
        patch.setattr(lock, "_quick_lock", lambda path: None)
        exact = read()
    return quick, exact


def test_a_lock_reads_back_as_written_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "deck.lock.yaml"
    path.write_text(lock.format_lock(WRITTEN, "deck.yaml"), encoding="utf-8")
    assert lock._quick_lock(path) == WRITTEN
    quick, exact = read_both_ways(path, monkeypatch)
    assert quick == exact == WRITTEN


EDITS = {
    "no line break at the end": ("removed: true}\n", "removed: true}", None),
    "a damaged last line": ("mod: 1700000200, removed: true}", "mod: 17000x0200, removed: true}", 12),
    "a line given twice": (
        "notes:\n",
        "notes:\n  ja concept distillation: {hash: '0123456789abcdef', mod: 1}\n",
        12,
    ),
    "a control character in a topic": ("topic: 'Models'", "topic: 'Mod\x85els'", None),
    "a comment after a line": ("mod: 1700000000}\n", "mod: 1700000000}  # checked\n", None),
}


@pytest.mark.parametrize(("old", "new", "damaged_line"), EDITS.values(), ids=EDITS.keys())
def test_a_lock_not_as_written_is_read_as_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, damaged_line: int | None
) -> None:
    path = tmp_path / "deck.lock.yaml"
    path.write_text(lock.format_lock(WRITTEN, "deck.yaml"), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert lock._quick_lock(path) is None
    quick, exact = read_both_ways(path, monkeypatch)
    assert quick == exact
    if damaged_line is None:
        assert isinstance(quick, Lock)
    else:
        assert isinstance(quick, list)
        assert quick[0].startswith(f"{path}:{damaged_line}:")


def test_a_damaged_lock_stops_the_build_with_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert run_cli(["build"], project).exit_code == 0
    path = project / "source" / "ml-techniques.lock.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index(next(x for x in text.splitlines() if "ja concept fine-tuning" in x)) + 1
    path.write_text(text.replace("ja concept fine-tuning: {hash: '", "ja concept fine-tuning: {hash: 'x"))
    packages = {p.name: p.read_bytes() for p in (project / "dist").iterdir()}
    result = run_cli(["build"], project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"source/ml-techniques.lock.yaml:{line}:27: notes.ja concept fine-tuning: this line is damaged; restore "
        "ml-techniques.lock.yaml from version control, or delete it (the next import then updates every note)\n"
    )
    assert {p.name: p.read_bytes() for p in (project / "dist").iterdir()} == packages


LOCK_PIECES = st.sampled_from(
    [
        "version: 1\n",
        "notes:\n",
        "note-types:\n",
        "  ",
        "ja",
        " ",
        "concept",
        "cloze",
        "distillation",
        ": ",
        "{",
        "}",
        "hash: ",
        "'0123456789abcdef'",
        "mod: ",
        "9" * 30,
        "-1",
        "1700000000",
        ", ",
        "removed: true",
        "topic: ",
        "'x'",
        "id: ",
        "fields: [Name]",
        "templates: [A]",
        "revision: ",
        "[",
        "]",
        "\n",
        "#",
        "\x00",
        "é",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(LOCK_PIECES, max_size=40))
def test_any_lock_file_is_read_or_reported_with_a_position(tmp_path: Path, pieces: list[str]) -> None:
    path = tmp_path / "deck.lock.yaml"
    path.write_text("".join(pieces), encoding="utf-8")
    try:
        read = lock.read_lock(path)
    except SourceError as error:
        for problem in error.problems:
            assert problem.path == str(path)
            # A problem about the whole file has no position; any other has both.
            assert (problem.line, problem.column) == (None, None) or (problem.line or 0) >= 1 <= (
                problem.column or 0
            )
        return
    for record in read.notes.values():
        assert 0 <= record.mod <= lock.MAX_MOD
    for note_type in read.note_types.values():
        assert 0 <= note_type.mod <= lock.MAX_MOD
        assert 0 <= note_type.id <= lock.MAX_ID
