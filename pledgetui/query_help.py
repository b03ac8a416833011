"""The filter syntax for people: the reference shown in the app and completion while typing.

Made from :mod:`pledgetui.query` (its syntax examples, its field names and aliases) and
:mod:`pledgetui.vocab` (every value and label), never from a copy: a field or value added
there shows here at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from pledgetui import query

#: What each field matches (the field names, aliases and values come from pledgetui.query).
DESCRIPTIONS: dict[str, str] = {
    "actor": "the actor contains the text (= the whole name)",
    "commitment": "the commitment type",
    "status": "the entry's derived status",
    "backstop": "what it says about a US backstop",
    "condition": "one of its conditions",
    "source": "a statement's source id, file or title contains the text",
    "claimant": "any statement's claimant contains the text",
    "relay": "any statement's relay (who passes the words on) contains the text",
    "party": "any statement of that party",
    "basis": "any statement on that basis",
    "kind": "pledge or counter-position",
    "id": "the entry id starts with it (id:uk finds uk-air; id=uk-air is exact)",
    "date": "the date stated starts with it (date:2026, date:2026-01)",
    "summary": "the summary contains the text",
}


@dataclass(frozen=True)
class FieldHelp:
    name: str  # the canonical field
    aliases: tuple[str, ...]  # every name the query accepts for it, the canonical one first
    description: str
    values: tuple[tuple[str, str], ...]  # (value, label); empty for a free-text field


def syntax_lines() -> list[str]:
    """The syntax examples of :mod:`pledgetui.query`'s documentation, as written there."""
    doc = query.__doc__ or ""
    # The docstring marks literals as ``code`` for Python's tools; a reader needs the words.
    return [line[4:].replace("``", "") for line in doc.splitlines() if line.startswith("    ") and line.strip()]


def fields() -> list[FieldHelp]:
    """Every field the query knows, with its aliases, what it matches and its values."""
    names: dict[str, list[str]] = {}
    for alias, canonical in query.FIELD_ALIASES.items():
        names.setdefault(canonical, [])
        if alias != canonical:
            names[canonical].append(alias)
    return [
        FieldHelp(
            name,
            (name, *sorted(aliases)),
            DESCRIPTIONS.get(name, ""),
            query.field_values(name),
        )
        for name, aliases in names.items()
    ]


def field_names() -> list[str]:
    """Every name accepted before ``:`` or ``=``, sorted."""
    return sorted(query.FIELD_ALIASES)


def complete(text: str) -> str | None:
    """``text`` with its last word completed: a field name (``sta`` -> ``status:``) or a vocabulary
    value after a field (``status:sig`` -> ``status:signed``, also after a comma). None when nothing fits.

    The first name or value in order that starts with the typed part is offered; typing on narrows it.
    """
    if not text or text[-1].isspace():
        return None
    cut = max(text.rfind(" "), text.rfind("\t"))
    head, word = text[: cut + 1], text[cut + 1 :]
    sign = "-" if word.startswith("-") else ""
    body = word[len(sign) :]
    if '"' in body:
        return None
    op = min((i for i in (body.find(":"), body.find("=")) if i >= 0), default=-1)
    if op < 0:
        typed = body.lower()
        if not typed:
            return None
        canonical = sorted(set(query.FIELD_ALIASES.values()))
        for name in [*canonical, *(n for n in field_names() if n not in canonical)]:  # status: before stated:
            if name.startswith(typed) and name != typed:
                return f"{head}{sign}{body}{name[len(typed) :]}:"
        return None
    name, rest = body[:op], body[op + 1 :]
    values = query.field_values(name)
    if not values:
        return None
    done, _, typed = rest.rpartition(",")
    typed_key = typed.lower()
    if not typed_key:
        return None
    for value, _label in values:
        if value.startswith(typed_key) and value != typed_key:
            return f"{head}{sign}{name}{body[op]}{done}{',' if done else ''}{typed}{value[len(typed_key) :]}"
    return None
