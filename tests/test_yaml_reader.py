"""The YAML reader gives exactly what PyYAML reads, every scalar as its text, whatever the file's shape, and
says where every value and key starts."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.errors import SourceError
from flashcards.source.yaml_reader import Document, KeyPath, Position, read_yaml

from helpers import BUNDLED_SOURCE, REPO, VALID_SOURCE, run_cli, write_tree

sys.path.insert(0, str(REPO / "bench"))
from generate import source_text

_NULLS = ("", "~", "null", "Null", "NULL")
_NULL = "tag:yaml.org,2002:null"


def as_pyyaml_reads(text: str) -> Any:
    """What PyYAML's parser reads, every scalar as its text (tags aside) but YAML's plain nulls: what a
    source says."""

    def value(node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            keys = [value(key) for key, _ in node.value]
            if len(set(keys)) < len(keys) or any(
                k == "<<" and not n.style for (n, _), k in zip(node.value, keys, strict=True)
            ):
                raise yaml.YAMLError("a duplicate or merge key, which a source may not have")
            return dict(zip(keys, (value(item) for _, item in node.value), strict=True))
        if isinstance(node, yaml.SequenceNode):
            return [value(item) for item in node.value]
        assert isinstance(node, yaml.ScalarNode)
        return None if not node.style and node.value in _NULLS and node.tag == _NULL else node.value

    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None
    return value(root)


def plain(value: Any) -> Any:
    """The document's values with every list and mapping (a top-level one is read as it is iterated) as a
    list and a dict."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, str) or value is None:
        return value
    return [plain(item) for item in value]


def read(tmp_path: Path, text: str, batch: int = 200, *, mappings: bool = False) -> Document:
    path = tmp_path / "deck.yaml"
    path.write_bytes(text.encode("utf-8"))
    return read_yaml(path, "deck.yaml", batch=batch, mappings_in_batches=mappings)


