"""The pledge ledger: plain record classes over the controlled vocabularies (``pledgetui.vocab``).

A ledger entry is a *claim*: who says which actor committed to what, under which
conditions, in which exact words. Nothing here turns a claim into a fact.

Schema version 2 keeps the stance with each statement: every evidence item has
its own claimant, party, basis, status and date, and names who relays it where
the claimant does not reach the article directly (``relayed_by``). An entry's status, claimant and
date are *derived* from its statements by one rule (:func:`derive_stance`,
documented in docs/coding.md), never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pledgetui import schema
from pledgetui.dating import Interval, interval
from pledgetui.plain import Immutable, Model
from pledgetui.schema import (
    FILE_PATTERN,
    ID_PATTERN,
    MAX_AMOUNT,
    MAX_NAME,
    MAX_OFFSET,
    MAX_RELAY,
    MAX_STRING,
    READABLE_VERSIONS,
    SCHEMA_VERSION,
)
from pledgetui.vocab import (  # re-exported: the vocabularies are part of the model's API
    SHORT_LABELS,
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    EntryKind,
    Party,
    Status,
    Vocabulary,
    short_label,
)

__all__ = [
    "FILE_PATTERN",
    "ID_PATTERN",
    "MAX_AMOUNT",
    "MAX_NAME",
    "MAX_OFFSET",
    "MAX_RELAY",
    "MAX_STRING",
    "READABLE_VERSIONS",
    "SCHEMA_VERSION",
    "SHORT_LABELS",
    "ActorType",
    "Backstop",
    "Basis",
    "CommitmentType",
    "Condition",
    "Conflict",
    "Entry",
    "EntryKind",
    "Evidence",
    "Immutable",
    "Ledger",
    "Model",
    "Party",
    "Quantity",
    "Source",
    "Stance",
    "Status",
    "Vocabulary",
    "derive_stance",
    "integrity_problems",
    "resting_indexes",
    "short_label",
    "statement_key",
]

#: The limits and patterns are the schema's (``pledgetui.schema``): the one definition every
#: form of the ledger takes them from. The classes below hold values (``pledgetui.plain``); the
#: checks are pydantic's, in ``pledgetui.validation`` (imported only when something is validated).


class Source(Model, record=schema.SOURCE):
    """An article the ledger quotes. ``file`` is a bare file name in the ledger's seeds folder."""

    __slots__ = schema.SOURCE.names  # the schema's fields, in its order
    id: str
    file: str
    title: str
    date: dt.date | None
    outlet: str
    note: str  # reliability or framing, where it matters


class Quantity(Model, record=schema.QUANTITY):
    """A number the source states, e.g. troops 20,000 to 50,000."""

    __slots__ = schema.QUANTITY.names  # the schema's fields, in its order
    label: str
    low: int | None
    high: int | None

    def __str__(self) -> str:
        if self.low is not None and self.high is not None and self.low != self.high:
            amount = f"{self.low:,} to {self.high:,}"
        else:
            amount = f"{self.low if self.low is not None else self.high:,}"
        return f"{self.label}: {amount}"


class Evidence(Model, record=schema.EVIDENCE):
    """One statement: an exact quote, anchored in the W3C Web Annotation manner (quote +
    position selectors), with its own stance: who says it, whether they speak for the
    actor, how it reaches us, how firm it is, and when it was said."""

    __slots__ = schema.EVIDENCE.names  # the schema's fields, in its order
    source: str
    claimant: str
    party: Party
    basis: Basis
    #: Who passes the claimant's words on to us (an outlet, an agency, "via BBC") when the
    #: claimant does not reach the article directly; empty (absent from the file) otherwise.
    relayed_by: str
    status: Status
    stated: dt.date | None
    #: Only where this statement's conditions differ from the entry's: absent (None) means
    #: the entry's; an empty list means the statement describes the commitment as unconditional.
    conditions: tuple[Condition, ...] | None
    numbers: tuple[Quantity, ...]
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int

    @property
    def authoritative(self) -> bool:
        """The actor's own words on the record: first party, and a statement or paraphrase."""
        return self.party is Party.FIRST_PARTY and self.basis.on_record

    @property
    def key(self) -> str:
        """The statement's identity within its entry, from its source and anchor:
        ``a002@670-882``. It survives edits of the stance, reordering and saves; a quote
        moved to other words of the article is another statement."""
        return statement_key(self.source, self.start, self.end)

    def span(self, source_dates: Mapping[str, dt.date | None]) -> Interval:
        """When the statement was made (``pledgetui.dating``): its stated day, else on or
        before its article's date, else undated."""
        return interval(self.stated, source_dates.get(self.source))


