"""Turn source files into checked ``model.Deck`` objects, reporting every problem at once."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashcards import markup, media
from flashcards.cards import NOTE_KINDS
from flashcards.errors import Problem, SourceError
from flashcards.lock import is_lock_file, lock_path
from flashcards.model import BasicCard, ClozeCard, Concept, Deck, Localized, MediaFile, Question
from flashcards.source_shape import CARD, CONCEPT, DECK_INFO, QUESTION, SOURCE, LocalizedText, Section
from flashcards.speech import speech_from
from flashcards.yaml_pieces import Entries, ReadAgain
from flashcards.yaml_reader import Document, KeyPath, read_yaml

if TYPE_CHECKING:
    from pydantic import TypeAdapter

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
SOURCE_SUFFIXES = (".yaml", ".yml")

#: Limits that no study note comes near; past them a file or a text is refused, quickly.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_TEXT_CHARS = 10_000
#: An id names the deck's package files (``<id>.<language>.apkg``), which a file system limits.
MAX_ID_CHARS = 100


def find_sources(paths: Sequence[Path]) -> list[Path]:
    """The YAML files named, and those found (recursively, sorted) in the folders named."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in SOURCE_SUFFIXES and p.is_file() and not is_lock_file(p)
                )
            )
        elif path.is_file():
            found.append(path)
        elif path.exists() or path.is_symlink():
            message = "is not a file or a folder of YAML sources (a pipe, a device or a broken link?)"
            problems.append(Problem(str(path), 1, 1, message))
        else:
            problems.append(Problem(str(path), 1, 1, "no such file or folder"))
    if problems:
        raise SourceError(problems)
    if not found:
        names = ", ".join(str(p) for p in paths)
        raise SourceError([Problem(names, 1, 1, "no .yaml source files found here")])
    return _one_lock_each(list(dict.fromkeys(found)))


def _one_lock_each(sources: list[Path]) -> list[Path]:
    """The sources, each with a lock file of its own: ``deck.yaml`` and ``deck.yml`` would share one."""
    owners: dict[Path, Path] = {}
    problems: list[Problem] = []
    for source in sources:
        if is_lock_file(source):
            message = "is a lock file, which flashcards build writes beside a source: name the source instead"
            problems.append(Problem(str(source), 1, 1, message))
            continue
        lock = lock_path(source).resolve()
        if lock in owners:
            message = (
                f"{owners[lock]} has the same name: both would keep their lock file in "
                f"{lock_path(source)}; rename one of them"
            )
            problems.append(Problem(str(source), 1, 1, message))
        else:
            owners[lock] = source
    if problems:
        raise SourceError(problems)
    return sources


def load_decks(paths: Sequence[Path], root: Path | None = None) -> list[Deck]:
    """Read, check and convert every source file; raise SourceError with every problem found.

    Media files must lie inside ``root`` (the project folder; the current folder when not given)."""
    root = Path.cwd() if root is None else root
    problems: list[Problem] = []
    decks: list[Deck] = []
    headers: list[DeckHeader] = []
    for path in find_sources(paths):
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = (
                f"the file has {size / 1024 / 1024:.0f} MB; a source may have at most "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB: split it into several decks"
            )
            problems.append(Problem(str(path), 1, 1, message))
            continue
        try:
            document = read_yaml(path, str(path), fast=True)
            found: list[Problem] = []
            parser = _DeckParser(document, found, root=root)
            try:
                deck = parser.parse()
            except (TypeError, AttributeError, ValueError, ReadAgain):
                if document.exact:
                    raise
                # e.g. a number as a key, or a piece of the file that yaml-rs read otherwise than expected
                found.append(Problem(str(path), 1, 1, "read again exactly"))
            if found and not document.exact:  # say what is wrong from the text exactly as written
                found = []
                parser = _DeckParser(read_yaml(path, str(path)), found, root=root)
                deck = parser.parse()
        except SourceError as error:
            problems.extend(error.problems)
            continue
        problems.extend(found)
        if deck is not None:
            decks.append(deck)
        if parser.header is not None:
            headers.append(parser.header)
    problems.extend(_check_across_decks(headers))
    if problems:
        raise SourceError(problems)
    return decks


