"""Measure `flashcards build` against bare genanki writing the same notes, as ratios in one run.

    python bench/run.py                      # 1k, 10k and 100k concepts
    python bench/run.py --sizes 1000 10000 --repeat 5

For every size it generates one bilingual source (bench/generate.py), then runs, alternately and
each in a fresh process: bare genanki (bench/bare_genanki.py), a first `flashcards build` (no lock
file yet) and a rebuild (lock file present, nothing changed). It reports the best wall time of each,
the ratios to bare genanki, peak memory (max RSS), and package sizes. Then `flashcards --help` against
`python -c pass`, and, when ankdown is installed, a 10,000-question deck built by ankdown and by
flashcards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generate import source_text

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak resident memory of one process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, **env} if env else None,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode()}")
    return Run(seconds, usage.ru_maxrss / 1024)


def best(runs: list[Run]) -> Run:
    return Run(min(r.seconds for r in runs), max(r.peak_mb for r in runs))


def forget_issued_times() -> None:
    """A first build is one that no build of this user preceded: its record of issued times goes too."""
    shutil.rmtree(Path(os.environ["XDG_STATE_HOME"]) / "flashcards", ignore_errors=True)


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.apkg")) / 1024 / 1024


def bench_size(n: int, repeat: int, work: Path) -> dict[str, float]:
    project = work / f"n{n}"
    (project / "source").mkdir(parents=True)
    source = project / "source" / "bench.yaml"
    source.write_text(source_text(n), encoding="utf-8")
    lock = project / "source" / "bench.lock.yaml"
    bare_out, build_out = project / "bare", project / "dist"
    bare, first, rebuild = [], [], []
    for _ in range(repeat):
        shutil.rmtree(bare_out, ignore_errors=True)
        bare.append(measure([PYTHON, str(BENCH / "bare_genanki.py"), str(n), str(bare_out)], project))
        lock.unlink(missing_ok=True)
        forget_issued_times()
        shutil.rmtree(build_out, ignore_errors=True)
        first.append(measure([PYTHON, "-m", "flashcards", "build"], project))
        rebuild.append(measure([PYTHON, "-m", "flashcards", "build"], project))
    b, f, r = best(bare), best(first), best(rebuild)
    row = {
        "n": n,
        "source_mb": source.stat().st_size / 1024 / 1024,
        "bare_s": b.seconds,
        "build_s": f.seconds,
        "rebuild_s": r.seconds,
        "bare_mb": b.peak_mb,
        "build_mb": max(f.peak_mb, r.peak_mb),
        "bare_size": size_mb(bare_out),
        "build_size": size_mb(build_out),
    }
    shutil.rmtree(project)
    return row


def bench_help(repeat: int, work: Path) -> tuple[float, float]:
    baseline = min(measure([PYTHON, "-c", "pass"], work).seconds for _ in range(repeat * 3))
    help_time = min(measure([PYTHON, "-m", "flashcards", "--help"], work).seconds for _ in range(repeat * 3))
    return help_time, baseline


def bench_ankdown(n: int, repeat: int, work: Path) -> tuple[float, float] | None:
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
        forget_issued_times()
        ours.append(measure([PYTHON, "-m", "flashcards", "build"], project).seconds)
        theirs.append(measure([ankdown, "-r", "cards", "-p", "ankdown.apkg"], project).seconds)
    return min(ours), min(theirs)


def bench_import(n: int, repeat: int, work: Path) -> dict[str, dict[str, float]] | None:
    """Seconds Anki's own backend takes to import the English package of ``n`` concepts: into a new
    collection, into one that holds the Japanese package of the same build, and (for flashcards) into
    one that holds the Japanese package of another deck of the same size, whose ids are elsewhere: what
    a larger collection costs by itself. bare genanki's two packages share one range of ids."""
    try:
        from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    except ImportError:
        return None
    project, other = work / "import", work / "import-other"
    for folder, deck_id in ((project, "bench"), (other, "other")):
        (folder / "source").mkdir(parents=True)
        (folder / "source" / "deck.yaml").write_text(source_text(n, deck_id), encoding="utf-8")
    measure([PYTHON, "-m", "flashcards", "build"], project)
    measure([PYTHON, "-m", "flashcards", "build"], other, {"SOURCE_DATE_EPOCH": "1600000000"})
    measure([PYTHON, str(BENCH / "bare_genanki.py"), str(n), str(project / "bare")], project)
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
        for index, ((program, case), first) in enumerate(before.items()):
            collection = Collection(str(work / f"collection-{attempt}-{index}.anki2"))
            if first is not None:
                timed_import(collection, first)
            seconds = timed_import(collection, english[program])
            collection.close()
            best[program][case] = min(seconds, best[program].get(case, seconds))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each program per size (best is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flashcards-bench-") as folder:
        work = Path(folder)
        # What builds remember per user goes to the benchmark's folder, never the home folder.
        os.environ["XDG_STATE_HOME"] = str(work / "state")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; best of {args.repeat} runs\n")
        header = (
            f"{'concepts':>9} {'source':>8} {'bare':>7} {'build':>7} {'ratio':>6} {'rebuild':>8} {'ratio':>6} "
            f"{'bare MB':>8} {'build MB':>9} {'ratio':>6} {'bare apkg':>10} {'apkg':>7}"
        )
        print(header)
        rows = []
        for n in args.sizes:
            row = bench_size(n, args.repeat, work)
            rows.append(row)
            print(
                f"{n:>9,} {row['source_mb']:>6.1f}MB {row['bare_s']:>6.2f}s {row['build_s']:>6.2f}s "
                f"{row['build_s'] / row['bare_s']:>5.2f}x {row['rebuild_s']:>7.2f}s "
                f"{row['rebuild_s'] / row['bare_s']:>5.2f}x {row['bare_mb']:>8.0f} {row['build_mb']:>9.0f} "
                f"{row['build_mb'] / row['bare_mb']:>5.2f}x {row['bare_size']:>8.1f}MB {row['build_size']:>5.1f}MB",
                flush=True,
            )
        by_n = {int(r["n"]): r for r in rows}
        if 10_000 in by_n and 100_000 in by_n:
            growth = by_n[100_000]["build_s"] / by_n[10_000]["build_s"]
            print(f"\nbuild time from 10k to 100k concepts: {growth:.1f}x (linear is 10x)")
        help_time, baseline = bench_help(args.repeat, work)
        print(f"flashcards --help: {help_time * 1000:.0f} ms (python -c pass: {baseline * 1000:.0f} ms)")
        imported = bench_import(10_000, args.repeat, work)
        if imported is not None:
            print("importing the English deck of 10,000 concepts into Anki:")
            for program, cases in imported.items():
                alone = cases["alone"]
                print(
                    f"  {program + ':':<14}"
                    + ", ".join(f"{case} {s:.2f}s ({s / alone:.2f}x)" for case, s in cases.items())
                )
        ankdown = bench_ankdown(10_000, args.repeat, work)
        if ankdown is None:
            print("ankdown is not installed (pip install ankdown) - no comparison")
        else:
            ours, theirs = ankdown
            print(f"10,000 questions: flashcards {ours:.2f}s, ankdown {theirs:.2f}s ({ours / theirs:.2f}x)")


if __name__ == "__main__":
    main()