def statement_key(source: str, start: int, end: int) -> str:
    """A statement's identity within its entry (:attr:`Evidence.key`)."""
    return f"{source}@{start}-{end}"


@dataclass(frozen=True, slots=True)
class Stance:
    """An entry's derived reading: the status, claimant and date of the statement that decides it."""

    status: Status
    claimant: str
    span: Interval  # when the deciding statement was made (``pledgetui.dating``)
    index: int  # the deciding statement's position in the entry's evidence
    authoritative: bool  # decided by the actor's own words (else the entry is a claim)

    @property
    def date(self) -> dt.date | None:
        """The day the reading is known by: the deciding statement's stated day, else its
        article's date (an upper bound), else None."""
        return self.span.hi


def derive_stance(evidence: tuple[Evidence, ...], source_dates: Mapping[str, dt.date | None]) -> Stance:
    """The one rule (docs/coding.md, section 1):

    1. the *authoritative* statements are first party and on the record;
    2. if there are any, the latest of them decides (by :meth:`Interval.recency`: a stated
       day ranks above a statement known only to precede its article's date, which ranks
       by that date; undated ranks lowest); among equally recent ones the firmest, then
       the first listed;
    3. otherwise the firmest statement decides, then one on the record, then the latest,
       then the first listed, and the entry is ``claimed`` (``declined`` when that statement reports a refusal): a third-party or
       unverified statement never makes an entry firmer than ``claimed``.
    """

    if len(evidence) == 1:  # most entries: the one statement decides (the same rule, without the search)
        ev = evidence[0]
        authoritative = ev.party is Party.FIRST_PARTY and ev.basis.on_record
        status = ev.status if authoritative or ev.status is Status.DECLINED else Status.CLAIMED
        return Stance(status, ev.claimant, ev.span(source_dates), 0, authoritative)
    best: tuple[Any, ...] | None = None
    chosen = -1
    authoritative = any(ev.authoritative for ev in evidence)
    for i, ev in enumerate(evidence):
        if authoritative:
            if not ev.authoritative:
                continue
            key: tuple[Any, ...] = (ev.span(source_dates).recency(), ev.status.strength, -i)
        else:
            key = (ev.status.strength, ev.basis.on_record, ev.span(source_dates).recency(), -i)
        if best is None or key > best:
            best, chosen = key, i
    if chosen < 0:
        raise ValueError("an entry needs at least one statement")
    ev = evidence[chosen]
    status = ev.status
    if not authoritative and status is not Status.DECLINED:
        status = Status.CLAIMED
    return Stance(status, ev.claimant, ev.span(source_dates), chosen, authoritative)


def resting_indexes(evidence: tuple[Evidence, ...], source_dates: Mapping[str, dt.date | None]) -> tuple[int, ...]:
    """The statements an entry's reading rests on (docs/coding.md, section 1), as positions in
    ``evidence``: those :func:`derive_stance` weighs as equal to the one it chooses, before the
    list order breaks the tie. With authoritative statements: every authoritative statement of
    the chosen one's date; otherwise every statement with the chosen one's status, standing on
    the record and date. The entry's conditions, numbers and US backstop come from these."""

    stance = derive_stance(evidence, source_dates)
    chosen = evidence[stance.index]
    d = chosen.span(source_dates)
    if stance.authoritative:
        return tuple(i for i, ev in enumerate(evidence) if ev.authoritative and ev.span(source_dates) == d)
    key = (chosen.status, chosen.basis.on_record, d)
    return tuple(i for i, ev in enumerate(evidence) if (ev.status, ev.basis.on_record, ev.span(source_dates)) == key)


#: What an entry keeps of its derived reading: the statements and the article dates it was
#: derived from, and the reading (:attr:`Entry.stance`).
Kept = tuple[tuple[Evidence, ...], tuple[dt.date | None, ...], Stance]


