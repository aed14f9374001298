"""Read a study sheet — a table of concepts, then questions and answers — into a typed model.

A sheet is Markdown-ish text as people and assistants write it::

    目的
    各手法がいまいちピンとこなかったため、生成AIにて学習
    手法 | 説明 | 特徴 | 利点 | 欠点 | サンプル |
    ---|---|---|---|---|---|
    蒸留 | 大規模な教師モデルの知識を… | - 教師モデルの出力を… - 生徒モデルを… |
    - 小規模なモデルでも… |
    …
    問題:
    -
    問題:…どの手法を用いるべきか?
    回答:
    -
    蒸留を用いるべきです。…

The table's first row names the columns (Japanese or English, with the usual synonyms). A row may wrap
over several lines: it goes on until it has one cell per column. Questions and answers are matched in
order; each answer is linked to the concept its first sentence names. Text before the table and after
the answers is kept for the deck's description.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.errors import Problem, Severity, SourceError
from flashcards.yaml_reader import decode


class Column(enum.Enum):
    NAME = "name"
    DESCRIPTION = "description"
    FEATURES = "features"
    PROS = "pros"
    CONS = "cons"
    EXAMPLE = "example"


#: The words a header cell may use for each column (compared after NFKC and case folding).
COLUMN_NAMES: dict[Column, tuple[str, ...]] = {
    Column.NAME: (
        "手法",
        "技法",
        "技術",
        "概念",
        "用語",
        "名前",
        "名称",
        "technique",
        "method",
        "concept",
        "name",
        "term",
    ),
    Column.DESCRIPTION: ("説明", "概要", "定義", "description", "definition", "summary"),
    Column.FEATURES: ("特徴", "特長", "features", "feature", "characteristics"),
    Column.PROS: ("利点", "長所", "メリット", "pros", "advantages", "benefits", "strengths"),
    Column.CONS: ("欠点", "短所", "デメリット", "cons", "disadvantages", "drawbacks", "weaknesses"),
    Column.EXAMPLE: ("サンプル", "例", "具体例", "使用例", "事例", "example", "sample", "use case"),
}

COLUMN_HINT = (
    "'手法 | 説明 | 特徴 | 利点 | 欠点 | サンプル' "
    "or 'Technique | Description | Features | Pros | Cons | Example'"
)


class Role(enum.Enum):
    QUESTION = "question"
    ANSWER = "answer"


#: Words that make a short line the heading of the questions or the answers part.
HEADING_WORDS: dict[Role, tuple[str, ...]] = {
    Role.QUESTION: ("問題", "質問", "問い", "クイズ", "questions", "question", "quiz", "exercises", "q"),
    Role.ANSWER: ("回答", "解答", "答え", "answers", "answer", "solutions", "a"),
}

#: Words that end a short line just above the table when it is the table's caption (left out of the
#: description).
CAPTION_WORDS = ("一覧", "一覧表", "比較", "比較表", "表", "table", "overview", "comparison")
_CAPTION_MAX = 20

_LABEL = re.compile(
    r"^(?P<label>問題|質問|問|回答|解答|答え|答|questions?|answers?|q|a)\s*\d*\s*[:：.．]\s*", re.IGNORECASE
)
_LABEL_ROLES = {
    "問題": Role.QUESTION,
    "質問": Role.QUESTION,
    "問": Role.QUESTION,
    "question": Role.QUESTION,
    "questions": Role.QUESTION,
    "q": Role.QUESTION,
    "回答": Role.ANSWER,
    "解答": Role.ANSWER,
    "答え": Role.ANSWER,
    "答": Role.ANSWER,
    "answer": Role.ANSWER,
    "answers": Role.ANSWER,
    "a": Role.ANSWER,
}
#: The start of a list item: a bullet or a number, then a space or the line's end ('・' needs neither).
_MARKER = re.compile(r"^(?:(?:[-*+•]|\d{1,3}[.)）]|[(（]\d{1,3}[)）])(?:\s+|$)|・\s*)")
_CELL_BULLET = re.compile(r"(?:^|(?<=\s))(?:[-*•](?=\s)|・)\s*")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[。．！？!?]|\.(?=\s|$)")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_|`)(.+)\1$")
_HEADING_MAX = 40


@dataclass(frozen=True)
class SheetConcept:
    name: str
    description: str
    features: tuple[str, ...]
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    example: str
    line: int


@dataclass(frozen=True)
class SheetQuestion:
    question: str
    explanation: str
    #: The concept the answer recommends (index into ``Sheet.concepts``); None if it names none or several.
    answer: int | None
    line: int


@dataclass(frozen=True)
class Sheet:
    path: str
    language: str
    #: A ``# Title`` on the sheet's first line, else "".
    title: str
    description: str
    concepts: tuple[SheetConcept, ...]
    questions: tuple[SheetQuestion, ...]
    warnings: tuple[Problem, ...]


def read_sheet(path: Path, display: str) -> Sheet:
    """Read one study sheet. Raises SourceError with the line where reading failed."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError([Problem(display, 1, 1, "no such file")]) from None
    except IsADirectoryError:
        raise SourceError([Problem(display, 1, 1, "is a folder; name the study sheet's file")]) from None
    except OSError as error:
        raise SourceError([Problem(display, 1, 1, f"cannot be read: {error.strerror}")]) from None
    return parse_sheet(decode(raw, display), display)


