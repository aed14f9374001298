"""The checked, typed source model: what a deck says, after parsing and validation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from flashcards.speech import Speech

#: One tuple per distinct list of languages, shared by every text (a deck has hundreds of thousands).
_LANGUAGES: dict[tuple[str, ...], tuple[str, ...]] = {}


@dataclass(frozen=True, slots=True)
class Localized:
    """One text in every language of its deck."""

    languages: tuple[str, ...]
    values: tuple[str, ...]

    @classmethod
    def of(cls, texts: Mapping[str, str]) -> Localized:
        return cls.from_values(tuple(texts), tuple(texts.values()))

    @classmethod
    def from_values(cls, languages: tuple[str, ...], values: tuple[str, ...]) -> Localized:
        return cls(_LANGUAGES.setdefault(languages, languages), values)

    def __getitem__(self, language: str) -> str:
        try:
            return self.values[self.languages.index(language)]
        except ValueError:
            raise KeyError(language) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.languages)


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    name: Localized
    description: Localized
    features: tuple[Localized, ...]
    pros: tuple[Localized, ...]
    cons: tuple[Localized, ...]
    example: Localized | None
    tags: tuple[str, ...] = ()
    #: The subdeck its new cards go to (``Deck name::Topic``), per language.
    topic: Localized | None = None
    #: The 1-based line where the entry starts in its source file.
    line: int = 0


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    question: Localized
    answer: str
    explanation: Localized
    tags: tuple[str, ...] = ()
    topic: Localized | None = None
    #: Whether its card shows the deck's concepts as options (when the deck shows them), or the ids of
    #: the concepts it shows, in order.
    options: bool | tuple[str, ...] = True
    #: The 1-based line where the entry starts in its source file.
    line: int = 0


@dataclass(frozen=True, slots=True)
class BasicCard:
    """A card written as it is: a front and a back, and optionally the reverse card too."""

    id: str
    front: Localized
    back: Localized
    reverse: bool = False
    #: Shown below the answer.
    extra: Localized | None = None
    tags: tuple[str, ...] = ()
    topic: Localized | None = None
    #: The 1-based line where the entry starts in its source file.
    line: int = 0


@dataclass(frozen=True, slots=True)
class ClozeCard:
    """A sentence with deletions, already in Anki's ``{{cN::…}}`` form; one card per deletion number."""

    id: str
    text: Localized
    extra: Localized | None = None
    tags: tuple[str, ...] = ()
    topic: Localized | None = None
    #: The 1-based line where the entry starts in its source file.
    line: int = 0


@dataclass(frozen=True, slots=True)
class MediaFile:
    """An image or sound a text refers to: its name in the package (from its content) and where it is."""

    name: str
    path: str


@dataclass(frozen=True)
class Deck:
    id: str
    languages: tuple[str, ...]
    name: Localized
    description: Localized | None
    concepts: tuple[Concept, ...]
    questions: tuple[Question, ...]
    path: str
    cards: tuple[BasicCard | ClozeCard, ...] = ()
    #: Every media file the deck's texts refer to, by name.
    media: tuple[MediaFile, ...] = ()
    #: What the concepts are (手法, technique), in the cards' asks; None: the labels' word for "concept".
    concept_kind: Localized | None = None
    #: A remark that qualifies every answer, shown on the back of every question card.
    answer_note: Localized | None = None
    #: Whether question cards show the concepts as options; None: when there are at most 7.
    options: bool | None = None
    #: What Anki reads aloud with its text to speech; None: nothing.
    speech: Speech | None = None
    #: Whether every card's back shows where its entry is in the source (file and line).
    show_source: bool = False
    #: The line where each key of the source's ``deck`` mapping is written, by key path
    #: (``("deck", "name")``); each entry knows its own line.
    lines: Mapping[tuple[str | int, ...], int] = field(default_factory=dict, compare=False, repr=False)

    #: The concepts by id, made with the deck.
    concepts_by_id: Mapping[str, Concept] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "concepts_by_id", {concept.id: concept for concept in self.concepts})

    def concept(self, concept_id: str) -> Concept:
        return self.concepts_by_id[concept_id]