@dataclass(frozen=True)
class DeckHeader:
    """A deck's id and names, known even when some of its entries are wrong."""

    document: Document
    id: str
    names: Localized | None


def _check_across_decks(headers: Iterable[DeckHeader]) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    names: dict[tuple[str, str], str] = {}
    for header in headers:
        doc = header.document
        if header.id in ids:
            message = (
                f"deck id '{header.id}' is already used by {ids[header.id]}; every deck needs its own id"
            )
            problems.append(doc.problem(("deck", "id"), message))
        ids.setdefault(header.id, doc.path)
        for lang in header.names or ():
            name = header.names[lang] if header.names else ""
            if (lang, name) in names:
                other = names[(lang, name)]
                message = f"deck name '{name}' is already used by {other}; Anki would merge the two decks"
                problems.append(doc.problem(("deck", "name", lang), message))
            names.setdefault((lang, name), doc.path)
    return problems


def shown(value: str) -> str:
    """A value on one line of a message: characters that cannot be shown as they are are escaped."""
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in value)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


@dataclass
class _DeckParser:
    doc: Document
    problems: list[Problem]
    header: DeckHeader | None = None
    root: Path = Path()
    #: Media files found so far, by packaged name.
    media: dict[str, MediaFile] = dataclasses.field(default_factory=dict)
    #: False when deck.languages is missing or wrong: texts are then not checked against it.
    languages_known: bool = True
    #: Whether the deck reads ``$…$`` and ``$$…$$`` as math.
    dollar_math: bool = False
    #: The id of every concept entry, valid or not (questions refer to them).
    concept_ids: dict[str, None] = dataclasses.field(default_factory=dict)
    #: The file read again with positions, for the line of each entry; let go once the deck is made.
    located: Document | None = None

    def line_of(self, key_path: KeyPath) -> int:
        """The line where the entry at ``key_path`` starts."""
        if self.located is None:
            self.located = Document(self.doc.path, None, self.doc.file)
        return self.located.position(key_path).line

    def report(self, key_path: KeyPath, message: str, *, of_key: bool = False) -> None:
        self.problems.append(self.doc.problem(key_path, message, of_key=of_key))

    def parse(self) -> Deck | None:
        errors_before = len(self.problems)
        if not isinstance(self.doc.data, dict):
            self.report((), "a source file is a mapping with the keys 'deck', 'concepts' and 'questions'")
            return None
        source = self.fields(SOURCE, self.doc.data, ())
        deck = source.get("deck")
        for flag in ("options", "dollar-math", "show-source"):
            deck = _with_booleans(deck, flag)
        info = self.fields(DECK_INFO, deck, ("deck",)) if "deck" in source else None
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
            self.header = DeckHeader(self.doc, deck_id, name)
        concepts = self.concepts(source.get("concepts", []), languages)
        questions = self.questions(source.get("questions", []), languages)
        free_cards = self.free_cards(source.get("cards", []), languages)
        self.doc.data = None  # the model now holds everything; let the raw values go
        self.located = None
        if len(self.problems) > errors_before or name is None or deck_id is None:
            return None
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
            document=self.doc,
        )

    # --- shape -------------------------------------------------------------------------------

    def fields(self, section: Section, data: Any, key_path: KeyPath) -> dict[str, Any]:
        """The keys of ``data`` that have the shape ``section`` gives them, each checked on its own.

        Every other key is reported (unknown, missing, or of the wrong type), so that one mistake in an
        entry hides no other. Optional keys that are absent get their default.
        """
        if not isinstance(data, dict):
            self.report(key_path, _type_message("model_type", data, localized=False))
            return {}
        quick = _quick_fields(section, data)
        if quick is not None:
            return quick
        known = section.keys
        checks = _quick_checks(section)
        for key in data:
            if key not in known:
                hint = did_you_mean(key, known)
                self.report((*key_path, key), f"unknown key '{shown(key)}'{hint}", of_key=True)
        valid: dict[str, Any] = {}
        for name, shape in known.items():
            if name not in data:
                if shape.required:
                    self.report(key_path, f"required key '{name}' is missing")
                else:
                    valid[name] = shape.value_left_out()
            elif name in checks and checks[name](data[name]):
                valid[name] = data[name]
            else:
                self.check_value(section, key_path, name, data[name], valid)
        return valid

    def check_value(
        self, section: Section, key_path: KeyPath, name: str, value: Any, valid: dict[str, Any]
    ) -> None:
        """Put the value of key ``name`` in ``valid`` if it has its type, or report each part that has not."""
        if not self.doc.exact:
            # Read as YAML 1.2 types it ('2024' as a number, say): the file is read again exactly, and
            # whatever is wrong is said from that reading.
            self.problems.append(Problem(self.doc.path, 1, 1, "read again exactly"))
            return
        from pydantic import ValidationError

        try:
            valid[name] = _adapter(section.keys[name].annotation).validate_python(value, strict=True)
        except ValidationError as error:
            for item in error.errors():
                loc = (name, *item["loc"])
                self.shape_problem(section, key_path, loc, item["type"], item["input"], item["msg"])

    def shape_problem(
        self, section: Section, base: KeyPath, loc: KeyPath, kind: str, value: Any, default: str
    ) -> None:
        path = (*base, *loc)
        if kind == "bool_type":
            self.report(path, f"expected true or false, found {_describe(value)}")
        elif kind in ("string_type", "list_type", "dict_type", "model_type"):
            self.report(path, _type_message(kind, value, _is_localized(section, loc)))
        else:
            self.report(path, default)

    # --- meaning -----------------------------------------------------------------------------

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

    def slug(self, value: str, key_path: KeyPath) -> str:
        if len(value) > MAX_ID_CHARS:
            message = f"the id has {len(value)} characters; an id may have at most {MAX_ID_CHARS}"
            self.report(key_path, message)
        elif not SLUG.fullmatch(value):
            suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            hint = f", like '{suggestion}'" if suggestion else ""
            message = f"'{shown(value)}' is not a valid id: use lower-case letters, digits and hyphens{hint}"
            self.report(key_path, message)
        return value

    def text(self, value: str, key_path: KeyPath) -> str:
        text = unicodedata.normalize("NFC", value).strip()
        unstorable = UNSTORABLE.search(text)
        if not text:
            self.report(key_path, "the text is empty")
        elif len(text) > MAX_TEXT_CHARS:
            message = f"the text has {len(text)} characters; a text may have at most {MAX_TEXT_CHARS}"
            self.report(key_path, message)
        elif unstorable is not None:
            self.report(key_path, f"the text holds {_character(unstorable.group())}, which Anki cannot store")
        return text

    def localized(
        self, raw: LocalizedText, key_path: KeyPath, languages: Sequence[str], *, optional: bool = False
    ) -> Localized | None:
        text = _quick_localized(raw, languages) if self.languages_known else None
        if text is None:
            text = self._localized(raw, key_path, languages, optional=optional)
            if text is not None and any(media.MARKER in value for value in text.values):
                text = self.with_media(text, key_path)
        shown_as_markdown = key_path[-1] != "topic" and key_path != ("deck", "name")
        if (
            text is not None
            and shown_as_markdown
            and any(_may_hold_formulas_or_code(v, self.dollar_math) for v in text.values)
        ):
            return self.with_formulas_and_code(text, key_path)
        return text

    def with_formulas_and_code(self, text: Localized, key_path: KeyPath) -> Localized | None:
        """The text with its formulas and code blocks checked, and dollar math (when the deck turns it
        on) written the way Anki's MathJax reads it."""
        values = []
        ok = True
        for lang in text:
            check = markup.check_text(text[lang], dollars=self.dollar_math)
            said = set()
            for offset, message in check.problems:
                line = text[lang].count("\n", 0, offset)
                if (line, message) not in said:  # one line says each thing once
                    said.add((line, message))
                    self.report_in_text((*key_path, lang), text[lang], offset, message)
                ok = False
            values.append(markup.with_backslashes(text[lang], check.formulas))
        return Localized.from_values(text.languages, tuple(values)) if ok else None

    def report_in_text(self, key_path: KeyPath, text: str, offset: int, message: str) -> None:
        """A problem at ``offset`` in a text, on the source line it is on when the text is a block of
        lines (``|``); otherwise at the text's start."""
        problem = self.doc.problem(key_path, message)
        line_in_text = text.count("\n", 0, offset)
        block_line = _block_scalar_line(self.doc.file, problem.line, problem.column)
        if block_line is not None:
            line, indent = block_line
            problem = dataclasses.replace(problem, line=line + line_in_text, column=indent + 1)
        self.problems.append(problem)

    def with_media(self, text: Localized, key_path: KeyPath) -> Localized | None:
        """The text with each image and sound checked and renamed to its packaged name. They are found
        by the parser that renders the cards, so that what a card shows is exactly what was checked."""
        before = len(self.problems)
        values = []
        for lang in text:
            values.append(self.media_in(text[lang], (*key_path, lang)))
        if len(self.problems) > before:
            return None
        return Localized.from_values(text.languages, tuple(values))

    def media_in(self, value: str, key_path: KeyPath) -> str:
        source_dir = Path(self.doc.path).parent
        parts: list[str] = []
        position = 0
        spans = markup.media_spans(value)
        for span in spans:
            try:
                found = media.resolve(span.address, sound=span.sound, source_dir=source_dir, root=self.root)
            except media.MediaError as error:
                self.report(key_path, str(error))
                continue
            self.media[found.name] = MediaFile(found.name, str(found.path))
            packaged = f"[sound]({found.name})" if span.sound else f"![{span.alt}]({found.name})"
            parts.extend([value[position : span.start], packaged])
            position = span.end
        parts.append(value[position:])
        starts = {span.start for span in spans}
        for match in media.WITH_A_SPACE.finditer(value):
            if match.start() not in starts:  # meant as a picture or a sound, but Markdown reads text
                self.report(key_path, media.space_message(match.group(0)))
        return "".join(parts)

    def _localized(
        self, raw: LocalizedText, key_path: KeyPath, languages: Sequence[str], *, optional: bool = False
    ) -> Localized | None:
        if (optional and not raw) or not self.languages_known:
            return None  # without the deck's languages, every text would be reported for the same mistake
        ok = True
        before = len(self.problems)
        texts: dict[str, str] = {}
        for lang in raw:
            if lang not in languages:
                declared = ", ".join(languages)
                message = f"'{lang}' is not a language of this deck (deck.languages: {declared})"
                self.report((*key_path, lang), message, of_key=True)
                ok = False
        for lang in languages:
            if lang not in raw:
                self.report((*key_path, lang), f"the '{lang}' text is missing")
                ok = False
                continue
            texts[lang] = self.text(raw[lang], (*key_path, lang))
        return Localized.of(texts) if ok and len(self.problems) == before else None

    def text_of(
        self, raw: dict[str, Any], key: str, at: KeyPath, languages: Sequence[str], *, optional: bool = False
    ) -> Localized | None:
        """The localized text under ``key`` of a checked mapping, or None when it is absent or wrong."""
        if key not in raw:
            return None
        return self.localized(raw[key], (*at, key), languages, optional=optional)

    def items(
        self, raw: list[LocalizedText], key_path: KeyPath, languages: Sequence[str]
    ) -> tuple[Localized, ...]:
        items = [self.localized(item, (*key_path, i), languages) for i, item in enumerate(raw)]
        return tuple(item for item in items if item is not None)

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
            control = next((c for c in name[lang] if unicodedata.category(c) in _NOT_IN_A_NAME), None)
            if control is not None:
                self.report(
                    ("deck", "name", lang), f"a deck name is one line: it cannot hold {_character(control)}"
                )
            elif any(not part.strip() for part in name[lang].split("::")):
                message = (
                    "a deck name has text on both sides of every '::' (in Anki, 'A::B' is a subdeck B of A)"
                )
                self.report(("deck", "name", lang), message)

    def unique(self, kind: str, ids: dict[str, KeyPath], value: str, key_path: KeyPath) -> None:
        if value in ids:
            first = self.doc.position(ids[value]).line
            self.report(key_path, f"duplicate {kind} id '{value}' (first used on line {first})")
        else:
            ids[value] = key_path

    def unique_text(
        self, what: str, seen: dict[tuple[str, str], KeyPath], text: Localized, key_path: KeyPath
    ) -> None:
        for lang in text:
            key = (lang, text[lang])
            if key in seen:
                first = self.doc.position(seen[key]).line
                message = f"two {what} have the same text '{text[lang]}' (the other is on line {first})"
                self.report((*key_path, lang), message)
            else:
                seen[key] = (*key_path, lang)

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
            description = (
                self.localized(raw["description"], (*at, "description"), languages)
                if "description" in raw
                else None
            )
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
            line = self.line_of(at)
            concepts.append(
                Concept(raw["id"], name, description, features, pros, cons, example, tags, topic, line)
            )
        return concepts

    def questions(self, raw_items: Iterable[Any], languages: Sequence[str]) -> list[Question]:
        questions: list[Question] = []
        ids: dict[str, KeyPath] = {}
        texts: dict[tuple[str, str], KeyPath] = {}
        concept_ids = self.concept_ids
        # With no 'concepts' list but a misspelled key in its place, every answer would be reported too.
        concepts = self.doc.data.get("concepts", [])
        misspelled = not isinstance(concepts, list | Entries) or (
            "concepts" not in self.doc.data and bool(set(self.doc.data) - {"deck", "questions", "cards"})
        )
        for i, data in enumerate(raw_items):
            at: KeyPath = ("questions", i)
            before = len(self.problems)
            raw = self.fields(QUESTION, _with_booleans(data, "options"), at)
            if "id" in raw:
                self.slug(raw["id"], (*at, "id"))
                self.unique("question", ids, raw["id"], (*at, "id"))
            question = (
                self.localized(raw["question"], (*at, "question"), languages) if "question" in raw else None
            )
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
            explanation = (
                self.localized(raw["explanation"], (*at, "explanation"), languages)
                if "explanation" in raw
                else None
            )
            tags = self.tags(raw.get("tags", []), (*at, "tags"))
            topic = self.topic(raw.get("topic", {}), (*at, "topic"), languages)
            options = self.question_options(raw.get("options", True), raw.get("answer"), at)
            if len(self.problems) > before or question is None or explanation is None:
                continue
            line = self.line_of(at)
            questions.append(
                Question(raw["id"], question, raw["answer"], explanation, tags, topic, options, line)
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

    def tags(self, raw: list[str], key_path: KeyPath) -> tuple[str, ...]:
        tags: list[str] = []
        for i, value in enumerate(raw):
            tag = unicodedata.normalize("NFC", value).strip()
            control = next((c for c in tag if unicodedata.category(c) in _NOT_IN_A_NAME), None)
            if not tag:
                self.report((*key_path, i), "the tag is empty")
            elif control is not None:
                self.report((*key_path, i), f"a tag cannot hold {_character(control)}")
            elif any(c.isspace() for c in tag):
                suggestion = "-".join(tag.split())
                self.report((*key_path, i), f"a tag has no spaces: write '{suggestion}' instead of '{tag}'")
            elif tag.casefold().startswith(RESERVED_TAG_PREFIX):
                self.report(
                    (*key_path, i),
                    f"tags starting with '{RESERVED_TAG_PREFIX}' are given by flashcards itself; "
                    "choose another tag",
                )
            elif tag not in tags:
                tags.append(tag)
        return tuple(tags)

    def topic(self, raw: LocalizedText, key_path: KeyPath, languages: Sequence[str]) -> Localized | None:
        topic = self.localized(raw, key_path, languages, optional=True)
        if topic is None:
            return None
        ok = True
        for lang in topic:
            parts = topic[lang].split("::")
            control = next((c for c in topic[lang] if unicodedata.category(c) in _NOT_IN_A_NAME), None)
            if "\n" in topic[lang]:
                self.report((*key_path, lang), "a topic is one line: it is the name of a subdeck")
                ok = False
            elif control is not None:
                message = f"a topic is the name of a subdeck: it cannot hold {_character(control)}"
                self.report((*key_path, lang), message)
                ok = False
            elif any(not part.strip() for part in parts):
                self.report((*key_path, lang), "a topic has text on both sides of every '::'")
                ok = False
        if not ok:
            return None
        return Localized.from_values(
            topic.languages, tuple("::".join(p.strip() for p in topic[lang].split("::")) for lang in topic)
        )

    def free_cards(self, raw_items: Iterable[Any], languages: Sequence[str]) -> list[BasicCard | ClozeCard]:
        found: list[BasicCard | ClozeCard] = []
        ids: dict[str, KeyPath] = {}
        #: First texts seen, per note type: Anki flags a note whose first field another note has.
        fronts: dict[tuple[str, str], KeyPath] = {}
        clozes: dict[tuple[str, str], KeyPath] = {}
        for i, data in enumerate(raw_items):
            at: KeyPath = ("cards", i)
            before = len(self.problems)
            raw = self.fields(CARD, _with_booleans(data, "reverse"), at)
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
                    found.append(ClozeCard(raw["id"], text, extra, tags, topic, self.line_of(at)))
            else:
                sides = self.basic_sides(raw, written, at, languages, fronts)
                if len(self.problems) == before and sides is not None:
                    reverse = raw.get("reverse", False)
                    line = self.line_of(at)
                    found.append(BasicCard(raw["id"], *sides, reverse, extra, tags, topic, line))
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
                    f"the '{lang}' text asks {_deletions(numbers[lang])} and the '{first}' text "
                    f"{_deletions(numbers[first])}: every language needs the same deletions"
                )
                self.report((*key_path, lang), message)
                ok = False
        return Localized.from_values(text.languages, tuple(values)) if ok else None


