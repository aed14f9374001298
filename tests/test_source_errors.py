"""Bad input: every problem as path:line:col: key: message, exit status 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import VALID_SOURCE as VALID
from helpers import run_cli


def build_errors(tmp_path: Path, text: str, name: str = "deck.yaml") -> list[str]:
    source = tmp_path / "source"
    source.mkdir(exist_ok=True)
    (source / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()
    return result.stderr.splitlines()


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


CASES = {
    "yaml-syntax": (
        VALID.replace("      en: Distillation\n", "      en: [Distillation\n"),
        [
            "source/deck.yaml:12:16: YAML syntax error: did not find expected ',' or ']' "
            "(a flow sequence that starts on line 11, column 11)"
        ],
    ),
    "misspelled-key": (
        VALID.replace("    description:\n      ja: 大きな", "    decription:\n      ja: 大きな"),
        [
            "source/deck.yaml:8:5: concepts[0]: required key 'description' is missing",
            "source/deck.yaml:12:5: concepts[0].decription: unknown key 'decription'; did you mean 'description'?",
        ],
    ),
    "missing-translation": (
        VALID.replace("      en: Moving a large model's knowledge into a small one.\n", ""),
        ["source/deck.yaml:13:7: concepts[0].description.en: the 'en' text is missing"],
    ),
    "undeclared-language": (
        VALID.replace("      en: Distillation\n", "      en: Distillation\n      fr: Distillation\n"),
        [
            "source/deck.yaml:12:7: concepts[0].name.fr: "
            "'fr' is not a language of this deck (deck.languages: ja, en)"
        ],
    ),
    "empty-text": (
        VALID.replace("      en: Use distillation.", "      en:"),
        ["source/deck.yaml:23:10: questions[0].explanation.en: is empty; write the text"],
    ),
    "blank-text": (
        VALID.replace("      en: Use distillation.", '      en: "  "'),
        ["source/deck.yaml:23:11: questions[0].explanation.en: the text is empty"],
    ),
    "unknown-answer": (
        VALID.replace("    answer: distillation", "    answer: distilation"),
        [
            "source/deck.yaml:20:13: questions[0].answer: no concept has the id 'distilation'; "
            "did you mean 'distillation'?"
        ],
    ),
    "duplicate-id": (
        VALID.replace(
            "questions:\n",
            "  - id: distillation\n"
            "    name: {ja: 蒸留, en: Distillation}\n"
            "    description: {ja: 別の説明。, en: Another description.}\n"
            "questions:\n",
        ),
        [
            "source/deck.yaml:15:9: concepts[1].id: duplicate concept id 'distillation' (first used on line 8)",
            "source/deck.yaml:16:16: concepts[1].name.ja: two concepts have the same text '蒸留' (the other is on line 10)",
            "source/deck.yaml:16:24: concepts[1].name.en: "
            "two concepts have the same text 'Distillation' (the other is on line 11)",
        ],
    ),
    "bad-id": (
        VALID.replace("  - id: smaller-model", "  - id: Smaller Model"),
        [
            "source/deck.yaml:16:9: questions[0].id: 'Smaller Model' is not a valid id: "
            "use lower-case letters, digits and hyphens, like 'smaller-model'"
        ],
    ),
    "list-instead-of-text": (
        VALID.replace("      ja: 蒸留を用いる。", "      ja:\n        - 蒸留を用いる。"),
        ["source/deck.yaml:23:9: questions[0].explanation.ja: expected text, found a list"],
    ),
    "text-instead-of-translations": (
        VALID.replace("    name:\n      ja: 蒸留\n      en: Distillation\n", "    name: 蒸留\n"),
        [
            "source/deck.yaml:9:11: concepts[0].name: expected the text in each language "
            "('ja: …', 'en: …' on their own lines), found text"
        ],
    ),
    "same-deck-name-in-both-languages": (
        VALID.replace("    en: Tiny deck", "    en: 小さなデッキ"),
        [
            "source/deck.yaml:6:9: deck.name.en: the deck name is the same in 'ja' and 'en'; "
            "give each language its own name, or Anki merges both decks into one"
        ],
    ),
    "duplicate-key": (
        VALID.replace("  id: tiny\n", "  id: tiny\n  id: tiny2\n"),
        ["source/deck.yaml:3:3: deck.id: duplicate key 'id' (first given on line 2)"],
    ),
    "alias": (
        VALID.replace("      ja: 蒸留\n", "      ja: &n 蒸留\n").replace(
            "      ja: 蒸留を用いる。", "      ja: *n"
        ),
        ["source/deck.yaml:22:11: YAML aliases (*name) are not supported; write the text out"],
    ),
    "empty-file": ("\n\n", ["source/deck.yaml:1:1: the file is empty; a deck needs a 'deck:' section"]),
    "not-a-mapping": (
        "- a\n- b\n",
        ["source/deck.yaml:1:1: a source file is a mapping with the keys 'deck', 'concepts' and 'questions'"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_source_is_reported_exactly(tmp_path: Path, case: str) -> None:
    text, expected = CASES[case]
    assert build_errors(tmp_path, text) == expected


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
    assert (result.exit_code, result.stderr) == (1, "nowhere.yaml:1:1: no such file or folder\n")
    result = run_cli(["build", "--bogus"], tmp_path)
    assert result.exit_code == 2
    assert "No such option '--bogus'" in result.stderr
