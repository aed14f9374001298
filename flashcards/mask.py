"""No answer on the front: find the concept's name, or a form of it, in a prompt and mask it with a gap.

Words are compared by their stems, from the Snowball stemmers of the languages that have one
("Fine-tune" and "Fine-tuning", "Distill" and "distillation", "boosted" and "Boosting" share a stem).
Japanese and Chinese do not inflect a noun, and a verb made from one keeps it whole (蒸留する), so there
the name is found as it is written; a name written in kanji is also found by its two-kanji words (転移学習
by 転移), the way most such compounds are built. A word of a name of several words is masked on its own
only when it is more typical of this concept than of the others in the deck ("distill" for *Knowledge
distillation*, not "knowledge"); the whole name is always masked.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import dataclass

import snowballstemmer

#: The visible gap, per script: full-width brackets in Japanese and Chinese.
GAP_WIDE = "［…］"
GAP = "[…]"

_STEMMERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}
#: Words too common to mask on their own, whatever the deck.
_COMMON = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "by",
        "from",
        "or",
        "de",
        "la",
        "le",
        "les",
        "des",
        "du",
        "et",
        "el",
        "los",
        "las",
        "y",
        "der",
        "die",
        "das",
        "und",
        "von",
        "mit",
        "für",
    ]
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_KANJI_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{4,}")
#: Text in which a gap would break markup: a link, a picture or a sound, an HTML tag, code.
#: A formula too (``\\(``, ``\\[``): a gap in it would break it.
_MARKUP = re.compile(r"\]\(|<[A-Za-z/]|`|\{\{|\\[(\[]")
#: A reading right after a masked word (``蒸留[じょうりゅう]``): masked with it, or it would tell the answer.
_READING = re.compile(r"\[[^\[\]\n]+\]")


def gap_for(language: str) -> str:
    return GAP_WIDE if language.split("-", maxsplit=1)[0] in ("ja", "zh") else GAP


@functools.cache
def _stemmer(language: str) -> snowballstemmer.Stemmer | None:
    algorithm = _STEMMERS.get(language.split("-", maxsplit=1)[0])
    return snowballstemmer.stemmer(algorithm) if algorithm else None


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str, language: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold()
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer is not None else word


def _spaced(language: str) -> bool:
    return language.split("-", maxsplit=1)[0] not in ("ja", "zh")


def name_parts(name: str, language: str) -> tuple[str, ...]:
    """The parts of a name that can stand for it on their own: stems of its words in a language written
    with spaces; in Japanese and Chinese, the kanji words of a long kanji name."""
    if _spaced(language):
        return tuple(stem for word in _WORD.findall(name) if (stem := _stem(word, language)) not in _COMMON)
    parts: list[str] = []
    for run in _KANJI_RUN.findall(name):
        parts.extend(run[i : i + 2] for i in range(0, len(run) - 1, 2))
    return tuple(parts)


def count_parts(parts: Set[str], text: str, language: str) -> Counter[str]:
    """How often each of ``parts`` (stems, or words written as they are) occurs in ``text``."""
    if _spaced(language):
        return Counter(stem for word in _WORD.findall(text) if (stem := _stem(word, language)) in parts)
    return Counter({part: n for part in parts if (n := text.count(part))})


@dataclass(frozen=True)
class Answer:
    """What a front must not show: a name, and the parts of it that stand for it alone."""

    name: str
    parts: tuple[str, ...]
    #: In a language written with spaces, the stems of all the name's words: "Gradient-boosted" is a form
    #: of *Gradient boosting* even when neither word stands for it alone.
    stems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Masked:
    text: str
    #: Whether anything was masked.
    masked: bool
    #: The answer shows, and a gap would break the text's markup: left as it is (the build warns).
    unsafe: bool = False


def mask(text: str, answers: Iterable[Answer], language: str, gap: str | None = None) -> Masked:
    """``text`` with every occurrence of an answer's name or typical part replaced by a gap (by default
    ``gap_for(language)``); runs of masked words (with the hyphens and spaces between them) become one gap."""
    spans: list[tuple[int, int]] = []
    folded = unicodedata.normalize("NFKC", text).casefold() if not text.isascii() else text.lower()
    same_length = len(folded) == len(text)
    words: list[re.Match[str]] | None = None
    stems: list[str] = []
    for one in answers:
        if same_length:
            spans.extend(_found(unicodedata.normalize("NFKC", one.name).casefold(), folded))
        if _spaced(language):
            # A stem keeps the first letters of its word: most texts are passed over without stemming.
            wanted = {p for p in (*one.parts, *one.stems) if _prefix(p) in folded}
            if not wanted:
                continue
            if words is None:
                words = list(_WORD.finditer(text))
                stems = [_stem(m.group(), language) for m in words]
            parts = set(one.parts)
            spans.extend(m.span() for m, stem in zip(words, stems, strict=True) if stem in parts)
            if set(one.stems) <= wanted:
                spans.extend(_runs(one.stems, words, stems, text))
        elif same_length:
            for part in one.parts:
                spans.extend(_found(part, folded))
    if not spans:
        return Masked(text, masked=False)
    if _MARKUP.search(text):
        return Masked(text, masked=False, unsafe=True)
    merged = [(start, _with_reading(text, end)) for start, end in _merge(spans, text)]
    shown = gap_for(language) if gap is None else gap
    out = []
    position = 0
    for start, end in merged:
        out.append(text[position:start])
        out.append(shown)
        position = end
    out.append(text[position:])
    return Masked("".join(out), masked=True)


def _with_reading(text: str, end: int) -> int:
    reading = _READING.match(text, end)
    return reading.end() if reading is not None and not text[end - 1].isascii() else end


def _prefix(stem: str) -> str:
    return stem[: max(min(len(stem) - 1, 4), 1)]


def _found(needle: str, haystack: str) -> Iterable[tuple[int, int]]:
    if not needle:
        return
    start = haystack.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = haystack.find(needle, start + 1)


def _runs(
    name: tuple[str, ...], words: list[re.Match[str]], stems: list[str], text: str
) -> Iterable[tuple[int, int]]:
    """Where the name's words follow one another (with only spaces or hyphens between them)."""
    size = len(name)
    if size < 2:
        return
    for i in range(len(stems) - size + 1):
        if tuple(stems[i : i + size]) == name and all(
            text[words[j].end() : words[j + 1].start()].strip(" -‐") == "" for j in range(i, i + size - 1)
        ):
            yield words[i].start(), words[i + size - 1].end()


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans with only hyphens or spaces between them, as one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].strip(" -‐") == ""):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
