"""No source can put active markup on a card; any input gives a build or findings, never a traceback."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from anki.collection import Collection
from anki.sound import SoundOrVideoTag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.check import check
from flashcards.errors import SourceError
from flashcards.markup import inline_html

from helpers import VALID_SOURCE, import_package, rendered_cards, run_cli, visible_text, write_tree

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=javascript:alert(1)></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<b onmouseover=alert(1)>bold</b>",
    "<ruby onclick=alert(1)>漢<rt>かん</rt></ruby>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<scr<script>ipt>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<math><mtext></mtext><mglyph><svg><mtext><style><img src onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<<b>>broken <i>markup",
    "{{FrontSide}} {{#Name}}x{{/Name}}",
    '"><img src=x onerror=alert(1)>',
    "<style>body{display:none}</style>",
    "<form action=javascript:alert(1)><button>go</button></form>",
]

ALLOWED_TAGS = {
    "div",
    "hr",
    "ul",
    "li",
    "p",
    "br",
    "strong",
    "em",
    "code",
    "a",
    "ruby",
    "rt",
    "rp",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "mark",
    "rb",  # a ruby's base, as Anki's furigana filter writes it
    "pre",  # a code block
    "span",  # a highlighted token of a code block (its class only)
}


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def active_markup(html: str) -> list[str]:
    """Whatever in ``html`` (after the note type's leading <style>) could run or restyle the page."""
    body = html.split("</style>", 1)[1] if html.startswith("<style>") else html
    parser = _Markup()
    parser.feed(body)
    found = []
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src"}:
                found.append(f"{tag} {name}")
            if name == "href" and not (value or "").startswith(("https:", "http:", "mailto:")):
                found.append(f"{tag} href={value}")
    return found


def source_with(payload: str) -> str:
    """The small valid source with ``payload`` in every kind of text a card shows."""
    data = yaml.safe_load(VALID_SOURCE)
    concept = data["concepts"][0]
    concept["description"]["en"] = f"Description {payload}"
    concept["features"] = [{"ja": f"特徴 {payload}", "en": f"Feature {payload}"}]
    concept["example"] = {"ja": f"例 {payload}", "en": f"Example {payload}"}
    data["questions"][0]["explanation"]["en"] = f"Explanation {payload}"
    data["questions"][0]["question"]["en"] = f"Question {payload}?"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("payload", XSS)
def test_no_source_puts_active_markup_on_a_card(tmp_path: Path, collection: Collection, payload: str) -> None:
    write_tree(tmp_path, {"source/deck.yaml": source_with(payload)})
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    import_package(collection, tmp_path / "dist" / "tiny.en.apkg")
    cards = rendered_cards(collection)
    assert len(cards) == 6
    for card in cards:
        assert active_markup(card.question_html) == []
        assert active_markup(card.answer_html) == []
    shown = "\n".join(card.answer for card in cards)
    for word in ("Description", "Feature", "Example", "Explanation", "Question"):
        assert word in shown


@pytest.mark.parametrize(
    ("payload", "visible"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ('<img src=x onerror="alert(1)">', '<img src=x onerror="alert(1)">'),
        ("[click](javascript:alert(1))", "[click](javascript:alert(1))"),
        ("<b onmouseover=alert(1)>bold</b>", "<b onmouseover=alert(1)>bold</b>"),
        ("&lt;script&gt;", "<script>"),
        ("<<b>>broken <i>markup", "<>broken markup"),
        ("**bold** $5 <ruby>漢<rt>かん</rt></ruby>", "bold $5 漢かん"),
    ],
)
def test_markup_that_is_not_allowed_stays_visible_as_text(payload: str, visible: str) -> None:
    from helpers import visible_text

    assert visible_text(inline_html(payload)) == visible


# --- any input: a build or findings ----------------------------------------------------------------

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def outcome(project: Path) -> str:
    """Run the checks a build runs; anything but a result or a SourceError fails the test."""
    try:
        result = check([project / "source"], project)
    except SourceError as error:  # raised only for problems outside a source (none here)
        return "error: " + "; ".join(error.messages())
    for problem in (*result.errors, *result.warnings):
        # A warning has the line of its entry; an error the line and column of its value, or neither when
        # it is about the whole file.
        if problem.line is None:
            assert problem.column is None
            assert problem.message == "the file is empty; a deck needs a 'deck:' section"
        else:
            assert problem.line >= 1
            assert problem.column is None or problem.column >= 1
        assert problem.message
    return "errors" if result.errors else "ok"


@SETTINGS
@given(text=st.text(max_size=400))
def test_arbitrary_text_gives_findings_not_a_traceback(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    project = tmp_path_factory.mktemp("text")
    write_tree(project, {"source/deck.yaml": ""})
    (project / "source" / "deck.yaml").write_text(text, encoding="utf-8")
    assert outcome(project) in ("ok", "errors")


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers(), st.booleans()), children, max_size=4),
    ),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_paths(value, (*prefix, i)))
    return out


