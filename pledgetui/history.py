"""An entry's history, and the ledger as it stood on a day.

Both order statements by what was *known* when: a statement counts from the last day it
can have been made (its interval's upper end, ``pledgetui.dating``): its stated day, else
its article's date. The reading at each step is derived by the one rule
(``model.derive_stance``) over the statements known by then, so the history of an entry
and the ledger "as of" a day agree: the reading after the last step known by a day is
the entry's reading as of that day. Undated statements are kept apart: no step of the
history and no "as of" view places them silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pledgetui.dating import Interval, Placement, placement
from pledgetui.model import Entry, Evidence, Ledger, Stance, derive_stance

__all__ = ["AsOf", "History", "Step", "as_of", "attached_since", "history", "since", "since_recency", "steps_between"]


@dataclass(frozen=True, slots=True)
class Step:
    """One statement in the history, and the entry's reading once it was known."""

    index: int  # 0-based position in the entry's evidence
    evidence: Evidence
    span: Interval
    reading: Stance  # derived over this statement and every one known before it
    changed: bool  # the status differs from the step before (the first step always "changes")


@dataclass(frozen=True, slots=True)
class History:
    """An entry's statements in the order they became known, and its undated ones apart."""

    entry: Entry
    steps: tuple[Step, ...]
    undated: tuple[int, ...]  # positions of the statements no date places
    reading: Stance  # the entry's reading over every statement, undated ones included

    @property
    def since(self) -> Interval | None:
        """When the current status was reached: the span of the step from which the reading has
        had its present status, None when only the undated statements give it."""
        if not self.steps or self.steps[-1].reading.status is not self.reading.status:
            return None
        first = self.steps[-1]
        for step in reversed(self.steps):
            if step.reading.status is not self.reading.status:
                break
            first = step
        return first.span


def _known_order(span: Interval, index: int) -> tuple[dt.date, bool, dt.date, int]:
    assert span.hi is not None
    return (span.hi, span.lo is not None, span.lo or dt.date.min, index)


def history(entry: Entry, source_dates: Mapping[str, dt.date | None]) -> History:
    """The entry's statements in the order they became known (ties: the ledger's order), each
    with the reading derived over the statements known by then."""
    spans = [ev.span(source_dates) for ev in entry.evidence]
    dated = sorted((i for i, s in enumerate(spans) if s.hi is not None), key=lambda i: _known_order(spans[i], i))
    undated = tuple(i for i, s in enumerate(spans) if s.hi is None)
    steps: list[Step] = []
    known: list[Evidence] = []
    previous: Stance | None = None
    for i in dated:
        ev = entry.evidence[i]
        known.append(ev)
        stance = derive_stance(tuple(known), source_dates)
        # the reading's index is a position in ``known``: map it back to the entry's evidence
        stance = Stance(stance.status, stance.claimant, stance.span, dated[stance.index], stance.authoritative)
        changed = previous is None or previous.status is not stance.status
        steps.append(Step(i, ev, spans[i], stance, changed))
        previous = stance
    return History(entry, tuple(steps), undated, derive_stance(entry.evidence, source_dates))


def since(entry: Entry, source_dates: Mapping[str, dt.date | None]) -> Interval | None:
    """When the entry's current status was reached (:attr:`History.since`)."""
    if len(entry.evidence) == 1:
        span = entry.evidence[0].span(source_dates)
        return span if span.hi is not None else None
    return history(entry, source_dates).since


def attached_since(entry: Entry) -> Interval | None:
    """:func:`since` with the article dates the entry's reading was derived with (its ledger's),
    for a column that sees one entry at a time."""
    dates = entry.stance_dates
    return since(entry, dict(zip(entry.source_ids, dates)) if dates is not None else {})


def since_recency(entry: Entry) -> tuple[bool, dt.date, bool, dt.date]:
    """A sort key for :func:`attached_since`, later is greater (``Interval.recency``; none lowest)."""
    held = attached_since(entry)
    return held.recency() if held is not None else (False, dt.date.min, False, dt.date.min)


@dataclass(frozen=True, slots=True)
class AsOf:
    """The ledger as it stood on ``day``, and what could not be placed."""

    day: dt.date
    ledger: Ledger
    counted_uncertain: bool  # whether the uncertain statements count (else they are left out)
    uncertain: tuple[tuple[str, int], ...]  # (entry id, 0-based statement) that may be either side of the day
    later: int  # statements known to be made after the day: left out
    gone: tuple[str, ...]  # entries with no statement by the day
    gone_uncertain: tuple[str, ...]  # of those, entries with an uncertain statement (they may have existed)

    @property
    def uncertain_entries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(eid for eid, _ in self.uncertain))


def as_of(
    ledger: Ledger,
    day: dt.date,
    *,
    today: dt.date | None = None,
    count_uncertain: bool = False,
) -> AsOf:
    """The ledger as it stood on ``day``: statements known to come later are left out, the
    readings derived again, entries with no statement by then gone. A statement that may
    fall either side of the day (its interval straddles it, or nothing dates it) is counted
    in :attr:`AsOf.uncertain` and kept only with ``count_uncertain``. ``today`` (the day the
    ledger is read, by default the system's) closes every open interval: the ledger holds
    nothing said after it."""
    today = dt.date.today() if today is None else today
    dates = ledger.source_dates()
    entries: list[Entry] = []
    uncertain: list[tuple[str, int]] = []
    gone: list[str] = []
    gone_uncertain: list[str] = []
    later = 0
    for p in ledger.entries:
        kept: list[Evidence] = []
        had_uncertain = False
        for i, ev in enumerate(p.evidence):
            where = placement(ev.span(dates), day, today)
            if where is Placement.BY:
                kept.append(ev)
            elif where is Placement.AFTER:
                later += 1
            else:
                uncertain.append((p.id, i))
                had_uncertain = True
                if count_uncertain:
                    kept.append(ev)
        if not kept:
            gone.append(p.id)
            if had_uncertain:
                gone_uncertain.append(p.id)
        elif len(kept) == len(p.evidence):
            entries.append(p)
        else:
            entries.append(p.model_copy(update={"evidence": tuple(kept)}))
    then = ledger.model_copy(update={"entries": tuple(entries)})
    return AsOf(day, then, count_uncertain, tuple(uncertain), later, tuple(gone), tuple(gone_uncertain))


def steps_between(steps: Sequence[Step], since_day: dt.date | None, until_day: dt.date | None) -> tuple[Step, ...]:
    """The steps known within ``since_day`` .. ``until_day`` (both included; None: open)."""
    out = []
    for s in steps:
        hi = s.span.hi
        assert hi is not None
        if since_day is not None and hi < since_day:
            continue
        if until_day is not None and hi > until_day:
            continue
        out.append(s)
    return tuple(out)
