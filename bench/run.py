"""Measure `flashcards build` against its floor, and old code against new side by side, in one run.

    python bench/run.py                                   # this checkout at 1k, 10k and 100k concepts
    python bench/run.py --sizes 1000 10000 --repeat 5
    python bench/run.py --old main                        # main against the working tree, alternating
    python bench/run.py --old main --new main             # a revision against itself: ratios near 1.00

For every size it generates one bilingual source as learners write them (bench/generate.py: formulas,
code blocks, questions and a few warnings). The new program builds it once, untimed (at the first size,
every program does), and the notes of its packages are dumped for the floor (bench/bare_genanki.py).
Then, alternately and each in a fresh process: the floor (genanki writing those notes), a first build of
each program (no lock file yet, no record of issued times) and a rebuild of each (lock file present,
nothing changed), the programs in turn first and second, each once the files of the runs before it are
written to disk. It reports the median wall time, processor time and peak memory of each, their ratios to
the floor and, with ``--old``, new / old. Each program builds in a project folder of its own, so that
neither reads the other's lock file.

With ``--old REF`` (a branch, tag or commit), REF and the new code (``--new REF``, or the working tree by
default) are each installed with their dependencies into a virtual environment of their own in the
benchmark's temporary folder (bench/revisions.py); without it, the build is this checkout's, run by this
Python. Then `flashcards --help` against `python -c pass`, Anki importing the new packages, and, when ankdown
is installed, 10,000 questions built by ankdown and by flashcards (bench/beside_build.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from beside_build import bench_ankdown, bench_help, bench_import
from generate import source_text
from measure import Run, measure, median
from revisions import WORKING_TREE, Program, install, this_checkout

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
FLOOR = "floor"


@dataclass(frozen=True)
class Row:
    """One program's medians at one size."""

    label: str
    run: Run
    #: The packages it wrote, in MB.
    size_mb: float


@dataclass(frozen=True)
class Size:
    n: int
    source_mb: float
    notes: int
    cards: int
    floor: Row
    #: Per program: its first build and its rebuild.
    builds: dict[str, tuple[Row, Row]]
    #: Per program whose packages hold other notes or cards than the floor's: how many.
    others: dict[str, tuple[int, int]]


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.apkg")) / 1024 / 1024


