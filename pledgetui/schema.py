"""The ledger's one definition: every record, its fields in order, their kinds, vocabularies,
limits and the absent-when-empty rule. No pydantic here.

Every form of the ledger takes its fields from here: the pydantic models
(``pledgetui.model``: their annotated types take these limits, and
``pledgetui.records.agrees`` checks each model field by field against its record),
the canonical writer (``store.to_document``'s absent values) and its fast twin
(``fastwrite``), the fast reader (``fastread``: its patterns and checks are built
from these records), and the cache (``cache``: its tuples are these fields in this
order, and its signature carries :func:`digest`). Change a limit, a vocabulary or
the id pattern here (or the vocabulary in ``pledgetui.vocab``) and every one of them
follows; a form that cannot follow declines rather than disagree.

A record is what a TOML table of the ledger holds. A field is:

- ``kind``: text (any string up to :data:`MAX_STRING`), name (a short required
  string), ident (an id: :data:`ID_PATTERN`), file (:data:`FILE_PATTERN`), date,
  int (a plain integer, ``true`` is not 1, bounded), vocab (one member of a
  vocabulary), vocabs (a list of members), records (a list of records of another
  kind, inline when short or as an array of tables);
- ``required`` or its ``default`` (the value a missing key stands for);
- ``keep_empty``: an empty list is written (a statement's ``conditions = []``
  says "unconditional"; absent says "the entry's conditions");
- constraints: ``min_length`` / ``max_length`` (characters or items), ``pattern``,
  ``ge`` / ``le``;
- ``tables``: the records are always written as an array of tables after the
  record's own keys (the statements).

Absent values are missing keys (TOML has no null): a field whose value is None, an
empty string or an empty list is left out of the file, but for ``keep_empty``
(:func:`omitted`).

Rules that tie two fields of one record (``high`` not below ``low``) are listed with
the record (:class:`NotBelow`, :class:`AnyOf`) and checked by the model and the fast
reader alike (:func:`rule_problems`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from pledgetui.vocab import (
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    EntryKind,
    Party,
    Status,
    Vocabulary,
)

#: The format version this pledgetui writes.
SCHEMA_VERSION = 2
#: Versions this pledgetui reads (older ones are migrated on load, see ``pledgetui.migrate``).
READABLE_VERSIONS = (1, 2)

#: Longest string accepted in any ledger field (a quote, a note, a title).
MAX_STRING = 20_000
#: Longest name: a title, an actor, a claimant, a summary, a number's label.
MAX_NAME = 500
#: Longest relay ("via BBC"): a short name that may be absent.
MAX_RELAY = MAX_NAME
#: An id of a source or an entry.
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
#: An article's file name in the ledger's seeds folder.
FILE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"
#: Character offsets of a quote in its article.
MAX_OFFSET = 100_000_000
#: A number a source states (troops, aircraft, euros...).
MAX_AMOUNT = 1_000_000_000


class Kind(Enum):
    TEXT = "text"
    NAME = "name"
    IDENT = "ident"
    FILE = "file"
    DATE = "date"
    INT = "int"
    VOCAB = "vocab"
    VOCABS = "vocabs"
    RECORDS = "records"


#: What a missing key stands for.
Default = str | int | Vocabulary | tuple[()] | None


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    default: Default = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    ge: int | None = None
    le: int | None = None
    vocab: type[Vocabulary] | None = None
    #: For ``records``: the name of the record each item is.
    record: str | None = None
    keep_empty: bool = False
    tables: bool = False

    def describe(self) -> tuple[object, ...]:
        """Everything about the field, as plain values (for :func:`digest`)."""
        default = self.default.value if isinstance(self.default, Vocabulary) else self.default
        vocab = None if self.vocab is None else (self.vocab.__name__, tuple(m.value for m in self.vocab))
        return (
            self.name,
            self.kind.value,
            self.required,
            repr(default),
            self.min_length,
            self.max_length,
            self.pattern,
            self.ge,
            self.le,
            vocab,
            self.record,
            self.keep_empty,
            self.tables,
        )


@dataclass(frozen=True, slots=True)
class NotBelow:
    """``high`` is not below ``low`` where both are given; ``message`` is formatted with the values."""

    low: str
    high: str
    message: str


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one of ``names`` is given (not None)."""

    names: tuple[str, ...]
    message: str


Rule = NotBelow | AnyOf


@dataclass(frozen=True, slots=True)
class Record:
    name: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    #: The fields' names in order (one tuple for the record's life: callers may key on it).
    names: tuple[str, ...] = dataclasses.field(init=False, repr=False, compare=False)
    _by_name: dict[str, Field] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(f.name for f in self.fields))
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> Field:
        found = self._by_name.get(name)
        if found is None:
            raise KeyError(f"{self.name} has no field {name!r}")
        return found

    def describe(self) -> tuple[object, ...]:
        return (self.name, tuple(f.describe() for f in self.fields), tuple(repr(r) for r in self.rules))


def _text(name: str) -> Field:
    return Field(name, Kind.TEXT, default="", max_length=MAX_STRING)


def _name(name: str) -> Field:
    return Field(name, Kind.NAME, required=True, min_length=1, max_length=MAX_NAME)


def _ident(name: str) -> Field:
    return Field(name, Kind.IDENT, required=True, pattern=ID_PATTERN)


