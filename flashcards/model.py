"""The checked, typed source model: what a deck says, after parsing and validation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from flashcards.yaml_reader import Document, KeyPath, Position


@dataclass(frozen=True)
class Localized:
    """One text in every language of its deck."""

    texts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, texts: Mapping[str, str]) -> Localized:
        return cls(tuple(texts.items()))

    def __getitem__(self, language: str) -> str:
        for lang, text in self.texts:
            if lang == language:
                return text
        raise KeyError(language)

    def __iter__(self) -> Iterator[str]:
        return (lang for lang, _ in self.texts)


@dataclass(frozen=True)
class Concept:
    id: str
    name: Localized
    description: Localized
    features: tuple[Localized, ...]
    pros: tuple[Localized, ...]
    cons: tuple[Localized, ...]
    example: Localized | None


@dataclass(frozen=True)
class Question:
    id: str
    question: Localized
    answer: str
    explanation: Localized


@dataclass(frozen=True)
class Deck:
    id: str
    languages: tuple[str, ...]
    name: Localized
    description: Localized | None
    concepts: tuple[Concept, ...]
    questions: tuple[Question, ...]
    path: str
    #: The parsed file, which knows where every key and value starts (found when first asked).
    document: Document | None = field(default=None, compare=False, repr=False)

    def position(self, key_path: KeyPath) -> Position:
        """Where the value at ``key_path`` starts (its nearest parent's start when it is absent)."""
        return self.document.position(key_path) if self.document is not None else Position(1, 1)

    def concept(self, concept_id: str) -> Concept:
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        raise KeyError(concept_id)
