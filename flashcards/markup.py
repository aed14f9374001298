"""Text to card HTML: a small Markdown subset, rendered by markdown-it-py and sanitized by nh3.

What a learner may write: **bold**, *italic*, `code`, [links](https://…), images (``![alt](name)``)
and sounds (``[sound](name)``), whose files the parser has checked and renamed to their packaged names,
line breaks, and the HTML tags for furigana (``<ruby>漢字<rt>かんじ</rt></ruby>``) and a few inline
styles. Anything else that looks like HTML is shown as the text it is; nothing can put a script, an
event handler or a ``javascript:`` URL on a card, nor an image from anywhere but the package. Anki's own
tags (``[sound:…]``, ``[anki:…]``) written in a text are shown as text: only a checked sound becomes
one. ``$`` stays a dollar sign.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where first needed: most texts are plain, and a build should start fast
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

#: Inline tags a learner may write as HTML (without attributes).
ALLOWED_HTML_TAGS = frozenset(
    {"ruby", "rt", "rp", "br", "b", "i", "u", "s", "strong", "em", "sub", "sup", "mark", "code"}
)
#: Tags the Markdown subset itself produces.
MARKDOWN_TAGS = frozenset({"strong", "em", "code", "a", "br", "img"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_NEEDS_MARKDOWN = re.compile(r"[*_`\[\]<>&\\!\n]")
_SIMPLE_TAG = re.compile(r"^<(/?)([a-zA-Z]+)\s*/?>$")

#: A media file's name in the package (``media.packaged_name``): the only source an image may have.
PACKAGED_NAME = re.compile(r"fc-[0-9a-f]{16}\.[a-z0-9]{1,5}")
#: The start of a tag Anki's card renderer acts on (a play button, text to speech), wherever it is.
_ANKI_TAG = re.compile(r"\[(?=(?:sound|anki):)", re.IGNORECASE)
#: A checked sound, ``[sound](fc-….mp3)``, as rendered: it becomes Anki's play tag.
_SOUND_LINK = re.compile(r'<a href="(fc-[0-9a-f]{16}\.[a-z0-9]{1,5})" rel="noopener noreferrer">sound</a>')


def _html_inline(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Keep an allowed tag written without attributes (a closing one only if it closes an open one);
    show any other HTML as the text it is."""
    raw = tokens[idx].content
    match = _SIMPLE_TAG.match(raw)
    if not match or match.group(2).lower() not in ALLOWED_HTML_TAGS:
        return escape(raw, quote=False)
    closing, name = match.group(1), match.group(2).lower()
    if name == "br":
        return "<br>"
    open_tags: list[str] = env.setdefault("open_tags", [])
    if not closing:
        open_tags.append(name)
        return f"<{name}>"
    if name in open_tags:
        while open_tags.pop() != name:
            pass
        return f"</{name}>"
    return escape(raw, quote=False)


_OPTIONS: Any = {"html": True, "breaks": True, "linkify": False, "typographer": False}
_RULES = ["emphasis", "backticks", "link", "image", "autolink", "newline", "escape", "entity", "html_inline"]


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", _OPTIONS)
    md.enable(_RULES)
    md.add_render_rule("html_inline", _html_inline)
    return md


def inline_html(text: str) -> str:
    """One paragraph of source text as safe inline HTML."""
    if not _NEEDS_MARKDOWN.search(text):
        return text  # no markup and nothing to escape (no '&', '<' or '>')
    rendered = _markdown().renderInline(text, {}).strip()
    import nh3

    clean = nh3.clean(
        rendered,
        tags=set(ALLOWED_HTML_TAGS | MARKDOWN_TAGS),
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        attribute_filter=_packaged_images_only,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _SOUND_LINK.sub(r"[sound:\1]", _ANKI_TAG.sub("&#91;", clean))


def _packaged_images_only(tag: str, attribute: str, value: str) -> str | None:
    """An image's source is a file of the package, never an address to fetch."""
    if tag == "img" and attribute == "src" and not PACKAGED_NAME.fullmatch(value):
        return None
    return value


@dataclass(frozen=True)
class MediaSpan:
    """An image or a sound in a text, as the cards' Markdown reads it: ``text[start:end]`` is all of it."""

    start: int
    end: int
    sound: bool
    #: Where it points, as written (percent-escapes and entities decoded).
    address: str
    #: An image's alt text as written (a sound has none).
    alt: str = ""


def media_spans(text: str) -> list[MediaSpan]:
    """Every image (``![alt](path)``) and sound (``[sound](path)``, a link whose text is ``sound``) in
    ``text``, found by the same Markdown parser that renders the cards, in order."""
    found: list[MediaSpan] = []
    for block in _located_markdown().parseInline(text, {}):
        children = block.children or []
        for i, token in enumerate(children):
            span: tuple[int, int] | None = token.meta.get("span")
            if span is None:
                continue
            start, end = span
            if token.type == "image":
                address = _as_written(str(token.attrGet("src") or ""))
                found.append(MediaSpan(start, end, sound=False, address=address, alt=token.content))
            elif token.type == "link_open" and _is_sound_link(children, i):
                address = _as_written(str(token.attrGet("href") or ""))
                found.append(MediaSpan(start, end, sound=True, address=address))
    return found


def _as_written(address: str) -> str:
    from urllib.parse import unquote

    return unquote(address)  # Markdown percent-escapes a link; the file is named as written


@functools.cache
def _located_markdown() -> MarkdownIt:
    """The cards' Markdown parser, whose images and links also say where in the text they are."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import image, link

    md = MarkdownIt("zero", _OPTIONS)
    md.enable(_RULES)
    md.inline.ruler.at("image", _located(image, "image"))
    md.inline.ruler.at("link", _located(link, "link_open"))
    return md


def _located(rule: Callable[[StateInline, bool], bool], kind: str) -> Callable[[StateInline, bool], bool]:
    def located(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        found = rule(state, silent)
        if found and not silent:
            token = next(t for t in state.tokens[count:] if t.type == kind)
            token.meta["span"] = (start, state.pos)
        return found

    return located


def _is_sound_link(tokens: Sequence[Token], i: int) -> bool:
    rest = tokens[i + 1 : i + 3]
    return [t.type for t in rest] == ["text", "link_close"] and rest[0].content == "sound"
