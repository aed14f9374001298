from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import settings

from extras_project import extras_project
from helpers import REPO, InstalledCopy, copy_project, run_cli

# The same examples on every run: a property test fails on a change, never on a roll of the dice.
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.load_profile("repeatable")


@pytest.fixture(autouse=True, scope="session")
def session_user_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """What builds remember per user (the modification times they issued) is kept under $XDG_STATE_HOME:
    never the real home's during the tests. Each test gets its own (below); this one serves session
    fixtures."""
    state = tmp_path_factory.mktemp("session-state")
    previous = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(state)
    yield state
    if previous is None:
        del os.environ["XDG_STATE_HOME"]
    else:
        os.environ["XDG_STATE_HOME"] = previous


@pytest.fixture(autouse=True)
def user_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user state folder of the test's own, as a new user account has."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    """A fresh, empty Anki collection, as a new Anki profile has."""
    (tmp_path / "profile").mkdir(exist_ok=True)
    col = Collection(str(tmp_path / "profile" / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path)


@pytest.fixture
def extras(tmp_path: Path) -> Path:
    """A project with media, cards of the learner's own, tags and topics (``extras_project.SOURCE``)."""
    return extras_project(tmp_path / "project")


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled deck built once by the CLI; tests only read it."""
    project = copy_project(tmp_path_factory.mktemp("bundled"))
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    return project / "dist"


@pytest.fixture(scope="session")
def installed_copy(tmp_path_factory: pytest.TempPathFactory) -> InstalledCopy:
    """flashcards built as a wheel and installed (not editable) into a folder of its own."""
    work = tmp_path_factory.mktemp("installed")
    wheels = work / "wheels"
    build = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(wheels),
    ]
    subprocess.run([*build, str(REPO)], check=True, capture_output=True)
    (wheel,) = wheels.glob("flashcards-*.whl")
    site = work / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)]
    subprocess.run(install, check=True, capture_output=True)
    return InstalledCopy(site)