def settled(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """``command`` measured once the files of the runs before it are written to disk: a build that writes
    hundreds of megabytes otherwise slows the wall time of whichever run follows it."""
    os.sync()
    return measure(command, cwd, env)


def bench_size(n: int, repeat: int, work: Path, programs: list[Program], warm: bool) -> Size:
    """``programs`` alternating with the floor on a source of ``n`` concepts; ``warm``: each program builds
    once before the timed runs (the new one always does: its packages give the floor its notes)."""
    base = work / f"n{n}"
    text = source_text(n, rich=True, asked=True, untranslated=True)
    projects = {p.label: base / p.label for p in programs}
    states = {p.label: work / "state" / p.label for p in programs}
    for project in projects.values():
        (project / "source").mkdir(parents=True)
        (project / "source" / "bench.yaml").write_text(text, encoding="utf-8")

    def build(program: Program, first: bool) -> Run:
        project = projects[program.label]
        if first:
            (project / "source" / "bench.lock.yaml").unlink(missing_ok=True)
            # A first build is one that no build of this user preceded: its record of issued times goes too.
            shutil.rmtree(states[program.label], ignore_errors=True)
            shutil.rmtree(project / "dist", ignore_errors=True)
        return settled(program.build(), project, {"XDG_STATE_HOME": str(states[program.label])})

    new = programs[-1]
    for program in programs if warm else [new]:
        build(program, first=True)
    floor_dir = base / FLOOR
    floor = [PYTHON, str(BENCH / "bare_genanki.py")]
    measure([*floor, "dump", str(projects[new.label] / "dist"), str(floor_dir / "notes")], base)
    floor_runs: list[Run] = []
    firsts: dict[str, list[Run]] = {p.label: [] for p in programs}
    rebuilds: dict[str, list[Run]] = {p.label: [] for p in programs}
    for attempt in range(repeat):
        shutil.rmtree(floor_dir / "out", ignore_errors=True)
        floor_runs.append(settled([*floor, "write", str(floor_dir / "notes"), str(floor_dir / "out")], base))
        # Old, new, then new, old: neither always runs right after the floor, nor always last.
        order = programs if attempt % 2 == 0 else programs[::-1]
        for program in order:
            firsts[program.label].append(build(program, first=True))
        for program in order:
            rebuilds[program.label].append(build(program, first=False))
    notes, cards = counts(floor_dir / "out")
    others = {p.label: counts(projects[p.label] / "dist") for p in programs}
    result = Size(
        n,
        len(text.encode()) / 1024 / 1024,
        notes,
        cards,
        Row(FLOOR, median(floor_runs), size_mb(floor_dir / "out")),
        {
            p.label: (
                Row(f"{p.label} build", median(firsts[p.label]), size_mb(projects[p.label] / "dist")),
                Row(f"{p.label} rebuild", median(rebuilds[p.label]), size_mb(projects[p.label] / "dist")),
            )
            for p in programs
        },
        {label: pair for label, pair in others.items() if pair != (notes, cards)},
    )
    shutil.rmtree(base)
    return result


def counts(out: Path) -> tuple[int, int]:
    """Notes and cards of the packages in ``out``, both languages together."""
    notes = cards = 0
    with tempfile.TemporaryDirectory() as folder:
        for package in sorted(out.glob("*.apkg")):
            with zipfile.ZipFile(package) as archive:
                archive.extract("collection.anki2", folder)
            with sqlite3.connect(Path(folder) / "collection.anki2") as db:
                notes += db.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
                cards += db.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
            (Path(folder) / "collection.anki2").unlink()
    return notes, cards


#: The measures of a run reported, each with its ratios to the floor and to the old code.
MEASURES: tuple[tuple[str, str, Callable[[Run], float]], ...] = (
    ("wall", "s", lambda r: r.seconds),
    ("cpu", "s", lambda r: r.cpu_seconds),
    ("peak", "MB", lambda r: r.peak_mb),
)


def report(size: Size, old: str | None) -> None:
    print(
        f"\n{size.n:,} concepts: source {size.source_mb:.1f} MB, {size.notes:,} notes and {size.cards:,} cards "
        "in the two packages"
    )
    for label, (notes, cards) in size.others.items():
        print(f"  ({label} writes {notes:,} notes and {cards:,} cards)")
    print(
        f"  {'':<14}"
        + "".join(f" {f'{name} {unit}':>8} {'/floor':>6} {'/old':>6}" for name, unit, _ in MEASURES)
        + "  apkg MB"
    )
    rows: list[tuple[Row, Row | None]] = [(size.floor, None)]
    for label, pair in size.builds.items():
        for index, row in enumerate(pair):
            rows.append((row, size.builds[old][index] if old and label != old else None))
    for row, against in rows:
        line = f"  {row.label:<14}"
        for _, unit, value in MEASURES:
            ratio = f"{value(row.run) / value(against.run):.2f}x" if against else ""
            figure = f"{value(row.run):.2f}" if unit == "s" else f"{value(row.run):.0f}"
            line += f" {figure:>8} {value(row.run) / value(size.floor.run):>5.2f}x {ratio:>6}"
        print(f"{line} {row.size_mb:>8.1f}", flush=True)


def programs_to_compare(old: str | None, new: str | None, work: Path) -> list[Program]:
    if old is None and new is None:
        return [this_checkout("new")]
    installed = [install(old, "old", work)] if old is not None else []
    return [*installed, install(new or WORKING_TREE, "new", work)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each program per size (medians)")
    parser.add_argument("--old", metavar="REF", help="a git ref to install and compare with the new code")
    parser.add_argument(
        "--new", metavar="REF", help="a git ref to install as the new code (the working tree)"
    )
    parser.add_argument("--only-builds", action="store_true", help="skip the figures beside the builds")
    args = parser.parse_args()
    # Stopped, the benchmark still removes its temporary folder (the installed programs are large).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with tempfile.TemporaryDirectory(prefix="flashcards-bench-") as folder:
        work = Path(folder)
        # What builds remember per user goes to the benchmark's folder, never the home folder.
        os.environ["XDG_STATE_HOME"] = str(work / "state" / "other")
        programs = programs_to_compare(args.old, args.new, work / "programs")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of {args.repeat} runs")
        for program in programs:
            print(f"{program.label}: {program.origin}")
        old = "old" if args.old is not None else None
        sizes = []
        for index, n in enumerate(args.sizes):
            sizes.append(bench_size(n, args.repeat, work, programs, warm=index == 0))
            report(sizes[-1], old)
        if old:
            print("\nnew / old: wall time, processor time and peak memory of the first build; of the rebuild")
            for s in sizes:
                ratios = [
                    ", ".join(f"{value(new.run) / value(old_run.run):.2f}x" for _, _, value in MEASURES)
                    for old_run, new in zip(s.builds["old"], s.builds["new"], strict=True)
                ]
                print(f"  {s.n:>9,} concepts: {ratios[0]}; {ratios[1]}")
        by_n = {s.n: s for s in sizes}
        if 10_000 in by_n and 100_000 in by_n:
            growth = by_n[100_000].builds["new"][0].run.seconds / by_n[10_000].builds["new"][0].run.seconds
            print(f"\nbuild time from 10k to 100k concepts: {growth:.1f}x (linear is 10x)")
        if args.only_builds:
            return
        for program in programs:
            help_time, baseline = bench_help(program, args.repeat, work)
            print(
                f"{program.label}: flashcards --help: {help_time * 1000:.0f} ms "
                f"(python -c pass: {baseline * 1000:.0f} ms)"
            )
        new = programs[-1]
        imported = bench_import(new, 10_000, args.repeat, work)
        if imported is not None:
            print("importing the English deck of 10,000 concepts into Anki:")
            for name, cases in imported.items():
                alone = cases["alone"]
                print(
                    f"  {name + ':':<14}"
                    + ", ".join(f"{case} {s:.2f}s ({s / alone:.2f}x)" for case, s in cases.items())
                )
        ankdown = bench_ankdown(new, 10_000, args.repeat, work, work / "state" / "ankdown")
        if ankdown is None:
            print("ankdown is not installed (pip install ankdown) - no comparison")
        else:
            ours, theirs = ankdown
            print(f"10,000 questions: flashcards {ours:.2f}s, ankdown {theirs:.2f}s ({ours / theirs:.2f}x)")


if __name__ == "__main__":
    main()
