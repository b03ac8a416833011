"""A fast reader for the canonical form of a ledger: the bytes ``store.save`` writes.

Parsing a 100k-entry ledger with a general TOML parser and then validating it
with pydantic takes seconds; the ledgers this program writes always have the
same shape (``tomli_w`` output of ``store.to_document``: keys in the schema's order,
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

Its patterns and checks are built from the schema (``pledgetui.schema``): the keys of each
record in the schema's order, the optional ones optional, each value's pattern from its kind
(the id pattern, a vocabulary's values, an integer's digits), each length, range and rule
between fields checked as the schema states it. A schema whose shape it cannot follow makes
it decline every file (:data:`SUPPORTED` is false). The code that builds each record's model
is written from the schema once, at import (:func:`_build_source`: a line per field, the
field's limits in it), so that reading an entry asks nothing of the schema.

The part before the first entry (the format version and the sources) is small:
it is read with the full TOML parser and checked field by field against the schema
(:func:`_checked`), declining anything pydantic might read otherwise. Nothing here
imports pydantic: loading a canonical ledger never does.
"""

from __future__ import annotations

import datetime as dt
import json.decoder
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import tomli

from pledgetui import records, schema
from pledgetui.model import Entry, Ledger, Model, Vocabulary, derive_stance, integrity_problems, keep_stance
from pledgetui.records import MODELS
from pledgetui.schema import Field, Kind, Record

#: Entries per batch handed to the caller (progressive display, progress).
BATCH = 2000
#: The first batch is a screenful: the first rows show as soon as they are read.
FIRST_BATCH = 100


class Unexpected(Exception):
    """The text is not in the canonical form this reader knows (or the model would refuse it)."""


_LIMITS = "a string outside the model's length limits"

# A TOML basic string as tomli-w writes it: no raw control character but tab, and only the
# escapes tomli-w emits (which JSON reads the same way; \u only for U+0000..U+00FF).
_PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'
_S = r'"(' + _PLAIN + r'(?:\\(?:["\\bfnrt]|u00[0-9a-fA-F]{2})' + _PLAIN + r')*)"'
_DATE = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"
#: An inline array of inline tables, one a line (its items are read by the record's own pattern).
_INLINE_TABLES = r"\[\n((?:    \{ [^\n]* \},\n)+)\]"


def _compile(pattern: str) -> re.Pattern[bytes]:
    """The reader works on the file's bytes (a decoded 100 MB text would double the memory
    a load needs); each string value is decoded, and so checked as UTF-8, on its own."""
    return re.compile(pattern.encode("ascii"))


def _alt(vocab: type[Vocabulary]) -> str:
    return "(?:" + "|".join(re.escape(m.value) for m in vocab) + ")"


def _vocab(field: Field) -> type[Vocabulary]:
    if field.vocab is None:
        raise TypeError(f"{field.name} has no vocabulary")
    return field.vocab


def _anchored_body(pattern: str) -> str:
    """The schema's ``^...$`` pattern as a part of a larger one."""
    if not (pattern.startswith("^") and pattern.endswith("$")) or '"' in pattern or "\\" in pattern:
        raise TypeError(f"a pattern this reader cannot embed: {pattern!r}")
    return "(?:" + pattern[1:-1] + ")"


def _int_pattern(field: Field) -> str:
    digits = len(str(field.le)) if field.le is not None else 19
    return "(0|[1-9][0-9]{0," + str(digits - 1) + "})"


def _value(field: Field) -> str:
    """The pattern of the field's value as ``tomli_w`` writes it: one group, the value's text."""
    kind = field.kind
    if kind in (Kind.TEXT, Kind.NAME):
        return _S
    if kind in (Kind.IDENT, Kind.FILE):
        return '"(' + _anchored_body(field.pattern or "") + ')"'
    if kind is Kind.DATE:
        return _DATE
    if kind is Kind.INT:
        return _int_pattern(field)
    if kind is Kind.VOCAB:
        return '"(' + _alt(_vocab(field)) + ')"'
    if kind is Kind.VOCABS:
        items = r'(?:    "' + _alt(_vocab(field)) + r'",\n)+'
        return r"(\[\]|\[\n" + items + r"\])" if field.keep_empty else r"(\[\n" + items + r"\])"
    if kind is Kind.RECORDS and not field.tables:
        return _INLINE_TABLES
    raise TypeError(f"{field.name}: a kind this reader does not know")


