"""Edits to a ledger as pure functions, and the undo/redo history over them.

Every edit takes an immutable :class:`Ledger` and returns a new one, or raises
:class:`EditError` naming each field at fault; nothing is changed in place.
Snapshots are cheap: a new ledger shares every untouched entry with the old.

The same functions serve a live editing session and the replay of its journal
after a crash, so both always arrive at the same ledger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import is_
from typing import Any

import tomli
import tomli_w
from pydantic import BaseModel, ValidationError

from pledgetui.anchors import select
from pledgetui.canonical import to_document
from pledgetui.errors import form_problems
from pledgetui.model import Entry, Evidence, Ledger, Source, integrity_problems

#: How many edits can be undone; the oldest are forgotten beyond this.
UNDO_LIMIT = 200


class EditError(ValueError):
    """An edit that was refused. ``problems`` holds (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{f}: {m}" if f else m for f, m in self.problems))

    def by_field(self) -> dict[str, list[str]]:
        """Messages keyed by top-level field name (``evidence[2].quote`` -> ``evidence``), for a form."""
        out: dict[str, list[str]] = {}
        for name, message in self.problems:
            top = name.split(".", 1)[0].split("[", 1)[0]
            out.setdefault(top, []).append(message)
        return out


# --------------------------------------------------------------------------- validation


def validate_entry_fields(data: dict[str, Any]) -> Entry:
    """Build an entry from form data; raise :class:`EditError` with a message per field."""
    try:
        return Entry.model_validate(data)
    except ValidationError as exc:
        raise EditError(form_problems(exc)) from None


def _unencodable(value: Any, name: str) -> list[tuple[str, str]]:
    """Strings that cannot be written as UTF-8 (lone surrogates), by field."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return [(name, "holds a character that cannot be saved (an unpaired surrogate)")]
        return []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _unencodable(v, f"{name}.{k}" if name else k)]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in _unencodable(v, f"{name}[{i + 1}]")]
    return []


def _revalidate(model_type: type[BaseModel], value: Any, prefix: str = "") -> Any:
    """Re-check a model instance (it may have been built with ``model_construct``)."""
    data = value.model_dump(mode="python", warnings=False) if hasattr(value, "model_dump") else value
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        raise EditError(form_problems(exc, prefix)) from None
    problems = _unencodable(model.model_dump(mode="json"), prefix)
    if problems:
        raise EditError(problems)
    return model


def _checked(ledger: Ledger, entry_id: str | None = None, problems: list[tuple[str, str]] | None = None) -> Ledger:
    """Refuse a ledger with cross-reference problems; name fields relative to ``entry_id``.

    ``problems`` may be given when the caller knows which part can be wrong (one entry)."""
    if problems is None:
        problems = integrity_problems(ledger)
    if not problems:
        return ledger
    out = []
    for where, what in problems:
        if entry_id and where == f"entry {entry_id}":
            out.append(("id", f"{entry_id!r} {what}"))
        elif entry_id and where.startswith(f"entry {entry_id} evidence "):
            n = where.split()[3]
            out.append((f"evidence[{n}].source", what))
        elif where.startswith("source "):
            out.append(("id", f"{where}: {what}"))
        else:
            out.append((where, what))
    raise EditError(out)


def _round_trips(ledger: Ledger, entry: Entry) -> None:
    """Refuse an entry the ledger file could not hold exactly (checked once here, not at save time)."""
    doc = to_document(ledger.model_copy(update={"entries": (entry,)}))
    again = Ledger.model_validate(tomli.loads(tomli_w.dumps(doc, multiline_strings=False)))
    if again.entries != (entry,):
        raise EditError([("", "this entry would not read back the same after saving")])


# --------------------------------------------------------------------------- edits


def _index(ledger: Ledger, entry_id: str) -> int:
    i = ledger.position(entry_id)
    if i is None:
        raise EditError([("id", f"no entry has the id {entry_id!r}")])
    return i


def put_entry(ledger: Ledger, entry: Entry, replace_id: str | None = None) -> Ledger:
    """Add ``entry`` at the end, or replace the entry ``replace_id`` (default: its own id) in place."""
    entry = _revalidate(Entry, entry)
    entries = list(ledger.entries)
    if replace_id is not None:
        entries[_index(ledger, replace_id)] = entry
    else:
        try:
            entries[_index(ledger, entry.id)] = entry
        except EditError:
            entries.append(entry)
    # Only the new entry can break the ledger's integrity (the rest was checked on load),
    # so check it alone rather than walking every entry: an edit at 100k entries stays cheap.
    problems = integrity_problems(ledger.model_copy(update={"entries": (entry,)}))
    if sum(1 for p in entries if p.id == entry.id) > 1:
        problems.insert(0, (f"entry {entry.id}", "id is used by more than one entry"))
    new = _checked(ledger.model_copy(update={"entries": tuple(entries)}), entry.id, problems)
    _round_trips(new, entry)
    return new


def delete_entry(ledger: Ledger, entry_id: str) -> Ledger:
    i = _index(ledger, entry_id)
    return ledger.model_copy(update={"entries": ledger.entries[:i] + ledger.entries[i + 1 :]})


def add_evidence(ledger: Ledger, entry_id: str, evidence: Evidence) -> Entry:
    """The entry with one more quote (apply it with :func:`put_entry`)."""
    old = ledger.entries[_index(ledger, entry_id)]
    evidence = _revalidate(Evidence, evidence, f"evidence[{len(old.evidence) + 1}]")
    return old.model_copy(update={"evidence": (*old.evidence, evidence)})


def remove_evidence(ledger: Ledger, entry_id: str, index: int) -> Entry:
    """The entry without quote number ``index`` (0-based); the last quote cannot go."""
    old = ledger.entries[_index(ledger, entry_id)]
    if not 0 <= index < len(old.evidence):
        raise EditError([("evidence", f"{entry_id} has no quote number {index + 1}")])
    if len(old.evidence) == 1:
        raise EditError([("evidence", "an entry needs at least one statement; add another before removing this one")])
    return old.model_copy(update={"evidence": old.evidence[:index] + old.evidence[index + 1 :]})


def replace_evidence(ledger: Ledger, entry_id: str, index: int, evidence: Evidence) -> Entry:
    """The entry with quote number ``index`` (0-based) replaced by ``evidence``."""
    old = ledger.entries[_index(ledger, entry_id)]
    if not 0 <= index < len(old.evidence):
        raise EditError([("evidence", f"{entry_id} has no quote number {index + 1}")])
    evidence = _revalidate(Evidence, evidence, f"evidence[{index + 1}]")
    return old.model_copy(update={"evidence": (*old.evidence[:index], evidence, *old.evidence[index + 1 :])})


def with_article_text(evidence: Evidence, text: str, start: int, end: int) -> Evidence:
    """``evidence`` with the article's text at ``start:end`` as its quote, offsets and context
    recomputed, its stance (claimant, party, basis, status, date) unchanged: how a drifted
    quote is accepted, or a moved one re-anchored."""
    sel = select(text, start, end)
    return evidence.model_copy(
        update={"quote": sel.quote, "prefix": sel.prefix, "suffix": sel.suffix, "start": sel.start, "end": sel.end}
    )


def add_source(ledger: Ledger, source: Source) -> Ledger:
    source = _revalidate(Source, source)
    new = ledger.model_copy(update={"sources": (*ledger.sources, source)})
    problems = integrity_problems(new)
    if problems:
        raise EditError(
            [
                ("id", f"{source.id!r} {what}") if where == f"source {source.id}" else (where, what)
                for where, what in problems
            ]
        )
    return new


# --------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class Step:
    """How one ledger differs from another it was edited from or into, as little as that takes:
    the other's entries between the ``head`` and ``tail`` entries the two share (by identity), and
    the other's value of every other field that is not the very same object (``fields``).

    The undo history keeps steps, not ledgers: an edit at 100k entries keeps the one entry it
    changed, not a copy of the whole entries tuple (about 0.8 MB) for each of its 200 steps."""

    head: int
    tail: int
    middle: tuple[Entry, ...]
    fields: tuple[tuple[str, Any], ...]


def _shared(a: Iterable[Entry], b: Iterable[Entry]) -> int:
    """How many entries ``a`` and ``b`` share at their start, by identity (compared in C)."""
    same = list(map(is_, a, b))
    try:
        return same.index(False)
    except ValueError:
        return len(same)


def step(frm: Ledger, to: Ledger) -> Step:
    """The step that takes ``frm`` to ``to`` (:func:`take`)."""
    a, b = frm.entries, to.entries
    head = min(len(a), len(b)) if a is b else _shared(a, b)
    tail = _shared(reversed(a[head:]), reversed(b[head:]))
    fields = tuple(
        (name, getattr(to, name))
        for name in type(to).model_fields
        if name != "entries" and getattr(to, name) is not getattr(frm, name)
    )
    return Step(head, tail, b[head : len(b) - tail], fields)


def take(frm: Ledger, s: Step) -> tuple[Ledger, Step]:
    """The ledger ``s`` leads to from ``frm``, and the step back."""
    a = frm.entries
    end = len(a) - s.tail
    back = Step(s.head, s.tail, a[s.head : end], tuple((name, getattr(frm, name)) for name, _ in s.fields))
    update: dict[str, Any] = dict(s.fields)
    if s.middle or end > s.head:
        update["entries"] = a[: s.head] + s.middle + a[end:]
    return (frm.model_copy(update=update) if update else frm), back


@dataclass
class History:
    """The current ledger with undo and redo stacks of (description, step) pairs: each step
    leads from the ledger it sits above to the one before (undo) or after (redo) it."""

    ledger: Ledger
    undo_stack: list[tuple[str, Step]] = field(default_factory=list)
    redo_stack: list[tuple[str, Step]] = field(default_factory=list)

    def apply(self, description: str, new: Ledger) -> None:
        self.undo_stack.append((description, step(new, self.ledger)))
        del self.undo_stack[:-UNDO_LIMIT]
        self.redo_stack.clear()
        self.ledger = new

    def target(self, direction: str) -> tuple[str, Ledger]:
        """The description and the ledger an undo (or a redo) would lead to; nothing changes."""
        description, s = (self.undo_stack if direction == "undo" else self.redo_stack)[-1]
        return description, take(self.ledger, s)[0]

    def _move(self, source: list[tuple[str, Step]], other: list[tuple[str, Step]]) -> str:
        description, s = source.pop()
        self.ledger, back = take(self.ledger, s)
        other.append((description, back))
        return description

    def undo(self) -> str:
        return self._move(self.undo_stack, self.redo_stack)

    def redo(self) -> str:
        return self._move(self.redo_stack, self.undo_stack)

    def restore(self, direction: str, description: str, target: Ledger) -> None:
        """An undo or redo whose target lies before this history began (carried in the journal)."""
        other = self.redo_stack if direction == "undo" else self.undo_stack
        other.append((description, step(target, self.ledger)))
        self.ledger = target

    def copy(self) -> History:
        return History(self.ledger, list(self.undo_stack), list(self.redo_stack))
