"""`flashcards check`: every problem the build would meet, and every warning, without writing anything."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flashcards.build import plan
from flashcards.errors import Problem, Severity, SourceError


@dataclass(frozen=True)
class CheckResult:
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    def failed(self, *, strict: bool) -> bool:
        warned = any(p.severity is Severity.WARNING for p in self.warnings)
        return bool(self.errors) or (strict and warned)

    @property
    def problems(self) -> bool:
        """Whether there is an error or a warning (notes are said for information)."""
        return bool(self.errors) or any(p.severity is Severity.WARNING for p in self.warnings)

    def lines(self) -> list[str]:
        """Errors first, then warnings, each as ``path:line:col: key: message``."""
        return [p.format() for p in (*self.errors, *self.warnings)]

    def to_json(self) -> str:
        findings = [
            {
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "key": p.key,
                "severity": p.severity.value,
                "message": p.message,
            }
            for p in (*self.errors, *self.warnings)
        ]
        warnings = sum(1 for p in self.warnings if p.severity is Severity.WARNING)
        document = {
            "errors": len(self.errors),
            "warnings": warnings,
            "notes": len(self.warnings) - warnings,
            "findings": findings,
        }
        return json.dumps(document, ensure_ascii=False, indent=2)


def check(sources: Sequence[Path], project_dir: Path) -> CheckResult:
    """Run everything a build runs before it writes: sources, templates, the lock file."""
    try:
        _, warnings = plan(sources, project_dir / "dist", project_dir)
    except SourceError as error:
        errors = [p for p in error.problems if p.severity is Severity.ERROR]
        return CheckResult(tuple(errors), ())
    return CheckResult((), tuple(warnings))
