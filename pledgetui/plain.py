"""The base of the ledger's record classes (``pledgetui.model``): plain objects, no pydantic.

A record class names its record of the schema (``class Source(Model, record=schema.SOURCE)``)
and declares ``__slots__``: the record's fields in the schema's order (``schema.SOURCE.names``; checked here), then any
derived caches of its own (an entry's reading). From the schema it gets, as code written and
compiled once (``pledgetui.codegen``), ``_make`` (its object from the fields' values in order,
without checks: what the cache and the fast reader call), ``__eq__`` and ``__hash__`` (by type
and field values, the caches left out), and the part of pydantic's API the program uses,
behaving as pydantic's does: ``model_validate`` (through ``pledgetui.validation``),
``model_construct``, ``model_copy``, ``model_dump``, ``model_fields``, ``model_fields_set``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Collection, Mapping
from enum import Enum
from typing import Any, ClassVar, Literal, Self, TypeVar

from pledgetui import schema
from pledgetui.codegen import define, names_ok

__all__ = ["Immutable", "Model"]

_new = object.__new__
_MISSING: Any = object()


class Immutable(AttributeError):
    """Raised on an assignment to a record's field: records are values (use ``model_copy``)."""


def _rebuild(cls: type[_M], values: tuple[Any, ...], extra: tuple[Any, ...] = ()) -> _M:
    """A record from its fields' values in order and its derived caches (for ``pickle`` and ``copy``)."""
    made: _M = cls._make(*values)
    for (_, put), value in zip(cls._setters[len(values) :], extra):
        put(made, value)
    return made


