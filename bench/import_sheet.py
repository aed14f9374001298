"""Measure `flashcards import` on large sheets: a wrapped pipe table, a CSV and an XLSX file of N concepts,
each followed by N numbered questions whose answers are written in reverse order.

    python bench/import_sheet.py                      # 100, 1,000 and 5,000 concepts
    python bench/import_sheet.py --sizes 1000 --repeat 5

Each import runs in a fresh process and writes the source (checked as `flashcards check` checks it);
the best wall time and the peak memory (max RSS) of each are reported.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from pathlib import Path

import openpyxl
from measure import Run, best, measure

PYTHON = sys.executable


def rows(n: int) -> list[list[str]]:
    return [
        [f"Concept {i}", f"What concept number {i} does, in a sentence.", f"- Good at task {i}\n- Cheap"]
        for i in range(n)
    ]


def questions(n: int) -> list[str]:
    asked = [f"{i + 1}. Task {i} must be done cheaply. Which concept fits?" for i in range(n)]
    answered = [f"{i + 1}. Concept {i}. It is good at task {i}." for i in reversed(range(n))]
    return ["Questions:", *asked, "", "Answers:", *answered]


def pipe_sheet(n: int) -> bytes:
    lines = ["Concept | Description | Pros |"]
    for name, description, pros in rows(n):
        first, second = pros.split("\n")
        lines += [f"{name} | {description} | {first}", f"{second} |"]
    return "\n".join([*lines, "", *questions(n)]).encode()


def csv_sheet(n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([["Concept", "Description", "Pros"], *rows(n), []])
    writer.writerows([line] for line in questions(n))
    return out.getvalue().encode("utf-8-sig")


def xlsx_sheet(n: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    table: list[list[str | None]] = [["Concept", "Description", "Pros"]]
    table += [list(row) for row in rows(n)]
    table += [[None], *([line or None] for line in questions(n))]
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SHAPES = {"pipes.txt": pipe_sheet, "table.csv": csv_sheet, "book.xlsx": xlsx_sheet}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'sheet':>12} {'concepts':>9} {'seconds':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for n in args.sizes:
            for name, make in SHAPES.items():
                sheet = work / name
                sheet.write_bytes(make(n))
                runs: list[Run] = []
                for attempt in range(args.repeat):
                    target = work / f"{sheet.stem}-{n}-{attempt}" / "out.yaml"
                    command = [PYTHON, "-m", "flashcards", "import", str(sheet), "-o", str(target)]
                    runs.append(measure(command, work))
                result = best(runs)
                print(f"{name:>12} {n:>9,} {result.seconds:>8.2f} {result.peak_mb:>8.0f}")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
