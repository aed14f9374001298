"""Cards that teach, read as Anki renders them: one item per card both ways, no answer on a front, questions
that show their options, and the deck's subject, kind of concept and note on answers where they belong."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from anki.collection import Collection

from helpers import (
    BUNDLED_SOURCE,
    RenderedCard,
    import_package,
    rendered_cards,
    run_cli,
    visible_text,
    write_tree,
)

#: A second deck on another subject: its examples inflect their names ("Bag", "Gradient-boosted",
#: "Stack"), and a con two methods share.
ENSEMBLES = """\
deck:
  id: ensembles
  languages: [en, ja]
  name:
    en: Ensemble methods
    ja: アンサンブル学習
  kind:
    en: method
    ja: 手法
  answer-note:
    en: Any of these methods overfits when misused.
    ja: どの手法も使い方を誤ると過学習する。
concepts:
  - id: bagging
    name:
      en: Bagging
      ja: バギング
    description:
      en: Training models on bootstrap samples of the data and averaging their predictions.
      ja: データのブートストラップ標本で複数のモデルを学習し、予測を平均すること。
    pros:
      - en: Reduces variance.
        ja: 分散を減らせる。
      - en: Trains the models in parallel.
        ja: モデルを並列に学習できる。
    cons:
      - en: Needs several models at inference time.
        ja: 推論時に複数のモデルが必要になる。
    example:
      en: Bag a hundred decision trees into a random forest.
      ja: 100本の決定木をバギングしてランダムフォレストにする。
  - id: gradient-boosting
    name:
      en: Gradient boosting
      ja: 勾配ブースティング
    description:
      en: Adding models one at a time, each fitting the errors of the ones before.
      ja: 前のモデルの誤差を補うように、モデルを1つずつ加えること。
    pros:
      - en: Reduces bias.
        ja: バイアスを減らせる。
    cons:
      - en: Trains the models one after another.
        ja: モデルを1つずつ順に学習する。
      - en: needs several models at inference time
        ja: 推論時に複数のモデルが必要になる
    example:
      en: Gradient-boosted trees such as XGBoost win many contests on tabular data.
      ja: XGBoostのように勾配ブースティングした決定木が、表形式データのコンペで多く勝つ。
  - id: stacking
    name:
      en: Stacking
      ja: スタッキング
    description:
      en: Training a model to combine the predictions of several other models.
      ja: 複数のモデルの予測を組み合わせるモデルを学習すること。
    pros:
      - en: Combines models of different kinds.
        ja: 異なる種類のモデルを組み合わせられる。
    example:
      en: Stack a logistic regression on top of a random forest and a neural network.
      ja: ランダムフォレストとニューラルネットワークの上にロジスティック回帰をスタッキングする。
questions:
  - id: overfitting-tree
    question:
      en: A single deep decision tree overfits badly. Which method should you use?
      ja: 1本の深い決定木がひどく過学習する。どの手法を用いるべきか?
    answer: bagging
    explanation:
      en: Use bagging. Averaging many trees reduces their variance.
      ja: バギングを用いるべきです。多くの木を平均すると分散が減ります。
  - id: systematic-errors
    question:
      en: A shallow model underfits, and its errors are systematic. Which method should you use?
      ja: 浅いモデルが学習不足で、誤差に偏りがある。どの手法を用いるべきか?
    answer: gradient-boosting
    explanation:
      en: Use gradient boosting. Each new model fits the errors the ones before it left, which reduces bias.
      ja: 勾配ブースティングを用いるべきです。新しいモデルが前のモデルの誤差を補うので、バイアスが減ります。
  - id: models-that-err-differently
    question:
      en: A random forest and a neural network err on different examples. Which method combines them best?
      ja: ランダムフォレストとニューラルネットワークが別々の例で誤る。どの手法で組み合わせるべきか?
    answer: stacking
    explanation:
      en: Use stacking. A model learns how much to trust each one's predictions.
      ja: スタッキングを用いるべきです。各モデルの予測をどれだけ信じるかをモデルが学習します。
