"""pydantic validation errors in words a person can act on: one formatter, two shapes.

- A ledger file's problems (:func:`ledger_problems`): where in the file, by entry id
  when the entry has one (``entry 'uk-ground' field evidence[1].status``), and what
  is wrong, with the value that was found.
- A form's problems (:func:`form_problems`): (field, message) pairs, the field named
  relative to the record being edited (``evidence[2].quote``), the message short
  enough to stand next to the field.

Both count list positions from 1, as a reader does, and both drop a list's length
error when its items failed too (:func:`without_echoes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from pledgetui.model import MAX_STRING

Loc = tuple[Any, ...]

#: What an identifier of the ledger may hold (the model's pattern for ids), in words.
ID_PATTERN_WORDS = "may hold only lower-case letters, digits, '.', '_' and '-' (starting with a letter or digit)"


def field_path(loc: Iterable[Any]) -> str:
    """``("evidence", 1, "quote")`` -> ``evidence[2].quote``: positions counted from 1."""
    name = ""
    for key in loc:
        if isinstance(key, int):
            name += f"[{key + 1}]"
        else:
            name += ("." if name else "") + str(key)
    return name


def without_echoes(errors: Sequence[Any]) -> list[Any]:
    """Drop a list's length error when its items failed too.

    A list whose only item is invalid also fails ``min_length`` ("at least 1 item
    after validation, not 0"), which wrongly suggests the list is empty.
    """
    locs = [tuple(e["loc"]) for e in errors]

    def echoed(loc: Loc) -> bool:
        return any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)

    return [e for e, loc in zip(errors, locs) if not (e["type"] == "too_short" and echoed(loc))]


def _ctx(err: dict[str, Any], key: str, default: Any) -> Any:
    return (err.get("ctx") or {}).get(key, default)


def _plain_msg(err: dict[str, Any]) -> str:
    return str(err.get("msg", "is invalid")).removeprefix("Value error, ")


# --------------------------------------------------------------------------- a ledger file


def ledger_location(doc: Any, loc: Loc) -> str:
    """Where ``loc`` is in the ledger document ``doc``: ``entry 'x' field evidence[1].status``,
    ``source #2 field file`` (an entry without a usable id is named by its position), or ``ledger``."""
    parts: list[str] = []
    rest = loc
    if len(loc) >= 2 and loc[0] in ("entries", "sources") and isinstance(loc[1], int):
        items = doc.get(loc[0]) if isinstance(doc, dict) else None
        ident = None
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            ident = items[loc[1]].get("id")
        noun = "entry" if loc[0] == "entries" else "source"
        parts.append(f"{noun} {ident!r}" if isinstance(ident, str) and ident else f"{noun} #{loc[1] + 1}")
        rest = loc[2:]
    field = field_path(rest)
    if field:
        parts.append("field " + field)
    return " ".join(parts) or "ledger"


def ledger_message(err: dict[str, Any]) -> str:
    """What is wrong, for a ledger file: names an unknown key, shows the value found."""
    kind = err.get("type", "")
    value = err.get("input")
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if kind == "extra_forbidden":
        return f"unknown key {err['loc'][-1]!r} (not part of the ledger format; check the spelling)"
    if kind == "missing":
        return "is required but missing"
    if kind == "enum":
        return f"{shown} is not allowed; choose one of {_ctx(err, 'expected', '')}"
    if kind == "string_too_long":
        return f"is longer than the limit of {_ctx(err, 'max_length', MAX_STRING):,} characters"
    return f"{_plain_msg(err)} (got {shown})"


def ledger_problems(
    doc: Any, exc: ValidationError, relocate: Callable[[Loc], Loc] | None = None
) -> list[tuple[str, str]]:
    """(where, what) for each problem of a ledger document, each once. ``relocate`` maps an
    error's location to the place in the file the user wrote (a migrated older format)."""
    out: list[tuple[str, str]] = []
    for err in without_echoes(exc.errors()):
        loc = tuple(err["loc"])
        if relocate is not None:
            loc = relocate(loc)
        problem = (ledger_location(doc, loc), ledger_message(err))
        if problem not in out:  # e.g. a version 1 value copied to every statement: once
            out.append(problem)
    return out


# --------------------------------------------------------------------------- a form


def form_message(err: dict[str, Any]) -> str:
    """What is wrong, for a form: a short message to show next to the field."""
    kind = err.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of an entry"
    if kind == "enum":
        return f"must be one of {_ctx(err, 'expected', '')}"
    if kind == "string_too_long":
        return f"is longer than the limit of {_ctx(err, 'max_length', 0):,} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return ID_PATTERN_WORDS
    return _plain_msg(err)


def form_problems(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """(field, message) pairs for a form; fields are named under ``prefix`` when given
    (``evidence[3]`` -> ``evidence[3].quote``)."""
    out = []
    for err in without_echoes(exc.errors()):
        name = field_path(err["loc"])
        out.append((f"{prefix}.{name}" if prefix and name else prefix or name, form_message(err)))
    return out
