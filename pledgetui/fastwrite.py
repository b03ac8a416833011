"""A fast writer for the canonical form: the bytes ``tomli_w`` writes for ``store.to_document``.

Saving a 100k-entry ledger through ``model_dump`` and ``tomli_w`` takes seconds:
``model_dump`` builds a dict per model, and ``tomli_w`` looks at every value's
type and escapes every string one character at a time in Python. This module
writes the same text straight from the models, entry by entry, and escapes each
string with the C string encoder of the ``json`` module.

It is a shortcut, never a second format: the text it writes is, character for
character, the text ``tomli_w.dumps(store.to_document(ledger), multiline_strings=False)``
gives (property tests in tests/test_fastwrite.py compare them byte for byte). At
the first thing it does not expect (a model changed, a value of another type than
validation gives, an empty statement list...) it raises :class:`Unsupported` and
the caller writes with ``tomli_w``. The part before the first entry (the format
version and the sources) is small: it is written by ``tomli_w`` itself.

Each record's keys are written in the schema's order (``pledgetui.schema``), the absent
ones (``schema.omitted``) left out, each value by its field's kind. The code that writes an
entry and its statements is written from the schema once, at import (:func:`_write_source`,
:data:`SOURCE`: a step per field), so that writing an entry asks nothing of the schema.

What it reproduces of ``tomli_w`` (version 1.x, ``multiline_strings=False``, indent 4):

- a string is a basic string: ``"`` and ``\\`` escaped, the control characters
  U+0000..U+001F (but tab, which stays raw) and U+007F escaped, as ``\\b \\n \\f \\r``
  where those exist and ``\\uXXXX`` (lowercase hex) otherwise; every other character
  as it is. ``json``'s encoder gives exactly these escapes, except for tab (``\\t``)
  and U+007F (kept raw): those two are handled here.
- absent values (None, empty strings, empty tuples) are left out, but a statement's
  empty ``conditions`` is written (``conditions = []``: the schema's ``keep_empty``);
- arrays one item a line, indented four spaces, with a trailing comma;
- a list of quantities is an inline array of inline tables when every one of them,
  indented and with its comma, fits in 100 characters; otherwise an array of tables
  (``[[entries.numbers]]`` after the entry's keys, ``[[entries.evidence.numbers]]``
  after the statement's keys). Statements are always an array of tables: written
  inline, even the shortest one is longer than 100 characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from pledgetui import records, schema
from pledgetui.records import MODELS
from pledgetui.schema import Field, Kind, Record

#: The writer knows the models' fields exactly when they are the schema's.
SUPPORTED = records.SUPPORTED

#: ``tomli_w``'s limit for writing a table inline (its ``MAX_LINE_LENGTH``).
MAX_INLINE = 100
INDENT = "    "

_json: Callable[[str], str] = encode_basestring


class Unsupported(Exception):
    """Something the fast writer does not know; the caller writes with ``tomli_w``."""


def string(s: object) -> str:
    """``s`` as ``tomli_w`` writes a string value (a basic string, quotes included)."""
    if type(s) is not str:
        raise Unsupported("not a str")
    out = _json(s)
    if "\t" in s:  # json writes \t; tomli-w keeps the tab raw
        out = '"' + "\t".join([_json(part)[1:-1] for part in s.split("\t")]) + '"'
    if "\x7f" in s:  # json keeps DEL raw (only json's escapes are backslashed: this is the original DEL)
        out = out.replace("\x7f", "\\u007f")
    return out


def _quoted(field: Field) -> dict[Any, str]:
    return {} if field.vocab is None else {m: string(m.value) for m in field.vocab}


def _int(value: object) -> str:
    if type(value) is not int:
        raise Unsupported("not an int")
    return str(value)


def _vocabs(key: str, value: object, quoted: dict[Any, str], keep_empty: bool) -> str:
    """``key = [...]`` for a tuple of vocabulary members ('' when left out)."""
    if type(value) is not tuple:
        raise Unsupported("a list of vocabulary values not a tuple")
    if not value:
        return f"{key} = []\n" if keep_empty else ""
    items = "".join([f"{INDENT}{quoted[c]},\n" for c in value])
    return f"{key} = [\n{items}]\n"


def _scalar(field: Field) -> Callable[[object], str]:
    """How the field's value is written after ``key = `` (strings, ids, dates, integers, one
    vocabulary value)."""
    kind = field.kind
    if kind in (Kind.TEXT, Kind.NAME, Kind.IDENT, Kind.FILE):
        return string
    if kind is Kind.DATE:
        return _date
    if kind is Kind.INT:
        return _int
    if kind is Kind.VOCAB:
        return _quoted(field).__getitem__
    raise TypeError(f"{field.name}: not a single value")


def _pairs(record: Record, q: object) -> list[tuple[str, str]]:
    """An inline table's keys and values (the absent left out)."""
    if type(q) is not MODELS[record.name]:
        raise Unsupported(f"not a {record.name}")
    pairs = []
    for f, write in _INLINE[record.name]:
        value = getattr(q, f.name)
        if not schema.omitted(f, value):
            pairs.append((f.name, write(value)))
    return pairs


