"""The README tells the truth: its worked example builds and imports, its error example is what the CLI says."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from anki.collection import Collection

from helpers import REPO, answer_cards, import_package, rendered_cards, review_log, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")
ANSWER_NOTE = (
    "These answers are general recommendations for the problem settings given. When you actually build a "
    "model, choose the best technique by weighing the nature of the data, the requirements of the task, the "
    "resources available and so on. Combining several techniques can sometimes improve performance further."
)


def code_block_after(marker: str) -> str:
    """The first fenced code block after the sentence containing ``marker``."""
    start = README.index(marker)
    match = re.search(r"```[a-z]*\n(.*?)```", README[start:], flags=re.DOTALL)
    assert match is not None
    return match.group(1)


def test_the_worked_example_adds_a_concept_and_a_question(project: Path, collection: Collection) -> None:
    assert run_cli(["build"], project).exit_code == 0
    for lang in ("ja", "en"):
        import_package(collection, project / "dist" / f"ml-techniques.{lang}.apkg")
    answer_cards(collection, sorted(collection.find_cards("card:NameToDescription"))[:4])
    history = review_log(collection)

    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    concept = code_block_after("append this to the `concepts:` list")
    question = code_block_after("and a question that recommends it")
    text = text.replace("\nquestions:\n", "\n" + concept + "\nquestions:\n") + "\n" + question
    source.write_text(text, encoding="utf-8")
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr

    for lang in ("ja", "en"):
        summary = import_package(collection, project / "dist" / f"ml-techniques.{lang}.apkg")
        # The concept, its three items, and the question; the other questions gain
        # the new concept among their options, and distillation's pro that pruning shares is answered
        # with both now (one item card for the two).
        assert (summary.new, summary.updated, summary.conflicting) == (5, 6, 0)
    assert review_log(collection) == history
    pruning = rendered_cards(collection, '"Name:Pruning" or (card:ItemToConcept "Concepts:*Pruning*")')
    assert sorted(c.template for c in pruning) == sorted(
        [
            "NameToDescription",
            "DescriptionToName",
            "ExampleToName",
            "ItemToConcept",
            "ItemToConcept",
            "ItemToConcept",
            "ConceptToItem",
            "ConceptToItem",
            "ConceptToItem",
        ]
    )
    (card,) = rendered_cards(collection, '"Question:You want to make a trained image classifier*"')
    assert card.answer.split("\n") == [
        "Fine-tuning, Transfer Learning and Distillation",
        "Question",
        "You want to make a trained image classifier as small as possible without retraining it. "
        "Which technique should you use?",
        "Options",
        "Fine-tuning",
        "Transfer learning",
        "Knowledge distillation",
        "Pruning",
        "Answer",
        "Pruning",
        "Explanation",
        "Use pruning. Removing the weights of low importance makes the model smaller.",
        ANSWER_NOTE,
    ]


def test_the_error_example_is_what_the_cli_prints(project: Path) -> None:
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("    description:", "    decription:", 1).replace(
        "answer: fine-tuning", "answer: fine-tunning", 1
    )
    source.write_text(text, encoding="utf-8")
    result = run_cli(["build"], project)
    assert result.exit_code == 1
    assert result.stderr == code_block_after("Misspell the first concept's")
    assert not (project / "dist").exists()


def test_the_dry_run_example_is_what_the_cli_prints(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run_cli(["build"], project).exit_code == 0
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("関連するタスクに活用すること。", "関連する別のタスクに活用すること。"), "utf-8"
    )
    result = run_cli(["build", "--dry-run"], project)
    assert result.exit_code == 0
    example = [line.strip() for line in code_block_after("without writing anything:").strip().splitlines()]
    assert [line.strip() for line in result.stdout.splitlines()[:3]] == example


def test_the_bundled_lock_file_is_up_to_date(tmp_path: Path) -> None:
    """The repository is a deck project too: its committed lock file matches its source and templates."""
    for name in ("source", "templates"):
        shutil.copytree(REPO / name, tmp_path / name)
    result = run_cli(["build", "--dry-run"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "dist/ml-techniques.ja.apkg (dry run, not written): ファインチューニング・転移学習・蒸留 (26 notes, 49 cards)",
        "  since the last build: 26 unchanged",
        "dist/ml-techniques.en.apkg (dry run, not written): Fine-tuning, Transfer Learning and Distillation "
        "(26 notes, 49 cards)",
        "  since the last build: 26 unchanged",
    ]


def test_the_cards_of_your_own_example_builds_and_imports(project: Path, collection: Collection) -> None:
    source = project / "source" / "ml-techniques.yaml"
    block = code_block_after("Besides concepts and questions, a source may have `cards:`")
    source.write_text(source.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    for lang in ("ja", "en"):
        summary = import_package(collection, project / "dist" / f"ml-techniques.{lang}.apkg")
        assert (summary.new, summary.conflicting) == (29, 0)
    # Per language: one basic card, a card and its reverse, and a cloze with two deletions.
    cards = rendered_cards(collection, "tag:flashcards::card::*")
    assert len(cards) == 2 * (1 + 2 + 2)
    (cloze,) = rendered_cards(
        collection,
        'card:1 "deck:Fine-tuning, Transfer Learning and Distillation" tag:flashcards::card::cloze',
    )
    assert "The softmax function turns [...] into probabilities." in cloze.question


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README[README.index("## Two commands") :], flags=re.DOTALL)
    build_command, test_command = commands[0], commands[1]
    assert build_command == "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/flashcards build"
    assert "python -m pytest" in test_command
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == test_command
