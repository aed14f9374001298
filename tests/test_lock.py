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


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def read(path: Path) -> Lock | list[str]:
    try:
        return lock.read_lock(path)
    except SourceError as error:
        return error.messages()


def test_a_lock_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "deck.lock.yaml"
    write(path, lock.format_lock(WRITTEN, "deck.yaml"))
    assert lock.read_lock(path) == WRITTEN


TEXT = lock.format_lock(WRITTEN, "deck.yaml")
BROKEN = (
    "; restore deck.lock.yaml from version control, or delete it (the next import then updates every note)"
)
MERGED = "a merge left its conflict marker here; delete deck.lock.yaml and build again (the next import then updates every note)"
_LINES = TEXT.splitlines(keepends=True)
#: The lock as an editor that knows YAML might rewrite it: block mappings, double quotes, four spaces.
REFORMATTED = (
    "version: '1'\nnote-types:\n    ja concept:\n        id: 1234567\n        revision: 2\n        mod: 1700000000\n"
    '        hash: "abcdefabcdefabcd"\n        fields:\n            - Name\n            - Description\n'
    "        templates: [NameToDescription]\n"
    "notes:\n"
    "    en concept distillation: {hash: fedcba9876543210, mod: 1700000100, topic: Models}\n"
    '    "en question its-name": {hash: "00000000ffffffff", mod: 1700000000, topic: "It\'s::ここ"}\n'
    "    ja concept distillation:\n        hash: '0123456789abcdef'\n        mod: 1700000000\n"
    "    ja question gone: {hash: '1111111111111111', mod: 1700000200, removed: true, topic: ''}\n"
)

#: Locks as they are found in projects: each read as it was written, or refused where it is damaged.
WILD = {
    "no line break at the end": (TEXT.rstrip("\n"), WRITTEN),
    "Windows line ends": (TEXT.replace("\n", "\r\n"), WRITTEN),
    "a byte-order mark": ("\ufeff" + TEXT, WRITTEN),
    "a comment after a line": (TEXT.replace("mod: 1700000000}\n", "mod: 1700000000}  # checked\n"), WRITTEN),
    "reformatted by an editor": (REFORMATTED, WRITTEN),
    "a hash of digits unquoted by hand": (
        TEXT.replace("'0123456789abcdef'", "0123456789012345").replace(
            "'1111111111111111'", "1111111111111111"
        ),
        Lock(
            notes={
                **WRITTEN.notes,
                NoteKey("ja", "concept", "distillation"): NoteRecord("0123456789012345", 1_700_000_000),
                NoteKey("ja", "question", "gone"): NoteRecord(
                    "1111111111111111", 1_700_000_200, removed=True
                ),
            },
            note_types=WRITTEN.note_types,
        ),
    ),
    "a git merge-conflict marker": (
        "".join(_LINES[:9])
        + "<<<<<<< HEAD\n"
        + _LINES[9]
        + "=======\n"
        + _LINES[9].replace("1700000000", "1700000999")
        + ">>>>>>> other-branch\n"
        + "".join(_LINES[10:]),
        [f"{{path}}:{line}:1: {MERGED}" for line in (10, 12, 14)],
    ),
    "an empty file": ("", [f"{{path}}: the lock file is empty{BROKEN}"]),
    "blank lines alone": ("\n\n  \n", [f"{{path}}: the lock file is empty{BROKEN}"]),
    "truncated after its header": (
        TEXT[: TEXT.index("version")],
        [f"{{path}}: the lock file is empty{BROKEN}"],
    ),
    "truncated in a line": (
        TEXT[: TEXT.index(", mod: 1700000200")],
        [
            "{path}:13:1: YAML syntax error: did not find expected ',' or '}' "
            "(a flow mapping that starts on line 12, column 21)"
        ],
    ),
    "a damaged last line": (
        TEXT.replace("mod: 1700000200, removed: true}", "mod: 17000x0200, removed: true}"),
        [f"{{path}}:12:21: notes.ja question gone: this line is damaged{BROKEN}"],
    ),
    "a line given twice": (
        TEXT.replace("notes:\n", "notes:\n  ja concept distillation: {hash: '0123456789abcdef', mod: 1}\n"),
        [
            "{path}:12:3: notes.ja concept distillation: duplicate key 'ja concept distillation' (first given on line 9)"
        ],
    ),
    "a time too large": (
        TEXT.replace("mod: 1700000200", "mod: " + "9" * 30),
        [f"{{path}}:12:21: notes.ja question gone: this line is damaged{BROKEN}"],
    ),
    "a negative time, an unknown field and a word for true": (
        TEXT.replace("mod: 1700000200", "mod: -1")
        .replace("removed: true}", "removed: yes}")
        .replace("'Models'}", "'Models', colour: red}"),
        [
            f"{{path}}:9:28: notes.en concept distillation: this line is damaged{BROKEN}",
            f"{{path}}:12:21: notes.ja question gone: this line is damaged{BROKEN}",
        ],
    ),
    "a section that is not lines": (
        TEXT.replace("note-types:\n", "note-types: none\nextra:\n").replace(_LINES[6], ""),
        [
            f"{{path}}:6:13: note-types: expected one 'key: {{…}}' line each{BROKEN}",
            f"{{path}}:7:1: extra: unknown section 'extra'{BROKEN}",
        ],
    ),
    "another version": (
        TEXT.replace("version: 1", "version: 2"),
        [f"{{path}}:5:1: expected 'version: 1'{BROKEN}"],
    ),
    "a list instead": ("- version: 1\n", [f"{{path}}:1:1: expected 'version: 1'{BROKEN}"]),
    "a control character": (
        TEXT.replace("topic: 'Models'", "topic: 'Mod\x01els'"),
        ["{path}:9:83: the text has a control character (U+0001) that YAML does not allow; remove it"],
    ),
}


@pytest.mark.parametrize(("text", "expected"), WILD.values(), ids=WILD.keys())
def test_a_lock_from_the_wild_is_read_as_written_or_refused_with_its_line(
    tmp_path: Path, text: str, expected: Lock | list[str]
) -> None:
    path = tmp_path / "deck.lock.yaml"
    write(path, text)
    if isinstance(expected, list):
        expected = [message.replace("{path}", str(path)) for message in expected]
    assert read(path) == expected


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
