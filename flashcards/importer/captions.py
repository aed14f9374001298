"""The line just above a table that names it: a Markdown heading (``## Sorting``), a short line ending in
':' (``Sorting:``), or a caption (``一覧表``, ``Comparison table``). With several tables of concepts it is
the topic of the table's concepts; with one, it is only its caption."""

from __future__ import annotations

from collections.abc import Sequence

from flashcards.importer.columns import normal_word
from flashcards.importer.document import TextLine
from flashcards.importer.questions import heading

_CAPTIONS = "一覧 一覧表 比較 比較表 表 table overview comparison 对比 比较 비교"
#: Words that end a short line just above a table when it is the table's caption.
CAPTION_WORDS = tuple(_CAPTIONS.split())
_CAPTION_MAX = 20


def table_heading(lines: Sequence[TextLine], skip: int) -> tuple[str, int] | None:
    """The heading of the table after ``lines`` and its line (``skip`` is the title's line), if any."""
    filled = [line for line in lines if line.text.strip() and line.line != skip]
    if not filled:
        return None
    text = filled[-1].text.strip()
    if text.startswith("#") or is_caption(text) or _is_label(text):
        return text.lstrip("#").strip().rstrip(":：").strip(), filled[-1].line
    return None


def is_caption(text: str) -> bool:
    word = normal_word(text)
    return len(word) <= _CAPTION_MAX and word.endswith(CAPTION_WORDS)


def _is_label(text: str) -> bool:
    """A short line ending in ':' that heads neither questions nor answers (``Sorting:``)."""
    return text.endswith((":", "：")) and heading(text) == (True, None)
