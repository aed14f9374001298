"""Math in texts, for Anki's MathJax: ``\\( … \\)`` inline and ``\\[ … \\]`` displayed.

A formula is written as it is meant for MathJax: Markdown and its escapes do not apply inside it, and
only the HTML escaping every text gets (``<`` as ``&lt;``) is added. A deck may turn dollar math on, and
write ``$ … $`` and ``$$ … $$``: the checker then rewrites them the backslash way, which is what every Anki
client renders. With dollar math off (the default) a ``$`` is a dollar sign. A ``$`` or a backslash in
`code` is never math: the code span is read first.

The formulas of a text are found by the same Markdown parser that renders the cards (an inline rule
before Markdown's escapes), so that what the build checks is what a card shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline

#: Each opening delimiter with its closing one, as written in a text.
CLOSING = {"\\(": "\\)", "\\[": "\\]", "$$": "$$", "$": "$"}

#: The ``env`` keys the Markdown rule reads and fills.
DOLLARS = "dollar_math"
FOUND = "formulas"
UNBALANCED = "unbalanced"


@dataclass(frozen=True)
class Formula:
    """A formula in a text: ``text[start:end]`` is all of it, delimiters included."""

    start: int
    end: int
    display: bool
    #: What is between the delimiters, as written.
    content: str
    #: Whether it is written with dollars.
    dollars: bool = False

    def as_mathjax(self) -> str:
        """The formula with the delimiters Anki's MathJax reads."""
        return f"\\[{self.content}\\]" if self.display else f"\\({self.content}\\)"


@dataclass(frozen=True)
class Unbalanced:
    """A delimiter with no partner, at ``offset`` in the text."""

    offset: int
    message: str


def math_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: a formula becomes one ``math`` token whose content is as written."""
    src, pos = state.src, state.pos
    two = src[pos : pos + 2]
    dollars = bool(state.env.get(DOLLARS)) if isinstance(state.env, dict) else False
    if two in ("\\(", "\\["):
        return _delimited(state, silent, two, display=two == "\\[")
    if two in ("\\)", "\\]"):
        if not silent:
            message = f"'{two}' closes no formula: a formula is written {_pair(two)}"
            _note_unbalanced(state, pos, message)
        return False
    if dollars and two == "$$":
        return _delimited(state, silent, "$$", display=True)
    if dollars and src[pos] == "$":
        return _dollar(state, silent)
    return False


def _pair(closing: str) -> str:
    return "\\( … \\)" if closing in ("\\(", "\\)") else "\\[ … \\]"


def _delimited(state: StateInline, silent: bool, opening: str, *, display: bool) -> bool:
    src, pos = state.src, state.pos
    closing = CLOSING[opening]
    end = src.find(closing, pos + len(opening))
    if end < 0:
        if not silent:
            message = f"the formula opened with '{opening}' is not closed: end it with '{closing}'"
            _note_unbalanced(state, pos, message)
        return False
    if not silent:
        _push(state, Formula(pos, end + len(closing), display, src[pos + len(opening) : end], "$" in opening))
    state.pos = end + len(closing)
    return True


def _dollar(state: StateInline, silent: bool) -> bool:
    """``$…$`` as Pandoc reads it: no space right after the opening ``$`` nor right before the closing
    one, and no digit right after the closing one; ``\\$`` inside is a dollar sign of the formula."""
    src, pos = state.src, state.pos
    end = _closing_dollar(src, pos)
    if end is None:
        if not silent:
            message = "this '$' starts no formula (dollar math is on): write '\\$' for a dollar sign"
            if pos + 1 < len(src) and not src[pos + 1].isspace():
                message = (
                    "the formula opened with '$' is not closed: end it with '$', "
                    "or write '\\$' for a dollar sign"
                )
            _note_unbalanced(state, pos, message)
        return False
    if not silent:
        _push(state, Formula(pos, end + 1, False, src[pos + 1 : end], dollars=True))
    state.pos = end + 1
    return True


def _closing_dollar(src: str, pos: int) -> int | None:
    if pos + 1 >= len(src) or src[pos + 1].isspace():
        return None
    i = pos + 1
    while i < len(src):
        char = src[i]
        if char == "\\":
            i += 2
            continue
        if char == "$":
            after = src[i + 1] if i + 1 < len(src) else ""
            if i > pos + 1 and not src[i - 1].isspace() and not after.isdigit() and after != "$":
                return i
            return None
        i += 1
    return None


def _push(state: StateInline, formula: Formula) -> None:
    token = state.push("math", "", 0)
    token.content = formula.content
    token.meta = {"display": formula.display}
    if isinstance(state.env, dict):
        state.env.setdefault(FOUND, []).append(formula)


def _note_unbalanced(state: StateInline, offset: int, message: str) -> None:
    if isinstance(state.env, dict):
        state.env.setdefault(UNBALANCED, []).append(Unbalanced(offset, message))
