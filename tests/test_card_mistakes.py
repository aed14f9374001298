"""Mistakes in cards of the learner's own and in their media, each reported with its line; untranslated text
warned about."""

from __future__ import annotations

import re
from pathlib import Path

from extras_project import RED, SOURCE
from helpers import run_cli, write_tree

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
        "source/bad.yaml:19:14: cards[4].reverse: expected true or false, found 'sometimes'",
        "source/bad.yaml:21:11: cards[4].topic.en: a topic is one line: it is the name of a subdeck",
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