def positions(text: str) -> tuple[dict[KeyPath, Position], dict[KeyPath, Position]]:
    """Where PyYAML's parser says every value and every key starts, by key path."""
    values: dict[KeyPath, Position] = {}
    keys: dict[KeyPath, Position] = {}

    def walk(node: yaml.Node, path: KeyPath) -> None:
        values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, item in node.value:
                keys[(*path, key.value)] = Position(key.start_mark.line + 1, key.start_mark.column + 1)
                walk(item, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None
    walk(root, ())
    return values, keys


def assert_reads_as_pyyaml(tmp_path: Path, text: str) -> None:
    expected = as_pyyaml_reads(text)
    values, keys = positions(text)
    for batch, mappings in ((1, False), (2, True), (200, False), (200, True)):
        document = read(tmp_path, text, batch, mappings=mappings)
        assert plain(document.data) == expected
        assert {path: document.position(path) for path in values} == values
        assert {path: document.key_position(path) for path in keys} == keys


_QUOTED_ITEM = VALID_SOURCE.replace(
    "en: Moving a large model's knowledge into a small one.",
    'en: "Moving a large model\'s knowledge\n  - into a small one."',
)
_QUOTED_KEY = VALID_SOURCE.replace("    en: Tiny deck\n", '    en: "Tiny\nconcepts: deck"\n')
_THREE = VALID_SOURCE.replace("concepts:\n", "concepts:\n" + source_text(3).split("concepts:\n")[1])

#: Sources in the shapes people write them.
SHAPES = {
    "the bundled deck": BUNDLED_SOURCE.read_text(encoding="utf-8"),
    "a generated deck": source_text(7),
    "flow lists and mappings": VALID_SOURCE.replace(
        "  name:\n    ja: 小さなデッキ\n    en: Tiny deck", "  name: {ja: 小さなデッキ, en: 'Tiny deck'}"
    )
    + "cards: []\n",
    "block texts": VALID_SOURCE.replace(
        "      en: Use distillation.\n",
        "      en: |\n        Use distillation:\n\n          - a teacher\n        - a student\n",
    ).replace("      ja: 蒸留を用いる。\n", "      ja: >-\n        蒸留を\n        用いる。\n"),
    "a kept block text at the end": VALID_SOURCE.replace(
        "      en: Use distillation.\n", "      en: |+\n        Use.\n\n\n"
    ),
    "quoted texts over several lines": VALID_SOURCE.replace(
        "      en: Distillation\n", '      en: "Distil-\n        lation"\n'
    ).replace("      en: Use distillation.\n", "      en: 'Use\n\n        it''s distillation.'\n"),
    "a quoted text with a line like a list item": _QUOTED_ITEM,
    "a quoted text with a line like a top-level key": _QUOTED_KEY,
    "Windows line ends": _THREE.replace("\n", "\r\n"),
    "old Mac line ends": VALID_SOURCE.replace("\n", "\r"),
    "tabs in texts": VALID_SOURCE.replace("en: Use distillation.", 'en: "Use\tit."').replace(
        "en: Distillation", "en: Distil\tlation"
    ),
    "comments between entries": _THREE.replace(
        "  - id: concept-1\n", "# the second\n\n  # indented\n  - id: concept-1\n"
    ).replace("questions:\n", "# the questions\nquestions: # below\n\n# first\n"),
    "a byte-order mark": "\ufeff" + VALID_SOURCE,
    "a document start and end": "---\n" + VALID_SOURCE + "...\n",
    "lists at column 0": _THREE.replace("\n  - ", "\n- ")
    .replace("\n    ", "\n  ")
    .replace("\n  ja: 小さなデッキ\n  en: Tiny deck", "\n    ja: 小さなデッキ\n    en: Tiny deck"),
    "an item's keys on the line after its dash": _THREE.replace(
        "  - id: concept-1\n", "  -\n    id: concept-1\n"
    ),
    "numbers, booleans, dates and nulls, as text": VALID_SOURCE.replace(
        "  id: tiny\n",
        "  id: tiny\n  options: True\n  dollar-math: false\n  version: 1.10\n  since: 2024-01-01\n",
    ).replace("en: Use distillation.", "en: 0x1F")
    + "cards:\n  - id: 007\n    front: {en: +1, ja: 1_000}\n    back: {en: ~, ja: null}\n    reverse: yes\n",
    "keys that YAML 1.2 reads as numbers or booleans": VALID_SOURCE.replace(
        "  id: tiny\n", "  id: tiny\n  extra: {1: one, false: no, 2024-01-01: day}\n"
    ).replace("  - id: distillation\n", "  - id: distillation\n    7: seven\n    nested: {8: {9: nine}}\n"),
    "tags and quoted keys": VALID_SOURCE.replace("questions:", '"questions":').replace(
        "en: Use distillation.", "en: !!str 2024"
    ),
    "a quoted merge key": VALID_SOURCE.replace("  id: tiny\n", '  id: tiny\n  "<<": text\n'),
    "an anchor that no alias uses": VALID_SOURCE.replace("en: Use distillation.", "en: &a Use distillation."),
    "a flow mapping at column 0": "{deck: {id: tiny, languages: [ja, en], name: {ja: 小さなデッキ, en: Tiny deck}}}\n",
    "a tagged mapping at column 0": "!!map\n" + VALID_SOURCE,
    "an empty block text at the end of a piece": VALID_SOURCE.replace(
        "    en: Tiny deck\n", "    en: Tiny deck\n  description: |\n"
    ),
    "no line break at the end": VALID_SOURCE.rstrip("\n"),
    "an empty item at the end": VALID_SOURCE + "  -",
    "a key and its list on one line": VALID_SOURCE.replace("questions:\n  - ", "questions:\n  -\n    "),
    "a mapping of one-line entries": "version: 1\nnotes:\n"
    + "".join(
        f"  ja concept c{n}: {{hash: '{n:016x}', mod: {1700000000 + n}, removed: true}}\n" for n in range(7)
    )
    + "items:\n  # a comment\n  c1 pros 1: {}\n\n  c1 pros 2:\n    en: 'x'\n  'c1 pros 3': {en: \"y\n  z: w\"}\n",
    "a line separator in a text": VALID_SOURCE.replace(
        "en: Use distillation.", 'en: "Use\u2028distillation."'
    ),
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_a_source_reads_as_pyyaml_reads_it_as_text(tmp_path: Path, text: str) -> None:
    assert_reads_as_pyyaml(tmp_path, text)


def test_every_scalar_is_its_text(tmp_path: Path) -> None:
    document = read(tmp_path, SHAPES["numbers, booleans, dates and nulls, as text"])
    assert document.data["deck"]["options"] == "True"
    assert document.data["deck"]["version"] == "1.10"
    assert document.data["deck"]["since"] == "2024-01-01"
    (card,) = document.data["cards"]
    assert card == {
        "id": "007",
        "front": {"en": "+1", "ja": "1_000"},
        "back": {"en": None, "ja": None},
        "reverse": "yes",
    }


def test_a_top_level_list_is_a_sequence_of_its_items(tmp_path: Path) -> None:
    text = source_text(25)
    expected = as_pyyaml_reads(text)["concepts"]
    concepts = read(tmp_path, text, batch=10).data["concepts"]
    assert len(concepts) == 25
    assert [concepts[i] for i in (24, 0, 13, -1)] == [expected[i] for i in (24, 0, 13, -1)]
    assert list(concepts) == list(concepts) == expected
    assert concepts[3:5] == expected[3:5]
    with pytest.raises(IndexError):
        concepts[25]


REFUSED = {
    "an alias": (
        VALID_SOURCE.replace("en: Tiny deck", "en: &name Tiny deck").replace("en: Distillation", "en: *name"),
        ["deck.yaml:11:11: YAML aliases (*name) are not supported; write the text out"],
    ),
    "a merge key": (
        VALID_SOURCE.replace("  - id: smaller-model\n", "  - <<: {id: x}\n    id: smaller-model\n"),
        ["deck.yaml:16:5: questions[0]: YAML merge keys (<<) are not supported; write the keys out"],
    ),
    "a key twice": (
        VALID_SOURCE.replace("    answer: distillation\n", "    answer: distillation\n    answer: other\n"),
        ["deck.yaml:21:5: questions[0].answer: duplicate key 'answer' (first given on line 20)"],
    ),
    "a line twice, far apart": (
        "notes:\n" + "".join(f"  n{n}: {{hash: x}}\n" for n in range(5)) + "  n1: {hash: y}\n",
        ["deck.yaml:7:3: notes.n1: duplicate key 'n1' (first given on line 3)"],
    ),
    "a section twice": (
        VALID_SOURCE + "concepts:\n  - id: other\n",
        ["deck.yaml:24:1: concepts: duplicate key 'concepts' (first given on line 7)"],
    ),
    "a second document": (
        VALID_SOURCE + "---\n" + VALID_SOURCE,
        ["deck.yaml:24:1: one file holds one deck: remove the '---'"],
    ),
    "a control character": (
        VALID_SOURCE.replace("en: Use distillation.", "en: Use \x08distillation."),
        ["deck.yaml:23:15: the text has a control character (U+0008) that YAML does not allow; remove it"],
    ),
    "a key that is not a name": (
        VALID_SOURCE.replace("  id: tiny\n", "  id: tiny\n  [a]: b\n"),
        ["deck.yaml:3:3: deck: a key must be a plain name"],
    ),
    "an unclosed quote": (
        VALID_SOURCE.replace("en: Use distillation.", "en: 'Use distillation."),
        [
            "deck.yaml:24:1: YAML syntax error: found unexpected end of stream "
            "(scanning a quoted scalar that starts on line 23, column 11)"
        ],
    ),
    "comments alone": (
        "# a deck\n\n# to come\n",
        ["deck.yaml: the file is empty; a deck needs a 'deck:' section"],
    ),
    "nothing": ("\n  \n", ["deck.yaml: the file is empty; a deck needs a 'deck:' section"]),
}


@pytest.mark.parametrize(("text", "expected"), REFUSED.values(), ids=REFUSED.keys())
def test_what_a_source_may_not_hold_is_reported_with_its_position(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    for batch, mappings in ((1, True), (200, False)):
        with pytest.raises(SourceError) as error:
            plain(read(tmp_path, text, batch, mappings=mappings).data)
        assert error.value.messages() == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (VALID_SOURCE.encode("utf-16"), "deck.yaml:1:1: the file is not UTF-8 text; save it as UTF-8"),
        (
            VALID_SOURCE.replace("蒸留を", "\udcff").encode("utf-8", "surrogateescape"),
            "deck.yaml:22:11: the file is not UTF-8 text; save it as UTF-8",
        ),
    ],
    ids=["UTF-16", "a byte that is not UTF-8"],
)
def test_a_file_that_is_not_utf8_is_refused_with_its_position(
    tmp_path: Path, raw: bytes, expected: str
) -> None:
    path = tmp_path / "deck.yaml"
    path.write_bytes(raw)
    with pytest.raises(SourceError) as error:
        plain(read_yaml(path, "deck.yaml").data)
    assert error.value.messages() == [expected]


def test_a_position_of_a_missing_value_is_its_nearest_parent(tmp_path: Path) -> None:
    document = read(tmp_path, VALID_SOURCE)
    assert document.position(("concepts", 0, "example", "en")) == Position(8, 5)
    assert document.position(("concepts", 5)) == Position(8, 3)
    assert document.key_position(("concepts", 0, "name")) == Position(9, 5)
    assert document.position(("concepts", 0, "name")) == Position(10, 7)
    assert document.problem(("deck", "name", "fr"), "no French", of_key=True).format() == (
        "deck.yaml:4:3: deck.name.fr: no French"
    )


scalars = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(
        [
            "yes",
            "no",
            "1.5",
            "1_000",
            "0o17",
            "~",
            "null",
            "2024-01-01",
            ".inf",
            "-",
            "*a",
            "& b",
            "-0",
            "+1",
            "True",
        ]
    ),
)


