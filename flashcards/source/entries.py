"""Checking the entries of a source: concepts, questions and cards of one's own, each against its section
of the format, then for what it means (ids unique, answers that name a concept, deletions that agree)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flashcards.model import BasicCard, ClozeCard, Concept, Localized, Question
from flashcards.source.cloze import deletions, to_anki_cloze
from flashcards.source.format import CARD, CLOZE_NUMBER, CONCEPT, QUESTION
from flashcards.source.shape import did_you_mean, is_list, shown
from flashcards.source.texts import TextChecker
from flashcards.source.yaml_reader import KeyPath


@dataclass
class EntryChecker(TextChecker):
    """Checks the entries of one source, collecting every problem."""

    #: The id of every concept entry, valid or not (questions refer to them).
    concept_ids: dict[str, None] = dataclasses.field(default_factory=dict)

    def line(self, key_path: KeyPath) -> int:
        """The line where the entry at ``key_path`` starts."""
        return self.doc.position(key_path).line

    def concepts(self, raw_items: Iterable[Any], languages: Sequence[str]) -> list[Concept]:
        concepts: list[Concept] = []
        ids: dict[str, KeyPath] = {}
        names: dict[tuple[str, str], KeyPath] = {}
        for i, data in enumerate(raw_items):
            at: KeyPath = ("concepts", i)
            before = len(self.problems)
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                # Every id written, valid or not, so that one bad entry hides no reference to it.
                self.concept_ids[data["id"]] = None
            raw = self.fields(CONCEPT, data, at)
            if "id" in raw:
                self.slug(raw["id"], (*at, "id"))
                self.unique("concept", ids, raw["id"], (*at, "id"))
            name = self.text_of(raw, "name", at, languages)
            if name is not None:
                self.unique_text("concepts", names, name, (*at, "name"))
            description = self.text_of(raw, "description", at, languages)
            features = self.items(raw.get("features", []), (*at, "features"), languages)
            pros = self.items(raw.get("pros", []), (*at, "pros"), languages)
            cons = self.items(raw.get("cons", []), (*at, "cons"), languages)
            example = self.text_of(raw, "example", at, languages, optional=True)
            if len(self.problems) > before or name is None or description is None:
                continue
            tags = self.tags(raw.get("tags", []), (*at, "tags"))
            topic = self.topic(raw.get("topic", {}), (*at, "topic"), languages)
            if len(self.problems) > before:
                continue
            concepts.append(
                Concept(
                    raw["id"],
                    name,
                    description,
                    features,
                    pros,
                    cons,
                    example,
                    tags,
                    topic,
                    line=self.line(at),
                )
            )
        return concepts

    def questions(self, raw_items: Iterable[Any], languages: Sequence[str]) -> list[Question]:
        questions: list[Question] = []
        ids: dict[str, KeyPath] = {}
        texts: dict[tuple[str, str], KeyPath] = {}
        concept_ids = self.concept_ids
        # With no 'concepts' list but a misspelled key in its place, every answer would be reported too.
        concepts = self.doc.data.get("concepts", [])
        misspelled = not is_list(concepts) or (
            "concepts" not in self.doc.data and bool(set(self.doc.data) - {"deck", "questions", "cards"})
        )
        for i, data in enumerate(raw_items):
            at: KeyPath = ("questions", i)
            before = len(self.problems)
            raw = self.fields(QUESTION, data, at)
            if "id" in raw:
                self.slug(raw["id"], (*at, "id"))
                self.unique("question", ids, raw["id"], (*at, "id"))
            question = self.text_of(raw, "question", at, languages)
            if question is not None:
                self.unique_text("questions", texts, question, (*at, "question"))
            if raw.get("answer") == "":
                self.report(
                    (*at, "answer"),
                    "the answer is empty: write the id of the concept this question recommends",
                )
            elif "answer" in raw and raw["answer"] not in concept_ids and not misspelled:
                hint = did_you_mean(raw["answer"], concept_ids)
                self.report((*at, "answer"), f"no concept has the id '{shown(raw['answer'])}'{hint}")
            explanation = self.text_of(raw, "explanation", at, languages)
            tags = self.tags(raw.get("tags", []), (*at, "tags"))
            topic = self.topic(raw.get("topic", {}), (*at, "topic"), languages)
            options = self.question_options(raw.get("options", True), raw.get("answer"), at)
            if len(self.problems) > before or question is None or explanation is None:
                continue
            questions.append(
                Question(
                    raw["id"], question, raw["answer"], explanation, tags, topic, options, line=self.line(at)
                )
            )
        return questions

    def question_options(self, raw: bool | list[str], answer: object, at: KeyPath) -> bool | tuple[str, ...]:
        """Whether a question shows options, or the ids of the concepts it offers (the answer among them)."""
        if isinstance(raw, bool):
            return raw
        for i, concept_id in enumerate(raw):
            if concept_id not in self.concept_ids:
                hint = did_you_mean(concept_id, self.concept_ids)
                self.report((*at, "options", i), f"no concept has the id '{concept_id}'{hint}")
        if isinstance(answer, str) and answer and answer not in raw:
            self.report((*at, "options"), f"the options do not include the answer '{answer}': add it")
        return tuple(raw)

    # --- tags, topics and free-form cards -----------------------------------------------------

    def free_cards(self, raw_items: Iterable[Any], languages: Sequence[str]) -> list[BasicCard | ClozeCard]:
        found: list[BasicCard | ClozeCard] = []
        ids: dict[str, KeyPath] = {}
        #: First texts seen, per note type: Anki flags a note whose first field another note has.
        fronts: dict[tuple[str, str], KeyPath] = {}
        clozes: dict[tuple[str, str], KeyPath] = {}
        for i, data in enumerate(raw_items):
            at: KeyPath = ("cards", i)
            before = len(self.problems)
            raw = self.fields(CARD, data, at)
            if "id" in raw:
                self.slug(raw["id"], (*at, "id"))
                self.unique("card", ids, raw["id"], (*at, "id"))
            tags = self.tags(raw.get("tags", []), (*at, "tags"))
            topic = self.topic(raw.get("topic", {}), (*at, "topic"), languages)
            extra = self.text_of(raw, "extra", at, languages, optional=True)
            written = set(data) if isinstance(data, dict) else set()
            if "cloze" in written and written & {"front", "back"}:
                self.report(at, "a card has either 'front' and 'back', or 'cloze', not both")
            elif "cloze" in written:
                text = self.cloze_text(raw, written, at, languages, clozes)
                if len(self.problems) == before and text is not None:
                    found.append(ClozeCard(raw["id"], text, extra, tags, topic, line=self.line(at)))
            else:
                sides = self.basic_sides(raw, written, at, languages, fronts)
                if len(self.problems) == before and sides is not None:
                    reverse = raw.get("reverse", False)
                    found.append(
                        BasicCard(raw["id"], *sides, reverse, extra, tags, topic, line=self.line(at))
                    )
        return found

    def cloze_text(
        self,
        raw: dict[str, Any],
        written: set[str],
        at: KeyPath,
        languages: Sequence[str],
        seen: dict[tuple[str, str], KeyPath],
    ) -> Localized | None:
        if "reverse" in written:
            message = "'reverse' is for front and back cards; a cloze asks one card per deletion"
            self.report((*at, "reverse"), message)
        text = self.text_of(raw, "cloze", at, languages)
        text = self.cloze(text, (*at, "cloze")) if text is not None else None
        if text is not None:
            self.unique_text("cloze cards", seen, text, (*at, "cloze"))
        return text

    def basic_sides(
        self,
        raw: dict[str, Any],
        written: set[str],
        at: KeyPath,
        languages: Sequence[str],
        seen: dict[tuple[str, str], KeyPath],
    ) -> tuple[Localized, Localized] | None:
        if not written:
            return None  # not a mapping: already reported
        for key in ("front", "back"):
            if key not in written:
                self.report(at, f"required key '{key}' is missing (or write 'cloze' for a cloze card)")
        front = self.text_of(raw, "front", at, languages) if "front" in written else None
        back = self.text_of(raw, "back", at, languages) if "back" in written else None
        if front is not None:
            self.unique_text("cards", seen, front, (*at, "front"))
        return (front, back) if front is not None and back is not None else None

    def cloze(self, text: Localized, key_path: KeyPath) -> Localized | None:
        """``[[answer]]`` and ``[[answer::hint]]`` as Anki's ``{{cN::…}}``, numbered in order after any
        number written; every language must ask the same deletions."""
        values: list[str] = []
        numbers: dict[str, list[int]] = {}
        ok = True
        for lang in text:
            value, problem = to_anki_cloze(text[lang])
            if problem:
                self.report((*key_path, lang), problem)
                ok = False
                continue
            values.append(value)
            numbers[lang] = sorted({int(n) for n in CLOZE_NUMBER.findall(value)})
        if not ok:
            return None
        first, *others = text.languages
        for lang in others:
            if numbers[lang] != numbers[first]:
                message = (
                    f"the '{lang}' text asks {deletions(numbers[lang])} and the '{first}' text "
                    f"{deletions(numbers[first])}: every language needs the same deletions"
                )
                self.report((*key_path, lang), message)
                ok = False
        return Localized.from_values(text.languages, tuple(values)) if ok else None