class Entry(Model, record=schema.ENTRY):
    """A ledger entry: one actor and one commitment type (a pledge or a counter-position)."""

    __slots__ = (*schema.ENTRY.names, "_stance")  # the fields in the schema's order, then caches of its own
    id: str
    kind: EntryKind
    actor: str
    actor_type: ActorType
    commitment: CommitmentType
    conditions: tuple[Condition, ...]
    condition_detail: str
    us_backstop: Backstop
    numbers: tuple[Quantity, ...]
    summary: str
    notes: str
    evidence: tuple[Evidence, ...]
    _stance: Kept | None

    @property
    def is_counter(self) -> bool:
        return self.kind is EntryKind.COUNTER_POSITION

    @property
    def source_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for ev in self.evidence:
            seen.setdefault(ev.source)
        return tuple(seen)

    # The derived reading. A ledger attaches it with its sources' dates (``Ledger``
    # does so whenever it is built or copied); an entry outside a ledger derives it
    # from the statements' own dates. The stance is kept in a slot of its own next to
    # the fields, keyed by the evidence tuple it was derived from, so a copy with other
    # evidence derives afresh; ``==``, hashes and dumps ignore it.

    def dates_in(self, source_dates: Mapping[str, dt.date | None]) -> tuple[dt.date | None, ...]:
        """The dates of the articles this entry quotes, in ``source_dates``."""
        evidence = self.evidence
        if len(evidence) == 1:
            return (source_dates.get(evidence[0].source),)
        return tuple(source_dates.get(s) for s in self.source_ids)

    @property
    def stance_dates(self) -> tuple[dt.date | None, ...] | None:
        """The article dates the attached stance was derived with (None: none attached)."""
        found = self._stance
        return found[1] if found is not None and found[0] is self.evidence else None

    def attach_stance(self, source_dates: Mapping[str, dt.date | None]) -> Stance:
        dates = self.dates_in(source_dates)
        found = self._stance
        if found is not None and found[0] is self.evidence and found[1] == dates:
            return found[2]
        stance = derive_stance(self.evidence, source_dates)
        keep_stance(self, (self.evidence, dates, stance))
        return stance

    @property
    def stance(self) -> Stance:
        found = self._stance
        if found is not None and found[0] is self.evidence:
            return found[2]
        return derive_stance(self.evidence, {})

    @property
    def status(self) -> Status:
        return self.stance.status

    @property
    def claimant(self) -> str:
        return self.stance.claimant

    @property
    def date_stated(self) -> dt.date | None:
        """The stated day of the statement the reading rests on; None when only its article's
        date bounds it (see :attr:`date_span`) or nothing dates it."""
        return self.stance.span.point

    @property
    def date_span(self) -> Interval:
        """When the statement the reading rests on was made (``pledgetui.dating``)."""
        return self.stance.span

    @property
    def claimants(self) -> tuple[str, ...]:
        """Every distinct claimant, in the order of the statements."""
        return tuple(dict.fromkeys(ev.claimant for ev in self.evidence))


#: Keep a derived reading on an entry (its ``_stance`` slot; the entry's fields stay as they are).
keep_stance: Callable[[Entry, Kept | None], None] = Entry.__dict__["_stance"].__set__


class Conflict(Model, record=schema.CONFLICT):
    """A conflict a merge of two ledgers recorded (``pledgetui.merge``): where it is (an entry,
    with a statement's key where it is in a statement, or a source), which field (or
    ``(entry)``, ``(source)``, ``(statement)`` for a whole record one side deleted and the other
    changed), and each side's value as JSON text, empty where that side has no such record.
    The ledger keeps one value (ours, or the changed record against a deletion) until a
    person picks a side (``pledgetui.merge.resolve``)."""

    __slots__ = schema.CONFLICT.names  # the schema's fields, in its order
    entry: str | None
    source: str | None
    statement: str
    field: str
    base: str
    ours: str
    theirs: str

    @property
    def where(self) -> str:
        """``entry e1 statement a001@0-10`` or ``source a001``."""
        if self.entry is not None:
            return f"entry {self.entry}" + (f" statement {self.statement}" if self.statement else "")
        return f"source {self.source}"

    @property
    def identity(self) -> tuple[str | None, str | None, str, str]:
        """What the conflict is about (not its values): one conflict per field and place."""
        return (self.entry, self.source, self.statement, self.field)


