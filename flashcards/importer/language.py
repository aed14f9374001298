"""The language a sheet is written in, from its text.

Kana make a text Japanese and Hangul Korean, whatever else it holds (Japanese is often mostly kanji);
any other text is told by py3langid (a naive Bayes model over character n-grams, trained on 97
languages) among the languages a deck is commonly made in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The languages a sheet is recognised in.
LANGUAGES = ("ja", "zh", "ko", "en", "de", "fr", "es", "it", "pt", "nl", "ru")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_LETTERS = re.compile(r"[^\W\d_]")


def detect_language(texts: Iterable[str]) -> str:
    text = "\n".join(texts)
    kana, hangul = len(_KANA.findall(text)), len(_HANGUL.findall(text))
    if kana and kana >= hangul:
        return "ja"
    if hangul:
        return "ko"
    if not _LETTERS.search(text):
        return "en"
    import py3langid

    py3langid.set_languages(list(LANGUAGES))
    language, _ = py3langid.classify(text)
    return str(language)
