"""The first half of checking a source: does each mapping have the keys its section lists, each value
of its kind? Every problem is reported where it is; what passes is handed on with its defaults filled in."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flashcards.errors import Problem
from flashcards.source import format as fmt
from flashcards.source.format import BOOLEANS, Kind, Section
from flashcards.source.yaml_reader import Document, KeyPath


def shown(value: object) -> str:
    """A value on one line of a message: characters that cannot be shown as they are are escaped."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def is_list(value: Any) -> bool:
    """A list as the reader gives it: a list, or a top-level list read a batch at a time as it is iterated."""
    return type(value) is list or (isinstance(value, Iterable) and not isinstance(value, str | bytes | dict))


def _is_localized(value: Any) -> bool:
    return type(value) is dict and all(type(v) is str for v in value.values())


#: Whether a value already is of its kind: the common case, told fast.
_FITS: dict[Kind, Callable[[Any], bool]] = {
    fmt.TEXT: lambda v: type(v) is str,
    fmt.IDENTIFIER: lambda v: type(v) is str,
    fmt.BOOLEAN: lambda v: type(v) is bool,
    fmt.LOCALIZED: _is_localized,
    fmt.TEXTS: lambda v: type(v) is list and all(type(i) is str for i in v),
    fmt.LOCALIZED_LIST: lambda v: type(v) is list and all(_is_localized(i) for i in v),
    fmt.BOOLEAN_OR_IDS: lambda v: type(v) is bool or (type(v) is list and all(type(i) is str for i in v)),
    fmt.MAPPING: lambda v: type(v) is dict,
    fmt.ENTRIES: is_list,
}


def describe(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "keys and values"
    return type(value).__name__


class Wrong(Exception):
    """A value that is not of its kind, at ``key_path`` below the key, with what to say."""

    def __init__(self, message: str, key_path: KeyPath = ()) -> None:
        super().__init__(message)
        self.message = message
        self.key_path = key_path


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        raise Wrong("is empty; write the text")
    raise Wrong(f"expected text, found {describe(value)}")


def _boolean(value: Any) -> bool:
    if type(value) is bool:
        return value
    if isinstance(value, str) and value in BOOLEANS:
        return BOOLEANS[value]
    if value is None:
        raise Wrong("is empty; write true or false")
    found = f"'{shown(value)}'" if isinstance(value, str) else describe(value)
    raise Wrong(f"expected true or false, found {found}")


def _list(value: Any) -> list[Any]:
    if type(value) is list:
        return value
    if value is None:
        raise Wrong("is empty; write a list of '- ' items, or remove the key")
    raise Wrong(f"expected a list of '- ' items, found {describe(value)}")


def _localized(value: Any) -> dict[str, str]:
    if type(value) is not dict:
        if value is None:
            raise Wrong("is empty")
        found = describe(value)
        raise Wrong(
            f"expected the text in each language ('ja: …', 'en: …' on their own lines), found {found}"
        )
    for language, text in value.items():
        try:
            _text(text)
        except Wrong as wrong:
            raise Wrong(wrong.message, (language,)) from None
    return value


def _each(check: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    for i, item in enumerate(items):
        try:
            check(item)
        except Wrong as wrong:
            raise Wrong(wrong.message, (i, *wrong.key_path)) from None
    return items


def _boolean_or_ids(value: Any) -> bool | list[str]:
    if type(value) is list:
        return _each(_text, value)
    if isinstance(value, str) and value not in BOOLEANS:
        raise Wrong(f"expected true, false or a list of concept ids, found '{shown(value)}'")
    return _boolean(value)


def _mapping(value: Any) -> dict[str, Any]:
    if type(value) is dict:
        return value
    if value is None:
        raise Wrong("is empty")
    raise Wrong(f"expected keys and values ('key: value' lines), found {describe(value)}")


def _entries(value: Any) -> Any:
    if is_list(value):
        return value
    return _list(value)


#: The full check of each kind: the value as the model takes it, or ``Wrong`` saying what is wrong.
_CHECKS: dict[Kind, Callable[[Any], Any]] = {
    fmt.TEXT: _text,
    fmt.IDENTIFIER: _text,
    fmt.BOOLEAN: _boolean,
    fmt.LOCALIZED: _localized,
    fmt.TEXTS: lambda v: _each(_text, _list(v)),
    fmt.LOCALIZED_LIST: lambda v: _each(_localized, _list(v)),
    fmt.BOOLEAN_OR_IDS: _boolean_or_ids,
    fmt.MAPPING: _mapping,
    fmt.ENTRIES: _entries,
}


@dataclass
class Checker:
    """Collects the problems of one source, each at the position of the key or value it is about."""

    doc: Document
    problems: list[Problem]

    def report(self, key_path: KeyPath, message: str, *, of_key: bool = False) -> None:
        self.problems.append(self.doc.problem(key_path, message, of_key=of_key))

    def fields(self, section: Section, data: Any, key_path: KeyPath) -> dict[str, Any]:
        """The keys of ``data`` whose values are of the kind ``section`` gives them, each checked on its own,
        and the defaults of optional keys left out. Every other key is reported (unknown, missing, or of
        the wrong kind), so that one mistake in an entry hides no other."""
        try:
            data = _mapping(data)
        except Wrong as wrong:
            self.report(key_path, wrong.message)
            return {}
        known = section.keys
        valid: dict[str, Any] = {}
        for name, key in known.items():
            if name in data:
                value = data[name]
                if _FITS[key.kind](value):
                    valid[name] = value
                    continue
                try:
                    valid[name] = _CHECKS[key.kind](value)
                except Wrong as wrong:
                    self.report((*key_path, name, *wrong.key_path), wrong.message)
            elif key.default is None:
                self.report(key_path, f"required key '{name}' is missing")
            else:
                valid[name] = key.default()
        if not known.keys() >= data.keys():
            for name in data:
                if name not in known:
                    hint = did_you_mean(str(name), known)
                    self.report((*key_path, name), f"unknown key '{shown(name)}'{hint}", of_key=True)
        return valid
