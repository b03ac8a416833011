"""Validation of the ledger's records: pydantic twins of the record classes, used at the edges.

The record classes (``pledgetui.model``) are plain objects. Whatever comes from outside the
program's own trusted forms (the full parser's document, the edit form, the journal, an
imported article's source) is validated here, by a pydantic model per record declared with the
schema's limits (``pledgetui.schema``; ``pledgetui.records.agrees`` checks each twin against its
record field by field), and the validated values are handed back as record objects. Errors are
pydantic's ``ValidationError`` (``pledgetui.errors`` puts them in words, with line and column).

This module is imported only when something is validated: loading a canonical ledger (the fast
reader, the cache) and showing it never import pydantic.

A record object inside the data (an entry's statements given as objects) is taken as it is, as
pydantic takes an instance of a model: it was validated when it was made. This module does not
import the record classes (``pledgetui.model`` imports it when it validates): it is handed them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from pledgetui import schema
from pledgetui.schema import (
    FILE_PATTERN,
    ID_PATTERN,
    MAX_AMOUNT,
    MAX_NAME,
    MAX_OFFSET,
    MAX_RELAY,
    MAX_STRING,
    SCHEMA_VERSION,
)
from pledgetui.vocab import (
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    EntryKind,
    Party,
    Status,
)

__all__ = ["TWINS", "ValidationError", "validate", "validate_entries"]

Text = Annotated[str, StringConstraints(max_length=MAX_STRING)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, strip_whitespace=False)]
Ident = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
#: A short name that may be absent (empty): who relays a statement.
Relay = Annotated[str, StringConstraints(max_length=MAX_RELAY)]
#: Character offsets and amounts: plain integers (``true`` is not 1), bounded.
Offset = Annotated[StrictInt, Field(ge=0, le=MAX_OFFSET)]
Amount = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)]


def _day(value: Any) -> Any:
    """A calendar date: a TOML date, or an ISO ``YYYY-MM-DD`` string (the journal's JSON).
    Never a number, a boolean, or a date with a time of day."""
    if isinstance(value, dt.datetime):
        raise ValueError("give a date without a time of day (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")


Day = Annotated[dt.date, BeforeValidator(_day)]


class _Twin(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False)


_T = TypeVar("_T", bound=_Twin)


def _rules(twin: _T, record: schema.Record) -> _T:
    """The schema's rules between the record's fields (``high`` not below ``low``...)."""
    problems = schema.rule_problems(record, twin.__dict__)
    if problems:
        raise ValueError(problems[0])
    return twin


# The twins carry the record classes' names: pydantic's messages name them ("1 validation
# error for Entry").


class Source(_Twin):
    id: Ident
    file: Annotated[str, StringConstraints(pattern=FILE_PATTERN)]
    title: Name
    date: Day | None = None
    outlet: Text = ""
    note: Text = ""


class Quantity(_Twin):
    label: Name
    low: Amount | None = None
    high: Amount | None = None

    @model_validator(mode="after")
    def _range(self) -> Quantity:
        return _rules(self, schema.QUANTITY)


class Evidence(_Twin):
    source: Ident
    claimant: Name
    party: Party
    basis: Basis
    relayed_by: Relay = ""
    status: Status
    stated: Day | None = None
    conditions: tuple[Condition, ...] | None = None
    numbers: tuple[Quantity, ...] = ()
    quote: Annotated[str, StringConstraints(min_length=1, max_length=MAX_STRING)]
    prefix: Text = ""
    suffix: Text = ""
    start: Offset
    end: Offset

    @model_validator(mode="after")
    def _span(self) -> Evidence:
        return _rules(self, schema.EVIDENCE)


class Entry(_Twin):
    id: Ident
    kind: EntryKind = EntryKind.PLEDGE
    actor: Name
    actor_type: ActorType = ActorType.COUNTRY
    commitment: CommitmentType
    conditions: tuple[Condition, ...] = ()
    condition_detail: Text = ""
    us_backstop: Backstop = Backstop.UNKNOWN
    numbers: tuple[Quantity, ...] = ()
    summary: Name
    notes: Text = ""
    evidence: tuple[Evidence, ...] = Field(min_length=1)


class Conflict(_Twin):
    entry: Ident | None = None
    source: Ident | None = None
    statement: Text = ""
    field: Name
    base: Text = ""
    ours: Text = ""
    theirs: Text = ""

    @model_validator(mode="after")
    def _where(self) -> Conflict:
        return _rules(self, schema.CONFLICT)


class Ledger(_Twin):
    schema_version: StrictInt = SCHEMA_VERSION
    sources: tuple[Source, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    entries: tuple[Entry, ...] = ()


#: The twin of each record of the schema, by the record's name.
TWINS: dict[str, type[BaseModel]] = {
    schema.SOURCE.name: Source,
    schema.QUANTITY.name: Quantity,
    schema.EVIDENCE.name: Evidence,
    schema.ENTRY.name: Entry,
    schema.CONFLICT.name: Conflict,
    schema.LEDGER.name: Ledger,
}
_RECORDS: dict[type[BaseModel], str] = {twin: name for name, twin in TWINS.items()}

#: A record class of ``pledgetui.model`` (not imported here: it imports this module) and one of
#: its objects. Each class has ``_record`` (its record in the schema), ``_names``, ``_make`` (its
#: object from the fields' values in order) and ``_classes`` (every record class by record name).
RecordClass = Any
Record = Any
#: The record objects found in the data of one validation, by the id of the shell standing for each.
Originals = dict[int, Record]


def _shell(obj: Record, originals: Originals) -> BaseModel:
    """A twin holding ``obj``'s values as they are (pydantic takes an instance without
    validating it again); :func:`_plain` gives ``obj`` itself back for it."""
    twin = TWINS[obj._record.name]
    values = {n: getattr(obj, n) for n in obj._names if hasattr(obj, n)}
    shell = twin.model_construct(_fields_set=obj.model_fields_set, **values)
    originals[id(shell)] = obj
    return shell


def _prepared(cls: RecordClass, data: Any, originals: Originals) -> Any:
    """``data`` for ``cls``'s twin: record objects in it (where the schema has records) as shells."""
    known = cls._classes
    if type(data) in known.values():
        return _shell(data, originals) if type(data) is cls else data
    if not isinstance(data, dict):
        return data
    out = data
    for f in cls._record.fields:
        if f.record is None:
            continue
        items = data.get(f.name)
        if isinstance(items, list | tuple):
            item = known[f.record]
            done = [_prepared(item, v, originals) for v in items]
            if any(a is not b for a, b in zip(done, items)):
                if out is data:
                    out = dict(data)
                out[f.name] = done
    return out