def parse_sheet(text: str, display: str) -> Sheet:
    lines = [unicodedata.normalize("NFC", line) for line in re.split(r"\r\n|\r|\n", text)]
    if not any(line.strip() for line in lines):
        raise SourceError([Problem(display, 1, 1, "the file is empty; a study sheet starts with a table")])
    return _SheetParser(display, lines).parse()


# --- lines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    number: int
    text: str


@dataclass
class _Item:
    role: Role | None
    line: int
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_wrapped(self.parts)


@dataclass
class _Row:
    start: int
    cells: list[list[str]] = field(default_factory=list)
    open: bool = False

    def add(self, fragment: str, *, closed: bool) -> None:
        if self.open:
            self.cells[-1].append(fragment)
        else:
            self.cells.append([fragment])
        self.open = not closed


@dataclass(frozen=True)
class _Header:
    line: int
    columns: tuple[Column | None, ...]
    labels: tuple[str, ...]

    def label(self, column: Column) -> str:
        return self.labels[self.columns.index(column)]


class _SheetParser:
    def __init__(self, display: str, lines: Sequence[str]) -> None:
        self.path = display
        self.lines = [_Line(i + 1, text) for i, text in enumerate(lines)]
        self.warnings: list[Problem] = []

    def error(self, line: int, message: str, column: int = 1) -> SourceError:
        return SourceError([Problem(self.path, line, column, message)])

    def warn(self, line: int, message: str, column: int = 1) -> None:
        self.warnings.append(Problem(self.path, line, column, message, severity=Severity.WARNING))

    def parse(self) -> Sheet:
        start = self.find_header()
        header = self.header(self.lines[start])
        body = start + 1
        if body < len(self.lines) and _is_separator(self.lines[body].text):
            body += 1
        rows, after = self.rows(header, body)
        concepts = self.concepts(header, rows)
        title, preface = self.preface(self.lines[:start])
        questions, answers, remarks = self.questions_and_answers(self.lines[after:])
        paired = self.pair(concepts, questions, answers)
        texts = [c.name + c.description for c in concepts] + [q.question for q in paired]
        language = "ja" if any(_JAPANESE.search(t) for t in texts) else "en"
        description = "\n\n".join(p for p in (preface, *remarks) if p)
        return Sheet(
            self.path, language, title, description, tuple(concepts), tuple(paired), tuple(self.warnings)
        )

    # --- the table ------------------------------------------------------------------------------

    def find_header(self) -> int:
        first_table = None
        for index, line in enumerate(self.lines):
            cells = _split_cells(line.text)
            if len([c for c in cells if c.strip()]) < 2:
                continue
            if any(_column(c) is not None for c in cells):
                return index
            if first_table is None:
                first_table = line.number
        if first_table is not None:
            raise self.error(
                first_table,
                f"this table's first row does not name its columns; name them like {COLUMN_HINT}",
            )
        raise self.error(
            1,
            f"not a study sheet: it has no table of concepts; the table's first row names the columns, "
            f"like {COLUMN_HINT}",
        )

    def header(self, line: _Line) -> _Header:
        cells = _split_cells(line.text)
        columns: list[Column | None] = []
        labels: list[str] = []
        offsets = _cell_columns(line.text)
        for cell, offset in zip(cells, offsets, strict=True):
            label = cell.strip()
            column = _column(cell)
            if column is not None and column in columns:
                raise self.error(line.number, f"the column '{label}' is named twice", offset)
            if column is None and label:
                self.warn(
                    line.number,
                    f"the column '{label}' is not one of {COLUMN_HINT}; its cells are left out",
                    offset,
                )
            columns.append(column)
            labels.append(label)
        for column, words in (
            (Column.NAME, "'手法' or 'Technique'"),
            (Column.DESCRIPTION, "'説明' or 'Description'"),
        ):
            if column not in columns:
                raise self.error(
                    line.number,
                    f"the table has no {column.value} column; add one named {words} "
                    f"(the columns are named like {COLUMN_HINT})",
                )
        return _Header(line.number, tuple(columns), tuple(labels))

    def rows(self, header: _Header, body: int) -> tuple[list[_Row], int]:
        """The table's rows (a row wraps until it has one cell per column) and where the table ends."""
        width = len(header.columns)
        rows: list[_Row] = []
        row: _Row | None = None
        index = body
        while index < len(self.lines):
            line = self.lines[index]
            text = line.text.replace("｜", "|")
            if not text.strip() or ("|" not in text and (row is None or not row.open)):
                break
            index += 1
            if "|" not in text:
                assert row is not None
                row.add(text, closed=False)
            else:
                alone = len(_split_cells(text))
                if row is not None and alone >= width:
                    raise self.short_row(header, row)
                row = row or _Row(line.number)
                _add_line(row, text)
            if row is not None and len(row.cells) > width:
                raise self.too_many_cells(row, line.number, width)
            if row is not None and len(row.cells) == width:
                rows.append(row)
                row = None
        if row is not None:
            raise self.short_row(header, row)
        if not rows:
            raise self.error(header.line, "the table has no rows: add one row per concept under this line")
        return rows, index

    def too_many_cells(self, row: _Row, line: int, width: int) -> SourceError:
        if row.start == line:
            return self.error(
                line,
                f"this row has {len(row.cells)} cells, but the table has {width} columns; "
                "a '|' inside a cell splits it in two",
            )
        return self.error(
            line,
            f"with this line, the row that starts on line {row.start} has {len(row.cells)} cells, "
            f"but the table has {width} columns; "
            "a cell is missing from that row, or a '|' inside a cell splits it in two",
        )

    def short_row(self, header: _Header, row: _Row) -> SourceError:
        width = len(header.columns)
        return self.error(
            row.start,
            f"this row has {len(row.cells)} cells, but the table has {width} columns "
            f"({' | '.join(header.labels)}); write an empty cell as '| |'",
        )

    def concepts(self, header: _Header, rows: Iterable[_Row]) -> list[SheetConcept]:
        concepts: list[SheetConcept] = []
        names: dict[str, int] = {}
        for row in rows:
            cells = {c: row.cells[i] for i, c in enumerate(header.columns) if c is not None}
            name = _unemphasize(cell_text(cells[Column.NAME]))
            if not name:
                label = header.label(Column.NAME)
                raise self.error(row.start, f"this row has no name in its '{label}' column")
            if name in names:
                raise self.error(
                    row.start,
                    f"'{name}' is already the name of the concept on line {names[name]}; "
                    "every concept needs its own name",
                )
            names[name] = row.start
            description = cell_text(cells[Column.DESCRIPTION])
            if not description:
                label = header.label(Column.DESCRIPTION)
                raise self.error(row.start, f"'{name}' has no description in its '{label}' column")
            concepts.append(
                SheetConcept(
                    name,
                    description,
                    cell_items(cells.get(Column.FEATURES, [])),
                    cell_items(cells.get(Column.PROS, [])),
                    cell_items(cells.get(Column.CONS, [])),
                    cell_text(cells.get(Column.EXAMPLE, [])),
                    row.start,
                )
            )
        return concepts

    # --- around the table -----------------------------------------------------------------------

    def preface(self, lines: Sequence[_Line]) -> tuple[str, str]:
        """The sheet's title (a first-line '# Title') and the text before the table."""
        texts = [line.text.strip() for line in lines]
        while texts and not texts[-1]:
            texts.pop()
        title = ""
        first = next((i for i, t in enumerate(texts) if t), None)
        if first is not None and re.match(r"^#\s", texts[first]):
            title = texts[first].lstrip("#").strip()
            texts = texts[first + 1 :]
        if texts and _is_caption(texts[-1]):
            texts.pop()
        return title, _paragraphs(texts)

    def questions_and_answers(self, lines: Sequence[_Line]) -> tuple[list[_Item], list[_Item], list[str]]:
        """The question items, the answer items, and the remaining text (for the description)."""
        questions: list[_Item] = []
        answers: list[_Item] = []
        remarks: list[str] = []
        for role, section in _sections(lines):
            text: list[str] = []
            for entry in self.entries(role, section):
                if isinstance(entry, str):
                    text.append(entry)
                elif not entry.text:
                    raise self.error(entry.line, "this item is empty; write its text after the marker")
                elif entry.role is None:
                    text.append(entry.text)
                else:
                    (questions if entry.role is Role.QUESTION else answers).append(entry)
            remarks.append(_paragraphs(text))
        return questions, answers, remarks

    def entries(self, role: Role | None, section: Sequence[_Line]) -> list[_Item | str]:
        """One part of the sheet as items, and lines of text that belong to no item, in order.

        When some line of the part starts an item ('- ', '1. ', 'Q: ', '問題:' …, or a bare '-' with the
        text on the next line), an item is that line plus the indented lines after it, and unmarked lines
        are text (such as a closing remark). When no line does, every line of a questions or answers part
        is one item.
        """
        marked = any(_item_start(line.text) is not None for line in section)
        entries: list[_Item | str] = []
        current: _Item | None = None
        pending = False
        for line in section:
            stripped = line.text.strip()
            if not stripped:
                if not pending:
                    current = None
                entries.append("")
                continue
            if pending and current is not None and not _MARKER.match(stripped):
                label_role, rest = _strip_label(stripped)
                current.role = label_role or current.role
                current.parts.append(rest)
                current.line = line.number
                pending = False
                continue
            start = _item_start(line.text)
            if start is not None:
                label_role, rest = start
                current = _Item(label_role or role, line.number, [rest] if rest else [])
                entries.append(current)
                pending = not rest
            elif current is not None and line.text[:1].isspace():
                current.parts.append(stripped)
            elif not marked and role is not None:
                label_role, rest = _strip_label(stripped)
                current = _Item(label_role or role, line.number, [rest])
                entries.append(current)
            else:
                current = None
                entries.append(stripped)
        return entries

    def pair(
        self, concepts: Sequence[SheetConcept], questions: Sequence[_Item], answers: Sequence[_Item]
    ) -> list[SheetQuestion]:
        if len(questions) > len(answers):
            missing = questions[len(answers)]
            raise self.error(
                missing.line,
                f"question {len(answers) + 1} has no answer: the sheet has {len(questions)} questions "
                f"and {len(answers)} answers, matched in order",
            )
        if len(answers) > len(questions):
            extra = answers[len(questions)]
            raise self.error(
                extra.line,
                f"answer {len(questions) + 1} has no question: the sheet has {len(questions)} questions "
                f"and {len(answers)} answers, matched in order",
            )
        paired: list[SheetQuestion] = []
        seen: dict[str, int] = {}
        for number, (question, answer) in enumerate(zip(questions, answers, strict=True), start=1):
            if question.text in seen:
                raise self.error(
                    question.line,
                    f"this question is the same as the one on line {seen[question.text]}; "
                    "every question needs its own text",
                )
            seen[question.text] = question.line
            linked = self.link(number, concepts, answer)
            paired.append(SheetQuestion(question.text, answer.text, linked, question.line))
        return paired

    def link(self, number: int, concepts: Sequence[SheetConcept], answer: _Item) -> int | None:
        sentence = first_sentence(answer.text)
        found = named_concepts(sentence, [c.name for c in concepts])
        if len(found) == 1:
            return found[0]
        if found:
            names = " and ".join(f"'{concepts[i].name}'" for i in found)
            what = f"names {names}"
        else:
            what = "names no concept of the table"
        self.warn(
            answer.line,
            f"the first sentence of answer {number} {what}; question {number} is written with "
            'answer: "" and a TODO comment: fill in the id of the concept it recommends',
        )
        return None


