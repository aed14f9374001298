"""The flashcards programs a benchmark runs: this checkout as it is, or any revision installed on its own.

A revision (a git ref: a branch, a tag, a commit) is exported from the repository with ``git archive`` and
installed, with its own dependencies, into a virtual environment of its own in the benchmark's temporary
folder: old and new code then run side by side, each with what it was made with. The working tree can be
installed the same way, so that both sides are installed alike (neither editable).
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: What a revision is called when it is this checkout's working tree, uncommitted changes included.
WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Program:
    """One side of a comparison: its name in the report and the Python that runs it."""

    label: str
    python: Path
    #: What it was installed from: a git ref and its commit, or the working tree.
    origin: str

    def build(self) -> list[str]:
        return [str(self.python), "-m", "flashcards", "build"]


def this_checkout(label: str) -> Program:
    """The flashcards this benchmark's own Python imports (the checkout, installed for development)."""
    return Program(label, Path(sys.executable), f"{WORKING_TREE} ({sys.executable})")


def install(ref: str, label: str, work: Path) -> Program:
    """``ref`` (or the working tree, for ``WORKING_TREE``) installed into a new virtual environment under
    ``work``."""
    folder = work / label
    if ref == WORKING_TREE:
        source, origin = REPO, WORKING_TREE
    else:
        commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}").decode().strip()
        source, origin = folder / "source", f"{ref} ({commit[:10]})"
        source.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(_git("archive", "--format=tar", commit))) as archive:
            archive.extractall(source, filter="data")
    venv = folder / "venv"
    print(f"installing {label}: {origin}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"installing {origin} failed:\n{result.stderr}")
    return Program(label, python, origin)


def _git(*args: str) -> bytes:
    result = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {result.stderr.decode().strip()}")
    return result.stdout