def _keys(record: Record, fixed: dict[str, str] | None = None, until: str | None = None) -> str:
    """The pattern of a table's keys, one a line in the record's order, the optional ones
    optional; ``fixed``: fields whose value is given (the text written, not a group);
    ``until``: the last field matched."""
    out = []
    for f in record.fields:
        if f.tables:
            continue
        if fixed is not None and f.name in fixed:
            line = f"{f.name} = " + re.escape(fixed[f.name]) + r"\n"
        else:
            line = f"{f.name} = " + _value(f) + r"\n"
        out.append(line if f.required else "(?:" + line + ")?")
        if f.name == until:
            break
    return "".join(out)


def _inline(record: Record) -> str:
    """The pattern of one item of an inline array of the record's tables (``{ label = ..., low = 1 },``)."""
    fields = record.fields
    if not fields or not fields[0].required:
        raise TypeError(f"{record.name}: an inline table must start with a required key")
    parts = [f"{fields[0].name} = {_value(fields[0])}"]
    for f in fields[1:]:
        if f.kind in (Kind.RECORDS, Kind.VOCABS):
            raise TypeError(f"{record.name}.{f.name}: not a value of an inline table this reader knows")
        parts.append(f"(?:, {f.name} = {_value(f)})?" if not f.required else f", {f.name} = {_value(f)}")
    return r"    \{ " + "".join(parts) + r" \},\n"


def _tables_field(record: Record) -> Field:
    """The one field of ``record`` written as an array of tables after its keys (its last)."""
    found = [f for f in record.fields if f.tables]
    if len(found) != 1 or found[0] is not record.fields[-1]:
        raise TypeError(f"{record.name}: this reader knows records with one list of tables, last")
    return found[0]


