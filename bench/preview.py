"""Measure `flashcards preview` on large sources: what it writes, how long it takes, and the page in Chromium.

    python bench/preview.py                       # 100, 1,000 and 10,000 concepts
    python bench/preview.py --sizes 1000 --repeat 5

For every size it generates one bilingual source (bench/generate.py) and reports:

- the page's size: index.html, the card files of one language, and all files;
- the time to write it (best of --repeat fresh `flashcards preview` processes) against `flashcards build`
  of the same source (rebuild, lock file present), and their ratio;
- in headless Chromium (Playwright driving /usr/bin/chromium, or FLASHCARDS_CHROMIUM): the time from
  navigation until the first card's frame shows its text, and the JavaScript heap a second later (after a
  garbage collection); the time until the page has read ahead the first language's cards (it does while
  idle, up to 40,000 cards) and the heap then; and the time of one filter over all of them (typing a
  query until the next frame is painted, reading the cards not read ahead first).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generate import source_text
from measure import best, measure

PYTHON = sys.executable
CHROMIUM = Path(os.environ.get("FLASHCARDS_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

FIRST_TEXT = """() => {
  const frame = document.querySelector(".pv-frame");
  const qa = frame && frame.contentDocument && frame.contentDocument.getElementById("qa");
  return qa && qa.textContent.trim() ? performance.now() : 0;
}"""

READ_AHEAD = "() => window.flashcardsPreview.readAheadDone()"

FILTER = """async (query) => {
  const start = performance.now();
  const box = document.getElementById("pv-filter");
  box.value = query;
  box.dispatchEvent(new Event("input"));
  await window.flashcardsPreview.settled();
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return [performance.now() - start, document.getElementById("pv-count").textContent];
}"""


def mb(size: int) -> float:
    return size / 1024 / 1024


def browse(page_path: Path, query: str) -> dict[str, float | str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(page_path.as_uri())
            first = page.wait_for_function(FIRST_TEXT, polling="raf", timeout=120_000).json_value()
            page.wait_for_timeout(1000)  # let the frames near the screen settle
            session = page.context.new_cdp_session(page)
            session.send("HeapProfiler.collectGarbage")
            heap = session.send("Runtime.getHeapUsage")["usedSize"]
            # The page reads ahead while idle (up to 40,000 cards); then the heap again, and a filter (which
            # reads the rest of the language's cards first, if any).
            page.wait_for_function(READ_AHEAD, timeout=120_000)
            all_read = page.evaluate("window.flashcardsPreview.lastReadAt()")
            session.send("HeapProfiler.collectGarbage")
            heap_all = session.send("Runtime.getHeapUsage")["usedSize"]
            seconds, shown = page.evaluate(FILTER, query)
            return {
                "first_s": first / 1000,
                "heap_mb": mb(heap),
                "all_read_s": all_read / 1000,
                "heap_all_mb": mb(heap_all),
                "filter_s": seconds / 1000,
                "shown": shown,
            }
        finally:
            browser.close()


def bench_size(n: int, repeat: int, work: Path) -> None:
    project = work / f"n{n}"
    (project / "source").mkdir(parents=True)
    (project / "source" / "bench.yaml").write_text(source_text(n), encoding="utf-8")
    out = project / "dist" / "preview"
    command = [PYTHON, "-m", "flashcards"]
    measure([*command, "build"], project)  # the lock file, as a learner's project has one
    previews, builds = [], []
    for _ in range(repeat):
        previews.append(measure([*command, "preview"], project))
        builds.append(measure([*command, "build"], project))
    p, b = best(previews), best(builds)
    page = (out / "index.html").stat().st_size
    one_language = sum(f.stat().st_size for f in (out / "cards").glob("*.en.*.js"))
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    browser = browse(out / "index.html", str(n - 1))
    print(
        f"{n:>6} concepts | page {mb(page):5.2f} MB + cards {mb(one_language):6.2f} MB per language "
        f"(all {mb(total):6.2f} MB) | preview {p.seconds:5.2f} s, {p.peak_mb:4.0f} MB; build {b.seconds:5.2f} s "
        f"(x{p.seconds / b.seconds:.2f}) | first card {browser['first_s']:.2f} s, heap {browser['heap_mb']:5.1f} MB; "
        f"read ahead {browser['all_read_s']:.2f} s, heap {browser['heap_all_mb']:5.1f} MB; "
        f"filter {browser['filter_s']:.3f} s ({browser['shown']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="flashcards-preview-bench-"))
    try:
        for n in args.sizes:
            bench_size(n, args.repeat, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
