"""What each concept's name looks like on a front, worked out once per deck and language.

A word of a name of several words stands for the name alone when no other name has it and the
concept's own texts use it more than all the other concepts' texts together. (A leak is worse than a word
masked too many: "Sorts by inserting…" must not tell *Insertion sort*.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from flashcards import mask
from flashcards.markup import text_html
from flashcards.mask import Answer, Masked
from flashcards.model import Concept, Deck


def concept_texts(concept: Concept, language: str) -> Iterator[str]:
    """The texts a concept's cards show besides its name."""
    yield concept.description[language]
    for items in (concept.features, concept.pros, concept.cons):
        for item in items:
            yield item[language]
    if concept.example is not None:
        yield concept.example[language]


@dataclass
class Fronts:
    """The fronts of one deck's notes in one language as they are made: each concept's answer, worked out
    once, and how many fronts show a gap in place of their answer, and how many show it (it could not be
    masked safely)."""

    deck: Deck
    language: str
    answers: Mapping[str, Answer]
    masked: int = 0
    unsafe: int = 0

    @classmethod
    def of(cls, deck: Deck, language: str) -> Fronts:
        return cls(deck, language, answers(deck, language))


def answers(deck: Deck, language: str) -> dict[str, Answer]:
    parts = {c.id: mask.name_parts(c.name[language], language) for c in deck.concepts}
    several = {c.id for c in deck.concepts if len(parts[c.id]) > 1}
    if not several:
        return {c.id: Answer(c.name[language], parts[c.id], parts[c.id]) for c in deck.concepts}
    wanted = {p for concept_id in several for p in parts[concept_id]}
    own: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for concept in deck.concepts:
        text = " ".join(concept_texts(concept, language))
        counts = mask.count_parts(wanted, text, language)
        if concept.id in several:
            own[concept.id] = counts
        total.update(counts)
    # A part of several names ("sort" of Merge sort and Insertion sort) tells none of them apart.
    in_names = Counter(p for concept_id in several for p in set(parts[concept_id]))
    result = {}
    for concept in deck.concepts:
        name_parts = parts[concept.id]
        if concept.id in several:
            mine = own[concept.id]
            name_parts = tuple(p for p in name_parts if in_names[p] == 1 and mine[p] > total[p] - mine[p])
        result[concept.id] = Answer(concept.name[language], name_parts, parts[concept.id])
    return result


#: A character no text holds (Unicode's private use), standing for the gap until the text is HTML.
PLACEHOLDER = "\ue000"


def masked(fronts: Fronts, text: str, concept_ids: Sequence[str], gap: str | None = None) -> Masked:
    """``text`` with the names of these concepts (the answers of its card) masked with ``gap``."""
    table = fronts.answers
    return mask.mask(text, [table[concept_id] for concept_id in concept_ids], fronts.language, gap)


def masked_html(fronts: Fronts, text: str, concept_ids: Sequence[str]) -> str:
    """The front's text as HTML with its answers masked (the gap goes in after the Markdown is rendered),
    counted in ``fronts``."""
    result = masked(fronts, text, concept_ids, PLACEHOLDER)
    if result.masked:
        fronts.masked += 1
    elif result.unsafe:
        fronts.unsafe += 1
    if not result.masked:
        return text_html(text)
    # A '[' of the gap is written as the cards write every '[' that is not a reading's, out of the way of
    # Anki's furigana filter ('([…])' would otherwise be a reading).
    gap = mask.gap_for(fronts.language).replace("[", "&#91;")
    return text_html(result.text).replace(PLACEHOLDER, gap)
