"""Time reading a lock file the size of a large deck's: the time every build spends before its first card.

    python bench/lock_read.py 10000 100000
    PYTHONPATH=/path/to/other/checkout python bench/lock_read.py 10000   # the same, another version

For each size, a lock such as a build of that many concepts writes (two languages; each concept a concept
note, six item notes and six items; one note in fifty a removed one) is written to a temporary folder and
read back; the best of five readings is printed (wall clock and CPU time: on a busy machine the CPU time is
the steadier), and the peak memory of a fresh process that reads it once. Run it with another checkout first on
PYTHONPATH to compare two versions on the same lock.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flashcards.lock import (
    ItemKey,
    Lock,
    NoteKey,
    NoteRecord,
    NoteTypeKey,
    NoteTypeRecord,
    format_lock,
    read_lock,
)

LISTS = ("features", "pros", "cons")


def lock_of(concepts: int) -> Lock:
    lock = Lock()
    for language in ("ja", "en"):
        for kind, fields in (("concept", ("Name", "Description")), ("item", ("Entry", "Item"))):
            record = NoteTypeRecord(
                1_000_000 + len(lock.note_types), fields, ("A", "B"), "0123456789abcdef", 1_795_955_194
            )
            lock.note_types[NoteTypeKey(language, kind)] = record
    for n in range(concepts):
        concept = f"concept-{n}"
        for language in ("ja", "en"):
            removed = n % 50 == 0
            lock.notes[NoteKey(language, "concept", concept)] = NoteRecord(
                f"{n:016x}", 1_795_955_194, removed
            )
            for list_name in LISTS:
                for number in (1, 2):
                    item = f"{concept}-{list_name}-{number}"
                    lock.notes[NoteKey(language, "item", item)] = NoteRecord(
                        f"{n * 7 + number:016x}", 1_795_955_194
                    )
        for list_name in LISTS:
            for number in (1, 2):
                lock.items[ItemKey(concept, list_name, number)] = {"en": f"{n:016x}", "ja": f"{n + 1:016x}"}
    return lock


def main() -> None:
    if sys.argv[1] == "--read-once":
        read_lock(Path(sys.argv[2]))
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        return
    for concepts in (int(arg) for arg in sys.argv[1:]):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "deck.lock.yaml"
            written = lock_of(concepts)
            path.write_text(format_lock(written, "deck.yaml"), encoding="utf-8")
            times, cpu = [], []
            for _ in range(5):
                start, start_cpu = time.perf_counter(), time.process_time()
                read = read_lock(path)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            assert read == written
            size = path.stat().st_size / 1024 / 1024
            once = [sys.executable, __file__, "--read-once", str(path)]
            peak = subprocess.run(once, check=True, capture_output=True, text=True).stdout.strip()
            print(
                f"{concepts:>7} concepts  {size:6.1f} MB lock  read in {min(times):.2f} s ({min(cpu):.2f} s of CPU), "
                f"peak memory {peak} MB"
            )


if __name__ == "__main__":
    main()