def _records(record: Record, value: object, table: str) -> tuple[str, str]:
    """A tuple of records written inline or as tables: (the ``key = [...]`` line, '') when every
    one fits inline, else ('', the array of tables named ``table``, each table after a blank line)."""
    if type(value) is not tuple:
        raise Unsupported("a list of records not a tuple")
    if not value:
        return "", ""
    every = [_pairs(record, q) for q in value]
    inline = ["{ " + ", ".join([f"{k} = {v}" for k, v in pairs]) + " }" if pairs else "{}" for pairs in every]
    key = table.rsplit(".", 1)[-1]
    if all(len(INDENT) + len(item) + 1 <= MAX_INLINE for item in inline):
        return f"{key} = [\n" + "".join([f"{INDENT}{item},\n" for item in inline]) + "]\n", ""
    tables = "".join([f"\n[[{table}]]\n" + "".join([f"{k} = {v}\n" for k, v in pairs]) for pairs in every])
    return "", tables


def _date(value: object) -> str:
    if type(value) is not dt.date:
        raise Unsupported("not a date")
    return value.isoformat()


def _omitted(field: Field, v: str) -> str:
    """The source of :func:`schema.omitted` for ``v``, the field's value, as far as a value of
    the field's type can be omitted: a string kind's ``""``, a list's ``()`` (but where the field
    keeps an empty list), None. A value of another type that ``schema.omitted`` would leave out
    (``()`` for a string) is not left out here, and its writer refuses it (:class:`Unsupported`)."""
    test = f"{v} is None"
    if field.kind in (Kind.TEXT, Kind.NAME, Kind.IDENT, Kind.FILE):
        test = f'{v} == "" or {test}'
    elif field.kind in (Kind.VOCABS, Kind.RECORDS) and not field.keep_empty:
        test = f"{v} == () or {test}"
    return test


