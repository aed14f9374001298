"""Text to card HTML: a small Markdown subset, rendered by markdown-it-py and sanitized by nh3.

What a learner may write: **bold**, *italic*, `code`, [links](https://…), images (``![alt](name)``)
and sounds (``[sound](name)``), whose files the checker has checked and renamed to their packaged names,
line breaks, formulas for Anki's MathJax (``\\( … \\)``, ``\\[ … \\]``: see ``formulas``), readings in
Anki's form (``漢字[かんじ]``, which the templates' ``furigana:`` filter turns into ruby), fenced code
blocks (see ``code_blocks``), and the HTML tags for furigana (``<ruby>漢字<rt>かんじ</rt></ruby>``) and a
few inline styles. Anything else that looks like HTML is shown as the text it is; nothing can put a
script, an event handler or a ``javascript:`` URL on a card, nor an image from anywhere but the package.

Every ``[`` a card shows that is not a reading's is written ``&#91;``: the ``furigana:`` filter reads
``base[reading]`` anywhere in a field's HTML, so a bracket in a formula, in code or in prose must not
look like one; for the same reason Anki's own tags (``[sound:…]``, ``[anki:…]``) typed in a text are
shown as text, and only a checked sound becomes one. ``$`` stays a dollar sign (a deck that turns dollar
math on has its ``$…$`` rewritten as ``\\(…\\)`` by the source checker).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from flashcards import code_blocks, formulas

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
#: A reading in Anki's form: ``[…]`` right after a word in a script other than ASCII (``漢字[かんじ]``).
_READING = re.compile(r"\[([^\[\]\n]+)\](?!\()")
#: Where a reading's brackets stand until the sanitized HTML has every other ``[`` escaped: Unicode
#: noncharacters, kept for a program's own use (a text's own are replaced first).
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
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


def _math(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    opening, closing = ("\\[", "\\]") if token.meta.get("display") else ("\\(", "\\)")
    return f"{opening}{escape(token.content, quote=False)}{closing}"


def _reading_rule(state: StateInline, silent: bool) -> bool:
    """``漢字[かんじ]``: a reading right after a character that is neither ASCII nor a space."""
    src, pos = state.src, state.pos
    if src[pos] != "[" or pos == 0 or src[pos - 1].isascii() or src[pos - 1].isspace():
        return False
    match = _READING.match(src, pos)
    if match is None:
        return False
    if not silent:
        token = state.push("reading", "", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True


def _reading(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f"{_OPEN}{escape(tokens[idx].content, quote=False)}{_CLOSE}"


_OPTIONS: Any = {"html": True, "breaks": True, "linkify": False, "typographer": False}
_RULES = ["emphasis", "backticks", "link", "image", "autolink", "newline", "escape", "entity", "html_inline"]


def _with_math_and_readings(md: MarkdownIt) -> MarkdownIt:
    md.inline.ruler.before("escape", "math", formulas.math_rule)
    md.inline.ruler.before("link", "reading", _reading_rule)
    return md


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = _with_math_and_readings(MarkdownIt("zero", _OPTIONS))
    md.enable(_RULES)
    md.add_render_rule("html_inline", _html_inline)
    md.add_render_rule("math", _math)
    md.add_render_rule("reading", _reading)
    return md


def text_html(text: str) -> str:
    """Source text as a field's HTML: Markdown-subset inline formatting, everything else escaped; a blank
    line starts a paragraph, a line break stays one, and fenced code blocks are highlighted."""
    if "```" in text or "~~~" in text:
        return _with_code_blocks_html(text)
    if "\n" not in text:
        return inline_html(text.strip())
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paragraphs) <= 1:
        return inline_html(text.strip())
    return "".join(f"<p>{inline_html(p)}</p>" for p in paragraphs)


def _with_code_blocks_html(text: str) -> str:
    """A text with fenced code blocks as HTML: its prose in paragraphs (a blank line starts one), each
    code block highlighted."""
    parts: list[str] = []
    for segment in code_blocks.segments(text):
        if segment.code is None:
            prose = code_blocks.prose(text, segment)
            parts.extend(f"<p>{inline_html(p.strip())}</p>" for p in re.split(r"\n\s*\n", prose) if p.strip())
        else:
            parts.append(code_block_html(segment.code, segment.language))
    return "".join(parts)


@functools.lru_cache(maxsize=1024)
def code_block_html(code: str, language: str) -> str:
    """A code block, highlighted and sanitized (once: a front and a back often show the same one)."""
    import nh3

    body = nh3.clean(
        code_blocks.code_html(code, language),
        tags={"span"},
        attributes={"span": {"class"}},
        attribute_filter=_highlight_classes_only,
    )
    return f'<pre class="fc-code"><code>{body.replace("[", "&#91;")}</code></pre>'


def _highlight_classes_only(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class" and not re.fullmatch(rf"{code_blocks.CLASS_PREFIX}[a-z0-9]+", value):
        return None
    return value


def inline_html(text: str) -> str:
    """One paragraph of source text as safe inline HTML."""
    if not _NEEDS_MARKDOWN.search(text):
        return text  # no markup and nothing to escape (no '&', '<' or '>')
    if _OPEN in text or _CLOSE in text:
        text = text.replace(_OPEN, "\ufffd").replace(_CLOSE, "\ufffd")
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
    shown = clean.replace("[", "&#91;").replace(_OPEN, "[").replace(_CLOSE, "]")
    return _SOUND_LINK.sub(r"[sound:\1]", shown)


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

    md = _with_math_and_readings(MarkdownIt("zero", _OPTIONS))
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


@dataclass(frozen=True)
class TextCheck:
    """What a text holds: its formulas, and every problem (its offset in the text, the message)."""

    formulas: tuple[formulas.Formula, ...]
    problems: tuple[tuple[int, str], ...]


def check_text(text: str, *, dollars: bool) -> TextCheck:
    """The formulas of ``text`` (prose only: code blocks hold none) and its unbalanced delimiters and
    code blocks that cannot be shown, each with its offset in ``text``."""
    found: list[formulas.Formula] = []
    problems: list[tuple[int, str]] = []
    line_starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    for segment in code_blocks.segments(text):
        start = line_starts[segment.first]
        if segment.code is not None:
            continue
        prose = code_blocks.prose(text, segment)
        for paragraph in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", prose):
            env: dict[str, Any] = {formulas.DOLLARS: dollars}
            _markdown().parseInline(paragraph.group(), env)
            at = start + paragraph.start()
            for f in env.get(formulas.FOUND, []):
                found.append(formulas.Formula(f.start + at, f.end + at, f.display, f.content, f.dollars))
            problems.extend((u.offset + at, u.message) for u in env.get(formulas.UNBALANCED, []))
    problems.extend((line_starts[line], message) for line, message in code_blocks.problems(text))
    return TextCheck(tuple(found), tuple(sorted(problems)))


def with_backslashes(text: str, found: Sequence[formulas.Formula]) -> str:
    """``text`` with its dollar formulas written the way Anki's MathJax reads them."""
    parts: list[str] = []
    position = 0
    for formula in found:
        if formula.dollars:
            parts.extend([text[position : formula.start], formula.as_mathjax()])
            position = formula.end
    parts.append(text[position:])
    return "".join(parts)
