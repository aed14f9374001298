"""Write a source YAML file that a person edits: the bundled source's layout, key order and comments.

The emitter is small on purpose: it writes the one shape a source has (deck, concepts, questions; block
style; one blank line between entries). Each text is written plain when it reads back as the same
text, as a literal block (``|``) when it has several lines, else double-quoted with escapes; every
choice is checked by reading the scalar back with PyYAML, so a text always round-trips exactly.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from flashcards.errors import Problem, SourceError
from flashcards.model import Localized

_INDENT = "  "
_STR_TAG = "tag:yaml.org,2002:str"
#: Texts that are a plain YAML string as they are, without asking the YAML reader: one line with a space
#: or a letter beyond ASCII (so no number, boolean, null or date), starting with a letter or an ideograph
#: and ending with no space or ':'.
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")
_WORD = re.compile(r"^[^\W\d_]+$")
#: Words YAML (1.1 or 1.2) reads as a boolean or null.
_TYPED_WORDS = frozenset(("y", "n", "yes", "no", "true", "false", "on", "off", "null"))
_PLAIN = re.compile(r"^[^\W\d_][^\n]*(?: |[^\x00-\x7f])[^\n]*(?<![\s:])$")


@dataclass(frozen=True)
class ConceptDraft:
    id: str
    name: Localized
    description: Localized
    features: tuple[Localized, ...] = ()
    pros: tuple[Localized, ...] = ()
    cons: tuple[Localized, ...] = ()
    example: Localized | None = None
    #: The subdeck of the concept's cards (a sheet's heading above its table).
    topic: Localized | None = None


@dataclass(frozen=True)
class QuestionDraft:
    id: str
    question: Localized
    #: A concept's id, or "" for the learner to fill in (then ``answer_note`` says so in a comment).
    answer: str
    explanation: Localized
    answer_note: str = ""


@dataclass(frozen=True)
class SourceDraft:
    """A whole source file, ready to be written."""

    id: str
    languages: tuple[str, ...]
    name: Localized
    description: Localized | None
    concepts: tuple[ConceptDraft, ...]
    questions: tuple[QuestionDraft, ...]
    #: Comment lines at the top of the file (without the '# ').
    header: tuple[str, ...] = ()
    #: What the concepts are (``手法``, ``technique``), as the cards ask for them.
    kind: Localized | None = None
    #: A remark that qualifies every answer, shown on every question card's back.
    answer_note: Localized | None = None


def render_source(draft: SourceDraft) -> str:
    lines = [f"# {line}".rstrip() for line in draft.header]
    if lines:
        lines.append("")
    lines += ["deck:", f"  id: {scalar(draft.id, 1)}"]
    lines.append(f"  languages: [{', '.join(draft.languages)}]")
    lines += _localized("name", draft.name, 1)
    if draft.description is not None:
        lines += _localized("description", draft.description, 1)
    if draft.kind is not None:
        lines += [
            "  # What the concepts are: the cards ask for one by this word.",
            *_localized("kind", draft.kind, 1),
        ]
    if draft.answer_note is not None:
        lines += [
            "  # Shown on the back of every question card.",
            *_localized("answer-note", draft.answer_note, 1),
        ]
    if draft.concepts:
        lines += ["", "concepts:"]
        for i, concept in enumerate(draft.concepts):
            lines += ([""] if i else []) + _concept(concept)
    if draft.questions:
        lines += ["", "questions:"]
        for i, question in enumerate(draft.questions):
            lines += ([""] if i else []) + _question(question)
    return "\n".join(lines) + "\n"


def _concept(concept: ConceptDraft) -> list[str]:
    lines = [f"  - id: {scalar(concept.id, 2)}"]
    lines += _localized("name", concept.name, 2)
    lines += _localized("description", concept.description, 2)
    for key, items in (("features", concept.features), ("pros", concept.pros), ("cons", concept.cons)):
        if items:
            lines.append(f"    {key}:")
            for item in items:
                lines += _list_item(item, 3)
    if concept.example is not None:
        lines += _localized("example", concept.example, 2)
    if concept.topic is not None:
        lines += _localized("topic", concept.topic, 2)
    return lines


def _question(question: QuestionDraft) -> list[str]:
    lines = [f"  - id: {scalar(question.id, 2)}"]
    lines += _localized("question", question.question, 2)
    answer = f"    answer: {scalar(question.answer, 2)}"
    if question.answer_note:
        answer += f"  # {question.answer_note}"
    lines.append(answer)
    lines += _localized("explanation", question.explanation, 2)
    return lines


def _localized(key: str, text: Localized, level: int) -> list[str]:
    indent = _INDENT * level
    lines = [f"{indent}{key}:"]
    lines += [f"{indent}{_INDENT}{lang}: {scalar(text[lang], level + 1)}" for lang in text]
    return lines


def _list_item(text: Localized, level: int) -> list[str]:
    """``- ja: …`` then ``  en: …``: one list item holding the text in every language."""
    indent = _INDENT * (level - 1)
    lines = []
    for i, lang in enumerate(text):
        prefix = f"{indent}  - " if i == 0 else f"{indent}    "
        lines.append(f"{prefix}{lang}: {scalar(text[lang], level + 1)}")
    return lines


def scalar(text: str, level: int) -> str:
    """``text`` as the value after ``key: `` on a line indented ``level`` steps."""
    if _ID.match(text) or (
        _PLAIN.match(text) and ": " not in text and " #" not in text and text.isprintable()
    ):
        return text
    if _reads_back(f"k: {text}\n", text):
        return text
    if "\n" in text:
        body = _INDENT * (level + 1)
        block = "|\n" + "\n".join(f"{body}{line}" if line else "" for line in text.split("\n"))
        if _reads_back(f"k: {block}\n", text + "\n") and not any(
            line != line.rstrip() for line in text.split("\n")
        ):
            return block
    quoted: str = yaml.dump(
        text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=2**31
    ).strip()
    return quoted


def _is_plain(text: str) -> bool:
    """Whether ``text`` is surely a plain YAML string as it is (a quick answer for the common texts)."""
    if _ID.match(text) or (_WORD.match(text) and text.casefold() not in _TYPED_WORDS):
        return True
    return bool(_PLAIN.match(text)) and ": " not in text and " #" not in text and text.isprintable()


def _reads_back(document: str, expected: str) -> bool:
    """Whether ``document`` (one ``k: value`` line) holds exactly the text ``expected``."""
    try:
        node = yaml.compose(document, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return False
    value = node.value[0][1]
    return isinstance(value, yaml.ScalarNode) and value.tag == _STR_TAG and value.value == expected


# --- writing ------------------------------------------------------------------------------------


def write_new_file(text: str, target: Path, *, force: bool = False) -> None:
    """Write ``text`` to ``target`` atomically (a temporary file beside it, then a rename).

    An existing file is refused unless ``force``; the check and the rename cannot race with another
    writer, because without ``force`` the file is linked into place, which fails if it exists.
    """
    if target.is_dir():
        raise SourceError([Problem(str(target), None, None, "is a folder; name the file to write")])
    if target.exists() and not force:
        raise _exists(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _partial(target) as partial:
        partial.write_text(text, encoding="utf-8", newline="\n")
        if force:
            os.replace(partial, target)
            return
        try:
            os.link(partial, target)
        except FileExistsError:
            raise _exists(target) from None
        except OSError:  # pragma: no cover - a file system without hard links
            os.replace(partial, target)


def _exists(target: Path) -> SourceError:
    return SourceError(
        [Problem(str(target), None, None, "the file already exists; use --force to replace it")]
    )


@contextlib.contextmanager
def _partial(target: Path) -> Iterator[Path]:
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)
