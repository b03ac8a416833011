"""Ledger -> TOML -> ledger is lossless, and the TOML is canonical (byte-identical on re-save)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from pledgetui import canonical, ledgerfile, store
from pledgetui.model import Ledger
from tests.factory import small_ledger
from tests.strategies import ledgers, text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ledgers())
def test_dumps_loads_round_trip(ledger: Ledger) -> None:
    data = canonical.dumps(ledger)
    again = ledgerfile.loads(data)
    assert again == ledger
    assert [ev.conditions for p in again.entries for ev in p.evidence] == [
        ev.conditions for p in ledger.entries for ev in p.evidence
    ]
    assert [p.stance for p in again.entries] == [p.stance for p in ledger.entries]
    assert canonical.dumps(again) == data


@SETTINGS
@given(text)
def test_any_text_survives_in_every_string_field(value: str) -> None:
    base = small_ledger()
    p = base.entries[0]
    ev = p.evidence[0].model_copy(update={"prefix": value, "suffix": value, "claimant": value or "x"})
    changed = p.model_copy(update={"notes": value, "condition_detail": value, "evidence": (ev,)})
    ledger = base.model_copy(update={"entries": (changed, *base.entries[1:])})
    again = ledgerfile.loads(canonical.dumps(ledger))
    assert again == ledger
    assert again.entries[0].claimant == (value or "x")


def test_small_ledger_save_load_save_is_byte_identical(ledger_path: Path) -> None:
    first = ledger_path.read_bytes()
    loaded = store.load(ledger_path)
    assert loaded.ledger == small_ledger()
    store.save(loaded.ledger, ledger_path, expected=loaded.fingerprint)
    assert ledger_path.read_bytes() == first
    assert canonical.dumps(small_ledger()) == first


def test_defaults_are_left_out_of_the_file() -> None:
    # tomli-w has no null: absent values are missing keys, and empty ones are not written.
    data = canonical.dumps(small_ledger()).decode()
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
    data = canonical.dumps(ledger)
    assert data.decode().count("conditions = []") == 1
    again = ledgerfile.loads(data)
    assert again.entries[0].evidence[0].conditions == ()
    assert again.entries[1].evidence[0].conditions is None
    assert canonical.dumps(again) == data


def test_the_file_holds_each_statement_s_stance_and_no_entry_stance() -> None:
    import tomli

    doc = tomli.loads(canonical.dumps(small_ledger()).decode())
    assert doc["schema_version"] == 2
    for entry, p in zip(doc["entries"], small_ledger().entries):
        assert not {"status", "claimant", "date_stated"} & set(entry)
        for ev, want in zip(entry["evidence"], p.evidence):
            assert (ev["claimant"], ev["party"], ev["basis"], ev["status"]) == (
                want.claimant, want.party.value, want.basis.value, want.status.value,
            )  # fmt: skip
