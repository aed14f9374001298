"""Read, check and convert every source into a ``model.Deck``, reporting every problem at once.

A source goes: found (``files``) → read (``yaml_reader``) → its shape checked against the format (``shape``,
``format``) → what it means checked (this module, ``entries``, ``texts``, ``cloze``) → the model."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from flashcards.errors import Problem, SourceError
from flashcards.model import Deck, Localized
from flashcards.note_kinds import NOTE_KINDS
from flashcards.source.entries import EntryChecker
from flashcards.source.files import find_sources, too_large
from flashcards.source.format import DECK, LANGUAGE, SOURCE
from flashcards.source.shape import shown
from flashcards.source.texts import NOT_IN_A_NAME, character
from flashcards.source.yaml_reader import KeyPath, Position, read_yaml
from flashcards.speech import speech_from


def load_decks(paths: Sequence[Path], root: Path | None = None) -> list[Deck]:
    """Read, check and convert every source file; raise SourceError with every problem found.

    Media files must lie inside ``root`` (the project folder; the current folder when not given)."""
    root = Path.cwd() if root is None else root
    problems: list[Problem] = []
    decks: list[Deck] = []
    headers: list[DeckHeader] = []
    for path in find_sources(paths):
        large = too_large(path)
        if large is not None:
            problems.append(large)
            continue
        try:
            document = read_yaml(path, str(path))
            checker = DeckChecker(document, problems, root=root)
            deck = checker.check()  # a top-level list is read as it is checked: its YAML may be wrong
        except SourceError as error:
            problems.extend(error.problems)
            continue
        if deck is not None:
            decks.append(deck)
        if checker.header is not None:
            headers.append(checker.header)
    problems.extend(_check_across_decks(headers))
    if problems:
        raise SourceError(problems)
    return decks


@dataclass(frozen=True)
class DeckHeader:
    """A deck's id and names, known even when some of its entries are wrong, and where they are written."""

    path: str
    id: str
    names: Localized | None
    positions: Mapping[KeyPath, Position]

    def problem(self, key_path: KeyPath, message: str) -> Problem:
        position = self.positions[key_path[:2]]
        return Problem(self.path, position.line, position.column, message, key=_key(key_path))


def _key(key_path: KeyPath) -> str:
    return ".".join(str(part) for part in key_path)


def _check_across_decks(headers: Iterable[DeckHeader]) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    names: dict[tuple[str, str], str] = {}
    for header in headers:
        if header.id in ids:
            message = (
                f"deck id '{header.id}' is already used by {ids[header.id]}; every deck needs its own id"
            )
            problems.append(header.problem(("deck", "id"), message))
        ids.setdefault(header.id, header.path)
        for lang in header.names or ():
            name = header.names[lang] if header.names else ""
            if (lang, name) in names:
                other = names[(lang, name)]
                message = f"deck name '{name}' is already used by {other}; Anki would merge the two decks"
                problems.append(header.problem(("deck", "name", lang), message))
            names.setdefault((lang, name), header.path)
    return problems


@dataclass
class DeckChecker(EntryChecker):
    """Checks one source: its shape, then what it means, collecting every problem."""

    header: DeckHeader | None = None

    def check(self) -> Deck | None:
        errors_before = len(self.problems)
        if not isinstance(self.doc.data, dict):
            self.report((), "a source file is a mapping with the keys 'deck', 'concepts' and 'questions'")
            return None
        source = self.fields(SOURCE, self.doc.data, ())
        info = self.fields(DECK, source["deck"], ("deck",)) if "deck" in source else None
        if info is None:
            return None
        self.dollar_math = bool(info.get("dollar-math", False))
        languages = self.languages(info["languages"]) if "languages" in info else ()
        self.languages_known = self.languages_known and "languages" in info
        deck_id = self.slug(info["id"], ("deck", "id")) if "id" in info else None
        name = self.localized(info["name"], ("deck", "name"), languages) if "name" in info else None
        description = self.localized(
            info.get("description", {}), ("deck", "description"), languages, optional=True
        )
        concept_kind = self.localized(info.get("kind", {}), ("deck", "kind"), languages, optional=True)
        answer_note = self.localized(
            info.get("answer-note", {}), ("deck", "answer-note"), languages, optional=True
        )
        speech = (
            speech_from(info["speech"], languages, (t for k in NOTE_KINDS for t in k.templates), self.report)
            if info.get("speech")
            else None
        )
        if name is not None:
            self.check_distinct_names(name, languages)
            self.check_deck_name(name)
        if deck_id is not None:
            self.header = self.deck_header(deck_id, name)
        concepts = self.concepts(source.get("concepts", []), languages)
        questions = self.questions(source.get("questions", []), languages)
        free_cards = self.free_cards(source.get("cards", []), languages)
        if len(self.problems) > errors_before or name is None or deck_id is None:
            return None
        written = [key for key in source["deck"] if key in DECK.keys]
        return Deck(
            id=deck_id,
            languages=languages,
            name=name,
            description=description,
            concepts=tuple(concepts),
            questions=tuple(questions),
            path=self.doc.path,
            cards=tuple(free_cards),
            media=tuple(self.media[name] for name in sorted(self.media)),
            concept_kind=concept_kind,
            answer_note=answer_note,
            options=info.get("options"),
            speech=speech,
            show_source=bool(info.get("show-source", False)),
            lines=MappingProxyType({("deck", k): self.doc.position(("deck", k)).line for k in written}),
        )

    def deck_header(self, deck_id: str, names: Localized | None) -> DeckHeader:
        """The deck's id and names with where they are written, for the checks across decks."""
        paths: tuple[KeyPath, ...] = (("deck", "id"), ("deck", "name"))
        positions = {p: self.doc.position(p) for p in paths}
        return DeckHeader(self.doc.path, deck_id, names, positions)

    def languages(self, raw: list[str]) -> tuple[str, ...]:
        seen: list[str] = []
        for i, lang in enumerate(raw):
            if not LANGUAGE.fullmatch(lang):
                message = f"'{shown(lang)}' is not a language code such as 'ja' or 'en'"
                self.report(("deck", "languages", i), message)
                self.languages_known = False
            elif lang in seen:
                self.report(("deck", "languages", i), f"language '{lang}' is listed twice")
            else:
                seen.append(lang)
        if not raw:
            self.report(("deck", "languages"), "list at least one language, such as [ja, en]")
            self.languages_known = False
        return tuple(seen)

    def check_distinct_names(self, name: Localized, languages: Sequence[str]) -> None:
        seen: dict[str, str] = {}
        for lang in languages:
            text = name[lang]
            if text in seen:
                message = (
                    f"the deck name is the same in '{seen[text]}' and '{lang}'; "
                    "give each language its own name, or Anki merges both decks into one"
                )
                self.report(("deck", "name", lang), message)
            seen[text] = lang

    def check_deck_name(self, name: Localized) -> None:
        """A deck's name is one line, and 'A::B' names a subdeck B of A: text on both sides of every '::'."""
        for lang in name:
            control = next((c for c in name[lang] if unicodedata.category(c) in NOT_IN_A_NAME), None)
            if control is not None:
                self.report(
                    ("deck", "name", lang), f"a deck name is one line: it cannot hold {character(control)}"
                )
            elif any(not part.strip() for part in name[lang].split("::")):
                message = (
                    "a deck name has text on both sides of every '::' (in Anki, 'A::B' is a subdeck B of A)"
                )
                self.report(("deck", "name", lang), message)
