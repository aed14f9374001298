"""The preview page in a real browser (headless Chromium): flip, move, switch language, filter, night mode,
a phone-sized screen, and Japanese drawn with a real CJK font; on the bundled deck and on a large one
(1,000 concepts, 12,000 cards), where only the cards near the screen are drawn, keys and links reach
cards never shown, and the last card is what Anki shows.

Needs the system's Chromium (``apt-get install chromium fonts-noto-cjk``; ``scripts/setup-tests.sh`` installs them when
run as root). Without it these tests fail, unless FLASHCARDS_SKIP_BROWSER=1 says to skip them.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from playwright.sync_api import Browser, FrameLocator, Page, expect, sync_playwright

from helpers import (
    REPO,
    RenderedCard,
    copy_project,
    import_package,
    png,
    rendered_cards,
    run_cli,
    visible_text,
    write_tree,
)
from preview_page import PageCard, manifest, page_cards

sys.path.insert(0, str(REPO / "bench"))
from generate import source_text

#: Concepts in the large source: 15 cards each (one per list item, both ways), in two languages.
LARGE = 1000

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
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("site"))
    result = run_cli(["preview"], project)
    assert result.exit_code == 0, result.stderr
    return project / "dist" / "preview" / "index.html"


@pytest.fixture(scope="module")
def large_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A source of 1,000 concepts, built (for Anki) and previewed."""
    project = tmp_path_factory.mktemp("large")
    write_tree(project, {"source/bench.yaml": source_text(LARGE)})
    for command in ("build", "preview"):
        result = run_cli([command], project)
        assert result.exit_code == 0, result.stderr
    return project


@pytest.fixture(scope="module", params=["bundled", "large"])
def site(request: pytest.FixtureRequest) -> Path:
    if request.param == "bundled":
        return Path(request.getfixturevalue("bundled_site"))
    return Path(request.getfixturevalue("large_project")) / "dist" / "preview" / "index.html"


def open_page(browser: Browser, site: Path, viewport: dict[str, int], link: str = "") -> Page:
    page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
    errors: list[str] = []
    requested: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: errors.append(f"request to {request.url}") if not _local(request.url) else None,
    )
    page.on("request", lambda request: requested.append(request.url.removeprefix(site.parent.as_uri() + "/")))
    page.requested = requested  # type: ignore[attr-defined]
    page.goto(site.as_uri() + link)
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


SCROLL_THROUGH = """async () => {
  const seen = new Set();
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 20))));
  scrollTo(0, 0);
  await frame();
  for (;;) {
    for (const card of document.querySelectorAll(".pv-card")) seen.add(card.dataset.guid + " " + card.dataset.template);
    if (innerHeight + scrollY >= document.documentElement.scrollHeight - 1) break;
    scrollBy(0, innerHeight);
    await frame();
  }
  scrollTo(0, 0);
  return Array.from(seen);
}"""


def scroll_through(page: Page) -> list[str]:
    """Every card drawn while the page is scrolled from top to bottom, as ``guid template``."""
    shown: list[str] = page.evaluate(SCROLL_THROUGH)
    return shown


def text_of(html: str) -> str:
    return " ".join(visible_text(html).split()).lower()


def cards_of(site: Path, language: str) -> list[PageCard]:
    return [c for c in page_cards(site) if c.id.split("/")[1] == language]


#: A query that keeps a few cards of each deck.
QUERIES = {"bundled": "BERT-tiny", "large": f"Concept {LARGE - 1}"}


