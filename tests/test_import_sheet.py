"""`flashcards import`: a study sheet becomes a source that builds, with the same concepts, items and links."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.errors import SourceError
from flashcards.importer.sheet import parse_sheet
from flashcards.model import Deck, Localized
from flashcards.source.texts import UNSTORABLE
from flashcards.source.validate import load_decks
from flashcards.source_writer import ConceptDraft, QuestionDraft, SourceDraft, render_source

from helpers import (
    BUNDLED_SOURCE,
    REPO,
    STUDY_SHEET,
    import_package,
    rendered_cards,
    run_cli,
    visible_text,
    write_tree,
)

SHEETS = REPO / "tests" / "data" / "sheets"


@dataclass(frozen=True)
class ConceptSide:
    name: str
    description: str
    features: tuple[str, ...]
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    example: str


@dataclass(frozen=True)
class QuestionSide:
    question: str
    explanation: str
    answer: str  # the linked concept's name, or "" when unlinked


def concepts_in(deck: Deck, lang: str) -> list[ConceptSide]:
    def items(texts: tuple[Localized, ...]) -> tuple[str, ...]:
        return tuple(t[lang] for t in texts)

    return [
        ConceptSide(
            c.name[lang],
            c.description[lang],
            items(c.features),
            items(c.pros),
            items(c.cons),
            c.example[lang] if c.example else "",
        )
        for c in deck.concepts
    ]


def questions_in(deck: Deck, lang: str) -> list[QuestionSide]:
    return [
        QuestionSide(q.question[lang], q.explanation[lang], deck.concept(q.answer).name[lang])
        for q in deck.questions
    ]


def import_to(sheet: Path, folder: Path, *extra: str) -> Deck:
    """Import ``sheet`` with the CLI into ``folder/out.yaml`` and load the result with flashcards' parser."""
    result = run_cli(["import", str(sheet), "-o", "out.yaml", *extra], folder)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    (deck,) = load_decks([folder / "out.yaml"])
    return deck


def bundled() -> Deck:
    (deck,) = load_decks([BUNDLED_SOURCE])
    return deck


# --- the example sheet, and the same content written other ways ---------------------------------


def test_the_example_sheet_gives_the_bundled_decks_japanese_side(tmp_path: Path) -> None:
    result = run_cli(["import", str(STUDY_SHEET)], tmp_path)
    assert result.exit_code == 0, result.stderr
    sheet = str(STUDY_SHEET)
    assert result.stdout.splitlines() == [
        f"{sheet}:4: a table of 3 concepts, under '一覧表': 手法 → name, 説明 → description, "
        "特徴 → features, 利点 → pros, 欠点 → cons, サンプル → example (the concepts are called '手法': kind)",
        f"{sheet}:20: question 1 → 'ファインチューニング' (its answer on line 31)",
        f"{sheet}:22: question 2 → '蒸留' (its answer on line 33)",
        f"{sheet}:24: question 3 → '転移学習' (its answer on line 35)",
        f"{sheet}:26: question 4 → 'ファインチューニング' (its answer on line 37)",
        f"{sheet}:28: question 5 → 'ファインチューニング' (its answer on line 39)",
        f"{sheet}:40: the text after the last answer → answer-note",
        "source/ml-techniques-sheet.yaml: 3 concepts, 5 questions",
    ]
    assert result.stderr == ""

    (deck,) = load_decks([tmp_path / "source" / "ml-techniques-sheet.yaml"])
    assert deck.id == "ml-techniques-sheet"
    assert deck.languages == ("ja",)
    assert deck.name["ja"] == "ファインチューニング・転移学習・蒸留"
    assert concepts_in(deck, "ja") == concepts_in(bundled(), "ja")
    assert questions_in(deck, "ja") == questions_in(bundled(), "ja")
    assert [c.id for c in deck.concepts] == ["concept-1", "concept-2", "concept-3"]
    assert [(q.id, q.answer) for q in deck.questions] == [
        ("question-1", "concept-1"),
        ("question-2", "concept-3"),
        ("question-3", "concept-2"),
        ("question-4", "concept-1"),
        ("question-5", "concept-1"),
    ]
    # The closing remark after the answers is the note on answers, as in the bundled deck.
    assert deck.description is not None
    assert deck.description["ja"] == "目的\n各手法がいまいちピンとこなかったため、生成AIにて学習"
    assert deck.answer_note is not None
    assert deck.concept_kind is not None
    assert bundled().answer_note is not None
    assert bundled().concept_kind is not None
    assert deck.answer_note["ja"] == bundled().answer_note["ja"]  # type: ignore[index]
    assert deck.concept_kind["ja"] == bundled().concept_kind["ja"] == "手法"  # type: ignore[index]


