"""The floor: genanki alone writing the notes of a build, whose fields were made beforehand.

It stands for the least any tool that writes these decks with genanki must spend: read the notes from a
file and write them as packages. No YAML, no checks, no templates, no masking: every field's HTML, every
tag, note type (fields, card templates, stylesheet) and deck comes from the packages a real
`flashcards build` wrote, so the floor writes the same notes (concept notes, an item note per feature,
pro and con, question notes, cards of the learner's own), in the same note types and subdecks.

Two steps, of which only the second is timed:

    python bench/bare_genanki.py dump dist/ notes/      # the notes of the packages in dist/ (untimed)
    python bench/bare_genanki.py write notes/ out/      # genanki writing them (the floor)

The first step writes one file of JSON lines per package (its decks and note types, then a note a line)
and copies the media files beside them. The second reads one package's notes at a time, as a build
makes one language's notes at a time, and lets them go once genanki has written them.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import genanki

TIMESTAMP = 1_700_000_000


def read_package(package: Path, media_dir: Path) -> dict[str, Any]:
    """One package's decks, note types and notes (fields, tags, guid, deck), its media saved in ``media_dir``."""
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(package) as archive:
        archive.extract("collection.anki2", folder)
        media = json.loads(archive.read("media") or b"{}")
        names = []
        for number, name in media.items():
            (media_dir / name).write_bytes(archive.read(number))
            names.append(name)
        with sqlite3.connect(Path(folder) / "collection.anki2") as db:
            models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
            # A note's cards all go to the deck of its first card (a subdeck of its topic).
            rows = db.execute(
                "SELECT n.guid, n.mid, n.tags, n.flds, c.did FROM notes n JOIN cards c ON c.nid = n.id "
                "AND c.ord = (SELECT MIN(ord) FROM cards WHERE nid = n.id) ORDER BY n.id"
            ).fetchall()
            cards = db.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
    models = [
        {
            "id": int(m["id"]),
            "name": m["name"],
            "type": m["type"],
            "fields": [f["name"] for f in m["flds"]],
            "templates": [{"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in m["tmpls"]],
            "css": m["css"],
            "req": m.get("req", []),
        }
        for m in json.loads(models_json).values()
    ]
    used = {row[4] for row in rows}
    decks = [
        {"id": int(d["id"]), "name": d["name"], "desc": d.get("desc", "")}
        for d in json.loads(decks_json).values()
        if int(d["id"]) in used
    ]
    notes = [[guid, mid, tags.split(), flds.split("\x1f"), did] for guid, mid, tags, flds, did in rows]
    return {
        "name": package.name,
        "decks": decks,
        "models": models,
        "notes": notes,
        "media": names,
        "cards": cards,
    }


def dump(dist: Path, target: Path) -> None:
    """Every package of ``dist`` as JSON lines in the folder ``target``, with its media files."""
    target.mkdir(parents=True, exist_ok=True)
    for package in sorted(dist.glob("*.apkg")):
        contents = read_package(package, target)
        notes = contents.pop("notes")
        with (target / f"{package.name}.jsonl").open("w", encoding="utf-8") as out:
            for value in (contents, *notes):
                out.write(json.dumps(value, ensure_ascii=False) + "\n")


def write(source: Path, out: Path) -> None:
    """genanki writing the packages dumped in ``source`` into ``out``, one after the other."""
    out.mkdir(parents=True, exist_ok=True)
    for index, dumped in enumerate(sorted(source.glob("*.jsonl"))):
        with dumped.open(encoding="utf-8") as lines:
            package = json.loads(next(lines))
            models = {}
            for m in package["models"]:
                fields = [{"name": f} for f in m["fields"]]
                model = genanki.Model(
                    m["id"], m["name"], fields=fields, templates=m["templates"], css=m["css"]
                )
                model.model_type = m["type"]
                model._req = m["req"]  # as the build worked it out (Anki's rule, with its field filters)
                models[m["id"]] = model
            decks = {
                d["id"]: genanki.Deck(d["id"], d["name"], description=d["desc"]) for d in package["decks"]
            }
            for line in lines:
                guid, model_id, tags, fields, deck_id = json.loads(line)
                decks[deck_id].add_note(genanki.Note(models[model_id], fields, tags=tags, guid=guid))
        media = [str(source / name) for name in package["media"]]
        genanki.Package(list(decks.values()), media_files=media).write_to_file(
            out / package["name"], timestamp=TIMESTAMP + index
        )
        del package, models, decks


def main() -> None:
    command, first, second = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if command == "dump":
        dump(first, second)
    elif command == "write":
        write(first, second)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