def test_flip_move_switch_language_and_filter(browser: Browser, site: Path, tmp_path: Path) -> None:
    ja, en = cards_of(site, "ja"), cards_of(site, "en")
    large = len(ja) > 100
    page = open_page(browser, site, DESKTOP)
    # Japanese first: the Japanese deck only, every card counted.
    expect(page.locator("#pv-count")).to_have_text(f"{len(ja)} cards")
    name = "ベンチbench" if large else "ファインチューニング・転移学習・蒸留"
    expect(page.locator(".pv-deck:visible h2")).to_have_text(f"{name} {len(ja)} cards")
    assert face_text(page, 0) == visible_text(ja[0].front)
    if not large:
        assert (
            face_text(page, 0)
            == "ファインチューニング・転移学習・蒸留\n手法\nファインチューニング\nこの手法の説明は？"
        )

    # A click shows the back (the front, the rule, the answer); Space on the card shows the front again.
    first = page.locator(".pv-card:visible").first
    first.click()
    expect(first.locator(".pv-side-label")).to_have_text("Back")
    expect(card_face(page, 0).locator(".fc-back")).to_be_visible()
    assert face_text(page, 0) == visible_text(ja[0].back)
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
    expect(card_face(page, 1).locator(".fc-back")).to_be_visible()
    assert face_text(page, 1) == visible_text(ja[1].back)
    shoot(page, tmp_path, f"desktop-ja-{len(ja)}.png")

    # English: the English deck only.
    page.locator(".pv-lang[data-lang=en]").click()
    expect(page.locator(".pv-lang[data-lang=en]")).to_have_attribute("aria-pressed", "true")
    name = "Bench bench" if large else "Fine-tuning, Transfer Learning and Distillation"
    expect(page.locator(".pv-deck:visible h2")).to_have_text(f"{name} {len(en)} cards")
    expect(page.locator("#pv-count")).to_have_text(f"{len(en)} cards")
    expect(card_face(page, 0).locator(".fc")).to_be_visible()
    assert face_text(page, 0) == visible_text(en[0].front)
    assert page.errors == []  # type: ignore[attr-defined]


def test_each_card_says_where_its_entry_is_in_the_source(browser: Browser, bundled_site: Path) -> None:
    page = open_page(browser, bundled_site, DESKTOP)
    lines = {"fine-tuning": 25, "transfer-learning": 51, "distillation": 77}
    cards = page.locator(".pv-card:visible")
    for index in range(3):
        card = cards.nth(index)
        entry = card.locator("a.pv-entry").inner_text()
        expect(card.locator(".pv-source")).to_have_text(f"source/ml-techniques.yaml:{lines[entry]}")
        expect(card.locator(".pv-source")).to_be_visible()
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_filter_keeps_the_cards_with_the_words_and_the_counts_follow(
    browser: Browser, site: Path
) -> None:
    en = cards_of(site, "en")
    page = open_page(browser, site, DESKTOP)
    page.locator(".pv-lang[data-lang=en]").click()
    expect(page.locator("#pv-count")).to_have_text(f"{len(en)} cards")
    query = QUERIES["large" if len(en) > 100 else "bundled"]
    expected = [c for c in en if query.lower() in text_of(f"{c.front} {c.back}")]
    assert 0 < len(expected) < 23
    page.locator("#pv-filter").fill(query)
    expect(page.locator("#pv-count")).to_have_text(f"{len(expected)} of {len(en)} cards")
    totals = Counter(c.template for c in en)
    shown = Counter(c.template for c in expected)
    headings = page.locator(".pv-template:visible h4").all_inner_texts()
    assert sorted(headings) == sorted(f"{t} {shown[t]} of {totals[t]} cards" for t in shown)
    assert sorted(scroll_through(page)) == sorted(f"{c.guid} {c.template}" for c in expected)
    # Folded as the cards' text is: any case, full-width letters and digits as ASCII.
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in query.upper())
    page.locator("#pv-filter").fill(wide)
    expect(page.locator("#pv-count")).to_have_text(f"{len(expected)} of {len(en)} cards")
    page.locator("#pv-filter").fill("no such words anywhere")
    expect(page.locator("#pv-count")).to_have_text(f"0 of {len(en)} cards")
    expect(page.locator("#pv-nothing")).to_be_visible()
    page.locator("#pv-filter").fill("")
    expect(page.locator("#pv-count")).to_have_text(f"{len(en)} cards")
    assert face_text(page, 0) == visible_text(en[0].front)
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
    expect(prompt).to_have_text("概念0" if len(page_cards(site)) > 100 else "ファインチューニング")
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
    if len(page_cards(site)) > 100:  # "概念0": the digit may come from a Latin font, the kanji may not
        assert "Noto Sans CJK JP" in families, families
    else:
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
    browser: Browser, bundled_site: Path, tmp_path: Path, viewport: dict[str, int]
) -> None:
    page = open_page(browser, bundled_site, viewport)
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
    # The card's link brings it on screen.
    page.evaluate("location.hash = '#ml-techniques/ja/basic/picture/FrontToBack'")
    card = page.locator('[data-card="ml-techniques/ja/basic/picture/FrontToBack"]')
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
    image = card.frame_locator("iframe").locator("img")
    expect(image).to_have_attribute("alt", "図")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1
    assert page.errors == []  # type: ignore[attr-defined]


