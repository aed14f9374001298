"""Cloze deletions as learners write them (``[[answer]]``, ``[[answer::hint]]``) turned into Anki's own
``{{cN::…}}``, numbered in order after any number written; and what is wrong with a deletion."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flashcards.source.format import CLOZE_NUMBER, MAX_CLOZE_NUMBER

_ANKI_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)
#: ``[[answer]]``; the answer may hold brackets of its own, such as a reading (``[[漢字[かんじ]]]``).
_FRIENDLY_CLOZE = re.compile(r"\[\[((?:\[[^\[\]]*\]|.)*?)\]\]", re.DOTALL)


def to_anki_cloze(text: str) -> tuple[str, str]:
    """The text with ``[[…]]`` deletions in Anki's form, and a problem ('' when there is none)."""
    anki = _ANKI_CLOZE.findall(text)
    problem = _anki_cloze_problem(text, anki)
    if problem:
        return text, problem
    next_number = max((int(number) for number, _ in anki), default=0) + 1
    parts: list[str] = []
    position = 0
    for match in _FRIENDLY_CLOZE.finditer(text):
        if not match.group(1).split("::")[0].strip():
            return text, "a deletion is empty: write the answer between the brackets, as in [[answer]]"
        parts.extend([text[position : match.start()], f"{{{{c{next_number}::{match.group(1)}}}}}"])
        next_number += 1
        position = match.end()
    parts.append(text[position:])
    converted = "".join(parts)
    rest = _FRIENDLY_CLOZE.sub("", text)
    problem = ""
    if next_number - 1 > MAX_CLOZE_NUMBER:
        problem = (
            f"deletions are numbered up to {MAX_CLOZE_NUMBER:,} in Anki: [[…]] would be c{next_number - 1}"
        )
    elif "[[" in rest or "]]" in rest:
        problem = "a '[[' or ']]' is not closed: a deletion is written [[answer]]"
    elif _anki_cloze_problem(converted, _ANKI_CLOZE.findall(converted)):
        problem = "a deletion is inside another one: write each deletion on its own, as in [[a]] [[b]]"
    elif not CLOZE_NUMBER.search(converted):
        problem = "a cloze needs at least one deletion: write [[answer]] around the words to hide"
    return (text, problem) if problem else (converted, "")


_FIRST_DELETIONS = "{{c1::…}}, {{c2::…}}, …"


def _anki_cloze_problem(text: str, anki: Sequence[tuple[str, str]]) -> str:
    if any(len(number.lstrip("0")) > len(str(MAX_CLOZE_NUMBER)) for number, _ in anki) or any(
        int(number) > MAX_CLOZE_NUMBER for number, _ in anki
    ):
        return f"deletions are numbered up to {MAX_CLOZE_NUMBER:,} in Anki: write {_FIRST_DELETIONS}"
    if any(int(number) == 0 for number, _ in anki):
        return "deletions are numbered from 1: write {{c1::…}}"
    if any(not answer.split("::")[0].strip() for _, answer in anki):
        return "a deletion is empty: write the answer, as in {{c1::answer}}"
    if text.count("{{") != len(anki) or text.count("}}") != len(anki):
        return "a '{{' or '}}' belongs to no deletion: Anki's form is {{c1::answer}}"
    return ""


def deletions(numbers: Sequence[int]) -> str:
    return ", ".join(f"c{n}" for n in numbers) or "none"
