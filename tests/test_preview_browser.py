"""The preview page in a real browser (headless Chromium): flip, move, switch language, filter, night mode,
a phone-sized screen, and Japanese drawn with a real CJK font.

Needs the system's Chromium (``apt-get install chromium fonts-noto-cjk``; ``scripts/setup-tests.sh`` installs them when
run as root). Without it these tests fail, unless FLASHCARDS_SKIP_BROWSER=1 says to skip them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, expect, sync_playwright

from helpers import copy_project, png, run_cli, visible_text
from preview_page import page_cards

CHROMIUM = Path(os.environ.get("FLASHCARDS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Screenshots are copied here too, to look at after a run.
SHOTS = Path("/tmp/preview-shots")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if os.environ.get("FLASHCARDS_SKIP_BROWSER") == "1":
        pytest.skip("FLASHCARDS_SKIP_BROWSER=1")
    if not CHROMIUM.is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install it (apt-get install chromium fonts-noto-cjk), point "
            "FLASHCARDS_CHROMIUM at one, or set FLASHCARDS_SKIP_BROWSER=1 to skip the browser tests",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("site"))
    result = run_cli(["preview"], project)
    assert result.exit_code == 0, result.stderr
    return project / "dist" / "preview" / "index.html"


def open_page(browser: Browser, site: Path, viewport: dict[str, int]) -> Page:
    page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: errors.append(f"request to {request.url}") if not _local(request.url) else None,
    )
    page.goto(site.as_uri())
    expect(page.locator("#pv-count")).not_to_be_empty()
    expect(card_face(page, 0).locator(".fc")).to_be_visible()
    page.set_default_timeout(5000)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def _local(url: str) -> bool:
    return url.startswith(("file:", "about:", "data:"))


def card_face(page: Page, index: int) -> FrameLocator:
    """The frame of the index-th visible card."""
    return page.locator(".pv-card:visible").nth(index).frame_locator("iframe")


def face_text(page: Page, index: int) -> str:
    return visible_text(card_face(page, index).locator("#qa").inner_html())


def shoot(page: Page, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / name)


def test_flip_move_switch_language_and_filter(browser: Browser, site: Path, tmp_path: Path) -> None:
    page = open_page(browser, site, DESKTOP)
    # Japanese first: the Japanese deck only, every card counted.
    expect(page.locator("#pv-count")).to_have_text("49 cards")
    expect(page.locator(".pv-deck:visible h2")).to_have_text("ファインチューニング・転移学習・蒸留 49 cards")
    assert page.locator(".pv-card:visible").count() == 49
    assert (
        face_text(page, 0)
        == "ファインチューニング・転移学習・蒸留\n手法\nファインチューニング\nこの手法の説明は？"
    )

    # A click shows the back (the front, the rule, the answer); Space on the card shows the front again.
    first = page.locator(".pv-card:visible").first
    first.click()
    expect(first.locator(".pv-side-label")).to_have_text("Back")
    expect(card_face(page, 0).locator(".fc-back")).to_contain_text("事前学習済みモデルのパラメータ")
    assert face_text(page, 0).startswith(
        "ファインチューニング・転移学習・蒸留\n手法\nファインチューニング\nこの手法の説明は？\n説明\n事前学習済みモデルのパラメータを"
    )
    first.focus()
    page.keyboard.press(" ")
    expect(first.locator(".pv-side-label")).to_have_text("Front")
    expect(card_face(page, 0).locator(".fc-back")).to_have_count(0)
    # Arrow keys move between cards; Enter flips the card that has the focus.
    page.keyboard.press("ArrowRight")
    second = page.locator(".pv-card:visible").nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("Enter")
    expect(second.locator(".pv-side-label")).to_have_text("Back")
    expect(card_face(page, 1).locator(".fc-back")).to_contain_text("関連するタスクに活用する")
    shoot(page, tmp_path, "desktop-ja.png")

    # English: the English deck only.
    page.locator(".pv-lang[data-lang=en]").click()
    expect(page.locator(".pv-lang[data-lang=en]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".pv-deck:visible h2")).to_have_text(
        "Fine-tuning, Transfer Learning and Distillation 49 cards"
    )
    expect(page.locator("#pv-count")).to_have_text("49 cards")
    expect(card_face(page, 0).locator(".fc")).to_be_visible()
    assert face_text(page, 0) == (
        "Fine-tuning, Transfer Learning and Distillation\nTechnique\nFine-tuning\nWhat is this technique?"
    )

    # The filter keeps the cards whose text has the words, and the counts follow.
    english = [c for c in page_cards(site) if c.note_type.endswith(" en")]
    expected = [c for c in english if "bert-tiny" in visible_text(f"{c.front} {c.back}").lower()]
    assert 0 < len(expected) < 49
    page.locator("#pv-filter").fill("BERT-tiny")
    expect(page.locator("#pv-count")).to_have_text(f"{len(expected)} of 49 cards")
    assert page.locator(".pv-card:visible").count() == len(expected)
    questions = len([c for c in expected if c.template == "QuestionToAnswer"])
    expect(page.locator(".pv-notetype:visible .pv-group-count").last).to_have_text(f"{questions} of 5 cards")
    shown = page.locator(".pv-card:visible").evaluate_all(
        "(cards) => cards.map((c) => c.dataset.guid + ' ' + c.dataset.template)"
    )
    assert sorted(shown) == sorted(f"{c.guid} {c.template}" for c in expected)
    page.locator("#pv-filter").fill("no such words anywhere")
    expect(page.locator("#pv-count")).to_have_text("0 of 49 cards")
    expect(page.locator("#pv-nothing")).to_be_visible()
    page.locator("#pv-filter").fill("")
    expect(page.locator("#pv-count")).to_have_text("49 cards")
    assert page.errors == []  # type: ignore[attr-defined]


def test_cards_sit_in_anki_s_page_and_night_mode_sets_anki_s_classes(browser: Browser, site: Path) -> None:
    page = open_page(browser, site, DESKTOP)
    face = card_face(page, 0)
    assert face.locator("body").get_attribute("class") == "card card1"
    expect(face.locator("body > #qa > .fc")).to_have_count(1)
    assert _style(face, "body", "backgroundColor") == "rgb(255, 255, 255)"
    # The card's stylesheet stays in its frame: the page's own body keeps its style.
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "15px"

    page.locator("#pv-night").click()
    expect(page.locator("#pv-night")).to_have_attribute("aria-pressed", "true")
    face = card_face(page, 0)
    expect(face.locator("body")).to_have_class("card card1 nightMode night_mode")
    assert _style(face, "body", "backgroundColor") == "rgb(28, 33, 40)"
    assert _style(face, ".fc-prompt", "color") == "rgb(230, 237, 243)"


def _style(face: FrameLocator, selector: str, name: str) -> Any:
    return face.locator(selector).first.evaluate(f"(e) => getComputedStyle(e).{name}")


def test_japanese_is_drawn_with_a_cjk_font(browser: Browser, site: Path) -> None:
    page = open_page(browser, site, DESKTOP)
    face = card_face(page, 0)
    prompt = face.locator(".fc-prompt")
    expect(prompt).to_have_text("ファインチューニング")
    assert prompt.evaluate("(e) => document.fonts.check('20px \"Noto Sans CJK JP\"', e.textContent)")
    # The fonts Chromium actually drew the card's Japanese prompt with, as DevTools reports them.
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    frame_document = _first(root, lambda node: node.get("nodeName") == "IFRAME")["contentDocument"]
    node = session.send("DOM.querySelector", {"nodeId": frame_document["nodeId"], "selector": ".fc-prompt"})
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    families = {font["familyName"] for font in fonts}
    assert families, "no font reported"
    assert all("CJK" in family for family in families), families


def _first(node: dict[str, Any], test: Any) -> dict[str, Any]:
    if test(node):
        return node
    for child in node.get("children", []):
        found = _first(child, test)
        if found:
            return found
    return {}


def test_phone_layout(browser: Browser, site: Path, tmp_path: Path) -> None:
    page = open_page(browser, site, PHONE)
    # One column of cards as wide as the screen allows, and nothing to scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    boxes = [page.locator(".pv-card:visible").nth(i).bounding_box() for i in range(3)]
    assert all(box is not None and box["width"] > 350 for box in boxes)
    assert len({box["x"] for box in boxes if box}) == 1
    # The card's own phone rules apply inside its frame, as on AnkiDroid and AnkiMobile.
    assert _style(card_face(page, 0), "body", "fontSize") == "18px"
    page.locator(".pv-card:visible").first.click()
    expect(card_face(page, 0).locator(".fc-back")).to_be_visible()
    shoot(page, tmp_path, "phone-ja.png")
    page.locator("#pv-night").click()
    page.locator(".pv-lang[data-lang=en]").click()
    expect(card_face(page, 0).locator("body")).to_have_class("card card1 nightMode night_mode")
    shoot(page, tmp_path, "phone-en-night.png")
    assert page.errors == []  # type: ignore[attr-defined]


def test_desktop_night_screenshot(browser: Browser, site: Path, tmp_path: Path) -> None:
    page = open_page(browser, site, DESKTOP)
    page.locator("#pv-night").click()
    expect(card_face(page, 0).locator("body")).to_have_class("card card1 nightMode night_mode")
    page.locator(".pv-card:visible").first.click()
    expect(card_face(page, 0).locator(".fc-back")).to_be_visible()
    shoot(page, tmp_path, "desktop-ja-night.png")


ACCENT = {"light": "rgb(11, 99, 201)", "night": "rgb(108, 182, 255)"}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_answers_and_recalled_items_stand_out_in_light_and_night(
    browser: Browser, site: Path, tmp_path: Path, viewport: dict[str, int]
) -> None:
    page = open_page(browser, site, viewport)
    width = "desktop" if viewport == DESKTOP else "phone"
    # The pro two techniques share: asked once, answered with both; and fine-tuning's pros with the
    # second one recalled. Both backs shown at once.
    page.locator("#pv-filter").fill("少量のデータでも")
    item = page.locator('.pv-card:visible[data-template="ItemToConcept"]')
    expect(item).to_have_count(1)
    item.click()
    # (Fine-tuning's pros come first: its second card hides the second pro.)
    recall = page.locator('.pv-card:visible[data-template="ConceptToItem"]').nth(1)
    recall.click()
    item_face = item.frame_locator("iframe")
    recall_face = recall.frame_locator("iframe")
    expect(item_face.locator(".fc-answer")).to_have_text("ファインチューニング転移学習")
    expect(recall_face.locator(".fc-recalled")).to_have_text("タスクに特化したモデルを得られる。")
    for mode in ("light", "night"):
        if mode == "night":
            page.locator("#pv-night").click()
            expect(recall_face.locator("body")).to_have_class("card card2 nightMode night_mode")
        assert _style(item_face, ".fc-answer", "color") == ACCENT[mode]
        assert int(_style(item_face, ".fc-answer", "fontWeight")) >= 700
        # The recalled item in the accent colour; the others in the muted one.
        assert _style(recall_face, ".fc-recalled", "color") == ACCENT[mode]
        muted = _style(recall_face, ".fc-list-back li:not(.fc-recalled)", "color")
        assert muted == {"light": "rgb(101, 109, 118)", "night": "rgb(145, 152, 161)"}[mode]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        item.scroll_into_view_if_needed()
        shoot(page, tmp_path, f"{width}-ja-item-{mode}.png")
        recall.scroll_into_view_if_needed()
        shoot(page, tmp_path, f"{width}-ja-recall-{mode}.png")
    assert page.errors == []  # type: ignore[attr-defined]


def test_images_show_in_the_card_frames(browser: Browser, tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    source = project / "source" / "ml-techniques.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text
        + "cards:\n"
        + "  - id: picture\n"
        + "    front: {ja: 'この図は? ![図](pixel.png)', en: 'This figure? ![figure](pixel.png)'}\n"
        + "    back: {ja: 一画素, en: One pixel}\n",
        encoding="utf-8",
    )
    (project / "source" / "pixel.png").write_bytes(png((255, 0, 0)))
    result = run_cli(["preview"], project)
    assert result.exit_code == 0, result.stderr
    page = open_page(browser, project / "dist" / "preview" / "index.html", DESKTOP)
    card = page.locator('[data-card="ml-techniques/ja/basic/picture/FrontToBack"]')
    card.scroll_into_view_if_needed()
    image = card.frame_locator("iframe").locator("img")
    expect(image).to_have_attribute("alt", "図")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1
    assert page.errors == []  # type: ignore[attr-defined]
