"""Bad input: every problem as path:line:col: key: message (path: message for one about a whole file), exit
status 1, nothing written. Each mistake in one source is a case of the corpus, tests/corpus/errors."""

from __future__ import annotations

from pathlib import Path

from helpers import VALID_SOURCE as VALID
from helpers import run_cli


def test_the_valid_example_builds(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "deck.yaml").write_text(VALID, encoding="utf-8")
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "dist/tiny.ja.apkg: 小さなデッキ (2 notes, 3 cards)",
        "  since the last build: 2 new",
        "dist/tiny.en.apkg: Tiny deck (2 notes, 3 cards)",
        "  since the last build: 2 new",
    ]


# Every mistake with its exact messages is a case of the corpus, tests/corpus/errors (see test_check.py).


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    text = VALID.encode("utf-8").replace("蒸留を用いる".encode(), "蒸留を用いる".encode("shift_jis"))
    source = tmp_path / "source"
    source.mkdir()
    (source / "deck.yaml").write_bytes(text)
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "source/deck.yaml:22:11: the file is not UTF-8 text; save it as UTF-8"
    ]


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "a.yaml").write_text(VALID.replace("answer: distillation", "answer: nothing"), encoding="utf-8")
    (source / "b.yaml").write_text(
        VALID.replace("Tiny deck", "Other deck").replace("小さな", "別の"), "utf-8"
    )
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "source/a.yaml:20:13: questions[0].answer: no concept has the id 'nothing'",
        "source/b.yaml:2:7: deck.id: deck id 'tiny' is already used by source/a.yaml; every deck needs its own id",
    ]


def test_a_failed_build_leaves_the_previous_package_untouched(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "deck.yaml").write_text(VALID, encoding="utf-8")
    assert run_cli(["build"], tmp_path).exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "dist").iterdir()}
    (source / "deck.yaml").write_text(VALID.replace("answer: distillation", "answer: nothing"), "utf-8")
    assert run_cli(["build"], tmp_path).exit_code == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "dist").iterdir()} == before


def test_a_missing_source_is_an_error_and_wrong_usage_is_status_2(tmp_path: Path) -> None:
    result = run_cli(["build", "nowhere.yaml"], tmp_path)
    # A problem about a whole file has no line and no column.
    assert (result.exit_code, result.stderr) == (1, "nowhere.yaml: no such file or folder\n")
    result = run_cli(["build", "--bogus"], tmp_path)
    assert result.exit_code == 2
    assert "No such option '--bogus'" in result.stderr