#: Unicode categories of characters a deck name cannot hold: controls (tab and line breaks among them),
#: line and paragraph separators, and halves of a UTF-16 pair written alone.
_NOT_IN_A_NAME = frozenset({"Cc", "Zl", "Zp", "Cs"})

#: Characters an Anki field cannot hold: controls other than tab and line break (U+001F separates a note's
#: fields in Anki's database), and halves of a UTF-16 pair written alone (not Unicode text).
UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")

#: Names of the characters a learner may have typed by mistake, for the message.
_CHARACTER_NAMES = {"\x1f": "Anki's field separator", "\x00": "a null character", "\r": "a carriage return"}


def _character(c: str) -> str:
    """A character that cannot be shown, described, e.g. 'the control character U+0000 (a null character)'."""
    code = f"U+{ord(c):04X}"
    what = "the half of a UTF-16 pair" if unicodedata.category(c) == "Cs" else "the control character"
    name = _CHARACTER_NAMES.get(c)
    return f"{what} {code}" + (f" ({name})" if name else "")


#: Tags that flashcards gives its notes start with this; a learner's own tags may not.
RESERVED_TAG_PREFIX = "flashcards::"

#: YAML's booleans (the core schema's spellings).
_BOOLEANS = {
    word: value for value in (True, False) for word in (str(value).lower(), str(value), str(value).upper())
}


