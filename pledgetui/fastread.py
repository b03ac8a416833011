"""A fast reader for the canonical form of a ledger: the bytes ``store.save`` writes.

Parsing a 100k-entry ledger with a general TOML parser and then validating it
with pydantic takes seconds; the ledgers this program writes always have the
same shape (``tomli_w`` output of ``store.to_document``: keys in model order,
absent values left out, one ``[[entries]]`` table per entry, its statements as
``[[entries.evidence]]`` tables). This module reads exactly that shape, entry by
entry, with anchored regular expressions that also enforce the model's
constraints (vocabularies, id patterns, integer forms), and checks the rest
(lengths, ranges, dates) in Python, building the models directly.

It is a shortcut, never a second judge: at the first thing it does not expect
(a comment, another key order, an escape it does not know, a value the model
would refuse, a duplicate id...) it raises :class:`Unexpected` and the caller
reads the file with the full parser and pydantic, which report every problem
with line and column or entry id and field. Property tests check that both
paths give equal ledgers (tests/test_fastread.py).

The part before the first entry (the format version and the sources) is small:
it is read with the full parser and validated by pydantic.
"""

from __future__ import annotations

import datetime as dt
import json.decoder
import re
from collections.abc import Callable, Iterator
from typing import Any

import tomli

from pledgetui import cache
from pledgetui.model import (
    MAX_AMOUNT,
    MAX_OFFSET,
    MAX_STRING,
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    Entry,
    EntryKind,
    Evidence,
    Ledger,
    Party,
    Quantity,
    Status,
    Vocabulary,
    derive_stance,
    integrity_problems,
)

#: Entries per batch handed to the caller (progressive display, progress).
BATCH = 2000
#: The first batch is a screenful: the first rows show as soon as they are read.
FIRST_BATCH = 100
MAX_NAME = 500


def _max_length(model: type[Any], field: str) -> int:
    """The model's ``max_length`` for ``field`` (from its constraints): one definition of the limit."""
    for meta in model.model_fields[field].metadata:
        limit = getattr(meta, "max_length", None)
        if isinstance(limit, int):
            return limit
    raise RuntimeError(f"{model.__name__}.{field} has no max_length")


MAX_RELAY = _max_length(Evidence, "relayed_by")


class Unexpected(Exception):
    """The text is not in the canonical form this reader knows (or the model would refuse it)."""


# A TOML basic string as tomli-w writes it: no raw control character but tab, and only the
# escapes tomli-w emits (which JSON reads the same way; \u only for U+0000..U+00FF).
_PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'
_S = r'"(' + _PLAIN + r'(?:\\(?:["\\bfnrt]|u00[0-9a-fA-F]{2})' + _PLAIN + r')*)"'
_ID = r'"([a-z0-9][a-z0-9._-]{0,79})"'
_INT = r"(0|[1-9][0-9]{0,9})"
_DATE = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"


def _compile(pattern: str) -> re.Pattern[bytes]:
    """The reader works on the file's bytes (a decoded 100 MB text would double the memory
    a load needs); each string value is decoded, and so checked as UTF-8, on its own."""
    return re.compile(pattern.encode("ascii"))


def _alt(vocab: type[Vocabulary]) -> str:
    return "(" + "|".join(re.escape(m.value) for m in vocab) + ")"


_COND = _alt(Condition)
_COND_ITEMS = r'(?:    "' + _COND[1:-1].join(("(?:", ")")) + r'",\n)+'
_CONDS = r"\[\n(" + _COND_ITEMS + r")\]"
_NUMS = r"\[\n((?:    \{ [^\n]* \},\n)+)\]"

