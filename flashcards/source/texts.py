"""Checking what each text means: a text per language of the deck, clean and storable, its formulas,
code blocks, pictures and sounds; ids, tags and topics."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flashcards import markup, media
from flashcards.model import Localized, MediaFile
from flashcards.source.format import ID, MAX_ID_CHARS, MAX_TEXT_CHARS, TAG_PREFIX
from flashcards.source.shape import Checker, shown
from flashcards.source.yaml_reader import KeyPath

LocalizedText = dict[str, str]


@dataclass
class TextChecker(Checker):
    """Checks the texts of one source, collecting every problem."""

    #: The project folder: media files must lie inside it.
    root: Path = Path()
    #: Media files found so far, by packaged name.
    media: dict[str, MediaFile] = dataclasses.field(default_factory=dict)
    #: False when deck.languages is missing or wrong: texts are then not checked against it.
    languages_known: bool = True
    #: Whether the deck reads ``$…$`` and ``$$…$$`` as math.
    dollar_math: bool = False

    def slug(self, value: str, key_path: KeyPath) -> str:
        if len(value) > MAX_ID_CHARS:
            message = f"the id has {len(value)} characters; an id may have at most {MAX_ID_CHARS}"
            self.report(key_path, message)
        elif not ID.fullmatch(value):
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
            self.report(key_path, f"the text holds {character(unstorable.group())}, which Anki cannot store")
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
        block_line = _block_scalar_line(self.doc.file, problem.line or 1, problem.column or 1)
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

    def tags(self, raw: list[str], key_path: KeyPath) -> tuple[str, ...]:
        tags: list[str] = []
        for i, value in enumerate(raw):
            tag = unicodedata.normalize("NFC", value).strip()
            control = next((c for c in tag if unicodedata.category(c) in NOT_IN_A_NAME), None)
            if not tag:
                self.report((*key_path, i), "the tag is empty")
            elif control is not None:
                self.report((*key_path, i), f"a tag cannot hold {character(control)}")
            elif any(c.isspace() for c in tag):
                suggestion = "-".join(tag.split())
                self.report((*key_path, i), f"a tag has no spaces: write '{suggestion}' instead of '{tag}'")
            elif tag.casefold().startswith(TAG_PREFIX):
                self.report(
                    (*key_path, i),
                    f"tags starting with '{TAG_PREFIX}' are given by flashcards itself; choose another tag",
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
            control = next((c for c in topic[lang] if unicodedata.category(c) in NOT_IN_A_NAME), None)
            if "\n" in topic[lang]:
                self.report((*key_path, lang), "a topic is one line: it is the name of a subdeck")
                ok = False
            elif control is not None:
                message = f"a topic is the name of a subdeck: it cannot hold {character(control)}"
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


#: line and paragraph separators, and halves of a UTF-16 pair written alone.
NOT_IN_A_NAME = frozenset({"Cc", "Zl", "Zp", "Cs"})

#: Characters an Anki field cannot hold: controls other than tab and line break (U+001F separates a note's
#: fields in Anki's database), and halves of a UTF-16 pair written alone (not Unicode text).
UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")

#: Names of the characters a learner may have typed by mistake, for the message.
_CHARACTER_NAMES = {"\x1f": "Anki's field separator", "\x00": "a null character", "\r": "a carriage return"}


def character(c: str) -> str:
    """A character that cannot be shown, described, e.g. 'the control character U+0000 (a null character)'."""
    code = f"U+{ord(c):04X}"
    what = "the half of a UTF-16 pair" if unicodedata.category(c) == "Cs" else "the control character"
    name = _CHARACTER_NAMES.get(c)
    return f"{what} {code}" + (f" ({name})" if name else "")


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
