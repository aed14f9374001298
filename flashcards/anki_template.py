"""Anki's card-template language, rendered the way Anki renders it.

A small port of the rules in Anki's ``rslib/src/template.rs`` and ``template_filters.rs``, so that the
preview shows what Anki shows:

- ``{{Field}}`` is replaced by the field's HTML as it is (no escaping); a field the note type lacks is an
  error. ``{{filter:Field}}`` applies filters right to left; the preview knows the ruby filters
  (``furigana``, ``kanji``, ``kana``), ``tts …`` and ``cloze`` (for one card of a cloze note), and refuses
  others rather than show something Anki would not.
- ``{{#Field}}…{{/Field}}`` keeps its content when the field is non-empty, ``{{^Field}}…{{/Field}}`` when it
  is empty. A field is empty when it holds only whitespace and ``<br>``/``<div>`` tags (Anki's
  ``field_is_empty``).
- ``{{FrontSide}}`` on the back is the rendered front.
- ``<!-- comments -->`` pass through untouched, and ``{{…}}`` inside them is not read.
- A card exists only when its front uses a non-empty field outside any section that is off
  (Anki's ``renders_with_fields``): a front made only of text gives no card.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import lru_cache, partial

#: Names Anki fills in besides the note's fields (``{{FrontSide}}`` is handled on its own).
SPECIAL_FIELDS = ("Tags", "Type", "Deck", "Subdeck", "CardFlag", "Card", "CardID")

_LEGACY_DIRECTIVE = "{{=<% %>=}}"
_COMMENT_START = "<!--"
_COMMENT_END = "-->"
_STANDARD_TOKENS = re.compile(r"\{\{(.*?)\}\}|<!--(.*?)-->", re.DOTALL)
_LEGACY_TOKENS = re.compile(r"<%(.*?)%>|<!--(.*?)-->", re.DOTALL)
#: Anki's ``[[:space:]]`` is ASCII whitespace only: a no-break or ideographic space is content.
_EMPTY_FIELD = re.compile(r"(?:[ \t\n\r\f\v]|</?(?:br|div) ?/?>)*", re.IGNORECASE)
_RUBY = re.compile(r" ?([^ >]+?)\[(.+?)\]")
_CLOZE_CONDITIONAL = re.compile(r"c[0-9]+")
_RUBY_FILTERS = frozenset({"furigana", "kanji", "kana"})
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


class AnkiTemplateError(Exception):
    """The template is one Anki would refuse to render (Anki shows an error on the card instead)."""

    def __init__(self, message: str, side: str = "") -> None:
        super().__init__(message)
        #: "front" or "back" when known (set by ``render_card``).
        self.side = side


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Replacement:
    key: str
    #: In the order they are applied (``{{a:b:Field}}`` applies ``b`` first).
    filters: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """``{{#key}}…{{/key}}``, or ``{{^key}}…{{/key}}`` when ``negated``."""

    key: str
    negated: bool
    children: tuple[Node, ...]


Node = Text | Replacement | Section


@dataclass(frozen=True)
class Template:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class RenderedCard:
    front: str
    back: str


def field_is_empty(html: str) -> bool:
    """Anki's rule: only whitespace and empty ``<br>``/``<div>`` tags."""
    if "<" not in html:  # no tag: empty when only (ASCII) whitespace, without the pattern
        return not html.strip(" \t\n\r\f\v")
    return _EMPTY_FIELD.fullmatch(html) is not None


def nonempty_fields(fields: Mapping[str, str]) -> frozenset[str]:
    return frozenset(name for name, value in fields.items() if not field_is_empty(value))


@lru_cache(maxsize=1024)
def _nonempty_items(items: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """``nonempty_fields`` of the special fields, which repeat from card to card."""
    return nonempty_fields(dict(items))


@lru_cache(maxsize=256)
def parse(template: str) -> Template:
    """Parse a card template; raise AnkiTemplateError for sections that are not closed or not open.

    A note type's templates are parsed once, however many cards they render (the result is immutable)."""
    tokens = _STANDARD_TOKENS
    if template.lstrip().startswith(_LEGACY_DIRECTIVE):
        template = template.lstrip().removeprefix(_LEGACY_DIRECTIVE)
        tokens = _LEGACY_TOKENS
    stack: list[tuple[str, bool, list[Node]]] = []
    nodes: list[Node] = []
    position = 0
    for match in tokens.finditer(template):
        if match.start() > position:
            nodes.append(Text(template[position : match.start()]))
        position = match.end()
        if match.group(2) is not None:
            nodes.append(Text(_COMMENT_START + match.group(2) + _COMMENT_END))
            continue
        kind, name = _classify(match.group(1))
        if kind in ("#", "^"):
            stack.append((name, kind == "^", nodes))
            nodes = []
        elif kind == "/":
            if not stack or stack[-1][0] != name:
                open_name = f" while '{{{{#{stack[-1][0]}}}}}' is open" if stack else ""
                raise AnkiTemplateError(f"'{{{{/{name}}}}}' closes no open section{open_name}")
            open_name, negated, outer = stack.pop()
            outer.append(Section(open_name, negated, tuple(nodes)))
            nodes = outer
        else:
            key, *filters = name.split(":")[::-1]
            nodes.append(Replacement(key, tuple(filters)))
    if position < len(template):
        nodes.append(Text(template[position:]))
    if stack:
        raise AnkiTemplateError(f"'{{{{#{stack[-1][0]}}}}}' is not closed: add '{{{{/{stack[-1][0]}}}}}'")
    return Template(tuple(nodes))


def _classify(handle: str) -> tuple[str, str]:
    """('#' | '^' | '/' | '', name), as Anki's ``classify_handle`` reads the text between the braces."""
    start = handle.lstrip("{").strip()
    if len(start.encode("utf-8")) < 2:
        return "", start
    if start[0] in "#^/":
        return start[0], start[1:].lstrip()
    return "", start


def renders_with_fields(template: Template, nonempty: Set[str]) -> bool:
    """True when the template uses a non-empty field outside any section that is off (Anki's card rule)."""
    return _uses_nonempty(template.nodes, nonempty)


def _uses_nonempty(nodes: tuple[Node, ...], nonempty: Set[str]) -> bool:
    for node in nodes:
        if isinstance(node, Replacement):
            if node.key in nonempty:
                return True
        elif isinstance(node, Section):
            if (node.key in nonempty) == node.negated:
                continue
            if _uses_nonempty(node.children, nonempty):
                return True
    return False


#: For a card of a cloze note: its deletion number, and whether the answer side is rendered.
Cloze = tuple[int, bool] | None


def render(
    template: Template,
    fields: Mapping[str, str],
    frontside: str = "",
    cloze: Cloze = None,
    nonempty: Set[str] | None = None,
) -> str:
    """The template's HTML for a note's fields (HTML, inserted as they are); ``nonempty``, when given,
    is ``nonempty_fields(fields)`` computed once for both sides."""
    parts: list[str] = []
    known = nonempty_fields(fields) if nonempty is None else nonempty
    _render_into(parts, template.nodes, fields, known, frontside, cloze)
    return "".join(parts)


def _render_into(
    parts: list[str],
    nodes: tuple[Node, ...],
    fields: Mapping[str, str],
    nonempty: Set[str],
    frontside: str,
    cloze: Cloze = None,
) -> None:
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Replacement):
            if node.key == "FrontSide":
                parts.append(frontside)
            elif node.key or not node.filters:
                if node.key not in fields:
                    written = ":".join((*node.filters[::-1], node.key))
                    raise AnkiTemplateError(f"'{{{{{written}}}}}' names no field of the note type")
                value = fields[node.key]
                parts.append(_apply_filters(value, node.filters, cloze) if node.filters else value)
        else:
            if node.key not in fields and not _CLOZE_CONDITIONAL.fullmatch(node.key):
                mark = "^" if node.negated else "#"
                raise AnkiTemplateError(f"'{{{{{mark}{node.key}}}}}' names no field of the note type")
            # Anki renders a section that is off too, to report its errors, and drops the result.
            shown = (node.key in nonempty) != node.negated
            _render_into(parts if shown else [], node.children, fields, nonempty, frontside, cloze)


def _apply_filters(text: str, filters: tuple[str, ...], cloze: Cloze = None) -> str:
    for name in filters:
        if name == "":
            continue
        if name == "cloze" and cloze is not None:
            text = cloze_text(text, *cloze)
            continue
        if name.startswith("tts "):  # Anki's text to speech: a tag its reviewer reads aloud
            text = f"[anki:tts lang={name[4:].strip()}]{text}[/anki:tts]"
            continue
        if name not in _RUBY_FILTERS:
            raise AnkiTemplateError(f"the preview cannot apply Anki's '{name}:' filter")
        text = _RUBY.sub(partial(_ruby, name), text.replace("&nbsp;", " "))
    return text


def cloze_text(text: str, number: int, answer: bool) -> str:
    """Anki's ``cloze:`` filter for the card of deletion ``number``: that deletion hidden (its hint or
    ``[...]``) on the front and shown on the back; every other deletion shown as its text."""

    def one(match: re.Match[str]) -> str:
        own = int(match.group(1))
        content, hint = match.group(2), match.group(3)
        if own != number:
            return f'<span class="cloze-inactive" data-ordinal="{own}">{content}</span>'
        shown = content if answer else f"[{hint or '...'}]"
        return f'<span class="cloze" data-ordinal="{own}">{shown}</span>'

    return _CLOZE.sub(one, text)


def _ruby(kind: str, match: re.Match[str]) -> str:
    base, reading = match.group(1), match.group(2)
    if reading.startswith("sound:"):
        return match.group(0)
    if kind == "kanji":
        return base
    if kind == "kana":
        return reading
    return f"<ruby><rb>{base}</rb><rt>{reading}</rt></ruby>"


def render_card(
    front: str,
    back: str,
    note_fields: Mapping[str, str],
    specials: Mapping[str, str] | None = None,
    cloze_number: int | None = None,
    *,
    nonempty: Set[str] | None = None,
) -> RenderedCard | None:
    """Both sides of a card, or None when Anki makes no card (its front uses no non-empty field).

    ``note_fields`` decide whether the card exists; ``specials`` (any of ``SPECIAL_FIELDS``) can be
    shown by a template too, as Anki fills them in, but never override a field of the same name.
    ``nonempty``, when given, is ``nonempty_fields(note_fields)``, computed once for all of a note's cards.
    """
    fields = {**(specials or {}), **note_fields}
    note_nonempty = nonempty_fields(note_fields) if nonempty is None else nonempty
    extra = tuple((k, v) for k, v in (specials or {}).items() if k not in note_fields)
    known = note_nonempty | _nonempty_items(extra) if extra else note_nonempty
    try:
        front_template = parse(front)
        question = render(
            front_template, fields, cloze=(cloze_number, False) if cloze_number else None, nonempty=known
        )
    except AnkiTemplateError as error:
        raise AnkiTemplateError(str(error), side="front") from error
    if not renders_with_fields(front_template, note_nonempty):
        return None
    try:
        answer = render(
            parse(back),
            fields,
            frontside=question,
            cloze=(cloze_number, True) if cloze_number else None,
            nonempty=known,
        )
    except AnkiTemplateError as error:
        raise AnkiTemplateError(str(error), side="back") from error
    return RenderedCard(question, answer)