def _with_booleans(data: Any, key: str) -> Any:
    """The exact reader keeps every value as the text written: read YAML's booleans as such."""
    if isinstance(data, dict) and isinstance(data.get(key), str):
        return {**data, key: _BOOLEANS.get(data[key], data[key])}
    return data


CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")
_ANKI_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)
#: ``[[answer]]``; the answer may hold brackets of its own, such as a reading (``[[漢字[かんじ]]]``).
_FRIENDLY_CLOZE = re.compile(r"\[\[((?:\[[^\[\]]*\]|.)*?)\]\]", re.DOTALL)


def to_anki_cloze(text: str) -> tuple[str, str]:
    """The text with ``[[…]]`` deletions in Anki's form, and a problem ('' when there is none)."""
    anki = _ANKI_CLOZE.findall(text)
    problem = _anki_cloze_problem(text, anki)
    if problem:
        return text, problem
    next_number = max((int(number) for number, _ in anki), default=0) + 1
    parts: list[str] = []
    position = 0
    for match in _FRIENDLY_CLOZE.finditer(text):
        if not match.group(1).split("::")[0].strip():
            return text, "a deletion is empty: write the answer between the brackets, as in [[answer]]"
        parts.extend([text[position : match.start()], f"{{{{c{next_number}::{match.group(1)}}}}}"])
        next_number += 1
        position = match.end()
    parts.append(text[position:])
    converted = "".join(parts)
    rest = _FRIENDLY_CLOZE.sub("", text)
    problem = ""
    if next_number - 1 > MAX_CLOZE_NUMBER:
        problem = (
            f"deletions are numbered up to {MAX_CLOZE_NUMBER:,} in Anki: [[…]] would be c{next_number - 1}"
        )
    elif "[[" in rest or "]]" in rest:
        problem = "a '[[' or ']]' is not closed: a deletion is written [[answer]]"
    elif _anki_cloze_problem(converted, _ANKI_CLOZE.findall(converted)):
        problem = "a deletion is inside another one: write each deletion on its own, as in [[a]] [[b]]"
    elif not CLOZE_NUMBER.search(converted):
        problem = "a cloze needs at least one deletion: write [[answer]] around the words to hide"
    return (text, problem) if problem else (converted, "")


