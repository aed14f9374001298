"""The code itself: ruff finds nothing to lint or reformat, and mypy --strict finds no type error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import REPO

BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing_to_lint() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.stdout == "All checks passed!\n", result.stdout


def test_ruff_finds_nothing_to_reformat() -> None:
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.stdout.endswith(" files already formatted\n"), result.stdout
    assert "Would reformat" not in result.stdout


def test_mypy_strict_finds_no_error() -> None:
    result = run(sys.executable, "-m", "mypy")
    assert result.stdout.startswith("Success: no issues found in "), result.stdout
