"""Pause the cyclic garbage collector while millions of objects are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, freeze: bool = True) -> Iterator[None]:
    """Build millions of objects without the cyclic GC walking them.

    Loading a 100k-entry ledger with the collector on spends more time in
    collections than in parsing (measured: 10.6 s against 6.1 s). On exit the
    survivors are frozen (``gc.freeze``), so later collections, which may run on
    a UI thread, do not walk the ledger either. Ledger objects hold no reference
    cycles; refcounting still frees them. ``freeze=False`` for objects that do not
    outlive the block (a save's read-back ledger, compared and cached, then freed:
    at 100k entries the read-back takes twice as long with the collector on).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