_FIRST_DELETIONS = "{{c1::…}}, {{c2::…}}, …"

#: The highest deletion number Anki shows: a card's template number is 16 bits (measured with Anki's
#: backend: c65536 imports and shows "No cloze 0 found", a higher one fails the whole import).
MAX_CLOZE_NUMBER = 65_535


def _anki_cloze_problem(text: str, anki: Sequence[tuple[str, str]]) -> str:
    if any(len(number.lstrip("0")) > len(str(MAX_CLOZE_NUMBER)) for number, _ in anki) or any(
        int(number) > MAX_CLOZE_NUMBER for number, _ in anki
    ):
        return f"deletions are numbered up to {MAX_CLOZE_NUMBER:,} in Anki: write {_FIRST_DELETIONS}"
    if any(int(number) == 0 for number, _ in anki):
        return "deletions are numbered from 1: write {{c1::…}}"
    if any(not answer.split("::")[0].strip() for _, answer in anki):
        return "a deletion is empty: write the answer, as in {{c1::answer}}"
    if text.count("{{") != len(anki) or text.count("}}") != len(anki):
        return "a '{{' or '}}' belongs to no deletion: Anki's form is {{c1::answer}}"
    return ""


def _deletions(numbers: Sequence[int]) -> str:
    return ", ".join(f"c{n}" for n in numbers) or "none"


