"""The floor: genanki alone writing the same notes that `flashcards build` writes from a generated source.

No YAML, no validation, no templates: the field HTML, note types and ids are made here directly, with
the same card templates and stylesheet, and both languages are written as two packages.

    python bench/bare_genanki.py 10000 OUT_DIR
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import genanki
from generate import entries

FIELDS = [
    "Name",
    "Description",
    "Features",
    "Pros",
    "Cons",
    "Example",
    "AskFromDescription",
    "AskFromExample",
]
TEMPLATES = [
    "NameToDescription",
    "DescriptionToName",
    "NameToFeatures",
    "NameToPros",
    "NameToCons",
    "ExampleToName",
]
#: (condition field, prompt field, answer field) of each card template, as in templates/concept/.
CARDS = [
    ("Description", "Name", "Description"),
    ("AskFromDescription", "Description", "Name"),
    ("Features", "Name", "Features"),
    ("Pros", "Name", "Pros"),
    ("Cons", "Name", "Cons"),
    ("AskFromExample", "Example", "Name"),
]
CSS = (Path(__file__).resolve().parent.parent / "templates" / "style.css").read_text(encoding="utf-8")


def model(language: str, model_id: int) -> genanki.Model:
    templates = [
        {
            "name": name,
            "qfmt": f'{{{{#{cond}}}}}<div class="fc fc-front" lang="{language}"><div class="fc-prompt">'
            f"{{{{{prompt}}}}}</div></div>{{{{/{cond}}}}}",
            "afmt": f'{{{{FrontSide}}}}<hr id="answer"><div class="fc fc-back"><div class="fc-answer">'
            f"{{{{{answer}}}}}</div></div>",
        }
        for name, (cond, prompt, answer) in zip(TEMPLATES, CARDS, strict=True)
    ]
    return genanki.Model(
        model_id,
        f"bench concept {language}",
        fields=[{"name": f} for f in FIELDS],
        templates=templates,
        css=CSS,
    )


def items(values: tuple[tuple[str, str], ...], index: int) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(v[index], quote=False)}</li>" for v in values) + "</ul>"


def main() -> None:
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    timestamp = 1_700_000_000
    for index, language in enumerate(("ja", "en")):
        anki_model = model(language, 1_500_000_000 + index)
        deck = genanki.Deck(1_600_000_000 + index, f"Bench {language}")
        for e in entries(n):
            fields = [
                html.escape(e.name[index], quote=False),
                html.escape(e.description[index], quote=False),
                items(e.features, index),
                items(e.pros, index),
                items(e.cons, index),
                html.escape(e.example[index], quote=False),
                "y",
                "y",
            ]
            deck.add_note(
                genanki.Note(model=anki_model, fields=fields, guid=genanki.guid_for(language, e.id))
            )
        genanki.Package(deck).write_to_file(out / f"bench.{language}.apkg", timestamp=timestamp + index)


if __name__ == "__main__":
    main()