# --- helpers ------------------------------------------------------------------------------------


def _split_cells(text: str) -> list[str]:
    """A table line's cells, without the empty outer cells of a leading or trailing '|'."""
    text = text.replace("｜", "|")
    if "|" not in text:
        return []
    cells = text.split("|")
    if not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _cell_columns(text: str) -> list[int]:
    """The 1-based column where each of ``_split_cells(text)`` starts (at its first non-blank character)."""
    text = text.replace("｜", "|")
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "|"]
    segments = text.split("|")
    columns = [start + len(seg) - len(seg.lstrip()) + 1 for start, seg in zip(starts, segments, strict=True)]
    if not segments[0].strip():
        columns = columns[1:]
        segments = segments[1:]
    if segments and not segments[-1].strip():
        columns = columns[:-1]
    return columns


def _add_line(row: _Row, text: str) -> None:
    """Add one physical line of a table row: every '|' closes a cell; the text after the last is left open."""
    segments = text.split("|")
    lead, middle, last = segments[0], segments[1:-1], segments[-1]
    if lead.strip() or row.open:
        row.add(lead, closed=True)
    for segment in middle:
        row.add(segment, closed=True)
    if last.strip():
        row.add(last, closed=False)


def _is_separator(text: str) -> bool:
    normal = unicodedata.normalize("NFKC", text).strip()
    return "-" in normal and set(normal) <= set("|-: \t")