def _may_hold_formulas_or_code(text: str, dollars: bool) -> bool:
    """Whether a text may hold a formula or a code block (most hold neither, and are passed over fast)."""
    return "\\" in text or "```" in text or "~~~" in text or (dollars and "$" in text)


def _block_scalar_line(file: Path | None, line: int, column: int) -> tuple[int, int] | None:
    """For a text written as a block of lines (``|`` or ``>`` at ``line``:``column``), the source line of
    its first line and that line's indentation; None for a text written on its line."""
    if file is None:
        return None
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if line > len(lines) or lines[line - 1][column - 1 : column] not in ("|", ">"):
        return None
    for number in range(line, len(lines)):
        if lines[number].strip():
            return number + 1, len(lines[number]) - len(lines[number].lstrip(" "))
    return None


def _quick_localized(raw: LocalizedText, languages: Sequence[str]) -> Localized | None:
    """The common case, fast: every language there and no other, every text already clean (NFC, no
    surrounding space, not empty, not too long) and without a picture or sound. None sends the text
    through the full checks."""
    if len(raw) != len(languages):
        return None
    values = []
    for language in languages:
        text = raw.get(language)
        if not text or len(text) > MAX_TEXT_CHARS or text[0].isspace() or text[-1].isspace():
            return None
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            return None
        if media.MARKER in text or (not text.isprintable() and UNSTORABLE.search(text)):
            return None
        values.append(text)
    return Localized.from_values(tuple(languages), tuple(values))