# --- a large deck: only what is near the screen is drawn -------------------------------------------------


@pytest.fixture(scope="module")
def large_in_anki(
    large_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], RenderedCard]:
    """The large deck's Japanese package imported into a fresh collection; its cards as Anki renders them."""
    col = Collection(str(tmp_path_factory.mktemp("anki") / "collection.anki2"))
    try:
        import_package(col, large_project / "dist" / "bench.ja.apkg")
        return {(c.guid, c.template): c for c in rendered_cards(col)}
    finally:
        col.close()


def large_site(large_project: Path) -> Path:
    return large_project / "dist" / "preview" / "index.html"


def test_the_last_card_of_a_large_deck_is_what_anki_shows(
    browser: Browser, large_project: Path, large_in_anki: dict[tuple[str, str], RenderedCard]
) -> None:
    site = large_site(large_project)
    ja = cards_of(site, "ja")
    page = open_page(browser, site, DESKTOP)
    assert page.locator(f'[data-card="{ja[-1].id}"]').count() == 0  # not drawn before it is near
    last = page.locator(f'[data-card="{ja[-1].id}"]')
    in_view = f"""() => {{
      const card = document.querySelector('[data-card="{ja[-1].id}"]');
      const box = card && card.getBoundingClientRect();
      return Boolean(box && box.top >= 0 && box.bottom <= innerHeight);
    }}"""
    page.keyboard.press("End")  # the page stays at its end while the cards there take their height
    expect(last).to_be_attached()
    page.wait_for_function(in_view)
    expect(last).to_be_in_viewport()
    anki = large_in_anki[(ja[-1].guid, ja[-1].template)]
    face = last.frame_locator("iframe")
    expect(face.locator(".fc")).to_be_visible()
    assert visible_text(face.locator("#qa").inner_html()) == anki.question
    last.click()
    expect(face.locator(".fc-back")).to_be_visible()
    assert visible_text(face.locator("#qa").inner_html()) == anki.answer
    # Only the cards near the screen are drawn, each in its frame: not 6,000.
    assert 0 < page.locator(".pv-card").count() <= 150
    assert page.locator("iframe").count() == page.locator(".pv-card").count()
    assert page.errors == []  # type: ignore[attr-defined]


