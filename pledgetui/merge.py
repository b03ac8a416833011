"""A three-way merge of ledgers: sources by id, entries by id, statements by their identity
(``Evidence.key``), field by field. ``pledgetui merge`` (git's merge driver) runs it.

The rules (docs/architecture.md, "Merging ledgers"):

- A field one side changed and the other left as in the base takes the change; the same
  change on both sides is one change. Two different changes to one field are a
  *conflict*: the result keeps ours and records the conflict.
- Records (sources, entries, statements) are matched by id or statement key. One added on
  one side is added; one deleted on one side and left alone on the other is deleted. Added
  on both sides with different fields: merged field by field with nothing in the base, so
  each field that differs is a conflict. Deleted on one side and changed on the other: a
  conflict on the whole record (field ``(entry)``, ``(source)`` or ``(statement)``); the
  changed record is kept, so nothing is lost, and picking the deleting side removes it.
- Statements added on both sides to one entry are all kept (they are different statements:
  their keys differ); ours first, then theirs'.
- Order: the side that reordered records (relative to the base) gives the order, ours when
  both or neither did; a record only the other side has is placed after the record that
  precedes it there (first when none does).
- The result always loads. A source deleted on one side that the merged entries still cite
  is kept and recorded as a conflict on the whole source; an entry whose statements were all
  deleted (some on each side) keeps ours' statements, recorded as a conflict on ``evidence``.
- Conflicts already recorded in the ledgers are merged as a set (kept unless one side
  resolved them); a new conflict at the same place replaces an old one.

Each conflict is a :class:`pledgetui.model.Conflict` with each side's value as JSON text
(the JSON export's form of the value). :func:`resolve` settles one by picking a side.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pledgetui.compare import plain, statement_keys
from pledgetui.model import Conflict, Entry, Evidence, Ledger, Model, Source, integrity_problems

__all__ = ["Merged", "Side", "describe", "merge", "render", "resolve"]

#: Which side of a conflict to keep.
Side = Literal["base", "ours", "theirs"]

WHOLE_ENTRY = "(entry)"
WHOLE_SOURCE = "(source)"
WHOLE_STATEMENT = "(statement)"

_ENTRY_FIELDS = tuple(f for f in Entry.model_fields if f not in ("id", "evidence"))
_STATEMENT_FIELDS = tuple(f for f in Evidence.model_fields if f not in ("source", "start", "end"))
_SOURCE_FIELDS = tuple(f for f in Source.model_fields if f != "id")


@dataclass(frozen=True, slots=True)
class Merged:
    """A merge's result: the merged ledger (with every conflict recorded in it, those the
    sides carried included) and the conflicts this merge found."""

    ledger: Ledger
    conflicts: tuple[Conflict, ...]

    @property
    def clean(self) -> bool:
        """No conflict found by this merge and none recorded in the result."""
        return not self.conflicts and not self.ledger.conflicts


def render(value: Any) -> str:
    """A value as the JSON text a conflict stores (empty for an absent record)."""
    if value is None:
        return ""
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=False)


def _values(record: Model) -> dict[str, Any]:
    """A record's fields by name (not the derived caches it keeps)."""
    return {name: getattr(record, name) for name in type(record).model_fields}


_T = TypeVar("_T")
_MISSING: Any = object()


class _Found:
    """Conflicts as a merge finds them."""

    def __init__(self) -> None:
        self.items: list[Conflict] = []

    def add(self, field: str, base: Any, ours: Any, theirs: Any, **where: Any) -> None:
        self.items.append(
            Conflict(
                field=field,
                base="" if base is _MISSING else render(base),
                ours=render(ours),
                theirs=render(theirs),
                **where,
            )
        )


