"""Code written from the schema at import: compiled so its lines show in tracebacks and profiles.

The record classes (``pledgetui.model``), the fast reader, the fast writer and the cache write
their per-record functions from ``pledgetui.schema`` and compile them here. No pydantic here.
"""

from __future__ import annotations

import keyword
import linecache
from types import CodeType

from pledgetui import schema


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