def _plain(twin: BaseModel, classes: dict[str, RecordClass], originals: Originals) -> Record:
    """The record object of a validated twin (``classes``: the record classes by record name)."""
    found = originals.get(id(twin))
    if found is not None:
        return found
    cls = classes[_RECORDS[type(twin)]]
    values = twin.__dict__
    args = []
    for f in cls._record.fields:
        value = values[f.name]
        if f.record is not None:
            value = tuple(v if type(v) in classes.values() else _plain(v, classes, originals) for v in value)
        args.append(value)
    return cls._make(*args)


def validate(cls: RecordClass, data: Any) -> Record:
    """``data`` validated as a ``cls`` (a record class: a mapping of its fields); raises
    ``ValidationError``. A ledger gets its entries' readings attached."""
    originals: Originals = {}
    twin = TWINS[cls._record.name].model_validate(_prepared(cls, data, originals))
    out = _plain(twin, cls._classes, originals)
    attach = getattr(out, "attach_stances", None)
    if attach is not None:
        attach()
    return out


_ENTRIES: Callable[[Any], tuple[Entry, ...]] = TypeAdapter(tuple[Entry, ...]).validate_python


def validate_entries(cls: RecordClass, items: list[Any]) -> list[Record]:
    """A list of entries (``cls``: the entry record class) validated as ``tuple[Entry, ...]``;
    raises ``ValidationError``."""
    originals: Originals = {}
    done = _ENTRIES([_prepared(cls, v, originals) for v in items])
    return [_plain(t, cls._classes, originals) for t in done]
