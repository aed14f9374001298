"""The preview: every card of every deck and language, as Anki will show it, in a static HTML page.

It runs the build's own plan (load → cards → render note types → plan against the lock), then
renders each card with Anki's template rules (``anki_template``) instead of writing a package.
``preview_site`` writes the page; the page itself (skeleton, script and style) lives in
``preview_assets/``. It needs no network, and each card is shown in its own frame with its note type's
stylesheet, as Anki does, so that card styles and page styles never mix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

from flashcards.anki_template import AnkiTemplateError, nonempty_fields, render_card
from flashcards.build import plan
from flashcards.cards import Note
from flashcards.errors import Problem, Severity, SourceError
from flashcards.export import PackageSpec, guid_of
from flashcards.model import BasicCard, ClozeCard, Concept, Deck, Question
from flashcards.note_kinds import SOURCE_FIELD
from flashcards.render import NoteType, Renderer, template_search_path

_SOUND = re.compile(r"\[sound:([^\]<>\"]+)\]")
_ENTRY_KEY = re.compile(r"^(concepts|questions|cards)\[(\d+)\]")


@dataclass(frozen=True)
class PreviewCard:
    """One card as Anki will show it: the HTML inside ``<div id="qa">`` on each side."""

    id: str
    guid: str
    entry_id: str
    template: str
    #: 1-based, as in Anki's ``card1`` body class.
    ordinal: int
    front: str
    back: str
    warnings: tuple[Problem, ...]
    #: Where its entry is in the source (``source/deck.yaml:12``); empty for a removed entry's note.
    source: str = ""


@dataclass(frozen=True)
class TemplateGroup:
    name: str
    cards: tuple[PreviewCard, ...]


@dataclass(frozen=True)
class NoteTypeGroup:
    note_type: NoteType
    templates: tuple[TemplateGroup, ...]

    @property
    def cards(self) -> int:
        return sum(len(t.cards) for t in self.templates)


@dataclass(frozen=True)
class DeckLanguage:
    """One deck in one language: one .apkg of the build."""

    deck: Deck
    language: str
    name: str
    note_types: tuple[NoteTypeGroup, ...]
    #: Warnings about the deck in this language that concern no card shown.
    warnings: tuple[Problem, ...]

    @property
    def cards(self) -> int:
        return sum(n.cards for n in self.note_types)


@dataclass(frozen=True)
class Preview:
    decks: tuple[DeckLanguage, ...]
    warnings: tuple[Problem, ...]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.language for d in self.decks))

    @property
    def cards(self) -> int:
        return sum(d.cards for d in self.decks)


def load_preview(sources: Sequence[Path], project_dir: Path) -> Preview:
    """Plan the build as ``flashcards build`` does (same notes, note types and warnings); write nothing."""
    plans, warnings = plan(sources, project_dir / "dist", project_dir)
    renderer = Renderer(template_search_path(project_dir / "templates"))
    parts = [
        preview_package(package.spec, renderer, [w for w in warnings if w.path == deck_plan.deck.path])
        for deck_plan in plans
        for package in deck_plan.packages
    ]
    return Preview(tuple(parts), tuple(warnings))


def preview_package(spec: PackageSpec, renderer: Renderer, warnings: Iterable[Problem]) -> DeckLanguage:
    """The cards of one package: every note of ``spec`` with every card template of its note type."""
    deck, language = spec.notes.deck, spec.notes.language
    by_entry, unplaced = _place_warnings(deck, language, warnings)
    shown: set[int] = set()  # the warnings some card shows, by id()
    groups = []
    for note_type in spec.note_types:
        notes = [n for n in spec.notes.notes if n.kind == note_type.kind]
        views = [_NoteView.of(spec, note) for note in notes]  # once per note, for all its cards
        templates = []
        for ordinal, template in enumerate(note_type.templates, start=1):
            cards = []
            for view in views:
                note = view.note
                # A cloze note has one template and a card per deletion number (Anki's card1, card2, …).
                numbers = [o + 1 for o in note.cloze_ordinals()] if note.kind.cloze else [None]
                # A finding about one card's front is shown on that card only.
                own = tuple(w for w in by_entry.get(note.entry_id, ()) if w.card in ("", template.name))
                for number in numbers:
                    card = _card(spec, view, note_type, ordinal, renderer, own, number)
                    if card is not None:
                        cards.append(card)
                        shown.update(id(w) for w in own)
            templates.append(TemplateGroup(template.name, tuple(cards)))
        groups.append(NoteTypeGroup(note_type, tuple(templates)))
    # A warning about a card of another note (an item's card, say) is listed with the deck; a note (a
    # masked front there) is not, or a large deck's list would bury its cards: `check` lists each.
    unplaced += [
        w
        for found in by_entry.values()
        for w in found
        if id(w) not in shown and w.severity is not Severity.NOTE
    ]
    return DeckLanguage(deck, language, spec.deck_name, tuple(groups), tuple(unplaced))


@dataclass(frozen=True)
class _NoteView:
    """What every card of a note needs: the note, its guid, its fields by name and which are non-empty."""

    note: Note
    guid: str
    fields: dict[str, str]
    nonempty: frozenset[str]

    @staticmethod
    def of(spec: PackageSpec, note: Note) -> _NoteView:
        fields = dict(zip(note.kind.fields, note.fields, strict=True))
        guid = guid_of(spec.notes, note.kind, note.entry_id)
        return _NoteView(note, guid, fields, nonempty_fields(fields))


def _card(
    spec: PackageSpec,
    view: _NoteView,
    note_type: NoteType,
    ordinal: int,
    renderer: Renderer,
    warnings: tuple[Problem, ...],
    cloze_number: int | None = None,
) -> PreviewCard | None:
    note, guid = view.note, view.guid
    template = note_type.templates[ordinal - 1]
    specials = {
        "Tags": " ".join(note.tags),
        "Type": note_type.name,
        "Deck": spec.deck_name,
        "Subdeck": spec.deck_name.rsplit("::", 1)[-1],
        "CardFlag": "",
        "Card": template.name,
        "CardID": "",  # known only once Anki has the card
    }
    try:
        rendered = render_card(
            template.front, template.back, view.fields, specials, cloze_number, nonempty=view.nonempty
        )
    except AnkiTemplateError as error:
        path = renderer.find(f"{note.kind.name}/{template.name}.{error.side or 'front'}.html")
        raise SourceError([Problem(str(path), None, None, f"template error: {error}")]) from error
    if rendered is None:
        return None
    card_id = f"{spec.notes.deck.id}/{note.language}/{note.kind.name}/{note.entry_id}/{template.name}"
    if cloze_number is not None:
        card_id, ordinal = f"{card_id}/c{cloze_number}", cloze_number
    front, back = _playable(rendered.front), _playable(rendered.back)
    source = unescape(view.fields[SOURCE_FIELD])
    return PreviewCard(card_id, guid, note.entry_id, template.name, ordinal, front, back, warnings, source)


def _playable(html: str) -> str:
    """Anki plays ``[sound:name]`` with a button of its own; the preview shows an audio player. Anki reads
    ``[anki:tts lang=…]text[/anki:tts]`` aloud; the preview shows a button that has the browser read it."""
    if "[sound:" in html:
        html = _SOUND.sub(_audio, html)
    if "[anki:tts " in html:
        html = _TTS.sub(_speak_button, html)
    return html


#: A tag Anki's ``{{tts …}}`` filter writes: its options (the voice first), then the text to read.
_TTS = re.compile(r"\[anki:tts lang=([^\]]*)\](.*?)\[/anki:tts\]", re.DOTALL)


def _audio(match: re.Match[str]) -> str:
    return f'<audio controls preload="none" src="{escape(match.group(1))}"></audio>'


def _speak_button(match: re.Match[str]) -> str:
    voice = match.group(1).split()[0] if match.group(1).split() else ""
    return (
        f'<button type="button" class="pv-speak" data-lang="{escape(voice.replace("_", "-"))}" '
        f'title="Anki reads this aloud ({escape(voice)})">🔊<span hidden>{match.group(2)}</span></button>'
    )


def _place_warnings(
    deck: Deck, language: str, warnings: Iterable[Problem]
) -> tuple[dict[str, tuple[Problem, ...]], list[Problem]]:
    """Warnings by the entry id they concern (read from the key, e.g. ``concepts[2].pros.ja``), and the rest.

    A warning whose key ends in another of the deck's languages belongs to that language's cards only.
    """
    placed: dict[str, tuple[Problem, ...]] = {}
    rest: list[Problem] = []
    sections: dict[str, Sequence[Concept | Question | BasicCard | ClozeCard]] = {
        "concepts": deck.concepts,
        "questions": deck.questions,
        "cards": deck.cards,
    }
    for warning in warnings:
        last = warning.key.rsplit(".", 1)[-1]
        if last in deck.languages and last != language:
            continue
        match = _ENTRY_KEY.match(warning.key)
        entries = sections[match.group(1)] if match else ()
        if match is None or int(match.group(2)) >= len(entries):
            rest.append(warning)
            continue
        entry_id = entries[int(match.group(2))].id
        placed[entry_id] = (*placed.get(entry_id, ()), warning)
    return placed, rest
