"""Files and folders that are not what a build expects: a damaged or odd lock file, two sources sharing one,
a pipe where a file should be, a full disk, a huge picture. Each gives a message with its position, at
once, and leaves everything as it was."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from helpers import VALID_SOURCE, run_cli, write_tree

LOCK = Path("source") / "ml-techniques.lock.yaml"


def files(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}


def failed_build(project: Path, *args: str) -> list[str]:
    result = run_cli(["build", *args], project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


@pytest.fixture
def built(project: Path) -> Path:
    assert run_cli(["build"], project).exit_code == 0
    return project


# --- the lock file ---------------------------------------------------------------------------------


def edit_lock(project: Path, old: str, new: str) -> None:
    path = project / LOCK
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("mod", ["9" * 400, "99999999999999999999", "-1"])
def test_a_huge_time_in_a_note_line_of_the_lock_is_a_damaged_line(built: Path, mod: str) -> None:
    text = (built / LOCK).read_text(encoding="utf-8")
    line_number, line = next(
        (i, line) for i, line in enumerate(text.splitlines(), 1) if "en concept distillation" in line
    )
    edit_lock(built, line, line.split(", mod: ")[0] + f", mod: {mod}}}")
    before = files(built)
    assert failed_build(built) == [
        f"source/ml-techniques.lock.yaml:{line_number}:{line.index('{') + 1}: notes.en concept distillation: this line is damaged; "
        "restore ml-techniques.lock.yaml from version control, or delete it (the next import then updates every note)"
    ]
    assert files(built) == before


def test_a_huge_time_in_a_note_type_line_of_the_lock_is_a_damaged_line(built: Path) -> None:
    text = (built / LOCK).read_text(encoding="utf-8")
    line_number, line = next(
        (i, line) for i, line in enumerate(text.splitlines(), 1) if line.startswith("  en concept:")
    )
    mod = line.split("mod: ")[1].split(",")[0]
    edit_lock(built, line, line.replace(f"mod: {mod},", "mod: " + "9" * 30 + ","))
    assert failed_build(built) == [
        f"source/ml-techniques.lock.yaml:{line_number}:{line.index('{') + 1}: note-types.en concept: this line is damaged; "
        "restore ml-techniques.lock.yaml from version control, or delete it (the next import then updates every note)"
    ]


def test_a_removed_note_whose_note_type_line_is_missing_still_becomes_a_tombstone(tmp_path: Path) -> None:
    source = VALID_SOURCE + (
        "cards:\n  - id: softmax\n    cloze:\n      ja: ソフトマックスは[[確率]]を返す。\n"
        "      en: Softmax returns [[probabilities]].\n"
    )
    write_tree(tmp_path, {"source/deck.yaml": source})
    assert run_cli(["build"], tmp_path).exit_code == 0
    (tmp_path / "source" / "deck.yaml").write_text(VALID_SOURCE, encoding="utf-8")
    lock = tmp_path / "source" / "deck.lock.yaml"
    kept = [
        line for line in lock.read_text(encoding="utf-8").splitlines() if not line.startswith("  en cloze:")
    ]
    lock.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "  removed: cloze softmax" in result.stdout.splitlines()


def test_an_empty_lock_file_is_reported_as_a_lock_file(built: Path) -> None:
    (built / LOCK).write_bytes(b"")
    assert failed_build(built) == [
        "source/ml-techniques.lock.yaml: the lock file is empty; restore ml-techniques.lock.yaml from "
        "version control, or delete it (the next import then updates every note)"
    ]


def test_a_lock_file_that_is_a_pipe_is_refused_at_once(built: Path) -> None:
    (built / LOCK).unlink()
    os.mkfifo(built / LOCK)
    # Run in a process of its own: reading a pipe would wait for ever.
    result = subprocess.run(
        [sys.executable, "-m", "flashcards", "build"],
        cwd=built,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "source/ml-techniques.lock.yaml: is not a file that flashcards build wrote (a folder, a pipe or "
        "a device): remove it\n"
    )


def test_a_lock_file_named_as_a_source_is_refused(built: Path) -> None:
    assert failed_build(built, str(LOCK)) == [
        "source/ml-techniques.lock.yaml: is a lock file, which flashcards build writes beside a source: "
        "name the source instead"
    ]


# --- sources ---------------------------------------------------------------------------------------


def test_two_sources_that_would_share_a_lock_file_are_refused(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"source/deck.yaml": VALID_SOURCE, "source/deck.yml": VALID_SOURCE.replace("id: tiny", "id: other")},
    )
    before = files(tmp_path)
    assert failed_build(tmp_path) == [
        "source/deck.yml: source/deck.yaml has the same name: both would keep their lock file in "
        "source/deck.lock.yaml; rename one of them"
    ]
    assert files(tmp_path) == before


def test_a_source_that_is_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "deck.yaml")
    assert failed_build(tmp_path, "deck.yaml") == [
        "deck.yaml: is not a file or a folder of YAML sources (a pipe, a device or a broken link?)"
    ]


def test_a_very_long_id_is_refused_with_its_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/deck.yaml": VALID_SOURCE.replace("id: tiny", "id: " + "1" * 400)})
    assert failed_build(tmp_path) == [
        "source/deck.yaml:2:7: deck.id: the id has 400 characters; an id may have at most 100"
    ]


def test_an_answer_ending_in_a_line_break_is_shown_on_one_line(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {"source/deck.yaml": VALID_SOURCE.replace("answer: distillation", 'answer: "distilation\\n"')},
    )
    assert failed_build(tmp_path) == [
        "source/deck.yaml:20:13: questions[0].answer: no concept has the id 'distilation\\n'; "
        "did you mean 'distillation'?"
    ]


# --- media -----------------------------------------------------------------------------------------


def test_a_media_file_larger_than_anki_syncs_is_refused(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"source/deck.yaml": VALID_SOURCE.replace("small one.", "small one. ![map](big.png)")}
    )
    with (tmp_path / "source" / "big.png").open("wb") as big:
        big.truncate(100 * 1024 * 1024 + 1)  # sparse: no disk space, no memory
    assert failed_build(tmp_path) == [
        "source/deck.yaml:14:11: concepts[0].description.en: 'big.png' has 100 MB; a media file may have "
        "at most 100 MB, the most Anki syncs: make it smaller"
    ]


def test_a_media_file_that_is_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"source/deck.yaml": VALID_SOURCE.replace("small one.", "small one. ![map](map.png)")}
    )
    os.mkfifo(tmp_path / "source" / "map.png")
    assert failed_build(tmp_path) == [
        "source/deck.yaml:14:11: concepts[0].description.en: 'map.png' is not a file (looked at source/map.png)"
    ]


# --- full disks and read-only folders --------------------------------------------------------------


def test_a_full_temporary_folder_is_named_and_nothing_changes(built: Path, tmp_path: Path) -> None:
    (built / "tmp").mkdir()
    # The build may write 20 kB per file: the temporary database is the first to hit it.
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "from flashcards.cli import main\n"
        "sys.argv = ['flashcards', 'build']\n"
        "main()\n"
    )
    source = built / "source" / "ml-techniques.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Transferring the knowledge", "Passing the knowledge"),
        encoding="utf-8",
    )
    before = files(built)
    env = {**os.environ, "TMPDIR": str(built / "tmp")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=built,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(
        f"{built / 'tmp'}: cannot write the temporary database of dist/ml-techniques."
    )
    assert result.stderr.endswith(
        "(free some space there, or set TMPDIR to another folder); nothing was changed\n"
    )
    assert files(built) == before
    assert os.listdir(built / "tmp") == []


def test_a_folder_that_cannot_be_written_is_named_as_the_user_knows_it(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = built / "source" / "ml-techniques.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Transferring the knowledge", "Passing the knowledge"),
        encoding="utf-8",
    )
    before = files(built)
    real = tempfile.mkstemp

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        if str(kwargs.get("dir")) == "source":
            raise OSError(errno.EROFS, "Read-only file system", "source/.ml-techniques.lock.yaml.1.x.partial")
        return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert failed_build(built) == ["source/ml-techniques.lock.yaml: Read-only file system"]
    assert files(built) == before