def test_the_written_file_has_the_bundled_layout(tmp_path: Path) -> None:
    result = run_cli(["import", str(STUDY_SHEET), "-o", "-"], tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:11] == [
        "# One file is one deck, imported from ml-techniques-sheet.txt. Every text is in Japanese (ja).",
        '# To add a concept or a question, copy a whole block (from "- id:" down to the next "- id:"),',
        "# give it a new id, and edit the texts. An id is the card's identity in Anki: never change it.",
        '# To add English, write languages: [ja, en] and a line "en: …" under every "ja: …" line.',
        "",
        "deck:",
        "  id: ml-techniques-sheet",
        "  languages: [ja]",
        "  name:",
        "    ja: ファインチューニング・転移学習・蒸留",
        "  description:",
    ]
    start = lines.index("concepts:")
    assert lines[start - 1 : start + 8] == [
        "",
        "concepts:",
        "  - id: concept-1",
        "    name:",
        "      ja: ファインチューニング",
        "    description:",
        "      ja: 事前学習済みモデルのパラメータを、新しいタスク用のデータで再学習すること。",
        "    features:",
        "      - ja: 事前学習済みモデルの一部または全部のパラメータを更新する。",
    ]
    assert "questions:" in lines
    assert lines.index("questions:") > start
    assert not list(tmp_path.iterdir()), "-o - writes nothing"


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def full_width_pipes(text: str) -> str:
    return text.replace("|", "｜")


def byte_order_mark(text: str) -> str:
    return "\ufeff" + text


@pytest.mark.parametrize("rewrite", [crlf, full_width_pipes, byte_order_mark], ids=lambda f: f.__name__)
def test_the_example_sheet_written_another_way_gives_the_same_deck(
    tmp_path: Path, rewrite: Callable[[str], str]
) -> None:
    sheet = tmp_path / "sheet.txt"
    sheet.write_bytes(rewrite(STUDY_SHEET.read_text(encoding="utf-8")).encode("utf-8"))
    deck = import_to(sheet, tmp_path)
    assert concepts_in(deck, "ja") == concepts_in(bundled(), "ja")
    assert questions_in(deck, "ja") == questions_in(bundled(), "ja")


def test_the_same_content_as_a_clean_markdown_table(tmp_path: Path) -> None:
    deck = import_to(SHEETS / "ml-techniques-gfm.md", tmp_path)
    assert deck.languages == ("ja",)
    assert concepts_in(deck, "ja") == concepts_in(bundled(), "ja")
    assert questions_in(deck, "ja") == questions_in(bundled(), "ja")


def test_an_english_sheet_on_another_topic(tmp_path: Path) -> None:
    deck = import_to(SHEETS / "regularization.md", tmp_path)
    assert (deck.id, deck.languages, deck.name["en"]) == (
        "regularization",
        ("en",),
        "Regularization techniques",
    )
    assert deck.description is not None
    assert deck.description["en"] == "Purpose: keep a model from overfitting its training data."
    assert deck.answer_note is not None
    assert deck.answer_note["en"] == "Each of these can be combined with the others."
    assert deck.concept_kind is not None
    assert deck.concept_kind["en"] == "method"
    assert [c.id for c in deck.concepts] == ["l2-regularization-weight-decay", "dropout", "early-stopping"]
    assert concepts_in(deck, "en") == [
        ConceptSide(
            "L2 regularization (weight decay)",
            "Adds the sum of the squared weights to the loss.",
            ("Shrinks every weight towards zero.", "Has a closed form for linear models."),
            ("Smooth, and easy to tune.",),
            ("Never makes a weight exactly zero.",),
            "Ridge regression on house prices.",
        ),
        ConceptSide(
            "Dropout",
            "Switches off a random share of the units at every training step.",
            ("Only active while training.", "Acts like an ensemble of smaller networks."),
            ("Cheap to add to any network.",),
            ("Training takes longer to converge.",),
            "A dropout rate of 0.5 in the dense layers of an image classifier.",
        ),
        ConceptSide(
            "Early stopping",
            "Stops training when the validation loss stops improving.",
            ("Needs a validation set.",),
            ("Saves training time.", "Needs no change to the model."),
            ("The stopping point is noisy.",),
            "Stop after 5 epochs without a better validation loss.",
        ),
    ]
    assert questions_in(deck, "en") == [
        QuestionSide(
            "Your linear model overfits, and you want to keep every feature, only with smaller weights. "
            "Which technique fits?",
            "Use L2 regularization. It shrinks every weight without making any of them zero.",
            "L2 regularization (weight decay)",
        ),
        QuestionSide(
            "A large image classifier memorizes its training set, and you are free to change its layers. "
            "What do you add?",
            "Dropout, in the dense layers. It keeps the units from relying on each other.",
            "Dropout",
        ),
        QuestionSide(
            "Every epoch takes hours, and the validation loss has not improved for a while. What should you do?",
            "Apply early stopping. It ends training at the best validation loss and saves the remaining hours.",
            "Early stopping",
        ),
    ]


