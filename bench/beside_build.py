"""The figures `bench/run.py` gives beside the build's: start-up, Anki importing the packages, and ankdown.

Each takes the program to measure (see ``revisions.Program``): this checkout, or a revision installed on
its own.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from generate import source_text
from measure import measure
from revisions import Program

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable


def bench_help(program: Program, repeat: int, work: Path) -> tuple[float, float]:
    """The least time of `flashcards --help` and of `python -c pass`, in seconds."""
    baseline = min(measure([str(program.python), "-c", "pass"], work).seconds for _ in range(repeat * 3))
    command = [str(program.python), "-m", "flashcards", "--help"]
    return min(measure(command, work).seconds for _ in range(repeat * 3)), baseline


def bench_ankdown(
    program: Program, n: int, repeat: int, work: Path, state: Path
) -> tuple[float, float] | None:
    """The least times of ``program`` and of ankdown building ``n`` one-card questions, or None without
    ankdown."""
    ankdown = shutil.which("ankdown") or str(Path(PYTHON).with_name("ankdown"))
    if not Path(ankdown).exists():
        return None
    project = work / "questions"
    (project / "cards").mkdir(parents=True)
    (project / "source").mkdir()
    cards = "\n---\n\n".join(f"Question number {i}: what is {i} squared?\n\n%\n\n{i * i}\n" for i in range(n))
    (project / "cards" / "questions.md").write_text(cards, encoding="utf-8")
    lines = [
        "deck:\n  id: questions\n  languages: [en]\n  name: {en: Questions}\n",
        "concepts:\n  - id: squares\n    name: {en: Squares}\n    description: {en: A number times itself.}\n",
        "questions:\n",
    ]
    lines.extend(
        f"  - id: q{i}\n    question: {{en: 'Question number {i}: what is {i} squared?'}}\n"
        f"    answer: squares\n    explanation: {{en: '{i * i}'}}\n"
        for i in range(n)
    )
    (project / "source" / "questions.yaml").write_text("".join(lines), encoding="utf-8")
    ours, theirs = [], []
    for _ in range(repeat):
        (project / "source" / "questions.lock.yaml").unlink(missing_ok=True)
        shutil.rmtree(state, ignore_errors=True)
        ours.append(measure(program.build(), project, {"XDG_STATE_HOME": str(state)}).seconds)
        theirs.append(measure([ankdown, "-r", "cards", "-p", "ankdown.apkg"], project).seconds)
    return min(ours), min(theirs)


def bench_import(program: Program, n: int, repeat: int, work: Path) -> dict[str, dict[str, float]] | None:
    """Seconds Anki's own backend takes to import the English package of ``n`` concepts: into a new
    collection, into one that holds the Japanese package of the same build, and (for flashcards) into
    one that holds the Japanese package of another deck of the same size, whose ids are elsewhere: what
    a larger collection costs by itself. The floor's packages (genanki's ids) are imported alike."""
    try:
        from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    except ImportError:
        return None
    project, other = work / "import", work / "import-other"
    for folder, deck_id in ((project, "bench"), (other, "other")):
        (folder / "source").mkdir(parents=True)
        (folder / "source" / "deck.yaml").write_text(source_text(n, deck_id), encoding="utf-8")
    state = {"XDG_STATE_HOME": str(work / "import-state")}
    measure(program.build(), project, state)
    measure(program.build(), other, {**state, "SOURCE_DATE_EPOCH": "1600000000"})
    floor = [PYTHON, str(BENCH / "bare_genanki.py")]
    measure([*floor, "dump", "dist", "floor"], project)
    measure([*floor, "write", "floor", "bare"], project)
    english = {
        "flashcards": project / "dist" / "bench.en.apkg",
        "bare genanki": project / "bare" / "bench.en.apkg",
    }
    before = {
        ("flashcards", "alone"): None,
        ("flashcards", "after its Japanese deck"): project / "dist" / "bench.ja.apkg",
        ("flashcards", "after another deck"): other / "dist" / "other.ja.apkg",
        ("bare genanki", "alone"): None,
        ("bare genanki", "after its Japanese deck"): project / "bare" / "bench.ja.apkg",
    }

    def timed_import(collection: Collection, package: Path) -> float:
        request = ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        start = time.perf_counter()
        collection.import_anki_package(request)
        return time.perf_counter() - start

    best: dict[str, dict[str, float]] = {"flashcards": {}, "bare genanki": {}}
    for attempt in range(repeat):
        for index, ((name, case), first) in enumerate(before.items()):
            collection = Collection(str(work / f"collection-{attempt}-{index}.anki2"))
            if first is not None:
                timed_import(collection, first)
            seconds = timed_import(collection, english[name])
            collection.close()
            best[name][case] = min(seconds, best[name].get(case, seconds))
    return best
