"""Builds stopped from outside (SIGKILL, SIGTERM, SIGINT) at the worst moments: the next build finds the
outputs consistent or makes them so and says it, and no temporary file or folder outlives a build."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from anki.collection import Collection

from helpers import import_package, rendered_cards, run_cli

EDITED = "Putting what a pre-trained model has learned to use on a different but related task."

#: Runs `flashcards build` in a process that sends itself SIGNAL right after CALL in MODULE returns (the
#: COUNT-th time that CONDITION holds); the signal is real, so the build meets it as it would meet `kill`.
STOPPED_BUILD = """
import os, signal, sys
# Ctrl-C as in a terminal (a shell starts a job in the background with it ignored, which Python keeps)
signal.signal(signal.SIGINT, signal.default_int_handler)
import {module} as module
real, calls = module.{call}, []
def stopped(*args, **kwargs):
    result = real(*args, **kwargs)
    if {condition}:
        calls.append(args)
    if len(calls) == {count}:
        os.kill(os.getpid(), signal.{signal})
    return result
module.{call} = stopped
from flashcards.cli import main
sys.argv = ["flashcards", "build"]
main()
"""


def stopped_build(
    project: Path, tmp: Path, *, module: str, call: str, sig: str, count: int = 1, condition: str = "True"
) -> subprocess.CompletedProcess[str]:
    script = STOPPED_BUILD.format(module=module, call=call, count=count, condition=condition, signal=sig)
    env = {**os.environ, "TMPDIR": str(tmp), "SOURCE_DATE_EPOCH": "1700000100"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def listing(project: Path, tmp: Path) -> dict[str, list[str]]:
    """Every file in dist/, source/ and the temporary folder, as `ls -A` lists them."""
    return {
        name: sorted(os.listdir(folder))
        for name, folder in (("dist", project / "dist"), ("source", project / "source"), ("tmp", tmp))
    }


CLEAN = {
    "dist": ["ml-techniques.en.apkg", "ml-techniques.ja.apkg"],
    "source": ["ml-techniques.lock.yaml", "ml-techniques.yaml"],
    "tmp": [],
}


@pytest.fixture
def built(project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The bundled deck built once, then its transfer-learning description edited."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run_cli(["build"], project).exit_code == 0
    source = project / "source" / "ml-techniques.yaml"
    old = "en: Applying a pre-trained model's knowledge to a related task."
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1
    source.write_text(text.replace(old, f"en: {EDITED}"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return project


def transfer_learning_back(col: Collection) -> str:
    (card,) = [
        c
        for c in rendered_cards(col, "card:NameToDescription")
        if "Transfer learning" in c.question.splitlines()
    ]
    return card.answer.splitlines()[-1]


def test_a_build_killed_between_two_renames_is_finished_by_the_next_one(
    built: Path, tmp_path: Path, collection: Collection
) -> None:
    project, tmp = built, tmp_path / "tmp"
    import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    old_english = (project / "dist" / "ml-techniques.en.apkg").read_bytes()
    old_lock = (project / "source" / "ml-techniques.lock.yaml").read_bytes()

    # Killed right after the first package is renamed into place: the new Japanese package, the old
    # English one and the old lock file.
    killed = stopped_build(
        project, tmp, module="os", call="replace", sig="SIGKILL", condition="str(args[1]).endswith('.apkg')"
    )
    assert killed.returncode == -signal.SIGKILL
    assert (project / "dist" / "ml-techniques.en.apkg").read_bytes() == old_english
    assert (project / "source" / "ml-techniques.lock.yaml").read_bytes() == old_lock

    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    assert said(result.stderr) == [
        "dist/ml-techniques.en.apkg: warning: the previous build was stopped while it put its files in "
        "place; this build put the rest of them in place first: dist/ml-techniques.en.apkg, "
        "source/ml-techniques.lock.yaml"
    ]
    # The set is whole again: the lock knows the edit, so nothing is left to change.
    since = result.stdout.splitlines()[1::2]
    assert all(re.fullmatch(r"  since the last build: \d+ unchanged", line) for line in since)
    assert listing(project, tmp) == CLEAN
    summary = import_package(collection, project / "dist" / "ml-techniques.en.apkg")
    assert (summary.new, summary.updated) == (0, 1)
    assert transfer_learning_back(collection) == EDITED


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize(
    ("module", "call"),
    [("flashcards.export", "write_collection"), ("flashcards.staging", "_write_text")],
    ids=["writing a package", "writing the lock file"],
)
def test_a_stopped_build_cleans_up_before_it_exits(
    built: Path, tmp_path: Path, sig: str, module: str, call: str
) -> None:
    project, tmp = built, tmp_path / "tmp"
    before = {p: p.read_bytes() for p in [*(project / "dist").iterdir(), *(project / "source").iterdir()]}
    stopped = stopped_build(project, tmp, module=module, call=call, sig=sig)
    assert stopped.returncode == (128 + signal.SIGTERM if sig == "SIGTERM" else 1)
    assert "Traceback" not in stopped.stderr
    assert listing(project, tmp) == CLEAN
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize(
    ("module", "call", "left"),
    [
        (
            "flashcards.export",
            "write_collection",
            {"dist": [".ml-techniques.ja.apkg.PID.partial"], "source": [], "tmp": ["flashcards-PID"]},
        ),
        (
            "flashcards.staging",
            "_write_text",
            {
                "dist": [".ml-techniques.en.apkg.PID.partial", ".ml-techniques.ja.apkg.PID.partial"],
                "source": [".ml-techniques.lock.yaml.PID.partial"],
                "tmp": [],
            },
        ),
    ],
    ids=["writing a package", "writing the lock file"],
)
def test_what_a_killed_build_left_is_removed_by_the_next_build(
    built: Path, tmp_path: Path, module: str, call: str, left: dict[str, list[str]]
) -> None:
    project, tmp = built, tmp_path / "tmp"
    killed = stopped_build(project, tmp, module=module, call=call, sig="SIGKILL")
    assert killed.returncode == -signal.SIGKILL
    litter = {
        folder: sorted(_pattern(name) for name in names if name not in CLEAN[folder])
        for folder, names in listing(project, tmp).items()
    }
    assert litter == left

    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    assert listing(project, tmp) == CLEAN


def said(stderr: str) -> list[str]:
    """What a command said on stderr, besides its notes on the fronts that mask their answer."""
    return [
        line for line in stderr.splitlines() if "fronts show a gap" not in line and ": note: " not in line
    ]


def dead_process() -> int:
    """The id of a process that has ended."""
    with subprocess.Popen([sys.executable, "-c", "pass"]) as ended:
        pass
    return ended.pid


def _pattern(name: str) -> str:
    """A temporary file's or folder's name with its process id and random part as PID."""
    if name.startswith("flashcards-"):
        return "flashcards-PID"
    stem, _, _ = name.rpartition(".partial")
    parts = stem.split(".")
    return ".".join(parts[:-2]) + ".PID.partial"


def test_a_build_that_finds_a_mistake_still_finishes_and_says_so(built: Path, tmp_path: Path) -> None:
    project, tmp = built, tmp_path / "tmp"
    killed = stopped_build(
        project, tmp, module="os", call="replace", sig="SIGKILL", condition="str(args[1]).endswith('.apkg')"
    )
    assert killed.returncode == -signal.SIGKILL
    source = project / "source" / "ml-techniques.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("answer: distillation", "answer: distilation"),
        encoding="utf-8",
    )
    result = run_cli(["build"], project)
    assert (result.exit_code, result.stdout) == (1, "")
    lines = said(result.stderr)
    assert lines[0] == (
        "dist/ml-techniques.en.apkg: warning: the previous build was stopped while it put its files in "
        "place; this build put the rest of them in place first: dist/ml-techniques.en.apkg, "
        "source/ml-techniques.lock.yaml"
    )
    assert lines[1].endswith("no concept has the id 'distilation'; did you mean 'distillation'?")
    assert listing(project, tmp) == CLEAN


def test_a_journal_that_would_rename_other_files_renames_nothing(built: Path, tmp_path: Path) -> None:
    project = built
    (project / "notes.txt").write_text("mine", encoding="utf-8")
    (project / "dist" / "evil").write_text("theirs", encoding="utf-8")
    journal = project / "dist" / f".flashcards-build.{dead_process()}.journal"
    journal.write_text(
        json.dumps([[str(project / "dist" / "evil"), str(project / "notes.txt")]]), encoding="utf-8"
    )
    result = run_cli(["build"], project)
    assert (result.exit_code, said(result.stderr)) == (0, [])
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not journal.exists()


def test_a_dry_run_and_a_check_say_that_a_build_was_stopped_halfway(built: Path, tmp_path: Path) -> None:
    project, tmp = built, tmp_path / "tmp"
    killed = stopped_build(
        project, tmp, module="os", call="replace", sig="SIGKILL", condition="str(args[1]).endswith('.apkg')"
    )
    assert killed.returncode == -signal.SIGKILL
    (journal,) = [name for name in os.listdir(project / "dist") if name.endswith(".journal")]
    assert re.fullmatch(r"\.flashcards-build\.[0-9]+\.journal", journal)
    warning = (
        f"dist/{journal}: warning: the previous build was stopped while it put its files in place: run "
        "flashcards build to finish it (until then, the packages and lock files may not belong together)"
    )
    dry_run = run_cli(["build", "--dry-run"], project)
    assert (dry_run.exit_code, said(dry_run.stderr)) == (0, [warning])
    check = run_cli(["check", "--strict"], project)
    assert (check.exit_code, said(check.stderr)) == (1, [warning])
    assert run_cli(["build"], project).exit_code == 0
    check = run_cli(["check", "--strict"], project)
    assert (check.exit_code, said(check.stderr)) == (0, [])


def test_a_build_leaves_alone_what_a_running_build_is_putting_in_place(built: Path) -> None:
    project = built
    lock = project / "source" / "ml-techniques.lock.yaml"
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        partial = lock.with_name(f".{lock.name}.{other.pid}.x1y2z3.partial")
        partial.write_text(
            lock.read_text(encoding="utf-8").replace("version: 1", "version: 1\n"), encoding="utf-8"
        )
        journal = project / "dist" / f".flashcards-build.{other.pid}.journal"
        journal.write_text(json.dumps([[str(partial), str(lock)]]), encoding="utf-8")
        result = run_cli(["build", "--dry-run"], project)
        assert result.exit_code == 0, result.stderr
        result = run_cli(["build"], project)
        assert result.exit_code == 0, result.stderr
        assert "previous build" not in result.stderr
        assert journal.is_file()
        assert partial.is_file()
        other.kill()
    # Once that build is gone, the next one finishes what it had begun.
    result = run_cli(["build"], project)
    assert said(result.stderr)[0] == (
        "source/ml-techniques.lock.yaml: warning: the previous build was stopped while it put its files in "
        "place; this build put the rest of them in place first: source/ml-techniques.lock.yaml"
    )
    assert not journal.exists()
    assert not partial.exists()