def test_the_imported_example_builds_and_imports_into_anki(tmp_path: Path, collection: Collection) -> None:
    assert run_cli(["import", str(STUDY_SHEET)], tmp_path).exit_code == 0
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "dist/ml-techniques-sheet.ja.apkg: ファインチューニング・転移学習・蒸留 (26 notes, 49 cards)",
        "  since the last build: 26 new",
    ]
    assert result.stderr == (
        "source/ml-techniques-sheet.yaml: 5 fronts show a gap in place of the answer each asks for "
        "('flashcards check' lists them)\n"
    )

    summary = import_package(collection, tmp_path / "dist" / "ml-techniques-sheet.ja.apkg")
    assert (summary.new, summary.duplicate, summary.conflicting) == (26, 0, 0)
    answers = [
        visible_text(re.findall(r'<div class="fc-answer">(.*?)</div>', card.answer_html)[0])
        for card in rendered_cards(collection, "card:QuestionToAnswer")
    ]
    assert sorted(answers) == sorted(
        ["ファインチューニング", "蒸留", "転移学習", "ファインチューニング", "ファインチューニング"]
    )
    recalled = rendered_cards(collection, "card:ConceptToItem Name:蒸留 IsPro:_*")
    assert [card.answer.split("\n")[-3:] for card in recalled] == [
        ["利点", "小規模なモデルでも高い性能を発揮できる。", "推論時の計算コストを削減できる。"]
    ] * 2


