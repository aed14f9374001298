"""`flashcards preview --watch`: the page written again whenever a source, template or picture changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from flashcards.errors import FlashcardsError

#: What one write of the preview gives: the lines to show (stdout) and the problems (stderr).
Report = Callable[[list[str], list[str]], None]


def watched_paths(sources: Sequence[Path], project_dir: Path) -> list[Path]:
    """The folders a change in which can change the preview: the sources' and the project's templates."""
    folders = {(path if path.is_dir() else path.parent).resolve() for path in sources}
    templates = project_dir / "templates"
    if templates.is_dir():
        folders.add(templates.resolve())
    return sorted(folders)


def _relevant(out_dir: Path) -> Callable[[object, str], bool]:
    output = out_dir.resolve()

    def keep(change: object, name: str) -> bool:
        path = Path(name).resolve()
        return output not in path.parents and path != output and not path.name.startswith(".")

    return keep


def watch_preview(
    sources: Sequence[Path],
    out_dir: Path,
    project_dir: Path,
    write: Callable[[], list[str]],
    report: Report,
    *,
    stop: threading.Event | None = None,
    debounce_ms: int = 300,
) -> None:
    """Call ``write`` now and after every change, reporting its lines or its problems, until ``stop`` is
    set (Ctrl-C raises KeyboardInterrupt). A broken source is reported and watched until it is fixed."""
    import watchfiles

    _write_and_report(write, report)
    for changes in watchfiles.watch(
        *watched_paths(sources, project_dir),
        watch_filter=_relevant(out_dir),
        debounce=debounce_ms,
        step=50,
        stop_event=stop,
    ):
        report([f"changed: {', '.join(_names(changes, project_dir))}"], [])
        _write_and_report(write, report)


def _write_and_report(write: Callable[[], list[str]], report: Report) -> None:
    try:
        report(write(), [])
    except FlashcardsError as error:
        report([], error.messages())


def _names(changes: Iterable[tuple[object, str]], project_dir: Path) -> list[str]:
    root = project_dir.resolve()
    names = set()
    for _, name in changes:
        path = Path(name)
        if not path.exists() and path.suffix not in (".yaml", ".yml"):
            continue  # an editor's temporary file, already gone
        names.add(str(path.relative_to(root)) if root in path.parents else str(path))
    return sorted(names)
