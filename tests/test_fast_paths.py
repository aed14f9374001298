"""The fast paths give exactly what the careful ones give: the same values, decks, problems and rows."""

from __future__ import annotations

import itertools
import sqlite3
import sys
from pathlib import Path
from typing import Any

import genanki
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards import build, export, yaml_pieces, yaml_reader
from flashcards.errors import SourceError
from flashcards.source.validate import load_decks

from helpers import BUNDLED_SOURCE, REPO, VALID_SOURCE, run_cli, write_tree

sys.path.insert(0, str(REPO / "bench"))
from generate import source_text


def both_ways(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """load_decks with yaml-rs, then with libyaml alone: decks, or the problems reported."""

    def load() -> object:
        try:
            return load_decks([project / "source"])
        except SourceError as error:
            return error.messages()

    fast = load()
    with monkeypatch.context() as patch:
        patch.setattr(yaml_pieces, "yaml_rs", None)
        slow = load()
    return fast, slow


def test_yaml_rs_is_used_for_a_plain_source(tmp_path: Path) -> None:
    write_tree(tmp_path, {"deck.yaml": VALID_SOURCE})
    assert yaml_pieces.available()
    assert not yaml_reader.read_yaml(tmp_path / "deck.yaml", "deck.yaml", fast=True).exact
    assert yaml_reader.read_yaml(tmp_path / "deck.yaml", "deck.yaml").exact


@pytest.mark.parametrize(
    "text",
    [
        BUNDLED_SOURCE.read_text(encoding="utf-8"),
        source_text(50),
        VALID_SOURCE.replace("en: Use distillation.", "en: 1.50"),  # a number to YAML 1.2, text to us
        VALID_SOURCE.replace("en: Use distillation.", "en: yes"),
        VALID_SOURCE.replace("en: Use distillation.", "en: 2024-01-01"),
        VALID_SOURCE.replace("en: Use distillation.", "en: 0x1F"),
        VALID_SOURCE.replace("  id: tiny", "  id: 2024"),
        VALID_SOURCE.replace("en: Use distillation.", 'en: "Tiny \\x08 deck"'),
        VALID_SOURCE.replace("en: Use distillation.", "en:"),
        VALID_SOURCE.replace("  - id: smaller-model\n", "  - <<: {id: x}\n    id: smaller-model\n"),
        VALID_SOURCE + "---\n" + VALID_SOURCE,
    ],
)
def test_a_source_reads_the_same_with_and_without_yaml_rs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    write_tree(tmp_path, {"source/deck.yaml": text})
    fast, slow = both_ways(tmp_path, monkeypatch)
    assert fast == slow


#: Sources whose pieces fall where a naive cut would go wrong, each read the same both ways.
_QUOTED_ITEM = VALID_SOURCE.replace(
    "en: Moving a large model's knowledge into a small one.",
    'en: "Moving a large model\'s knowledge\n  - into a small one."',
)
_QUOTED_KEY = VALID_SOURCE.replace("    en: Tiny deck\n", '    en: "Tiny\nconcepts: deck"\n')
PIECES = {
    "a quoted text with a line like a list item": (_QUOTED_ITEM, "exactly"),
    "a quoted text with a line like a top-level key": (_QUOTED_KEY, "exactly"),
    "lists at column 0": (
        VALID_SOURCE.replace("\n  - ", "\n- ")
        .replace("\n    ", "\n  ")
        .replace("\n  ja: 小さなデッキ\n  en: Tiny deck", "\n    ja: 小さなデッキ\n    en: Tiny deck"),
        "in pieces",
    ),
    "comments at column 0 between entries and after a key": (
        VALID_SOURCE.replace("questions:\n", "# the questions\nquestions: # below\n\n# first\n").replace(
            "concepts:\n", "concepts:\n# one\n"
        ),
        "in pieces",
    ),
    "a section twice": (VALID_SOURCE + "concepts:\n  - id: other\n", "exactly"),
    "Windows line ends": (VALID_SOURCE.replace("\n", "\r\n"), "in pieces"),
    "old Mac line ends": (VALID_SOURCE.replace("\n", "\r"), "whole"),
    "a comment ended by a carriage return alone": (
        VALID_SOURCE.replace(
            "concepts:\n",
            "concepts: # one\r  - id: hidden\r    name: {ja: 隠れ, en: Hidden}\r"
            "    description: {ja: 隠れた概念。, en: A hidden concept.}\n",
        ),
        "whole",
    ),
    "no line break at the end": (VALID_SOURCE.rstrip("\n"), "in pieces"),
    "an empty item at the end": (VALID_SOURCE + "  -", "exactly"),
    "a flow list": (VALID_SOURCE + "cards: []\n", "in pieces"),
    "a flow mapping at column 0": (
        "{deck: {id: tiny, languages: [ja, en], name: {ja: 小さなデッキ, en: Tiny deck}}}\n"
        + VALID_SOURCE.split("concepts:", 1)[1].join(["concepts:", ""]),
        "exactly",
    ),
    "a tagged mapping at column 0": ("!!map\n" + VALID_SOURCE, "whole"),
    "an empty block text at the end of a piece": (
        VALID_SOURCE.replace("    en: Tiny deck\n", "    en: Tiny deck\n  description: |\n"),
        "exactly",
    ),
    "a list item at a smaller indentation": (
        VALID_SOURCE.replace("  - id: smaller-model", " - id: smaller-model"),
        "exactly",
    ),
    "a text outdented below its list": (VALID_SOURCE + " stray: text\n", "exactly"),
    "a quoted key": (VALID_SOURCE.replace("questions:", '"questions":'), "in pieces"),
    "a key and its list on one line": (
        VALID_SOURCE.replace("questions:\n  - ", "questions:\n  -\n    "),
        "in pieces",
    ),
}


def how_read(path: Path) -> str:
    """How the fast reading took the file: in pieces, whole, or not at all (it is then read exactly)."""
    try:
        document = yaml_reader.read_yaml(path, path.name, fast=True)
    except SourceError:
        return "exactly"
    if document.exact:
        return "exactly"
    lists = [v for v in document.data.values() if type(v) is yaml_pieces.Entries]
    try:
        for entries in lists:
            list(entries)
    except yaml_pieces.ReadAgain:
        return "exactly"
    return "in pieces" if lists else "whole"


@pytest.mark.parametrize(("text", "how"), PIECES.values(), ids=PIECES.keys())
def test_a_source_cut_into_pieces_reads_as_if_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, how: str
) -> None:
    write_tree(tmp_path, {"source/deck.yaml": text})
    monkeypatch.setattr(yaml_pieces, "BATCH", 1)
    assert how_read(tmp_path / "source" / "deck.yaml") == how
    fast, slow = both_ways(tmp_path, monkeypatch)
    assert fast == slow