"""

LISTS = ("features", "pros", "cons")


def normalised(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip("。.")


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Collection, dict[str, dict]]]:  # type: ignore[type-arg]
    """Both decks built by the CLI and imported, in both languages, into one fresh collection."""
    root = tmp_path_factory.mktemp("teach")
    write_tree(root, {"source/ensembles.yaml": ENSEMBLES})
    (root / "source" / BUNDLED_SOURCE.name).write_text(BUNDLED_SOURCE.read_text(encoding="utf-8"), "utf-8")
    result = run_cli(["build"], root)
    assert result.exit_code == 0, result.stderr
    col = Collection(str(root / "collection.anki2"))
    for deck in ("ml-techniques", "ensembles"):
        for lang in ("ja", "en"):
            summary = import_package(col, root / "dist" / f"{deck}.{lang}.apkg")
            assert (summary.duplicate, summary.conflicting) == (0, 0)
    sources = {
        "ml-techniques": yaml.safe_load(BUNDLED_SOURCE.read_text(encoding="utf-8")),
        "ensembles": yaml.safe_load(ENSEMBLES),
    }
    try:
        yield col, sources
    finally:
        col.close()


def cards_of(col: Collection, source: dict, lang: str, template: str) -> list[RenderedCard]:  # type: ignore[type-arg]
    deck = source["deck"]["name"][lang]
    return rendered_cards(col, f'"deck:{deck}" card:{template}')


def answer_of(card: RenderedCard) -> str:
    """The answer on a card's back, as read."""
    answer = re.search(r'class="fc-answer">(.*?)</div>', card.answer_html, re.DOTALL)
    assert answer is not None, card.answer_html
    return visible_text(answer.group(1))


def front_body(card: RenderedCard) -> str:
    """The front as read, without the deck's subject line and the options of a question."""
    html = re.sub(r'<div class="fc-subject">.*?</div>', "", card.question_html)
    html = re.sub(r'<ul class="fc-options">.*?</ul>', "", html)
    return RenderedCard(card.deck, card.note_type, card.template, card.guid, html, "").question


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("deck", ["ml-techniques", "ensembles"])
def test_no_front_shows_the_answer_it_asks_for(decks: tuple[Collection, dict], deck: str, lang: str) -> None:  # type: ignore[type-arg]
    col, sources = decks
    source = sources[deck]
    names = [c["name"][lang] for c in source["concepts"]]
    checked = 0
    for template in ("DescriptionToName", "ExampleToName", "ItemToConcept", "QuestionToAnswer"):
        for card in cards_of(col, source, lang, template):
            answer = re.search(r'<div class="fc-answer">(.*?)</div>\n</div>', card.answer_html, re.DOTALL)
            assert answer is not None, card.answer_html
            front = front_body(card).casefold()
            for name in names:
                if name in RenderedCard("", "", "", "", answer.group(1), "").question:
                    assert name.casefold() not in front, (card.template, front)
            checked += 1
    assert checked > 10


def test_the_forms_of_a_name_are_masked_with_a_visible_gap(decks: tuple[Collection, dict]) -> None:  # type: ignore[type-arg]
    col, sources = decks
    examples = {
        (lang, front_body(card).split("\n")[1])
        for deck in sources.values()
        for lang in ("ja", "en")
        for card in cards_of(col, deck, lang, "ExampleToName")
    }
    assert examples == {
        ("en", "[…] VGG16, pre-trained on ImageNet, to classify food photos taken with a smartphone."),
        ("en", "[…] Word2Vec, pre-trained on Wikipedia, to a sentiment-analysis task on movie reviews."),
        ("en", "[…] the knowledge of BERT-large into the small BERT-tiny, which can run on mobile devices."),
        ("en", "[…] a hundred decision trees into a random forest."),
        ("en", "[…] trees such as XGBoost win many contests on tabular data."),
        ("en", "[…] a logistic regression on top of a random forest and a neural network."),
        (
            "ja",
            "スマートフォンで撮影した料理の画像を分類するために、ImageNetで事前学習したVGG16を［…］する。",
        ),
        ("ja", "Wikipediaで事前学習したWord2Vecを、映画レビューの感情分析タスクに［…］する。"),
        ("ja", "BERT-largeの知識を、モバイルデバイスで動作可能な小規模なBERT-tinyに［…］する。"),
        ("ja", "100本の決定木を［…］してランダムフォレストにする。"),
        ("ja", "XGBoostのように［…］した決定木が、表形式データのコンペで多く勝つ。"),
        ("ja", "ランダムフォレストとニューラルネットワークの上にロジスティック回帰を［…］する。"),
    }
    # The back shows the example whole, below the answer.
    (card,) = rendered_cards(col, 'card:ExampleToName "Name:Gradient boosting"')
    assert card.answer.split("\n")[-4:] == [
        "Method",
        "Gradient boosting",
        "Example",
        "Gradient-boosted trees such as XGBoost win many contests on tabular data.",
    ]