_ENTRY = _compile(
    r"\n\[\[entries\]\]\n"
    rf"id = {_ID}\n"
    rf'(?:kind = "{_alt(EntryKind)}"\n)?'
    rf"actor = {_S}\n"
    rf'(?:actor_type = "{_alt(ActorType)}"\n)?'
    rf'commitment = "{_alt(CommitmentType)}"\n'
    rf"(?:conditions = {_CONDS}\n)?"
    rf"(?:condition_detail = {_S}\n)?"
    rf'(?:us_backstop = "{_alt(Backstop)}"\n)?'
    rf"(?:numbers = {_NUMS}\n)?"
    rf"summary = {_S}\n"
    rf"(?:notes = {_S}\n)?"
)
_EVIDENCE = _compile(
    r"\n\[\[entries\.evidence\]\]\n"
    rf"source = {_ID}\n"
    rf"claimant = {_S}\n"
    rf'party = "{_alt(Party)}"\n'
    rf'basis = "{_alt(Basis)}"\n'
    rf"(?:relayed_by = {_S}\n)?"
    rf'status = "{_alt(Status)}"\n'
    rf"(?:stated = {_DATE}\n)?"
    rf"(?:conditions = (\[\]|\[\n{_COND_ITEMS}\])\n)?"
    rf"(?:numbers = {_NUMS}\n)?"
    rf"quote = {_S}\n"
    rf"(?:prefix = {_S}\n)?"
    rf"(?:suffix = {_S}\n)?"
    rf"start = {_INT}\n"
    rf"end = {_INT}\n"
)
#: A statement of basis ``partisan`` (its source's id is group 1): see :func:`partisan_sources`.
_PARTISAN = _compile(
    r"\n\[\[entries\.evidence\]\]\n"
    rf"source = {_ID}\n"
    rf"claimant = {_S}\n"
    rf'party = "{_alt(Party)}"\n'
    r'basis = "partisan"\n'
)
_QUANTITY = _compile(rf"    \{{ label = {_S}(?:, low = {_INT})?(?:, high = {_INT})? \}},\n")
_CONDITION_ITEM = _compile(r'    "([a-z_]+)",\n')
#: The first entry's header: where the head (format version and sources) ends.
_FIRST = re.compile(rb"^\[\[entries\]\]$", re.M)


def _members(vocab: type[Vocabulary]) -> dict[bytes, Any]:
    return {m.value.encode("ascii"): m for m in vocab}


_KIND = _members(EntryKind)
_ACTOR_TYPE = _members(ActorType)
_COMMITMENT = _members(CommitmentType)
_STATUS = _members(Status)
_PARTY = _members(Party)
_BASIS = _members(Basis)
_CONDITION = _members(Condition)
_BACKSTOP = _members(Backstop)

_P_FIELDS = tuple(Entry.model_fields)
_E_FIELDS = tuple(Evidence.model_fields)
_Q_FIELDS = tuple(Quantity.model_fields)
#: The reader builds models the way the cache does, so it relies on the same field layout.
SUPPORTED = cache.SUPPORTED

_scan = json.decoder.scanstring  # type: ignore[attr-defined]  # the C scanner: reads a JSON string body up to its closing quote
_make = cache.build_model
_sets: dict[tuple[str, frozenset[str]], set[str]] = {}


def _fields_set(kind: str, names: frozenset[str]) -> set[str]:
    """One shared fields-set per shape (``model_copy`` copies it before changing it)."""
    key = (kind, names)
    found = _sets.get(key)
    if found is None:
        found = _sets[key] = set(names)
    return found


def _text(raw: bytes, lo: int = 0, hi: int = MAX_STRING) -> str:
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unexpected("not UTF-8") from None
    if b"\\" in raw:
        s = _scan(s + '"', 0, False)[0]
    if not lo <= len(s) <= hi:
        raise Unexpected("a string outside the model's length limits")
    return s


def _date(raw: bytes) -> dt.date:
    try:
        return dt.date(int(raw[:4]), int(raw[5:7]), int(raw[8:10]))
    except ValueError:
        raise Unexpected("not a calendar date") from None


def _conditions(block: bytes) -> tuple[Condition, ...]:
    return tuple(_CONDITION[c] for c in _CONDITION_ITEM.findall(block))


def _numbers(block: bytes) -> tuple[Quantity, ...]:
    out = []
    pos = 0
    while pos < len(block):
        m = _QUANTITY.match(block, pos)
        if m is None:
            raise Unexpected("a number the reader does not know")
        pos = m.end()
        label, low, high = m.groups()
        lo = None if low is None else int(low)
        hi = None if high is None else int(high)
        if (lo is None and hi is None) or (lo is not None and lo > MAX_AMOUNT) or (hi is not None and hi > MAX_AMOUNT):
            raise Unexpected("an amount outside the model's limits")
        if lo is not None and hi is not None and hi < lo:
            raise Unexpected("high below low")
        names = {"label"}
        if low is not None:
            names.add("low")
        if high is not None:
            names.add("high")
        out.append(
            _make(
                Quantity,
                {"label": _text(label, 1, MAX_NAME), "low": lo, "high": hi},
                _fields_set("q", frozenset(names)),
            )
        )
    return tuple(out)


def _evidence_fields(shape: tuple[bool, ...]) -> set[str]:
    optional = ("relayed_by", "stated", "conditions", "numbers", "prefix", "suffix")
    return {"source", "claimant", "party", "basis", "status", "quote", "start", "end"} | {
        name for name, absent in zip(optional, shape) if not absent
    }


