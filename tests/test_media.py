"""Images and sounds: packaged under names from their content, into the collection and the preview.

Every test builds with the CLI and imports into a fresh collection with the real Anki backend.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection

from extras_project import GREEN, RED, SOUND, build, packaged
from helpers import import_package, png, rendered_cards, run_cli, visible_text
from preview_page import page_cards


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