def _amount(name: str) -> Field:
    return Field(name, Kind.INT, ge=0, le=MAX_AMOUNT)


def _offset(name: str) -> Field:
    return Field(name, Kind.INT, required=True, ge=0, le=MAX_OFFSET)


def _numbers() -> Field:
    return Field("numbers", Kind.RECORDS, default=(), record="quantity")


SOURCE = Record(
    "source",
    (
        _ident("id"),
        Field("file", Kind.FILE, required=True, pattern=FILE_PATTERN),
        _name("title"),
        Field("date", Kind.DATE),
        _text("outlet"),
        _text("note"),
    ),
)

QUANTITY = Record(
    "quantity",
    (_name("label"), _amount("low"), _amount("high")),
    rules=(
        AnyOf(("low", "high"), "give at least one of low and high"),
        NotBelow("low", "high", "high ({high}) is below low ({low})"),
    ),
)

EVIDENCE = Record(
    "evidence",
    (
        _ident("source"),
        _name("claimant"),
        Field("party", Kind.VOCAB, required=True, vocab=Party),
        Field("basis", Kind.VOCAB, required=True, vocab=Basis),
        Field("relayed_by", Kind.NAME, default="", max_length=MAX_RELAY),
        Field("status", Kind.VOCAB, required=True, vocab=Status),
        Field("stated", Kind.DATE),
        # absent (None): the entry's conditions; empty: stated as unconditional
        Field("conditions", Kind.VOCABS, vocab=Condition, keep_empty=True),
        _numbers(),
        Field("quote", Kind.TEXT, required=True, min_length=1, max_length=MAX_STRING),
        _text("prefix"),
        _text("suffix"),
        _offset("start"),
        _offset("end"),
    ),
    rules=(NotBelow("start", "end", "end offset {end} is before start offset {start}"),),
)

ENTRY = Record(
    "entry",
    (
        _ident("id"),
        Field("kind", Kind.VOCAB, default=EntryKind.PLEDGE, vocab=EntryKind),
        _name("actor"),
        Field("actor_type", Kind.VOCAB, default=ActorType.COUNTRY, vocab=ActorType),
        Field("commitment", Kind.VOCAB, required=True, vocab=CommitmentType),
        Field("conditions", Kind.VOCABS, default=(), vocab=Condition),
        _text("condition_detail"),
        Field("us_backstop", Kind.VOCAB, default=Backstop.UNKNOWN, vocab=Backstop),
        _numbers(),
        _name("summary"),
        _text("notes"),
        Field("evidence", Kind.RECORDS, required=True, min_length=1, record="evidence", tables=True),
    ),
)

CONFLICT = Record(
    "conflict",
    (
        # where: an entry (and a statement of it, by its key) or a source
        Field("entry", Kind.IDENT, pattern=ID_PATTERN),
        Field("source", Kind.IDENT, pattern=ID_PATTERN),
        _text("statement"),
        # a field's name, or "(entry)", "(source)", "(statement)" for the whole record
        _name("field"),
        # each side's value as JSON text; absent (empty) where that side has no such record
        _text("base"),
        _text("ours"),
        _text("theirs"),
    ),
    rules=(AnyOf(("entry", "source"), "give the entry or the source the conflict is in"),),
)

LEDGER = Record(
    "ledger",
    (
        Field("schema_version", Kind.INT, default=SCHEMA_VERSION),
        Field("sources", Kind.RECORDS, default=(), record="source", tables=True),
        # conflicts a merge recorded (``pledgetui.merge``); before the entries, which come last
        Field("conflicts", Kind.RECORDS, default=(), record="conflict", tables=True),
        Field("entries", Kind.RECORDS, default=(), record="entry", tables=True),
    ),
)

#: Every record by name.
RECORDS: dict[str, Record] = {r.name: r for r in (SOURCE, QUANTITY, EVIDENCE, ENTRY, CONFLICT, LEDGER)}


def record_of(field: Field) -> Record | None:
    """The record of a ``records`` field's items (None for any other field)."""
    return None if field.record is None else RECORDS[field.record]


def omitted(field: Field, value: object) -> bool:
    """Whether ``value`` is left out of the file (absent): None, an empty string, an empty tuple
    (but where the field keeps an empty list)."""
    return value is None or value == "" or (value == () and not field.keep_empty)


def rule_problems(record: Record, values: Mapping[str, object]) -> list[str]:
    """What the record's rules find wrong with ``values`` (its fields by name)."""
    problems: list[str] = []
    for rule in record.rules:
        if isinstance(rule, AnyOf):
            if all(values.get(n) is None for n in rule.names):
                problems.append(rule.message)
        else:
            low, high = values.get(rule.low), values.get(rule.high)
            if isinstance(low, int) and isinstance(high, int) and high < low:
                problems.append(rule.message.format_map({rule.low: low, rule.high: high}))
    return problems


def describe() -> tuple[object, ...]:
    """The whole definition as plain values: the version, the limits and every record."""
    return (
        SCHEMA_VERSION,
        READABLE_VERSIONS,
        tuple(RECORDS[name].describe() for name in sorted(RECORDS)),
    )


def digest() -> str:
    """SHA-256 of the whole definition: what a cache's or an index's signature carries, so that
    a file written under another schema is never read."""
    return hashlib.sha256(repr(describe()).encode("utf-8")).hexdigest()
