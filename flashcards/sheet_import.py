"""Turn a study sheet into a source file: give every entry an id, name the deck, write the YAML.

Ids are written once and never derived again, so they only need to be readable and valid:

- a concept named in Latin script gets the slug of its name (``Fine-tuning`` → ``fine-tuning``), and
  so does one whose name carries a Latin gloss in brackets (``蒸留 (Distillation)`` → ``distillation``);
- any other concept gets ``concept-N``, N its row in the table (``転移学習`` → ``concept-2``);
- questions get ``question-N`` in the order of the sheet;
- the deck gets the slug of the sheet's file name (``ml-techniques-sheet.txt`` → ``ml-techniques-sheet``).

A slug that is taken already gets ``-2``, ``-3``, … appended.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flashcards.errors import Problem
from flashcards.model import Localized
from flashcards.sheet_reader import Sheet, SheetConcept, read_sheet
from flashcards.source_writer import ConceptDraft, QuestionDraft, SourceDraft, render_source

SOURCE_DIR = Path("source")
_SLUG_MAX = 48
_GLOSS = re.compile(r"[(（]([^()（）]+)[)）]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LANGUAGE_NAMES = {"ja": "Japanese", "en": "English"}
_OTHER = {"ja": "en", "en": "ja"}

#: The comment written after an answer that the importer could not link to a concept.
TODO_ANSWER = "TODO: the id of the concept this question recommends"


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


def import_sheet(path: Path, display: str) -> ImportedSheet:
    sheet = read_sheet(path, display)
    draft = source_draft(sheet, deck_id=slug(Path(display).stem) or "deck", sheet_name=Path(display).name)
    return ImportedSheet(sheet, draft, render_source(draft))


def source_draft(sheet: Sheet, *, deck_id: str, sheet_name: str) -> SourceDraft:
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
        id=deck_id,
        languages=(lang,),
        name=text(sheet.title or deck_name(sheet.concepts, lang)),
        description=text(sheet.description) if sheet.description else None,
        concepts=concepts,
        questions=questions,
        header=_header(sheet_name, lang),
    )


def _header(sheet_name: str, lang: str) -> tuple[str, ...]:
    language = _LANGUAGE_NAMES.get(lang, lang)
    other = _OTHER.get(lang, "en")
    other_name = _LANGUAGE_NAMES.get(other, other)
    return (
        f"One file is one deck, imported from {sheet_name}. Every text is in {language} ({lang}).",
        'To add a concept or a question, copy a whole block (from "- id:" down to the next "- id:"),',
        "give it a new id, and edit the texts. An id is the card's identity in Anki: never change it.",
        f"To add {other_name}, write languages: [{lang}, {other}] "
        f'and a line "{other}: …" under every "{lang}: …" line.',
    )


def deck_name(concepts: Sequence[SheetConcept], lang: str) -> str:
    """The concepts' names joined: ``A・B・C`` in Japanese, ``A, B and C`` otherwise."""
    names = [c.name for c in concepts]
    if lang == "ja":
        return "・".join(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def concept_ids(names: Iterable[str]) -> tuple[str, ...]:
    used: set[str] = set()
    ids = []
    for number, name in enumerate(names, start=1):
        ids.append(_unique(latin_slug(name) or f"concept-{number}", used))
    return tuple(ids)


def latin_slug(name: str) -> str:
    """The slug of a name in Latin script, or of its Latin gloss in brackets; "" when it has neither."""
    if not _JAPANESE.search(name):
        return slug(name)
    for gloss in _GLOSS.findall(name):
        if not _JAPANESE.search(gloss) and re.search(r"[A-Za-z]", gloss):
            return slug(gloss)
    return ""


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by hyphens (accents dropped), at most 48 characters."""
    ascii_text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > _SLUG_MAX and out:
            break
        out = candidate[:_SLUG_MAX]
    return out


def _unique(base: str, used: set[str]) -> str:
    candidate = base
    number = 2
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    used.add(candidate)
    return candidate
