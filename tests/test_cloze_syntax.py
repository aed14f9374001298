"""The friendly cloze syntax [[answer::hint]] turned into Anki's {{c1::answer::hint}}."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from flashcards.source.cloze import to_anki_cloze


@given(st.one_of(st.text(alphabet="ab[]{}:c12 ", max_size=40), st.just("{{c1::[[x]]}}")))
def test_any_cloze_text_gives_anki_deletions_or_a_clean_problem(text: str) -> None:
    converted, problem = to_anki_cloze(text)
    if problem:
        assert converted == text
        return
    assert "[[" not in converted
    numbers = [int(n) for n in re.findall(r"\{\{c(\d+)::", converted)]
    assert numbers
    assert min(numbers) >= 1
    assert to_anki_cloze(converted) == (converted, "")  # Anki's own form passes through as it is


def test_friendly_deletions_are_numbered_in_order_with_their_hints() -> None:
    assert to_anki_cloze("[[a]] and [[b::hint]] and [[c]]") == (
        "{{c1::a}} and {{c2::b::hint}} and {{c3::c}}",
        "",
    )


def test_nested_deletions_are_refused() -> None:
    assert to_anki_cloze("{{c1::[[x]]}}")[1] == (
        "a deletion is inside another one: write each deletion on its own, as in [[a]] [[b]]"
    )
