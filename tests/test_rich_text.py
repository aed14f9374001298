"""Formulas, code blocks and readings, as Anki renders them: each built deck is imported into a fresh
collection of Anki's backend and its cards read back (``card.question()``, ``card.answer()``), with
Anki's own ``furigana:`` filter applied by Anki. What cannot be shown as written is an error with its line.
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path
from typing import Any

import yaml
from anki.collection import Collection
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards import code_blocks, markup

from helpers import (
    REPO,
    VALID_SOURCE,
    import_package,
    rendered_cards,
    run_cli,
    visible_text,
    without_style,
    write_tree,
)
from preview_page import folded, page_cards
from test_safety import active_markup

HEADER = """\
deck:
  id: rich
  languages: [en]
  name:
    en: Rich texts
"""


def source(cards: str, *, dollar_math: bool = False) -> str:
    header = HEADER + ("  dollar-math: true\n" if dollar_math else "")
    return header + "cards:\n" + textwrap.indent(textwrap.dedent(cards), "  ")


def build(tmp_path: Path, text: str) -> Path:
    write_tree(tmp_path, {"source/rich.yaml": text})
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    return tmp_path / "dist" / "rich.en.apkg"


def card_of(collection: Collection, entry: str) -> tuple[str, str]:
    """The question and answer HTML Anki renders for the (front-to-back) card of ``entry``, without the
    note type's stylesheet."""
    (card_id,) = collection.find_cards(f'"card:FrontToBack" "Front:*{entry}*"')
    card = collection.get_card(card_id)
    return _body(card.question()), _body(card.answer())


def _body(rendered: str) -> str:
    return rendered.split("</style>", 1)[1] if "</style>" in rendered else rendered


def errors_of(tmp_path: Path, text: str) -> list[str]:
    write_tree(tmp_path, {"source/rich.yaml": text})
    result = run_cli(["check"], tmp_path)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("source/")]


# --- math ----------------------------------------------------------------------------------------


def test_formulas_reach_anki_s_mathjax_as_written(tmp_path: Path, collection: Collection) -> None:
    cards = r"""
    - id: softmax
      front: {en: 'softmax: \(\sigma(z)_i = e^{z_i} / \sum_j e^{z_j}\), with a * b * c < d'}
      back: {en: '\[ E[x] = \sum_x x \, p(x) \] and \(a_1 * b_2\)'}
    """
    import_package(collection, build(tmp_path, source(cards)))
    question, answer = card_of(collection, "softmax")
    # Markdown leaves a formula alone (no emphasis from '*' or '_', no escapes), and '<' is only escaped.
    assert r"softmax: \(\sigma(z)_i = e^{z_i} / \sum_j e^{z_j}\), with a * b * c &lt; d" in question
    # A '[' is written '&#91;' so that the furigana filter leaves it be; MathJax reads the page's text.
    assert r"\&#91; E&#91;x] = \sum_x x \, p(x) \] and \(a_1 * b_2\)" in answer
    assert r"\[ E[x] = \sum_x x \, p(x) \] and \(a_1 * b_2\)" in html.unescape(answer)


def test_a_dollar_stays_a_dollar_sign_unless_the_deck_turns_dollar_math_on(
    tmp_path: Path, collection: Collection
) -> None:
    cards = r"""
    - id: price
      front: {en: 'It costs $5, or $10 with $x$ and $$y$$.'}
      back: {en: Cheap}
    """
    import_package(collection, build(tmp_path, source(cards)))
    question, _ = card_of(collection, "costs")
    assert visible_text(question) == "It costs $5, or $10 with $x$ and $$y$$."
    assert "\\(" not in question
    assert "\\&#91;" not in question


def test_dollar_math_is_written_for_anki_s_mathjax(tmp_path: Path, collection: Collection) -> None:
    cards = r"""
    - id: loss
      front: {en: 'The loss $L = -\sum_i y_i \log p_i$ costs \$5; `echo $HOME` is code.'}
      back: {en: '$$\frac{1}{n} \sum_{i=1}^n x_i$$'}
    """
    import_package(collection, build(tmp_path, source(cards, dollar_math=True)))
    question, answer = card_of(collection, "loss")
    assert r"The loss \(L = -\sum_i y_i \log p_i\) costs $5; <code>echo $HOME</code> is code." in question
    assert r"\&#91;\frac{1}{n} \sum_{i=1}^n x_i\]" in answer