class Ledger(Model, record=schema.LEDGER):
    __slots__ = (*schema.LEDGER.names, "_by_id")  # the fields in the schema's order, then caches of its own
    schema_version: int
    sources: tuple[Source, ...]
    #: Conflicts a merge recorded (``pledgetui.merge``), each kept until a person settles it.
    conflicts: tuple[Conflict, ...]
    entries: tuple[Entry, ...]
    #: The index by id of an ``entries`` tuple (:meth:`position`).
    _by_id: tuple[tuple[Entry, ...], dict[str, int]] | None

    def source_dates(self) -> dict[str, dt.date | None]:
        return {s.id: s.date for s in self.sources}

    def attach_stances(self, only: set[int] | None = None) -> None:
        """Derive each entry's stance with this ledger's article dates (every entry, or those
        whose ``id()`` is in ``only``). An entry object that already carries a stance for
        other dates belongs to another ledger too: this ledger gets its own copy of it, so
        the other ledger's reading never changes."""
        dates = self.source_dates()
        entries = list(self.entries)
        copied = False
        for i, p in enumerate(entries):
            if only is not None and id(p) not in only:
                continue
            evidence = p.evidence
            found = p._stance
            mine = p.dates_in(dates)
            if found is not None and found[0] is evidence:
                if found[1] == mine:
                    continue  # already derived with these dates
                p = entries[i] = p.model_copy()  # another ledger's reading: this ledger gets a copy
                copied = True
            keep_stance(p, (evidence, mine, derive_stance(evidence, dates)))
        if copied:
            _set_entries(self, tuple(entries))  # immutable: set once, while being built

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Ledger:
        new = super().model_copy(update=update, deep=deep)
        if update and ("entries" in update or "sources" in update):
            if "sources" in update and new.source_dates() != self.source_dates():
                new.attach_stances()
            else:
                old = {id(p) for p in self.entries}
                new.attach_stances({id(p) for p in new.entries if id(p) not in old})
        return new

    def source(self, source_id: str) -> Source | None:
        for s in self.sources:
            if s.id == source_id:
                return s
        return None

    def position(self, entry_id: str) -> int | None:
        """Where the entry with this id stands in ``entries`` (the first, where a broken ledger
        repeats one), without a scan: an index by id is built once per ``entries`` tuple and
        kept beside it."""
        found = self._by_id
        entries = self.entries
        if found is None or found[0] is not entries:
            index: dict[str, int] = {}
            for i, p in enumerate(entries):
                index.setdefault(p.id, i)
            found = (entries, index)
            _set_by_id(self, found)
        return found[1].get(entry_id)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id (:meth:`position`)."""
        i = self.position(entry_id)
        return None if i is None else self.entries[i]


_set_entries: Callable[[Ledger, tuple[Entry, ...]], None] = Ledger.__dict__["entries"].__set__
_set_by_id: Callable[[Ledger, Any], None] = Ledger.__dict__["_by_id"].__set__


def integrity_problems(ledger: Ledger) -> list[tuple[str, str]]:
    """Cross-reference problems validating one record cannot see: (where, what) pairs."""
    problems: list[tuple[str, str]] = []
    if ledger.schema_version != SCHEMA_VERSION:
        readable = " and ".join(str(v) for v in READABLE_VERSIONS)
        problems.append(("schema_version", f"is {ledger.schema_version}; this pledgetui reads versions {readable}"))
    seen: set[str] = set()
    for s in ledger.sources:
        if s.id in seen:
            problems.append((f"source {s.id}", "id is used by more than one source"))
        seen.add(s.id)
    source_ids = seen
    seen = set()
    for p in ledger.entries:
        if p.id in seen:
            problems.append((f"entry {p.id}", "id is used by more than one entry"))
        seen.add(p.id)
        for n, ev in enumerate(p.evidence, 1):
            if ev.source not in source_ids:
                problems.append(
                    (f"entry {p.id} evidence {n} source", f"names source {ev.source!r}, which the ledger does not list")
                )
    return problems
