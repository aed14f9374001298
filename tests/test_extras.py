"""Beyond the table: images and sounds, cards of the learner's own (basic, reversed, cloze), tags and topics.

Every test builds with the CLI and imports into a fresh collection with the real Anki backend.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from anki.collection import Collection
from hypothesis import given
from hypothesis import strategies as st

from flashcards import yaml_pieces
from flashcards.parser import load_decks, to_anki_cloze
from flashcards.schema import source_schema

from helpers import (
    REPO,
    answer_cards,
    import_package,
    png,
    rendered_cards,
    review_log,
    rows,
    run_cli,
    visible_text,
    write_tree,
)
from preview_page import page_cards

SOURCE = """\
deck:
  id: extras
  languages: [ja, en]
  name:
    ja: おまけ
    en: Extras
concepts:
  - id: distillation
    name:
      ja: 蒸留
      en: Distillation
    description:
      ja: 大きなモデルの知識を小さなモデルに移すこと。![図](media/teacher.png)
      en: Moving a large model's knowledge into a small one. ![diagram](media/teacher.png)
    tags: [ml, compression]
    topic:
      ja: 圧縮
      en: Compression
questions:
  - id: smaller-model
    question:
      ja: モデルを小さくしたい。どの手法?
      en: You need a smaller model. Which technique?
    answer: distillation
    explanation:
      ja: 蒸留を用いる。
      en: Use distillation.
cards:
  - id: softmax
    cloze:
      ja: ソフトマックスは[[ロジット]]を[[確率::何?]]に変える。
      en: Softmax turns [[logits]] into [[probabilities::what?]].
    extra:
      ja: 分類の最終層。
      en: The last layer of a classifier.
    tags: [activation]
  - id: relu
    front:
      ja: ReLU の式は? [sound](media/relu.mp3)
      en: The formula of ReLU? [sound](media/relu.mp3)
    back:
      ja: max(0, x) ![](teacher.png)
      en: max(0, x)
    reverse: true
    topic:
      ja: 活性化::基本
      en: Activations::Basics
  - id: sigmoid
    front:
      ja: シグモイドの値域は?
      en: The range of the sigmoid?
    back:
      ja: (0, 1)
      en: (0, 1)