def test_a_large_source_is_read_a_batch_of_entries_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"source/deck.yaml": source_text(25)})
    document = yaml_reader.read_yaml(tmp_path / "source" / "deck.yaml", "deck.yaml", fast=True)
    concepts = document.data["concepts"]
    assert type(concepts) is yaml_pieces.Entries
    assert len(concepts) == 25
    monkeypatch.setattr(yaml_pieces, "BATCH", 10)
    read: list[int] = []
    load = yaml_pieces._load

    def counting(piece: bytes) -> Any:
        read.append(piece.count(b"\n  - id:"))
        return load(piece)

    monkeypatch.setattr(yaml_pieces, "_load", counting)
    assert [item["id"] for item in concepts] == [f"concept-{i}" for i in range(25)]
    assert read == [9, 9, 4]  # ten, ten and five entries, each but the first after a line break
    fast, slow = both_ways(tmp_path, monkeypatch)
    assert fast == slow


def test_a_piece_that_reads_otherwise_than_its_cut_sends_the_file_to_the_exact_reading(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"deck.yaml": _QUOTED_ITEM, "key.yaml": _QUOTED_KEY})
    document = yaml_reader.read_yaml(tmp_path / "deck.yaml", "deck.yaml", fast=True)
    with pytest.raises(yaml_pieces.ReadAgain):
        list(document.data["concepts"])
    assert yaml_reader.read_yaml(tmp_path / "key.yaml", "key.yaml", fast=True).exact
    (deck,) = load_decks([tmp_path / "deck.yaml"], tmp_path)
    assert deck.concepts[0].description["en"] == "Moving a large model's knowledge - into a small one."


