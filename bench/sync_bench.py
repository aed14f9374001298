"""Measure `flashcards sync` against what it replaces: `flashcards build`, then both packages imported
with Anki's own backend (File > Import, twice).

    python bench/sync_bench.py                   # 1,000 and 10,000 concepts
    python bench/sync_bench.py --sizes 1000 --repeat 5

For every size it generates one bilingual source (bench/generate.py) and, alternately and each in a
fresh process, on a fresh copy of the same starting point: a first sync into an empty collection
against a build and two imports into an empty collection; then, from a collection that already holds
the deck, one concept edited and synced against one concept edited, built and imported. It reports
the best wall time of each and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generate import source_text
from measure import measure

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
LATER = {"SOURCE_DATE_EPOCH": "1700000100"}

IMPORT = """
import sys
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
col = Collection(sys.argv[1])
for package in sys.argv[2:]:
    col.import_anki_package(ImportAnkiPackageRequest(package_path=package, options=ImportAnkiPackageOptions()))
col.close()
"""


def empty_collection(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "backups").mkdir()
    measure(
        [
            PYTHON,
            "-c",
            f"from anki.collection import Collection; Collection({str(folder / 'c.anki2')!r}).close()",
        ],
        folder,
    )
    return folder / "c.anki2"


def fresh(start: Path, work: Path) -> Path:
    """A copy of a starting point (project and profile) to run one program on."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(start, work)
    return work


def edit_one(project: Path) -> None:
    source = project / "source" / "deck.yaml"
    text = source.read_text(encoding="utf-8")
    edited = text.replace("en: Gradient learning model data inference", "en: Edited gradient learning", 1)
    assert edited != text
    source.write_text(edited, encoding="utf-8")


def build_and_import(project: Path, env: dict[str, str]) -> float:
    build = measure([PYTHON, "-m", "flashcards", "build"], project, env).seconds
    packages = [str(project / "dist" / f"bench.{lang}.apkg") for lang in ("ja", "en")]
    imported = measure(
        [PYTHON, "-c", IMPORT, str(project / "profile" / "c.anki2"), *packages], project
    ).seconds
    return build + imported


def sync(project: Path, env: dict[str, str]) -> float:
    command = [PYTHON, "-m", "flashcards", "sync", "--collection", str(project / "profile" / "c.anki2")]
    return measure(command, project, env).seconds


def bench_size(n: int, repeat: int, work: Path) -> dict[str, float]:
    empty = work / f"empty-{n}"
    (empty / "source").mkdir(parents=True)
    (empty / "source" / "deck.yaml").write_text(source_text(n), encoding="utf-8")
    empty_collection(empty / "profile")
    synced = fresh(empty, work / f"synced-{n}")
    sync(synced, EPOCH)
    times: dict[str, list[float]] = {
        "first sync": [],
        "first build + imports": [],
        "sync": [],
        "build + imports": [],
    }
    for _ in range(repeat):
        times["first sync"].append(sync(fresh(empty, work / "run"), EPOCH))
        times["first build + imports"].append(build_and_import(fresh(empty, work / "run"), EPOCH))
        for name, program in (("sync", sync), ("build + imports", build_and_import)):
            project = fresh(synced, work / "run")
            edit_one(project)
            times[name].append(program(project, LATER))
    return {name: min(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each program per size (best is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flashcards-bench-") as folder:
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; best of {args.repeat} runs\n")
        print(
            f"{'concepts':>9} {'first sync':>11} {'build+imports':>14} {'ratio':>6} {'sync':>7} {'build+imports':>14} {'ratio':>6}"
        )
        for n in args.sizes:
            row = bench_size(n, args.repeat, Path(folder))
            print(
                f"{n:>9,} {row['first sync']:>10.2f}s {row['first build + imports']:>13.2f}s "
                f"{row['first sync'] / row['first build + imports']:>5.2f}x {row['sync']:>6.2f}s "
                f"{row['build + imports']:>13.2f}s {row['sync'] / row['build + imports']:>5.2f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
