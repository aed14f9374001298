"""A read sheet as a source file: ids, the deck's name, the header comment; then the file is checked as
`flashcards check` checks it, and any problem is reported at the sheet's line it comes from."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flashcards.errors import Problem, Severity, SourceError
from flashcards.importer.document import locate
from flashcards.importer.ids import concept_ids, deck_id
from flashcards.importer.sheet import Sheet
from flashcards.importer.tables import SheetConcept
from flashcards.model import Localized
from flashcards.source_writer import ConceptDraft, QuestionDraft, SourceDraft, render_source

SOURCE_DIR = Path("source")
_LANGUAGE_NAMES = {
    "ja": "Japanese",
    "en": "English",
    "zh": "Chinese",
    "ko": "Korean",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
}
#: A deck's name made of its concepts' names names at most this many.
_NAMES_IN_DECK_NAME = 4
_ENTRY = re.compile(r"^(concepts|questions)\[(\d+)\]")

#: The comment written after an answer that the importer could not link to a concept.
TODO_ANSWER = "TODO: the id of the concept this question recommends"
_EMPTY_ANSWER = "the answer is empty"


@dataclass(frozen=True)
class ImportedSheet:
    sheet: Sheet
    draft: SourceDraft
    text: str

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.sheet.warnings

    @property
    def unlinked(self) -> int:
        return sum(1 for q in self.draft.questions if not q.answer)

    def default_output(self) -> Path:
        return SOURCE_DIR / f"{self.draft.id}.yaml"

    def reading(self) -> list[str]:
        """What was read, a line each: every table's columns and fields, every question's concept."""
        where = self.sheet.where
        lines = [f"{where(line)}: {text}" for line, text in self.sheet.tables]
        if self.sheet.kind:
            lines[0] += f" (the concepts are called '{self.sheet.kind}': kind)"
        names = [c.name for c in self.sheet.concepts]
        for number, q in enumerate(self.sheet.questions, start=1):
            linked = f"'{names[q.answer]}'" if q.answer is not None else "no concept (fill in the TODO)"
            asked, answered = where(q.line), where(q.answer_line)
            if asked.rsplit(":", 1)[0] == answered.rsplit(":", 1)[0]:
                answered = "line " + answered.rsplit(":", 1)[1]
            lines.append(f"{asked}: question {number} → {linked} (its answer on {answered})")
        if self.sheet.answer_note:
            lines.append(
                f"{where(self.sheet.answer_note_line)}: the text after the last answer → answer-note"
            )
        return lines


def build_source(sheet: Sheet, file_name: str, project: Path) -> ImportedSheet:
    draft = source_draft(sheet, deck=deck_id(file_name, sheet.title, sheet.language), sheet_name=file_name)
    text = render_source(draft)
    check_source(text, sheet, project)
    return ImportedSheet(sheet, draft, text)


def source_draft(sheet: Sheet, *, deck: str, sheet_name: str) -> SourceDraft:
    lang = sheet.language

    def text(value: str) -> Localized:
        return Localized.of({lang: value})

    ids = concept_ids(c.name for c in sheet.concepts)
    concepts = tuple(
        ConceptDraft(
            id=concept_id,
            name=text(c.name),
            description=text(c.description),
            features=tuple(text(item) for item in c.features),
            pros=tuple(text(item) for item in c.pros),
            cons=tuple(text(item) for item in c.cons),
            example=text(c.example) if c.example else None,
            topic=text(c.topic) if c.topic else None,
        )
        for concept_id, c in zip(ids, sheet.concepts, strict=True)
    )
    questions = tuple(
        QuestionDraft(
            id=f"question-{number}",
            question=text(q.question),
            answer=ids[q.answer] if q.answer is not None else "",
            explanation=text(q.explanation),
            answer_note="" if q.answer is not None else TODO_ANSWER,
        )
        for number, q in enumerate(sheet.questions, start=1)
    )
    return SourceDraft(
        id=deck,
        languages=(lang,),
        name=text(sheet.title or deck_name(sheet.concepts, lang)),
        description=text(sheet.description) if sheet.description else None,
        kind=text(sheet.kind) if sheet.kind else None,
        answer_note=text(sheet.answer_note) if sheet.answer_note else None,
        concepts=concepts,
        questions=questions,
        header=_header(sheet_name, lang),
    )


def _header(sheet_name: str, lang: str) -> tuple[str, ...]:
    language = _LANGUAGE_NAMES.get(lang, lang)
    other = "en" if lang != "en" else "ja"
    other_name = _LANGUAGE_NAMES[other]
    return (
        f"One file is one deck, imported from {sheet_name}. Every text is in {language} ({lang}).",
        'To add a concept or a question, copy a whole block (from "- id:" down to the next "- id:"),',
        "give it a new id, and edit the texts. An id is the card's identity in Anki: never change it.",
        f"To add {other_name}, write languages: [{lang}, {other}] "
        f'and a line "{other}: …" under every "{lang}: …" line.',
    )


def deck_name(concepts: Sequence[SheetConcept], lang: str) -> str:
    """The concepts' names joined: ``A・B・C`` in Japanese and Chinese, ``A, B and C`` in English, else
    ``A, B, C``; four at most, then ``…``."""
    names = [c.name.replace("\n", " ") for c in concepts]
    more = len(names) - _NAMES_IN_DECK_NAME
    shown = names[:_NAMES_IN_DECK_NAME] if more > 0 else names
    if lang in ("ja", "zh"):
        return "・".join(shown) + ("…" if more > 0 else "")
    if more > 0:
        return ", ".join(shown) + ", …"
    if lang != "en":
        return ", ".join(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def check_source(text: str, sheet: Sheet, project: Path) -> None:
    """Check the source as `flashcards check` does in ``project`` (its templates and labels); report each
    problem at the sheet's line it comes from."""
    from flashcards.check import check
    from flashcards.render import Renderer, template_search_path

    labels = Renderer(template_search_path(project / "templates")).labels()
    if sheet.language not in labels:
        name = _LANGUAGE_NAMES.get(sheet.language, sheet.language)
        message = (
            f"the sheet is in {name} ({sheet.language}), and the cards have no labels in it yet: add a "
            f"'{sheet.language}:' block to templates/labels.yaml (copy 'en' and translate it), "
            "or import the sheet with --language CODE"
        )
        raise SourceError([Problem(sheet.path, None, None, message)])
    with tempfile.TemporaryDirectory(prefix="flashcards-import-") as folder:
        path = Path(folder) / "source.yaml"
        path.write_text(text, encoding="utf-8")
        result = check([path], project)
    problems = [
        _at_sheet_line(p, sheet) if p.path == str(path) else p
        for p in result.errors
        if p.severity is Severity.ERROR and not p.message.startswith(_EMPTY_ANSWER)
    ]
    if problems:
        raise SourceError(problems)


