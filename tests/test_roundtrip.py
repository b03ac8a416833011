"""Ledger -> TOML -> ledger is lossless, and the TOML is canonical (byte-identical on re-save)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgetui import store
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
from tests.factory import small_ledger

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


@SETTINGS
@given(ledgers())
def test_dumps_loads_round_trip(ledger: Ledger) -> None:
    data = store.dumps(ledger)
    again = store.loads(data)
    assert again == ledger
    assert [ev.conditions for p in again.entries for ev in p.evidence] == [
        ev.conditions for p in ledger.entries for ev in p.evidence
    ]
    assert [p.stance for p in again.entries] == [p.stance for p in ledger.entries]
    assert store.dumps(again) == data


@SETTINGS
@given(text)
def test_any_text_survives_in_every_string_field(value: str) -> None:
    base = small_ledger()
    p = base.entries[0]
    ev = p.evidence[0].model_copy(update={"prefix": value, "suffix": value, "claimant": value or "x"})
    changed = p.model_copy(update={"notes": value, "condition_detail": value, "evidence": (ev,)})
    ledger = base.model_copy(update={"entries": (changed, *base.entries[1:])})
    again = store.loads(store.dumps(ledger))
    assert again == ledger
    assert again.entries[0].claimant == (value or "x")


def test_small_ledger_save_load_save_is_byte_identical(ledger_path: Path) -> None:
    first = ledger_path.read_bytes()
    loaded = store.load(ledger_path)
    assert loaded.ledger == small_ledger()
    store.save(loaded.ledger, ledger_path, expected=loaded.fingerprint)
    assert ledger_path.read_bytes() == first
    assert store.dumps(small_ledger()) == first


def test_defaults_are_left_out_of_the_file() -> None:
    # tomli-w has no null: absent values are missing keys, and empty ones are not written.
    data = store.dumps(small_ledger()).decode()
    assert "date_stated" not in data and "stated" not in data
    assert "conditions = []" not in data  # absent: the statements take the entry's conditions
    assert "notes" not in data
    assert "null" not in data and "None" not in data
    assert "date = 2026-01-08" in data


def test_a_statement_stated_as_unconditional_keeps_its_empty_conditions() -> None:
    base = small_ledger()
    p = base.entries[0]
    unconditional = p.evidence[0].model_copy(update={"conditions": ()})
    ledger = base.model_copy(
        update={"entries": (p.model_copy(update={"evidence": (unconditional,)}), *base.entries[1:])}
    )
    data = store.dumps(ledger)
    assert data.decode().count("conditions = []") == 1
    again = store.loads(data)
    assert again.entries[0].evidence[0].conditions == ()
    assert again.entries[1].evidence[0].conditions is None
    assert store.dumps(again) == data


def test_the_file_holds_each_statement_s_stance_and_no_entry_stance() -> None:
    import tomli

    doc = tomli.loads(store.dumps(small_ledger()).decode())
    assert doc["schema_version"] == 2
    for entry, p in zip(doc["entries"], small_ledger().entries):
        assert not {"status", "claimant", "date_stated"} & set(entry)
        for ev, want in zip(entry["evidence"], p.evidence):
            assert (ev["claimant"], ev["party"], ev["basis"], ev["status"]) == (
                want.claimant, want.party.value, want.basis.value, want.status.value,
            )  # fmt: skip