def _write_source(record: Record, table: str) -> list[str]:
    """The source of ``write_<table>(m, out)`` (see :func:`_table`) for the record written as the
    table ``[[table]]``, and of the same for its lists of tables, written from the schema: a
    step per field, in the schema's order. The names it uses are given by :data:`_NAMESPACE`:
    ``model_<record>``, ``quoted_<record>_<field>`` (a vocabulary's members as written)."""
    records.names_ok(record)
    r = record.name
    func = "write_" + table.replace(".", "_")
    lines = [f"def {func}(m, out):", f"    if type(m) is not model_{r}:", f'        raise Unsupported("not a {r}")']
    pieces: list[str] = []
    after = []
    more: list[str] = []
    for f in record.fields:
        v = f"v_{f.name}"
        if f.tables:
            after.append(f)
            continue
        lines.append(f"    {v} = m.{f.name}")
        kind = f.kind
        if kind is Kind.VOCABS:
            write = f"vocabs({f.name!r}, {v}, quoted_{r}_{f.name}, {f.keep_empty})"
        elif kind is Kind.RECORDS:
            write = f"p_{f.name}"
            more.append(f"t_{f.name}")
        else:
            value = {
                Kind.DATE: f"date({v})",
                Kind.INT: f"integer({v})",
                Kind.VOCAB: f"quoted_{r}_{f.name}[{v}]",
            }.get(kind, f"string({v})")
            write = f'f"{f.name} = {{{value}}}\\n"'
        test = _omitted(f, v)
        only_none = test == f"{v} is None"
        if f.required or (only_none and f.default is not None):
            # a required value left out would change the shape of the text (statements as
            # tables rely on it); None where the model holds no None is of another type
            lines.append(f"    if {test}:")
            lines.append(f'        raise Unsupported("{r}.{f.name}: empty, or None where the model holds no None")')
            indent = "    "
        else:
            lines.append(f"    if {test}:")
            if not only_none:
                mismatch = f"{v} is not None" if f.default is None else f"{v} is None"
                lines.append(f"        if {mismatch}:")
                lines.append(
                    f'            raise Unsupported("{r}.{f.name}: None where the model holds no None, or the reverse")'
                )
            if kind is Kind.RECORDS:
                lines.append(f'        p_{f.name} = t_{f.name} = ""')
            else:
                lines.append(f'        p_{f.name} = ""')
            lines.append("    else:")
            indent = "        "
        if kind is Kind.RECORDS:
            lines.append(f'{indent}p_{f.name}, t_{f.name} = records(RECORDS[{f.record!r}], {v}, "{table}.{f.name}")')
        else:
            lines.append(f"{indent}p_{f.name} = {write}")
        pieces.append(f"p_{f.name}")
    text = "".join("{" + p + "}" for p in pieces + more)
    lines.append(f'    out.append(f"\\n[[{table}]]\\n{text}")')
    nested: list[str] = []
    for f in after:
        item = schema.RECORDS[f.record or ""]
        path = f"{table}.{f.name}"
        lines.append(f"    v_{f.name} = m.{f.name}")
        lines.append(f"    if type(v_{f.name}) is not tuple or len(v_{f.name}) < {f.min_length or 0}:")
        lines.append(f'        raise Unsupported("{r}.{f.name}: not a tuple, or too few")')
        lines.append(f"    for item in v_{f.name}:")
        lines.append(f"        write_{path.replace('.', '_')}(item, out)")
        nested += _write_source(item, path)
    return ["\n".join(lines) + "\n", *nested]


_INLINE: dict[str, list[tuple[Field, Callable[[object], str]]]] = {
    name: [(f, _scalar(f)) for f in record.fields]
    for name, record in schema.RECORDS.items()
    if all(f.kind not in (Kind.VOCABS, Kind.RECORDS) for f in record.fields)
}
_ENTRIES = schema.LEDGER.fields[-1]
_ENTRY = schema.RECORDS[_ENTRIES.record or ""]

#: The functions that write each table of an entry (:func:`_write_source`).
SOURCE = "\n\n".join(_write_source(_ENTRY, _ENTRIES.name))
_NAMESPACE: dict[str, Any] = {
    "Unsupported": Unsupported,
    "RECORDS": schema.RECORDS,
    "string": string,
    "date": _date,
    "integer": _int,
    "vocabs": _vocabs,
    "records": _records,
}
for _record in schema.RECORDS.values():
    _NAMESPACE[f"model_{_record.name}"] = MODELS[_record.name]
    for _f in _record.fields:
        if _f.vocab is not None:
            _NAMESPACE[f"quoted_{_record.name}_{_f.name}"] = _quoted(_f)
exec(records.define(SOURCE, "fastwrite: built from pledgetui.schema"), _NAMESPACE)
entry: Callable[[object, list[str]], None] = _NAMESPACE[f"write_{_ENTRIES.name}"]
entry.__doc__ = "Append the text of one entry (from the blank line before its ``[[entries]]``) to ``out``."


def entries(ledger_entries: object) -> str:
    """The text of every entry, each from the blank line before its ``[[entries]]``: what
    ``tomli_w`` writes after the format version and the sources. Raises :class:`Unsupported`."""
    if not SUPPORTED:
        raise Unsupported("the model changed; this writer does not know it")
    if type(ledger_entries) is not tuple:
        raise Unsupported("entries not a tuple")
    out: list[str] = []
    try:
        for p in ledger_entries:
            entry(p, out)
    except (KeyError, TypeError):  # not a vocabulary value (None, another word, unhashable)
        raise Unsupported("a value outside the field's vocabulary") from None
    return "".join(out)