def _is_localized_text(value: Any) -> bool:
    return type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items())


_QUICK_CHECKS: dict[Any, Any] = {
    # A top-level list read a batch at a time (yaml_pieces) is a list of entries as it is iterated.
    list[Any]: lambda v: type(v) is list or type(v) is Entries,
    dict[str, Any]: lambda v: type(v) is dict,
    str: lambda v: type(v) is str,
    LocalizedText: _is_localized_text,
    list[LocalizedText]: lambda v: type(v) is list and all(_is_localized_text(i) for i in v),
    list[str]: lambda v: type(v) is list and all(type(i) is str for i in v),
    bool: lambda v: type(v) is bool,
    bool | list[str]: lambda v: type(v) is bool or (type(v) is list and all(type(i) is str for i in v)),
}


def _quick_fields(section: Section, data: dict[str, Any]) -> dict[str, Any] | None:
    """The common case, checked fast: every key known, every required key there, every value of its type.

    None when anything is off; the field-by-field validation then says what.
    """
    known = section.keys
    checks = _quick_checks(section)
    if not known.keys() >= data.keys():
        return None
    result = dict(data)
    for name, shape in known.items():
        if name in data:
            if not checks[name](data[name]):
                return None
        elif shape.required:
            return None
        else:
            result[name] = shape.value_left_out()
    return result


