"""The timeline's data: marks per group on a date axis, and firm commitments against claims over time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pledgetui.history import as_of
from pledgetui.model import Entry, Evidence, Ledger, Source, Status
from pledgetui.store import load
from pledgetui.timeline import Grouping, build, counts_for, counts_over_time
from tests.factory import REPO

D1, D2, D3 = dt.date(2026, 1, 1), dt.date(2026, 1, 10), dt.date(2026, 2, 1)
TODAY = dt.date(2026, 12, 7)


def ev(claimant: str, status: str, *, source: str = "dated", stated: dt.date | None = None, **kw: Any) -> Evidence:
    start = kw.pop("start", 0)
    fields = {"party": "first_party", "basis": "statement", **kw}
    return Evidence(
        source=source, claimant=claimant, status=status, stated=stated,
        quote=claimant, start=start, end=start + len(claimant), **fields,
    )  # fmt: skip


def entry(id: str, actor: str, commitment: str, *evidence: Evidence, kind: str = "pledge") -> Entry:
    return Entry(id=id, actor=actor, commitment=commitment, summary="s", kind=kind, evidence=evidence)


def ledger(*entries: Entry) -> Ledger:
    sources = (
        Source(id="dated", file="dated.txt", title="dated", date=D2),
        Source(id="undated", file="undated.txt", title="undated"),
    )
    return Ledger(sources=sources, entries=entries)


def test_marks_are_grouped_dated_by_their_last_possible_day_and_tell_stated_from_bounds() -> None:
    led = ledger(
        entry("uk-air", "UK", "air", ev("PM", "announced", stated=D1), ev("Paper", "signed", start=9)),
        entry("uk-sea", "UK", "maritime", ev("Navy", "considering", source="undated")),
        entry("fr-air", "France", "air", ev("Elysée", "signalled", stated=D3)),
    )
    t = build(led.entries, led.source_dates(), Grouping.ACTOR)
    assert [g.label for g in t.groups] == ["UK", "France"]
    uk = t.groups[0]
    assert [(m.entry_id, m.index, m.day, m.stated, m.status, m.claimant) for m in uk.marks] == [
        ("uk-air", 0, D1, True, Status.ANNOUNCED, "PM"),
        ("uk-air", 1, D2, False, Status.SIGNED, "Paper"),  # the article's date: an upper bound
    ]
    assert uk.undated == 1 and uk.statements == 3
    assert (t.statements, t.undated, t.dated, t.entries) == (4, 1, 3, 3)
    assert (t.first, t.last) == (D1, D3)

    by_type = build(led.entries, led.source_dates(), Grouping.COMMITMENT)
    assert [(g.key, g.label, len(g.marks), g.undated) for g in by_type.groups] == [
        ("air", "Air", 3, 0),
        ("maritime", "Maritime", 0, 1),
    ]
    assert [g.key for g in by_type.placed] == ["air"]  # an undated-only group has no place on the axis


def test_a_statement_counts_for_what_the_derivation_lets_it() -> None:
    assert counts_for(ev("PM", "signed")) is Status.SIGNED
    assert counts_for(ev("Paper", "signed", party="third_party", basis="report")) is Status.CLAIMED
    assert counts_for(ev("Leak", "announced", basis="anonymous")) is Status.CLAIMED
    assert counts_for(ev("Rumour", "declined", party="third_party", basis="report")) is Status.DECLINED


def test_groups_rank_by_dated_statements_and_top_keeps_the_rest_apart() -> None:
    led = ledger(
        entry("a", "Many undated", "air", *(ev(f"x{i}", "claimed", source="undated", start=i * 10) for i in range(5))),
        entry("b", "Two", "air", ev("b1", "announced", stated=D1), ev("b2", "announced", stated=D2, start=5)),
        entry("c", "One", "air", ev("c1", "announced", stated=D1)),
        entry("d", "Also one", "air", ev("d1", "announced", stated=D3)),
    )
    t = build(led.entries, led.source_dates())
    assert [g.label for g in t.groups] == ["Two", "Also one", "One", "Many undated"]
    shown, more = t.top(2)
    assert [g.label for g in shown] == ["Two", "Also one"]
    assert [g.label for g in more] == ["One"]  # "Many undated" has nothing to place
    assert t.top(0) == ((), t.placed)


def test_counter_positions_have_their_own_groups_and_are_never_counted() -> None:
    led = ledger(
        entry("uk", "UK", "ground_troops", ev("PM", "signed", stated=D1)),
        entry("ru", "UK", "ground_troops", ev("MFA", "announced", stated=D1), kind="counter_position"),
    )
    t = build(led.entries, led.source_dates(), Grouping.COMMITMENT)
    assert [(g.key, g.counter) for g in t.groups] == [("ground_troops", False), ("ground_troops", True)]
    assert t.counters == 1
    assert [(c.day, c.firm, c.claims, c.other) for c in t.counts] == [(D1, 1, 0, 0)]


def test_counts_move_when_a_reading_changes_kind_and_only_then() -> None:
    led = ledger(
        # claimed on D1 (a third-party report), firm once its own words come on D3
        entry(
            "a",
            "A",
            "air",
            ev("Press", "announced", stated=D1, party="third_party", basis="report"),
            ev("PM", "signed", stated=D3, start=9),
        ),
        # considering on D1, signalled on D2: still "other", no new point
        entry("b", "B", "air", ev("b1", "considering", stated=D1), ev("b2", "signalled", stated=D2, start=5)),
        # undated only: in no count
        entry("c", "C", "air", ev("c1", "signed", source="undated")),
        # two statements on the same day: the reading once the day is known (firm), never claimed
        entry(
            "d",
            "D",
            "air",
            ev("d1", "announced", stated=D2, party="third_party", basis="report"),
            ev("d2", "announced", stated=D2, start=5),
        ),
    )
    counts = counts_over_time(led.entries, led.source_dates())
    assert [(c.day, c.firm, c.claims, c.other) for c in counts] == [
        (D1, 0, 1, 1),
        (D2, 1, 1, 1),
        (D3, 2, 0, 1),
    ]
    t = build(led.entries, led.source_dates())
    assert t.uncounted == 1 and t.undated == 1


def test_a_day_on_which_readings_move_but_the_counts_do_not_adds_no_point() -> None:
    led = ledger(
        entry("p", "P", "air", ev("p1", "announced", stated=D1), ev("p2", "considering", stated=D3, start=5)),
        entry("q", "Q", "air", ev("q1", "considering", stated=D1), ev("q2", "announced", stated=D3, start=5)),
    )
    counts = counts_over_time(led.entries, led.source_dates())
    assert [(c.day, c.firm, c.claims, c.other) for c in counts] == [(D1, 1, 0, 1)]


def test_counts_agree_with_the_ledger_as_of_each_day_on_the_bundled_ledger() -> None:
    led = load(REPO / "data" / "pledges.toml", use_cache=False).ledger
    pledges = [e for e in led.entries if not e.is_counter]
    counts = counts_over_time(pledges, led.source_dates())
    assert len(counts) >= 2
    for c in counts:
        then = as_of(led, c.day, today=TODAY)
        readings = [e.status for e in then.ledger.entries if not e.is_counter]
        firm = sum(s in (Status.ANNOUNCED, Status.SIGNED) for s in readings)
        claims = sum(s is Status.CLAIMED for s in readings)
        assert (c.firm, c.claims, c.other) == (firm, claims, len(readings) - firm - claims), c.day


def test_an_empty_view_has_no_groups_and_no_counts() -> None:
    t = build([], {}, Grouping.ACTOR)
    assert (t.groups, t.counts, t.statements, t.first, t.last) == ((), (), 0, None, None)
    assert Grouping.ACTOR.other is Grouping.COMMITMENT and Grouping.COMMITMENT.other is Grouping.ACTOR
