"""Words shared by import's messages."""

from __future__ import annotations


def count(number: int, noun: str) -> str:
    """``1 concept``, ``2 concepts``."""
    return f"{number} {noun}" + ("" if number == 1 else "s")
