"""The language a sheet is written in, from its text.

Kana make a text Japanese and Hangul Korean, whatever else it holds (Japanese is often mostly kanji);
any other text is told by py3langid (a naive Bayes model over character n-grams, trained on 97
languages) among the languages a deck is commonly made in. A sheet is English unless the model is sure
of another language: names of tools and acronyms alone (``TCP UDP HTTP``) say little.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

#: The languages a sheet is recognised in.
LANGUAGES = ("ja", "zh", "ko", "en", "de", "fr", "es", "it", "pt", "nl", "ru")
#: How sure the model must be (its probability) to call a sheet in Latin script other than English.
_SURE = 0.9
#: The language is told from the sheet's first characters; more tell no more.
_SAMPLE = 20_000
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_LETTERS = re.compile(r"[^\W\d_]")


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    identifier.set_languages([lang for lang in LANGUAGES if lang not in ("ja", "ko")])
    return identifier


def detect_language(texts: Iterable[str]) -> str:
    text = "\n".join(texts)[:_SAMPLE]
    kana, hangul = len(_KANA.findall(text)), len(_HANGUL.findall(text))
    if kana and kana >= hangul:
        return "ja"
    if hangul:
        return "ko"
    if not _LETTERS.search(text):
        return "en"
    language, probability = _identifier().classify(text)
    return str(language) if probability >= _SURE else "en"