scalars = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(
        ["yes", "no", "1.5", "1_000", "0o17", "~", "null", "2024-01-01", ".inf", "-", "*a", "& b"]
    ),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_edit_of_a_valid_source_reads_the_same_both_ways(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, data: st.DataObject
) -> None:
    source: Any = yaml.safe_load(VALID_SOURCE)
    concept = source["concepts"][0]
    key = data.draw(st.sampled_from(["name", "description"]))
    concept[key][data.draw(st.sampled_from(["ja", "en"]))] = data.draw(scalars)
    style = data.draw(st.sampled_from([None, '"', "'", "|"]))
    project = tmp_path_factory.mktemp("edit")
    text = yaml.safe_dump(source, allow_unicode=True, default_style=style, sort_keys=False)
    write_tree(project, {"source/deck.yaml": text})
    fast, slow = both_ways(project, monkeypatch)
    assert fast == slow


#: Texts and lines that look like the places where a source is cut into pieces.
_CUT_LIKE = [
    "\n  - x",
    "\n- x",
    "\nconcepts: x",
    "\nquestions:\n  - id: y",
    "# not a comment",
    "a\n\n  b",
    "'",
    '"',
    "\r  - x",
    "\rconcepts: x",
]
_LINES = [
    "",
    "# a comment",
    "  # an indented comment",
    "# a comment\r  - id: x",
    "  - ",
    "- ",
    "concepts:",
    "questions: []",
    "  -",
    " x: y",
    "{x: y}",
    "!!str x: y",
    "\tx: y",
    "x: |",
    "  - |",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_layout_of_a_source_reads_the_same_in_pieces_and_whole(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, data: st.DataObject
) -> None:
    source: Any = yaml.safe_load(VALID_SOURCE)
    source["concepts"].extend(yaml.safe_load(source_text(3))["concepts"])
    concept = data.draw(st.sampled_from(source["concepts"]))
    language = data.draw(st.sampled_from(["ja", "en"]))
    concept["description"][language] += data.draw(st.sampled_from(_CUT_LIKE))
    text = yaml.safe_dump(
        source,
        allow_unicode=True,
        sort_keys=False,
        default_style=data.draw(st.sampled_from([None, '"', "'"])),
        indent=data.draw(st.sampled_from([2, 4])),
        width=data.draw(st.sampled_from([20, 80])),  # a narrow width folds texts over several lines
    )
    lines = text.split("\n")
    at = data.draw(st.integers(0, len(lines)))
    lines.insert(at, data.draw(st.sampled_from(_LINES)))
    project = tmp_path_factory.mktemp("layout")
    write_tree(project, {"source/deck.yaml": "\n".join(lines)})
    monkeypatch.setattr(yaml_pieces, "BATCH", data.draw(st.sampled_from([1, 2, 200])))
    fast, slow = both_ways(project, monkeypatch)
    assert fast == slow


def genanki_rows(prepared: export.Prepared, database: Path) -> None:
    """The same package written the way genanki writes it, note by note (the floor we measure against)."""
    spec = prepared.spec

    class TimedNote(genanki.Note):  # type: ignore[misc]
        def __init__(self, mod: int, **kwargs: object) -> None:
            super().__init__(**kwargs)
            self.mod = mod

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, ids: Any) -> None:
            super().write_to_db(cursor, self.mod, deck_id, ids)

    from flashcards import identity

    deck = genanki.Deck(identity.deck_id(spec.notes.deck.id, spec.notes.language), spec.deck_name)
    for note, guid, mod in zip(spec.notes.notes, prepared.guids, spec.note_mods, strict=True):
        deck.add_note(
            TimedNote(
                mod,
                model=prepared.models[note.kind.name],
                fields=list(note.fields),
                guid=guid,
                tags=list(note.tags),
            )
        )
    connection = sqlite3.connect(database)
    cursor = connection.cursor()
    genanki.Package(deck).write_to_db(cursor, spec.timestamp, itertools.count(spec.first_id))
    connection.commit()
    connection.close()


