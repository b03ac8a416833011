"""What the ledger "as of" a day leaves apart, in words and as a record.

:func:`pledgetui.history.as_of` counts what it cannot place; the command line, the
exports and the dashboard say it in the same words (:func:`apart`), and a JSON export
records it (:func:`record`). This module knows nothing of pydantic or Textual.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pledgetui.history import AsOf

__all__ = ["apart", "parse_day", "record"]

#: A day as the command line and the dashboard take it: four digits, two, two (``2026-1-5`` is
#: refused, not guessed).
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> dt.date:
    """A calendar day written YYYY-MM-DD; ValueError naming the value and the form expected."""
    if not _DAY.fullmatch(text):
        raise ValueError(f"{text!r} is not a day: expected YYYY-MM-DD, e.g. 2025-12-31")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a day of the calendar ({exc}): expected YYYY-MM-DD") from None


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def apart(then: AsOf, how_to_count: str = "") -> str:
    """``as of 2025-12-31: 20 statements came later, 55 may fall either side of the day and are
    left out (how_to_count); 33 entries had no statement by then``."""
    uncertain = len(then.uncertain)
    if then.counted_uncertain:
        doubt = f"{uncertain} may fall either side of the day and {'is' if uncertain == 1 else 'are'} counted"
    else:
        doubt = f"{uncertain} may fall either side of the day and {'is' if uncertain == 1 else 'are'} left out"
        if uncertain and how_to_count:
            doubt += f" ({how_to_count})"
    gone = _n(len(then.gone), "entry", "entries") + " had no statement by then"
    if then.gone_uncertain and not then.counted_uncertain:
        gone += f" ({len(then.gone_uncertain)} of them with an uncertain one)"
    later = _n(then.later, "statement", "statements") + " came later"
    return f"as of {then.day.isoformat()}: {later}, {doubt}; {gone}"


def record(then: AsOf) -> dict[str, Any]:
    """The as-of day and what it left apart, for a JSON export (statements numbered from 1)."""
    return {
        "day": then.day.isoformat(),
        "count_uncertain": then.counted_uncertain,
        "later": then.later,
        "uncertain": [{"entry": eid, "statement": i + 1} for eid, i in then.uncertain],
        "gone": list(then.gone),
        "gone_uncertain": list(then.gone_uncertain),
    }
