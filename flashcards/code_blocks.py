"""Fenced code blocks in texts, highlighted at build time by Pygments into CSS classes.

A text may hold blocks fenced with three backticks (or tildes), as in CommonMark, with a language after
the opening fence. The block becomes ``<pre class="fc-code"><code>`` with a ``<span class="fc-hl-…">``
around each token; the card stylesheet colours those classes for light and night mode. No script runs
on the card, so it looks the same on every Anki client.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

#: The class prefix of highlighted tokens (Pygments' short names, such as ``k`` for a keyword).
CLASS_PREFIX = "fc-hl-"
#: Pygments' styles behind the stylesheet's light and night colours.
LIGHT_STYLE = "xcode"
NIGHT_STYLE = "one-dark"
#: The selectors of Anki's night mode (desktop, and the phones' class).
NIGHT_MODES = (".card.nightMode", ".card.night_mode", ".nightMode .card", ".night_mode .card")
_CLOSING_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")


@dataclass(frozen=True)
class Segment:
    """A part of a text: lines of prose, or a code block (``language`` may be empty)."""

    #: Lines of the text, from ``first`` up to (not including) ``last``, counted from 0.
    first: int
    last: int
    code: str | None = None
    language: str = ""
    #: Whether the block's closing fence is written.
    closed: bool = True


@functools.cache
def _fences() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero")
    md.enable(["fence"])
    return md


def segments(text: str) -> list[Segment]:
    """The text's lines as prose and code blocks, in order, as CommonMark reads the fences."""
    lines = text.split("\n")
    found: list[Segment] = []
    position = 0
    for token in _fences().parse(text):
        if token.type != "fence" or token.map is None:
            continue
        first, last = token.map
        if first > position:
            found.append(Segment(position, first))
        closing = _CLOSING_FENCE.match(lines[last - 1]) if last - 1 > first else None
        closed = bool(closing and closing.group(1)[0] == token.markup[0])
        language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        found.append(Segment(first, last, token.content, language, closed))
        position = last
    if position < len(lines):
        found.append(Segment(position, len(lines)))
    return found


def prose(text: str, segment: Segment) -> str:
    return "\n".join(text.split("\n")[segment.first : segment.last])


def problems(text: str) -> Iterator[tuple[int, str]]:
    """Each code block that cannot be shown as written: (its line in the text, from 0, the message)."""
    for segment in segments(text):
        if segment.code is None:
            continue
        if not segment.closed:
            yield segment.first, "a code block is not closed: end it with a line of ``` (or ~~~)"
        if segment.language and lexer_name(segment.language) is None:
            known = _close(segment.language)
            yield segment.first, f"'{segment.language}' is no language the highlighter knows{known}"


def _close(language: str) -> str:
    import difflib

    from pygments.lexers import get_all_lexers

    names = sorted({alias for _, aliases, _, _ in get_all_lexers() for alias in aliases})
    near = difflib.get_close_matches(language.lower(), names, n=1)
    if near:
        return f": did you mean '{near[0]}'?"
    return " (write the block without a language to show it plain)"


@functools.cache
def lexer_name(language: str) -> str | None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return str(get_lexer_by_name(language).name)
    except ClassNotFound:
        return None


def code_html(code: str, language: str) -> str:
    """A code block's lines as HTML: each token in a span with its class, everything else escaped
    (``markup`` sanitizes it and puts it in its ``<pre class="fc-code"><code>``)."""
    code = code.removesuffix("\n")
    if not language or lexer_name(language) is None:
        body = escape(code, quote=False)
    else:
        from pygments import highlight

        lexer, formatter = _highlighter(language)
        body = highlight(code, lexer, formatter).removesuffix("\n")
    return body


@functools.cache
def _highlighter(language: str) -> tuple[Lexer, HtmlFormatter[str]]:
    """A language's lexer and the formatter, made once per build."""
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(language), HtmlFormatter(nowrap=True, classprefix=CLASS_PREFIX)


def stylesheet() -> str:
    """The stylesheet's colours for highlighted code: light, then night (as the card stylesheet's
    night-mode selectors name it)."""
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style=LIGHT_STYLE, classprefix=CLASS_PREFIX)
    night = HtmlFormatter(style=NIGHT_STYLE, classprefix=CLASS_PREFIX)
    night_scopes = [f"{mode} .fc-code" for mode in NIGHT_MODES]
    rules = [
        _token_rules(light.get_style_defs(".fc-code")),  # type: ignore[no-untyped-call]
        _token_rules(night.get_style_defs(night_scopes)),  # type: ignore[no-untyped-call]
    ]
    return "\n".join(rules) + "\n"


def _token_rules(css: str) -> str:
    """Pygments' rules for token classes only (not its background, line numbers or highlighted lines)."""
    keep = [line for line in css.splitlines() if f".{CLASS_PREFIX}" in line and "linenos" not in line]
    return "\n".join(keep)
