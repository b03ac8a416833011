"""Hypothesis strategies for ledgers: every field drawn, strings full of what breaks TOML and terminals."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from pledgetui.model import (
    MAX_AMOUNT,
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    Entry,
    EntryKind,
    Evidence,
    Ledger,
    Party,
    Quantity,
    Source,
    Status,
)

TRICKY = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "\n",
    "\r\n",
    "\t",
    "[",
    "]",
    "[[pledges]]",
    "#",
    "=",
    "{",
    "}",
    "Київ",
    "Зеленський",
    "🇺🇦",
    "👍🏽",
    "—",
    "“",
    "’",
    "…",
    "\u00a0",
    "\u200b",
    "\u202e",
    "\x00",
    "\x1b[2J",
    "\x7f",
    " ",
    "  ",
    "key = value",
    'a = """',
    "\\u0041",
    "${x}",
]

chars = st.characters(blacklist_categories=("Cs",))
pieces = st.one_of(st.sampled_from(TRICKY), st.text(chars, max_size=8))
text = st.lists(pieces, max_size=6).map("".join)
name = text.filter(bool)
ident = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True)
file_name = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True)
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
count = st.integers(min_value=0, max_value=MAX_AMOUNT)


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    low = draw(st.one_of(st.none(), count))
    high = draw(st.one_of(st.none(), count)) if low is not None else draw(count)
    if low is not None and high is not None and high < low:
        low, high = high, low
    return Quantity(label=draw(name), low=low, high=high)


@st.composite
def evidences(draw: st.DrawFn, source_ids: list[str]) -> Evidence:
    start = draw(st.integers(min_value=0, max_value=10**6))
    conditions = draw(st.one_of(st.none(), st.lists(st.sampled_from(Condition), max_size=3)))
    return Evidence(
        source=draw(st.sampled_from(source_ids)),
        claimant=draw(name),
        party=draw(st.sampled_from(Party)),
        basis=draw(st.sampled_from(Basis)),
        relayed_by=draw(text),  # often empty: absent from the file
        status=draw(st.sampled_from(Status)),
        stated=draw(dates),
        # None (the entry's conditions) and () (stated as unconditional) must stay apart.
        conditions=None if conditions is None else tuple(conditions),
        numbers=tuple(draw(st.lists(quantities(), max_size=2))),
        quote=draw(name),
        prefix=draw(text),
        suffix=draw(text),
        start=start,
        end=start + draw(st.integers(min_value=0, max_value=5000)),
    )


@st.composite
def pledges(draw: st.DrawFn, entry_id: str, source_ids: list[str]) -> Entry:
    return Entry(
        id=entry_id,
        kind=draw(st.sampled_from(EntryKind)),
        actor=draw(name),
        actor_type=draw(st.sampled_from(ActorType)),
        commitment=draw(st.sampled_from(CommitmentType)),
        conditions=tuple(draw(st.lists(st.sampled_from(Condition), max_size=3))),
        condition_detail=draw(text),
        us_backstop=draw(st.sampled_from(Backstop)),
        numbers=tuple(draw(st.lists(quantities(), max_size=2))),
        summary=draw(name),
        notes=draw(text),
        evidence=tuple(draw(st.lists(evidences(source_ids), min_size=1, max_size=3))),
    )


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    source_ids = draw(st.lists(ident, min_size=1, max_size=3, unique=True))
    sources = tuple(
        Source(id=sid, file=draw(file_name), title=draw(name), date=draw(dates), outlet=draw(text), note=draw(text))
        for sid in source_ids
    )
    entry_ids = draw(st.lists(ident, max_size=4, unique=True))
    return Ledger(sources=sources, entries=tuple(draw(pledges(pid, source_ids)) for pid in entry_ids))
