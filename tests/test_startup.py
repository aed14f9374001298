"""What a command loads and says, run as the learner runs it: a clean source builds and checks clean, and a value
of the wrong type is described exactly.

Each command runs as the learner runs it, ``python -m flashcards ...``, in a fresh process that lists every module
it imports (``-X importtime``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import REPO, VALID_SOURCE, copy_project, write_tree

#: Every section of a source, with every optional key, and texts that YAML 1.2 reads as a number or a
#: boolean (the fast reader types them; flashcards keeps the text as written).
EVERY_SECTION = (
    VALID_SOURCE.replace(
        "  name:\n    ja: 小さなデッキ\n",
        "  description:\n    ja: 説明\n    en: About it\n  name:\n    ja: 小さなデッキ\n",
    )
    + """\
  - id: year
    question:
      ja: 何年?
      en: Which year?
    answer: distillation
    explanation:
      ja: '2015'
      en: 2015
    tags: [history]
    topic:
      ja: 歴史
      en: History
cards:
  - id: capital
    front:
      ja: 日本の首都
      en: The capital of Japan
    back:
      ja: 東京
      en: Tokyo
    reverse: true
    extra:
      ja: 1868年から
      en: since 1868
    tags: [geography]
  - id: boiling
    cloze:
      ja: 水は[[100]]度で沸騰する。
      en: Water boils at [[100]] degrees.
"""
).replace(
    "      en: Moving a large model's knowledge into a small one.\n",
    """\
      en: Moving a large model's knowledge into a small one.
    features:
      - ja: 教師と生徒
        en: A teacher and a student
    pros:
      - ja: 速い
        en: Fast
    cons:
      - ja: 教師が要る
        en: Needs a teacher
    example:
      ja: DistilBERT
      en: DistilBERT
    tags: [compression]
    topic:
      ja: 圧縮
      en: Compression
""",
)


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    #: What the command itself wrote to stderr.
    stderr: str
    #: Every module the process imported.
    modules: frozenset[str]

    def loaded(self, package: str) -> list[str]:
        """The modules of ``package`` that were imported."""
        return sorted(name for name in self.modules if name == package or name.startswith(f"{package}."))


def python_m_flashcards(*args: str, cwd: Path) -> Run:
    """``python -m flashcards ARGS`` with this checkout's code, in a fresh process."""
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flashcards", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stderr.splitlines(keepends=True)
    imports = [line for line in lines if line.startswith("import time:")]
    said = "".join(line for line in lines if not line.startswith("import time:"))
    modules = frozenset(line.rsplit("|", 1)[1].strip() for line in imports[1:])  # after the header line
    return Run(result.returncode, result.stdout, said, modules)


def test_help_says_the_commands(tmp_path: Path) -> None:
    result = python_m_flashcards("--help", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(
        "Usage: python -m flashcards [OPTIONS] COMMAND [ARGS]...\n\n"
        "  Turn YAML study notes into Anki decks, one per language.\n"
    )
    assert "  build    Build DIR/<deck-id>.<language>.apkg for every deck and language.\n" in result.stdout
    assert result.loaded("click") != []  # the import log is read: what the command needs is in it


@pytest.mark.parametrize(
    ("project", "expected"),
    [
        (
            "bundled",
            "dist/ml-techniques.ja.apkg: ファインチューニング・転移学習・蒸留 (26 notes, 49 cards)\n"
            "  since the last build: 26 new\n"
            "dist/ml-techniques.en.apkg: Fine-tuning, Transfer Learning and Distillation (26 notes, 49 cards)\n"
            "  since the last build: 26 new\n",
        ),
        (
            "every-section",
            "dist/tiny.ja.apkg: 小さなデッキ (8 notes, 14 cards)\n"
            "  since the last build: 8 new\n"
            "dist/tiny.en.apkg: Tiny deck (8 notes, 14 cards)\n"
            "  since the last build: 8 new\n",
        ),
    ],
)
def test_a_clean_source_builds_and_checks_clean(tmp_path: Path, project: str, expected: str) -> None:
    if project == "bundled":
        root = copy_project(tmp_path)
    else:
        root = write_tree(tmp_path, {"source/deck.yaml": EVERY_SECTION})
    result = python_m_flashcards("build", cwd=root)
    # The bundled deck's examples name their techniques: the build says once that it masks them.
    masked = (
        "source/ml-techniques.yaml: 10 fronts show a gap in place of the answer each asks for "
        "('flashcards check' lists them)\n"
        if project == "bundled"
        else ""
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, masked)
    assert "flashcards.source.format" in result.modules
    checked = python_m_flashcards("check", cwd=root)
    assert (checked.returncode, checked.stdout) == (0, "no problems found\n")
    notes = checked.stderr.splitlines()
    assert len(notes) == (10 if project == "bundled" else 0)
    assert all(": note: " in line for line in notes)


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        (
            ("languages: [ja, en]", "languages: ja"),
            "source/deck.yaml:3:14: deck.languages: expected a list of '- ' items, found text\n",
        ),
        (
            ("    name:\n      ja: 蒸留\n      en: Distillation\n", "    name: Distillation\n"),
            "source/deck.yaml:9:11: concepts[0].name: expected the text in each language "
            "('ja: …', 'en: …' on their own lines), found text\n",
        ),
        (
            ("    answer: distillation\n", "    answer: [distillation]\n    tags: tagged\n"),
            "source/deck.yaml:20:13: questions[0].answer: expected text, found a list\n"
            "source/deck.yaml:21:11: questions[0].tags: expected a list of '- ' items, found text\n",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_described_exactly(
    tmp_path: Path, mistake: tuple[str, str], expected: str
) -> None:
    assert mistake[0] in VALID_SOURCE
    write_tree(tmp_path, {"source/deck.yaml": VALID_SOURCE.replace(*mistake)})
    result = python_m_flashcards("build", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", expected)
    assert not (tmp_path / "dist").exists()