def _three(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """One value merged: (the result, whether the two sides conflict)."""
    if ours == theirs:
        return ours, False
    if base is not _MISSING and ours == base:
        return theirs, False
    if base is not _MISSING and theirs == base:
        return ours, False
    return ours, True


def _reordered(base_keys: Sequence[str], keys: Sequence[str]) -> bool:
    both = set(base_keys) & set(keys)
    return [k for k in base_keys if k in both] != [k for k in keys if k in both]


def _order(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str], kept: set[str]) -> list[str]:
    """The kept keys in order: the side that reordered gives it (ours when both or neither),
    the other side's own keys go after the key before them there."""
    first, second = (theirs, ours) if _reordered(base, theirs) and not _reordered(base, ours) else (ours, theirs)
    ordered = [k for k in first if k in kept]
    placed = set(ordered)
    # The other side's keys as links after the key each follows: linear in the number of keys
    # (a list insert after each ``index`` made a merge of large ledgers take minutes).
    after: dict[str | None, str] = {}
    prev: str | None = None
    for k in second:
        if k in kept and k not in placed:
            after[prev] = k  # keys are unique: ``prev`` has no link yet (it is the last placed)
            placed.add(k)
        if k in placed:
            prev = k
    out: list[str] = []
    for head in (None, *ordered):
        if head is not None:
            out.append(head)
        nxt = after.get(head)
        while nxt is not None:
            out.append(nxt)
            nxt = after.get(nxt)
    for k in base:  # kept only because of a conflict, and neither side lists it: after its base neighbour
        if k in kept and k not in placed:
            out.append(k)
            placed.add(k)
    return out


def _keyed(
    base: Sequence[_T],
    ours: Sequence[_T],
    theirs: Sequence[_T],
    keys: Callable[[Sequence[_T]], list[str]],
    both: Callable[[_T | None, _T, _T], _T],
    gone: Callable[[str, _T | None, _T | None, _T | None], None],
) -> list[_T]:
    """Three-way merge of records matched by key. ``both(base, ours, theirs)`` merges a record
    each side has and changed differently; ``gone(key, base, ours, theirs)`` records a deletion
    against a change (the changed record is kept)."""
    bk, ok, tk = keys(base), keys(ours), keys(theirs)
    b, o, t = dict(zip(bk, base, strict=True)), dict(zip(ok, ours, strict=True)), dict(zip(tk, theirs, strict=True))
    result: dict[str, _T] = {}
    for k in dict.fromkeys([*ok, *tk, *bk]):
        bv, ov, tv = b.get(k), o.get(k), t.get(k)
        if ov == tv:
            if ov is not None:
                result[k] = ov
        elif ov == bv:
            if tv is not None:
                result[k] = tv
        elif tv == bv:
            if ov is not None:
                result[k] = ov
        elif ov is None or tv is None:
            gone(k, bv, ov, tv)
            kept = ov if ov is not None else tv
            assert kept is not None
            result[k] = kept
        else:
            result[k] = both(bv, ov, tv)
    return [result[k] for k in _order(bk, ok, tk, set(result))]


def _ids(items: Sequence[Any]) -> list[str]:
    return [item.id for item in items]


def _fields(base: Any, ours: Any, theirs: Any, names: Sequence[str], found: _Found, **where: Any) -> dict[str, Any]:
    """The fields ``names`` merged one by one (``base`` None: added on both sides)."""
    out: dict[str, Any] = {}
    for name in names:
        bv = _MISSING if base is None else getattr(base, name)
        ov, tv = getattr(ours, name), getattr(theirs, name)
        value, conflict = _three(bv, ov, tv)
        if conflict:
            found.add(name, bv, ov, tv, **where)
        out[name] = value
    return out


def _merge_statement(entry_id: str, found: _Found) -> Callable[[Evidence | None, Evidence, Evidence], Evidence]:
    def both(base: Evidence | None, ours: Evidence, theirs: Evidence) -> Evidence:
        update = _fields(base, ours, theirs, _STATEMENT_FIELDS, found, entry=entry_id, statement=ours.key)
        return ours.model_copy(update=update)

    return both