@functools.cache
def _quick_checks(section: Section) -> dict[str, Any]:
    """The quick check of each key's type (every type in the format has one)."""
    return {name: _QUICK_CHECKS[shape.annotation] for name, shape in section.keys.items()}


@functools.cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    """The validator of one type, which says what is wrong with a value (only made for a wrong value)."""
    from pydantic import TypeAdapter

    return TypeAdapter(annotation)


def _is_localized(section: Section, loc: KeyPath) -> bool:
    """Whether ``loc`` points at a per-language text mapping (as opposed to a section of keys)."""
    annotation = section.keys[str(loc[0])].annotation
    return (annotation == LocalizedText and len(loc) == 1) or (
        annotation == list[LocalizedText] and len(loc) == 2
    )


def _type_message(kind: str, value: Any, localized: bool) -> str:
    found = _describe(value)
    if value is None:
        if kind == "list_type":
            return "is empty; write a list of '- ' items, or remove the key"
        return "is empty; write the text" if kind == "string_type" else "is empty"
    if kind == "string_type":
        return f"expected text, found {found}"
    if kind == "list_type":
        return f"expected a list of '- ' items, found {found}"
    if localized:
        return f"expected the text in each language ('ja: …', 'en: …' on their own lines), found {found}"
    return f"expected keys and values ('key: value' lines), found {found}"


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "keys and values"
    return type(value).__name__
