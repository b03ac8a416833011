"""When a statement was made, as an interval: the one rule every view of time uses.

docs/coding.md (section "Dates") gives the rule in words:

- a statement's own ``stated`` date is a point: it was made that day;
- otherwise its article's date is an upper bound: the article reports it, so it was
  made on or before that day, but an article that sums up what someone has said
  "time and again" does not date those words to its own day;
- an undated statement in an undated article has no bound from the ledger at all.

Everything the ledger records was said by the day it is read, so a view of "the
ledger as of" a day on or after today keeps every statement whose date is not
known to be later (:func:`placement`).

The derived reading (``model.derive_stance``), an entry's history, the ledger as of a
date and the changes in a window all take a statement's date from :func:`interval`.
This module knows nothing of pydantic or Textual.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

__all__ = ["Interval", "Placement", "interval", "placement"]


@dataclass(frozen=True, slots=True)
class Interval:
    """The days a statement may have been made on: from ``lo`` to ``hi``, both included;
    ``None`` is an open end. A point (``lo == hi``) is a stated date."""

    lo: dt.date | None
    hi: dt.date | None

    @property
    def point(self) -> dt.date | None:
        """The day, when the interval is one day (a stated date); else None."""
        return self.lo if self.lo is not None and self.lo == self.hi else None

    @property
    def undated(self) -> bool:
        return self.lo is None and self.hi is None

    def recency(self) -> tuple[bool, dt.date, bool, dt.date]:
        """A sort key, later is greater: a known day ranks by that day and above any
        statement known only to precede a day, which ranks by that bound; undated ranks lowest.
        (A statement summed up in an article of 7 January is no newer than one stated on
        6 January: it may be years older.)"""
        return (
            self.lo is not None,
            self.lo or dt.date.min,
            self.hi is not None,
            self.hi or dt.date.min,
        )

    def label(self) -> str:
        """``2026-01-06`` for a stated day, ``by 2026-01-07`` for an upper bound, ``""`` when undated."""
        if self.point is not None:
            return self.point.isoformat()
        if self.lo is not None and self.hi is not None:
            return f"{self.lo.isoformat()} to {self.hi.isoformat()}"
        if self.hi is not None:
            return f"by {self.hi.isoformat()}"
        if self.lo is not None:
            return f"from {self.lo.isoformat()}"
        return ""

    def words(self) -> str:
        """The interval in a sentence's words, for a detail pane."""
        if self.point is not None:
            return f"{self.point.isoformat()} (stated)"
        if self.lo is None and self.hi is not None:
            return f"on or before {self.hi.isoformat()} (the article's date; the statement gives none)"
        return self.label() or "not dated (neither the statement nor its article gives a date)"

    def __str__(self) -> str:
        return self.label() or "undated"


#: Shared: most statements of an undated article.
UNDATED = Interval(None, None)


def interval(stated: dt.date | None, article_date: dt.date | None) -> Interval:
    """A statement's interval from its own ``stated`` date and its article's date (the one rule)."""
    if stated is not None:
        return Interval(stated, stated)
    if article_date is not None:
        return Interval(None, article_date)
    return UNDATED


class Placement(Enum):
    """Where a statement stands against a day."""

    BY = "by"  # made on or before the day: it counts as of that day
    AFTER = "after"  # known to be made after the day: left out
    UNCERTAIN = "uncertain"  # may be either side (straddles the day, or undated)


def placement(span: Interval, day: dt.date, today: dt.date) -> Placement:
    """Whether a statement of ``span`` was made by ``day``. ``today`` is the day the ledger
    is read: every statement in it was made by then, so an open upper end closes at today
    (a stated day in the future stays in the future)."""
    if span.lo is not None and span.lo > day:
        return Placement.AFTER
    hi = span.hi if span.hi is not None else (today if span.lo is None or span.lo <= today else None)
    if hi is not None and hi <= day:
        return Placement.BY
    return Placement.UNCERTAIN
