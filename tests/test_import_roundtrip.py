"""Property: any deck written as a sheet, in any shape and format people use, imports back to the same
concepts, topics, questions and links."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.importer.sheet import read_sheet

NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel")
WORDS = ("keeps", "data", "small", "fast", "models", "every", "layer", "weights", "trains", "sorts", "list")


@dataclass(frozen=True)
class Concept:
    name: str
    description: str
    pro: str
    topic: str


@dataclass(frozen=True)
class Question:
    text: str
    answer: int  # the concept it recommends
    explanation: str


@dataclass(frozen=True)
class Deck:
    concepts: tuple[Concept, ...]
    questions: tuple[Question, ...]
    #: The order in which the answers are written (by question number).
    answer_order: tuple[int, ...]


sentence = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map(lambda w: " ".join(w).capitalize())


@st.composite
def decks(draw: st.DrawFn, topics: bool) -> Deck:
    count = draw(st.integers(2, 5))
    names = draw(st.permutations(NAMES))[:count]
    split = draw(st.integers(1, count - 1)) if topics else count
    concepts = tuple(
        Concept(
            name,
            draw(sentence) + ".",
            draw(sentence) + ".",
            ("Basics" if i < split else "Advanced") if topics else "",
        )
        for i, name in enumerate(names)
    )
    asked = draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=4))
    questions = tuple(
        Question(f"{draw(sentence)} number {n}, which one?", i, draw(sentence) + ".")
        for n, i in enumerate(asked, start=1)
    )
    order = tuple(draw(st.permutations(range(len(questions)))))
    return Deck(concepts, questions, order)


def answer_text(deck: Deck, index: int) -> str:
    q = deck.questions[index]
    return f"{deck.concepts[q.answer].name}. {q.explanation}"


# --- questions, written four ways -----------------------------------------------------------------


def numbered(deck: Deck) -> list[str]:
    lines = ["", "Questions:"] + [f"{n}. {q.text}" for n, q in enumerate(deck.questions, start=1)]
    lines += ["", "Answers:"] + [f"{i + 1}. {answer_text(deck, i)}" for i in deck.answer_order]
    return lines


def interleaved(deck: Deck) -> list[str]:
    lines = ["", "## Quiz", ""]
    for n, q in enumerate(deck.questions, start=1):
        lines += [f"{n}. {q.text}", f"   - {answer_text(deck, n - 1)}"]
    return lines


def labelled(deck: Deck) -> list[str]:
    lines = [""]
    for n, q in enumerate(deck.questions, start=1):
        lines += [f"Q{n}: {q.text}", f"A{n}: {answer_text(deck, n - 1)}", ""]
    return lines


def japanese_numbers(deck: Deck) -> list[str]:
    lines = [""] + [f"問{n} {q.text}" for n, q in enumerate(deck.questions, start=1)]
    return lines + [f"答{i + 1} {answer_text(deck, i)}" for i in deck.answer_order]


QUESTION_STYLES = (numbered, interleaved, labelled, japanese_numbers)

# --- tables, written five ways ---------------------------------------------------------------------

HEADER = ("Concept", "Description", "Pros")


def rows(concepts: tuple[Concept, ...]) -> list[tuple[str, str, str]]:
    return [(c.name, c.description, f"- {c.pro}") for c in concepts]


def groups(deck: Deck) -> list[tuple[str, tuple[Concept, ...]]]:
    topics = list(dict.fromkeys(c.topic for c in deck.concepts))
    return [(t, tuple(c for c in deck.concepts if c.topic == t)) for t in topics]


def gfm(deck: Deck) -> tuple[str, bytes]:
    lines: list[str] = []
    for topic, concepts in groups(deck):
        lines += [f"## {topic}", ""] if topic else []
        lines += ["| " + " | ".join(HEADER) + " |", "|---|---|---|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows(concepts)] + [""]
    return ".md", "\n".join(lines).encode()


def pipes(deck: Deck) -> tuple[str, bytes]:
    lines: list[str] = []
    for topic, concepts in groups(deck):
        lines += [f"# {topic}"] if topic else []
        lines += [" | ".join(HEADER)] + [" | ".join(r) for r in rows(concepts)] + [""]
    return ".txt", "\n".join(["Notes for the exam", "", *lines]).encode()


def transposed(deck: Deck) -> tuple[str, bytes]:
    lines: list[str] = []
    for topic, concepts in groups(deck):
        lines += [f"## {topic}", ""] if topic else []
        lines += ["| Aspect | " + " | ".join(c.name for c in concepts) + " |"]
        lines += ["|---" * (len(concepts) + 1) + "|"]
        lines += ["| Description | " + " | ".join(c.description for c in concepts) + " |"]
        lines += ["| Pros | " + " | ".join(c.pro for c in concepts) + " |", ""]
    return ".md", "\n".join(lines).encode()


def _csv_rows(deck: Deck) -> list[list[str]]:
    return [list(HEADER), *[list(r) for r in rows(deck.concepts)]]


def comma_separated(deck: Deck) -> tuple[str, bytes]:
    out = io.StringIO()
    csv.writer(out).writerows(_csv_rows(deck))
    return ".csv", out.getvalue().encode("utf-8-sig")


def spreadsheet(deck: Deck) -> tuple[str, bytes]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in _csv_rows(deck):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return ".xlsx", out.getvalue()


TABLE_STYLES: tuple[Callable[[Deck], tuple[str, bytes]], ...] = (
    gfm,
    pipes,
    transposed,
    comma_separated,
    spreadsheet,
)


def write_sheet(
    deck: Deck, table: Callable[[Deck], tuple[str, bytes]], style: Callable[[Deck], list[str]]
) -> tuple[str, bytes]:
    suffix, data = table(deck)
    lines = style(deck)
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        sheet = book.active
        assert sheet is not None
        for line in lines:
            sheet.append([line or None])
        out = io.BytesIO()
        book.save(out)
        return suffix, out.getvalue()
    if suffix == ".csv":
        out_text = io.StringIO()
        csv.writer(out_text).writerows([[line] for line in lines])
        return suffix, data + out_text.getvalue().encode()
    return suffix, data + ("\n".join(lines) + "\n").encode()


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    table=st.sampled_from(TABLE_STYLES),
    style=st.sampled_from(QUESTION_STYLES),
)
def test_a_deck_written_as_a_sheet_imports_back(
    data: st.DataObject, table: Callable[[Deck], tuple[str, bytes]], style: Callable[[Deck], list[str]]
) -> None:
    topics = table in (gfm, pipes, transposed) and data.draw(st.booleans())
    deck = data.draw(decks(topics))
    if style is interleaved and table in (comma_separated, spreadsheet):
        style = labelled  # a cell has no indentation to put an answer under its question
    suffix, content = write_sheet(deck, table, style)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"sheet{suffix}"
        path.write_bytes(content)
        sheet = read_sheet(path, path.name)
    multi = len({c.topic for c in deck.concepts}) > 1
    assert [(c.name, c.description, c.pros, c.topic) for c in sheet.concepts] == [
        (c.name, c.description, (c.pro,), c.topic if multi else "") for c in deck.concepts
    ]
    assert [(q.question, q.explanation, q.answer) for q in sheet.questions] == [
        (q.text, answer_text(deck, i), q.answer) for i, q in enumerate(deck.questions)
    ]
    assert sheet.warnings == ()


ALPHABET = '|｜-\n\r\t :・*#QA問答1２①.()[]→<>/tdrhbl,;"\\`Technique Description 手法説明 Question Answer'


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(st.sampled_from(ALPHABET), max_size=300),
    suffix=st.sampled_from([".md", ".txt", ".csv", ".tsv", ".html"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp932", "latin-1"]),
)
def test_any_file_gives_a_sheet_or_a_clean_error(text: str, suffix: str, encoding: str) -> None:
    """Whatever a file holds, import reads it or says where it failed; it never fails otherwise."""
    from flashcards.errors import Problem, SourceError

    problems: tuple[Problem, ...] = ()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"sheet{suffix}"
        path.write_bytes(text.encode(encoding, errors="replace"))
        try:
            sheet = read_sheet(path, path.name)
        except SourceError as error:
            problems = error.problems
    if problems:
        # A problem about the whole file has no position; any other has both.
        assert all(
            p.path == path.name
            and ((p.line, p.column) == (None, None) or (p.line or 0) >= 1 <= (p.column or 0))
            for p in problems
        )
        return
    assert sheet.concepts
    assert all(c.name and c.description for c in sheet.concepts)
    assert all(q.question and q.explanation for q in sheet.questions)
