"""The schema's records as classes: which class holds each record, whether the classes and
their pydantic twins agree with the schema (``pledgetui.schema``) field by field.

The record classes in ``pledgetui.model`` are plain objects with a slot per field, in the
schema's order (checked when each class is made, and here); their validating twins in
``pledgetui.validation`` are pydantic models declared by hand (so that type checkers know
their fields), with the schema's limits. :func:`agrees` compares each twin with its record:
field names and order, required or default, constraints, vocabularies and item models; it
imports pydantic, so it runs in the tests, not on every start. The fast reader, the fast
writer and the cache work only while :data:`SUPPORTED` (the classes hold the schema's fields
in its order); otherwise they decline and the full parser and ``tomli_w`` do the work. Those
three write their per-record code from the schema at import; :func:`define` compiles it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from pledgetui import schema
from pledgetui.codegen import define, names_ok
from pledgetui.model import Conflict, Entry, Evidence, Ledger, Model, Quantity, Source

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

__all__ = ["MODELS", "SUPPORTED", "agrees", "constraints", "define", "field_problems", "names_ok", "order_problems"]

#: The class of each record of the schema.
MODELS: dict[str, type[Model]] = {
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
    from pydantic.fields import FieldInfo

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
    from pydantic_core import PydanticUndefined

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
        if f.record is not None:
            from pledgetui.validation import TWINS

            if TWINS[f.record] not in types:
                problems.append(f"{where}: not a list of {MODELS[f.record].__name__}")
    return problems


def order_problems(cls: type[Model], record: schema.Record) -> list[str]:
    """Where the record class ``cls`` differs from ``record``: its fields (and their slots and
    annotations) are the record's names in order."""
    declared: tuple[str, ...] = cls.__dict__["__slots__"]
    slots = tuple(s for s in declared if not s.startswith("_"))
    annotated = tuple(n for n in cls.__annotations__ if not n.startswith("_") and n != "model_fields")
    problems = []
    for what, names in (("fields", tuple(cls.model_fields)), ("slots", slots), ("annotations", annotated)):
        if names != record.names:
            problems.append(f"{cls.__name__} has {what} {names}, the schema {record.names}")
    return problems


def agrees() -> list[str]:
    """Every difference between the record classes, their pydantic twins and the schema (none:
    they agree). Imports pydantic."""
    from pledgetui.validation import TWINS

    found = [p for name, cls in MODELS.items() for p in order_problems(cls, schema.RECORDS[name])]
    return found + [p for name in MODELS for p in field_problems(TWINS[name], schema.RECORDS[name])]


#: The fast reader, the fast writer and the cache are used only while the classes are the schema's.
SUPPORTED = not any(order_problems(cls, schema.RECORDS[name]) for name, cls in MODELS.items())
