"""`flashcards preview --watch`: an edit reaches the page; a mistake is reported and the watch goes on."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flashcards.preview_site import write_preview
from flashcards.watch import watch_preview, watched_paths

from helpers import copy_project
from preview_page import page_cards

SOURCE = Path("source") / "ml-techniques.yaml"


def shows(page: Path, text: str) -> bool:
    """Whether a card of the page, as written now, has ``text`` on its back."""
    try:
        return any(text in card.back for card in page_cards(page))
    except FileNotFoundError:  # not written yet, or written again between reading the page and its cards
        return False


def wait_for(condition: object, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_an_edit_rewrites_the_page_and_a_mistake_is_reported_until_fixed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "templates").mkdir()
    page = project / "dist" / "preview" / "index.html"
    out: list[str] = []
    err: list[str] = []
    stop = threading.Event()

    def write() -> list[str]:
        path, result = write_preview([project / "source"], project / "dist" / "preview", project)
        return [f"{path.name}: {result.cards} cards"]

    def report(lines: list[str], problems: list[str]) -> None:
        out.extend(lines)
        err.extend(problems)

    watcher = threading.Thread(
        target=watch_preview,
        args=([project / "source"], project / "dist" / "preview", project, write, report),
        kwargs={"stop": stop, "debounce_ms": 100},
    )
    watcher.start()
    try:
        assert wait_for(lambda: out == ["index.html: 98 cards"])
        source = project / SOURCE
        text = source.read_text(encoding="utf-8")
        time.sleep(0.5)  # let the watcher start listening
        source.write_text(text.replace("Retraining the parameters", "Re-training the parameters"), "utf-8")
        assert wait_for(lambda: shows(page, "Re-training the parameters"))
        assert wait_for(lambda: len(out) >= 3)  # the page is written just before its line is reported
        assert out[1:3] == ["changed: source/ml-techniques.yaml", "index.html: 98 cards"]

        source.write_text(text.replace("answer: fine-tuning", "answer: fine-tunning", 1), "utf-8")
        assert wait_for(lambda: bool(err))
        assert err == [
            f"{project / SOURCE}:108:13: questions[0].answer: no concept has the id 'fine-tunning'; "
            "did you mean 'fine-tuning'?"
        ]
        assert shows(page, "Re-training the parameters")  # the last good page stays

        source.write_text(text, "utf-8")
        assert wait_for(lambda: shows(page, "Retraining the parameters"))
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()


def test_the_watch_covers_the_sources_and_the_projects_templates(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert watched_paths([project / SOURCE], project) == [(project / "source").resolve()]
    (project / "templates").mkdir()
    assert watched_paths([project / "source"], project) == sorted(
        [(project / "source").resolve(), (project / "templates").resolve()]
    )