def _merge_entry(found: _Found) -> Callable[[Entry | None, Entry, Entry], Entry]:
    def both(base: Entry | None, ours: Entry, theirs: Entry) -> Entry:
        update = _fields(base, ours, theirs, _ENTRY_FIELDS, found, entry=ours.id)

        def gone(key: str, b: Evidence | None, o: Evidence | None, t: Evidence | None) -> None:
            found.add(WHOLE_STATEMENT, b, o, t, entry=ours.id, statement=key)

        evidence = _keyed(
            base.evidence if base is not None else (),
            ours.evidence,
            theirs.evidence,
            statement_keys,
            _merge_statement(ours.id, found),
            gone,
        )
        if not evidence:  # each side deleted the statements the other kept
            found.add(
                "evidence",
                base.evidence if base is not None else _MISSING,
                ours.evidence,
                theirs.evidence,
                entry=ours.id,
            )
            evidence = list(ours.evidence)
        update["evidence"] = tuple(evidence)
        return Entry.model_validate({**_values(ours), **update})

    return both


def _merge_source(found: _Found) -> Callable[[Source | None, Source, Source], Source]:
    def both(base: Source | None, ours: Source, theirs: Source) -> Source:
        return ours.model_copy(update=_fields(base, ours, theirs, _SOURCE_FIELDS, found, source=ours.id))

    return both


def _merge_conflicts(base: Ledger, ours: Ledger, theirs: Ledger, new: list[Conflict]) -> tuple[Conflict, ...]:
    """The conflicts the sides carried, as a set (one side resolving a conflict resolves it),
    then this merge's (replacing an old one at the same place)."""
    in_base, in_ours, in_theirs = set(base.conflicts), set(ours.conflicts), set(theirs.conflicts)
    kept = [c for c in ours.conflicts if c in in_theirs or c not in in_base]
    kept += [c for c in theirs.conflicts if c not in in_ours and c not in in_base]
    places = {c.identity for c in new}
    out = [c for c in kept if c.identity not in places]
    return tuple(dict.fromkeys([*out, *new]))


def merge(base: Ledger, ours: Ledger, theirs: Ledger) -> Merged:
    """``ours`` and ``theirs`` (two edits of ``base``) merged, by the rules in this module's
    documentation. The result is a valid ledger whatever the sides hold; each conflict keeps
    ours (or the changed record against a deletion) and is recorded in it."""
    found = _Found()

    def source_gone(key: str, b: Source | None, o: Source | None, t: Source | None) -> None:
        found.add(WHOLE_SOURCE, b, o, t, source=key)

    def entry_gone(key: str, b: Entry | None, o: Entry | None, t: Entry | None) -> None:
        found.add(WHOLE_ENTRY, b, o, t, entry=key)

    entries = _keyed(base.entries, ours.entries, theirs.entries, _ids, _merge_entry(found), entry_gone)
    sources = _keyed(base.sources, ours.sources, theirs.sources, _ids, _merge_source(found), source_gone)
    # A source deleted on one side that a merged statement still cites is kept (the result must load).
    cited = {ev.source for p in entries for ev in p.evidence}
    have = {s.id for s in sources}
    missing = cited - have
    if missing:
        b, o, t = ({s.id: s for s in x.sources} for x in (base, ours, theirs))
        for sid in sorted(missing):
            s = o.get(sid) or t.get(sid) or b.get(sid)
            if s is None:
                continue  # cited by a side that did not list it: that side does not load
            found.add(WHOLE_SOURCE, b.get(sid, _MISSING), o.get(sid), t.get(sid), source=sid)
            sources.append(s)
        order = _order(_ids(base.sources), _ids(ours.sources), _ids(theirs.sources), {s.id for s in sources})
        by_id = {s.id: s for s in sources}
        sources = [by_id[k] for k in order]
    conflicts = _merge_conflicts(base, ours, theirs, found.items)
    ledger = Ledger(
        schema_version=ours.schema_version,
        sources=tuple(sources),
        entries=tuple(entries),
        conflicts=conflicts,
    )
    return Merged(ledger, tuple(found.items))


def _short(text: str, width: int = 60) -> str:
    if text == "":
        return "(none)"
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def describe(conflict: Conflict, width: int = 60) -> str:
    """One line naming a conflict and each side's value (shortened to ``width``): ``entry uk
    field summary: ours "A", theirs "B", base "C"``. Not yet through the display filter."""
    return (
        f"{conflict.where} field {conflict.field}: ours {_short(conflict.ours, width)}, "
        f"theirs {_short(conflict.theirs, width)}, base {_short(conflict.base, width)}"
    )


