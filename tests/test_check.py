"""`flashcards check` and the validation every build runs first: a corpus of learners' mistakes, each with
its exact message, line and column; warnings; the JSON report; the JSON Schema."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from flashcards.errors import Problem, Severity
from flashcards.lint import build_lines
from flashcards.schema import schema_json, source_schema
from flashcards.source.format import key_list

from helpers import BUNDLED_SOURCE, REPO, run_cli, write_tree
from helpers import VALID_SOURCE as VALID

CORPUS = Path(__file__).parent / "corpus" / "errors"
CASES = sorted(p.stem for p in CORPUS.glob("*.yaml"))

#: Corpus cases about the shape of the file (keys, nesting, value types), which the JSON Schema must reject too.
SHAPE_CASES = {
    "answer-is-a-list",
    "concepts-not-a-list",
    "deck-is-text",
    "deck-name-not-localized",
    "dollar-math-empty",
    "empty-list",
    "entry-is-text",
    "item-without-languages",
    "items-not-a-list",
    "missing-deck",
    "missing-deck-id",
    "missing-languages",
    "not-a-mapping",
    "question-options-list-in-list",
    "text-is-a-list",
    "text-without-languages",
    "unknown-key-typo",
    "unknown-top-level-key",
}


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert all((CORPUS / f"{case}.expected").is_file() for case in CASES)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A project whose last build succeeded: dist/ and the lock file hold the previous deck."""
    write_tree(tmp_path, {"source/deck.yaml": VALID})
    assert run_cli(["build"], tmp_path).exit_code == 0
    return tmp_path


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(project)): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and p.name != "deck.yaml"
    }


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_is_reported_exactly_and_nothing_is_written(built: Path, case: str) -> None:
    expected = (CORPUS / f"{case}.expected").read_text(encoding="utf-8")
    before = snapshot(built)
    shutil.copy(CORPUS / f"{case}.yaml", built / "source" / "deck.yaml")

    checked = run_cli(["check"], built)
    assert (checked.exit_code, checked.stdout, checked.stderr) == (1, "", expected)

    result = run_cli(["build"], built)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected)
    assert "Traceback" not in result.stderr
    # The previous packages and lock file are untouched, byte for byte; no partial file is left.
    assert snapshot(built) == before


@pytest.mark.parametrize("case", sorted(SHAPE_CASES))
def test_the_json_schema_rejects_the_shape_mistakes(case: str) -> None:
    data = yaml.safe_load((CORPUS / f"{case}.yaml").read_text(encoding="utf-8"))
    assert not jsonschema.Draft202012Validator(source_schema()).is_valid(data)


def test_the_json_schema_accepts_the_bundled_source_and_is_committed() -> None:
    jsonschema.validate(yaml.safe_load(BUNDLED_SOURCE.read_text(encoding="utf-8")), source_schema())
    committed = json.loads((REPO / "schema" / "source.schema.json").read_text(encoding="utf-8"))
    assert committed == source_schema()
    assert (REPO / "schema" / "source.schema.json").read_text(encoding="utf-8") == schema_json()
    first_line = BUNDLED_SOURCE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/source.schema.json"
    result = run_cli(["schema"], REPO)
    assert json.loads(result.stdout) == committed


