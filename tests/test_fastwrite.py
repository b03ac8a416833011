"""The fast writer against tomli-w: the same bytes for every ledger, or it steps aside."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgetui import canonical, fastwrite, ledgerfile
from pledgetui.model import (
    MAX_AMOUNT,
    MAX_STRING,
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
from pledgetui.paths import bundled_ledger
from tests.factory import small_ledger
from tests.strategies import TRICKY, ident
from tests.strategies import ledgers as roundtrip_ledgers

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tomli_w_bytes(ledger: Ledger) -> bytes:
    """What a save wrote before the fast writer: tomli-w's text of the document."""
    return tomli_w.dumps(canonical.to_document(ledger), multiline_strings=False).encode("utf-8")


def check(ledger: Ledger) -> bytes:
    """The saved bytes equal tomli-w's, and the entries were written by the fast writer."""
    expected = tomli_w_bytes(ledger)
    assert canonical.dumps(ledger) == expected
    if ledger.entries:
        body = fastwrite.entries(ledger.entries).encode("utf-8")  # raises if it stepped aside
        assert expected.endswith(body) and expected[: -len(body)].endswith(b"\n")
    return expected


# --------------------------------------------------------------------------- strings


def test_every_character_alone_is_written_as_tomli_w_writes_it() -> None:
    # One tomli-w call formats each item of an array on its own: every code point, the
    # surrogates included (the model refuses them, the writer still agrees with tomli-w).
    chars = [chr(i) for i in range(sys.maxunicode + 1)]
    expected = tomli_w.dumps({"k": chars})
    assert expected == "k = [\n" + "".join(f"    {fastwrite.string(c)},\n" for c in chars) + "]\n"


def test_the_characters_json_escapes_otherwise_are_written_as_tomli_w_writes_them() -> None:
    for s in ("\t", "\x7f", "a\tb\x7fc", "\t\t", "\\t", '"\t"', "\x7f\\u007f", "\t\x00\x1f\x7f\x80"):
        assert fastwrite.string(s) == tomli_w.dumps({"k": s})[4:-1]
    assert fastwrite.string("a\tb") == '"a\tb"'  # the tab stays raw
    assert fastwrite.string("\x7f") == '"\\u007f"'


def test_only_a_str_is_a_string() -> None:
    class Sub(str):
        pass

    for value in (None, 1, b"x", Sub("x")):
        with pytest.raises(fastwrite.Unsupported):
            fastwrite.string(value)


# --------------------------------------------------------------------------- hostile ledgers

HOSTILE = [
    *TRICKY,
    "\x08\x0c\x0b\x1f\x1e",
    "\t\x7f\t",
    "\\\\\\",
    '\\"',
    "\U0001f600\U00010000\U0010ffff",
    "\u2028\u2029\ufeff\ufffe\uffff",
    "\x85\x9b\xa0\xad",
    "e\u0301",
]
chars = st.characters(blacklist_categories=("Cs",))
control = st.characters(max_codepoint=0x20) | st.sampled_from(["\x7f", "\t", '"', "\\"])
pieces = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(chars, max_size=12),
    st.text(control, max_size=6),
)
text = st.one_of(
    st.lists(pieces, max_size=8).map("".join),
    st.builds(lambda s, n: (s * n)[:MAX_STRING], st.sampled_from(HOSTILE).filter(bool), st.integers(1, MAX_STRING)),
)
name = st.lists(pieces, min_size=1, max_size=6).map("".join).filter(lambda s: 0 < len(s) <= 500)
#: Labels around the length where a quantity stops fitting on one line (100 characters
#: with its indent, its other keys and its comma; escapes count as written).
label = st.one_of(
    name,
    st.builds(lambda s, n: (s * 100)[:n], st.sampled_from(HOSTILE).filter(bool), st.integers(50, 110)),
)
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
count = st.integers(min_value=0, max_value=MAX_AMOUNT)


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    low = draw(st.one_of(st.none(), count))
    high = draw(st.one_of(st.none(), count)) if low is not None else draw(count)
    if low is not None and high is not None and high < low:
        low, high = high, low
    return Quantity(label=draw(label), low=low, high=high)


def maybe(strategy: st.SearchStrategy[object], empty: object) -> st.SearchStrategy[object]:
    return st.one_of(st.just(empty), strategy)


