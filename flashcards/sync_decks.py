"""What ``sync`` does to decks that an import cannot: cards whose topic changed go to their new subdeck,
a subdeck left empty by that goes, and the decks' options bury siblings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anki.collection import Collection

#: The options that keep a note's other cards (its siblings) out of the same day's reviews.
_BURY = (("new", "bury"), ("rev", "bury"))
_BURY_INTERDAY = "buryInterdayLearning"


def in_tree(name: str, top: str) -> bool:
    """Whether deck ``name`` is the deck ``top`` or one of its subdecks (as Anki compares names)."""
    name, top = name.casefold(), top.casefold()
    return name == top or name.startswith(top + "::")


def move_cards(
    col: Collection, targets: Mapping[int, tuple[int, str]], top: str
) -> tuple[dict[int, str], list[str]]:
    """Move cards to the deck named, given by card id with their home deck's id, when their home deck is
    another deck of the tree ``top``: cards the learner put in a deck of their own stay. A card in a
    filtered deck stays there and gets the new home deck. Returns the moved cards' new decks by card
    id, and the subdecks this left empty and removed."""
    names: dict[int, str] = {}
    moved: dict[int, str] = {}
    cards = []
    left: set[int] = set()
    for card_id, (home, target) in targets.items():
        if home not in names:
            names[home] = col.decks.name(home)  # type: ignore[arg-type]
        if names[home] == target or not in_tree(names[home], top):
            continue
        target_id = col.decks.id(target)
        assert target_id is not None
        card = col.get_card(card_id)  # type: ignore[arg-type]
        if card.odid:
            card.odid = target_id
        else:
            card.did = target_id
        cards.append(card)
        moved[card_id] = target
        left.add(home)
    if cards:
        col.update_cards(cards)
    return moved, _remove_emptied(col, left, top)


def _remove_emptied(col: Collection, decks: Iterable[int], top: str) -> list[str]:
    removed = []
    for deck_id in sorted(decks):
        name = col.decks.name(deck_id)  # type: ignore[arg-type]
        if name.casefold() == top.casefold() or col.decks.children(deck_id):  # type: ignore[arg-type]
            continue
        if col.decks.card_count(deck_id, include_subdecks=True) == 0:  # type: ignore[arg-type]
            col.decks.remove([deck_id])  # type: ignore[list-item]
            removed.append(name)
    return removed


def _buries(config: Mapping[str, Any]) -> bool:
    return all(config[part][key] for part, key in _BURY) and bool(config.get(_BURY_INTERDAY, False))


def _set_burying(config: dict[str, Any]) -> None:
    for part, key in _BURY:
        config[part][key] = True
    config[_BURY_INTERDAY] = True


def preset_name(deck: str) -> str:
    """The name of the deck's own options preset, the one its packages carry too."""
    return f"{deck} (flashcards)"


def bury_siblings(col: Collection, deck_names: Sequence[str], top: str) -> tuple[list[str], str | None]:
    """Make the options of every deck named bury siblings. An options preset used only by decks of the tree
    ``top`` gets burying itself; one that other decks use too stays as it is, and the tree's decks get
    the deck's own preset (a copy of it that buries, unless the collection has that preset already).
    Returns the decks changed and the preset copied, if one."""
    changed: list[str] = []
    copied: str | None = None
    for name in deck_names:
        deck = col.decks.by_name(name)
        if deck is None or deck.get("dyn"):
            continue
        config = col.decks.config_dict_for_deck_id(deck["id"])
        if _buries(config):
            continue
        users = [col.decks.name(d) for d in col.decks.decks_using_config(config)]
        if all(in_tree(user, top) for user in users):
            _set_burying(config)
            col.decks.update_config(config)
        else:
            preset = preset_name(top)
            own = next((c for c in col.decks.all_config() if c["name"] == preset), None)
            if own is None:
                own = col.decks.get_config(col.decks.add_config_returning_id(preset, clone_from=config))
                assert own is not None
                copied = preset
            if not _buries(own):
                _set_burying(own)
                col.decks.update_config(own)
            deck["conf"] = own["id"]
            col.decks.save(deck)
        changed.append(name)
    return changed, copied