def table(database: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        return list(connection.execute(sql))
    finally:
        connection.close()


def test_notes_and_cards_are_written_as_genanki_writes_them(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"source/bench.yaml": source_text(30), "source/ml.yaml": BUNDLED_SOURCE.read_text("utf-8")}
    )
    plans, _ = build.plan([tmp_path / "source"], tmp_path / "dist", tmp_path)
    packages = [p for d in plans for p in d.packages]
    assert len(packages) == 4
    for package in packages:
        ours, theirs = tmp_path / "ours.anki2", tmp_path / "theirs.anki2"
        assert package.prepared is not None
        export.write_collection(package.prepared, ours)
        genanki_rows(package.prepared, theirs)
        for sql in (
            "SELECT id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data FROM notes ORDER BY id",
            "SELECT * FROM cards ORDER BY id",
        ):
            assert table(ours, sql) == table(theirs, sql)
        assert package.cards == len(table(ours, "SELECT id FROM cards"))
        ours.unlink()
        theirs.unlink()


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      en: Concept 2718\n",
            "      fr: Concept 2718\n",
            "bench.yaml:{name}:7: concepts[2718].name.en: the 'en' text is missing\n"
            "bench.yaml:{new}:7: concepts[2718].name.fr: 'fr' is not a language of this deck "
            "(deck.languages: ja, en)\n",
        ),
        (
            "  - id: concept-2718\n",
            "  - id: concept-2717\n",
            "bench.yaml:{new}:9: concepts[2718].id: duplicate concept id 'concept-2717' "
            "(first used on line {other})\n",
        ),
        (
            "      en: Concept 2718\n",
            "      en: 'Concept 2718\n",
            "bench.yaml:{end}:1: YAML syntax error: found unexpected end of stream "
            "(scanning a quoted scalar that starts on line {new}, column 11)\n",
        ),
    ],
    ids=["a wrong language", "a duplicate id", "an unclosed quote"],
)
def test_a_mistake_deep_in_a_large_source_is_reported_with_its_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    text = source_text(3000)
    assert text.count(old) == 1
    broken = text.replace(old, new)
    write_tree(tmp_path, {"source/bench.yaml": broken})
    lines = {
        "new": _line_of(text, old),
        "name": _line_of(text, old) - 1,
        "other": _line_of(broken, "  - id: concept-2717\n"),
        "end": broken.count("\n") + 1,
    }
    assert min(lines.values()) > 60_000  # deep in the file, many batches of entries after the first
    result = run_cli(["build"], tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == expected.replace("bench.yaml:", "source/bench.yaml:").format(**lines)
    assert not (tmp_path / "dist").exists()


def test_both_yaml_readers_read_the_new_keys_alike(extras: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = extras / "source" / "extras.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("tags: [activation]", "tags: [activation, 2024]")
    )
    fast = load_decks([source], extras)
    with monkeypatch.context() as patch:
        patch.setattr(yaml_pieces, "yaml_rs", None)
        exact = load_decks([source], extras)
    assert fast == exact
    (deck,) = fast
    assert [type(card).__name__ for card in deck.cards] == ["ClozeCard", "BasicCard", "BasicCard"]
    assert deck.cards[0].tags == ("activation", "2024")
    assert [getattr(card, "reverse", None) for card in deck.cards] == [None, True, False]
