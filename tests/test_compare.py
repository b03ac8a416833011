"""Two ledgers compared entry by entry and statement by statement (``pledgetui.compare``)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings

from pledgetui.canonical import dumps
from pledgetui.compare import compare, statement_keys
from pledgetui.ledgerfile import loads
from pledgetui.model import Ledger, Status
from pledgetui.store import load
from tests.factory import REPO
from tests.strategies import ledgers

BUNDLED = REPO / "data" / "pledges.toml"


def bundled() -> Ledger:
    return load(BUNDLED, use_cache=False).ledger


def replace_entry(ledger: Ledger, entry_id: str, **update: object) -> Ledger:
    entries = tuple(p.model_copy(update=update) if p.id == entry_id else p for p in ledger.entries)
    return ledger.model_copy(update={"entries": entries})


def test_a_ledger_compared_with_itself_or_its_saved_copy_is_the_same() -> None:
    ledger = bundled()
    assert not compare(ledger, ledger)
    assert not compare(ledger, loads(dumps(ledger)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_any_ledger_compared_with_itself_is_empty(ledger: Ledger) -> None:
    assert not compare(ledger, ledger)
    assert not compare(ledger, ledger.model_copy(update={"entries": tuple(p.model_copy() for p in ledger.entries)}))


def test_one_summary_edited_names_exactly_that_entry_and_field() -> None:
    ledger = bundled()
    edited = replace_entry(ledger, "uk-air", summary="Edited summary")
    diff = compare(ledger, edited)
    assert [(d.id, d.kind) for d in diff.entries] == [("uk-air", "changed")]
    (d,) = diff.entries
    assert d.field_names() == ("summary",)
    assert d.fields[0].new == "Edited summary" and d.fields[0].old == ledger.entry("uk-air").summary  # type: ignore[union-attr]
    assert not d.reading_changed and not d.added and not d.removed and not d.reordered


def test_entries_added_and_removed() -> None:
    ledger = bundled()
    first, *rest = ledger.entries
    smaller = ledger.model_copy(update={"entries": tuple(rest)})
    assert [(d.id, d.kind) for d in compare(ledger, smaller).entries] == [(first.id, "removed")]
    assert [(d.id, d.kind) for d in compare(smaller, ledger).entries] == [(first.id, "added")]


def test_a_statement_s_stance_edit_is_a_change_of_that_statement_and_of_the_reading() -> None:
    ledger = bundled()
    entry = ledger.entry("uk-sanctions")
    assert entry is not None and entry.status is Status.ANNOUNCED
    evidence = (entry.evidence[0].model_copy(update={"status": Status.DECLINED}), *entry.evidence[1:])
    diff = compare(ledger, replace_entry(ledger, "uk-sanctions", evidence=evidence))
    (d,) = diff.entries
    assert d.field_names() == ("evidence[1].status",)
    (s,) = d.changed
    assert s.key == entry.evidence[0].key and (s.fields[0].old, s.fields[0].new) == ("announced", "declined")
    assert d.reading_changed and d.new_reading is not None and d.new_reading.status is Status.DECLINED


def test_reordering_statements_is_not_a_change_of_any_statement() -> None:
    ledger = bundled()
    entry = ledger.entry("uk-ground-troops")
    assert entry is not None and len(entry.evidence) > 2
    diff = compare(ledger, replace_entry(ledger, "uk-ground-troops", evidence=tuple(reversed(entry.evidence))))
    (d,) = diff.entries
    assert d.reordered and not d.changed and not d.added and not d.removed and d.fields == ()


def test_a_statement_added_and_one_removed_are_named_by_position() -> None:
    ledger = bundled()
    entry = ledger.entry("uk-ground-troops")
    assert entry is not None
    other = ledger.entry("uk-sanctions")
    assert other is not None
    evidence = (*entry.evidence[1:], other.evidence[0])
    (d,) = compare(ledger, replace_entry(ledger, "uk-ground-troops", evidence=evidence)).entries
    assert d.removed == (0,) and d.added == (len(evidence) - 1,)


def test_an_article_s_new_date_shows_as_a_source_change_and_moves_readings() -> None:
    ledger = bundled()
    sources = tuple(s.model_copy(update={"date": dt.date(2027, 1, 1)}) if s.id == "a003" else s for s in ledger.sources)
    diff = compare(ledger, ledger.model_copy(update={"sources": sources}))
    assert [(s.id, [c.field for c in s.fields]) for s in diff.sources] == [("a003", ["date"])]
    assert diff.entries  # entries quoting a003 get a new derived date
    assert all(not d.fields and not d.changed for d in diff.entries)


def test_statement_keys_tell_apart_one_anchor_cited_twice() -> None:
    entry = bundled().entry("uk-ground-troops")
    assert entry is not None
    ev = entry.evidence[0]
    assert statement_keys((ev, ev)) == [ev.key, ev.key + "#2"]
    assert ev.key == f"{ev.source}@{ev.start}-{ev.end}"


def test_finding_an_entry_by_id_follows_a_copy_with_other_entries() -> None:
    ledger = bundled()
    assert ledger.entry("uk-air") is ledger.entries[[p.id for p in ledger.entries].index("uk-air")]
    edited = replace_entry(ledger, "uk-air", summary="Edited")
    assert edited.entry("uk-air") is not ledger.entry("uk-air")
    assert edited.entry("uk-air").summary == "Edited"  # type: ignore[union-attr]
    assert ledger.entry("nope") is None
