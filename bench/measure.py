"""Wall time and peak memory of one process, and the median of several runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    seconds: float
    #: The process's peak resident memory (max RSS).
    peak_mb: float
    #: Processor time (user and system) of the process: what other work on the machine moves least.
    cpu_seconds: float = 0.0


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time, peak resident memory and processor time of one process; a process that fails stops the
    benchmark."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env={**os.environ, **env} if env else None,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode()}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def best(runs: list[Run]) -> Run:
    """The least times and the highest peak memory of ``runs``."""
    return Run(min(r.seconds for r in runs), max(r.peak_mb for r in runs), min(r.cpu_seconds for r in runs))


def median(runs: list[Run]) -> Run:
    """The median of each measure of ``runs``."""
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.peak_mb for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
    )
