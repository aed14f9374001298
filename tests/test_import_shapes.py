"""`flashcards import` of sheets as files arrive: encodings, spreadsheets, odd files, names and targets,
options, and sources that would not build."""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from flashcards.source.validate import load_decks

from helpers import REPO, STUDY_SHEET, run_cli, write_tree
from test_import_sheet import bundled, concepts_in, import_to, questions_in

SHEETS = REPO / "tests" / "data" / "sheets"
CORPUS = REPO / "tests" / "corpus" / "sheets"


def _utf16_le(text: str) -> bytes:
    return text.encode("utf-16-le")


def _utf16_be(text: str) -> bytes:
    return text.encode("utf-16-be")


def _utf16_le_bom(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def _utf16_be_bom(text: str) -> bytes:
    return codecs.BOM_UTF16_BE + text.encode("utf-16-be")


def _shift_jis(text: str) -> bytes:
    return text.encode("cp932")


def _utf8_bom_crlf(text: str) -> bytes:
    return codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize(
    "encode",
    [_utf16_le, _utf16_be, _utf16_le_bom, _utf16_be_bom, _shift_jis, _utf8_bom_crlf],
    ids=lambda f: f.__name__.strip("_"),
)
def test_the_example_sheet_in_every_encoding_gives_the_same_deck(tmp_path: Path, encode: object) -> None:
    assert callable(encode)
    (tmp_path / "sheet.txt").write_bytes(encode(STUDY_SHEET.read_text(encoding="utf-8")))
    deck = import_to(tmp_path / "sheet.txt", tmp_path)
    assert concepts_in(deck, "ja") == concepts_in(bundled(), "ja")
    assert questions_in(deck, "ja") == questions_in(bundled(), "ja")


def test_an_excel_csv_in_shift_jis_is_read(tmp_path: Path) -> None:
    text = "用語,説明\r\n正規化,表を分割して重複をなくすこと。\r\nインデックス,検索を速くする索引。\r\n"
    (tmp_path / "用語.csv").write_bytes(text.encode("cp932"))
    deck = import_to(tmp_path / "用語.csv", tmp_path)
    assert [(c.name["ja"], c.description["ja"]) for c in deck.concepts] == [
        ("正規化", "表を分割して重複をなくすこと。"),
        ("インデックス", "検索を速くする索引。"),
    ]
    assert deck.id == "yougo"


def _workbook(
    path: Path, rows: list[list[str | int | None]], *more: tuple[str, list[list[str | None]]]
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for title, other in more:
        worksheet = book.create_sheet(title)
        for line in other:
            worksheet.append(line)
    book.save(path)


def test_a_spreadsheet_gives_the_same_deck_as_its_markdown(tmp_path: Path) -> None:
    (tmp_path / "csv").mkdir()
    markdown = import_to(CORPUS / "csv-excel.csv", tmp_path / "csv")
    rows: list[list[str | int | None]] = [
        ["Technique", "Description", "Pros", "Cons"],
        [
            "Bagging",
            "Trains models on bootstrap samples and averages them.",
            "- Lowers variance\n- Easy to parallelise",
            "- Does not lower bias",
        ],
        [
            "Boosting",
            "Trains models in turn, each on the errors of the last.",
            "- Lowers bias",
            "- Sensitive to noise",
        ],
        [None],
        ["Question", "Answer"],
        ["Your trees overfit badly. What helps?", "Bagging. Averaging lowers the variance."],
        ["Your model underfits. What helps?", "Boosting. Each model fixes the last one's errors."],
    ]
    _workbook(tmp_path / "ensembles.xlsx", rows)
    result = run_cli(["import", "ensembles.xlsx", "-o", "book.yaml"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ensembles.xlsx:1: a table of 2 concepts: Technique → name, Description → description, Pros → pros, "
        "Cons → cons (the concepts are called 'technique': kind)",
        "ensembles.xlsx:5: a table of 2 questions and answers",
        "ensembles.xlsx:6: question 1 → 'Bagging' (its answer on line 6)",
        "ensembles.xlsx:7: question 2 → 'Boosting' (its answer on line 7)",
        "book.yaml: 2 concepts, 2 questions",
    ]
    (deck,) = load_decks([tmp_path / "book.yaml"])
    assert concepts_in(deck, "en") == concepts_in(markdown, "en")
    assert questions_in(deck, "en") == questions_in(markdown, "en")


def test_a_spreadsheet_with_a_transposed_table_and_numbers(tmp_path: Path) -> None:
    _workbook(
        tmp_path / "nat.xlsx",
        [
            ["Feature", "NAT Gateway", "NAT Instance"],
            ["Description", "A managed NAT service.", "An instance that forwards traffic."],
            ["Max bandwidth (Gbps)", 100, 5],
            [None],
            ["Q1. You want no servers to patch. Which one?"],
            ["A1. NAT Gateway. It is managed."],
        ],
    )
    deck = import_to(tmp_path / "nat.xlsx", tmp_path)
    assert [(c.name["en"], c.features[0]["en"]) for c in deck.concepts] == [
        ("NAT Gateway", "Max bandwidth (Gbps): 100"),
        ("NAT Instance", "Max bandwidth (Gbps): 5"),
    ]
    assert [q.answer for q in deck.questions] == ["nat-gateway"]


CONCEPTS_SHEET: list[list[str | int | None]] = [
    ["Term", "Description"],
    ["Mutex", "A lock that admits one thread."],
    ["Semaphore", "A counter that admits up to N threads."],
]


def test_every_worksheet_is_read_and_named_in_messages(tmp_path: Path) -> None:
    quiz: list[list[str | None]] = [
        ["Q1. Only one thread may write the file. What do you use?"],
        ["Q2. At most five threads may use the pool. What do you use?"],
        [None],
        ["A2. Semaphore. It counts up to five."],
        ["A1. Mutex. It admits one thread."],
    ]
    _workbook(tmp_path / "threads.xlsx", CONCEPTS_SHEET, ("Quiz", quiz))
    result = run_cli(["import", "threads.xlsx", "-o", "out.yaml"], tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "threads.xlsx[Sheet]:1: a table of 2 concepts, under 'Sheet': Term → name, Description → description "
        "(the concepts are called 'term': kind)",
        "threads.xlsx[Quiz]:1: question 1 → 'Mutex' (its answer on line 5)",
        "threads.xlsx[Quiz]:2: question 2 → 'Semaphore' (its answer on line 4)",
        "out.yaml: 2 concepts, 2 questions",
    ]
    (deck,) = load_decks([tmp_path / "out.yaml"])
    assert [q.answer for q in deck.questions] == ["mutex", "semaphore"]

    quiz[4] = ["A3. Mutex. It admits one thread."]
    _workbook(tmp_path / "broken.xlsx", CONCEPTS_SHEET, ("Quiz", quiz))
    result = run_cli(["import", "broken.xlsx", "-o", "broken.yaml"], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "broken.xlsx[Quiz]:1:1: question 1 has no answer: no answer is numbered 1",
        "broken.xlsx[Quiz]:5:1: answer 3 has no question: no question is numbered 3",
    ]


def test_a_damaged_spreadsheet_is_reported(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip file")
    result = run_cli(["import", "broken.xlsx"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("broken.xlsx: the file is not a spreadsheet that can be read (.xlsx): ")
    assert not (tmp_path / "source").exists()


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_only_a_regular_file_is_read_and_others_are_refused_at_once(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(tmp_path / "notes.md")
        name, what = "notes.md", "a named pipe (FIFO)"
    else:
        name, what = "/dev/zero", "a device or socket"
    result = subprocess.run(
        [sys.executable, "-m", "flashcards", "import", name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"{name}: is {what}, not a file; name the study sheet's file\n"
    assert not (tmp_path / "source").exists()


# --- names and targets ----------------------------------------------------------------------------

JAPANESE_SHEET = "手法 | 説明\n蒸留 | 大きなモデルの知識を小さなモデルに移すこと。\n"


def test_sheets_with_japanese_names_get_their_own_deck_ids(tmp_path: Path) -> None:
    other = JAPANESE_SHEET.replace("蒸留", "枝刈り")
    write_tree(tmp_path, {"機械学習.md": JAPANESE_SHEET, "深層学習.md": other})
    first = run_cli(["import", "機械学習.md"], tmp_path)
    second = run_cli(["import", "深層学習.md"], tmp_path)
    assert (first.exit_code, second.exit_code) == (0, 0), first.stderr + second.stderr
    assert first.stdout.splitlines()[-1] == "source/kikaigakushuu.yaml: 1 concept, 0 questions"
    assert second.stdout.splitlines()[-1] == "source/shinsou-gakushuu.yaml: 1 concept, 0 questions"
    assert sorted(deck.id for deck in load_decks([tmp_path / "source"])) == [
        "kikaigakushuu",
        "shinsou-gakushuu",
    ]


def test_a_sheet_whose_deck_would_clash_with_another_in_the_folder_is_reported(tmp_path: Path) -> None:
    write_tree(tmp_path, {"機械学習.md": JAPANESE_SHEET, "深層学習.md": JAPANESE_SHEET})
    assert run_cli(["import", "機械学習.md"], tmp_path).exit_code == 0
    result = run_cli(["import", "深層学習.md"], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "深層学習.md:1:1: the deck cannot be written as a source: its name: deck name '蒸留' is already used by "
        "source/kikaigakushuu.yaml; Anki would merge the two decks\n"
    )
    assert sorted(p.name for p in (tmp_path / "source").iterdir()) == ["kikaigakushuu.yaml"]


def test_a_latin_title_names_a_sheet_with_a_japanese_file_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {"ノート.md": "# Model compression\n\n" + JAPANESE_SHEET})
    deck = import_to(tmp_path / "ノート.md", tmp_path)
    assert (deck.id, deck.name["ja"]) == ("model-compression", "Model compression")


def test_a_file_holding_another_deck_is_never_replaced(tmp_path: Path) -> None:
    write_tree(tmp_path, {"notes.md": JAPANESE_SHEET, "other.md": JAPANESE_SHEET})
    assert run_cli(["import", "notes.md", "-o", "deck.yaml"], tmp_path).exit_code == 0
    kept = (tmp_path / "deck.yaml").read_text(encoding="utf-8")
    for extra in ([], ["--force"]):
        result = run_cli(["import", "other.md", "-o", "deck.yaml", *extra], tmp_path)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (
            "deck.yaml: the file already holds the deck 'notes', not this sheet's 'other'; "
            "write this deck to another file with -o FILE\n"
        )
    assert (tmp_path / "deck.yaml").read_text(encoding="utf-8") == kept
    same = run_cli(["import", "notes.md", "-o", "deck.yaml", "--force"], tmp_path)
    assert same.exit_code == 0, same.stderr


# --- options ----------------------------------------------------------------------------------------


def test_column_names_the_fields_of_columns_import_does_not_know(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "sheet.md": """\
            | Word | Gloss | Notes |
            |---|---|---|
            | Serendipity | Finding something good by chance. | rare word |
            """
        },
    )
    plain = run_cli(["import", "sheet.md", "--dry-run"], tmp_path)
    assert (plain.exit_code, plain.stderr) == (
        1,
        (
            "sheet.md:1:1: this table's first row does not name its columns; name them like "
            "'手法 | 説明 | 特徴 | 利点 | 欠点 | サンプル' or 'Technique | Description | Features | Pros | Cons | Example'\n"
        ),
    )
    result = run_cli(
        ["import", "sheet.md", "-o", "out.yaml", "--column", "Word=name", "--column", "gloss=description"],
        tmp_path,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "sheet.md:1: a table of 1 concept: Word → name, Gloss → description, Notes → features, as 'Notes: …' "
        "(the concepts are called 'word': kind)"
    )
    (deck,) = load_decks([tmp_path / "out.yaml"])
    assert [(c.name["en"], c.description["en"], c.features[0]["en"]) for c in deck.concepts] == [
        ("Serendipity", "Finding something good by chance.", "Notes: rare word")
    ]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            ["--column", "Word"],
            "'Word' is not HEADER=FIELD (FIELD is one of name, description, features, pros, cons, example, question, answer, skip)",
        ),
        (
            ["--column", "Word=title"],
            "'title' in 'Word=title' is not a field; use one of name, description, features, pros, cons, example, question, answer, skip",
        ),
        (
            ["--language", "Deutsch"],
            "'Deutsch' is not a language code such as ja, zh, ko, en, de, fr, es, it, pt, nl, ru",
        ),
    ],
)
def test_a_wrong_option_is_a_usage_error(tmp_path: Path, option: list[str], message: str) -> None:
    write_tree(tmp_path, {"sheet.md": JAPANESE_SHEET})
    result = run_cli(["import", "sheet.md", *option], tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"


def test_language_overrides_what_the_text_says(tmp_path: Path) -> None:
    deck = import_to(SHEETS / "regularization.md", tmp_path, "--language", "ja")
    assert deck.languages == ("ja",)
    assert deck.concepts[1].name["ja"] == "Dropout"


def test_dry_run_says_what_it_read_and_writes_nothing(tmp_path: Path) -> None:
    result = run_cli(["import", str(CORPUS / "out-of-order-answers.md"), "--dry-run"], tmp_path)
    assert result.exit_code == 0, result.stderr
    sheet = str(CORPUS / "out-of-order-answers.md")
    assert result.stdout.splitlines() == [
        f"{sheet}:1: a table of 3 concepts: Algorithm → name, Description → description "
        "(the concepts are called 'algorithm': kind)",
        f"{sheet}:8: question 1 → 'Merge sort' (its answer on line 14)",
        f"{sheet}:9: question 2 → 'Quicksort' (its answer on line 15)",
        f"{sheet}:10: question 3 → 'Heapsort' (its answer on line 13)",
        "source/out-of-order-answers.yaml: 3 concepts, 3 questions (dry run: nothing written)",
    ]
    assert list(tmp_path.iterdir()) == []


# --- what import writes always builds -----------------------------------------------------------


def test_a_text_over_the_limit_is_reported_at_its_line_in_the_sheet(tmp_path: Path) -> None:
    long = "Keeps the weights small and the model simple. " * 230
    write_tree(
        tmp_path, {"long.md": f"| Term | Description |\n|---|---|\n| Small | Short. |\n| Big | {long}|\n"}
    )
    result = run_cli(["import", "long.md"], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "long.md:4:1: the concept 'Big' cannot be written as a source: its description: "
        "the text has 10579 characters; a text may have at most 10000\n"
    )
    assert not (tmp_path / "source").exists()


def test_a_deck_name_made_of_many_concepts_stays_short(tmp_path: Path) -> None:
    rows = "".join(f"| Item {i} | Text number {i}. |\n" for i in range(500))
    write_tree(tmp_path, {"many.md": "| Term | Description |\n|---|---|\n" + rows})
    deck = import_to(tmp_path / "many.md", tmp_path)
    assert deck.name["en"] == "Item 0, Item 1, Item 2, Item 3, …"
    assert len(deck.concepts) == 500


def test_a_language_without_card_labels_is_reported(tmp_path: Path) -> None:
    from flashcards.render import Renderer, template_search_path

    if "it" in Renderer(template_search_path(None)).labels():
        pytest.skip("the cards have labels in Italian")
    result = run_cli(["import", str(SHEETS / "regularization.md"), "--language", "it"], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"{SHEETS / 'regularization.md'}: the sheet is in Italian (it), and the cards have no labels in it yet: "
        "add a 'it:' block to templates/labels.yaml (copy 'en' and translate it), or import the sheet with "
        "--language CODE\n"
    )
    assert not (tmp_path / "source").exists()


# --- the README's examples ----------------------------------------------------------------------

README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Starting from a study sheet") : README.index("## Starting a new deck")]
EXAMPLES = re.findall(r"```text\n(.*?)```", SECTION, flags=re.DOTALL)
#: A table of every concept the README's question examples recommend.
CONCEPTS = """\
| Concept | Description |
|---|---|
| Merge sort | Splits the list, sorts the halves and merges them. |
| Quicksort | Partitions around a pivot and sorts each side. |
| Singleton | Ensures a class has only one instance. |
| 正規化 | 表を分割して重複をなくすこと。 |
| Git | A distributed version control system. |

"""


def test_the_readme_shows_every_shape() -> None:
    assert len(EXAMPLES) == 6


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.split("\n", 1)[0][:30])
def test_each_example_in_the_readme_imports_as_it_says(tmp_path: Path, example: str) -> None:
    tables = "|" in example
    (tmp_path / "sheet.md").write_text(example if tables else CONCEPTS + example, encoding="utf-8")
    result = run_cli(["import", "sheet.md", "-o", "out.yaml"], tmp_path)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    (deck,) = load_decks([tmp_path / "out.yaml"])
    (lang,) = deck.languages
    names = [c.name[lang] for c in deck.concepts]
    if tables:
        assert (
            names == re.findall(r"^\|? ?(?:## )?([^|#\n]+?) \| [^-]", example, flags=re.MULTILINE)[1:]
            or names
        )
        assert all(c.description[lang] for c in deck.concepts)
    else:
        asked = re.findall(r"^(?:\d\.|Q:|問1) (.+(?:\?|か。))$", example, flags=re.MULTILINE)
        linked = {q.question[lang]: deck.concept(q.answer).name[lang] for q in deck.questions}
        assert sorted(linked) == sorted(asked)
        for question, name in linked.items():
            answer = next(q.explanation[lang] for q in deck.questions if q.question[lang] == question)
            assert answer.startswith(name), (question, name)


@pytest.mark.parametrize(
    ("file_name", "title", "language", "deck"),
    [
        ("機械学習.md", "", "ja", "kikaigakushuu"),
        ("データベース入門.txt", "", "ja", "deetabeesu-nyuumon"),
        ("ノート.md", "", "en", "nooto"),
        ("정렬.md", "", "ko", "jeong-lyeol"),
        ("排序算法.csv", "", "zh", "pai-xu-suan-fa"),
        ("Übersicht.md", "", "de", "ubersicht"),
        ("機械学習.md", "Machine learning", "ja", "machine-learning"),
        ("★.md", "", "en", "sheet-567b75d2"),
    ],
)
def test_a_deck_id_from_any_file_name(file_name: str, title: str, language: str, deck: str) -> None:
    from flashcards.importer.ids import deck_id

    assert deck_id(file_name, title, language) == deck


def test_what_the_readme_says_import_prints_is_what_it_prints(tmp_path: Path) -> None:
    start = SECTION.index("It says what it read")
    block = re.search(r"```\n(.*?)```", SECTION[start:], flags=re.DOTALL)
    assert block is not None
    shown = [line for line in block.group(1).splitlines() if line != "…"]
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / STUDY_SHEET.name).write_bytes(STUDY_SHEET.read_bytes())
    result = run_cli(["import", f"examples/{STUDY_SHEET.name}"], tmp_path)
    assert result.exit_code == 0, result.stderr
    printed = result.stdout.splitlines()
    assert all(line in printed for line in shown), (shown, printed)
    assert (printed[0], printed[-1]) == (shown[0], shown[-1])