def check_beside(imported: ImportedSheet, target: Path) -> None:
    """Check the source among the others in ``target``'s folder: no two decks may share an id or a name."""
    from flashcards.lock import is_lock_file
    from flashcards.source.format import SOURCE_SUFFIXES
    from flashcards.source.validate import load_decks

    folder = target.parent
    if not folder.is_dir():
        return
    others = sorted(
        p
        for p in folder.iterdir()
        if p.suffix in SOURCE_SUFFIXES and p.is_file() and not is_lock_file(p) and p.name != target.name
    )
    if not others:
        return
    with tempfile.TemporaryDirectory(prefix="flashcards-import-") as temporary:
        path = Path(temporary) / target.name
        path.write_text(imported.text, encoding="utf-8")
        try:
            load_decks([*others, path], folder)
        except SourceError as error:
            problems = [
                _at_sheet_line(p, imported.sheet)
                for p in error.problems
                if p.path == str(path) and not p.message.startswith(_EMPTY_ANSWER)
            ]
            if problems:
                raise SourceError(problems) from None


def _at_sheet_line(problem: Problem, sheet: Sheet) -> Problem:
    match = _ENTRY.match(problem.key)
    line = sheet.title_line or 1
    what = "the deck"
    if match and match.group(1) == "concepts" and int(match.group(2)) < len(sheet.concepts):
        concept = sheet.concepts[int(match.group(2))]
        line, what = concept.line, f"the concept '{concept.name[:40]}'"
    elif match and int(match.group(2)) < len(sheet.questions):
        line, what = sheet.questions[int(match.group(2))].line, f"question {int(match.group(2)) + 1}"
    key = problem.key.split(".")
    field = (
        f"its {key[-2] if len(key) > 1 and key[-1] == sheet.language else key[-1]}: " if problem.key else ""
    )
    message = f"{what} cannot be written as a source: {field}{problem.message}"
    path, number = locate(sheet.path, sheet.parts, max(line, 1))
    return Problem(path, number, 1, message)
