"""Anki's own text to speech on chosen sides of chosen card types: read back through Anki's backend
(``card.question_av_tags()``), never a sound file in the package; a mistake in the option is an error at
its line."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

from anki.collection import Collection
from anki.sound import TTSTag

from helpers import VALID_SOURCE, import_package, rendered_cards, run_cli, write_tree
from preview_page import page_cards

SPEECH = """\
  speech:
    read:
      NameToDescription: [front, back]
      QuestionToAnswer: [front]
    voices: {en: en_GB}
"""


def with_speech(speech: str = SPEECH) -> str:
    source = VALID_SOURCE.replace("      ja: 蒸留\n", "      ja: 蒸留[じょうりゅう]\n", 1)
    return source.replace("    en: Tiny deck\n", "    en: Tiny deck\n" + speech, 1)


def build(tmp_path: Path, text: str) -> Path:
    write_tree(tmp_path, {"source/deck.yaml": text})
    result = run_cli(["build"], tmp_path)
    assert result.exit_code == 0, result.stderr
    return tmp_path / "dist"


def test_chosen_sides_are_read_aloud_in_each_language_s_voice(tmp_path: Path, collection: Collection) -> None:
    dist = build(tmp_path, with_speech())
    for language in ("ja", "en"):
        import_package(collection, dist / f"tiny.{language}.apkg")
    said = {}
    for card_id in collection.find_cards("card:NameToDescription or card:QuestionToAnswer"):
        card = collection.get_card(card_id)
        key = (card.template()["name"], card.note().note_type()["name"].rsplit(" · ", 1)[-1])  # type: ignore[index]
        said[key] = (
            [(t.lang, t.field_text.strip()) for t in card.question_av_tags() if isinstance(t, TTSTag)],
            [(t.lang, t.field_text.strip()) for t in card.answer_av_tags() if isinstance(t, TTSTag)],
        )
    # A reading is read as its kana; a back reads what its front did not.
    assert said["NameToDescription", "ja"] == (
        [("ja_JP", "じょうりゅう")],
        [("ja_JP", "大きなモデルの知識を小さなモデルに移すこと。")],
    )
    assert said["NameToDescription", "en"] == (
        [("en_GB", "Distillation")],
        [("en_GB", "Moving a large model's knowledge into a small one.")],
    )
    question, answer = said["QuestionToAnswer", "en"]
    assert question[0] == ("en_GB", "You need a smaller model. Which technique?")
    assert answer == []  # the back was not chosen
    # The card shows Anki's play button where the tag is; nothing was made at build time.
    (card_id,) = collection.find_cards('"card:NameToDescription" "deck:Tiny deck"')
    assert '<div class="fc-tts">[anki:play:q:0]</div>' in collection.get_card(card_id).question()
    with zipfile.ZipFile(dist / "tiny.en.apkg") as package:
        assert json.loads(package.read("media")) == {}


def test_speech_makes_no_card_and_removes_none(tmp_path: Path, collection: Collection) -> None:
    every_side = "  speech:\n    read:\n" + "".join(
        f"      {name}: [front, back]\n"
        for name in ("NameToDescription", "DescriptionToName", "ExampleToName", "QuestionToAnswer")
    )
    plain = build(tmp_path / "plain", with_speech(""))
    spoken = build(tmp_path / "spoken", with_speech(every_side))
    counts = []
    for dist in (plain, spoken):
        col = Collection(str(dist.parent / "collection.anki2"))
        try:
            import_package(col, dist / "tiny.ja.apkg")
            counts.append(Counter(card.template for card in rendered_cards(col)))
        finally:
            col.close()
    assert counts[0] == counts[1]


def test_the_preview_has_a_button_that_reads_aloud(tmp_path: Path) -> None:
    write_tree(tmp_path, {"source/deck.yaml": with_speech()})
    assert run_cli(["preview"], tmp_path).exit_code == 0
    (card,) = [
        c
        for c in page_cards(tmp_path / "dist" / "preview" / "index.html")
        if c.template == "NameToDescription" and c.note_type.endswith(" ja")
    ]
    assert (
        '<div class="fc-tts"><button type="button" class="pv-speak" data-lang="ja-JP" '
        'title="Anki reads this aloud (ja_JP)">🔊<span hidden>じょうりゅう</span></button></div>'
    ) in card.front


def test_a_mistake_in_the_speech_option_is_reported_at_its_line(tmp_path: Path) -> None:
    speech = """\
  speech:
    read:
      NameToDescriptoin: [front]
      QuestionToAnswer: [top]
    voices: {ja: japanese, fr: fr_FR}
"""
    write_tree(tmp_path, {"source/deck.yaml": with_speech(speech)})
    result = run_cli(["check"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "source/deck.yaml:9:26: deck.speech.read.NameToDescriptoin: no card type is called 'NameToDescriptoin'; "
        "did you mean 'NameToDescription'?",
        "source/deck.yaml:10:25: deck.speech.read.QuestionToAnswer: expected a list of sides: [front], [back] "
        "or [front, back]",
        "source/deck.yaml:11:18: deck.speech.voices.ja: 'japanese' is not a voice such as ja_JP or en_GB "
        "(language_REGION)",
        "source/deck.yaml:11:32: deck.speech.voices.fr: 'fr' is not a language of this deck (ja, en)",
    ]
