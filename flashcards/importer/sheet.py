"""A whole sheet: its tables of concepts, its questions linked to concepts, its title and description,
and a reading of it (how each table and question was understood) for the user to check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from flashcards.errors import Problem, Severity, SourceError
from flashcards.importer.captions import is_caption, table_heading
from flashcards.importer.columns import Field, normal_word
from flashcards.importer.document import Document, Table, TextLine, locate, located
from flashcards.importer.files import read_document
from flashcards.importer.items import Role
from flashcards.importer.language import detect_language
from flashcards.importer.linking import SheetQuestion, Written, link_all, pair
from flashcards.importer.questions import Heading, Item, read_entries
from flashcards.importer.tables import (
    COLUMN_HINT,
    ConceptTable,
    OtherTable,
    QuestionTable,
    SheetConcept,
    read_table,
)
from flashcards.importer.wording import count

#: Words that end a short line just above the table when it is the table's caption.


@dataclass(frozen=True)
class Sheet:
    path: str
    language: str
    #: A ``# Title`` on the sheet's first line, else "".
    title: str
    title_line: int
    description: str
    #: The text after the last answer: a remark that qualifies the answers ("" when there is none).
    answer_note: str
    #: What the concepts are, from the header of the column of names ("" when it says nothing).
    kind: str
    #: Where the note on answers starts (0 when there is none).
    answer_note_line: int
    concepts: tuple[SheetConcept, ...]
    questions: tuple[SheetQuestion, ...]
    warnings: tuple[Problem, ...]
    #: How each table was read, as (line, text), for the user to check.
    tables: tuple[tuple[int, str], ...]
    #: The parts of a file of several (see ``Document.parts``).
    parts: tuple[tuple[int, str], ...] = ()

    def where(self, line: int) -> str:
        """``path:line`` of a line, as messages give it."""
        path, number = locate(self.path, self.parts, line)
        return f"{path}:{number}"


def read_sheet(
    path: Path, display: str, columns: Mapping[str, Field] | None = None, language: str | None = None
) -> Sheet:
    """Read one study sheet. Raises SourceError with every line where reading failed."""
    document = read_document(path, display)
    try:
        return _SheetReader(document, columns or {}, language).read()
    except SourceError as error:
        raise SourceError([located(p, document.path, document.parts) for p in error.problems]) from None


def parse_sheet(text: str, display: str) -> Sheet:
    """A sheet written as Markdown or plain text (for tests and callers that hold the text)."""
    from flashcards.importer.pipes import read_pipe_text

    if not text.strip():
        raise SourceError(
            [Problem(display, None, None, "the file is empty; a study sheet holds a table of concepts")]
        )
    return _SheetReader(read_pipe_text(text, display), {}, None).read()


class _SheetReader:
    def __init__(self, document: Document, columns: Mapping[str, Field], language: str | None) -> None:
        self.doc = document
        self.path = document.path
        self.columns = columns
        self.language = language
        self.warnings = [
            Problem(self.path, line, 1, message, severity=Severity.WARNING)
            for line, message in document.notes
        ]
        self.tables: list[tuple[int, str]] = []

    def read(self) -> Sheet:
        runs, tables = self.runs()
        title, title_line = self.title(runs[0])
        problems: list[Problem] = []
        read = [self.table(t, problems) for t in tables]
        if any(isinstance(r, ConceptTable) and not r.weak for r in read):
            read = [
                OtherTable(r.line, tuple(c.text for c in t.rows[0]))
                if isinstance(r, ConceptTable) and r.weak
                else r
                for r, t in zip(read, tables, strict=True)
            ]
        concept_tables = [r for r in read if isinstance(r, ConceptTable)]
        if not concept_tables and not problems:
            raise self.no_concepts(read)
        topics = self.topics(runs, read, title_line)
        written: list[Written] = []
        description: list[tuple[int, str]] = []
        seen_concepts = False
        for index, run in enumerate(runs):
            entries = read_entries(run, self.path, after_table=seen_concepts)
            skip = {title_line, *topics.get(index, {}).values()}
            description += [*self.text_of(entries, skip), (run[-1].line if run else 0, "")]
            for entry in entries:
                if isinstance(entry, Item) and entry.role is not None:
                    written.append(Written(entry.role, entry.number, entry.text, entry.line))
            if index < len(read):
                table = read[index]
                seen_concepts = seen_concepts or isinstance(table, ConceptTable)
                written += self.table_items(table)
        try:
            concepts = self.concepts(read, runs, topics)
        except SourceError as error:
            problems += error.problems
            concepts = []
        try:
            pairs = pair(written, self.path)
        except SourceError as error:
            raise SourceError([*problems, *error.problems]) from None
        if problems:
            raise SourceError(problems)
        questions, link_warnings = link_all(pairs, [c.name for c in concepts], self.path)
        self.warnings += link_warnings
        texts = [c.name + " " + c.description for c in concepts] + [q.question for q in questions]
        language = self.language or detect_language(texts)
        last = max((w.line for w in written), default=None)
        return Sheet(
            self.path,
            language,
            title,
            title_line,
            _paragraphs(text for line, text in description if last is None or line <= last),
            _paragraphs(text for line, text in description if last is not None and line > last),
            _kind(concept_tables, language),
            min((line for line, text in description if text and last is not None and line > last), default=0),
            tuple(concepts),
            tuple(questions),
            tuple(located(p, self.path, self.doc.parts) for p in self.warnings),
            tuple(sorted(self.tables)),
            self.doc.parts,
        )

    def table(
        self, table: Table, problems: list[Problem]
    ) -> ConceptTable | QuestionTable | OtherTable | None:
        """The table read, or None when it cannot be (its problem is added to ``problems``)."""
        try:
            return read_table(table, self.path, self.columns, "")
        except SourceError as error:
            problems += error.problems
            return None

    def runs(self) -> tuple[list[list[TextLine]], list[Table]]:
        """The text lines before, between and after the tables, and the tables."""
        runs: list[list[TextLine]] = [[]]
        tables: list[Table] = []
        for block in self.doc.blocks:
            if isinstance(block, Table):
                tables.append(block)
                runs.append([])
            else:
                runs[-1].append(block)
        return runs, tables

    def title(self, run: Sequence[TextLine]) -> tuple[str, int]:
        first = next((line for line in run if line.text.strip()), None)
        if first is not None and re.match(r"^#\s", first.text.strip()):
            return first.text.strip().lstrip("#").strip(), first.line
        return "", 0

    def topics(
        self, runs: Sequence[Sequence[TextLine]], read: Sequence[object], title_line: int
    ) -> dict[int, dict[str, int]]:
        """{run index: {topic or caption: its line}} for the heading just above each concept table."""
        found: dict[int, dict[str, int]] = {}
        for index, table in enumerate(read):
            above = table_heading(runs[index], title_line) if isinstance(table, ConceptTable) else None
            if above is not None:
                found[index] = {above[0]: above[1]}
        return found

    def concepts(
        self,
        read: Sequence[ConceptTable | QuestionTable | OtherTable | None],
        runs: Sequence[Sequence[TextLine]],
        topics: Mapping[int, Mapping[str, int]],
    ) -> list[SheetConcept]:
        concept_tables = [(i, t) for i, t in enumerate(read) if isinstance(t, ConceptTable)]
        several = len(concept_tables) > 1
        concepts: list[SheetConcept] = []
        names: dict[str, int] = {}
        problems: list[Problem] = []
        for index, table in concept_tables:
            topic = next(iter(topics.get(index, {})), "")
            use_topic = several and topic and not is_caption(topic)
            for concept in table.concepts:
                if concept.name in names:
                    message = (
                        f"'{concept.name}' is already the name of the concept on line {names[concept.name]}; "
                        "every concept needs its own name"
                    )
                    problems.append(Problem(self.path, concept.line, 1, message))
                    continue
                names[concept.name] = concept.line
                concepts.append(SheetConcept(**{**concept.__dict__, "topic": topic if use_topic else ""}))
            shape = "a transposed table (one column a concept)" if table.transposed else "a table"
            fields = ", ".join(f"{label or '(no name)'} → {what}" for label, what in table.reading)
            where = f", topic '{topic}'" if use_topic else (f", under '{topic}'" if topic else "")
            concepts_read = count(len(table.concepts), "concept")
            self.tables.append((table.line, f"{shape} of {concepts_read}{where}: {fields}"))
        if problems:
            raise SourceError(problems)
        return concepts

    def table_items(self, table: ConceptTable | QuestionTable | OtherTable | None) -> list[Written]:
        if isinstance(table, QuestionTable):
            self.tables.append((table.line, f"a table of {count(len(table.rows), 'question')} and answers"))
            return [
                item
                for row in table.rows
                for item in (
                    Written(Role.QUESTION, None, row.question, row.line),
                    Written(Role.ANSWER, None, row.answer, row.answer_line),
                )
            ]
        if isinstance(table, OtherTable):
            message = (
                f"this table ({' | '.join(table.headers)}) is not a table of concepts: its columns name no "
                "description, features, pros, cons or example; it is left out of the cards "
                "(name its columns, or give them with --column HEADER=FIELD)"
            )
            self.warnings.append(Problem(self.path, table.line, 1, message, severity=Severity.WARNING))
        return []

    def text_of(self, entries: Sequence[object], skip: set[int]) -> list[tuple[int, str]]:
        """The lines of a run that are neither questions nor answers, with their lines."""
        out: list[tuple[int, str]] = []
        for entry in entries:
            if isinstance(entry, Heading):
                out.append((entry.line, ""))
                if entry.line not in skip and _is_content_heading(entry.text):
                    out.append((entry.line, entry.text))
            elif isinstance(entry, Item):
                if entry.role is None:
                    out.append((entry.line, entry.text))
            elif isinstance(entry, TextLine) and entry.line not in skip:
                text = entry.text.strip()
                out.append((entry.line, text.lstrip("#").strip() if text.startswith("#") else text))
        return out

    def no_concepts(self, read: Sequence[object]) -> SourceError:
        other = next((t for t in read if isinstance(t, OtherTable)), None)
        if other is not None:
            message = f"this table's first row does not name its columns; name them like {COLUMN_HINT}"
            return SourceError([Problem(self.path, other.line, 1, message)])
        message = (
            "not a study sheet: it has no table of concepts; the table's first row names the columns, "
            f"like {COLUMN_HINT}"
        )
        return SourceError([Problem(self.path, None, None, message)])


def _is_content_heading(text: str) -> bool:
    from flashcards.importer.questions import heading

    return heading(text)[1] is None


#: Headers of a column of names that say nothing about what the concepts are.
_GENERIC_NAMES = frozenset(
    ("名前", "名称", "項目", "概念", "名字", "이름", "name", "names", "concept", "item", "nom")
)
_EAST_ASIAN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
#: Languages that write a common noun in lower case in a sentence.
_LOWER_NOUNS = ("en", "fr", "es", "it", "pt", "nl")


def _kind(tables: Sequence[ConceptTable], language: str) -> str:
    """What the concepts are, when every table's column of names calls them the same (``手法``)."""
    labels = {normal_word(t.name_label) for t in tables}
    if len(labels) != 1 or any(t.transposed for t in tables):
        return ""
    (word,) = labels
    if not word or word in _GENERIC_NAMES or " " in word:
        return ""
    label = tables[0].name_label.strip().strip("*_`#").strip().rstrip(":：").strip()
    if bool(_EAST_ASIAN.search(label)) != (language in ("ja", "zh", "ko")):
        return ""  # a header in another language than the sheet's ('Term' over Japanese names)
    return label.lower() if language in _LOWER_NOUNS else label


def _paragraphs(lines: Iterable[str]) -> str:
    """Lines as text: consecutive lines stay lines of one paragraph, blank lines separate paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        text = line.strip()
        if text:
            paragraphs[-1].append(text)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)