@SETTINGS
@given(data=st.data())
def test_any_yaml_document_near_a_valid_one_builds_or_gives_findings(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    source = yaml.safe_load(VALID_SOURCE)
    paths = _paths(source)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(paths))
        replacement = data.draw(values)
        if not path:
            source = replacement
            break
        parent = source
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = copy.deepcopy(replacement)
        paths = _paths(source)
    project = tmp_path_factory.mktemp("yaml")
    write_tree(project, {"source/deck.yaml": yaml.safe_dump(source, allow_unicode=True)})
    if outcome(project) == "ok":
        result = run_cli(["build"], project)
        assert result.exit_code == 0, result.stderr
        assert sorted(p.suffix for p in (project / "dist").iterdir()) == [".apkg", ".apkg"]


# --- media and Anki's own tags ---------------------------------------------------------------------

WEB_IMAGES = [
    "![a[b]c](https://evil.example/t.png)",
    "![a](<https://evil.example/t.png>)",
    "![a](https://evil.example/t.png 'title')",
    "![a](//evil.example/t.png)",
    "![a\nb](https://evil.example/t.png)",
    "![[x]](HTTPS://evil.example/t.png)",
]


@pytest.mark.parametrize("payload", WEB_IMAGES)
def test_no_web_image_reaches_a_card_or_the_preview(tmp_path: Path, payload: str) -> None:
    assert "src" not in inline_html(payload)
    write_tree(tmp_path, {"source/deck.yaml": source_with(payload)})
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 7  # every text that holds it
    assert all("is not a file in the project: save the image beside the source" in line for line in lines)
    assert lines[0].startswith("source/deck.yaml:16:9: concepts[0].description.en: '")
    assert run_cli(["preview"], tmp_path).exit_code == 1
    assert not (tmp_path / "dist").exists()


def test_images_and_sounds_are_found_as_markdown_reads_them(tmp_path: Path, collection: Collection) -> None:
    text = "small one. ![a[b]c](pic.png) [sound](<my word.mp3>)"
    write_tree(tmp_path, {"source/deck.yaml": VALID_SOURCE.replace("small one.", text)})
    (tmp_path / "source" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "source" / "my word.mp3").write_bytes(b"ID3 a sound")
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    import_package(collection, tmp_path / "dist" / "tiny.en.apkg")
    (card,) = [collection.get_card(i) for i in collection.find_cards("card:NameToDescription")]
    # Every '[' but a reading's is written '&#91;', so that Anki's furigana filter leaves the alt text be.
    assert re.search(r'<img src="fc-[0-9a-f]{16}\.png" alt="a&#91;b\]c"> \[anki:play:a:0\]', card.answer())
    (sound,) = card.answer_av_tags()
    assert isinstance(sound, SoundOrVideoTag)
    assert re.fullmatch(r"fc-[0-9a-f]{16}\.mp3", sound.filename)


