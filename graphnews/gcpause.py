"""Pausing Python's cyclic garbage collector while a stage allocates millions of objects.

Reading, merging and building create ~1.4M mentions and ~0.5M graph attributes at 100k
records, none of them garbage; the generational collector would still walk them over and
over (measured: merge of 10k records 2.0 s with it, 1.3 s without). Reference counting
still frees everything as usual; only cycle detection waits until the stage ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["frozen_heap", "paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the ``with`` block; restore its previous state after.

    Examples
    --------
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the collector running inside the block, but hide from it every object alive at its start.

    For a stage that works on a big graph built earlier (the analysis): the graph's
    millions of objects are not garbage while it runs, yet each full collection would walk
    them all (``gc.freeze``; measured: 10k wire copies 2.6x faster). New objects are
    collected as usual, so cyclic garbage made inside does not pile up. ``gc.unfreeze`` at
    the end returns everything frozen, an enclosing block's objects too.

    >>> import gc
    >>> with frozen_heap():
    ...     gc.get_freeze_count() > 0
    True
    >>> gc.get_freeze_count()
    0
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
