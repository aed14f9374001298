"""Tables to concepts: which columns (or, in a transposed table, which rows) hold which field.

A table of concepts names a concept in every row (or in every column, when transposed) and has at least
one column of description, features, pros, cons or example. A column that names no field is kept: as a
feature item ``Header: value``, or, when the table has no description column, as the description. A
table of questions and answers has a question and an answer column. Any other table is left out of the
cards, and the sheet's reading says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flashcards.errors import Problem, SourceError
from flashcards.importer.columns import Field, field_of, is_aspect, normal_word
from flashcards.importer.document import Cell, Table

_CONCEPT_FIELDS = (Field.DESCRIPTION, Field.FEATURES, Field.PROS, Field.CONS, Field.EXAMPLE)
_CELL_BULLET = re.compile(r"(?:^|(?<=\s))(?:[-*•](?=\s)|・)\s*")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_|`)(.+)\1$")
_ROW_NUMBER = re.compile(r"^\(?\d{1,4}[.)]?$")
_NUMBER_HEADERS = ("no", "no.", "#", "番号", "번호", "nr", "nr.", "n°", "num", "序号", "")
COLUMN_HINT = (
    "'手法 | 説明 | 特徴 | 利点 | 欠点 | サンプル' "
    "or 'Technique | Description | Features | Pros | Cons | Example'"
)


@dataclass(frozen=True)
class SheetConcept:
    name: str
    description: str
    features: tuple[str, ...]
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    example: str
    line: int
    topic: str = ""


@dataclass(frozen=True)
class ConceptTable:
    line: int
    concepts: tuple[SheetConcept, ...]
    #: How each header was read, for the report: ("手法", "name"), ("Notes", "features, as 'Notes: …'").
    reading: tuple[tuple[str, str], ...]
    transposed: bool
    #: The header of the column of names ("" in a transposed table): what the concepts are.
    name_label: str = ""
    #: Its first column names the concepts, but no column names a field: read only when no other
    #: table of the sheet is a table of concepts.
    weak: bool = False


@dataclass(frozen=True)
class QuestionRow:
    question: str
    answer: str
    line: int
    answer_line: int


@dataclass(frozen=True)
class QuestionTable:
    line: int
    rows: tuple[QuestionRow, ...]


@dataclass(frozen=True)
class OtherTable:
    line: int
    headers: tuple[str, ...]


def read_table(
    table: Table, path: str, chosen: Mapping[str, Field], topic: str
) -> ConceptTable | QuestionTable | OtherTable:
    header = table.rows[0]
    fields = [Field.SKIP if _numbering(table, i) else field_of(c.text, chosen) for i, c in enumerate(header)]
    if table.broken is not None:
        if Field.NAME in fields and Field.DESCRIPTION not in fields and None not in fields:
            raise _no_description(path, header[0])
        raise SourceError([table.broken])
    if Field.QUESTION in fields and Field.ANSWER in fields:
        return _question_table(table, fields)
    body = table.rows[1:]
    across = sum(1 for f in fields[1:] if f in _CONCEPT_FIELDS) + (
        fields[0] in _CONCEPT_FIELDS and Field.NAME in fields
    )
    down = sum(1 for row in body if field_of(row[0].text, chosen) in _CONCEPT_FIELDS)
    if down > across or (not across and is_aspect(header[0].text) and len(header) >= 2 and body):
        return _Reader(path, chosen, topic).transposed(table)
    if across:
        return _Reader(path, chosen, topic).across(table, fields)
    if fields[0] is Field.NAME and len(header) >= 2 and body:
        read = _Reader(path, chosen, topic).across(table, fields)
        return ConceptTable(read.line, read.concepts, read.reading, False, read.name_label, weak=True)
    return OtherTable(table.line, tuple(c.text for c in header))


def _question_table(table: Table, fields: Sequence[Field | None]) -> QuestionTable:
    header = table.rows[0]
    q, a = fields.index(Field.QUESTION), fields.index(Field.ANSWER)
    rows = []
    for row in table.rows[1:]:
        if not any(c.text for c in row):
            continue
        extra = [
            f"{header[i].text}: {cell.text}" if fields[i] is None else cell.text
            for i, cell in enumerate(row)
            if i not in (q, a)
            and cell.text
            and normal_word(header[i].text) not in _NUMBER_HEADERS
            and fields[i] is not Field.SKIP
        ]
        answer = "\n".join([row[a].text, *extra]).strip()
        rows.append(QuestionRow(row[q].text, answer, row[q].line, row[a].line))
    return QuestionTable(table.line, tuple(rows))


class _Reader:
    def __init__(self, path: str, chosen: Mapping[str, Field], topic: str) -> None:
        self.path = path
        self.chosen = chosen
        self.topic = topic

    def error(self, cell: Cell, message: str) -> SourceError:
        return SourceError([Problem(self.path, cell.line, cell.column, message)])

    def across(self, table: Table, fields: list[Field | None]) -> ConceptTable:
        header = table.rows[0]
        for i, (cell, f) in enumerate(zip(header, fields, strict=True)):
            if f is not None and f is not Field.SKIP and fields.index(f) != i:
                raise self.error(cell, f"the column '{cell.text}' is named twice")
        unnamed = [i for i, f in enumerate(fields) if f is None]
        name_at = fields.index(Field.NAME) if Field.NAME in fields else (unnamed or [0])[0]
        if Field.DESCRIPTION not in fields and not [i for i in unnamed if i != name_at]:
            raise _no_description(self.path, header[0])
        fields[name_at] = Field.NAME
        described = header[fields.index(Field.DESCRIPTION)].text if Field.DESCRIPTION in fields else ""
        concepts = []
        for row in table.rows[1:]:
            if not any(c.text for c in row):
                continue
            attributes = {f: row[i] for i, f in enumerate(fields) if f is not None}
            extras = [(header[i].text, row[i]) for i, f in enumerate(fields) if f is None]
            concepts.append(
                self.concept(row[name_at], header[name_at].text, attributes, extras, header[0], described)
            )
        if not concepts:
            raise self.error(header[0], "the table has no rows: add one row per concept under this line")
        reading = self.reading([(c.text, f) for c, f in zip(header, fields, strict=True)])
        return ConceptTable(
            table.line, tuple(concepts), reading, transposed=False, name_label=header[name_at].text
        )

    def transposed(self, table: Table) -> ConceptTable:
        header = table.rows[0]
        body = [row for row in table.rows[1:] if any(c.text for c in row)]
        labels = [(row[0].text, field_of(row[0].text, self.chosen)) for row in body]
        concepts = []
        for j, name_cell in enumerate(header[1:], start=1):
            if not name_cell.text and not any(row[j].text for row in body):
                continue
            attributes = {f: row[j] for row, (_, f) in zip(body, labels, strict=True) if f is not None}
            extras = [(label, row[j]) for row, (label, f) in zip(body, labels, strict=True) if f is None]
            described = next((label for label, f in labels if f is Field.DESCRIPTION), "")
            concepts.append(self.concept(name_cell, header[0].text, attributes, extras, header[0], described))
        reading = self.reading(labels)
        return ConceptTable(table.line, tuple(concepts), reading, transposed=True)

    def reading(self, labels: Sequence[tuple[str, Field | None]]) -> tuple[tuple[str, str], ...]:
        described = any(f is Field.DESCRIPTION for _, f in labels)
        out = []
        for label, f in labels:
            if f is None:
                where = "features" if described else "description"
                out.append((label, f"{where}, as '{label}: …'" if label else where))
            else:
                out.append((label, "left out" if f is Field.SKIP else f.value))
        return tuple(out)

    def concept(
        self,
        name_cell: Cell,
        name_label: str,
        attributes: Mapping[Field, Cell],
        extras: Sequence[tuple[str, Cell]],
        header: Cell,
        description_label: str,
    ) -> SheetConcept:
        name = _unemphasize(name_cell.text.replace("\n", " ").strip())
        if not name:
            raise self.error(name_cell, f"this row has no name in its '{name_label}' column")
        kept = [f"{label}: {cell.text}" if label else cell.text for label, cell in extras if cell.text]
        description = attributes[Field.DESCRIPTION].text if Field.DESCRIPTION in attributes else ""
        features = list(cell_items(attributes[Field.FEATURES].text)) if Field.FEATURES in attributes else []
        if Field.DESCRIPTION in attributes:
            features += kept
        else:
            if not extras:
                raise _no_description(self.path, header)
            description = "\n".join(kept)
        if not description:
            label = description_label
            where = f"in its '{label}' column" if label else "in this table"
            raise self.error(name_cell, f"'{name}' has no description {where}")
        return SheetConcept(
            name,
            description,
            tuple(features),
            cell_items(attributes[Field.PROS].text) if Field.PROS in attributes else (),
            cell_items(attributes[Field.CONS].text) if Field.CONS in attributes else (),
            attributes[Field.EXAMPLE].text if Field.EXAMPLE in attributes else "",
            name_cell.line,
            self.topic,
        )


def _numbering(table: Table, column: int) -> bool:
    """Whether a column only numbers the rows (``No. | 1 | 2 …``): it is left out of the cards."""
    values = [row[column].text for row in table.rows[1:] if row[column].text]
    named = normal_word(table.rows[0][column].text) in _NUMBER_HEADERS
    return named and bool(values) and all(_ROW_NUMBER.match(v) for v in values)


def _no_description(path: str, header: Cell) -> SourceError:
    message = (
        "the table has no description column; add one named '説明' or 'Description' "
        f"(the columns are named like {COLUMN_HINT})"
    )
    return SourceError([Problem(path, header.line, header.column, message)])


def cell_items(text: str) -> tuple[str, ...]:
    """A list cell: items marked '- ', '・', '* ' or '• ' (inline or one a line), else one item a line."""
    from flashcards.importer.pipes import join_wrapped

    text = text.strip()
    if not text:
        return ()
    if _CELL_BULLET.match(text):
        items = _CELL_BULLET.split(text)
        return tuple(join_wrapped(item.split("\n")) for item in items if item.strip())
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def _unemphasize(text: str) -> str:
    match = _EMPHASIS.match(text)
    return match.group(2).strip() if match else text
