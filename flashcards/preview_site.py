"""The preview written to disk: a small page, and the cards of each deck and language in a file of its own.

``index.html`` holds the page (skeleton, style, script) and a manifest: the decks and languages with
their note types, card templates and counts, and each note type's stylesheet once. The cards of one
deck in one language are in ``cards/<deck>.<language>.<hash>.js`` files of ``PART`` cards each (their
JSON deflated, in base64), which the page loads only when their cards come near the screen (script
files, since a page opened from disk may not fetch). The card files' names carry their content's hash,
so a page never reads another write's cards, and the page is switched last: a write that fails leaves
the old page whole.
"""

from __future__ import annotations

import base64
import functools
import gc
import hashlib
import json
import re
import shutil
import zlib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from flashcards.preview import DeckLanguage, Preview, PreviewCard, load_preview
from flashcards.staging import staged_files

PAGE = "index.html"
CARDS_DIR = "cards"
#: What a card file calls with its cards.
LOADER = "flashcardsPreview.deck"
#: Cards in one card file: small enough to read at once, large enough to be few.
PART = 2000


def write_site(preview: Preview, out_dir: Path) -> Path:
    """Write ``out_dir/index.html`` and its card files whole, or leave the old page as it was; then copy
    the pictures and sounds beside it and remove card files no page refers to any more."""
    names: list[list[str]] = []
    files: dict[str, bytes] = {}
    for part in preview.decks:
        data = [text.encode("utf-8") for text in deck_data(part)]
        names.append([_data_name(part, content) for content in data])
        files.update(zip(names[-1], data, strict=True))
    page = render_page(preview, names)
    with staged_files() as staged:
        for name, content in files.items():
            target = out_dir / CARDS_DIR / name
            if not target.exists():  # the name is the content's hash: an existing file is the same
                staged.add(target, functools.partial(_write_bytes, content))
        staged.add_text(out_dir / PAGE, page)
        staged.commit()
    _copy_media(preview, out_dir)
    if _holds_math(preview):
        _copy_math_renderer(out_dir)
    for old in (out_dir / CARDS_DIR).glob("*.js"):
        if old.name not in files:
            old.unlink(missing_ok=True)
    return out_dir / PAGE


def _copy_media(preview: Preview, out_dir: Path) -> None:
    """Images and sounds under their packaged names, as in Anki's media folder: cards name them so."""
    for media in sorted({m for d in preview.decks for m in d.deck.media}, key=lambda m: m.name):
        copy = out_dir / media.name
        if not copy.exists():  # the name is the content's hash: an existing copy is the same file
            out_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(media.path, copy)


#: A formula on a card: ``\(``, ``\[``, or ``\&#91;`` (a bracket is written so on cards, out of the
#: ``furigana:`` filter's way).
_MATH = re.compile(r"\\(?:\(|\[|&#91;)")
#: The preview's math renderer (KaTeX), copied beside the page when a card holds a formula.
MATH_DIR = "katex"


def _holds_math(preview: Preview) -> bool:
    return any(
        _MATH.search(card.front) or _MATH.search(card.back)
        for part in preview.decks
        for group in part.note_types
        for template in group.templates
        for card in template.cards
    )


def _copy_math_renderer(out_dir: Path) -> None:
    source = assets_dir() / MATH_DIR
    for path in sorted(source.rglob("*")):
        if path.is_dir() or path.suffix == ".md":
            continue
        copy = out_dir / MATH_DIR / path.relative_to(source)
        if not copy.exists() or copy.stat().st_size != path.stat().st_size:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)


def _write_bytes(content: bytes, path: Path) -> None:
    path.write_bytes(content)


def deck_key(part: DeckLanguage) -> str:
    return f"{part.deck.id}/{part.language}"


def _data_name(part: DeckLanguage, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:12]
    return f"{part.deck.id}.{part.language}.{digest}.js"


def card_row(card: PreviewCard, note_type: int, template: int) -> list[object]:
    """One card as the page reads it: ``[id, guid, entry, note type, template, ordinal, front, back,
    warnings, source]``. The back is ``[before, after]`` when it holds the front whole (``{{FrontSide}}``), so
    that the front is not written twice."""
    back: str | list[str] = card.back
    at = card.back.find(card.front) if card.front else -1
    if at >= 0:
        back = [card.back[:at], card.back[at + len(card.front) :]]
    warnings = [w.format() for w in card.warnings]
    return [
        card.id,
        card.guid,
        card.entry_id,
        note_type,
        template,
        card.ordinal,
        card.front,
        back,
        warnings,
        card.source,
    ]


def deck_data(part: DeckLanguage) -> list[str]:
    """The scripts that hand the page the cards of one deck in one language, ``PART`` cards each, in the
    manifest's order (at least one, so that an empty deck has its file too)."""
    rows = [
        card_row(card, n, t)
        for n, group in enumerate(part.note_types)
        for t, template in enumerate(group.templates)
        for card in template.cards
    ]
    texts = []
    for index, start in enumerate(range(0, max(len(rows), 1), PART)):
        cards = json.dumps(rows[start : start + PART], ensure_ascii=False, separators=(",", ":"))
        # Cards repeat their templates' HTML: deflated, they take a tenth of the room, for little time.
        packed = base64.b64encode(zlib.compress(cards.encode("utf-8"), 1)).decode("ascii")
        payload = json.dumps({"key": deck_key(part), "part": index, "deflated": packed}, ensure_ascii=False)
        texts.append(f"{LOADER}({payload});\n")
    return texts


def manifest(preview: Preview, files: list[list[str]]) -> dict[str, object]:
    """What the page knows before any cards are loaded: every deck, note type and template with counts."""
    return {
        "languages": list(preview.languages),
        "noteTypes": {nt.note_type.name: nt.note_type.css for d in preview.decks for nt in d.note_types},
        "decks": [
            {
                "key": deck_key(part),
                "files": [f"{CARDS_DIR}/{name}" for name in names],
                "part": PART,
                "language": part.language,
                "name": part.name,
                "source": f"{part.deck.path} · {part.deck.id} · {part.language}",
                "total": part.cards,
                "warnings": [w.format() for w in part.warnings],
                "noteTypes": [
                    {
                        "name": group.note_type.name,
                        "total": group.cards,
                        "templates": [{"name": t.name, "total": len(t.cards)} for t in group.templates],
                    }
                    for group in part.note_types
                ],
            }
            for part, names in zip(preview.decks, files, strict=True)
        ],
    }


def render_page(preview: Preview, files: list[list[str]]) -> str:
    assets = assets_dir()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(assets)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(PAGE).render(
        preview=preview,
        style=Markup((assets / "preview.css").read_text(encoding="utf-8")),
        script=Markup((assets / "preview.js").read_text(encoding="utf-8")),
        manifest=Markup(script_json(manifest(preview, files))),
    )


def script_json(data: object) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>`` or ``<!--`` can end or bend it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- the whole page, written ------------------------------------------------------------------------


def assets_dir() -> Path:
    return Path(str(resources.files("flashcards"))) / "preview_assets"


def write_preview(sources: Sequence[Path], out_dir: Path, project_dir: Path) -> tuple[Path, Preview]:
    """Write ``out_dir/index.html`` and the cards it shows whole, or not at all (see ``staged_files``)."""
    # Like the build, it makes millions of objects that live until it ends: collecting cycles only costs
    # time, then and once collecting is on again (they are set aside for it; freed as usual when let go).
    collecting = gc.isenabled()
    gc.disable()
    try:
        preview = load_preview(sources, project_dir)
        return write_site(preview, out_dir), preview
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
