"""What Anki cannot store is refused with its line, and what it can is built and imported: control
characters in texts, names, tags and topics; deletion numbers; deck names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from anki.collection import Collection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import VALID_SOURCE, import_package, rendered_cards, run_cli, write_tree

CLOZE_SOURCE = """\
deck:
  id: limits
  languages: [en]
  name:
    en: Limits
cards:
  - id: highest
    cloze:
      en: "The highest deletion number is {{c65535::65,535}}."
"""


def build(project: Path) -> tuple[int, list[str]]:
    result = run_cli(["build"], project)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "en: Moving a large model's knowledge into a small one.",
            'en: "Moving a large \\x1f model\'s knowledge"',
            "source/deck.yaml:14:11: concepts[0].description.en: the text holds the control character U+001F "
            "(Anki's field separator), which Anki cannot store",
        ),
        (
            "en: Distillation",
            'en: "Distil\\0lation"',
            "source/deck.yaml:11:11: concepts[0].name.en: the text holds the control character U+0000 "
            "(a null character), which Anki cannot store",
        ),
        (
            "en: Use distillation.",
            'en: "Use \\x1b[31mdistillation."',
            "source/deck.yaml:23:11: questions[0].explanation.en: the text holds the control character U+001B, "
            "which Anki cannot store",
        ),
        (
            "    answer: distillation\n",
            '    answer: distillation\n    tags: ["a\\x1fb"]\n',
            "source/deck.yaml:21:12: questions[0].tags[0]: a tag cannot hold the control character U+001F "
            "(Anki's field separator)",
        ),
        (
            "    en: Tiny deck",
            '    en: "Tiny\\tdeck"',
            "source/deck.yaml:6:9: deck.name.en: a deck name is one line: it cannot hold the control "
            "character U+0009",
        ),
        (
            "    en: Tiny deck",
            '    en: "::"',
            "source/deck.yaml:6:9: deck.name.en: a deck name has text on both sides of every '::' "
            "(in Anki, 'A::B' is a subdeck B of A)",
        ),
        (
            "    en: Tiny deck",
            '    en: "Tiny:: "',
            "source/deck.yaml:6:9: deck.name.en: a deck name has text on both sides of every '::' "
            "(in Anki, 'A::B' is a subdeck B of A)",
        ),
    ],
)
def test_what_anki_cannot_store_is_refused_with_its_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert VALID_SOURCE.count(old) == 1
    write_tree(tmp_path, {"source/deck.yaml": VALID_SOURCE.replace(old, new)})
    assert build(tmp_path) == (1, [message])
    strict = run_cli(["check", "--strict"], tmp_path)
    assert (strict.exit_code, strict.stderr.splitlines()) == (1, [message])
    assert not (tmp_path / "dist").exists()


def test_tabs_and_line_breaks_in_a_text_reach_anki(tmp_path: Path, collection: Collection) -> None:
    source = VALID_SOURCE.replace(
        "en: Moving a large model's knowledge into a small one.",
        'en: "Moving a large model\'s\\tknowledge\\ninto a small one."',
    )
    write_tree(tmp_path, {"source/deck.yaml": source})
    assert build(tmp_path) == (0, [])
    assert import_package(collection, tmp_path / "dist" / "tiny.en.apkg").new == 2
    (card,) = rendered_cards(collection, "card:NameToDescription")
    assert card.answer.splitlines()[-2:] == ["Moving a large model's knowledge", "into a small one."]


def test_the_highest_deletion_number_anki_takes_is_built_and_imported(
    tmp_path: Path, collection: Collection
) -> None:
    write_tree(tmp_path, {"source/limits.yaml": CLOZE_SOURCE})
    assert build(tmp_path) == (0, [])
    assert import_package(collection, tmp_path / "dist" / "limits.en.apkg").new == 1
    (card,) = rendered_cards(collection)
    assert card.question == "The highest deletion number is [...]."
    assert collection.get_card(collection.find_cards("")[0]).ord == 65_534


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{{c65536::a}}",
            "deletions are numbered up to 65,535 in Anki: write {{c1::…}}, {{c2::…}}, …",
        ),
        (
            "{{c99999999999999999999::a}}",
            "deletions are numbered up to 65,535 in Anki: write {{c1::…}}, {{c2::…}}, …",
        ),
        (
            "{{c" + "9" * 5000 + "::a}}",
            "deletions are numbered up to 65,535 in Anki: write {{c1::…}}, {{c2::…}}, …",
        ),
        ("{{c65535::a}} [[b]]", "deletions are numbered up to 65,535 in Anki: [[…]] would be c65536"),
    ],
)
def test_a_deletion_number_anki_refuses_is_reported_with_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    write_tree(
        tmp_path,
        {
            "source/limits.yaml": CLOZE_SOURCE.replace(
                "The highest deletion number is {{c65535::65,535}}.", text
            )
        },
    )
    assert build(tmp_path) == (1, [f"source/limits.yaml:9:11: cards[0].cloze.en: {message}"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(
        st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "L", "P")),
        min_size=1,
        max_size=12,
    )
)
def test_any_text_is_refused_with_its_line_or_imported_by_anki(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    project = tmp_path_factory.mktemp("text")
    data = yaml.safe_load(VALID_SOURCE)
    data["concepts"][0]["description"]["en"] = f"Moving {text} knowledge"
    write_tree(project, {"source/deck.yaml": yaml.safe_dump(data, allow_unicode=True, sort_keys=False)})
    code, errors = build(project)
    if code:
        assert len(errors) == 1
        assert errors[0].startswith("source/deck.yaml:")
        assert "concepts[0].description.en: " in errors[0]
        return
    col = Collection(str(project / "collection.anki2"))
    try:
        assert import_package(col, project / "dist" / "tiny.en.apkg").new == 2
        (card,) = rendered_cards(col, "card:NameToDescription")
        assert "Moving" in card.answer
        assert card.answer.endswith("knowledge")
    finally:
        col.close()