@st.composite
def evidences(draw: st.DrawFn, source_ids: list[str]) -> Evidence:
    start = draw(st.integers(min_value=0, max_value=10**8))
    conditions = draw(st.one_of(st.none(), st.lists(st.sampled_from(Condition), max_size=4)))
    return Evidence(
        source=draw(st.sampled_from(source_ids)),
        claimant=draw(name),
        party=draw(st.sampled_from(Party)),
        basis=draw(st.sampled_from(Basis)),
        relayed_by=draw(maybe(name, "")),
        status=draw(st.sampled_from(Status)),
        stated=draw(dates),
        conditions=None if conditions is None else tuple(conditions),
        numbers=tuple(draw(st.lists(quantities(), max_size=3))),
        quote=draw(text.filter(bool)),
        prefix=draw(maybe(text, "")),
        suffix=draw(maybe(text, "")),
        start=start,
        end=min(start + draw(st.integers(min_value=0, max_value=5000)), 10**8),
    )


@st.composite
def entries(draw: st.DrawFn, entry_id: str, source_ids: list[str]) -> Entry:
    return Entry(
        id=entry_id,
        kind=draw(st.sampled_from(EntryKind)),
        actor=draw(name),
        actor_type=draw(st.sampled_from(ActorType)),
        commitment=draw(st.sampled_from(CommitmentType)),
        conditions=tuple(draw(st.lists(st.sampled_from(Condition), max_size=4))),
        condition_detail=draw(maybe(text, "")),
        us_backstop=draw(st.sampled_from(Backstop)),
        numbers=tuple(draw(st.lists(quantities(), max_size=3))),
        summary=draw(name),
        notes=draw(maybe(text, "")),
        evidence=tuple(draw(st.lists(evidences(source_ids), min_size=1, max_size=3))),
    )


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    source_ids = draw(st.lists(ident, min_size=0, max_size=3, unique=True))
    sources = tuple(
        Source(
            id=sid,
            file="a.txt",
            title=draw(name),
            date=draw(dates),
            outlet=draw(maybe(text, "")),
            note=draw(maybe(text, "")),
        )
        for sid in source_ids
    )
    entry_ids = draw(st.lists(ident, max_size=4 if source_ids else 0, unique=True))
    return Ledger(sources=sources, entries=tuple(draw(entries(pid, source_ids)) for pid in entry_ids))


@SETTINGS
@given(ledgers())
def test_any_ledger_is_written_as_tomli_w_writes_it(ledger: Ledger) -> None:
    check(ledger)


@SETTINGS
@given(roundtrip_ledgers())
def test_the_round_trip_ledgers_are_written_as_tomli_w_writes_them(ledger: Ledger) -> None:
    check(ledger)


def test_every_optional_field_present_and_absent() -> None:
    full = Evidence(
        source="s",
        claimant="c",
        party=Party.THIRD_PARTY,
        basis=Basis.REPORT,
        relayed_by="AFP, via BBC",
        status=Status.CLAIMED,
        stated=dt.date(2026, 1, 2),
        conditions=(Condition.CEASEFIRE, Condition.OTHER),
        numbers=(Quantity(label="troops", low=1, high=2), Quantity(label="jets", high=3)),
        quote="q",
        prefix="p",
        suffix="x",
        start=1,
        end=2,
    )
    bare = Evidence(
        source="s",
        claimant="c",
        party=Party.FIRST_PARTY,
        basis=Basis.STATEMENT,
        status=Status.SIGNED,
        quote="q",
        start=0,
        end=0,
    )
    unconditional = bare.model_copy(update={"conditions": ()})
    pledges = (
        Entry(
            id="full",
            kind=EntryKind.COUNTER_POSITION,
            actor="A",
            actor_type=ActorType.COALITION,
            commitment=CommitmentType.AIR,
            conditions=(Condition.PEACE_DEAL,),
            condition_detail="d",
            us_backstop=Backstop.REQUIRED,
            numbers=(Quantity(label="n", low=5),),
            summary="s",
            notes="n",
            evidence=(full, bare, unconditional),
        ),
        Entry(id="bare", actor="B", commitment=CommitmentType.OTHER, summary="s", evidence=(bare,)),
    )
    for sources in (
        (Source(id="s", file="f", title="t"),),
        (Source(id="s", file="f", title="t", date="2026-01-01", outlet="o", note="n"),),
    ):
        data = check(Ledger(sources=sources, entries=pledges)).decode()
        for key in ("relayed_by", "stated", "prefix", "suffix", "condition_detail", "notes", "numbers = ["):
            assert data.count(f"\n{key}") == 2 if key == "numbers = [" else data.count(f"\n{key}") == 1
        assert data.count("conditions = []") == 1
        assert ledgerfile.loads(data.encode()) == Ledger(sources=sources, entries=pledges)


