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


def measure(command: list[str], cwd: Path) -> Run:
    """Wall time and peak resident memory of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        assert process.stderr is not None
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
    return Run(seconds, usage.ru_maxrss / 1024)


def best(runs: list[Run]) -> Run:
    return Run(min(r.seconds for r in runs), max(r.peak_mb for r in runs))


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
        ours.append(measure([PYTHON, "-m", "flashcards", "build"], project).seconds)
        theirs.append(measure([ankdown, "-r", "cards", "-p", "ankdown.apkg"], project).seconds)
    return min(ours), min(theirs)


def bench_import(n: int, work: Path) -> tuple[float, float, float] | None:
    """Seconds Anki's own backend takes to import the English package alone, the Japanese one alone, and
    the English one into a collection that already holds the Japanese deck."""
    try:
        from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    except ImportError:
        return None
    project = work / "import"
    (project / "source").mkdir(parents=True)
    (project / "source" / "bench.yaml").write_text(source_text(n), encoding="utf-8")
    measure([PYTHON, "-m", "flashcards", "build"], project)

    def timed_import(collection: Collection, language: str) -> float:
        request = ImportAnkiPackageRequest(
            package_path=str(project / "dist" / f"bench.{language}.apkg"), options=ImportAnkiPackageOptions()
        )
        start = time.perf_counter()
        collection.import_anki_package(request)
        return time.perf_counter() - start

    times = []
    for name, languages in (("en", ["en"]), ("ja", ["ja"]), ("both", ["ja", "en"])):
        collection = Collection(str(project / f"{name}.anki2"))
        times.append([timed_import(collection, language) for language in languages][-1])
        collection.close()
    return times[0], times[1], times[2]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each program per size (best is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flashcards-bench-") as folder:
        work = Path(folder)
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
        imported = bench_import(10_000, work)
        if imported is not None:
            alone, other, after = imported
            print(
                f"importing 10,000 concepts into Anki: the English deck alone {alone:.2f}s "
                f"(Japanese alone {other:.2f}s), after the Japanese deck {after:.2f}s"
            )
        ankdown = bench_ankdown(10_000, args.repeat, work)
        if ankdown is None:
            print("ankdown is not installed (pip install ankdown) - no comparison")
        else:
            ours, theirs = ankdown
            print(f"10,000 questions: flashcards {ours:.2f}s, ankdown {theirs:.2f}s ({ours / theirs:.2f}x)")


if __name__ == "__main__":
    main()
