"""Anki's own text to speech on chosen sides of chosen card types: ``{{tts ja_JP:Field}}``.

A deck's ``speech`` names the card types and the sides to read aloud, and may set each language's voice:

    speech:
      read:
        NameToDescription: [front]
        QuestionToAnswer: [front, back]
      voices: {ja: ja_JP, en: en_GB}

Nothing is generated at build time: such a side gets Anki's ``{{tts …:Field}}`` for each field it shows (on a
back, each field its front does not show already), and every Anki client reads the text with the voices of
its system (desktop 2.1.50+, AnkiMobile, AnkiDroid 2.17+).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flashcards.anki_template import Node, Replacement, Section, parse

#: The sides of a card a deck may have read.
SIDES = ("front", "back")
#: The voice of a language when the deck names none: Anki's language codes, as its TTS filter takes them.
DEFAULT_VOICES = {
    "ja": "ja_JP",
    "en": "en_US",
    "zh": "zh_CN",
    "ko": "ko_KR",
    "de": "de_DE",
    "fr": "fr_FR",
    "es": "es_ES",
    "it": "it_IT",
    "pt": "pt_BR",
    "ru": "ru_RU",
}
#: A voice as Anki's ``{{tts …}}`` filter takes it: a language and region, such as ``ja_JP`` or ``en_GB``.
VOICE = re.compile(r"[a-z]{2,3}_[A-Z]{2}")


@dataclass(frozen=True)
class Speech:
    """What a deck has read aloud: (card template, side) pairs, and a voice per language."""

    read: frozenset[tuple[str, str]]
    voices: tuple[tuple[str, str], ...] = ()

    def voice(self, language: str) -> str:
        own = dict(self.voices).get(language)
        return own or DEFAULT_VOICES.get(language.split("-", maxsplit=1)[0], language)


Report = Callable[[tuple[str | int, ...], str], None]


def speech_from(
    raw: Any, languages: Sequence[str], templates: Iterable[str], report: Report
) -> Speech | None:
    """The deck's ``speech`` mapping, checked; every problem reported at its key, None when there is one."""
    at: tuple[str | int, ...] = ("deck", "speech")
    known = sorted(set(templates))
    problems = _Counter(report)
    if not isinstance(raw, dict):
        problems.report(at, "expected 'read:' (card types and their sides) and, if you like, 'voices:'")
        return None
    for key in raw:
        if key not in ("read", "voices"):
            problems.report((*at, str(key)), f"unknown key '{key}': 'speech' has 'read' and 'voices'")
    read: set[tuple[str, str]] = set()
    sides_of = raw.get("read", {})
    if not isinstance(sides_of, dict) or not sides_of:
        problems.report(
            (*at, "read"), "name the card types to read aloud, as in 'NameToDescription: [front]'"
        )
        sides_of = {}
    for template, sides in sides_of.items():
        where = (*at, "read", str(template))
        if template not in known:
            near = difflib.get_close_matches(str(template), known, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else f" (card types: {', '.join(known)})"
            problems.report(where, f"no card type is called '{template}'{hint}")
            continue
        if not isinstance(sides, list) or not sides or not all(side in SIDES for side in sides):
            problems.report(where, "expected a list of sides: [front], [back] or [front, back]")
            continue
        read.update((template, side) for side in sides)
    voices = raw.get("voices", {})
    if not isinstance(voices, dict):
        problems.report((*at, "voices"), "expected a voice per language, as in '{ja: ja_JP, en: en_GB}'")
        voices = {}
    for language, voice in voices.items():
        where = (*at, "voices", str(language))
        if language not in languages:
            problems.report(where, f"'{language}' is not a language of this deck ({', '.join(languages)})")
        elif not isinstance(voice, str) or not VOICE.fullmatch(voice):
            problems.report(where, f"'{voice}' is not a voice such as ja_JP or en_GB (language_REGION)")
    if problems.count:
        return None
    return Speech(frozenset(read), tuple(sorted((str(k), str(v)) for k, v in voices.items())))


class _Counter:
    def __init__(self, report: Report) -> None:
        self._report = report
        self.count = 0

    def report(self, key_path: tuple[str | int, ...], message: str) -> None:
        self.count += 1
        self._report(key_path, message)


#: Where a field is shown: the sections around it, each as (field, negated).
Sections = tuple[tuple[str, bool], ...]


def shown_fields(template: str, fields: Sequence[str]) -> dict[str, Sections]:
    """The note's fields a rendered template side shows, in order, each with the sections it is shown in
    (the first time it is)."""
    found: dict[str, Sections] = {}

    def walk(nodes: Sequence[Node], around: Sections) -> None:
        for node in nodes:
            if isinstance(node, Replacement) and node.key in fields and node.key not in found:
                found[node.key] = around
            elif isinstance(node, Section):
                walk(node.children, (*around, (node.key, node.negated)))

    walk(parse(template).nodes, ())
    return found


def read_aloud(
    front: str, back: str, template: str, fields: Sequence[str], voice: str, speech: Speech
) -> tuple[str, str]:
    """A card template's sides with Anki's ``{{tts}}`` for the fields each side shows, where the deck
    asks for it: in the sections that field is shown in, so that a card exists exactly when it did, and
    an empty field reads nothing. A reading (``漢字[かんじ]``) is read as its kana."""
    on_front = shown_fields(front, fields)
    if (template, "front") in speech.read:
        front = front + _tags(on_front, voice)
    if (template, "back") in speech.read:
        on_back = shown_fields(back, fields)
        back = back + _tags({f: around for f, around in on_back.items() if f not in on_front}, voice)
    return front, back


def _tags(fields: dict[str, Sections], voice: str) -> str:
    if not fields:
        return ""
    tags = []
    for field, around in fields.items():
        sections = [*around, (field, False)]
        opening = "".join(f"{{{{{'^' if negated else '#'}{key}}}}}" for key, negated in sections)
        closing = "".join(f"{{{{/{key}}}}}" for key, _ in reversed(sections))
        tags.append(f"{opening}{{{{tts {voice}:kana:{field}}}}}{closing}")
    return f'<div class="fc-tts">{"".join(tags)}</div>\n'