def test_quantities_too_long_for_one_line_are_tables_as_tomli_w_writes_them() -> None:
    ev = small_ledger().entries[0].evidence[0]
    # '    { label = "...", low = 1 },' is 28 characters around the label's text: at most 72 fit.
    for length in (71, 72, 73):
        for q in (Quantity(label="x" * length, low=1), Quantity(label="\x01" * (length // 6), low=1)):
            fits = len(f"    {{ label = {fastwrite.string(q.label)}, low = 1 }},") <= 100
            short = Quantity(label="y", high=2)
            p = Entry(
                id="p",
                actor="A",
                commitment=CommitmentType.AIR,
                numbers=(short, q),
                summary="s",
                evidence=(ev.model_copy(update={"numbers": (q, short)}),),
            )
            ledger = small_ledger().model_copy(update={"entries": (p,)})
            data = check(ledger).decode()
            assert ("[[entries.numbers]]" in data) is not fits
            assert ("[[entries.evidence.numbers]]" in data) is not fits
            assert ledgerfile.loads(data.encode()) == ledger  # the full path reads the tables


def test_the_bundled_and_a_synthetic_ledger_are_written_as_tomli_w_writes_them() -> None:
    from bench.synth import dumps, ledger_document

    bundled = bundled_ledger().read_bytes()
    assert check(ledgerfile.loads(bundled)) == bundled
    synthetic = dumps(ledger_document(500, seed=5))
    assert check(ledgerfile.loads(synthetic)) == synthetic


def test_a_ledger_without_entries_or_sources_is_written_by_tomli_w() -> None:
    assert canonical.dumps(Ledger()) == tomli_w_bytes(Ledger()) == b"schema_version = 2\nsources = []\nentries = []\n"
    ledger = small_ledger()
    assert canonical.dumps(ledger.model_copy(update={"sources": ()})) == tomli_w_bytes(
        ledger.model_copy(update={"sources": ()})
    )


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic warns when dumping such values
def test_anything_the_writer_does_not_know_is_written_by_tomli_w() -> None:
    ledger = small_ledger()
    p, *rest = ledger.entries
    ev = p.evidence[0]
    # (changed entry, whether the fast writer writes it: tomli-w's text is the same either way)
    odd = [
        (p.model_copy(update={"conditions": list(p.conditions)}), False),  # a list where validation gives a tuple
        (p.model_copy(update={"conditions": []}), False),  # written "conditions = []" by tomli-w
        (p.model_copy(update={"notes": None}), False),
        (p.model_copy(update={"us_backstop": None}), False),
        (p.model_copy(update={"kind": "sure"}), False),  # not a vocabulary value
        (p.model_copy(update={"kind": "pledge"}), True),  # a plain str equal to a member's value
        (p.model_copy(update={"evidence": (ev.model_copy(update={"start": True}),)}), False),
        (p.model_copy(update={"evidence": (ev.model_copy(update={"stated": dt.datetime(2026, 1, 1, 12)}),)}), False),
        (p.model_copy(update={"evidence": (ev.model_copy(update={"party": ["first_party"]}),)}), False),
        (p.model_copy(update={"evidence": list(p.evidence)}), False),
        (p.model_copy(update={"numbers": (Quantity.model_construct(label="n", low=None, high=None),)}), True),
    ]
    for changed, known in odd:
        strange = ledger.model_copy(update={"entries": (changed, *rest)})
        if known:
            fastwrite.entries(strange.entries)
        else:
            with pytest.raises(fastwrite.Unsupported):
                fastwrite.entries(strange.entries)
        assert canonical.dumps(strange) == tomli_w_bytes(strange)


def test_a_changed_model_is_left_to_tomli_w(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastwrite, "SUPPORTED", False)
    ledger = small_ledger()
    with pytest.raises(fastwrite.Unsupported):
        fastwrite.entries(ledger.entries)
    assert canonical.dumps(ledger) == tomli_w_bytes(ledger)
