"""Formulas, code and readings in the preview, in headless Chromium: formulas typeset offline by the
KaTeX copy beside the page, code coloured by the card stylesheet in light and night mode, scrolling
sideways on a phone, and readings shown as ruby, as Anki's furigana filter makes them. Screenshots go to
``tmp_path`` (and ``/tmp/preview-shots``).

Needs the system's Chromium, like ``test_preview_browser``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, expect

from helpers import run_cli, write_tree
from test_preview_browser import DESKTOP, PHONE, browser, open_page, shoot

__all__ = ["browser"]  # the module's fixture, used here

SOURCE = r"""deck:
  id: rich
  languages: [ja]
  name:
    ja: 数式とコード
cards:
  - id: softmax
    front:
      ja: 'ソフトマックス 関数[かんすう]は? \(\sigma(z)_i\)'
    back:
      ja: |
        \[ \sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}} \]

        ```python
        def softmax(z: list[float]) -> list[float]:
            total = sum(math.exp(x) for x in z)  # a comment long enough to be wider than a phone screen, so it scrolls
            return [math.exp(x) / total for x in z]
        ```
"""


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("rich")
    write_tree(project, {"source/rich.yaml": SOURCE})
    result = run_cli(["preview"], project)
    assert result.exit_code == 0, result.stderr
    return project / "dist" / "preview" / "index.html"


def the_card(page: Page, back: bool) -> FrameLocator:
    card = page.locator(".pv-card:visible").first
    if back:
        card.click()
        expect(card.frame_locator("iframe").locator(".fc-back")).to_be_visible()
    return card.frame_locator("iframe")


def box(face: FrameLocator, selector: str) -> dict[str, Any]:
    found: dict[str, Any] = face.locator(selector).first.evaluate(
        """e => { const b = e.getBoundingClientRect(); const s = getComputedStyle(e);
                  return {width: b.width, height: b.height, color: s.color, font: s.fontFamily,
                          scroll: e.scrollWidth, client: e.clientWidth}; }"""
    )
    return found


def test_formulas_are_typeset_offline_and_readings_shown_as_ruby(
    browser: Browser, rich_site: Path, tmp_path: Path
) -> None:
    assert (rich_site.parent / "katex" / "katex.min.js").is_file()
    page = open_page(browser, rich_site, DESKTOP)
    front = the_card(page, back=False)
    formula = box(front, ".katex")
    assert formula["width"] > 20
    assert formula["height"] > 10
    assert "KaTeX_Main" in formula["font"]
    expect(front.locator("ruby rt")).to_have_text("かんすう")
    expect(front.locator("ruby rb")).to_have_text("関数")
    back = the_card(page, back=True)
    display = box(back, ".katex-display")
    assert display["height"] > 30  # the fraction, drawn on its own line
    expect(back.locator(".katex-display annotation")).to_contain_text(r"\frac{e^{z_i}}{\sum_j e^{z_j}}")
    shoot(page, tmp_path, "rich-desktop-light.png")
    assert page.errors == []  # type: ignore[attr-defined]  # no request left the disk


def test_code_is_coloured_in_light_and_night_mode(browser: Browser, rich_site: Path, tmp_path: Path) -> None:
    page = open_page(browser, rich_site, DESKTOP)
    back = the_card(page, back=True)
    assert box(back, ".fc-hl-k")["color"] == "rgb(169, 13, 145)"  # xcode's keyword purple
    assert box(back, ".fc-hl-c1")["color"] == "rgb(23, 117, 0)"  # and its comment green
    page.locator("#pv-night").click()
    back = page.locator(".pv-card:visible").first.frame_locator("iframe")
    expect(back.locator("body")).to_have_class("card card1 nightMode night_mode")
    assert box(back, ".fc-hl-k")["color"] == "rgb(198, 120, 221)"  # one-dark's keyword violet
    assert box(back, ".fc-hl-c1")["color"] == "rgb(127, 132, 142)"
    shoot(page, tmp_path, "rich-desktop-night.png")


def test_a_long_line_of_code_scrolls_inside_its_block_on_a_phone(
    browser: Browser, rich_site: Path, tmp_path: Path
) -> None:
    page = open_page(browser, rich_site, PHONE)
    back = the_card(page, back=True)
    block = box(back, "pre.fc-code")
    assert block["scroll"] > block["client"] + 100  # the long line is wider than the block: it scrolls
    page_width = back.locator("body").evaluate("b => [document.documentElement.scrollWidth, innerWidth]")
    assert page_width[0] <= page_width[1]  # and the card itself does not
    shoot(page, tmp_path, "rich-phone.png")