def same_reading(tmp_path: Path, text: str, batch: int, *, mappings: bool = False) -> None:
    """The reader gives what PyYAML gives, and says where each value and key is, or refuses what PyYAML
    refuses."""
    try:
        expected = as_pyyaml_reads(text)
    except yaml.YAMLError:
        with pytest.raises(SourceError):
            plain(read(tmp_path, text, batch, mappings=mappings).data)
        return
    document = read(tmp_path, text, batch, mappings=mappings)
    assert plain(document.data) == expected
    values, keys = positions(text)
    assert {path: document.position(path) for path in values} == values
    assert {path: document.key_position(path) for path in keys} == keys


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_edit_of_a_text_reads_as_pyyaml_reads_it(tmp_path: Path, data: st.DataObject) -> None:
    source: Any = yaml.safe_load(_THREE)
    concept = data.draw(st.sampled_from(source["concepts"]))
    key = data.draw(st.sampled_from(["name", "description"]))
    concept[key][data.draw(st.sampled_from(["ja", "en"]))] = data.draw(scalars)
    style = data.draw(st.sampled_from([None, '"', "'", "|"]))
    text = yaml.safe_dump(source, allow_unicode=True, default_style=style, sort_keys=False)
    same_reading(tmp_path, text, data.draw(st.sampled_from([1, 2, 200])))


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
]
_CUT_LIKE += ["\r  - x", "\rconcepts: x", "\u0085  - x", "R&D", "!", "1_000", "True"]
_LINES = ["", "# a comment", "  # an indented comment", "# a comment\r  - id: x", "  - ", "- ", "concepts:"]
_LINES += ["questions: []", "  -", " x: y", "{x: y}", "!!str x: y", "\tx: y", "x: |", "  - |", "...", "---"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_layout_of_a_source_reads_as_pyyaml_reads_it(tmp_path: Path, data: st.DataObject) -> None:
    source: Any = yaml.safe_load(_THREE)
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
    lines.insert(data.draw(st.integers(0, len(lines))), data.draw(st.sampled_from(_LINES)))
    same_reading(
        tmp_path, "\n".join(lines), data.draw(st.sampled_from([1, 2, 200])), mappings=data.draw(st.booleans())
    )


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


def test_a_value_yaml_would_read_as_a_number_or_a_boolean_is_checked_as_its_text(extras: Path) -> None:
    from flashcards.source.validate import load_decks

    source = extras / "source" / "extras.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("tags: [activation]", "tags: [activation, 2024]")
    )
    (deck,) = load_decks([source], extras)
    assert [type(card).__name__ for card in deck.cards] == ["ClozeCard", "BasicCard", "BasicCard"]
    assert deck.cards[0].tags == ("activation", "2024")
    assert [getattr(card, "reverse", None) for card in deck.cards] == [None, True, False]


def test_a_file_changed_while_it_is_read_is_reported(tmp_path: Path) -> None:
    text = source_text(300)  # more than is read from the file at a time
    document = read(tmp_path, text, batch=10)
    concepts = iter(document.data["concepts"])
    assert next(concepts)["id"] == "concept-0"
    (tmp_path / "deck.yaml").write_text(text.replace("concept-", "topic-") + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        list(concepts)
    assert error.value.messages() == ["deck.yaml: the file changed while it was read; run again"]