def test_keys_and_links_reach_cards_never_shown(
    browser: Browser, large_project: Path, large_in_anki: dict[tuple[str, str], RenderedCard]
) -> None:
    site = large_site(large_project)
    ja = cards_of(site, "ja")
    page = open_page(browser, site, DESKTOP)
    # The file of the first cards is read first; the rest of the Japanese cards follow while the page is
    # idle, and the English ones wait until they are shown.
    ja_files, en_files = (deck["files"] for deck in manifest(site)["decks"])
    assert len(ja_files) == len(en_files) == 8  # 15,000 cards a language, 2,000 a file
    page.wait_for_function(f"window.flashcardsPreview.filesRead() === {len(ja_files)}", timeout=20_000)
    read = [url for url in page.requested if url.startswith("cards/")]  # type: ignore[attr-defined]
    assert read == ja_files
    # → from the first card, 40 times: the 41st card was not drawn when the page opened.
    target = page.locator(f'[data-card="{ja[40].id}"]')
    assert target.count() == 0
    page.locator(".pv-card").first.focus()
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    expect(target).to_be_focused()
    expect(target).to_be_in_viewport()
    anki = large_in_anki[(ja[40].guid, ja[40].template)]
    assert visible_text(target.frame_locator("iframe").locator("#qa").inner_html()) == anki.question

    # A link to the first card of the second template; ← from it reaches the last card of the first.
    second = next(i for i, c in enumerate(ja) if c.template != ja[0].template)
    page = open_page(browser, site, DESKTOP, f"#{ja[second].id}")
    linked = page.locator(f'[data-card="{ja[second].id}"]')
    expect(linked).to_be_focused()
    expect(linked).to_be_in_viewport()
    expect(linked).to_have_class("pv-card pv-target")
    before = page.locator(f'[data-card="{ja[second - 1].id}"]')
    page.keyboard.press("ArrowLeft")
    expect(before).to_be_focused()
    expect(before).to_be_in_viewport()
    anki = large_in_anki[(ja[second - 1].guid, ja[second - 1].template)]
    assert visible_text(before.frame_locator("iframe").locator("#qa").inner_html()) == anki.question
    # The link of a card is on the card.
    assert before.locator("a.pv-entry").get_attribute("href") == f"#{ja[second - 1].id}"
    # A link to an English card switches the language; the filter that hid it is cleared.
    page.locator("#pv-filter").fill("no such words anywhere")
    en = cards_of(site, "en")
    page.evaluate(f"location.hash = {('#' + en[7].id)!r}")
    english = page.locator(f'[data-card="{en[7].id}"]')
    expect(english).to_be_focused()
    expect(page.locator(".pv-lang[data-lang=en]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#pv-filter")).to_have_value("")
    expect(page.locator("#pv-count")).to_have_text(f"{len(en)} cards")
    assert en_files[0] in page.requested  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]


SECOND_DECK = """\
deck:
  id: second
  languages: [ja, en]
  name:
    ja: 二つ目
    en: Second deck
concepts:
  - id: alpha
    name:
      ja: アルファ
      en: Alpha
    description:
      ja: 一つ目の技法。
      en: The first technique.
  - id: beta
    name:
      ja: ベータ
      en: Beta
    description:
      ja: 二つ目の技法。
      en: The second technique.
"""


def test_two_decks_one_language_keys_cross_from_deck_to_deck_and_counts_follow(
    browser: Browser, tmp_path: Path
) -> None:
    project = copy_project(tmp_path)
    write_tree(project, {"source/second.yaml": SECOND_DECK})
    assert run_cli(["preview"], project).exit_code == 0
    site = project / "dist" / "preview" / "index.html"
    ja = cards_of(site, "ja")
    first_deck = [c for c in ja if c.id.startswith("ml-techniques/")]
    second_deck = [c for c in ja if c.id.startswith("second/")]
    assert len(second_deck) == 4
    page = open_page(browser, site, DESKTOP)
    expect(page.locator("#pv-count")).to_have_text(f"{len(ja)} cards")
    expect(page.locator(".pv-deck h2")).to_have_text(
        [f"ファインチューニング・転移学習・蒸留 {len(first_deck)} cards", "二つ目 4 cards"]
    )
    # → from the last card of the first deck reaches the first of the second.
    page.evaluate(f"location.hash = {('#' + first_deck[-1].id)!r}")
    expect(page.locator(f'[data-card="{first_deck[-1].id}"]')).to_be_focused()
    page.keyboard.press("ArrowRight")
    following = page.locator(f'[data-card="{second_deck[0].id}"]')
    expect(following).to_be_focused()
    assert visible_text(following.frame_locator("iframe").locator("#qa").inner_html()) == visible_text(
        second_deck[0].front
    )
    # The filter counts each deck on its own and the page as a whole.
    page.locator("#pv-filter").fill("技法")
    expected = [c for c in ja if "技法" in text_of(f"{c.front} {c.back}")]
    assert expected
    assert all(c.id.startswith("second/") for c in expected)
    expect(page.locator("#pv-count")).to_have_text(f"{len(expected)} of {len(ja)} cards")
    expect(page.locator(".pv-deck h2")).to_have_text(
        [
            f"ファインチューニング・転移学習・蒸留 0 of {len(first_deck)} cards",
            "二つ目 4 cards" if len(expected) == 4 else f"二つ目 {len(expected)} of 4 cards",
        ]
    )
    assert sorted(scroll_through(page)) == sorted(f"{c.guid} {c.template}" for c in expected)
    assert page.errors == []  # type: ignore[attr-defined]
