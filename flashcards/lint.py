"""Warnings: things that build, but that a careful learner would want to know about."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from flashcards.cards import PROMPTS, ambiguous_prompts
from flashcards.changes import NoteChange, NoteStatus
from flashcards.errors import Problem, Severity
from flashcards.fronts import Fronts, masked
from flashcards.items import LISTS, normalised
from flashcards.lock import Lock
from flashcards.mask import gap_for
from flashcards.model import BasicCard, ClozeCard, Concept, Deck, Localized, Question
from flashcards.note_kinds import ITEM
from flashcards.source.positions import KeyPath, format_key_path

#: A text longer than this is warned about: a card should hold one idea.
LONG_TEXT = 500

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def warnings(deck: Deck, *, counted: tuple[int, int] | None = None) -> list[Problem]:
    """Every warning for one deck, and the notes on fronts masked, in source order. With ``counted`` (how
    many fronts the deck's notes masked, and how many show their answer), the fronts masked are one note
    that counts them (what a build prints)."""
    found = [
        *ambiguity_warnings(deck),
        *text_warnings(deck),
        *unused_concepts(deck),
        *mask_findings(deck, counted),
    ]
    return sorted(found, key=lambda p: (p.line or 0, p.message))


#: A build says each kind of warning at most this many times per source, then how many there are in all.
SHOWN_ON_BUILD = 3


def _line(deck: Deck, key_path: KeyPath) -> int | None:
    """The line of the entry (or of the ``deck`` key) that ``key_path`` is in: the checker noted them all
    while checking, so that a warning costs no second reading of the file."""
    if key_path[0] == "deck":
        return deck.lines.get(key_path[:2])
    entries: dict[str, Sequence[Concept | Question | BasicCard | ClozeCard]] = {
        "concepts": deck.concepts,
        "questions": deck.questions,
        "cards": deck.cards,
    }
    index = key_path[1]
    assert isinstance(index, int)
    return entries[str(key_path[0])][index].line


def _warning(
    deck: Deck,
    key_path: KeyPath,
    message: str,
    severity: Severity = Severity.WARNING,
    *,
    group: str = "",
) -> Problem:
    line = _line(deck, key_path)
    return Problem(deck.path, line, None, message, format_key_path(key_path), severity, group=group)


def _fronts(deck: Deck, language: str) -> Iterator[tuple[KeyPath, str, str, tuple[str, ...]]]:
    """Every text a front shows that could hold its answer: where it is, the card, the text, and the
    concepts the card asks for."""
    holders: dict[tuple[str, str], list[str]] = {}
    for concept in deck.concepts:
        for key in LISTS:
            for item in getattr(concept, key):
                holders.setdefault((key, normalised(item[language])), []).append(concept.id)
    for i, concept in enumerate(deck.concepts):
        at: KeyPath = ("concepts", i)
        yield (
            (*at, "description", language),
            "DescriptionToName",
            concept.description[language],
            (concept.id,),
        )
        for key in LISTS:
            for j, item in enumerate(getattr(concept, key)):
                ids = tuple(holders[(key, normalised(item[language]))])
                yield (*at, key, j, language), "ItemToConcept", item[language], ids
        if concept.example is not None:
            yield (*at, "example", language), "ExampleToName", concept.example[language], (concept.id,)
    for i, question in enumerate(deck.questions):
        yield (
            ("questions", i, "question", language),
            "QuestionToAnswer",
            question.question[language],
            (question.answer,),
        )


def mask_findings(deck: Deck, counted: tuple[int, int] | None = None) -> list[Problem]:
    """A note for every front that shows a gap in place of its answer (or, with ``counted`` by the making
    of the deck's notes, one note that counts them); a warning for a front whose answer shows and cannot
    be masked safely."""
    found: list[Problem] = []
    if counted is not None:
        count, unsafe = counted
        if unsafe:
            found = [p for p in mask_findings(deck) if p.severity is Severity.WARNING]
        if count:
            found.append(Problem(deck.path, None, None, _masked_summary(count), severity=Severity.NOTE))
        return found
    for language in deck.languages:
        fronts = Fronts.of(deck, language)
        for key_path, card, text, concept_ids in _fronts(deck, language):
            result = masked(fronts, text, concept_ids)
            if not (result.masked or result.unsafe):
                continue
            names = " / ".join(f"'{deck.concept(c).name[language]}'" for c in concept_ids)
            if result.masked:
                message = (
                    f"{card}: the front shows {gap_for(language)} in place of {names}, the answer it asks for"
                )
                found.append(dataclasses.replace(_warning(deck, key_path, message, Severity.NOTE), card=card))
            else:
                message = (
                    f"{card}: this text names {names}, the answer its card asks for, and holds a link, "
                    "picture, formula or markup that a gap could break: the front shows the answer; "
                    "reword the text"
                )
                warning = _warning(deck, key_path, message, group="fronts that show the answer they ask for")
                found.append(dataclasses.replace(warning, card=card))
    return found


def _masked_summary(count: int) -> str:
    if count == 1:
        return "1 front shows a gap in place of the answer it asks for ('flashcards check' lists them)"
    return f"{count:,} fronts show a gap in place of the answer each asks for ('flashcards check' lists them)"


def build_lines(findings: Sequence[Problem]) -> list[str]:
    """What a build prints: each warning, except that a kind of warning said of more than a few entries of
    a source is said once, with their number and first lines; and one line per source for the fronts
    masked."""
    warned = [p for p in findings if p.severity is not Severity.NOTE]
    groups = Counter((p.path, p.group) for p in warned if p.group)
    lines: list[str] = []
    summarised: set[tuple[str, str]] = set()
    for problem in warned:
        group = (problem.path, problem.group)
        if not problem.group or groups[group] <= SHOWN_ON_BUILD:
            lines.append(problem.format())
        elif group not in summarised:
            summarised.add(group)
            lines.append(_summary(problem, [p for p in warned if (p.path, p.group) == group]))
    counted = [p for p in findings if p.severity is Severity.NOTE and p.line is None]
    masked_by_path = Counter(p.path for p in findings if p.severity is Severity.NOTE and p.line is not None)
    lines.extend(f"{p.path}: {p.message}" for p in counted)
    lines.extend(f"{path}: {_masked_summary(count)}" for path, count in masked_by_path.items())
    return lines


def _summary(first: Problem, group: Sequence[Problem]) -> str:
    """One line for many warnings of a kind: how many, and the lines of the first few."""
    lines = [str(p.line) for p in group[:SHOWN_ON_BUILD] if p.line is not None]
    more = len(group) - len(lines)
    at = f", on lines {', '.join(lines)} and {more:,} more" if lines else ""
    return f"{first.path}: warning: {len(group):,} {first.group}{at} ('flashcards check' lists them)"


def texts(deck: Deck) -> Iterator[tuple[KeyPath, Localized]]:
    """Every localized text of the deck with where it is written."""
    yield ("deck", "name"), deck.name
    if deck.description is not None:
        yield ("deck", "description"), deck.description
    for i, concept in enumerate(deck.concepts):
        at: KeyPath = ("concepts", i)
        yield (*at, "name"), concept.name
        yield (*at, "description"), concept.description
        for key in LISTS:
            for j, item in enumerate(getattr(concept, key)):
                yield (*at, key, j), item
        if concept.example is not None:
            yield (*at, "example"), concept.example
    for i, question in enumerate(deck.questions):
        yield ("questions", i, "question"), question.question
        yield ("questions", i, "explanation"), question.explanation
    for i, card in enumerate(deck.cards):
        if isinstance(card, ClozeCard):
            yield ("cards", i, "cloze"), card.text
        else:
            yield ("cards", i, "front"), card.front
            yield ("cards", i, "back"), card.back
        if card.extra is not None:
            yield ("cards", i, "extra"), card.extra


def ambiguity_warnings(deck: Deck) -> list[Problem]:
    """A concept whose description or example another concept shares gets no reverse card: say so."""
    found: list[Problem] = []
    for language in deck.languages:
        for what in PROMPTS:
            shared = ambiguous_prompts(deck, language, what)
            for i, concept in enumerate(deck.concepts):
                if concept.id in shared:
                    message = (
                        f"another concept has the same {what} in '{language}', so the card asking for the "
                        f"name from the {what} would have two right answers; it is left out"
                    )
                    group = "concepts whose card asking for the name is left out (two right answers)"
                    found.append(_warning(deck, ("concepts", i, what, language), message, group=group))
    return found


def text_warnings(deck: Deck) -> list[Problem]:
    """A sentence that is the same in two languages (most likely a copy waiting for its translation),
    and a text too long for one card."""
    found: list[Problem] = []
    for key_path, text in texts(deck):
        values = text.values
        if len(values) == 2 and values[0] != values[1] and max(map(len, values)) <= LONG_TEXT:
            continue  # the common case, told quickly: two languages, two texts, none long
        if len(set(values)) < len(values):
            first: dict[str, str] = {}
            for language, value in zip(text.languages, values, strict=True):
                if value in first and (len(value.split()) >= 3 or _CJK.search(value)):
                    other = first[value]
                    message = f"the '{language}' text is the same as the '{other}' text: is it translated?"
                    group = "texts the same in two languages"
                    found.append(_warning(deck, (*key_path, language), message, group=group))
                first.setdefault(value, language)
        if max(map(len, values)) > LONG_TEXT and key_path[:2] != ("deck", "description"):
            for language, value in zip(text.languages, values, strict=True):
                if len(value) > LONG_TEXT:
                    message = (
                        f"this text has {len(value)} characters (more than {LONG_TEXT}): "
                        "a card should hold one idea; consider splitting it"
                    )
                    group = f"texts longer than {LONG_TEXT} characters"
                    found.append(_warning(deck, (*key_path, language), message, group=group))
    return found


def unused_concepts(deck: Deck) -> list[Problem]:
    """In a deck with questions, a concept that no question recommends is probably missing one."""
    if not deck.questions:
        return []
    answered = {q.answer for q in deck.questions}
    group = "concepts that no question recommends"
    return [
        _warning(deck, ("concepts", i, "id"), f"no question recommends '{concept.id}'", group=group)
        for i, concept in enumerate(deck.concepts)
        if concept.id not in answered
    ]


def entry_key_path(deck: Deck, kind: str, entry_id: str) -> KeyPath:
    """Where the entry of a note is written in its source."""
    sections: dict[str, tuple[str, Sequence[Concept | Question | BasicCard | ClozeCard]]] = {
        "concept": ("concepts", deck.concepts),
        "question": ("questions", deck.questions),
        "basic": ("cards", deck.cards),
        "cloze": ("cards", deck.cards),
    }
    section, entries = sections[kind]
    index = next(i for i, entry in enumerate(entries) if entry.id == entry_id)
    return (section, index)


def topic_warnings(deck: Deck, lock: Lock, changes: Mapping[str, Sequence[NoteChange]]) -> list[Problem]:
    """A note whose topic changed since the last build (``changes`` by language): Anki keeps its cards
    where they are, so only its new cards go to the new subdeck."""
    found = []
    for language, notes in changes.items():
        deck_name = deck.name[language]
        for change in notes:
            record = lock.notes.get(change.key)
            gone = change.status in (NoteStatus.REMOVED, NoteStatus.STILL_REMOVED)
            if record is None or record.removed or gone or record.topic == change.topic:
                continue
            if change.key.kind == ITEM.name:  # an item has its concept's topic: the concept's note says it
                continue
            at = entry_key_path(deck, change.key.kind, change.key.entry_id)
            if change.topic:
                at = (*at, "topic", language)
            was = f"{deck_name}::{record.topic}" if record.topic else deck_name
            now = f"{deck_name}::{change.topic}" if change.topic else deck_name
            message = (
                f"the topic changed since the last build: Anki never moves cards, so the cards already "
                f"imported stay in '{was}' and only new cards of this note go to '{now}' "
                "(move the old ones in Anki's browser with Change Deck)"
            )
            found.append(_warning(deck, at, message, group="notes whose topic changed"))
    return found