def _entry_fields(shape: tuple[bool, ...]) -> set[str]:
    optional = ("kind", "actor_type", "conditions", "condition_detail", "us_backstop", "numbers", "notes")
    return set(_P_FIELDS) - {name for name, absent in zip(optional, shape) if absent}


def split_head(text: bytes) -> tuple[bytes, int]:
    """The head (everything before the first entry's ``[[entries]]`` line) and where the entries start."""
    m = _FIRST.search(text)
    if m is None:
        return text, len(text)
    return text[: m.start()], m.start() - 1


def read_head(text: bytes) -> tuple[Ledger, int]:
    """The ledger without entries, validated by pydantic, and the offset of the first entry."""
    head, pos = split_head(text)
    if pos < 0 or (pos < len(text) and text[pos] != 10):  # a newline
        raise Unexpected("the first entry does not follow a blank line")
    try:
        doc = tomli.loads(head.decode("utf-8"))
        if "entries" in doc or "schema_version" not in doc:
            raise Unexpected("the head is not the canonical one")
        ledger = Ledger.model_validate(doc)
    except Unexpected:
        raise
    except Exception:
        raise Unexpected("the head does not read alone") from None
    if ledger.schema_version != 2 or integrity_problems(ledger):
        raise Unexpected("an old format version, or problems in the sources")
    return ledger, pos


def iter_entries(
    text: bytes,
    pos: int,
    source_dates: dict[str, dt.date | None],
    batch: int = BATCH,
    until: int | None = None,
    *,
    stances: bool = True,
) -> Iterator[tuple[list[Entry], int]]:
    """Entries from ``pos`` to the end of ``text`` (or to ``until``, which must then be where an
    entry begins), in batches, validated, each with its stance attached for ``source_dates``
    (unless ``stances`` is false: then the stance is derived when first asked for, from the
    statements alone), with the offset reached after each batch. Raises :class:`Unexpected` at
    the first thing it does not know.

    Repeated short values (source ids, claimants, actors) are decoded and checked once and
    shared by every entry that uses them."""
    entry_match = _ENTRY.match
    ev_match = _EVIDENCE.match
    end = len(text) if until is None else until
    names: dict[bytes, str] = {}

    def name(raw: bytes, hi: int = MAX_NAME) -> str:
        found = names.get(raw)
        if found is None:
            found = names[raw] = _text(raw, 1, hi)
        elif len(found) > hi:
            raise Unexpected("a string outside the model's length limits")
        return found

    kinds, actor_types, commitments = _KIND, _ACTOR_TYPE, _COMMITMENT
    parties, bases, statuses, backstops = _PARTY, _BASIS, _STATUS, _BACKSTOP
    e_sets: dict[tuple[bool, ...], set[str]] = {}
    p_sets: dict[tuple[bool, ...], set[str]] = {}
    out: list[Entry] = []
    first = min(FIRST_BATCH, batch)
    while pos < end:
        m = entry_match(text, pos)
        if m is None:
            raise Unexpected(f"an entry the reader does not know at character {pos}")
        pos = m.end()
        (pid, kind, actor, actor_type, commitment, conds, detail, backstop, nums, summary, notes) = m.groups()
        evidence = []
        while True:
            e = ev_match(text, pos)
            if e is None:
                break
            pos = e.end()
            (
                src,
                claimant,
                party,
                basis,
                relayed,
                status,
                stated,
                econds,
                enums,
                quote,
                prefix,
                suffix,
                start,
                stop,
            ) = e.groups()
            a, b = int(start), int(stop)
            if b < a or b > MAX_OFFSET:
                raise Unexpected("offsets outside the model's limits")
            eshape = (relayed is None, stated is None, econds is None, enums is None, prefix is None, suffix is None)
            fields = e_sets.get(eshape)
            if fields is None:
                fields = e_sets[eshape] = _evidence_fields(eshape)
            evidence.append(
                _make(
                    Evidence,
                    {
                        "source": name(src),
                        "claimant": name(claimant),
                        "party": parties[party],
                        "basis": bases[basis],
                        "relayed_by": "" if relayed is None else name(relayed, MAX_RELAY),
                        "status": statuses[status],
                        "stated": None if stated is None else _date(stated),
                        "conditions": None if econds is None else (() if econds == b"[]" else _conditions(econds)),
                        "numbers": () if enums is None else _numbers(enums),
                        "quote": _text(quote, 1),
                        "prefix": "" if prefix is None else _text(prefix),
                        "suffix": "" if suffix is None else _text(suffix),
                        "start": a,
                        "end": b,
                    },
                    fields,
                )
            )
        if not evidence:
            raise Unexpected("an entry without statements in the canonical form")
        shape = (
            kind is None,
            actor_type is None,
            conds is None,
            detail is None,
            backstop is None,
            nums is None,
            notes is None,
        )
        fields = p_sets.get(shape)
        if fields is None:
            fields = p_sets[shape] = _entry_fields(shape)
        evs = tuple(evidence)
        p = _make(
            Entry,
            {
                "id": pid.decode("ascii"),
                "kind": EntryKind.PLEDGE if kind is None else kinds[kind],
                "actor": name(actor),
                "actor_type": ActorType.COUNTRY if actor_type is None else actor_types[actor_type],
                "commitment": commitments[commitment],
                "conditions": () if conds is None else _conditions(conds),
                "condition_detail": "" if detail is None else _text(detail),
                "us_backstop": Backstop.UNKNOWN if backstop is None else backstops[backstop],
                "numbers": () if nums is None else _numbers(nums),
                "summary": _text(summary, 1, MAX_NAME),
                "notes": "" if notes is None else _text(notes),
                "evidence": evs,
            },
            fields,
        )
        if stances:
            if len(evs) == 1:
                dates: tuple[dt.date | None, ...] = (source_dates.get(evs[0].source),)
            else:
                dates = tuple(source_dates.get(sid) for sid in dict.fromkeys(ev.source for ev in evs))
            p.__dict__["_stance"] = (evs, dates, derive_stance(evs, source_dates))
        out.append(p)
        if pos > end:
            raise Unexpected(f"an entry runs past character {end}, where another was to begin")
        if len(out) >= first:
            yield out, pos
            out = []
            first = batch
    if out:
        yield out, pos


