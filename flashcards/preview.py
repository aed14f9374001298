"""The preview: every card of every deck and language, as Anki will show it, in one static HTML page.

It runs the build's own plan (load → cards → render note types → plan against the lock), then
renders each card with Anki's template rules (``anki_template``) instead of writing a package. The
page itself (skeleton, script and style) lives in ``preview_assets/``; it needs no network, and each
card is shown in its own frame with its note type's stylesheet, as Anki does, so that card styles
and page styles never mix.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from flashcards.anki_template import AnkiTemplateError, render_card
from flashcards.build import plan
from flashcards.cards import Note
from flashcards.errors import Problem, SourceError
from flashcards.export import PackageSpec, guid_of
from flashcards.model import BasicCard, ClozeCard, Concept, Deck, Question
from flashcards.render import NoteType, Renderer, template_search_path
from flashcards.staging import write_atomically

PAGE = "index.html"

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
    groups = []
    for note_type in spec.note_types:
        notes = [n for n in spec.notes.notes if n.kind == note_type.kind]
        templates = []
        for ordinal, template in enumerate(note_type.templates, start=1):
            cards = []
            for note in notes:
                # A cloze note has one template and a card per deletion number (Anki's card1, card2, …).
                numbers = [o + 1 for o in note.cloze_ordinals()] if note.kind.cloze else [None]
                for number in numbers:
                    card = _card(
                        spec, note, note_type, ordinal, renderer, by_entry.get(note.entry_id, ()), number
                    )
                    if card is not None:
                        cards.append(card)
            templates.append(TemplateGroup(template.name, tuple(cards)))
        groups.append(NoteTypeGroup(note_type, tuple(templates)))
    return DeckLanguage(deck, language, spec.deck_name, tuple(groups), tuple(unplaced))


def _card(
    spec: PackageSpec,
    note: Note,
    note_type: NoteType,
    ordinal: int,
    renderer: Renderer,
    warnings: tuple[Problem, ...],
    cloze_number: int | None = None,
) -> PreviewCard | None:
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
    fields = dict(zip(note.kind.fields, note.fields, strict=True))
    try:
        rendered = render_card(template.front, template.back, fields, specials, cloze_number)
    except AnkiTemplateError as error:
        path = renderer.find(f"{note.kind.name}/{template.name}.{error.side or 'front'}.html")
        raise SourceError([Problem(str(path), 1, 1, f"template error: {error}")]) from error
    if rendered is None:
        return None
    guid = guid_of(spec.notes, note.kind, note.entry_id)
    card_id = f"{spec.notes.deck.id}/{note.language}/{note.kind.name}/{note.entry_id}/{template.name}"
    if cloze_number is not None:
        card_id, ordinal = f"{card_id}/c{cloze_number}", cloze_number
    front, back = _playable(rendered.front), _playable(rendered.back)
    return PreviewCard(card_id, guid, note.entry_id, template.name, ordinal, front, back, warnings)


def _playable(html: str) -> str:
    """Anki plays ``[sound:name]`` with a button of its own; the preview shows an audio player."""
    return _SOUND.sub(lambda m: f'<audio controls preload="none" src="{escape(m.group(1))}"></audio>', html)


def _place_warnings(
    deck: Deck, language: str, warnings: Iterable[Problem]
) -> tuple[dict[str, tuple[Problem, ...]], list[Problem]]:
    """Warnings by the entry id they concern (read from the key, e.g. ``concepts[2].pros.ja``), and the rest.

    A warning whose key ends in another of the deck's languages belongs to that language's cards only.
    """
    placed: dict[str, tuple[Problem, ...]] = {}
    rest: list[Problem] = []
    for warning in warnings:
        last = warning.key.rsplit(".", 1)[-1]
        if last in deck.languages and last != language:
            continue
        match = _ENTRY_KEY.match(warning.key)
        sections: dict[str, Sequence[Concept | Question | BasicCard | ClozeCard]] = {
            "concepts": deck.concepts,
            "questions": deck.questions,
            "cards": deck.cards,
        }
        entries = sections[match.group(1)] if match else ()
        if match is None or int(match.group(2)) >= len(entries):
            rest.append(warning)
            continue
        entry_id = entries[int(match.group(2))].id
        placed[entry_id] = (*placed.get(entry_id, ()), warning)
    return placed, rest


# --- the page ---------------------------------------------------------------------------------


def assets_dir() -> Path:
    return Path(str(resources.files("flashcards"))) / "preview_assets"


def render_page(preview: Preview) -> str:
    assets = assets_dir()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(assets)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    data = {
        "noteTypes": {nt.note_type.name: nt.note_type.css for d in preview.decks for nt in d.note_types},
        "cards": {
            card.id: {
                "front": card.front,
                "back": card.back,
                "ord": card.ordinal,
                "noteType": nt.note_type.name,
                "guid": card.guid,
                "template": card.template,
            }
            for d in preview.decks
            for nt in d.note_types
            for t in nt.templates
            for card in t.cards
        },
    }
    return env.get_template(PAGE).render(
        preview=preview,
        search_text=search_text,
        style=Markup((assets / "preview.css").read_text(encoding="utf-8")),
        script=Markup((assets / "preview.js").read_text(encoding="utf-8")),
        data=Markup(_script_json(data)),
    )


def _script_json(data: object) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>`` or ``<!--`` can end or bend it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def search_text(card: PreviewCard) -> str:
    """What the filter box searches: the text of both sides and the entry id, folded like the page folds."""
    parser = _Text()
    parser.feed(f"{card.front} {card.back}")
    parser.close()
    text = " ".join(" ".join(parser.parts).split())
    return unicodedata.normalize("NFKC", f"{card.entry_id} {text}").lower()


def write_preview(sources: Sequence[Path], out_dir: Path, project_dir: Path) -> tuple[Path, Preview]:
    """Write ``out_dir/index.html`` whole, or not at all; the images and sounds the cards show beside it
    (under their packaged names, as in Anki's media folder, so that the cards refer to them as they are)."""
    preview = load_preview(sources, project_dir)
    page = render_page(preview)
    target = out_dir / PAGE
    for media in sorted({m for d in preview.decks for m in d.deck.media}, key=lambda m: m.name):
        copy = out_dir / media.name
        if not copy.exists():  # the name is the content's hash: an existing copy is the same file
            out_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(media.path, copy)
    write_atomically(target, page)
    return target, preview