def test_an_unbalanced_delimiter_is_an_error_with_its_line(tmp_path: Path) -> None:
    cards = r"""
    - id: open-inline
      front: {en: 'softmax \(x_i'}
      back: {en: fine}
    - id: stray-closing
      front: {en: 'a \] b'}
      back: {en: fine}
    - id: in-a-block
      front:
        en: |
          First line is fine \(x\).
          The second opens \[ and never closes.
      back: {en: fine}
    - id: in-code-it-is-text
      front: {en: 'type `\(` to start a formula'}
      back: {en: fine}
    """
    assert errors_of(tmp_path, source(cards)) == [
        r"source/rich.yaml:9:17: cards[0].front.en: the formula opened with '\(' is not closed: end it with '\)'",
        r"source/rich.yaml:12:17: cards[1].front.en: '\]' closes no formula: a formula is written \[ … \]",
        # In a block of lines, the line it is on.
        r"source/rich.yaml:18:9: cards[2].front.en: the formula opened with '\[' is not closed: end it with '\]'",
    ]


def test_with_dollar_math_on_a_lone_dollar_is_an_error(tmp_path: Path) -> None:
    cards = r"""
    - id: prices
      front: {en: 'from $5 to $10'}
      back: {en: 'costs $ 3'}
    """
    assert errors_of(tmp_path, source(cards, dollar_math=True)) == [
        r"source/rich.yaml:10:17: cards[0].front.en: the formula opened with '$' is not closed: end it with '$', or write '\$' for a dollar sign",
        r"source/rich.yaml:11:16: cards[0].back.en: this '$' starts no formula (dollar math is on): write '\$' for a dollar sign",
    ]


# --- code blocks ---------------------------------------------------------------------------------


CODE_CARD = """
- id: slicing
  front: {en: 'What does this print?'}
  back:
    en: |
      It prints the first item:

      ```python
      def first(items: list[int]) -> int:
          return items[0]  # <b>not bold</b> [sound:x.mp3]
      ```

      That is all.
"""


def test_a_code_block_is_highlighted_into_classes(tmp_path: Path, collection: Collection) -> None:
    import_package(collection, build(tmp_path, source(CODE_CARD)))
    _, answer = card_of(collection, "What does this print")
    expected = (
        '<p>It prints the first item:</p><pre class="fc-code"><code>'
        '<span class="fc-hl-k">def</span><span class="fc-hl-w"> </span><span class="fc-hl-nf">first</span>'
        '<span class="fc-hl-p">(</span><span class="fc-hl-n">items</span><span class="fc-hl-p">:</span>'
        ' <span class="fc-hl-nb">list</span><span class="fc-hl-p">&#91;</span>'
    )
    assert expected in answer
    # HTML and Anki's own tags in code are code: shown as written, never acted on.
    assert '<span class="fc-hl-c1"># &lt;b&gt;not bold&lt;/b&gt; &#91;sound:x.mp3]</span>' in answer
    assert "</code></pre><p>That is all.</p>" in answer
    assert collection.get_card(collection.find_cards("")[0]).answer_av_tags() == []


def test_the_stylesheet_colours_code_in_light_and_night_mode(tmp_path: Path, collection: Collection) -> None:
    import_package(collection, build(tmp_path, source(CODE_CARD)))
    (css,) = [m["css"] for m in collection.models.all() if m["name"].startswith("rich ")]
    assert ".fc-code .fc-hl-k { color: #A90D91 }" in css
    assert ".card.nightMode .fc-code .fc-hl-k, .card.night_mode .fc-code .fc-hl-k" in css
    assert "overflow-x: auto;" in css


def test_the_stylesheet_s_code_colours_are_pygments_light_and_night_styles() -> None:
    """Every token colour of the card stylesheet is the one Pygments' chosen styles give: a token class
    the lexers use has a colour in both modes, and a hand edit or another Pygments shows here."""
    css = (REPO / "templates" / "style.css").read_text(encoding="utf-8").splitlines()
    rules = code_blocks.stylesheet().splitlines()
    assert len(rules) > 100
    assert [rule for rule in rules if rule not in css] == []


def test_a_code_block_that_cannot_be_shown_is_an_error_with_its_line(tmp_path: Path) -> None:
    cards = """
    - id: typo
      front: {en: Which language?}
      back:
        en: |
          Some prose.

          ```pyhton
          print(1)
          ```
    - id: open
      front: {en: Unclosed}
      back:
        en: |
          ```js
          let x = 1;
    """
    assert errors_of(tmp_path, source(cards)) == [
        "source/rich.yaml:14:9: cards[0].back.en: 'pyhton' is no language the highlighter knows: did you mean 'python'?",
        "source/rich.yaml:21:9: cards[1].back.en: a code block is not closed: end it with a line of ``` (or ~~~)",
    ]


# --- readings ------------------------------------------------------------------------------------