def test_a_clean_source_checks_clean(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/deck.yaml": VALID})
    result = run_cli(["check"], tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "no problems found\n", "")
    assert not (tmp_path / "dist").exists()
    assert sorted(p.name for p in (tmp_path / "source").iterdir()) == ["deck.yaml"]


def warnings_source() -> str:
    """The valid example with an untranslated copy, a very long explanation and a concept no question uses."""
    text = VALID.replace(
        "      en: Moving a large model's knowledge into a small one.",
        "      en: 大きなモデルの知識を小さなモデルに移すこと。",
    )
    text = text.replace(
        "      en: Use distillation.", "      en: " + "Use distillation because it is small. " * 14
    )
    return text.replace(
        "concepts:\n",
        "concepts:\n"
        "  - id: pruning\n"
        "    name: {ja: 枝刈り, en: Pruning}\n"
        "    description: {ja: 重みを減らすこと。, en: Removing weights.}\n",
    )


WARNINGS_SOURCE = warnings_source()


def test_warnings_are_listed_after_errors_and_fail_only_with_strict(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/deck.yaml": WARNINGS_SOURCE})
    expected = [
        "source/deck.yaml:8: concepts[0].id: warning: no question recommends 'pruning'",
        "source/deck.yaml:11: concepts[1].description.en: warning: the 'en' text is the same as the 'ja' "
        "text: is it translated?",
        "source/deck.yaml:19: questions[0].explanation.en: warning: this text has 531 characters (more than "
        "500): a card should hold one idea; consider splitting it",
    ]
    result = run_cli(["check"], tmp_path)
    assert (result.exit_code, result.stderr.splitlines()) == (0, expected)
    strict = run_cli(["check", "--strict"], tmp_path)
    assert (strict.exit_code, strict.stderr.splitlines()) == (1, expected)
    # build shows the same warnings and still builds.
    built = run_cli(["build"], tmp_path)
    assert (built.exit_code, built.stderr.splitlines()) == (0, expected)


def test_errors_come_before_warnings_and_json_reports_both(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "source/deck.yaml": WARNINGS_SOURCE,
            "other/deck.yaml": VALID.replace("tiny", "other")
            .replace("answer: distillation", "answer: nothing")
            .replace("デッキ", "デッキ2")
            .replace("Tiny", "Other"),
        },
    )
    result = run_cli(["check", "source", "other", "--format", "json"], tmp_path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["errors"], report["warnings"]) == (1, 0)
    assert report["findings"] == [
        {
            "path": "other/deck.yaml",
            "line": 20,
            "column": 13,
            "key": "questions[0].answer",
            "severity": "error",
            "message": "no concept has the id 'nothing'",
        }
    ]
    result = run_cli(["check", "source", "--format", "json"], tmp_path)
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    # A warning is placed at the line of the entry it is about (its key says where in the entry).
    assert [(f["line"], f["column"], f["key"], f["severity"]) for f in report["findings"]] == [
        (8, None, "concepts[0].id", "warning"),
        (11, None, "concepts[1].description.en", "warning"),
        (19, None, "questions[0].explanation.en", "warning"),
    ]


def test_a_byte_order_mark_is_fine_and_text_is_nfc_with_widths_kept(tmp_path: Path) -> None:
    decomposed = "カ\u3099ス"  # ガス written with a combining voiced mark
    source = VALID.replace("      ja: 蒸留\n", f"      ja: 蒸留{decomposed}ＡＢＣ\n")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "deck.yaml").write_bytes(b"\xef\xbb\xbf" + source.encode("utf-8"))
    assert run_cli(["check"], tmp_path).exit_code == 0
    from flashcards.source.validate import load_decks

    (deck,) = load_decks([tmp_path / "source"])
    assert deck.concepts[0].name["ja"] == "蒸留ガスＡＢＣ"


def test_a_build_leaves_no_temporary_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    write_tree(tmp_path, {"source/deck.yaml": VALID})
    assert run_cli(["build"], tmp_path).exit_code == 0
    assert list(temp.iterdir()) == []
    assert sorted(os.listdir(tmp_path / "dist")) == ["tiny.en.apkg", "tiny.ja.apkg"]


def many_unused_concepts(count: int) -> str:
    """The valid example with ``count`` more concepts, one per three lines from line 8, that no question uses."""
    names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]
    extra = "".join(
        f"  - id: extra-{n}\n    name: {{ja: 概念{n}, en: {names[n - 1]}}}\n"
        f"    description: {{ja: {n}番目の説明。, en: The description of idea {n}.}}\n"
        for n in range(1, count + 1)
    )
    return VALID.replace("concepts:\n", "concepts:\n" + extra)


