"""Render the Jinja template files into Anki note types: card templates, labels and stylesheet.

Template files hold two template languages on purpose, kept apart by their delimiters:
Jinja runs once at build time with ``[[ expression ]]``, ``[% statement %]`` and ``[# comment #]``;
Anki's own ``{{Field}}`` syntax passes through untouched and runs in Anki when a card is shown.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
import markupsafe
from markupsafe import Markup

from flashcards import note_kinds
from flashcards.anki_template import SPECIAL_FIELDS
from flashcards.errors import Problem, SourceError
from flashcards.note_kinds import NoteKind
from flashcards.source.yaml_reader import read_yaml
from flashcards.speech import Speech, read_aloud

LABELS_FILE = "labels.yaml"
STYLESHEET = "style.css"
#: Added to every card's back when the deck shows where its entries are in the source.
SOURCE_FOOTER = "source.html"

#: Names Anki itself fills in a card template, besides the note's fields.
ANKI_SPECIAL_FIELDS = frozenset({"FrontSide", *SPECIAL_FIELDS})

_ANKI_REFERENCE = re.compile(r"\{\{([^{}]*)\}\}")


@dataclass(frozen=True)
class CardTemplate:
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    """One Anki note type: a note kind in one language, for one deck."""

    kind: NoteKind
    language: str
    name: str
    templates: tuple[CardTemplate, ...]
    css: str


def default_templates_dir() -> Path:
    """The templates that ship with flashcards (inside the installed package, or beside a checkout)."""
    installed = Path(str(resources.files("flashcards"))) / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "templates"


def template_search_path(project_templates: Path | None) -> list[Path]:
    """The user's template folder first (when it exists), then the defaults."""
    default = default_templates_dir()
    path = [default]
    if (
        project_templates is not None
        and project_templates.is_dir()
        and project_templates.resolve() != default.resolve()
    ):
        path.insert(0, project_templates)
    return path


def note_type_name(deck_id: str, kind: NoteKind, language: str, revision: int = 1) -> str:
    """Unique per deck, kind and language; a schema revision after the first gets its own name, so that
    Anki's "Merge note types" replaces the old note type instead of adding a copy named "…+"."""
    base = f"{deck_id} · {kind.name} · {language}"
    return base if revision == 1 else f"{base} · v{revision}"


class Renderer:
    """Renders note types for any deck and language from one template search path."""

    def __init__(self, search_path: Sequence[Path]) -> None:
        self.search_path = list(search_path)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in self.search_path]),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            keep_trailing_newline=False,
            variable_start_string="[[",
            variable_end_string="]]",
            block_start_string="[%",
            block_end_string="%]",
            comment_start_string="[#",
            comment_end_string="#]",
        )
        self._labels: dict[str, dict[str, str]] | None = None
        self._stylesheet: str | None = None
        self._cache: dict[tuple[str, str, str, str, str | None, Speech | None, bool], NoteType] = {}

    def find(self, name: str) -> Path:
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise SourceError([Problem(str(self.search_path[0] / name), None, None, "template file not found")])

    def labels(self) -> dict[str, dict[str, str]]:
        """The labels of every language: the installed ones, with a project's own labels file adding
        languages and replacing labels key by key."""
        if self._labels is None:
            merged: dict[str, dict[str, str]] = {}
            for folder in reversed(self.search_path):
                path = folder / LABELS_FILE
                if path.is_file():
                    for language, block in _read_labels(path).items():
                        merged[language] = {**merged.get(language, {}), **block}
            if not merged:
                self.find(LABELS_FILE)  # reports the missing file
            self._labels = merged
        return self._labels

    def stylesheet(self) -> str:
        if self._stylesheet is None:
            self._stylesheet = self.find(STYLESHEET).read_text(encoding="utf-8")
        return self._stylesheet

    def note_types(
        self,
        deck_id: str,
        language: str,
        kinds: Sequence[NoteKind] = note_kinds.NOTE_KINDS,
        *,
        subject: str = "",
        concept_kind: str | None = None,
        speech: Speech | None = None,
        show_source: bool = False,
    ) -> list[NoteType]:
        """The note types of one deck in one language. ``subject`` (the deck's name) is shown in small
        type on every front; ``concept_kind`` (what the concepts are) is the word the asks use; ``speech``
        says which sides Anki reads aloud; ``show_source``, whether every back ends with where its entry
        is in the source."""
        return [
            self.note_type(
                deck_id,
                kind,
                language,
                subject=subject,
                concept_kind=concept_kind,
                speech=speech,
                show_source=show_source,
            )
            for kind in kinds
        ]

    def note_type(
        self,
        deck_id: str,
        kind: NoteKind,
        language: str,
        *,
        subject: str = "",
        concept_kind: str | None = None,
        speech: Speech | None = None,
        show_source: bool = False,
    ) -> NoteType:
        key = (deck_id, kind.name, language, subject, concept_kind, speech, show_source)
        if key not in self._cache:
            labels = self.labels()
            if language not in labels:
                path = str(self.find(LABELS_FILE))
                message = f"no labels for language '{language}': add a '{language}:' block (copy 'en')"
                raise SourceError([Problem(path, None, None, message)])
            context = {
                "lang": language,
                "labels": filled_labels(labels[language], concept_kind),
                "deck_id": deck_id,
                "subject": subject,
            }
            problems: list[Problem] = []
            footer = self._render(SOURCE_FOOTER, context, kind, problems) if show_source else ""
            templates = []
            for name in kind.templates:
                front = self._render(f"{kind.name}/{name}.front.html", context, kind, problems)
                back = self._render(f"{kind.name}/{name}.back.html", context, kind, problems)
                if speech is not None:
                    front, back = read_aloud(front, back, name, kind.fields, speech.voice(language), speech)
                templates.append(CardTemplate(name, front, back + footer))
            if problems:
                raise SourceError(problems)
            name = note_type_name(deck_id, kind, language)
            self._cache[key] = NoteType(kind, language, name, tuple(templates), self.stylesheet())
        return self._cache[key]

    def _render(
        self, name: str, context: Mapping[str, object], kind: NoteKind, problems: list[Problem]
    ) -> str:
        path = self.find(name)
        try:
            text = self.env.get_template(name).render(context).strip() + "\n"
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(str(path), error.lineno, 1, f"template error: {error.message}"))
            return ""
        except jinja2.UndefinedError as error:
            problems.append(
                Problem(str(path), _template_line(error, path), 1, f"template error: {error.message}")
            )
            return ""
        problems.extend(_check_fields(path, text, kind))
        return text


