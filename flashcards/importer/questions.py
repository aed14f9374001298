"""The text around the tables: headings, questions, answers, and the lines that are neither.

A part of the sheet under a heading such as ``問題:`` / ``Questions`` holds questions, one under
``回答:`` / ``Answers`` answers; a label (``Q1:``, ``問1``, ``A:``, ``答:``, ``→``) says it on the item
itself, and an item indented under a question is its answer. When some line of a part starts an item, an
item is that line plus the indented lines after it (or, for a bare ``-``, the next line); lines that start
none are text, kept for the deck's description. After the first table, a numbered item that ends with a
question mark is a question even without a heading, and the numbered items after such questions are
their answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flashcards.errors import Problem, SourceError
from flashcards.importer.columns import normal_word
from flashcards.importer.document import TextLine
from flashcards.importer.items import Marked, Role, mark
from flashcards.importer.pipes import join_wrapped

_QUESTIONS = (
    "問題|質問|問い|クイズ|演習|questions|question|quiz|exercises|q&a|q & a|问题|练习|질문|문제|퀴즈|"
    "fragen|übungen|exercices|preguntas|ejercicios"
)
_ANSWERS = (
    "回答|解答|答え|正解|answers|answer|solutions|答案|정답|답|antworten|lösungen|"
    "réponses|respuestas|soluciones"
)
#: Words that make a short line the heading of the questions or the answers.
HEADING_WORDS: dict[Role, tuple[str, ...]] = {
    Role.QUESTION: tuple(_QUESTIONS.split("|")),
    Role.ANSWER: tuple(_ANSWERS.split("|")),
}
_HEADING_MAX = 40
_SENTENCE_END = re.compile(r"[。．！？!?]|\.(?=\s|$)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_ASKS = re.compile(r"[?？]\s*\)?$|(?:か|ですか|ますか)[。]?$")


@dataclass
class Item:
    role: Role | None
    line: int
    number: int | None
    indent: int
    #: An answer written right under its question (indented, or ``A:`` on the next line).
    under: bool = False
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_wrapped(self.parts)


@dataclass(frozen=True)
class Heading:
    line: int
    text: str
    markdown: bool


Entry = Item | Heading | TextLine


def heading(text: str) -> tuple[bool, Role | None]:
    """Whether a line heads a part of the sheet, and which (questions, answers or neither)."""
    stripped = text.strip()
    markdown = bool(re.match(r"^#{1,6}(\s|$)", stripped))
    marked = mark(stripped.lstrip("#").strip())
    if marked.role is not None and not marked.text and not marked.bullet and marked.number is None:
        return True, marked.role
    word = normal_word(stripped.lstrip("#"))
    colon = stripped.endswith((":", "："))
    if not word or len(word) > _HEADING_MAX or _SENTENCE_END.search(word):
        return markdown, None
    for role, words in HEADING_WORDS.items():
        for w in words:
            ends = word.endswith(w) and (not word[-len(w) - 1 : -len(w)].isalnum() or _CJK.match(w))
            if word == w or (len(w) > 1 and ends):
                return True, role
    return markdown or (colon and marked.number is None and not marked.bullet), None


def read_entries(lines: Sequence[TextLine], path: str, *, after_table: bool) -> list[Entry]:
    """One run of text lines (between two tables) as headings, items and lines of text, in order."""
    entries: list[Entry] = []
    section: list[TextLine] = []
    role: Role | None = None
    for line in lines:
        is_heading, heading_role = heading(line.text) if line.text.strip() else (False, None)
        if is_heading:
            entries += _Section(path, role, after_table).read(section)
            text = line.text.strip()
            entries.append(Heading(line.line, text.lstrip("#").strip(), text.startswith("#")))
            section = []
            role = heading_role if heading_role is not None else None
            continue
        section.append(line)
    entries += _Section(path, role, after_table).read(section)
    return entries


class _Section:
    def __init__(self, path: str, role: Role | None, after_table: bool) -> None:
        self.path = path
        self.role = role
        self.after_table = after_table
        self.entries: list[Entry] = []
        self.current: Item | None = None
        #: The last question, while no answer has followed it.
        self.question: Item | None = None
        #: The current item is a bare marker; its text is on the next line.
        self.pending = False

    def read(self, lines: Sequence[TextLine]) -> list[Entry]:
        marked = any(mark(line.text).is_item for line in lines if line.text.strip())
        for line in lines:
            m = mark(line.text)
            if not line.text.strip():
                self.current = self.current if self.pending else None
                self.entries.append(line)
            elif self.pending and self.current is not None and not (m.bullet or m.number is not None):
                self.current.role = m.role or self.current.role
                self.current.parts.append(m.text if m.role else line.text.strip())
                self.current.line = line.line
                self.pending = False
            elif m.is_item:
                self.item(m, line.line)
            elif self.current is not None and line.text[:1].isspace():
                self.current.parts.append(line.text.strip())
            elif not marked and self.role is not None:
                self.start(Item(self.role, line.line, None, m.indent, parts=[line.text.strip()]))
            else:
                self.current = None
                self.entries.append(line)
        for entry in self.entries:
            if isinstance(entry, Item) and not entry.text:
                message = "this item is empty; write its text after the marker"
                raise SourceError([Problem(self.path, entry.line, 1, message)])
        return self.guess_roles(self.entries)

    def item(self, m: Marked, line: int) -> None:
        """A line that starts with a marker: a new item, an answer under its question, or a sub-item."""
        question = self.question
        if question is not None and m.role is not Role.QUESTION and (m.indent > question.indent or m.role):
            self.start(Item(Role.ANSWER, line, m.number, m.indent, under=True))
        elif (
            self.current is not None
            and m.role is None
            and (m.indent > self.current.indent or self.goes_on_under(m.indent, m.number))
        ):
            self.current.parts.append(m.text)  # a sub-item, or a second item under the same question
            return
        else:
            role = m.role or self.role
            if self.role is Role.ANSWER and m.role is Role.QUESTION and m.number is not None:
                role = Role.ANSWER  # 'Q1. …' under 'Answers' answers question 1
            if role is None and self.after_table and m.number is not None and _ASKS.search(m.text):
                role = Role.QUESTION
            self.start(Item(role, line, m.number, m.indent))
        assert self.current is not None
        if m.text:
            self.current.parts.append(m.text)
        self.pending = not m.text

    def goes_on_under(self, indent: int, number: int | None) -> bool:
        """Whether an unnumbered item goes on with an answer indented under its question (a second bullet)."""
        current = self.current
        return current is not None and current.under and indent == current.indent > 0 and number is None

    def start(self, item: Item) -> None:
        self.current = item
        self.question = item if item.role is Role.QUESTION else None
        self.entries.append(item)

    def guess_roles(self, entries: list[Entry]) -> list[Entry]:
        """Numbered items with no role, after a table: questions when they ask, then their answers."""
        if self.role is not None or not self.after_table:
            return entries
        asked = False
        for entry in entries:
            if not isinstance(entry, Item) or entry.role is not None or entry.number is None:
                if isinstance(entry, Item) and entry.role is Role.QUESTION:
                    asked = True
                continue
            if _ASKS.search(entry.text):
                entry.role = Role.QUESTION
                asked = True
            elif asked:
                entry.role = Role.ANSWER
        return entries