def _column(cell: str) -> Column | None:
    word = _normal_word(cell)
    for column, names in COLUMN_NAMES.items():
        if word in names:
            return column
    return None


def _normal_word(text: str) -> str:
    word = unicodedata.normalize("NFKC", text).strip().strip("*_`#").strip()
    return word.rstrip(":").strip().casefold()


def _is_caption(text: str) -> bool:
    if text.startswith("#"):
        return True
    word = _normal_word(text)
    return len(word) <= _CAPTION_MAX and word.endswith(CAPTION_WORDS)


def _unemphasize(text: str) -> str:
    match = _EMPHASIS.match(text)
    return match.group(2).strip() if match else text


def _heading_role(text: str) -> tuple[bool, Role | None]:
    """Whether the line heads a part of the sheet, and which (questions, answers or neither)."""
    markdown = text.lstrip().startswith("#")
    word = _normal_word(text)
    if not word or len(word) > _HEADING_MAX or _SENTENCE_END.search(word):
        return markdown, None
    for role, words in HEADING_WORDS.items():
        for w in words:
            if word == w or (len(w) > 1 and word.endswith(w) and not word[-len(w) - 1 : -len(w)].isalnum()):
                return True, role
            if len(w) > 1 and _JAPANESE.match(w) and word.endswith(w):
                return True, role
    return markdown, None