def _value(text: str, conflict: Conflict, side: Side) -> Any:
    """A side's value out of its JSON text (``None``: no record). The text comes from the file,
    so it may be anything: not JSON, or nested past the parser's recursion limit."""
    if text == "":
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        why = "nested too deep" if isinstance(exc, RecursionError) else str(exc).splitlines()[0]
        raise ValueError(f"{conflict.where} {conflict.field}: the {side} value is not valid JSON ({why})") from None


def resolve(ledger: Ledger, conflict: Conflict, side: Side) -> Ledger:
    """``ledger`` with ``conflict`` settled: the place it names set to ``side``'s value (for a
    whole record: that side's record, or none) and the conflict removed from the ledger's list.
    Raises ``ValueError`` when ``conflict`` is not recorded in ``ledger`` or the value would
    break the ledger (a source still cited, an entry left without statements)."""
    from pydantic import ValidationError  # here: validating a picked value is an edge; loading never needs it

    if conflict not in ledger.conflicts:
        raise ValueError(f"{conflict.where}: no such conflict recorded on {conflict.field}")
    text = {"base": conflict.base, "ours": conflict.ours, "theirs": conflict.theirs}[side]
    value = _value(text, conflict, side)
    try:
        new = _resolved(ledger, conflict, value)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(part) for part in err["loc"]) or conflict.field
        why = "no such field" if err["type"] == "extra_forbidden" else err["msg"]
        where = "" if field == conflict.field else f" {field}"
        raise ValueError(f"picking {side} for {conflict.where} {conflict.field}:{where} {why}") from None
    problems = integrity_problems(new)
    if problems:
        where, what = problems[0]
        raise ValueError(f"picking {side} for {conflict.where} {conflict.field} would leave {where} that {what}")
    return new


def _resolved(ledger: Ledger, conflict: Conflict, value: Any) -> Ledger:
    """``ledger`` with the place ``conflict`` names set to ``value`` and the conflict removed
    (not yet checked for cross-references). Raises ``ValueError`` or pydantic's ``ValidationError``."""
    rest = tuple(c for c in ledger.conflicts if c != conflict)
    if conflict.entry is None:
        sources = _resolve_in(list(ledger.sources), conflict.source, conflict.field, WHOLE_SOURCE, value, Source)
        new = ledger.model_copy(update={"sources": tuple(sources), "conflicts": rest})
    else:
        entries = list(ledger.entries)
        if conflict.statement:
            i = ledger.position(conflict.entry)
            if i is None:
                raise ValueError(f"{conflict.where}: the ledger has no such entry")
            p = entries[i]
            keys = statement_keys(p.evidence)
            evidence = dict(zip(keys, p.evidence, strict=True))
            ev = evidence.get(conflict.statement)
            if conflict.field == WHOLE_STATEMENT:
                if value is None:
                    evidence.pop(conflict.statement, None)
                else:
                    evidence[conflict.statement] = Evidence.model_validate(value)
            elif ev is None:
                raise ValueError(f"{conflict.where}: the entry has no such statement")
            else:
                evidence[conflict.statement] = Evidence.model_validate({**_values(ev), conflict.field: value})
            entries[i] = Entry.model_validate({**_values(p), "evidence": tuple(evidence.values())})
        else:
            entries = _resolve_in(entries, conflict.entry, conflict.field, WHOLE_ENTRY, value, Entry)
        new = ledger.model_copy(update={"entries": tuple(entries), "conflicts": rest})
    return new


_R = TypeVar("_R", Entry, Source)


def _resolve_in(items: list[_R], rid: str | None, field: str, whole: str, value: Any, cls: type[_R]) -> list[_R]:
    at = next((i for i, x in enumerate(items) if x.id == rid), None)
    if field == whole:
        if value is None:
            return [x for x in items if x.id != rid]
        record = cls.model_validate(value)
        if at is None:
            items.append(record)
        else:
            items[at] = record
        return items
    if at is None:
        raise ValueError(f"{rid}: the ledger has no such record")
    items[at] = cls.model_validate({**_values(items[at]), field: value})
    return items
