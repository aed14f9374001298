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

from flashcards.schema import schema_json, source_schema

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
    "empty-list",
    "entry-is-text",
    "item-without-languages",
    "items-not-a-list",
    "missing-deck",
    "missing-deck-id",
    "missing-languages",
    "not-a-mapping",
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
        "source/deck.yaml:8:9: concepts[0].id: warning: no question recommends 'pruning'",
        "source/deck.yaml:17:11: concepts[1].description.en: warning: the 'en' text is the same as the 'ja' "
        "text: is it translated?",
        "source/deck.yaml:26:11: questions[0].explanation.en: warning: this text has 531 characters (more than "
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
    assert [(f["line"], f["severity"]) for f in report["findings"]] == [
        (8, "warning"),
        (17, "warning"),
        (26, "warning"),
    ]


def test_a_byte_order_mark_is_fine_and_text_is_nfc_with_widths_kept(tmp_path: Path) -> None:
    decomposed = "カ\u3099ス"  # ガス written with a combining voiced mark
    source = VALID.replace("      ja: 蒸留\n", f"      ja: 蒸留{decomposed}ＡＢＣ\n")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "deck.yaml").write_bytes(b"\xef\xbb\xbf" + source.encode("utf-8"))
    assert run_cli(["check"], tmp_path).exit_code == 0
    from flashcards.parser import load_decks

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
