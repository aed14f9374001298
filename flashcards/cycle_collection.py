"""Python's cycle collector paused while a large deck is read or built.

Reading a source or a lock file and building its notes make hundreds of thousands of objects that live
until the work ends and form no cycles: every pass of the collector goes over all of them and frees
nothing (a third of the time of reading a large lock file).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The cycle collector off inside the block, and back as it was after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