def test_a_path_with_a_space_is_reported_with_how_to_write_it(tmp_path: Path) -> None:
    text = "small one. ![a map](my map.png) [sound](my word.mp3)"
    write_tree(tmp_path, {"source/deck.yaml": VALID_SOURCE.replace("small one.", text)})
    result = run_cli(["build"], tmp_path)
    assert result.stderr.splitlines() == [
        "source/deck.yaml:14:11: concepts[0].description.en: '![a map](my map.png)' is not read as an image: "
        "a path with a space is written between < and >, as in ![a map](<my map.png>)",
        "source/deck.yaml:14:11: concepts[0].description.en: '[sound](my word.mp3)' is not read as a sound: "
        "a path with a space is written between < and >, as in [sound](<my word.mp3>)",
    ]


ANKI_TAGS = [
    ("[sound:../../../etc/passwd]", "[sound:../../../etc/passwd]"),
    ("[sound:fc-0123456789abcdef.mp3]", "[sound:fc-0123456789abcdef.mp3]"),
    ("&#91;sound:x.mp3]", "[sound:x.mp3]"),
    ("[SOUND:x.mp3]", "[SOUND:x.mp3]"),
    ("[anki:tts lang=en_US]hello[/anki:tts]", "[anki:tts lang=en_US]hello[/anki:tts]"),
    ("[link](https://example.com/[sound:x.mp3])", "link"),
    ("{{FrontSide}} {{c1::x}} {{#Name}}y{{/Name}}", "{{FrontSide}} {{c1::x}} {{#Name}}y{{/Name}}"),
]


@pytest.mark.parametrize(("payload", "visible"), ANKI_TAGS)
def test_anki_tags_typed_in_a_text_are_shown_as_text_and_play_nothing(
    tmp_path: Path, collection: Collection, payload: str, visible: str
) -> None:
    write_tree(tmp_path, {"source/deck.yaml": source_with(payload)})
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    import_package(collection, tmp_path / "dist" / "tiny.en.apkg")
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        assert card.question_av_tags() == []
        assert card.answer_av_tags() == []
    (description,) = rendered_cards(collection, "card:NameToDescription")
    assert description.answer.splitlines()[-1] == f"Description {visible}"


def test_a_checked_sound_is_the_only_play_tag(tmp_path: Path, collection: Collection) -> None:
    write_tree(tmp_path, {"source/deck.yaml": source_with("[sound](word.mp3) [sound:word.mp3]")})
    (tmp_path / "source" / "word.mp3").write_bytes(b"ID3 a sound")
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    import_package(collection, tmp_path / "dist" / "tiny.en.apkg")
    (card,) = [collection.get_card(i) for i in collection.find_cards("card:NameToDescription")]
    (tag,) = card.answer_av_tags()
    assert isinstance(tag, SoundOrVideoTag)
    assert re.fullmatch(r"fc-[0-9a-f]{16}\.mp3", tag.filename)
    assert visible_text(card.answer()).endswith("Description [anki:play:a:0] [sound:word.mp3]")


MARKDOWN_BITS = st.sampled_from(
    [
        "![",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "sound",
        "anki",
        ":",
        "https://evil.example/t.png",
        "x.png",
        " ",
        "\n",
        "&#91;",
        "\\",
        "`",
        "*",
        "fc-0123456789abcdef.png",
        "fc-0123456789abcdef.mp3",
        '"',
        "'",
        "a",
    ]
)


@SETTINGS
@given(text=st.lists(MARKDOWN_BITS, max_size=30).map("".join))
def test_no_text_renders_a_remote_image_or_an_anki_tag_of_its_own(text: str) -> None:
    html = inline_html(text)
    for source in re.findall(r'src="([^"]*)"', html):
        assert re.fullmatch(r"fc-[0-9a-f]{16}\.png", source)
    for tag in re.findall(r"\[(?:sound|anki):[^\]]*\]?", html, flags=re.IGNORECASE):
        assert re.fullmatch(r"\[sound:fc-[0-9a-f]{16}\.mp3\]", tag), html
