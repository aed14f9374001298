"""Read a written preview page back: the cards it shows, keyed like Anki's (note guid, template name)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_DATA = re.compile(r'<script type="application/json" id="pv-data">(.*?)</script>', re.DOTALL)


@dataclass(frozen=True)
class PageCard:
    guid: str
    template: str
    note_type: str
    front: str
    back: str


def page_cards(page: Path) -> list[PageCard]:
    match = _DATA.search(page.read_text(encoding="utf-8"))
    assert match is not None, f"{page} holds no card data"
    data = json.loads(match.group(1))
    return [
        PageCard(card["guid"], card["template"], card["noteType"], card["front"], card["back"])
        for card in data["cards"].values()
    ]


def folded(html: str) -> str:
    """HTML with every run of whitespace made one space, for comparing what two renderers give."""
    return " ".join(html.split())
