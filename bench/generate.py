"""Synthetic bilingual sources in the flashcards format, of any size.

Every concept has the shape of the bundled deck's: a name, a description, two features, two pros, two
cons and an example, in Japanese and English (8 fields and 6 cards per note, two decks). Texts are
distinct per concept, so that no card is left out as ambiguous.

    python bench/generate.py 10000 source/big.yaml
    python bench/generate.py 1000 source/rich.yaml --rich   # with a formula and a code block per concept
    python bench/generate.py 1000 source/plain.yaml --rich --plain   # the same texts without them
    python bench/generate.py 3000 source/asked.yaml --questions=5   # 5 questions: 2,995 concepts none recommends
    python bench/generate.py 1000 source/real.yaml --rich --asked --untranslated   # as a learner's source

``--asked``: a question recommending each concept, but every 500th (each of those is warned about: no
question recommends it). ``--untranslated``: every 1,000th concept's first feature in English is its
Japanese one (warned about: is it translated?). Together, a source with questions and a few warnings, as real
ones are.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

JA_WORDS = ["学習", "モデル", "データ", "推論", "特徴", "重み", "損失", "精度", "転移", "蒸留", "層", "勾配"]
EN_WORDS = [
    "learning",
    "model",
    "data",
    "inference",
    "feature",
    "weight",
    "loss",
    "accuracy",
    "transfer",
    "distillation",
    "layer",
    "gradient",
]


@dataclass(frozen=True)
class Entry:
    """One synthetic concept: (ja, en) pairs for every text."""

    id: str
    name: tuple[str, str]
    description: tuple[str, str]
    features: tuple[tuple[str, str], ...]
    pros: tuple[tuple[str, str], ...]
    cons: tuple[tuple[str, str], ...]
    example: tuple[str, str]


def _phrase(i: int, salt: int, words: int = 6) -> tuple[str, str]:
    ja = "".join(JA_WORDS[(i * 7 + salt * 3 + k) % len(JA_WORDS)] for k in range(words))
    en = " ".join(EN_WORDS[(i * 5 + salt * 11 + k) % len(EN_WORDS)] for k in range(words))
    return f"{ja}{i}の{salt}。", f"{en.capitalize()} {i}-{salt}."


def entries(n: int) -> Iterator[Entry]:
    for i in range(n):
        yield Entry(
            id=f"concept-{i}",
            name=(f"概念{i}", f"Concept {i}"),
            description=_phrase(i, 1, 10),
            features=(_phrase(i, 2), _phrase(i, 3)),
            pros=(_phrase(i, 4), _phrase(i, 5)),
            cons=(_phrase(i, 6), _phrase(i, 7)),
            example=_phrase(i, 8, 8),
        )


def _pair(indent: str, key: str, value: tuple[str, str]) -> str:
    return f"{indent}{key}:\n{indent}  ja: {value[0]}\n{indent}  en: {value[1]}\n"


def _items(indent: str, key: str, values: tuple[tuple[str, str], ...]) -> str:
    lines = [f"{indent}{key}:\n"]
    for ja, en in values:
        lines.append(f"{indent}  - ja: {ja}\n{indent}    en: {en}\n")
    return "".join(lines)


def _letters(i: int) -> str:
    """``i`` in letters (a concept's number in its texts would be a part of its name, and be masked)."""
    word = ""
    while True:
        i, digit = divmod(i, 26)
        word += chr(ord("a") + digit)
        if not i:
            return word


def _without_number(value: tuple[str, str], i: int) -> tuple[str, str]:
    """A phrase with the concept's number in letters: a front that names its answer and holds a formula is
    left whole, with a warning, where a plain one is masked; the benchmark compares like with like."""
    ja, en = value
    return ja.replace(f"{i}の", f"{_letters(i)}の", 1), en.replace(f" {i}-", f" {_letters(i)}-", 1)


def _rich_pair(indent: str, key: str, value: tuple[str, str], i: int, *, plain: bool = False) -> str:
    """A text with a formula (``key`` description) or a Python code block (``key`` example); ``plain``: the
    same text without them."""
    name = _letters(i)
    value = _without_number(value, i)
    if plain:
        return _pair(indent, key, value)
    if key == "description":
        formula = f" \\(\\sigma(z)_{{{name}}} = e^{{z_i}} / \\sum_j e^{{z_j}}\\)"
        return f"{indent}{key}:\n{indent}  ja: '{value[0]}{formula}'\n{indent}  en: '{value[1]}{formula}'\n"
    code = [
        "```python",
        f"def {name}(items: list[int]) -> int:",
        f"    return sum(x * x for x in items[{name}:])",
        "```",
    ]
    block = "".join(f"{indent}    {line}\n" for line in code)
    lines = [f"{indent}{key}:\n"]
    for language, text in zip(("ja", "en"), value, strict=True):
        lines.append(f"{indent}  {language}: |\n{indent}    {text}\n\n{block}")
    return "".join(lines)


#: Every concept but one in this many has a question that recommends it (``asked``).
UNASKED_EVERY = 500
#: One concept in this many has its first feature in English copied from the Japanese one (``untranslated``).
UNTRANSLATED_EVERY = 1000


def _question(i: int, e: Entry) -> str:
    """A question whose answer is the concept ``i``, with its explanation."""
    ja, en = _without_number(_phrase(i, 9, 8), i)
    why_ja, why_en = _without_number(_phrase(i, 10, 8), i)
    return (
        f"  - id: asks-{e.id}\n    question:\n      ja: {ja}どの手法を用いるべきか?\n"
        f"      en: {en} Which technique should you use?\n    answer: {e.id}\n"
        f"    explanation:\n      ja: {why_ja}\n      en: {why_en}\n"
    )


def source_text(
    n: int,
    deck_id: str = "bench",
    *,
    rich: bool = False,
    plain: bool = False,
    questions: int = 0,
    asked: bool = False,
    untranslated: bool = False,
) -> str:
    """A source of ``n`` concepts; ``rich``: with a formula in each description and a code block in each
    example (``plain`` too: the same texts without them, to compare with); ``questions``: that many
    questions, each recommending one of the first concepts (every other concept is warned about); ``asked``
    and ``untranslated``: see the module's documentation."""
    parts = [
        f"deck:\n  id: {deck_id}\n  languages: [ja, en]\n  name:\n    ja: ベンチ{deck_id}\n    en: Bench {deck_id}\n",
        "concepts:\n",
    ]
    for i, entry in enumerate(entries(n)):
        e = entry
        if untranslated and i % UNTRANSLATED_EVERY == UNTRANSLATED_EVERY // 2:
            first, *others = entry.features
            e = dataclasses.replace(entry, features=((first[0], first[0]), *others))
        parts.append(f"  - id: {e.id}\n")
        parts.append(_pair("    ", "name", e.name))
        parts.append(
            _rich_pair("    ", "description", e.description, i, plain=plain)
            if rich
            else _pair("    ", "description", e.description)
        )
        parts.append(_items("    ", "features", e.features))
        parts.append(_items("    ", "pros", e.pros))
        parts.append(_items("    ", "cons", e.cons))
        parts.append(
            _rich_pair("    ", "example", e.example, i, plain=plain)
            if rich
            else _pair("    ", "example", e.example)
        )
    if questions or asked:
        parts.append("questions:\n")
    for i in range(questions):
        parts.append(f"  - id: question-{i}\n")
        parts.append(
            _pair("    ", "question", (f"質問{i}はどの概念?", f"Which concept does question {i} ask?"))
        )
        parts.append(f"    answer: concept-{i}\n")
        parts.append(_pair("    ", "explanation", (f"説明{i}。", f"Because of reason {i}.")))
    if asked:
        parts.extend(
            _question(i, e) for i, e in enumerate(entries(n)) if i % UNASKED_EVERY != UNASKED_EVERY // 2
        )
    return "".join(parts)


def main() -> None:
    n, target = int(sys.argv[1]), Path(sys.argv[2])
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = sys.argv[3:]
    questions = next((int(f.split("=", 1)[1]) for f in flags if f.startswith("--questions=")), 0)
    text = source_text(
        n,
        rich="--rich" in flags,
        plain="--plain" in flags,
        questions=questions,
        asked="--asked" in flags,
        untranslated="--untranslated" in flags,
    )
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