def test_check_lists_every_masked_front_with_its_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/ensembles.yaml": ENSEMBLES})
    result = run_cli(["check"], tmp_path)
    assert (result.exit_code, result.stdout) == (0, "no problems found\n")
    assert result.stderr.splitlines() == [
        "source/ensembles.yaml:14: concepts[0].example.en: note: ExampleToName: the front shows […] in place "
        "of 'Bagging', the answer it asks for",
        "source/ensembles.yaml:14: concepts[0].example.ja: note: ExampleToName: the front shows ［…］ in place "
        "of 'バギング', the answer it asks for",
        "source/ensembles.yaml:32: concepts[1].example.en: note: ExampleToName: the front shows […] in place "
        "of 'Gradient boosting', the answer it asks for",
        "source/ensembles.yaml:32: concepts[1].example.ja: note: ExampleToName: the front shows ［…］ in place "
        "of '勾配ブースティング', the answer it asks for",
        "source/ensembles.yaml:50: concepts[2].example.en: note: ExampleToName: the front shows […] in place "
        "of 'Stacking', the answer it asks for",
        "source/ensembles.yaml:50: concepts[2].example.ja: note: ExampleToName: the front shows ［…］ in place "
        "of 'スタッキング', the answer it asks for",
    ]
    built = run_cli(["build"], tmp_path)
    assert built.stderr == (
        "source/ensembles.yaml: 6 fronts show a gap in place of the answer each asks for "
        "('flashcards check' lists them)\n"
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("deck", ["ml-techniques", "ensembles"])
def test_every_item_is_asked_alone_both_ways(decks: tuple[Collection, dict], deck: str, lang: str) -> None:  # type: ignore[type-arg]
    col, sources = decks
    source = sources[deck]
    recalls = cards_of(col, source, lang, "ConceptToItem")
    asked = cards_of(col, source, lang, "ItemToConcept")
    for card in recalls:
        # One item hidden on the front, the same one highlighted on the back: the others are context.
        assert card.question_html.count('class="fc-gap"') == 1
        assert card.answer_html.count('class="fc-recalled"') == 1
    recalled = sorted((answer_of(c), c.question.split("\n")[2]) for c in recalls)
    items = sorted(
        (item[lang], concept["name"][lang])
        for concept in source["concepts"]
        for key in LISTS
        for item in concept.get(key, [])
    )
    assert recalled == items
    # Item → concept: each distinct item once (shared items are one card).
    holders: dict[str, list[str]] = {}
    for concept in source["concepts"]:
        for key in LISTS:
            for item in concept.get(key, []):
                holders.setdefault(normalised(item[lang]), []).append(concept["name"][lang])
    assert len(asked) == len(holders)
    # No card asks for a whole list any more.
    assert cards_of(col, source, lang, "NameToPros") == []


def test_a_shared_item_is_answered_with_every_concept_that_has_it(decks: tuple[Collection, dict]) -> None:  # type: ignore[type-arg]
    col, _ = decks
    (card,) = rendered_cards(col, 'card:ItemToConcept "Item:Needs several models*"')
    assert card.question.split("\n") == [
        "Ensemble methods",
        "Drawback",
        "Needs several models at inference time.",
        "Which method has this drawback?",
        "2 of them do: name them all.",
    ]
    assert card.answer.split("\n")[-3:] == ["Method", "Bagging", "Gradient boosting"]
    (card,) = rendered_cards(col, 'card:ItemToConcept "Item:少量のデータでも*"')
    assert card.question.split("\n")[1:] == [
        "利点",
        "少量のデータでも高い性能を発揮できる。",
        "この利点をもつ手法は？",
        "当てはまる手法は2つ。すべて答える",
    ]
    assert card.answer.split("\n")[-3:] == ["手法", "ファインチューニング", "転移学習"]


def test_every_question_shows_its_options_and_its_back_the_answer_and_the_note(
    decks: tuple[Collection, dict],  # type: ignore[type-arg]
) -> None:
    col, sources = decks
    for source in sources.values():
        for lang in ("ja", "en"):
            names = [c["name"][lang] for c in source["concepts"]]
            label = {"ja": "選択肢", "en": "Options"}[lang]
            cards = cards_of(col, source, lang, "QuestionToAnswer")
            assert len(cards) == len(source["questions"])
            for card in cards:
                front = card.question.split("\n")
                assert front[0] == source["deck"]["name"][lang]
                assert front[-len(names) - 1 :] == [label, *names]
                question = next(q for q in source["questions"] if q["question"][lang] == front[2])
                answer = next(c for c in source["concepts"] if c["id"] == question["answer"])
                assert card.answer.split("\n")[len(front) :] == [
                    {"ja": "答え", "en": "Answer"}[lang],
                    answer["name"][lang],
                    {"ja": "解説", "en": "Explanation"}[lang],
                    question["explanation"][lang],
                    source["deck"]["answer-note"][lang],
                ]


def test_fronts_say_what_they_show_and_what_they_ask(decks: tuple[Collection, dict]) -> None:  # type: ignore[type-arg]
    col, _ = decks
    (card,) = rendered_cards(col, "card:DescriptionToName Name:蒸留")
    assert card.question.split("\n") == [
        "ファインチューニング・転移学習・蒸留",
        "説明",
        "大規模な教師モデルの知識を、小規模な生徒モデルに転移すること。",
        "この説明に当てはまる手法は？",
    ]
    (card,) = rendered_cards(col, 'card:ExampleToName "Name:Knowledge distillation"')
    assert card.question.split("\n")[1] == "Example"
    assert card.question.split("\n")[-1] == "Which technique does this example illustrate?"
    (card,) = rendered_cards(col, "card:NameToDescription Name:Stacking")
    assert card.question.split("\n") == [
        "Ensemble methods",
        "Method",
        "Stacking",
        "How is this method described?",
    ]
    # Every front carries the deck's subject in small type.
    for card in rendered_cards(col, ""):
        assert '<div class="fc-subject">' in card.question_html


def test_every_back_shows_its_answer_in_the_same_style(decks: tuple[Collection, dict]) -> None:  # type: ignore[type-arg]
    col, _ = decks
    for card in rendered_cards(col, ""):
        assert card.answer_html.count('<div class="fc-answer">') == 1, card.template


def one_deck(options: str = "", question_options: str = "", concepts: int = 2) -> str:
    blocks = "".join(
        f"""\
  - id: c{i}
    name:
      en: Concept {i}
    description:
      en: The one numbered {i}.
"""
        for i in range(1, concepts + 1)
    )
    return f"""\
deck:
  id: opts
  languages: [en]
  name:
    en: Options
{options}concepts:
{blocks}questions:
  - id: q
    question:
      en: Which one comes first?
    answer: c1
    explanation:
      en: The first one.
{question_options}"""


@pytest.mark.parametrize(
    ("deck_key", "question_key", "concepts", "shown"),
    [
        ("", "", 2, True),
        ("", "", 7, True),
        ("", "", 8, False),
        ("  options: true\n", "", 8, True),
        ("  options: false\n", "", 2, False),
        ("", "    options: false\n", 2, False),
    ],
    ids=["2 concepts", "7 concepts", "8 concepts", "deck on", "deck off", "question off"],
)
def test_a_question_shows_the_options_unless_turned_off(
    tmp_path: Path, collection: Collection, deck_key: str, question_key: str, concepts: int, shown: bool
) -> None:
    write_tree(tmp_path, {"source/opts.yaml": one_deck(deck_key, question_key, concepts)})
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    import_package(collection, tmp_path / "dist" / "opts.en.apkg")
    (card,) = rendered_cards(collection, "card:QuestionToAnswer")
    options = [f"Concept {i}" for i in range(1, concepts + 1)]
    front = card.question.split("\n")
    assert front[:3] == [
        "Options",
        "Question",
        "Which one comes first?",
    ]  # the deck's name, then the question
    assert front[3:] == (["Options", *options] if shown else [])


def test_an_answer_inside_a_link_cannot_be_masked_and_is_a_warning(tmp_path: Path) -> None:
    source = ENSEMBLES.replace(
        "en: Stack a logistic regression on top of a random forest and a neural network.",
        'en: "See [how to stack models](https://example.org/stacking)."',
    )
    write_tree(tmp_path, {"source/ensembles.yaml": source})
    result = run_cli(["check", "--strict"], tmp_path)
    assert result.exit_code == 1
    assert (
        "source/ensembles.yaml:50: concepts[2].example.en: warning: ExampleToName: this text names "
        "'Stacking', the answer its card asks for, and holds a link, picture, formula or markup that a gap could break: "
        "the front shows the answer; reword the text"
    ) in result.stderr.splitlines()


def test_a_question_can_name_its_options_and_they_must_include_the_answer(
    tmp_path: Path, collection: Collection
) -> None:
    named = one_deck("", "    options: [c3, c1]\n", 8)
    write_tree(tmp_path, {"source/opts.yaml": named})
    assert run_cli(["build"], tmp_path).exit_code == 0
    import_package(collection, tmp_path / "dist" / "opts.en.apkg")
    (card,) = rendered_cards(collection, "card:QuestionToAnswer")
    assert card.question.split("\n")[3:] == ["Options", "Concept 3", "Concept 1"]

    write_tree(tmp_path, {"source/opts.yaml": one_deck("", "    options: [c3, c9]\n", 8)})
    result = run_cli(["check"], tmp_path)
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [
            "source/opts.yaml:54:14: questions[0].options: the options do not include the answer 'c1': add it",
            "source/opts.yaml:54:19: questions[0].options[1]: no concept has the id 'c9'",
        ],
    )
