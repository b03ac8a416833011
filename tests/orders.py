"""How each dashboard column orders entries, written out from what the columns show.

The oracle for the sort tests: it does not go through :class:`pledgetui.query.Index`,
so a sort that is wrong there (or does nothing) cannot agree with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pledgetui.model import Entry
from pledgetui.textcheck import comparable

#: Keys 1 to 8, in column order: ascending; a stable sort keeps ties in ledger order.
ORDER: dict[str, Callable[[Entry], Any]] = {
    "actor": lambda p: comparable(p.actor),  # case and accents aside
    "commitment": lambda p: p.commitment.label,
    "status": lambda p: p.status.strength,  # weakest first: claimed ... signed
    "conditions": lambda p: (not p.conditions, tuple(c.label for c in p.conditions)),  # unconditional last
    "backstop": lambda p: p.us_backstop.label,
    "claimant": lambda p: comparable(p.claimant),
    # undated first, then "by" an article's date (by that date), then stated days (by day)
    "date": lambda p: (
        p.date_span.lo is not None,
        p.date_span.lo or dt.date.min,
        p.date_span.hi is not None,
        p.date_span.hi or dt.date.min,
    ),
    "sources": lambda p: len(p.source_ids),
    # when the present status was reached: none first, then as "date" orders its intervals
    "since": lambda p: _since_order(p),
}


def _since_order(p: Entry) -> Any:
    from pledgetui.history import since

    dates = dict(zip(p.source_ids, p.stance_dates or ()))
    held = since(p, dates)
    if held is None:
        return (False, dt.date.min, False, dt.date.min)
    return (held.lo is not None, held.lo or dt.date.min, held.hi is not None, held.hi or dt.date.min)


def in_order(entries: list[Entry], column: str, *, descending: bool = False) -> list[str]:
    """The ids of ``entries`` (in ledger order) sorted by ``column``, ties kept in ledger order."""
    return [p.id for p in sorted(entries, key=ORDER[column], reverse=descending)]