def _sections(lines: Sequence[_Line]) -> list[tuple[Role | None, list[_Line]]]:
    sections: list[tuple[Role | None, list[_Line]]] = [(None, [])]
    for line in lines:
        if _item_start(line.text) is None:
            is_heading, role = _heading_role(line.text)
            if is_heading:
                sections.append((role, []))
                continue
        sections[-1][1].append(line)
    return sections


def _item_start(text: str) -> tuple[Role | None, str] | None:
    """(role from the item's label, its text) when the line starts an item, else None."""
    stripped = text.strip()
    marker = _MARKER.match(stripped)
    if marker:
        return _strip_label(stripped[marker.end() :].strip())
    label = _LABEL.match(stripped)
    if label and stripped[label.end() :].strip():
        return _strip_label(stripped)
    return None


def _strip_label(text: str) -> tuple[Role | None, str]:
    match = _LABEL.match(text)
    if not match:
        return None, text
    return _LABEL_ROLES[match.group("label").casefold()], text[match.end() :].strip()


def _paragraphs(lines: Iterable[str]) -> str:
    """Lines as text: consecutive lines stay lines of one paragraph, blank lines separate paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        text = line.strip().lstrip("#").strip() if line.strip().startswith("#") else line.strip()
        if text:
            paragraphs[-1].append(text)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def join_wrapped(parts: Iterable[str]) -> str:
    """Join the lines of a wrapped text: with a space, except between two East Asian characters."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (_is_wide(out[-1]) and _is_wide(part[0])):
            out += " "
        out += part
    return out


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _cell_lines(fragments: Sequence[str]) -> list[list[str]]:
    """A cell's hard lines (split at <br>), each a list of the soft-wrapped pieces it was written in."""
    lines: list[list[str]] = [[]]
    for fragment in fragments:
        pieces = _BREAK.split(fragment)
        lines[-1].append(pieces[0])
        lines.extend([piece] for piece in pieces[1:])
    return lines


