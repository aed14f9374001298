"""A project beyond the table: images and sounds, cards of the learner's own (basic, reversed, cloze), tags and
topics."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from helpers import png, run_cli, write_tree

SOURCE = """\
deck:
  id: extras
  languages: [ja, en]
  name:
    ja: おまけ
    en: Extras
concepts:
  - id: distillation
    name:
      ja: 蒸留
      en: Distillation
    description:
      ja: 大きなモデルの知識を小さなモデルに移すこと。![図](media/teacher.png)
      en: Moving a large model's knowledge into a small one. ![diagram](media/teacher.png)
    tags: [ml, compression]
    topic:
      ja: 圧縮
      en: Compression
questions:
  - id: smaller-model
    question:
      ja: モデルを小さくしたい。どの手法?
      en: You need a smaller model. Which technique?
    answer: distillation
    explanation:
      ja: 蒸留を用いる。
      en: Use distillation.
cards:
  - id: softmax
    cloze:
      ja: ソフトマックスは[[ロジット]]を[[確率::何?]]に変える。
      en: Softmax turns [[logits]] into [[probabilities::what?]].
    extra:
      ja: 分類の最終層。
      en: The last layer of a classifier.
    tags: [activation]
  - id: relu
    front:
      ja: ReLU の式は? [sound](media/relu.mp3)
      en: The formula of ReLU? [sound](media/relu.mp3)
    back:
      ja: max(0, x) ![](teacher.png)
      en: max(0, x)
    reverse: true
    topic:
      ja: 活性化::基本
      en: Activations::Basics
  - id: sigmoid
    front:
      ja: シグモイドの値域は?
      en: The range of the sigmoid?
    back:
      ja: (0, 1)
      en: (0, 1)
"""


def packaged(data: bytes, suffix: str) -> str:
    return f"fc-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"


RED, GREEN = png((255, 0, 0)), png((0, 255, 0))


SOUND = b"ID3\x03\x00\x00\x00\x00\x00\x00not really a song"


def extras_project(root: Path) -> Path:
    """The project of ``SOURCE`` with its media under ``root``."""
    project = write_tree(root, {"source/extras.yaml": SOURCE})
    (project / "source" / "media").mkdir()
    # Two different files with the same name: they must never collide in the collection.
    (project / "source" / "media" / "teacher.png").write_bytes(RED)
    (project / "source" / "teacher.png").write_bytes(GREEN)
    (project / "source" / "media" / "relu.mp3").write_bytes(SOUND)
    return project


def build(project: Path, monkeypatch: pytest.MonkeyPatch, epoch: int = 1_700_000_000) -> list[str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    return result.stderr.splitlines()