def test_a_reading_becomes_ruby_through_anki_s_furigana_filter(
    tmp_path: Path, collection: Collection
) -> None:
    text = """\
deck:
  id: rich
  languages: [ja]
  name:
    ja: 読み
cards:
  - id: reading
    front: {ja: 'この 漢字[かんじ]の読みは? list[i] と <ruby>蒸留<rt>じょうりゅう</rt></ruby>'}
    back: {ja: かんじ}
"""
    build(tmp_path, text)
    import_package(collection, tmp_path / "dist" / "rich.ja.apkg")
    (card_id,) = collection.find_cards("card:FrontToBack")
    question = _body(collection.get_card(card_id).question())
    field = collection.get_card(card_id).note()["Front"]
    assert field.startswith("この 漢字[かんじ]の読みは? list&#91;i]")  # the field keeps Anki's form
    assert "この<ruby><rb>漢字</rb><rt>かんじ</rt></ruby>の読みは?" in question
    assert "list&#91;i] と <ruby>蒸留<rt>じょうりゅう</rt></ruby>" in question


def test_a_deletion_may_hold_a_reading(tmp_path: Path, collection: Collection) -> None:
    text = """\
deck:
  id: rich
  languages: [ja]
  name:
    ja: 読み
cards:
  - id: kanji
    cloze:
      ja: 'この [[漢字[かんじ]]]は[[難しい]]。'
"""
    build(tmp_path, text)
    import_package(collection, tmp_path / "dist" / "rich.ja.apkg")
    first, second = (collection.get_card(i) for i in sorted(collection.find_cards("")))
    assert (
        'この <span class="cloze" data-cloze="漢字&#x5B;かんじ&#x5D;" data-ordinal="1">[...]</span>'
        in first.question()
    )
    assert (
        '<span class="cloze" data-ordinal="1"><ruby><rb>漢字</rb><rt>かんじ</rt></ruby></span>'
        in first.answer()
    )
    assert (
        '<span class="cloze-inactive" data-ordinal="1"><ruby><rb>漢字</rb><rt>かんじ</rt></ruby></span>'
        in (second.question())
    )