def _tuple(items: list[str]) -> str:
    """A tuple display of ``items`` (the source of their values)."""
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _build_source(record: Record, unique: str | None = None) -> str:
    """The source of ``build_<record>(groups[, <its list of tables>])``, written from the schema:
    the record's model from its keys' text (``groups``: one per key in the schema's order, None
    where the key is absent), each value decoded and checked as its field states, then the
    record's rules. One line (or one small block) per field, so that reading an entry runs no
    code that asks what a field is.

    The names it uses are given by :class:`_Reader`: ``dec_<record>_<field>`` (a decoder),
    ``default_<record>_<field>`` (what a missing key stands for), ``vocab_<record>_<field>``
    (a vocabulary's members by their text), ``make_<record>`` (the record class's ``_make``).
    ``unique``: a field whose values differ from record to record (the entries' ids), decoded
    as they come rather than shared."""
    records.names_ok(record)
    r = record.name
    keys = [f for f in record.fields if not f.tables]
    tables = [f.name for f in record.fields if f.tables]
    lines = [f"def build_{r}({', '.join(['groups', *(f'v_{t}' for t in tables)])}):"]
    lines.append(f"    {_tuple([f'g_{f.name}' for f in keys])[1:-1]} = groups")
    for f in keys:
        g, v = f"g_{f.name}", f"v_{f.name}"
        lo = f.min_length or 0
        hi = f.max_length if f.max_length is not None else schema.MAX_STRING
        check = ""
        kind = f.kind
        if kind is Kind.TEXT or f.name == unique:
            expr = f"text({g}, {lo}, {hi})"
        elif kind in (Kind.NAME, Kind.IDENT, Kind.FILE):
            # shared with every field of this kind: decoded and checked once (dec_...), its
            # length checked again where this field's limits are narrower than any string's
            expr = f"dec_{r}_{f.name}({g})"
            found = [f"{v} = names.get({g})", f"if {v} is None:", f"    {v} = {expr}"]
            if lo > 0 or hi < schema.MAX_STRING:
                found += [f"elif not {lo} <= len({v}) <= {hi}:", f"    raise Unexpected({_LIMITS!r})"]
            expr = ""
            check = "\n".join(found)
        elif kind in (Kind.VOCABS, Kind.RECORDS):
            expr = f"dec_{r}_{f.name}({g})"
        elif kind is Kind.DATE:
            expr = f"date({g})"
        elif kind is Kind.INT:
            expr = f"int({g})"
            ge = f.ge if f.ge is not None else 0
            bounds = f"{ge} <= {v}" if f.le is None else f"{ge} <= {v} <= {f.le}"
            check = f'if not {bounds}:\n    raise Unexpected("a number outside the model\'s limits")'
        elif kind is Kind.VOCAB:
            expr = f"vocab_{r}_{f.name}[{g}]"
        else:
            raise TypeError(f"{r}.{f.name}: a kind this reader does not know")
        body = [f"{v} = {expr}", *check.splitlines()] if expr else check.splitlines()
        if f.required:
            lines.extend("    " + line for line in body)
        elif expr and not check:
            lines.append(f"    {v} = default_{r}_{f.name} if {g} is None else {expr}")
        else:
            lines.append(f"    if {g} is None:\n        {v} = default_{r}_{f.name}\n    else:")
            lines.extend("        " + line for line in body)
    for rule in record.rules:
        if isinstance(rule, schema.AnyOf):
            test = " and ".join(f"v_{n} is None" for n in rule.names)
        else:
            low, high = (record.field(rule.low), record.field(rule.high))
            typed = [f"isinstance(v_{f.name}, int)" for f in (low, high) if not (f.required and f.kind is Kind.INT)]
            test = " and ".join([*typed, f"v_{high.name} < v_{low.name}"])
        lines.append(f'    if {test}:\n        raise Unexpected("a {r} the model would refuse")')
    values = ", ".join(f"v_{f.name}" for f in record.fields)
    lines.append(f"    return make_{r}({values})")
    return "\n".join(lines) + "\n"


class _Layout:
    """The patterns of the canonical form, built from the schema."""

    def __init__(self) -> None:
        entries = schema.LEDGER.fields[-1]  # the sources before it are in the head, read by the full parser
        if not entries.tables:
            raise TypeError("the ledger's last field is not its entries' tables")
        entry = schema.RECORDS[entries.record or ""]
        statements = _tables_field(entry)
        statement = schema.RECORDS[statements.record or ""]
        if any(f.tables for f in statement.fields):
            raise TypeError("statements with tables of their own")
        for record in (entry, statement):
            if not record.fields[0].required:
                raise TypeError(f"{record.name}: its first key must be required")
        self.entries, self.entry, self.statements, self.statement = entries, entry, statements, statement
        self.inline: dict[str, re.Pattern[bytes]] = {}
        for record in (entry, statement):
            for f in record.fields:
                if f.kind is Kind.RECORDS and not f.tables:
                    item = schema.RECORDS[f.record or ""]
                    self.inline[item.name] = _compile(_inline(item))
        head = rf"\n\[\[{entries.name}\]\]\n"
        self.entry_header = f"\n\n[[{entries.name}]]\n".encode("ascii")
        self.entry_re = _compile(head + _keys(entry))
        self.statement_re = _compile(rf"\n\[\[{entries.name}\.{statements.name}\]\]\n" + _keys(statement))
        basis = statement.field("basis")
        partisan = {"basis": '"' + _vocab(basis)("partisan").value + '"'}
        #: A statement of basis ``partisan`` (its source's id is group 1): see :func:`partisan_sources`.
        self.partisan_re = _compile(
            rf"\n\[\[{entries.name}\.{statements.name}\]\]\n" + _keys(statement, partisan, until="basis")
        )
        self.first = re.compile(rb"^\[\[" + re.escape(entries.name.encode("ascii")) + rb"\]\]$", re.M)
        #: The records read key by key, and the code that builds their models (:func:`_build_source`).
        self.built = (entry, statement, *(schema.RECORDS[n] for n in self.inline))
        # an entry's first key is its id (unique in a ledger this reader accepts): not shared
        unique = {entry.name: entry.fields[0].name}
        self.source = "".join(_build_source(r, unique.get(r.name)) + "\n\n" for r in self.built)
        self.code = records.define(self.source, "fastread: built from pledgetui.schema")