def entry_starts(text: bytes, pos: int, near: int) -> int:
    """Where the first entry at or after offset ``near`` begins (its blank line), or ``len(text)``;
    ``pos``: where the entries begin (:func:`read_head`). Reading from ``pos`` to there and from
    there to the end (:func:`read_part`) reads what reading from ``pos`` would, or raises
    :class:`Unexpected` (the split was not between two entries)."""
    if near <= pos:
        return pos
    found = text.find(b"\n\n[[entries]]\n", near - 1)
    return len(text) if found < 0 else found + 1


def partisan_sources(text: bytes, pos: int) -> frozenset[str]:
    """The ids of the sources that a statement from ``pos`` on cites with basis ``partisan``
    (``review.partisan_sources`` of the whole ledger, for a check that reads it in parts). A
    text this reader would refuse is refused by :func:`read_part` too."""
    return frozenset(m.group(1).decode("ascii") for m in _PARTISAN.finditer(text, pos))


def read_part(text: bytes, head: Ledger, pos: int, stop: int | None = None) -> Ledger:
    """The ledger of ``head``'s sources and the entries from ``pos`` to ``stop`` (default: the
    end), each of which must be where an entry begins. Raises :class:`Unexpected`, also for
    duplicate ids or unknown sources among these entries (those across parts are the caller's)."""
    if not SUPPORTED:
        raise Unexpected("the model changed; this reader does not know it")
    dates = head.source_dates()
    return _with_entries(head, [p for chunk, _ in iter_entries(text, pos, dates, until=stop) for p in chunk])


def _with_entries(head: Ledger, entries: list[Entry]) -> Ledger:
    """``head`` (the format version and sources) with ``entries``; raises :class:`Unexpected`
    for duplicate ids or unknown sources."""
    fields = set(head.model_fields_set) | ({"entries"} if entries else set())
    ledger: Ledger = _make(
        Ledger, {"schema_version": head.schema_version, "sources": head.sources, "entries": tuple(entries)}, fields
    )
    if integrity_problems(ledger):
        raise Unexpected("duplicate ids or unknown sources")
    return ledger


def read(text: bytes, on_batch: Callable[[list[Entry], float], None] | None = None, *, stances: bool = True) -> Ledger:
    """The whole ledger from the canonical file bytes (a byte-order mark already removed);
    raises :class:`Unexpected` (the caller then uses the full path). ``on_batch(entries, fraction)``
    is called with each batch of validated entries as it is read. ``stances=False``: the entries'
    readings are not derived (a ledger that is only compared or cached: a save's read-back)."""
    if not SUPPORTED:
        raise Unexpected("the model changed; this reader does not know it")
    head, pos = read_head(text)
    dates = head.source_dates()
    entries: list[Entry] = []
    total = max(len(text), 1)
    for chunk, reached in iter_entries(text, pos, dates, stances=stances):
        entries.extend(chunk)
        if on_batch is not None:
            on_batch(chunk, reached / total)
    return _with_entries(head, entries)
