"""Read a written preview back: the cards it shows, keyed like Anki's (note guid, template name).

The page (``index.html``) holds a manifest of the decks; each deck's cards in one language are in
script files beside it (their JSON deflated, in base64), which the page loads when it shows them.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_MANIFEST = re.compile(r'<script type="application/json" id="pv-manifest">(.*?)</script>', re.DOTALL)
_LOADER = re.compile(r"\AflashcardsPreview\.deck\((.*)\);\n\Z", re.DOTALL)


@dataclass(frozen=True)
class PageCard:
    guid: str
    template: str
    note_type: str
    front: str
    back: str
    #: deck/language/kind/entry/template: the link to the card is ``index.html#`` and this.
    id: str = ""
    warnings: tuple[str, ...] = ()
    #: Where its entry is in the source, as the card's line in the page says.
    source: str = ""


def manifest(page: Path) -> dict[str, Any]:
    match = _MANIFEST.search(page.read_text(encoding="utf-8"))
    assert match is not None, f"{page} holds no manifest"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def deck_payload(page: Path, deck: dict[str, Any]) -> dict[str, Any]:
    """The cards of one deck in one language, read from all its card files."""
    cards: list[Any] = []
    for part, name in enumerate(deck["files"]):
        text = (page.parent / name).read_text(encoding="utf-8")
        match = _LOADER.match(text)
        assert match is not None, f"{name} is not a card file"
        payload = json.loads(match.group(1))
        assert (payload["key"], payload["part"]) == (deck["key"], part)
        rows = json.loads(zlib.decompress(base64.b64decode(payload["deflated"])).decode("utf-8"))
        assert len(rows) <= deck["part"]
        cards.extend(rows)
    assert len(cards) == deck["total"]
    return {"key": deck["key"], "cards": cards}


def page_cards(page: Path) -> list[PageCard]:
    """Every card of every deck and language the page shows, in the page's order."""
    cards = []
    for deck in manifest(page)["decks"]:
        for row in deck_payload(page, deck)["cards"]:
            card_id, guid, _entry, note_type, template, _ord, front, back, warnings, source = row
            kind = deck["noteTypes"][note_type]
            full_back = back if isinstance(back, str) else back[0] + front + back[1]
            cards.append(
                PageCard(
                    guid,
                    kind["templates"][template]["name"],
                    kind["name"],
                    front,
                    full_back,
                    card_id,
                    tuple(warnings),
                    source,
                )
            )
    return cards


def folded(html: str) -> str:
    """HTML with every run of whitespace made one space, for comparing what two renderers give."""
    return " ".join(html.split())