try:
    _LAYOUT: _Layout | None = _Layout()
except (TypeError, KeyError, ValueError):  # a schema this reader cannot follow: it declines every file
    _LAYOUT = None

#: The reader knows the schema's shape, and the models agree with the schema.
SUPPORTED = _LAYOUT is not None and records.SUPPORTED

_scan = json.decoder.scanstring  # type: ignore[attr-defined]  # the C scanner: reads a JSON string body up to its closing quote


def _text(raw: bytes, lo: int = 0, hi: int = schema.MAX_STRING) -> str:
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unexpected("not UTF-8") from None
    if b"\\" in raw:
        s = _scan(s + '"', 0, False)[0]
    if not lo <= len(s) <= hi:
        raise Unexpected(_LIMITS)
    return s


def _date(raw: bytes) -> dt.date:
    try:
        return dt.date(int(raw[:4]), int(raw[5:7]), int(raw[8:10]))
    except ValueError:
        raise Unexpected("not a calendar date") from None


Decode = Callable[[bytes], Any]


class _Reader:
    """The ``build_<record>`` functions of one read (:func:`_build_source`), with the decoders
    they call; the repeated short values (source ids, claimants, actors) of the read are shared:
    each is decoded and checked once."""

    def __init__(self, layout: _Layout) -> None:
        self.names: dict[bytes, str] = {}
        ns: dict[str, Any] = {
            "names": self.names,
            "text": _text,
            "date": _date,
            "Unexpected": Unexpected,
        }
        for record in layout.built:
            r = record.name
            ns[f"make_{r}"] = MODELS[r]._make
            for f in record.fields:
                ns[f"default_{r}_{f.name}"] = f.default
                if f.kind is Kind.VOCAB:
                    ns[f"vocab_{r}_{f.name}"] = {m.value.encode("ascii"): m for m in _vocab(f)}
                decoder = self._decoder(f, layout, ns)
                if decoder is not None:
                    ns[f"dec_{r}_{f.name}"] = decoder
        exec(layout.code, ns)
        self.entry: Callable[[tuple[bytes | None, ...], tuple[Any, ...]], Entry] = ns[f"build_{layout.entry.name}"]
        self.statement: Callable[[tuple[bytes | None, ...]], Any] = ns[f"build_{layout.statement.name}"]

    def _name(self, lo: int, hi: int) -> Decode:
        names = self.names

        def name(raw: bytes) -> str:
            """A string not read before (``names`` has none for ``raw``), kept for the next time."""
            found = names[raw] = _text(raw, lo, hi)
            return found

        return name

    def _decoder(self, f: Field, layout: _Layout, ns: dict[str, Any]) -> Decode | None:
        """The decoder of a field that needs more than a line (None: the line does it all)."""
        lo = f.min_length or 0
        hi = f.max_length if f.max_length is not None else schema.MAX_STRING
        kind = f.kind
        if kind in (Kind.NAME, Kind.IDENT, Kind.FILE):
            return self._name(lo, hi)
        if kind is Kind.VOCABS:
            members = {m.value.encode("ascii"): m for m in _vocab(f)}
            item = _compile(r'    "(' + _alt(_vocab(f)) + r')",\n')

            def vocabs(raw: bytes) -> tuple[Any, ...]:
                found = tuple(members[c] for c in item.findall(raw))
                if not lo <= len(found) <= hi:
                    raise Unexpected("a list outside the model's length limits")
                return found

            return vocabs
        if kind is not Kind.RECORDS or f.tables:
            return None
        name = f.record or ""
        pattern = layout.inline[name]

        def inline(raw: bytes) -> tuple[Any, ...]:
            build = ns[f"build_{name}"]
            out = []
            pos = 0
            while pos < len(raw):
                m = pattern.match(raw, pos)
                if m is None:
                    raise Unexpected("an inline table the reader does not know")
                pos = m.end()
                out.append(build(m.groups()))
            if not lo <= len(out) <= hi:
                raise Unexpected("a list outside the model's length limits")
            return tuple(out)

        return inline