"""


def packaged(data: bytes, suffix: str) -> str:
    return f"fc-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"


RED, GREEN = png((255, 0, 0)), png((0, 255, 0))
SOUND = b"ID3\x03\x00\x00\x00\x00\x00\x00not really a song"


@pytest.fixture
def extras(tmp_path: Path) -> Path:
    project = write_tree(tmp_path / "project", {"source/extras.yaml": SOURCE})
    (project / "source" / "media").mkdir()
    # Two different files with the same name: they must never collide in the collection.
    (project / "source" / "media" / "teacher.png").write_bytes(RED)
    (project / "source" / "teacher.png").write_bytes(GREEN)
    (project / "source" / "media" / "relu.mp3").write_bytes(SOUND)
    return project


def build(project: Path, monkeypatch: pytest.MonkeyPatch, epoch: int = 1_700_000_000) -> list[str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    return result.stderr.splitlines()


def test_media_are_packaged_under_names_from_their_content_and_reach_the_collection(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    package = extras / "dist" / "extras.ja.apkg"
    with zipfile.ZipFile(package) as archive:
        assert archive.namelist() == ["collection.anki2", "media", "0", "1", "2"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    import_package(collection, package)

    red, green, sound = packaged(RED, ".png"), packaged(GREEN, ".png"), packaged(SOUND, ".mp3")
    media_dir = Path(collection.media.dir())
    assert (media_dir / red).read_bytes() == RED
    assert (media_dir / green).read_bytes() == GREEN
    assert (media_dir / sound).read_bytes() == SOUND

    (description,) = rendered_cards(collection, "card:NameToDescription")
    assert f'<img src="{red}" alt="図">' in description.answer_html
    (front,) = rendered_cards(collection, "card:FrontToBack relu")
    assert f'<img src="{green}" alt="">' in front.answer_html
    (note_id,) = collection.find_notes("relu")
    assert f"[sound:{sound}]" in collection.get_note(note_id)["Front"]
    assert "[anki:play:q:0]" in front.question_html


def test_the_english_package_holds_only_the_media_its_notes_use(
    extras: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    with zipfile.ZipFile(extras / "dist" / "extras.en.apkg") as archive:
        names = sorted(archive.read("media").decode().split('"')[3::4])
    assert names == sorted([packaged(RED, ".png"), packaged(SOUND, ".mp3")])


def test_builds_with_media_are_byte_identical(extras: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(extras, monkeypatch)
    first = (extras / "dist" / "extras.ja.apkg").read_bytes()
    build(extras, monkeypatch)
    assert (extras / "dist" / "extras.ja.apkg").read_bytes() == first


def test_a_changed_image_updates_the_notes_that_show_it(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    import_package(collection, extras / "dist" / "extras.ja.apkg")
    (extras / "source" / "media" / "teacher.png").write_bytes(png((0, 0, 255)))
    build(extras, monkeypatch, 1_700_000_100)
    summary = import_package(collection, extras / "dist" / "extras.ja.apkg")
    assert (summary.new, summary.updated) == (0, 1)
    (card,) = rendered_cards(collection, "card:NameToDescription")
    assert packaged(png((0, 0, 255)), ".png") in card.answer_html
    assert (Path(collection.media.dir()) / packaged(png((0, 0, 255)), ".png")).exists()


def test_a_cloze_gives_one_card_per_deletion(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    import_package(collection, extras / "dist" / "extras.en.apkg")
    cards = rendered_cards(collection, '"note:extras · cloze · en"')
    assert [c.template for c in cards] == ["Cloze", "Cloze"]
    assert [c.question for c in cards] == [
        "Softmax turns [...] into probabilities.",
        "Softmax turns logits into [what?].",
    ]
    assert cards[0].answer.splitlines() == [
        "Softmax turns logits into probabilities.",
        "More",
        "The last layer of a classifier.",
    ]


def test_an_edited_cloze_updates_in_place_and_keeps_its_history(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    package = extras / "dist" / "extras.en.apkg"
    import_package(collection, package)
    cloze_cards = sorted(collection.find_cards('"note:extras · cloze · en"'))
    answer_cards(collection, cloze_cards)
    history = review_log(collection)
    schedule = rows(collection, "SELECT id, nid, ord, type, queue, due, ivl, reps FROM cards ORDER BY id")

    source = extras / "source" / "extras.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Softmax turns [[logits]]", "The softmax function turns [[logits]]"))
    build(extras, monkeypatch, 1_700_000_100)
    summary = import_package(collection, package)

    assert (summary.new, summary.updated, summary.conflicting) == (0, 1, 0)
    assert review_log(collection) == history
    assert (
        rows(collection, "SELECT id, nid, ord, type, queue, due, ivl, reps FROM cards ORDER BY id")
        == schedule
    )
    questions = [c.question for c in rendered_cards(collection, '"note:extras · cloze · en"')]
    assert questions[0] == "The softmax function turns [...] into probabilities."


def test_basic_cards_with_and_without_the_reverse(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    import_package(collection, extras / "dist" / "extras.en.apkg")
    relu = rendered_cards(collection, "relu")
    assert [c.template for c in relu] == ["FrontToBack", "BackToFront"]
    assert relu[1].question == "max(0, x)"
    assert relu[1].answer.splitlines()[-1] == "The formula of ReLU? [anki:play:a:0]"
    sigmoid = rendered_cards(collection, "sigmoid")
    assert [(c.template, c.question, c.answer.splitlines()[-1]) for c in sigmoid] == [
        ("FrontToBack", "The range of the sigmoid?", "(0, 1)")
    ]


def test_tags_and_topics_are_as_written(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    import_package(collection, extras / "dist" / "extras.ja.apkg")
    tags = [sorted(collection.get_note(nid).tags) for nid in collection.find_notes("")]
    assert sorted(tags) == sorted(
        [
            ["compression", "flashcards::concept", "ml"],
            ["flashcards::question"],
            ["activation", "flashcards::card::cloze"],
            ["flashcards::card::reverse"],
            ["flashcards::card::basic"],
        ]
    )
    decks = {(c.template, c.deck) for c in rendered_cards(collection)}
    assert decks == {
        ("NameToDescription", "おまけ::圧縮"),
        ("DescriptionToName", "おまけ::圧縮"),
        ("QuestionToAnswer", "おまけ"),
        ("Cloze", "おまけ"),
        ("FrontToBack", "おまけ::活性化::基本"),
        ("BackToFront", "おまけ::活性化::基本"),
        ("FrontToBack", "おまけ"),
    }
    assert collection.decks.by_name("おまけ::活性化") is not None


def test_a_changed_topic_is_recorded_and_warned_about_and_moves_no_card(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    lock = extras / "source" / "extras.lock.yaml"
    assert "  en concept distillation: {hash: " in lock.read_text(encoding="utf-8")
    assert "topic: 'Compression'}" in lock.read_text(encoding="utf-8")
    import_package(collection, extras / "dist" / "extras.en.apkg")

    source = extras / "source" / "extras.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("en: Compression", "en: Model compression"))
    stderr = build(extras, monkeypatch, 1_700_000_100)
    assert stderr == [
        "source/extras.yaml:18:11: concepts[0].topic.en: warning: the topic changed since the last build: "
        "Anki never moves cards, so the cards already imported stay in 'Extras::Compression' and only new "
        "cards of this note go to 'Extras::Model compression' (move the old ones in Anki's browser with "
        "Change Deck)"
    ]
    assert "topic: 'Model compression'}" in lock.read_text(encoding="utf-8")
    assert build(extras, monkeypatch, 1_700_000_200) == []  # said once

    summary = import_package(collection, extras / "dist" / "extras.en.apkg")
    assert (summary.new, summary.updated) == (0, 0)
    assert {c.deck for c in rendered_cards(collection, "card:NameToDescription")} == {"Extras::Compression"}


def test_kind_tags_change_no_existing_note(project: Path) -> None:
    """The tags saying what a note is are not content: notes built before they existed stay unchanged."""
    lock = REPO / "source" / "ml-techniques.lock.yaml"
    (project / "source" / lock.name).write_bytes(lock.read_bytes())
    result = run_cli(["build", "--dry-run"], project)
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if "since the last build" in line] == [
        "  since the last build: 26 unchanged",
        "  since the last build: 26 unchanged",
    ]


def test_the_bundled_deck_is_unchanged_by_the_new_kinds(project: Path) -> None:
    """A deck without free-form cards gets no note type for them."""
    run_cli(["build"], project)
    lock = (project / "source" / "ml-techniques.lock.yaml").read_text(encoding="utf-8")
    assert " basic" not in lock
    assert " cloze" not in lock


ERRORS = """\
deck:
  id: bad
  languages: [ja, en]
  name:
    ja: 悪い
    en: Bad