def test_a_warning_said_of_many_entries_is_said_once_by_build_and_listed_by_check(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/deck.yaml": many_unused_concepts(5)})
    built = run_cli(["build"], tmp_path)
    assert built.exit_code == 0
    assert built.stderr.splitlines() == [
        "source/deck.yaml: warning: 5 concepts that no question recommends, on lines 8, 11, 14 and 2 more "
        "('flashcards check' lists them)"
    ]
    checked = run_cli(["check"], tmp_path)
    assert checked.stderr.splitlines() == [
        f"source/deck.yaml:{line}: concepts[{n - 1}].id: warning: no question recommends 'extra-{n}'"
        for n, line in zip(range(1, 6), (8, 11, 14, 17, 20), strict=True)
    ]
    report = json.loads(run_cli(["check", "--format", "json"], tmp_path).stdout)
    assert report["warnings"] == 5
    assert [(f["line"], f["column"], f["message"]) for f in report["findings"]] == [
        (line, None, f"no question recommends 'extra-{n}'")
        for n, line in zip(range(1, 6), (8, 11, 14, 17, 20), strict=True)
    ]


def test_a_large_count_of_masked_fronts_is_written_with_thousands_separators() -> None:
    masked = [
        Problem("source/big.yaml", 8 + 3 * n, None, "the front shows [...]", severity=Severity.NOTE)
        for n in range(1234)
    ]
    assert build_lines(masked) == [
        "source/big.yaml: 1,234 fronts show a gap in place of the answer each asks for "
        "('flashcards check' lists them)"
    ]


def test_a_few_warnings_of_a_kind_are_each_said_by_build(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/deck.yaml": many_unused_concepts(3)})
    built = run_cli(["build"], tmp_path)
    assert built.stderr.splitlines() == [
        f"source/deck.yaml:{line}: concepts[{n - 1}].id: warning: no question recommends 'extra-{n}'"
        for n, line in zip(range(1, 4), (8, 11, 14), strict=True)
    ]


def test_a_problem_about_a_whole_file_has_no_line_in_text_or_json(tmp_path: Path) -> None:
    result = run_cli(["check", "nowhere.yaml"], tmp_path)
    assert (result.exit_code, result.stderr) == (1, "nowhere.yaml: no such file or folder\n")
    report = json.loads(run_cli(["check", "nowhere.yaml", "--format", "json"], tmp_path).stdout)
    assert report["findings"] == [
        {
            "path": "nowhere.yaml",
            "line": None,
            "column": None,
            "key": "",
            "severity": "error",
            "message": "no such file or folder",
        }
    ]


@pytest.mark.parametrize("spelling", ["true", "True", "TRUE"])
def test_true_is_written_as_yaml_writes_it(tmp_path: Path, spelling: str) -> None:
    card = "cards:\n  - id: capital\n    front: {ja: 首都, en: Capital}\n    back: {ja: 東京, en: Tokyo}\n"
    write_tree(tmp_path, {"source/deck.yaml": VALID + card + f"    reverse: {spelling}\n"})
    built = run_cli(["build"], tmp_path)
    # The reverse card is made: the card of one's own asks both ways (5 cards, not 4).
    assert (built.exit_code, built.stdout.splitlines()[0]) == (
        0,
        "dist/tiny.ja.apkg: 小さなデッキ (3 notes, 5 cards)",
    )


@pytest.mark.parametrize("spelling", ["yes", "on", "1", "tru", "'true '"])
def test_a_yes_or_no_key_takes_only_true_or_false(tmp_path: Path, spelling: str) -> None:
    card = "cards:\n  - id: capital\n    front: {ja: 首都, en: Capital}\n    back: {ja: 東京, en: Tokyo}\n"
    write_tree(tmp_path, {"source/deck.yaml": VALID + card + f"    reverse: {spelling}\n"})
    result = run_cli(["check"], tmp_path)
    written = spelling.strip("'")
    assert (result.exit_code, result.stderr) == (
        1,
        f"source/deck.yaml:28:14: cards[0].reverse: expected true or false, found '{written}'\n",
    )


def test_the_readme_lists_every_key_of_the_format() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- keys: written from flashcards/source/format.py -->\n")
    end = readme.index("<!-- end of keys -->")
    listed = readme[start:end].split("\n", 1)[1].rstrip("\n")
    assert listed == key_list()
    for key in ("deck", "concepts", "questions", "cards", "dollar-math", "answer-note", "reverse", "cloze"):
        assert f"`{key}`" in listed


def test_warnings_are_placed_without_reading_the_source_again(tmp_path: Path) -> None:
    from flashcards import lint
    from flashcards.source.validate import load_decks

    source = tmp_path / "source" / "deck.yaml"
    write_tree(tmp_path, {"source/deck.yaml": many_unused_concepts(2)})
    (deck,) = load_decks([source], tmp_path)
    source.unlink()  # the checked deck knows where its entries are
    assert [p.format() for p in lint.warnings(deck)] == [
        f"{source}:8: concepts[0].id: warning: no question recommends 'extra-1'",
        f"{source}:11: concepts[1].id: warning: no question recommends 'extra-2'",
    ]