_M = TypeVar("_M", bound=Model)


def _checked(cls: type[_M], data: Any) -> _M:
    """``data`` (a TOML table) as a ``cls``, checked against the schema's record field by field:
    its keys, each value's type (exactly: a string, a date without a time, an integer that is not
    a boolean), length, pattern, range and vocabulary, and the record's rules. Raises
    :class:`Unexpected` at anything else, also at what pydantic would accept after converting
    it: the full path then reads the file and reports what is wrong."""
    record = cls._record
    if type(data) is not dict or not data.keys() <= set(record.names):
        raise Unexpected("a table with keys the schema does not name")
    values: list[Any] = []
    for f in record.fields:
        if f.name not in data:
            if f.required:
                raise Unexpected(f"{record.name}.{f.name} is missing")
            values.append(f.default)
            continue
        values.append(_checked_value(f, data[f.name]))
    if schema.rule_problems(record, dict(zip(record.names, values))):
        raise Unexpected(f"a {record.name} the model would refuse")
    made: _M = cls._make(*values)
    return made


def _checked_value(f: Field, v: Any) -> Any:
    kind = f.kind
    if kind in (Kind.TEXT, Kind.NAME, Kind.IDENT, Kind.FILE):
        if type(v) is not str or (f.pattern is not None and re.fullmatch(f.pattern, v) is None):
            raise Unexpected(f"{f.name}: not a string the schema accepts")
        _length(f, v)
        return v
    if kind is Kind.DATE:
        if type(v) is not dt.date:
            raise Unexpected(f"{f.name}: not a date")
        return v
    if kind is Kind.INT:
        if type(v) is not int or (f.ge is not None and v < f.ge) or (f.le is not None and v > f.le):
            raise Unexpected(f"{f.name}: not a number the schema accepts")
        return v
    if kind is Kind.VOCAB:
        return _member(f, v)
    if type(v) is not list:
        raise Unexpected(f"{f.name}: not a list")
    _length(f, v)
    if kind is Kind.VOCABS:
        return tuple(_member(f, c) for c in v)
    if kind is Kind.RECORDS:
        item = MODELS[f.record or ""]
        return tuple(_checked(item, t) for t in v)
    raise Unexpected(f"{f.name}: a kind this reader does not know")


def _length(f: Field, v: str | list[Any]) -> None:
    if (f.min_length is not None and len(v) < f.min_length) or (f.max_length is not None and len(v) > f.max_length):
        raise Unexpected(_LIMITS)


def _member(f: Field, v: Any) -> Vocabulary:
    if type(v) is not str:
        raise Unexpected(f"{f.name}: not a word of its vocabulary")
    try:
        return _vocab(f)(v)
    except ValueError:
        raise Unexpected(f"{f.name}: not a word of its vocabulary") from None


def _layout() -> _Layout:
    if _LAYOUT is None or not SUPPORTED:
        raise Unexpected("the model changed; this reader does not know it")
    return _LAYOUT


def split_head(text: bytes) -> tuple[bytes, int]:
    """The head (everything before the first entry's ``[[entries]]`` line) and where the entries start."""
    m = _layout().first.search(text)
    if m is None:
        return text, len(text)
    return text[: m.start()], m.start() - 1


