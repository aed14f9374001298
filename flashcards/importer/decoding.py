"""Bytes to text: UTF-8 (with or without a byte-order mark), UTF-16 (with or without one) and Shift_JIS
(CP932, what Excel on Japanese Windows writes), told apart by charset-normalizer; anything else is refused."""

from __future__ import annotations

import codecs
import unicodedata

from flashcards.errors import Problem, SourceError

#: The encodings a sheet may be in, in the names charset-normalizer uses.
ENCODINGS = ("utf_8", "utf_16_le", "utf_16_be", "cp932")
_BOMS = ((codecs.BOM_UTF8, "utf_8"), (codecs.BOM_UTF16_LE, "utf_16_le"), (codecs.BOM_UTF16_BE, "utf_16_be"))


def decode(raw: bytes, display: str) -> str:
    """The text of a sheet's bytes, in NFC; a file in another encoding is reported at line 1."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return _text(raw[len(bom) :].decode(encoding), display)
            except UnicodeDecodeError:
                break
    else:
        try:
            return _text(raw.decode("utf-8"), display)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(ENCODINGS)).best()
    if best is None or best.encoding not in ENCODINGS:
        message = "the file is not text in UTF-8, UTF-16 or Shift_JIS; save it as UTF-8"
        raise SourceError([Problem(display, None, None, message)])
    return _text(str(best), display)


def _text(text: str, display: str) -> str:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        message = "this line holds a NUL character: the file is not text; save the sheet as UTF-8 text"
        raise SourceError([Problem(display, line, 1, message)])
    return unicodedata.normalize("NFC", text)
