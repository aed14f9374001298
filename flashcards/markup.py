"""Text to card HTML: a small Markdown subset, rendered by markdown-it-py and sanitized by nh3.

What a learner may write: **bold**, *italic*, `code`, [links](https://…), images (``![alt](name)``,
whose file the parser has checked and renamed to its packaged name), line breaks, and the
HTML tags for furigana (``<ruby>漢字<rt>かんじ</rt></ruby>``) and a few inline styles. Anything else
that looks like HTML is shown as the text it is; nothing can put a script, an event handler or a
``javascript:`` URL on a card. ``$`` stays a dollar sign.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where first needed: most texts are plain, and a build should start fast
    from markdown_it import MarkdownIt
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


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"html": True, "breaks": True, "linkify": False, "typographer": False})
    md.enable(
        ["emphasis", "backticks", "link", "image", "autolink", "newline", "escape", "entity", "html_inline"]
    )
    md.add_render_rule("html_inline", _html_inline)
    return md


def inline_html(text: str) -> str:
    """One paragraph of source text as safe inline HTML."""
    if not _NEEDS_MARKDOWN.search(text):
        return text  # no markup and nothing to escape (no '&', '<' or '>')
    rendered = _markdown().renderInline(text, {}).strip()
    import nh3

    return nh3.clean(
        rendered,
        tags=set(ALLOWED_HTML_TAGS | MARKDOWN_TAGS),
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