def filled_labels(labels: Mapping[str, str], concept_kind: str | None) -> dict[str, Markup]:
    """The labels as HTML, with the deck's word for its concepts in place of ``{kind}`` (``{Kind}``
    with a capital) and Anki's ``{{Count}}`` in place of ``{count}``."""
    kind = concept_kind if concept_kind else labels.get("concept_kind", "")
    capital = kind[:1].upper() + kind[1:]
    filled = {}
    for key, text in labels.items():
        html = str(markupsafe.escape(text))
        html = html.replace("{kind}", str(markupsafe.escape(kind))).replace(
            "{Kind}", str(markupsafe.escape(capital))
        )
        filled[key] = Markup(html.replace("{count}", "{{Count}}"))
    return filled


def _template_line(error: Exception, path: Path) -> int:
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename and Path(frame.filename).name == path.name and frame.lineno:
            return frame.lineno
    return 1


def _check_fields(path: Path, rendered: str, kind: NoteKind) -> list[Problem]:
    """Every ``{{Field}}`` the rendered template uses must be a field of the note type."""
    problems: list[Problem] = []
    source = path.read_text(encoding="utf-8")
    for match in _ANKI_REFERENCE.finditer(rendered):
        reference = match.group(1).strip().lstrip("#^/").strip()
        field = reference.rsplit(":", 1)[-1].strip()
        if field in ANKI_SPECIAL_FIELDS or field in kind.fields:
            continue
        offset = source.find(match.group(0))
        line = source.count("\n", 0, offset) + 1 if offset >= 0 else 1
        column = offset - source.rfind("\n", 0, offset) if offset >= 0 else 1
        fields = ", ".join(kind.fields)
        message = f"'{{{{{reference}}}}}' names no field of the {kind.name} note type (fields: {fields})"
        problems.append(Problem(str(path), line, column, message))
    return problems


def _read_labels(path: Path) -> dict[str, dict[str, str]]:
    document = read_yaml(path, str(path))
    problems: list[Problem] = []
    labels: dict[str, dict[str, str]] = {}
    if not isinstance(document.data, dict):
        raise SourceError([document.problem((), "expected one block of labels per language ('ja:', 'en:')")])
    for language, block in document.data.items():
        if not isinstance(block, dict) or not all(isinstance(v, str) for v in block.values()):
            problems.append(document.problem((language,), "expected 'key: text' lines"))
            continue
        labels[language] = block
    if problems:
        raise SourceError(problems)
    return labels
