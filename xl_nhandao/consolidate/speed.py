"""Pausing Python's cyclic garbage collector while a consolidation builds and writes its
rows.

Reading, merging and writing make millions of small objects (records, values, XML
fragments) and no reference cycles; each time allocations pass a threshold the
collector scans every live object, the rows already merged included, so a national run
spent seconds in it for nothing. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nested blocks are fine); the
    state before is restored after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
