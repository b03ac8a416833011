"""Two ledgers compared source by source, entry by entry and statement by statement, field by field.

Entries and sources are matched by id, statements within an entry by their identity
(``Evidence.key``: source and anchor), so a reordering is not a change and an edit of a
statement's stance is a change of that statement, not a removal and an addition. The
result names every field that differs with its old and new value (plain values, as the
ledger file and the JSON export give them), and each entry's derived reading before and
after. The dashboard describes its own edits with it; ``pledgetui changes OLD NEW``
prints it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pledgetui.model import Entry, Evidence, Ledger, Model, Source, Stance, derive_stance

__all__ = [
    "EntryDiff",
    "FieldChange",
    "LedgerDiff",
    "SourceDiff",
    "StatementDiff",
    "compare",
    "compare_entries",
    "reading",
    "statement_keys",
]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs: its name and its old and new values (plain: text, numbers,
    lists, ISO dates; ``None`` where the field is absent)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class StatementDiff:
    """A statement in both versions of an entry whose fields differ."""

    key: str
    old_index: int  # 0-based positions in each version's evidence
    new_index: int
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class EntryDiff:
    """One entry's changes. ``old`` is None for an added entry, ``new`` for a removed one."""

    id: str
    old: Entry | None
    new: Entry | None
    fields: tuple[FieldChange, ...] = ()
    added: tuple[int, ...] = ()  # positions in the new evidence of statements only it has
    removed: tuple[int, ...] = ()  # positions in the old evidence of statements only it had
    changed: tuple[StatementDiff, ...] = ()
    reordered: bool = False  # the statements both have stand in another order
    old_reading: Stance | None = None
    new_reading: Stance | None = None

    @property
    def kind(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    @property
    def reading_changed(self) -> bool:
        """Whether the derived status differs (added and removed entries count as changed)."""
        old, new = self.old_reading, self.new_reading
        return old is None or new is None or old.status is not new.status

    def field_names(self) -> tuple[str, ...]:
        """Every changed field: the entry's own, then ``evidence[n].field`` (1-based, new positions)."""
        names = [c.field for c in self.fields]
        for s in self.changed:
            names.extend(f"evidence[{s.new_index + 1}].{c.field}" for c in s.fields)
        return tuple(names)


@dataclass(frozen=True, slots=True)
class SourceDiff:
    """One source's changes. ``old`` is None for an added source, ``new`` for a removed one."""

    id: str
    old: Source | None
    new: Source | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"


@dataclass(frozen=True, slots=True)
class LedgerDiff:
    """Everything that differs between two ledgers, in the new ledger's order (removed ones
    after, in the old ledger's order)."""

    sources: tuple[SourceDiff, ...] = ()
    entries: tuple[EntryDiff, ...] = ()
    header: tuple[FieldChange, ...] = field(default=())  # ``schema_version``

    def __bool__(self) -> bool:
        return bool(self.sources or self.entries or self.header)

    def entry(self, entry_id: str) -> EntryDiff | None:
        for d in self.entries:
            if d.id == entry_id:
                return d
        return None


def plain(value: Any) -> Any:
    """A field's value as the JSON export gives it (records as their dump, tuples as lists,
    vocabulary members as their values, dates in ISO form)."""
    if isinstance(value, Model):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _field_changes(old: Any, new: Any, names: Iterable[str]) -> tuple[FieldChange, ...]:
    changes = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            changes.append(FieldChange(name, plain(a), plain(b)))
    return tuple(changes)


_ENTRY_FIELDS = tuple(f for f in Entry.model_fields if f not in ("id", "evidence"))
_STATEMENT_FIELDS = tuple(Evidence.model_fields)
_SOURCE_FIELDS = tuple(f for f in Source.model_fields if f != "id")


def statement_keys(evidence: Sequence[Evidence]) -> list[str]:
    """Each statement's identity in ``evidence``: its :attr:`Evidence.key`, with ``#2``, ``#3``
    after it for a second and third statement of the same source and anchor."""
    seen: dict[str, int] = {}
    keys = []
    for ev in evidence:
        k = ev.key
        n = seen[k] = seen.get(k, 0) + 1
        keys.append(k if n == 1 else f"{k}#{n}")
    return keys


def reading(entry: Entry, source_dates: Mapping[str, dt.date | None]) -> Stance:
    """The entry's derived reading with these article dates (the one it carries, when it was
    derived with them), never changing what the entry carries: it may belong to another ledger."""
    found = entry._stance
    if found is not None and found[0] is entry.evidence and found[1] == entry.dates_in(source_dates):
        return found[2]
    return derive_stance(entry.evidence, source_dates)


def compare_entries(
    old: Entry | None,
    new: Entry | None,
    old_dates: Mapping[str, dt.date | None] | None = None,
    new_dates: Mapping[str, dt.date | None] | None = None,
) -> EntryDiff | None:
    """How ``new`` differs from ``old`` (None: the same). Readings are derived with each
    side's article dates (``{}`` when not given: the statements' own dates only)."""
    if old is None and new is None:
        return None
    old_dates = {} if old_dates is None else old_dates
    new_dates = {} if new_dates is None else new_dates
    old_reading = reading(old, old_dates) if old is not None else None
    new_reading = reading(new, new_dates) if new is not None else None
    if old is None or new is None:
        some = new if new is not None else old
        assert some is not None
        return EntryDiff(some.id, old, new, old_reading=old_reading, new_reading=new_reading)
    if old is new and old.dates_in(old_dates) == new.dates_in(new_dates):
        return None
    fields = _field_changes(old, new, _ENTRY_FIELDS)
    old_keys, new_keys = statement_keys(old.evidence), statement_keys(new.evidence)
    old_at = {k: i for i, k in enumerate(old_keys)}
    new_at = {k: i for i, k in enumerate(new_keys)}
    added = tuple(i for i, k in enumerate(new_keys) if k not in old_at)
    removed = tuple(i for i, k in enumerate(old_keys) if k not in new_at)
    changed = []
    for j, k in enumerate(new_keys):
        i = old_at.get(k)
        if i is None:
            continue
        a, b = old.evidence[i], new.evidence[j]
        if a is not b and a != b:
            changed.append(StatementDiff(k, i, j, _field_changes(a, b, _STATEMENT_FIELDS)))
    common_old = [k for k in old_keys if k in new_at]
    common_new = [k for k in new_keys if k in old_at]
    reordered = common_old != common_new
    reading_moved = (
        old_reading is not None
        and new_reading is not None
        and (old_reading.status, old_reading.claimant, old_reading.span)
        != (new_reading.status, new_reading.claimant, new_reading.span)
    )
    if not (fields or added or removed or changed or reordered or reading_moved):
        return None
    return EntryDiff(
        new.id,
        old,
        new,
        fields,
        added,
        removed,
        tuple(changed),
        reordered,
        old_reading,
        new_reading,
    )


def _first_by_id(items: Iterable[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        out.setdefault(item.id, item)
    return out


def compare(old: Ledger, new: Ledger) -> LedgerDiff:
    """Every difference between ``old`` and ``new``: sources, entries and statements."""
    header = _field_changes(old, new, ("schema_version",))
    old_sources, new_sources = _first_by_id(old.sources), _first_by_id(new.sources)
    sources: list[SourceDiff] = []
    for sid, s in new_sources.items():
        was = old_sources.get(sid)
        if was is None:
            sources.append(SourceDiff(sid, None, s))
        elif was is not s and was != s:
            sources.append(SourceDiff(sid, was, s, _field_changes(was, s, _SOURCE_FIELDS)))
    sources.extend(SourceDiff(sid, s, None) for sid, s in old_sources.items() if sid not in new_sources)
    old_dates, new_dates = old.source_dates(), new.source_dates()
    old_entries, new_entries = _first_by_id(old.entries), _first_by_id(new.entries)
    entries: list[EntryDiff] = []
    for eid, p in new_entries.items():
        was = old_entries.get(eid)
        d = compare_entries(was, p, old_dates, new_dates)
        if d is not None:
            entries.append(d)
    for eid, p in old_entries.items():
        if eid not in new_entries:
            d = compare_entries(p, None, old_dates, new_dates)
            if d is not None:
                entries.append(d)
    return LedgerDiff(tuple(sources), tuple(entries), header)
