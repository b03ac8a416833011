"""The statements on a date axis, and firm commitments against claims over time.

What the timeline view draws, with no Textual and no plotting library:

- per group (an actor, or a commitment type), each dated statement as a mark: the last
  day it can have been made (its interval's upper end, ``pledgetui.dating``), whether that
  day is stated or only an upper bound (the article's date), the status the statement
  counts for, and its claimant. Undated statements are counted apart, never placed;
- the number of entries whose reading is firm (announced, signed), a claim (claimed) or
  anything else, after each day on which one of those numbers changed. Each entry's
  reading on a day is its history's (``pledgetui.history``): derived by the one rule over
  the statements known by then, so the counts agree with the ledger "as of" that day
  (uncertain statements left out).

A statement counts for what the derivation lets it count for on its own: its status when
it is the actor's own words on the record (or a refusal), else ``claimed``; a third party
saying "signed" is drawn as a claim. Counter-positions get groups of their own and are
never counted as commitments.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pledgetui.history import history
from pledgetui.model import Entry, Evidence, Status, short_label

__all__ = [
    "CLAIMS",
    "FIRM",
    "Counts",
    "Group",
    "Grouping",
    "Mark",
    "Timeline",
    "build",
    "counts_for",
    "counts_over_time",
]

#: Firm commitments: what the actor has announced or signed.
FIRM = frozenset({Status.ANNOUNCED, Status.SIGNED})
#: Claims: what someone else says, or an unverified channel.
CLAIMS = frozenset({Status.CLAIMED})


class Grouping(StrEnum):
    ACTOR = "actor"
    COMMITMENT = "commitment"

    @property
    def other(self) -> Grouping:
        return Grouping.COMMITMENT if self is Grouping.ACTOR else Grouping.ACTOR


def counts_for(ev: Evidence) -> Status:
    """The status a statement counts for on its own (``model.derive_stance``'s rule for one
    statement): its own when it is the actor's words on the record or a refusal, else claimed."""
    if ev.authoritative or ev.status is Status.DECLINED:
        return ev.status
    return Status.CLAIMED


@dataclass(frozen=True, slots=True)
class Mark:
    """One dated statement on the axis."""

    entry_id: str
    index: int  # 0-based position in the entry's evidence
    day: dt.date  # the last day it can have been made
    stated: bool  # the day is the statement's own (else only its article's date, an upper bound)
    status: Status  # what it counts for (:func:`counts_for`)
    claimant: str


@dataclass(frozen=True, slots=True)
class Group:
    """The statements of one actor or commitment type (pledges and counter-positions apart)."""

    key: str  # the actor's name or the commitment type's value
    label: str  # what a person reads: the actor's name, the commitment's short label
    counter: bool  # a group of counter-positions
    marks: tuple[Mark, ...]  # by day, then the ledger's order
    undated: int  # statements no date places

    @property
    def statements(self) -> int:
        return len(self.marks) + self.undated


@dataclass(frozen=True, slots=True)
class Counts:
    """How many entries read firm, as a claim, or otherwise, once a day's statements were known."""

    day: dt.date
    firm: int
    claims: int
    other: int

    @property
    def total(self) -> int:
        return self.firm + self.claims + self.other


@dataclass(frozen=True, slots=True)
class Timeline:
    grouping: Grouping
    groups: tuple[Group, ...]  # most dated statements first, then most statements, then by label
    counts: tuple[Counts, ...]  # one per day on which a count changed
    entries: int
    statements: int
    undated: int  # statements no date places (not drawn)
    uncounted: int  # pledges whose every statement is undated (in no count)
    counters: int  # counter-positions (drawn, never counted)

    @property
    def dated(self) -> int:
        return self.statements - self.undated

    @property
    def first(self) -> dt.date | None:
        return min((m.day for g in self.groups for m in g.marks), default=None)

    @property
    def last(self) -> dt.date | None:
        return max((m.day for g in self.groups for m in g.marks), default=None)

    @property
    def placed(self) -> tuple[Group, ...]:
        """The groups with a dated statement: the ones a date axis can show."""
        return tuple(g for g in self.groups if g.marks)

    def top(self, n: int) -> tuple[tuple[Group, ...], tuple[Group, ...]]:
        """The ``n`` placed groups with the most dated statements, and the other placed ones."""
        placed = self.placed
        return placed[: max(n, 0)], placed[max(n, 0) :]


def _group_of(entry: Entry, grouping: Grouping) -> tuple[str, str]:
    if grouping is Grouping.ACTOR:
        return entry.actor, entry.actor
    return entry.commitment.value, short_label(entry.commitment)


def build(
    entries: Sequence[Entry], source_dates: Mapping[str, dt.date | None], grouping: Grouping = Grouping.ACTOR
) -> Timeline:
    """The timeline of ``entries`` (the ones shown: filter applied), grouped by actor or commitment."""
    marks: dict[tuple[bool, str], list[Mark]] = {}
    labels: dict[tuple[bool, str], str] = {}
    undated: Counter[tuple[bool, str]] = Counter()
    statements = 0
    for entry in entries:
        key, label = _group_of(entry, grouping)
        gk = (entry.is_counter, key)
        labels.setdefault(gk, label)
        found = marks.setdefault(gk, [])
        for i, ev in enumerate(entry.evidence):
            statements += 1
            span = ev.span(source_dates)
            if span.hi is None:
                undated[gk] += 1
                continue
            found.append(Mark(entry.id, i, span.hi, span.point is not None, counts_for(ev), ev.claimant))
    groups = [
        Group(key, labels[(counter, key)], counter, tuple(sorted(found, key=lambda m: m.day)), undated[(counter, key)])
        for (counter, key), found in marks.items()
    ]
    groups.sort(key=lambda g: (-len(g.marks), -g.statements, g.counter, g.label.casefold(), g.key))
    pledges = [e for e in entries if not e.is_counter]
    counts = counts_over_time(pledges, source_dates)
    uncounted = sum(1 for e in pledges if all(ev.span(source_dates).hi is None for ev in e.evidence))
    return Timeline(
        grouping=grouping,
        groups=tuple(groups),
        counts=counts,
        entries=len(entries),
        statements=statements,
        undated=sum(undated.values()),
        uncounted=uncounted,
        counters=len(entries) - len(pledges),
    )


def _kind(status: Status) -> int:
    return 0 if status in FIRM else 1 if status in CLAIMS else 2


def counts_over_time(entries: Iterable[Entry], source_dates: Mapping[str, dt.date | None]) -> tuple[Counts, ...]:
    """After each day on which a count changed: how many of ``entries`` read firm, as a claim,
    or otherwise, their readings derived over the statements known by that day (an entry with
    none yet known is in no count; undated statements place nothing)."""
    # per day, how each count moves: an entry leaves the kind it read before and joins its new
    # one (several steps on one day add up to the move from the reading before the day to after it)
    moves: dict[dt.date, list[int]] = {}
    for entry in entries:
        before: int | None = None
        for step in history(entry, source_dates).steps:
            day = step.span.hi
            assert day is not None
            kind = _kind(step.reading.status)
            if kind == before:
                continue
            delta = moves.setdefault(day, [0, 0, 0])
            if before is not None:
                delta[before] -= 1
            delta[kind] += 1
            before = kind
    out: list[Counts] = []
    now = [0, 0, 0]
    for day in sorted(moves):
        delta = moves[day]
        if not any(delta):
            continue  # readings moved but the counts did not
        now = [a + b for a, b in zip(now, delta)]
        out.append(Counts(day, *now))
    return tuple(out)
