from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection

from helpers import copy_project, run_cli


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


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled deck built once by the CLI; tests only read it."""
    project = copy_project(tmp_path_factory.mktemp("bundled"))
    result = run_cli(["build"], project)
    assert result.exit_code == 0, result.stderr
    return project / "dist"
