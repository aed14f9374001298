"""The command-line contract: help, version, options, and an installed copy that runs from any folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from anki.collection import Collection

from flashcards import __version__
from flashcards.cli import main

from helpers import InstalledCopy, copy_project, import_package, rendered_cards, run_cli


def test_version(tmp_path: Path) -> None:
    result = run_cli(["--version"], tmp_path)
    assert (result.exit_code, result.stdout) == (0, f"flashcards, version {__version__}\n")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(tmp_path: Path, command: str) -> None:
    result = run_cli([command, "--help"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: flashcards {command} [OPTIONS]")
    summary = (main.commands[command].help or "").split("\n")[0]
    assert summary
    assert summary in result.stdout


def test_build_takes_sources_and_an_output_folder(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = run_cli(["build", "source/ml-techniques.yaml", "-o", "out/decks"], project)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "out/decks/ml-techniques.ja.apkg: ファインチューニング・転移学習・蒸留 (26 notes, 49 cards)",
        "  since the last build: 26 new",
        "out/decks/ml-techniques.en.apkg: Fine-tuning, Transfer Learning and Distillation (26 notes, 49 cards)",
        "  since the last build: 26 new",
    ]
    assert sorted(p.name for p in (project / "out" / "decks").iterdir()) == [
        "ml-techniques.en.apkg",
        "ml-techniques.ja.apkg",
    ]


def test_python_dash_m_works_like_the_command(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "flashcards", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[0]
        == "dist/ml-techniques.ja.apkg: ファインチューニング・転移学習・蒸留 (26 notes, 49 cards)"
    )


def test_an_installed_copy_finds_its_templates_from_any_folder(
    installed_copy: InstalledCopy, tmp_path: Path, collection: Collection
) -> None:
    """A non-editable install (a wheel) run in a folder that has no templates of its own."""
    project = copy_project(tmp_path)
    where = installed_copy.evaluate("r.default_templates_dir()", "flashcards.render as r", project)
    assert Path(where) == installed_copy.site / "flashcards" / "templates"
    result = installed_copy.flashcards("build", cwd=project)
    assert result.returncode == 0, result.stderr
    import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    (card,) = rendered_cards(collection, "card:NameToDescription Name:Fine-tuning")
    assert card.question == (
        "Fine-tuning, Transfer Learning and Distillation\nTechnique\nFine-tuning\nHow is this technique described?"
    )


def test_an_output_folder_that_cannot_be_made_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    result = run_cli(["build", "-o", "notes.txt/dist"], project)
    assert (result.exit_code, result.stderr) == (1, "notes.txt/dist: Not a directory\n")
    assert (project / "notes.txt").read_text(encoding="utf-8") == "a file, not a folder"
    assert not (project / "source" / "ml-techniques.lock.yaml").exists()
