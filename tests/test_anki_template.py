"""Anki's template language as the preview renders it: each case asserts the exact output."""

from __future__ import annotations

import pytest

from flashcards.anki_template import (
    AnkiTemplateError,
    RenderedCard,
    field_is_empty,
    parse,
    render,
    render_card,
    renders_with_fields,
)

FIELDS = {"Front": "<b>to eat</b>", "Back": "食べる", "Empty": "", "Blank": " <br> <div></div>\n"}


def rendered(template: str, fields: dict[str, str] | None = None, frontside: str = "") -> str:
    return render(parse(template), FIELDS if fields is None else fields, frontside)


def test_a_field_is_replaced_by_its_html_unescaped() -> None:
    assert rendered("Q: {{Front}} / {{ Back }}") == "Q: <b>to eat</b> / 食べる"


def test_a_section_shows_its_content_only_when_the_field_is_not_empty() -> None:
    assert rendered("{{#Front}}[{{Back}}]{{/Front}}{{#Empty}}never{{/Empty}}{{#Blank}}never{{/Blank}}") == (
        "[食べる]"
    )


def test_an_inverted_section_shows_its_content_only_when_the_field_is_empty() -> None:
    assert rendered("{{^Empty}}a{{/Empty}}{{^Blank}}b{{/Blank}}{{^Front}}c{{/Front}}") == "ab"


def test_nested_sections() -> None:
    template = "{{^Empty}}1{{#Front}}2{{#Back}}{{Back}}{{/Back}}{{^Back}}x{{/Back}}{{/Front}}{{/Empty}}"
    assert rendered(template) == "12食べる"


def test_front_side_on_the_back_is_the_rendered_front() -> None:
    assert rendered("{{FrontSide}}\n<hr id=answer>\n{{Back}}", frontside="<b>Q</b>") == (
        "<b>Q</b>\n<hr id=answer>\n食べる"
    )


def test_comments_pass_through_and_their_references_are_not_read() -> None:
    assert rendered("<!-- {{Nothing}} -->{{Back}}") == "<!-- {{Nothing}} -->食べる"


def test_unclosed_braces_are_text() -> None:
    assert rendered("{{Back}} {{ not a field") == "食べる {{ not a field"


def test_ruby_filters() -> None:
    fields = {"Reading": "日本[にほん]語[ご]"}
    assert rendered("{{kanji:Reading}}|{{kana:Reading}}", fields) == "日本語|にほんご"
    assert rendered("{{furigana:Reading}}", fields) == (
        "<ruby><rb>日本</rb><rt>にほん</rt></ruby><ruby><rb>語</rb><rt>ご</rt></ruby>"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{Missing}}", "'{{Missing}}' names no field of the note type"),
        ("{{text:Missing}}", "'{{text:Missing}}' names no field of the note type"),
        ("{{#Missing}}x{{/Missing}}", "'{{#Missing}}' names no field of the note type"),
        # Anki reports errors inside a section that is off too.
        ("{{#Empty}}{{Missing}}{{/Empty}}", "'{{Missing}}' names no field of the note type"),
        ("{{#Front}}x", "'{{#Front}}' is not closed: add '{{/Front}}'"),
        ("x{{/Front}}", "'{{/Front}}' closes no open section"),
        ("{{#Front}}{{/Back}}", "'{{/Back}}' closes no open section while '{{#Front}}' is open"),
        ("{{hint:Front}}", "the preview cannot apply Anki's 'hint:' filter"),
    ],
)
def test_templates_anki_refuses(template: str, message: str) -> None:
    with pytest.raises(AnkiTemplateError) as error:
        rendered(template)
    assert str(error.value) == message


@pytest.mark.parametrize("value", ["", " ", "\n\t", "<br>", "<BR/>", "<div />", " <div> <br> </div>\n"])
def test_empty_field_is_whitespace_and_br_or_div_tags(value: str) -> None:
    assert field_is_empty(value)


@pytest.mark.parametrize("value", ["x", "<div>x</div>", "<ul></ul>", "<p></p>", "\u3000", "\u00a0", "&nbsp;"])
def test_any_other_markup_or_character_is_content(value: str) -> None:
    assert not field_is_empty(value)


@pytest.mark.parametrize(
    ("template", "exists"),
    [
        ("{{Front}}", True),
        ("{{Empty}}", False),
        ("only text", False),
        ("{{#Front}}only text{{/Front}}", False),
        ("{{#Front}}{{Back}}{{/Front}}", True),
        ("{{#Empty}}{{Back}}{{/Empty}}", False),
        ("{{^Empty}}{{Back}}{{/Empty}}", True),
        ("{{^Front}}{{Back}}{{/Front}}", False),
        ("{{FrontSide}}", False),
    ],
)
def test_a_card_exists_when_its_front_uses_a_nonempty_field(template: str, exists: bool) -> None:
    nonempty = {"Front", "Back"}
    assert renders_with_fields(parse(template), nonempty) is exists


def test_render_card_gives_both_sides() -> None:
    card = render_card("{{#Front}}Q {{Front}}{{/Front}}\n", "{{FrontSide}}<hr>{{Back}}", FIELDS)
    assert card == RenderedCard("Q <b>to eat</b>\n", "Q <b>to eat</b>\n<hr>食べる")


def test_render_card_gives_no_card_for_an_empty_front() -> None:
    assert render_card("{{#Empty}}{{Front}}{{/Empty}}", "{{Back}}", FIELDS) is None


def test_special_fields_are_shown_but_do_not_make_a_card() -> None:
    specials = {"Deck": "Words", "Card": "Forward"}
    assert render_card("{{Deck}}: {{Empty}}", "{{Card}}", FIELDS, specials) is None
    assert render_card("{{Deck}}: {{Back}}", "{{Card}}", FIELDS, specials) == RenderedCard(
        "Words: 食べる", "Forward"
    )
