"""The schema's records as pydantic models: which model holds each record, whether the models
agree with the schema (``pledgetui.schema``) field by field, and building a model from values
validated before.

The models in ``pledgetui.model`` are declared by hand (so that type checkers know their
fields); their limits come from the schema. :func:`agrees` compares each model with its
record: field names and order, required or default, constraints, vocabularies and item
models. The fast reader, the fast writer and the cache work only while :data:`SUPPORTED`
(every model agrees); otherwise they decline and the full parser and ``tomli_w`` do the work.
Those three write their per-record code from the schema at import; :func:`define` compiles it.
"""

from __future__ import annotations

import keyword
import linecache
from types import CodeType
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from pledgetui import schema
from pledgetui.model import Conflict, Entry, Evidence, Ledger, Quantity, Source

#: The model of each record of the schema.
MODELS: dict[str, type[BaseModel]] = {
    schema.SOURCE.name: Source,
    schema.QUANTITY.name: Quantity,
    schema.EVIDENCE.name: Evidence,
    schema.ENTRY.name: Entry,
    schema.CONFLICT.name: Conflict,
    schema.LEDGER.name: Ledger,
}

_CONSTRAINTS = ("min_length", "max_length", "pattern", "ge", "le")


def constraints(info: FieldInfo) -> dict[str, object]:
    """A model field's constraints (``annotated_types`` metadata, nested ones of an optional
    type included), by name: ``min_length``, ``max_length``, ``pattern``, ``ge``, ``le``."""
    found: dict[str, object] = {}

    def take(items: Any) -> None:
        for item in items:
            if isinstance(item, FieldInfo):
                take(item.metadata)
                continue
            for key in _CONSTRAINTS:
                value = getattr(item, key, None)
                if value is not None:
                    found[key] = value

    take(info.metadata)
    stack: list[Any] = [info.annotation]
    while stack:
        annotation = stack.pop()
        if get_origin(annotation) is Annotated:
            take(annotation.__metadata__)
        stack.extend(get_args(annotation))
    return found


def _types(annotation: Any) -> set[Any]:
    """Every type named in ``annotation`` (``tuple[Condition, ...] | None``: tuple, Condition, None...)."""
    seen: set[Any] = set()
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type):
            seen.add(a)
        stack.extend(get_args(a))
    return seen


def field_problems(model: type[BaseModel], record: schema.Record) -> list[str]:
    """Where ``model`` differs from ``record`` (none: it agrees)."""
    problems: list[str] = []
    fields = model.model_fields
    if tuple(fields) != record.names:
        return [f"{model.__name__} has fields {tuple(fields)}, the schema {record.names}"]
    for f in record.fields:
        info = fields[f.name]
        where = f"{model.__name__}.{f.name}"
        if info.is_required() != f.required:
            problems.append(f"{where}: required {info.is_required()}, the schema {f.required}")
        if not f.required and (info.default is PydanticUndefined or info.default != f.default):
            problems.append(f"{where}: default {info.default!r}, the schema {f.default!r}")
        want = {k: getattr(f, k) for k in _CONSTRAINTS if getattr(f, k) is not None}
        have = constraints(info)
        if have != want:
            problems.append(f"{where}: constraints {have}, the schema {want}")
        types = _types(info.annotation)
        if f.vocab is not None and f.vocab not in types:
            problems.append(f"{where}: not of the vocabulary {f.vocab.__name__}")
        if f.record is not None and MODELS[f.record] not in types:
            problems.append(f"{where}: not a list of {MODELS[f.record].__name__}")
    return problems


def agrees() -> list[str]:
    """Every difference between the models and the schema (none: they agree)."""
    return [p for name, model in MODELS.items() for p in field_problems(model, schema.RECORDS[name])]


#: The fast reader, the fast writer and the cache are used only while the models are the schema's.
SUPPORTED = not agrees()

_M = TypeVar("_M", bound=BaseModel)
_new = object.__new__
_set = object.__setattr__


def build_model(cls: type[_M], values: dict[str, Any], fields_set: set[str]) -> _M:
    """A model instance from values validated before, without validating again (as
    ``BaseModel.model_construct`` does, minus its defaults pass)."""
    m: _M = _new(cls)
    _set(m, "__dict__", values)
    _set(m, "__pydantic_fields_set__", fields_set)
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


def define(source: str, name: str) -> CodeType:
    """``source`` (functions written from the schema at import) compiled; its lines show in
    tracebacks and profiles under ``<name>`` (they are kept in ``linecache``)."""
    filename = f"<{name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    return compile(source, filename, "exec")


def names_ok(record: schema.Record) -> None:
    """Raise ``TypeError`` unless every field name of ``record`` is a plain identifier (code
    written from the schema names its locals after them)."""
    for name in record.names:
        if not name.isidentifier() or keyword.iskeyword(name):
            raise TypeError(f"{record.name}.{name}: not a name code can use")
