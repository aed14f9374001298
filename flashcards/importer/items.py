"""One line of a questions or answers part: its marker (a bullet, a number such as ``1.``, ``(1)``,
``①``, ``１．``, ``[1]``, ``Q1``, ``問1``, ``第1問``), its label (``問題:``, ``Q:``, ``A:``, ``答:``, ``→`` …)
and the text after them. Numbering and labels never stay in the text."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class Role(enum.Enum):
    QUESTION = "question"
    ANSWER = "answer"


_QUESTION_WORDS = r"問題|質問|問い|問|设问|问题|题目|질문|문제|questions?|frage|pregunta|q"
_ANSWER_WORDS = r"答え|解答|回答|答案|答|정답|답변|답|answers?|antwort|réponse|reponse|respuesta|solution|a"
_BULLET = re.compile(r"^(?:[-*+•●○◦▪■□](?=\s|$)|・)\s*")
_NUMBER = re.compile(
    r"^(?:第\s*(?P<nth>\d{1,3})\s*問|\((?P<paren>\d{1,3})\)|\[(?P<square>\d{1,3})\]"
    r"|(?P<plain>\d{1,4})[.)](?!\d))\s*[:、]?\s*"
)
_LABELLED = re.compile(rf"^(?P<q>{_QUESTION_WORDS})|^(?P<a>{_ANSWER_WORDS})", re.IGNORECASE)
_LABEL_TAIL = re.compile(r"^\s*(?:[.#-]\s*(?=\d))?(?P<number>\d{1,4})?" + r"\s*(?:[:.)、]\s*|\s+(?=\S)|$)")
_ARROW = re.compile(r"^(?:→|⇒|=>|->|➡|⇨)\s*")
_EMPHASIS = re.compile(r"^(\*\*|__)")
_BOLD_MARKER = re.compile(r"^([-*+•]\s+)?(\*\*|__)([^*_\s][^*_]{0,15}?)\2")


@dataclass(frozen=True)
class Marked:
    """What starts a line: ``indent`` columns of space, then a bullet, a number, a label, the text."""

    indent: int
    bullet: bool
    number: int | None
    role: Role | None
    text: str

    @property
    def is_item(self) -> bool:
        return self.bullet or self.number is not None or self.role is not None


def _one_to_one(text: str) -> str:
    """NFKC for each character that stays one character (full-width digits and punctuation), for matching."""
    out = []
    for char in text:
        normal = unicodedata.normalize("NFKC", char)
        out.append(normal if len(normal) == 1 else char)
    return "".join(out)


def _circled(char: str) -> int | None:
    if "\u2460" <= char <= "\u2473" or "\u2776" <= char <= "\u277f" or "\u2780" <= char <= "\u2789":
        return int(unicodedata.numeric(char))
    return None


def mark(line: str) -> Marked:
    """The marker, label and text of a line."""
    expanded = line.expandtabs(4)
    indent = len(expanded) - len(expanded.lstrip())
    original = expanded.strip()
    bold = _BOLD_MARKER.match(original)
    if bold:
        # '**問1**：…', '**Q1.** …', '- **A:** …': the marker without its emphasis
        plain = mark((bold.group(1) or "") + bold.group(3) + original[bold.end() :])
        if plain.number is not None or plain.role is not None:
            return Marked(indent, plain.bullet, plain.number, plain.role, plain.text)
    text = _one_to_one(original)
    bullet = number = role = None
    cut = 0
    match = _BULLET.match(text)
    if match:
        bullet, cut = True, match.end()
    circled = _circled(original[cut : cut + 1]) if cut < len(text) else None
    if circled is not None:
        number, cut = circled, cut + 1
        cut += len(text[cut:]) - len(text[cut:].lstrip(" .、:)"))
    else:
        match = _NUMBER.match(text[cut:])
        if match:
            number = int(next(g for g in match.group("nth", "paren", "square", "plain") if g))
            role = Role.QUESTION if match.group("nth") else None
            cut += match.end()
    bold = _EMPHASIS.match(text[cut:])
    start = cut + (bold.end() if bold else 0)
    match = _LABELLED.match(text[start:]) if role is None else None
    if match:
        tail = _LABEL_TAIL.match(text[start + match.end() :])
        label_number = tail.group("number") if tail else None
        single = len(match.group(0)) == 1
        rest = text[start + match.end() + (tail.end() if tail else 0) :] if tail else ""
        # 'Q'/'A' alone are labels only when a number, ':' or '.' follows ("A: …", "Q1 …", not "A dog").
        if tail and (not single or label_number or tail.group(0).strip()[:1] in (":", ".")):
            role = Role.QUESTION if match.group("q") else Role.ANSWER
            if label_number and number is None:
                number = int(label_number)
            cut = start + match.end() + tail.end()
            if bold:
                closing = _EMPHASIS.match(text[cut:])
                cut += closing.end() if closing else 0
                cut += len(text[cut:]) - len(text[cut:].lstrip())
    if role is None:
        arrow = _ARROW.match(text[cut:])
        if arrow:
            role, cut = Role.ANSWER, cut + arrow.end()
    rest = original[cut:].strip()
    return Marked(indent, bool(bullet), number, role, rest)