class Model:
    """A record of the ledger (``pledgetui.schema``): a plain object with a slot per field, in the
    schema's order, immutable, equal to another of its type with equal field values (caches such
    as an entry's derived reading are not compared), hashable.

    ``Entry(**fields)`` and ``Entry.model_validate(data)`` validate (pydantic, in
    ``pledgetui.validation``) and raise its ``ValidationError``; ``model_copy``, ``model_construct``
    and ``_make`` (the fields' values in order, used by the cache and the fast reader) trust
    their values and build the object directly. The methods named after pydantic's behave as
    pydantic's do for what the program uses of them."""

    __slots__ = ()
    #: The schema's record, its fields' names in order, the fields by name.
    _record: ClassVar[schema.Record]
    _names: ClassVar[tuple[str, ...]]
    model_fields: ClassVar[dict[str, schema.Field]]
    #: Slots that are not fields (derived caches), None when built.
    _extra: ClassVar[tuple[str, ...]] = ()
    #: The record built from its fields' values in order, without validation (written from the schema).
    _make: ClassVar[Callable[..., Any]]
    _setters: ClassVar[tuple[tuple[str, Callable[[Any, Any], None]], ...]]
    #: Every record class, by the name of its record (one dict, shared).
    _classes: ClassVar[dict[str, type[Model]]] = {}

    def __init_subclass__(cls, record: schema.Record | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if record is not None:
            _install(cls, record)

    def __new__(cls, **data: Any) -> Self:
        return cls.model_validate(data)

    @classmethod
    def model_validate(cls, obj: Any) -> Self:
        """Validate ``obj`` (a mapping of the fields, or an instance, kept as it is); raises
        pydantic's ``ValidationError`` with every problem found."""
        if type(obj) is cls:
            return obj
        from pledgetui.validation import validate

        made: Self = validate(cls, obj)
        return made

    @classmethod
    def model_construct(cls, **values: Any) -> Self:
        """A record of ``values`` and the defaults of the fields not given, without validation.
        A required field not given is left unset (as pydantic's ``model_construct`` does)."""
        m = _new(cls)
        fields = cls.model_fields
        for name, put in cls._setters:
            if name in values:
                put(m, values[name])
            elif name in fields:
                f = fields[name]
                if not f.required:
                    put(m, f.default)
            else:
                put(m, None)
        return m

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with the fields in ``update`` replaced (not validated; a name that is not a
        field is ignored, as pydantic does); ``deep``: the values copied too (the derived caches
        are then left to be derived again)."""
        cls = type(self)
        m = _new(cls)
        fields = cls.model_fields
        memo: dict[int, Any] = {}  # one copy of what two slots share (a kept reading's statements)
        for name, put in cls._setters:
            if update and name in update and name in fields:
                value = update[name]
            else:
                value = getattr(self, name, None if name not in fields else _MISSING)
                if deep and value is not _MISSING:
                    value = copy.deepcopy(value, memo)
            if value is not _MISSING:
                put(m, value)
        return m

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] = "python",
        include: Collection[str] | None = None,
        exclude: Collection[str] | None = None,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, Any]:
        """The fields as a dict, records within as dicts; ``mode="json"``: vocabulary members as
        their text, dates as ISO strings, lists as lists (as pydantic's ``model_dump``); ``include``
        and ``exclude``: the names of this record's fields to keep or leave out."""
        out = _dump(self, mode == "json", exclude or (), exclude_defaults, exclude_none)
        return out if include is None else {k: v for k, v in out.items() if k in include}

    @property
    def model_fields_set(self) -> set[str]:
        """The fields a file states: the required ones and those with a value the file writes
        (not absent: None, an empty string or list, but where the schema keeps an empty list)."""
        fields = self.model_fields
        return {n for n in self._names if fields[n].required or not schema.omitted(fields[n], getattr(self, n, None))}

    def __setattr__(self, name: str, value: Any) -> None:
        raise Immutable(f"{type(self).__name__} is immutable: use model_copy(update=...)")

    def __delattr__(self, name: str) -> None:
        raise Immutable(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        values = tuple(getattr(self, n) for n in self._names)
        return (_rebuild, (type(self), values, tuple(getattr(self, n) for n in self._extra)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._names if hasattr(self, n))
        return f"{type(self).__name__}({shown})"


_M = TypeVar("_M", bound=Model)


def _dump_value(value: Any, json: bool, exclude_defaults: bool, exclude_none: bool) -> Any:
    if isinstance(value, Model):
        return _dump(value, json, (), exclude_defaults, exclude_none)
    if isinstance(value, tuple | list):
        items = [_dump_value(v, json, exclude_defaults, exclude_none) for v in value]
        return items if json or type(value) is list else tuple(items)
    if json:
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, dt.date):
            return value.isoformat()
    return value


def _dump(m: Model, json: bool, exclude: Collection[str], exclude_defaults: bool, exclude_none: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fields = m.model_fields
    for name in m._names:
        if name in exclude:
            continue
        value = getattr(m, name, _MISSING)
        if value is _MISSING or (exclude_none and value is None):
            continue
        if exclude_defaults:
            f = fields[name]
            if not f.required and type(value) is type(f.default) and value == f.default:
                continue
        out[name] = _dump_value(value, json, exclude_defaults, exclude_none)
    return out


def _install(cls: type[Model], record: schema.Record) -> None:
    """Give ``cls`` the schema's ``record``: its names, fields, and the code written from them
    (``_make``, ``__eq__``, ``__hash__``)."""
    names_ok(record)
    names = record.names
    declared: tuple[str, ...] = cls.__dict__["__slots__"]
    extra = tuple(s for s in declared if s not in names)
    if tuple(s for s in declared if s in names) != names:
        raise TypeError(f"{cls.__name__}: slots {declared} are not the schema's fields {names} in order")
    cls._record = record
    cls._classes[record.name] = cls
    cls._names = names
    cls._extra = extra
    cls.model_fields = {f.name: f for f in record.fields}
    slots = (*names, *extra)
    cls._setters = tuple((n, cls.__dict__[n].__set__) for n in slots)
    args = ", ".join(names)
    same = " and ".join(f"self.{n} == other.{n}" for n in names) or "True"
    lines = [f"def make({args}):", "    m = new(cls)"]
    lines += [f"    set_{n}(m, {n})" for n in names]
    lines += [f"    set_{n}(m, None)" for n in extra]
    lines += ["    return m", "", ""]
    lines += ["def __eq__(self, other):", "    if self is other:", "        return True"]
    lines += ["    if type(other) is not type(self):", "        return NotImplemented", f"    return {same}", "", ""]
    lines += ["def __hash__(self):", f"    return hash(({', '.join(f'self.{n}' for n in names)},))"]
    ns: dict[str, Any] = {"new": _new, "cls": cls}
    ns.update({f"set_{n}": put for n, put in cls._setters})
    exec(define("\n".join(lines) + "\n", f"model: {cls.__name__} from pledgetui.schema"), ns)
    cls._make = staticmethod(ns["make"])
    type.__setattr__(cls, "__eq__", ns["__eq__"])
    type.__setattr__(cls, "__hash__", ns["__hash__"])