def test_ids_keep_an_english_gloss_and_never_repeat(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compression.txt": """\
            | 手法 | 説明 | 特徴 |
            |---|---|---|
            | 蒸留 (Distillation) | 大きなモデルの知識を小さなモデルに移すこと。 | ・教師モデルの出力を使う ・生徒モデルを学習する |
            | 転移学習（Transfer learning） | 学習済みの知識を別のタスクに使うこと。 | |
            | 枝刈り | 重要度の低い重みを取り除くこと。 | - 重みの大きさで重要度を測る。 |
            | Distillation | 英語の名前だけの行。 | |

            問題:
            1. モデルを小さくしたい。どの手法を用いるべきか?
            回答:
            1. 枝刈りを用いる。重みを取り除く。
            """
        },
    )
    deck = import_to(tmp_path / "compression.txt", tmp_path)
    assert [c.id for c in deck.concepts] == [
        "distillation",
        "transfer-learning",
        "concept-3",
        "distillation-2",
    ]
    assert [c.features for c in concepts_in(deck, "ja")] == [
        ("教師モデルの出力を使う", "生徒モデルを学習する"),
        (),
        ("重みの大きさで重要度を測る。",),
        (),
    ]
    assert [(q.id, q.answer) for q in deck.questions] == [("question-1", "concept-3")]
    assert (deck.id, deck.languages) == ("compression", ("ja",))


@pytest.mark.parametrize(
    ("above_the_table", "description"),
    [
        ("代表的な手法の学習メモ", "代表的な手法の学習メモ"),
        ("代表的な手法の学習メモ\n## 比較表", "代表的な手法の学習メモ"),
        ("Notes from the lecture\nComparison table:", "Notes from the lecture"),
        ("一覧表", None),
    ],
)
def test_text_above_the_table_is_the_description_and_its_caption_is_not(
    tmp_path: Path, above_the_table: str, description: str | None
) -> None:
    """A sheet may also be a table alone, with no questions."""
    sheet = f"{above_the_table}\n手法 | 説明\n蒸留 | 大きなモデルの知識を小さなモデルに移すこと。\n"
    (tmp_path / "sheet.txt").write_text(sheet, encoding="utf-8")
    deck = import_to(tmp_path / "sheet.txt", tmp_path)
    assert (deck.description["ja"] if deck.description else None) == description
    assert ([c.name["ja"] for c in deck.concepts], deck.questions) == (["蒸留"], ())


# --- answers that name no concept, or several ---------------------------------------------------

TWO_TECHNIQUES = """\
Technique | Description
---|---
Bagging | Trains models on bootstrap samples and averages them.
Boosting | Trains models one after another, each on the errors of the last.

Questions:
1. Your trees overfit badly. What helps?
2. Your model underfits. What helps?
3. You want more accuracy. What helps?

Answers:
1. Use bagging. Averaging many trees lowers the variance.
2. Boosting or bagging; boosting first. Each new model fixes what the others missed.
3. More data. Then tune the model.
"""


def test_an_answer_that_names_two_techniques_or_none_is_left_unlinked(tmp_path: Path) -> None:
    write_tree(tmp_path, {"ensembles.md": TWO_TECHNIQUES})
    result = run_cli(["import", "ensembles.md"], tmp_path)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "ensembles.md:13:1: warning: the first sentence of answer 2 names 'Boosting' and 'Bagging'; "
        'question 2 is written with answer: "" and a TODO comment: fill in the id of the concept it recommends',
        "ensembles.md:14:1: warning: the first sentence of answer 3 names no concept of the table; "
        'question 3 is written with answer: "" and a TODO comment: fill in the id of the concept it recommends',
    ]
    assert result.stdout.splitlines() == [
        "ensembles.md:1: a table of 2 concepts: Technique → name, Description → description "
        "(the concepts are called 'technique': kind)",
        "ensembles.md:7: question 1 → 'Bagging' (its answer on line 12)",
        "ensembles.md:8: question 2 → no concept (fill in the TODO) (its answer on line 13)",
        "ensembles.md:9: question 3 → no concept (fill in the TODO) (its answer on line 14)",
        "source/ensembles.yaml: 2 concepts, 3 questions (2 without an answer: fill in the TODOs)",
    ]
    text = (tmp_path / "source" / "ensembles.yaml").read_text(encoding="utf-8")
    assert "    answer: bagging\n" in text
    assert text.count('    answer: ""  # TODO: the id of the concept this question recommends\n') == 2

    build = run_cli(["build"], tmp_path)
    assert build.exit_code == 1
    assert build.stderr.splitlines() == [
        "source/ensembles.yaml:39:13: questions[1].answer: the answer is empty: write the id of the concept this question recommends",
        "source/ensembles.yaml:46:13: questions[2].answer: the answer is empty: write the id of the concept this question recommends",
    ]
    lines = text.splitlines()
    assert (lines[37], lines[38]) == (
        "      en: Your model underfits. What helps?",
        '    answer: ""  # TODO: the id of the concept this question recommends',
    )
    assert (lines[44], lines[45]) == (
        "      en: You want more accuracy. What helps?",
        '    answer: ""  # TODO: the id of the concept this question recommends',
    )

    (tmp_path / "source" / "ensembles.yaml").write_text(
        text.replace('answer: ""', "answer: boosting", 1).replace('answer: ""', "answer: bagging", 1),
        encoding="utf-8",
    )
    assert run_cli(["build"], tmp_path).exit_code == 0


# --- sheets that cannot be read -----------------------------------------------------------------

EXAMPLE_LINES = STUDY_SHEET.read_text(encoding="utf-8").split("\n")


def example_without(*numbers: int) -> str:
    """The example sheet without the lines numbered (from 1)."""
    return "\n".join(line for i, line in enumerate(EXAMPLE_LINES, start=1) if i not in numbers)


def example_replacing(number: int, text: str) -> str:
    return "\n".join(text if i == number else line for i, line in enumerate(EXAMPLE_LINES, start=1))


def import_errors(tmp_path: Path, sheet: str | bytes, name: str = "sheet.txt") -> list[str]:
    path = tmp_path / name
    path.write_bytes(sheet.encode("utf-8") if isinstance(sheet, str) else sheet)
    result = run_cli(["import", name], tmp_path)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "source").exists(), "nothing is written"
    return result.stderr.splitlines()


ERRORS: dict[str, tuple[str | bytes, list[str]]] = {
    "missing-answers": (
        # the last two answers (each a '-' line and its text) are gone
        example_without(36, 37, 38, 39),
        [
            "sheet.txt:26:1: question 4 has no answer: the sheet has 5 questions and 3 answers, matched in order",
        ],
    ),
    "no-answers-part": (
        "\n".join(EXAMPLE_LINES[:28]),
        [
            "sheet.txt:20:1: question 1 has no answer: the sheet has 5 questions and 0 answers, matched in order; "
            "write each answer under its question (indented, or after 'A:'), or number the answers under a heading "
            "such as 'Answers:'",
        ],
    ),
    "extra-answers": (
        example_without(27, 28),
        [
            "sheet.txt:37:1: answer 5 has no question: the sheet has 4 questions and 5 answers, matched in order",
        ],
    ),
    "missing-column": (
        example_replacing(4, "手法 | 特徴 | 利点 | 欠点 | サンプル |"),
        [
            "sheet.txt:4:1: the table has no description column; add one named '説明' or 'Description' "
            "(the columns are named like '手法 | 説明 | 特徴 | 利点 | 欠点 | サンプル' "
            "or 'Technique | Description | Features | Pros | Cons | Example')",
        ],
    ),
    "row-missing-a-cell": (
        # the first concept's example cell is gone: its row would take the next row's cells
        example_without(9),
        [
            "sheet.txt:9:1: with this line, the row that starts on line 6 has 8 cells, but the table has "
            "6 columns; a cell is missing from that row, or a '|' inside a cell splits it in two (write it as '\\|')",
        ],
    ),
    "last-row-missing-a-cell": (
        example_without(17),
        [
            "sheet.txt:14:1: this row has 5 cells, but the table has 6 columns "
            "(手法 | 説明 | 特徴 | 利点 | 欠点 | サンプル); write an empty cell as '| |'",
        ],
    ),
    "row-with-an-extra-cell": (
        example_replacing(
            17, "BERT-largeの知識を | モバイルデバイスで動作可能な小規模なBERT-tinyに蒸留する。 |"
        ),
        [
            "sheet.txt:17:1: with this line, the row that starts on line 14 has 7 cells, but the table has "
            "6 columns; a cell is missing from that row, or a '|' inside a cell splits it in two (write it as '\\|')",
        ],
    ),
    "no-description": (
        example_replacing(14, "蒸留 | | - 教師モデルの出力を疑似ラベルとして使用する。 |"),
        ["sheet.txt:14:1: '蒸留' has no description in its '説明' column"],
    ),
    "same-name-twice": (
        example_replacing(10, EXAMPLE_LINES[9].replace("転移学習 |", "蒸留 |")),
        [
            "sheet.txt:14:1: '蒸留' is already the name of the concept on line 10; every concept needs its own name"
        ],
    ),
    "empty-answer": (
        example_replacing(33, "-"),
        ["sheet.txt:32:1: this item is empty; write its text after the marker"],
    ),
    "unnamed-columns": (
        "Some notes\n\nfoo | bar | baz\n1 | 2 | 3\n",
        [
            "sheet.txt:3:1: this table's first row does not name its columns; name them like "
            "'手法 | 説明 | 特徴 | 利点 | 欠点 | サンプル' or 'Technique | Description | Features | Pros | Cons | Example'",
        ],
    ),
    "empty-file": ("\n\n", ["sheet.txt: the file is empty; a study sheet holds a table of concepts"]),
    "not-utf8-utf16-or-shift-jis": (
        "Begriff | Beschreibung\nÜbung | Eine Übung für Anfänger.\n".encode("latin-1"),
        ["sheet.txt: the file is not text in UTF-8, UTF-16 or Shift_JIS; save it as UTF-8"],
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_a_sheet_that_cannot_be_read_gives_the_line_and_writes_nothing(tmp_path: Path, case: str) -> None:
    sheet, expected = ERRORS[case]
    assert import_errors(tmp_path, sheet) == expected


def test_a_file_that_is_no_study_sheet(tmp_path: Path) -> None:
    """The usual mistake: importing a source file instead of a sheet."""
    assert import_errors(tmp_path, BUNDLED_SOURCE.read_bytes(), "ml-techniques.yaml") == [
        "ml-techniques.yaml: not a study sheet: it has no table of concepts; the table's first row names "
        "the columns, like '手法 | 説明 | 特徴 | 利点 | 欠点 | サンプル' "
        "or 'Technique | Description | Features | Pros | Cons | Example'",
    ]


def test_a_missing_sheet(tmp_path: Path) -> None:
    result = run_cli(["import", "nowhere.txt"], tmp_path)
    assert (result.exit_code, result.stderr) == (1, "nowhere.txt: no such file\n")


def test_an_unknown_column_is_kept_as_a_feature(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "sheet.md": """\
            | Concept | Notes | Description |
            |---|---|---|
            | Caching | see chapter 3 | Keeping results to reuse them. |
            """
        },
    )
    result = run_cli(["import", "sheet.md", "-o", "out.yaml"], tmp_path)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == (
        "sheet.md:1: a table of 1 concept: Concept → name, Notes → features, as 'Notes: …', "
        "Description → description"
    )
    (deck,) = load_decks([tmp_path / "out.yaml"])
    assert concepts_in(deck, "en") == [
        ConceptSide("Caching", "Keeping results to reuse them.", ("Notes: see chapter 3",), (), (), "")
    ]


# --- writing ------------------------------------------------------------------------------------


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/ml-techniques-sheet.yaml": "# my edits\n"})
    result = run_cli(["import", str(STUDY_SHEET)], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "source/ml-techniques-sheet.yaml: the file already exists; use --force to replace it\n"
    )
    assert (tmp_path / "source" / "ml-techniques-sheet.yaml").read_text(encoding="utf-8") == "# my edits\n"

    result = run_cli(["import", str(STUDY_SHEET), "--force"], tmp_path)
    assert result.exit_code == 0, result.stderr
    (deck,) = load_decks([tmp_path / "source"])
    assert len(deck.concepts) == 3
    assert sorted(p.name for p in (tmp_path / "source").iterdir()) == ["ml-techniques-sheet.yaml"]


def _deck_name_ok(name: str) -> bool:
    one_line = not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in name)
    return one_line and all(part.strip() for part in name.split("::"))


texts = (
    st.text(st.characters(categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Co")), min_size=1)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=150, deadline=None)
@given(name=texts, description=texts, item=texts)
def test_any_text_round_trips_through_the_written_yaml(name: str, description: str, item: str) -> None:
    name, description, item = (unicodedata.normalize("NFC", t).strip() for t in (name, description, item))
    if not (name and description and item):
        return
    if any(UNSTORABLE.search(t) for t in (name, description, item)) or not _deck_name_ok(name):
        return  # a character Anki cannot store, or no deck name Anki can hold: refused with its line
    draft = SourceDraft(
        id="deck",
        languages=("en",),
        name=Localized.of({"en": name}),
        description=Localized.of({"en": description}),
        concepts=(
            ConceptDraft(
                "concept-1",
                Localized.of({"en": name}),
                Localized.of({"en": description}),
                features=(Localized.of({"en": item}),),
            ),
        ),
        questions=(
            QuestionDraft(
                "question-1", Localized.of({"en": item}), "concept-1", Localized.of({"en": description})
            ),
        ),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.yaml"
        path.write_text(render_source(draft), encoding="utf-8")
        (deck,) = load_decks([path])
    assert deck.name["en"] == name
    assert deck.concepts[0].description["en"] == description
    assert deck.concepts[0].features[0]["en"] == item
    assert deck.questions[0].question["en"] == item


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("|｜-\n\r :・*#Q問題回答Aabc手法説明Technique Description1.")))
def test_any_text_gives_a_sheet_or_a_clean_error(text: str) -> None:
    problems = []
    try:
        sheet = parse_sheet(text, "sheet.txt")
    except SourceError as error:
        problems = list(error.problems)
    if problems:
        # A problem about the whole file has no position; any other has both.
        assert all(
            p.path == "sheet.txt"
            and ((p.line, p.column) == (None, None) or (p.line or 0) >= 1 <= (p.column or 0))
            for p in problems
        )
    else:
        assert sheet.concepts
        assert all(c.name and c.description for c in sheet.concepts)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(st.characters(categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"))),
        st.text(st.sampled_from("aZ蒸 -:#'\"!&*?|>%@`,[]{}1.\t\n~")),
        st.sampled_from(
            ["yes", "No", "TRUE", "null", "On", "OFF", "y", "N", "nan", ".inf", "2024-01-01 10:00"]
        ),
    )
)
def test_a_text_written_plain_reads_back_as_itself(text: str) -> None:
    """The writer's quick way to tell a plain string agrees with reading it back."""
    from flashcards.source_writer import _is_plain, _reads_back

    if _is_plain(text):
        assert _reads_back(f"k: {text}\n", text)