cards:
  - id: missing
    front:
      ja: 図 ![図](nowhere.png)
      en: picture
    back: {ja: 答え, en: answer}
  - id: bmp
    front: {ja: "![x](pic.bmp)", en: x}
    back: {ja: 答え2, en: answer2}
  - id: outside
    front: {ja: y, en: "![x](../../outside.png)"}
    back: {ja: 答え3, en: answer3}
  - id: no-deletion
    cloze: {ja: 削除なし, en: "[[one]]"}
  - id: unclosed
    cloze: {ja: "[[一]]", en: "[[open"}
  - id: mismatch
    cloze: {ja: "[[一]]と[[二]]", en: "[[one]] only"}
  - id: both
    cloze: {ja: "[[a]]", en: "[[a]]"}
    front: {ja: b, en: b}
  - id: tagged
    front: {ja: c, en: c}
    back: {ja: d, en: d}
    tags: [two words, "flashcards::mine", ok]
    topic: {ja: "a::", en: b}
  - id: empty-cloze
    cloze: {ja: "[[ ]]", en: "{{c0::x}}"}
  - id: sound
    front: {ja: "[sound](pic.bmp)", en: "![x](https://example.com/a.png)"}
    back: {ja: e, en: e}
"""


def test_bad_media_and_bad_cards_are_reported_with_their_line(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "project", {"source/bad.yaml": ERRORS})
    (project / "source" / "pic.bmp").write_bytes(b"BM")
    (tmp_path / "outside.png").write_bytes(RED)
    result = run_cli(["build"], project)
    assert result.exit_code == 1
    assert not (project / "dist").exists()
    assert result.stderr.splitlines() == [
        "source/bad.yaml:10:11: cards[0].front.ja: image file 'nowhere.png' not found "
        "(looked for source/nowhere.png)",
        "source/bad.yaml:14:17: cards[1].front.ja: 'pic.bmp' is not a supported image type "
        "(use .png, .jpg, .jpeg, .gif, .webp, .svg)",
        "source/bad.yaml:17:24: cards[2].front.en: '../../outside.png' is outside the project folder "
        "project: keep media files inside it",
        "source/bad.yaml:20:17: cards[3].cloze.ja: a cloze needs at least one deletion: "
        "write [[answer]] around the words to hide",
        "source/bad.yaml:22:30: cards[4].cloze.en: a '[[' or ']]' is not closed: a deletion is written [[answer]]",
        "source/bad.yaml:24:36: cards[5].cloze.en: the 'en' text asks c1 and the 'ja' text c1, c2: "
        "every language needs the same deletions",
        "source/bad.yaml:25:5: cards[6]: a card has either 'front' and 'back', or 'cloze', not both",
        "source/bad.yaml:31:12: cards[7].tags[0]: a tag has no spaces: write 'two-words' instead of 'two words'",
        "source/bad.yaml:31:23: cards[7].tags[1]: tags starting with 'flashcards::' are given by flashcards "
        "itself; choose another tag",
        "source/bad.yaml:32:17: cards[7].topic.ja: a topic has text on both sides of every '::'",
        "source/bad.yaml:34:17: cards[8].cloze.ja: a deletion is empty: write the answer between the brackets, "
        "as in [[answer]]",
        "source/bad.yaml:34:30: cards[8].cloze.en: deletions are numbered from 1: write {{c1::…}}",
        "source/bad.yaml:36:17: cards[9].front.ja: 'pic.bmp' is not a supported sound type "
        "(use .mp3, .ogg, .oga, .opus, .wav, .m4a, .flac)",
        "source/bad.yaml:36:41: cards[9].front.en: 'https://example.com/a.png' is not a file in the project: "
        "save the image beside the source and write its path, Anki cannot fetch it",
    ]


def test_anki_cloze_syntax_is_accepted_and_numbered_before_the_friendly_one(
    tmp_path: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = SOURCE.split("cards:\n", maxsplit=1)[0] + (
        "cards:\n"
        "  - id: mixed\n"
        "    cloze:\n"
        "      ja: '{{c2::東京}}は[[日本]]の首都'\n"
        "      en: '{{c2::Tokyo}} is the capital of [[Japan]]'\n"
    )
    project = write_tree(tmp_path / "project", {"source/extras.yaml": source})
    (project / "source" / "media").mkdir()
    (project / "source" / "media" / "teacher.png").write_bytes(RED)
    build(project, monkeypatch)
    import_package(collection, project / "dist" / "extras.en.apkg")
    cards = rendered_cards(collection, '"note:extras · cloze · en"')
    assert [c.question for c in cards] == [
        "[...] is the capital of Japan",
        "Tokyo is the capital of [...]",
    ]
    (note_id,) = collection.find_notes('"note:extras · cloze · en"')
    assert collection.get_note(note_id)["Text"] == "{{c2::Tokyo}} is the capital of {{c3::Japan}}"


def test_the_preview_shows_the_media_and_a_card_per_deletion_as_anki_does(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_cli(["preview"], extras)
    assert result.exit_code == 0, result.stderr
    out = extras / "dist" / "preview"
    red, green, sound = packaged(RED, ".png"), packaged(GREEN, ".png"), packaged(SOUND, ".mp3")
    assert (out / red).read_bytes() == RED
    assert (out / green).read_bytes() == GREEN
    assert (out / sound).read_bytes() == SOUND
    cards = page_cards(out / "index.html")

    build(extras, monkeypatch)
    import_package(collection, extras / "dist" / "extras.en.apkg")
    cloze_type = "extras · cloze · en"
    in_anki = [(c.question, c.answer) for c in rendered_cards(collection, f'"note:{cloze_type}"')]
    in_preview = [(visible_text(c.front), visible_text(c.back)) for c in cards if c.note_type == cloze_type]
    assert in_preview == in_anki
    assert len(in_preview) == 2

    (description,) = [
        c for c in cards if c.template == "NameToDescription" and "extras · concept · en" in c.note_type
    ]
    assert f'<img src="{red}" alt="diagram">' in description.back
    (relu,) = [
        c for c in cards if c.template == "FrontToBack" and "basic · en" in c.note_type and "ReLU" in c.front
    ]
    assert f'<audio controls preload="none" src="{sound}"></audio>' in relu.front


def test_a_removed_card_stays_as_a_tombstone_without_losing_its_history(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    package = extras / "dist" / "extras.en.apkg"
    import_package(collection, package)
    answer_cards(collection, sorted(collection.find_cards("card:Cloze or relu")))
    history = review_log(collection)
    cards = collection.card_count()

    source = extras / "source" / "extras.yaml"
    text = source.read_text(encoding="utf-8")
    start, end = text.index("  - id: softmax"), text.index("  - id: sigmoid")
    source.write_text(text[:start] + text[end:], encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    result = run_cli(["build"], extras)
    assert result.exit_code == 0, result.stderr
    assert "  since the last build: 3 unchanged, 2 removed" in result.stdout.splitlines()

    summary = import_package(collection, package)
    assert (summary.new, summary.updated, summary.conflicting) == (0, 2, 0)
    assert review_log(collection) == history
    removed = collection.find_notes("tag:flashcards::removed")
    assert len(removed) == 2
    assert collection.card_count() == cards  # no card deleted, none added
    assert sorted(collection.get_note(nid).fields[0] for nid in removed) == [
        "[removed] relu",
        "[removed] softmax",
    ]


def test_lint_warns_about_untranslated_card_text(tmp_path: Path) -> None:
    without_media = re.sub(r" ?!\[[^\]]*\]\([^)]*\)", "", SOURCE.split("cards:\n", maxsplit=1)[0])
    source = without_media + (
        "cards:\n"
        "  - id: copied\n"
        "    front: {ja: What is a tensor?, en: What is a tensor?}\n"
        "    back: {ja: 多次元配列, en: A multi-dimensional array}\n"
    )
    project = write_tree(tmp_path / "project", {"source/extras.yaml": source})
    result = run_cli(["check"], project)
    assert result.exit_code == 0, result.stderr
    assert "cards[0].front.en: warning: the 'en' text is the same as the 'ja' text: is it translated?" in (
        result.stdout + result.stderr
    )


def test_a_source_with_every_new_key_follows_the_json_schema() -> None:
    jsonschema.validate(yaml.safe_load(SOURCE), source_schema())


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


@pytest.mark.parametrize(
    "card",
    [
        {"id": "both", "front": {"en": "a"}, "back": {"en": "b"}, "cloze": {"en": "[[c]]"}},
        {"id": "front-only", "front": {"en": "a"}},
    ],
)
def test_the_json_schema_asks_for_front_and_back_or_cloze(card: dict[str, object]) -> None:
    source = {"deck": {"id": "d", "languages": ["en"], "name": {"en": "D"}}, "cards": [card]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(source, source_schema())


MORE_ERRORS = """\
deck:
  id: bad
  languages: [en]
  name:
    en: Bad
