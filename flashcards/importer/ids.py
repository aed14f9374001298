"""Ids, written once and never derived again, so they only need to be readable and valid.

- a concept named in Latin script gets the slug of its name (``Fine-tuning`` → ``fine-tuning``), and so
  does one whose name carries a Latin gloss in brackets (``蒸留 (Distillation)`` → ``distillation``);
- any other concept gets ``concept-N``, N its place among the sheet's concepts;
- the deck gets the slug of the sheet's file name; for a name in another script, the slug of the
  sheet's title when it is in Latin script, else the file name romanised: Japanese by pykakasi
  (``機械学習.md`` → ``kikaigakushuu``), any other script by anyascii (``정렬.md`` → ``jeong-lyeol``).

A slug that is taken already gets ``-2``, ``-3``, … appended.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

_SLUG_MAX = 48
_GLOSS = re.compile(r"[(（]([^()（）]+)[)）]")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_NON_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f\uff01-\uff5e]")


def deck_id(file_name: str, title: str, language: str) -> str:
    stem = file_name.rsplit(".", 1)[0] if "." in file_name.lstrip(".") else file_name
    if not _NON_LATIN.search(stem) and slug(stem):
        return slug(stem)
    if title and not _NON_LATIN.search(title) and slug(title):
        return slug(title)
    romanised = slug(romanise(stem, language))
    if romanised:
        return romanised
    return "sheet-" + hashlib.sha256(file_name.encode("utf-8")).hexdigest()[:8]


def romanise(text: str, language: str) -> str:
    """Text in Latin letters: Japanese in Hepburn by pykakasi (``機械学習`` → ``kikaigakushuu``), any
    other script by anyascii (``排序`` → ``Pai Xu``)."""
    if language == "ja" or _KANA.search(text):
        import pykakasi

        kakasi: Any = pykakasi.kakasi
        return " ".join(part["hepburn"] for part in kakasi().convert(text))
    from anyascii import anyascii

    return _split_words(anyascii(text))


def _split_words(text: str) -> str:
    """``JiXieXueXi`` → ``Ji Xie Xue Xi``: anyascii capitalises each syllable it romanises."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)


def concept_ids(names: Iterable[str]) -> tuple[str, ...]:
    used: set[str] = set()
    return tuple(
        _unique(latin_slug(name) or f"concept-{number}", used) for number, name in enumerate(names, start=1)
    )


def latin_slug(name: str) -> str:
    """The slug of a name in Latin script, or of its Latin gloss in brackets; "" when it has neither."""
    if not _NON_LATIN.search(name):
        return slug(name)
    for gloss in _GLOSS.findall(name):
        if not _NON_LATIN.search(gloss) and re.search(r"[A-Za-z]", gloss):
            return slug(gloss)
    return ""


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by hyphens (accents dropped), at most 48 characters."""
    ascii_text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    out = ""
    for word in re.findall(r"[a-z0-9]+", ascii_text):
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > _SLUG_MAX and out:
            break
        out = candidate[:_SLUG_MAX]
    return out


def _unique(base: str, used: set[str]) -> str:
    candidate = base
    number = 2
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    used.add(candidate)
    return candidate
