"""What changed (``pledgetui.changes``): a window of dates over each entry's history, two versions' rows."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings

from pledgetui.changes import markdown, md_text, version_changes, window_changes
from pledgetui.model import Ledger, Status
from pledgetui.store import load
from tests.factory import REPO
from tests.strategies import ledgers
from tests.test_compare import replace_entry

BUNDLED = REPO / "data" / "pledges.toml"


def bundled() -> Ledger:
    return load(BUNDLED, use_cache=False).ledger


def test_since_the_new_year_names_the_declaration_s_entries_with_their_statements() -> None:
    ledger = bundled()
    found = window_changes(ledger, dt.date(2026, 1, 1))
    new = {r.entry: r for r in found.rows if r.kind in ("new entry", "first dated statement")}
    assert {"uk-ground-troops", "uk-air", "france-ground-troops"} <= set(new)
    # an entry with undated statements may be older than its first dated one: never called new
    for entry_id, row in new.items():
        entry = ledger.entry(entry_id)
        assert entry is not None
        has_undated = any(ev.span(ledger.source_dates()).hi is None for ev in entry.evidence)
        assert row.kind == ("first dated statement" if has_undated else "new entry")
    assert new["uk-ground-troops"].kind == "first dated statement" and new["uk-sanctions"].kind == "new entry"
    air = new["uk-air"]
    assert (air.source, air.date, air.claimant) == ("a002", "2026-01-06", "Downing Street statement")
    assert air.statement == ledger.entry("uk-air").evidence[air.n - 1].key  # type: ignore[union-attr]
    assert "declaration" in air.quote
    # every row's day is in the window; the undated statements are counted, not placed
    assert all(r.date.removeprefix("by ") >= "2026-01-01" for r in found.rows)
    undated = sum(1 for p in ledger.entries for ev in p.evidence if ev.span(ledger.source_dates()).hi is None)
    assert found.undated == undated > 0 and "undated" in found.note()


def test_until_closes_the_window() -> None:
    ledger = bundled()
    found = window_changes(ledger, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert found.rows and all(r.date.removeprefix("by ") <= "2026-01-31" for r in found.rows)
    assert "nato-willing-air" not in found.changed_entries  # stated 2026-02-03


def test_a_statement_that_moves_the_reading_is_named_with_the_move() -> None:
    ledger = bundled()
    entry = ledger.entry("uk-sanctions")
    assert entry is not None
    dates = ledger.source_dates()
    first = entry.evidence[0]
    later = first.model_copy(update={"status": Status.DECLINED, "stated": dt.date(2026, 3, 1)})
    edited = replace_entry(ledger, "uk-sanctions", evidence=(*entry.evidence, later))
    found = window_changes(edited, dt.date(2026, 2, 15))
    rows = [(r.entry, r.kind, r.old, r.new, r.n) for r in found.rows]
    n = len(entry.evidence) + 1
    assert ("uk-sanctions", "new statement", None, None, n) in rows
    assert ("uk-sanctions", "reading", entry.status.value, "declined", n) in rows
    assert first.span(dates).hi is not None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_a_window_before_every_statement_is_empty(ledger: Ledger) -> None:
    found = window_changes(ledger, None, dt.date(1989, 12, 31))  # the strategies date nothing earlier
    assert found.rows == ()
    assert version_changes(ledger, ledger) == ()


def test_the_versions_rows_name_the_edited_field() -> None:
    ledger = bundled()
    edited = replace_entry(ledger, "uk-air", summary="Edited summary")
    (row,) = version_changes(ledger, edited)
    assert (row.entry, row.kind, row.field, row.new) == ("uk-air", "field", "summary", "Edited summary")


def test_entries_added_and_removed_carry_their_statements() -> None:
    ledger = bundled()
    first, *rest = ledger.entries
    smaller = ledger.model_copy(update={"entries": tuple(rest)})
    assert [(r.entry, r.kind) for r in version_changes(ledger, smaller)] == [(first.id, "removed entry")]
    added = version_changes(smaller, ledger)
    assert added[0].kind == "new entry" and added[0].n == 1 and added[0].quote
    assert [r.kind for r in added[1:]] == ["new statement"] * (len(first.evidence) - 1)


def test_the_briefing_escapes_ledger_text() -> None:
    ledger = bundled()
    edited = replace_entry(
        ledger, "uk-air", summary="![x](http://evil/img.png) <script> # not a heading\n- nor a bullet"
    )
    md = markdown(version_changes(ledger, edited), "Changes").decode()
    assert "![x](" not in md and "<script>" not in md and "\n- nor" not in md
    assert "\\!\\[x\\](http:" in md and "\\<script\\>" in md
    assert md_text("a*b_c`d") == "a\\*b\\_c\\`d"
    # readable punctuation stays as it is
    assert md_text("Ukraine's skies: 20,000-50,000 (troops).") == "Ukraine's skies: 20,000-50,000 (troops)."
    # what would start a list or a heading inside a block quote is escaped at a line's start
    assert md_text("- a", start=True) == "\\- a" and md_text("12. a", start=True) == "12\\. a"
    assert md_text("+ a", start=True) == "\\+ a" and md_text("- a") == "- a"