cards:
  - id: one
    front: {en: Same front}
  - id: one
    front: {en: Same front}
    back: {en: b}
  - id: three
    cloze: {en: "[[a]]"}
    reverse: true
  - just text
  - id: five
    front: {en: f}
    back: {en: g}
    reverse: sometimes
    topic:
      en: |
        Two
        lines
"""


def test_more_card_mistakes_are_reported_with_their_line(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "project", {"source/bad.yaml": MORE_ERRORS})
    result = run_cli(["check"], project)
    assert result.exit_code == 1
    assert result.stdout.splitlines() + result.stderr.splitlines() == [
        "source/bad.yaml:7:5: cards[0]: required key 'back' is missing (or write 'cloze' for a cloze card)",
        "source/bad.yaml:9:9: cards[1].id: duplicate card id 'one' (first used on line 7)",
        "source/bad.yaml:10:17: cards[1].front.en: two cards have the same text 'Same front' (the other is on line 8)",
        "source/bad.yaml:14:14: cards[2].reverse: 'reverse' is for front and back cards; a cloze asks one card "
        "per deletion",
        "source/bad.yaml:15:5: cards[3]: expected keys and values ('key: value' lines), found text",
        "source/bad.yaml:19:14: cards[4].reverse: expected true or false, found text",
        "source/bad.yaml:21:11: cards[4].topic.en: a topic is one line: it is the name of a subdeck",
    ]


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


def test_a_deletion_added_at_the_end_adds_one_card_and_keeps_the_others(
    extras: Path, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(extras, monkeypatch)
    package = extras / "dist" / "extras.en.apkg"
    import_package(collection, package)
    answer_cards(collection, sorted(collection.find_cards("card:Cloze")))
    history = review_log(collection)
    before = rows(collection, "SELECT id, ord, reps FROM cards WHERE ord < 2 ORDER BY id")

    source = extras / "source" / "extras.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("[[probabilities::what?]].", "[[probabilities::what?]] that sum to [[one]]."),
        encoding="utf-8",
    )
    assert run_cli(["build"], extras).exit_code == 1  # the ja text must ask the same deletions
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "[[確率::何?]]に変える。", "[[確率::何?]]に変える。和は[[1]]。"
        ),
        encoding="utf-8",
    )
    build(extras, monkeypatch, 1_700_000_100)
    summary = import_package(collection, package)
    assert (summary.new, summary.updated) == (0, 1)
    assert review_log(collection) == history
    assert rows(collection, "SELECT id, ord, reps FROM cards WHERE ord < 2 ORDER BY id") == before
    cards = rendered_cards(collection, '"note:extras · cloze · en"')
    assert [c.question for c in cards][2] == "Softmax turns logits into probabilities that sum to [...]."
