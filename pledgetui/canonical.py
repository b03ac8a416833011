"""The canonical form of a ledger: the same ledger always gives the same TOML bytes."""

from __future__ import annotations

from enum import Enum
from typing import Any

import tomli_w

from pledgetui import schema
from pledgetui.model import Ledger


def _plain(value: Any, record: schema.Record | None = schema.LEDGER) -> Any:
    """A model dump as TOML-ready data: vocabulary values as their text, absent values
    (``schema.omitted``) left out."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v, record) for v in value]
    if isinstance(value, dict) and record is not None:
        out = {}
        for k, v in value.items():
            field = record.field(k)
            if not schema.omitted(field, v):
                out[k] = _plain(v, schema.record_of(field))
        return out
    return value


def to_document(ledger: Ledger) -> dict[str, Any]:
    """The ledger as plain TOML-ready data: absent values are missing keys (TOML has no null)."""
    doc: dict[str, Any] = _plain(ledger.model_dump(mode="python"))
    for key in ("sources", "entries"):
        doc.setdefault(key, [])
    return doc


def dumps(ledger: Ledger) -> bytes:
    """Canonical TOML bytes: the same ledger always gives the same bytes.

    They are ``tomli_w``'s text of :func:`to_document`. The entries (all but a few lines
    of a large ledger) are written by :mod:`pledgetui.fastwrite`, which gives the same text
    without building the document; anything it does not know is written by ``tomli_w``."""
    from pledgetui import fastwrite

    if ledger.entries and type(ledger.schema_version) is int:
        try:
            body = fastwrite.entries(ledger.entries)
        except fastwrite.Unsupported:
            pass
        else:
            head: dict[str, Any] = _plain(ledger.model_dump(mode="python", exclude={"entries"}))
            head.setdefault("sources", [])
            return (tomli_w.dumps(head, multiline_strings=False) + body).encode("utf-8")
    return tomli_w.dumps(to_document(ledger), multiline_strings=False).encode("utf-8")