def cell_text(fragments: Sequence[str]) -> str:
    """A text cell: soft wraps joined, <br> kept as a line break."""
    lines = [join_wrapped(pieces) for pieces in _cell_lines(fragments)]
    return "\n".join(line for line in lines if line).strip()


def cell_items(fragments: Sequence[str]) -> tuple[str, ...]:
    """A list cell: items marked '- ', '・', '* ' or '• ' (inline or one a line), else one item a line."""
    lines = [join_wrapped(pieces) for pieces in _cell_lines(fragments)]
    text = "\n".join(line for line in lines if line).strip()
    if not text:
        return ()
    if _CELL_BULLET.match(text):
        items = _CELL_BULLET.split(text)
        return tuple(join_wrapped(item.split("\n")) for item in items if item.strip())
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def first_sentence(text: str) -> str:
    match = _SENTENCE_END.search(text)
    return text[: match.end()] if match else text


def named_concepts(sentence: str, names: Sequence[str]) -> list[int]:
    """The concepts (indexes into ``names``) named in ``sentence``; a name inside a longer one found there
    does not count (``Learning`` in ``Transfer learning``)."""
    haystack = unicodedata.normalize("NFKC", sentence).casefold()
    spans: list[tuple[int, int, int]] = []
    for index, name in enumerate(names):
        for variant in _name_variants(name):
            pattern = re.escape(variant)
            if re.match(r"\w", variant[0], re.ASCII):
                pattern = r"(?<![A-Za-z0-9])" + pattern
            if re.match(r"\w", variant[-1], re.ASCII):
                pattern += r"(?:e?s)?(?![A-Za-z0-9])"
            spans.extend((m.start(), m.end(), index) for m in re.finditer(pattern, haystack))
    found: list[int] = []
    for start, end, index in sorted(spans):
        inside = any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
        if not inside and index not in found:
            found.append(index)
    return found


def _name_variants(name: str) -> list[str]:
    """A name, and for 'Name (Other name)' both parts, in the form they are searched for."""
    normal = unicodedata.normalize("NFKC", name).casefold().strip()
    variants = [normal]
    match = re.match(r"^(.+?)\s*\((.+)\)$", normal)
    if match:
        variants.extend(part.strip() for part in match.groups())
    return [v for v in variants if v]
