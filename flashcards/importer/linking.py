"""Questions paired with their answers, and each answer linked to the concept it recommends.

Questions and answers are paired group by group (a group ends where a question follows an answer):
by their numbers when every item of the group has one, in any order; else in order, which for an
answer written right under its question is adjacency. Any question or answer left over is an error with
its line: nothing is guessed. An answer is linked to the concept its first sentence names; when it names
none or several, the question is written with an empty answer for the learner to fill in.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flashcards.errors import Problem, Severity, SourceError
from flashcards.importer.items import Role
from flashcards.importer.wording import count

_SENTENCE_END = re.compile(r"[。．！？!?]|\.(?=\s|$)")


@dataclass(frozen=True)
class Written:
    """A question or an answer as read: its role, number (if any), text and line."""

    role: Role
    number: int | None
    text: str
    line: int


@dataclass(frozen=True)
class SheetQuestion:
    question: str
    explanation: str
    #: The concept the answer recommends (index into the concepts); None if it names none or several.
    answer: int | None
    line: int
    answer_line: int


def pair(items: Sequence[Written], path: str) -> list[tuple[Written, Written]]:
    """Each question with its answer, in the order of the questions; SourceError for any left over."""
    groups: list[list[Written]] = [[]]
    for item in items:
        if item.role is Role.QUESTION and groups[-1] and groups[-1][-1].role is Role.ANSWER:
            groups.append([])
        groups[-1].append(item)
    problems: list[Problem] = []
    pairs: list[tuple[Written, Written]] = []
    single = len(groups) == 1
    for group in groups:
        questions = [i for i in group if i.role is Role.QUESTION]
        answers = [i for i in group if i.role is Role.ANSWER]
        if _numbered(questions) and _numbered(answers):
            pairs += _by_number(questions, answers, path, problems)
        elif len(questions) == len(answers):
            pairs += list(zip(questions, answers, strict=True))
        else:
            problems += _left_over(questions, answers, path, single=single)
    if problems:
        raise SourceError(problems)
    order = {id(q): i for i, q in enumerate(i for i in items if i.role is Role.QUESTION)}
    return sorted(pairs, key=lambda p: order[id(p[0])])


def _numbered(items: Sequence[Written]) -> bool:
    numbers = [i.number for i in items]
    return bool(items) and None not in numbers and len(set(numbers)) == len(numbers)


def _by_number(
    questions: Sequence[Written], answers: Sequence[Written], path: str, problems: list[Problem]
) -> list[tuple[Written, Written]]:
    by_number = {a.number: a for a in answers}
    asked = {q.number for q in questions}
    for q in questions:
        if q.number not in by_number:
            message = f"question {q.number} has no answer: no answer is numbered {q.number}"
            problems.append(Problem(path, q.line, 1, message))
    for a in answers:
        if a.number not in asked:
            message = f"answer {a.number} has no question: no question is numbered {a.number}"
            problems.append(Problem(path, a.line, 1, message))
    return [(q, by_number[q.number]) for q in questions if q.number in by_number]


def _left_over(
    questions: Sequence[Written], answers: Sequence[Written], path: str, *, single: bool
) -> list[Problem]:
    nq, na = len(questions), len(answers)
    if single:
        counts = f"the sheet has {count(nq, 'question')} and {count(na, 'answer')}, matched in order"
        if not na:
            counts += (
                "; write each answer under its question (indented, or after 'A:'), "
                "or number the answers under a heading such as 'Answers:'"
            )
        if nq > na:
            return [Problem(path, questions[na].line, 1, f"question {na + 1} has no answer: {counts}")]
        return [Problem(path, answers[nq].line, 1, f"answer {nq + 1} has no question: {counts}")]
    if nq > na:
        return [
            Problem(
                path,
                q.line,
                1,
                f"this question has no answer: the next item is the question on line {nxt.line}",
            )
            for q, nxt in list(itertools.pairwise(questions))[: nq - na]
        ]
    return [
        Problem(path, a.line, 1, f"this answer has no question: it follows the answer on line {prev.line}")
        for prev, a in zip(answers, answers[max(1, na - nq) :], strict=False)
    ][: na - nq]


def link_all(
    pairs: Sequence[tuple[Written, Written]], names: Sequence[str], path: str
) -> tuple[list[SheetQuestion], list[Problem]]:
    """The questions with their linked concepts, and a warning for each answer that names none or several."""
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    questions: list[SheetQuestion] = []
    finder = NameFinder(names)
    for number, (question, answer) in enumerate(pairs, start=1):
        if question.text in seen:
            message = (
                f"this question is the same as the one on line {seen[question.text]}; "
                "every question needs its own text"
            )
            problems.append(Problem(path, question.line, 1, message))
        seen.setdefault(question.text, question.line)
        found = finder.find(first_sentence(answer.text))
        linked = found[0] if len(found) == 1 else None
        if linked is None:
            what = (
                "names " + " and ".join(f"'{names[i]}'" for i in found)
                if found
                else "names no concept of the table"
            )
            message = (
                f"the first sentence of answer {number} {what}; question {number} is written with "
                'answer: "" and a TODO comment: fill in the id of the concept it recommends'
            )
            warnings.append(Problem(path, answer.line, 1, message, severity=Severity.WARNING))
        questions.append(SheetQuestion(question.text, answer.text, linked, question.line, answer.line))
    if problems:
        raise SourceError(problems)
    return questions, warnings


def first_sentence(text: str) -> str:
    match = _SENTENCE_END.search(text)
    return text[: match.end()] if match else text


_END = ""


class NameFinder:
    """The concepts' names in a trie of characters, so that finding them all in a sentence takes one walk
    from each of its characters, however many concepts there are."""

    def __init__(self, names: Sequence[str]) -> None:
        self.trie: dict[str, Any] = {}
        for index, name in enumerate(names):
            for variant in _name_variants(name):
                node = self.trie
                for char in variant:
                    node = node.setdefault(char, {})
                node.setdefault(_END, []).append(index)

    def find(self, sentence: str) -> list[int]:
        text = unicodedata.normalize("NFKC", sentence).casefold()
        spans: list[tuple[int, int, int]] = []
        for start in range(len(text)):
            if start and _is_ascii_word(text[start - 1]) and _is_ascii_word(text[start]):
                continue  # a name in Latin script starts a word
            node = self.trie
            end = start
            while end < len(text) and text[end] in node:
                node = node[text[end]]
                end += 1
                if _END in node:
                    stop = _word_end(text, end)
                    if stop is not None:
                        spans.extend((start, stop, index) for index in node[_END])
        found: list[int] = []
        for start, end, index in sorted(spans):
            inside = any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
            if not inside and index not in found:
                found.append(index)
        return found


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _word_end(text: str, end: int) -> int | None:
    """Where a name that ends at ``end`` ends, with a plural 's' or 'es'; None when it ends inside a word."""
    if not _is_ascii_word(text[end - 1]):
        return end
    for suffix in ("", "s", "es"):
        stop = end + len(suffix)
        if text.startswith(suffix, end) and (stop >= len(text) or not _is_ascii_word(text[stop])):
            return stop
    return None


def _name_variants(name: str) -> list[str]:
    """A name, and for 'Name (Other name)' both parts, in the form they are searched for."""
    normal = unicodedata.normalize("NFKC", name).casefold().strip()
    variants = [normal]
    match = re.match(r"^(.+?)\s*\((.+)\)$", normal)
    if match:
        variants.extend(part.strip() for part in match.groups())
    return [v for v in variants if v]
