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

What it reproduces of ``tomli_w`` (version 1.x, ``multiline_strings=False``, indent 4):

- a string is a basic string: ``"`` and ``\\`` escaped, the control characters
  U+0000..U+001F (but tab, which stays raw) and U+007F escaped, as ``\\b \\n \\f \\r``
  where those exist and ``\\uXXXX`` (lowercase hex) otherwise; every other character
  as it is. ``json``'s encoder gives exactly these escapes, except for tab (``\\t``)
  and U+007F (kept raw): those two are handled here.
- absent values (None, empty strings, empty tuples) are left out, but a statement's
  empty ``conditions`` is written (``conditions = []``, see ``store._plain``);
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

from pledgetui import cache
from pledgetui.model import (
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    Entry,
    EntryKind,
    Evidence,
    Party,
    Quantity,
    Status,
)

#: The writer knows the models' fields exactly when the cache and the fast reader do.
SUPPORTED = cache.SUPPORTED

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


def _quoted(vocabularies: tuple[type[Any], ...]) -> dict[Any, str]:
    return {m: string(m.value) for vocab in vocabularies for m in vocab}


_KIND = _quoted((EntryKind,))
_ACTOR_TYPE = _quoted((ActorType,))
_COMMITMENT = _quoted((CommitmentType,))
_BACKSTOP = _quoted((Backstop,))
_PARTY = _quoted((Party,))
_BASIS = _quoted((Basis,))
_STATUS = _quoted((Status,))
_CONDITION = _quoted((Condition,))


def _int(value: object) -> str:
    if type(value) is not int:
        raise Unsupported("not an int")
    return str(value)


def _conditions(key: str, value: object, keep_empty: bool) -> str:
    """``key = [...]`` for a tuple of conditions ('' when left out)."""
    if type(value) is not tuple:
        raise Unsupported("conditions not a tuple")
    if not value:
        return f"{key} = []\n" if keep_empty else ""
    items = "".join([f"{INDENT}{_CONDITION[c]},\n" for c in value])
    return f"{key} = [\n{items}]\n"


def _quantity_pairs(q: object) -> list[tuple[str, str]]:
    if type(q) is not Quantity:
        raise Unsupported("not a Quantity")
    pairs = []
    label, low, high = q.label, q.low, q.high
    if label != "":
        pairs.append(("label", string(label)))
    if low is not None:
        pairs.append(("low", _int(low)))
    if high is not None:
        pairs.append(("high", _int(high)))
    return pairs


def _numbers(value: object, table: str) -> tuple[str, str]:
    """A tuple of quantities: (the ``numbers = [...]`` line, '') when every one fits inline,
    else ('', the array of tables named ``table``, each table after a blank line)."""
    if type(value) is not tuple:
        raise Unsupported("numbers not a tuple")
    if not value:
        return "", ""
    every = [_quantity_pairs(q) for q in value]
    inline = ["{ " + ", ".join([f"{k} = {v}" for k, v in pairs]) + " }" if pairs else "{}" for pairs in every]
    if all(len(INDENT) + len(item) + 1 <= MAX_INLINE for item in inline):
        return "numbers = [\n" + "".join([f"{INDENT}{item},\n" for item in inline]) + "]\n", ""
    tables = "".join([f"\n[[{table}]]\n" + "".join([f"{k} = {v}\n" for k, v in pairs]) for pairs in every])
    return "", tables


def _required(value: object) -> object:
    """A value ``tomli_w`` would leave out must not be: the shape of the text (statements as
    tables) relies on it."""
    if value is None or value == "" or value == ():
        raise Unsupported("a required value is empty")
    return value


def _date(value: object) -> str:
    if type(value) is not dt.date:
        raise Unsupported("not a date")
    return value.isoformat()


def _evidence(e: object, out: list[str]) -> None:
    if type(e) is not Evidence:
        raise Unsupported("not an Evidence")
    numbers, stated, conditions, prefix, suffix = e.numbers, e.stated, e.conditions, e.prefix, e.suffix
    relayed_by = e.relayed_by
    lines, tables = _numbers(numbers, "entries.evidence.numbers") if numbers != () else ("", "")
    out.append(
        "\n[[entries.evidence]]\n"
        f"source = {string(_required(e.source))}\n"
        f"claimant = {string(_required(e.claimant))}\n"
        f"party = {_PARTY[e.party]}\n"
        f"basis = {_BASIS[e.basis]}\n"
        + ("" if relayed_by == "" and type(relayed_by) is str else f"relayed_by = {string(relayed_by)}\n")
        + f"status = {_STATUS[e.status]}\n"
        + ("" if stated is None else f"stated = {_date(stated)}\n")
        + ("" if conditions is None else _conditions("conditions", conditions, keep_empty=True))
        + lines
        + f"quote = {string(_required(e.quote))}\n"
        + ("" if prefix == "" and type(prefix) is str else f"prefix = {string(prefix)}\n")
        + ("" if suffix == "" and type(suffix) is str else f"suffix = {string(suffix)}\n")
        + f"start = {_int(e.start)}\n"
        f"end = {_int(e.end)}\n" + tables
    )


def entry(p: object, out: list[str]) -> None:
    """Append the text of one entry (from the blank line before its ``[[entries]]``) to ``out``."""
    if type(p) is not Entry:
        raise Unsupported("not an Entry")
    numbers, conditions, detail, notes = p.numbers, p.conditions, p.condition_detail, p.notes
    lines, tables = _numbers(numbers, "entries.numbers") if numbers != () else ("", "")
    out.append(
        "\n[[entries]]\n"
        f"id = {string(_required(p.id))}\n"
        f"kind = {_KIND[p.kind]}\n"
        f"actor = {string(_required(p.actor))}\n"
        f"actor_type = {_ACTOR_TYPE[p.actor_type]}\n"
        f"commitment = {_COMMITMENT[p.commitment]}\n"
        + ("" if conditions == () else _conditions("conditions", conditions, keep_empty=False))
        + ("" if detail == "" and type(detail) is str else f"condition_detail = {string(detail)}\n")
        + f"us_backstop = {_BACKSTOP[p.us_backstop]}\n"
        + lines
        + f"summary = {string(_required(p.summary))}\n"
        + ("" if notes == "" and type(notes) is str else f"notes = {string(notes)}\n")
        + tables
    )
    evidence = p.evidence
    if type(evidence) is not tuple or not evidence:
        raise Unsupported("statements not a non-empty tuple")
    for e in evidence:
        _evidence(e, out)


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