def test_a_masked_name_takes_its_reading_with_it(tmp_path: Path, collection: Collection) -> None:
    data = yaml.safe_load(VALID_SOURCE)
    data["deck"]["languages"] = ["ja"]
    data["deck"]["name"] = {"ja": "小さなデッキ"}
    concept = data["concepts"][0]
    concept["name"] = {"ja": "蒸留"}
    concept["description"] = {"ja": "蒸留[じょうりゅう]は知識を小さなモデルに移す。"}
    data["questions"][0]["question"] = {"ja": "モデルを小さくしたい。どの手法?"}
    data["questions"][0]["explanation"] = {"ja": "蒸留を用いる。"}
    build(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    import_package(collection, tmp_path / "dist" / "tiny.ja.apkg")
    cards = {c.template: c for c in rendered_cards(collection)}
    assert "［…］は知識を小さなモデルに移す。" in cards["DescriptionToName"].question_html
    assert "じょうりゅう" not in cards["DescriptionToName"].question_html  # the reading would tell the answer
    assert "<ruby><rb>蒸留</rb><rt>じょうりゅう</rt></ruby>は知識を" in cards["NameToDescription"].answer_html


def test_a_formula_is_never_cut_by_a_gap(tmp_path: Path) -> None:
    data = yaml.safe_load(VALID_SOURCE)
    data["concepts"][0]["description"]["en"] = r"Distillation trains on \(\mathrm{softmax}(z / T)\)."
    write_tree(tmp_path, {"source/deck.yaml": yaml.safe_dump(data, allow_unicode=True, sort_keys=False)})
    result = run_cli(["check"], tmp_path)
    assert (
        "source/deck.yaml:10: concepts[0].description.en: warning: DescriptionToName: this text names "
        "'Distillation', the answer its card asks for, and holds a link, picture, formula or markup that a gap "
        "could break: the front shows the answer; reword the text"
    ) in result.stderr.splitlines()


# --- nothing active reaches a card -----------------------------------------------------------------


ACTIVE = [
    r"\(<script>alert(1)</script>\)",
    r"\[ <img src=x onerror=alert(1)> \]",
    "漢字[<img src=x onerror=alert(1)>]",
    '漢字["><script>alert(1)</script>]',
]


def test_no_formula_code_block_or_reading_puts_active_markup_on_a_card(
    tmp_path: Path, collection: Collection
) -> None:
    entries = [
        {"id": f"active-{i}", "front": {"en": f"Front {i}: {payload}"}, "back": {"en": "x"}}
        for i, payload in enumerate(ACTIVE)
    ]
    code = "Code:\n\n```html\n<script>alert(1)</script><img src=x onerror=alert(1)>\n```"
    entries.append({"id": "active-code", "front": {"en": "Front code"}, "back": {"en": code}})
    text = HEADER + yaml.safe_dump({"cards": entries}, allow_unicode=True, sort_keys=False)
    import_package(collection, build(tmp_path, text))
    cards = rendered_cards(collection)
    assert len(cards) == len(ACTIVE) + 1
    for card in cards:
        assert active_markup(card.question_html) == []
        assert active_markup(card.answer_html) == []
    shown = "\n".join(visible_text(card.answer_html) for card in cards)
    assert r"Front 0: \(<script>alert(1)</script>\)" in shown
    assert "Front 2:漢字<img src=x onerror=alert(1)>" in shown  # the reading, shown above 漢字
    assert "<script>alert(1)</script><img src=x onerror=alert(1)>" in shown


# --- the README's examples -----------------------------------------------------------------------


def readme_example(heading: str) -> dict[str, Any]:
    """The first YAML example under ``heading`` in the README, read as YAML."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(heading) :]
    match = re.search(r"```yaml\n(.*?)\n```\n", section, flags=re.DOTALL)
    assert match is not None
    found: dict[str, Any] = yaml.safe_load(textwrap.dedent(match.group(1)))
    return found


def test_the_readme_s_examples_show_as_it_says(tmp_path: Path, collection: Collection) -> None:
    data = yaml.safe_load(VALID_SOURCE)
    concept = data["concepts"][0]
    concept["description"] = readme_example("### Formulas")["description"]
    concept["example"] = readme_example("### Code blocks")["example"]
    concept["example"]["ja"] = concept["example"]["en"]
    data["questions"][0]["explanation"] = readme_example("### Readings (furigana)")["description"]
    build(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    import_package(collection, tmp_path / "dist" / "tiny.ja.apkg")
    import_package(collection, tmp_path / "dist" / "tiny.en.apkg")
    shown = {
        (card.template, card.deck): card.answer_html.split("</style>", 1)[1]
        for card in rendered_cards(collection)
    }
    assert r"\(\sigma(z)_i = e^{z_i} / \sum_j e^{z_j}\)" in shown["NameToDescription", "小さなデッキ"]
    assert (
        r"\&#91; \sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}} \]" in shown["NameToDescription", "Tiny deck"]
    )
    assert (
        '<pre class="fc-code"><code><span class="fc-hl-k">def</span>' in shown["ExampleToName", "Tiny deck"]
    )
    assert (
        "<ruby><rb>教師</rb><rt>きょうし</rt></ruby>モデルの<ruby><rb>出力</rb><rt>しゅつりょく</rt></ruby>で"
        in shown["QuestionToAnswer", "小さなデッキ"]
    )


# --- any text ------------------------------------------------------------------------------------

RICH_BITS = st.sampled_from(
    [
        "\\(",
        "\\)",
        "\\[",
        "\\]",
        "$",
        "$$",
        "`",
        "```",
        "\n",
        "[",
        "]",
        "(",
        "漢字",
        "かな",
        " ",
        "x",
        "<b>",
        "\\",
        "*",
    ]
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(RICH_BITS, max_size=25).map("".join), dollars=st.booleans())
def test_every_bracket_on_a_card_is_a_reading_or_out_of_the_furigana_filter_s_way(
    text: str, dollars: bool
) -> None:
    """What the parser lets through renders so that Anki's furigana filter finds only the readings: every
    '[' left in the HTML follows a character that is neither ASCII nor a space, and a formula keeps its
    delimiters."""
    check = markup.check_text(text, dollars=dollars)
    if check.problems:
        return  # refused, with its line
    html = markup.text_html(markup.with_backslashes(text, check.formulas))
    for i, char in enumerate(html):
        if char == "[":
            assert i > 0, html
            assert not html[i - 1].isascii(), html
            assert not html[i - 1].isspace(), html
    assert html.count("\\(") >= sum(1 for f in check.formulas if not f.display)


def test_the_preview_shows_what_anki_shows(tmp_path: Path, collection: Collection) -> None:
    text = """\
deck:
  id: rich
  languages: [ja]
  name:
    ja: 読み
cards:
  - id: all-of-it
    front: {ja: 'この 漢字[かんじ]と \\(E[x]\\) と list[i] と `a[0]`'}
    back:
      ja: |
        \\[ \\sum_i x_i \\]

        ```python
        xs[0] = "[sound:x.mp3]"
        ```
"""
    build(tmp_path, text)
    import_package(collection, tmp_path / "dist" / "rich.ja.apkg")
    assert run_cli(["preview"], tmp_path).exit_code == 0
    (anki,) = rendered_cards(collection)
    (shown,) = page_cards(tmp_path / "dist" / "preview" / "index.html")
    assert folded(shown.front) == folded(without_style(anki.question_html))
    assert folded(shown.back) == folded(without_style(anki.answer_html))
    assert "<ruby><rb>漢字</rb><rt>かんじ</rt></ruby>" in shown.front