def read_head(text: bytes) -> tuple[Ledger, int]:
    """The ledger without entries, checked against the schema (:func:`_checked`), and the offset
    of the first entry."""
    head, pos = split_head(text)
    if pos < 0 or (pos < len(text) and text[pos] != 10):  # a newline
        raise Unexpected("the first entry does not follow a blank line")
    try:
        doc = tomli.loads(head.decode("utf-8"))
        if _layout().entries.name in doc or "schema_version" not in doc:
            raise Unexpected("the head is not the canonical one")
        ledger = _checked(Ledger, doc)
    except Unexpected:
        raise
    except Exception:
        raise Unexpected("the head does not read alone") from None
    if ledger.schema_version != schema.SCHEMA_VERSION or integrity_problems(ledger):
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
    layout = _layout()
    reader = _Reader(layout)
    build_entry, build_statement = reader.entry, reader.statement
    entry_match = layout.entry_re.match
    ev_match = layout.statement_re.match
    end = len(text) if until is None else until
    out: list[Entry] = []
    first = min(FIRST_BATCH, batch)
    while pos < end:
        m = entry_match(text, pos)
        if m is None:
            raise Unexpected(f"an entry the reader does not know at character {pos}")
        pos = m.end()
        evidence = []
        while True:
            e = ev_match(text, pos)
            if e is None:
                break
            pos = e.end()
            evidence.append(build_statement(e.groups()))
        if not evidence:
            raise Unexpected("an entry without statements in the canonical form")
        evs = tuple(evidence)
        p = build_entry(m.groups(), evs)
        if stances:
            if len(evs) == 1:
                dates: tuple[dt.date | None, ...] = (source_dates.get(evs[0].source),)
            else:
                dates = tuple(source_dates.get(sid) for sid in dict.fromkeys(ev.source for ev in evs))
            keep_stance(p, (evs, dates, derive_stance(evs, source_dates)))
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
    found = text.find(_layout().entry_header, near - 1)
    return len(text) if found < 0 else found + 1


def partisan_sources(text: bytes, pos: int) -> frozenset[str]:
    """The ids of the sources that a statement from ``pos`` on cites with basis ``partisan``
    (``review.partisan_sources`` of the whole ledger, for a check that reads it in parts). A
    text this reader would refuse is refused by :func:`read_part` too."""
    return frozenset(m.group(1).decode("ascii") for m in _layout().partisan_re.finditer(text, pos))


def read_part(text: bytes, head: Ledger, pos: int, stop: int | None = None) -> Ledger:
    """The ledger of ``head``'s sources and the entries from ``pos`` to ``stop`` (default: the
    end), each of which must be where an entry begins. Raises :class:`Unexpected`, also for
    duplicate ids or unknown sources among these entries (those across parts are the caller's)."""
    _layout()
    dates = head.source_dates()
    return _with_entries(head, [p for chunk, _ in iter_entries(text, pos, dates, until=stop) for p in chunk])


def _with_entries(head: Ledger, entries: list[Entry]) -> Ledger:
    """``head`` (the format version and sources) with ``entries``; raises :class:`Unexpected`
    for duplicate ids or unknown sources."""
    ledger: Ledger = Ledger._make(head.schema_version, head.sources, head.conflicts, tuple(entries))
    if integrity_problems(ledger):
        raise Unexpected("duplicate ids or unknown sources")
    return ledger


def read(text: bytes, on_batch: Callable[[list[Entry], float], None] | None = None, *, stances: bool = True) -> Ledger:
    """The whole ledger from the canonical file bytes (a byte-order mark already removed);
    raises :class:`Unexpected` (the caller then uses the full path). ``on_batch(entries, fraction)``
    is called with each batch of validated entries as it is read. ``stances=False``: the entries'
    readings are not derived (a ledger that is only compared or cached: a save's read-back)."""
    head, pos = read_head(text)
    dates = head.source_dates()
    entries: list[Entry] = []
    total = max(len(text), 1)
    for chunk, reached in iter_entries(text, pos, dates, stances=stances):
        entries.extend(chunk)
        if on_batch is not None:
            on_batch(chunk, reached / total)
    return _with_entries(head, entries)
