"""The derived reading of an entry (``model.derive_stance``, docs/coding.md section 1).

1. The authoritative statements are first party and on the record (statement or paraphrase).
2. If there are any, the latest decides (``stated``, else the article's date; undated is older
   than any date); ties go to the firmest (declined lowest), then the first listed.
3. Otherwise the entry is a claim: the firmest statement decides, then one on the record, then
   the latest, then the first listed; the status is ``claimed``, or ``declined`` for a refusal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pledgetui import edits
from pledgetui.dating import Interval
from pledgetui.model import (
    Basis,
    Entry,
    Evidence,
    Ledger,
    Party,
    Source,
    Stance,
    Status,
    derive_stance,
)
from pledgetui.session import EditSession
from tests.factory import restance, write_ledger

D1, D2, D3 = dt.date(2026, 1, 1), dt.date(2026, 1, 5), dt.date(2026, 1, 9)


def ev(claimant: str, status: str, *, source: str = "s1", party: str = "first_party", basis: str = "statement",
       stated: dt.date | None = None) -> Evidence:  # fmt: skip
    return Evidence(
        source=source, claimant=claimant, party=party, basis=basis, status=status, stated=stated,
        quote=f"{claimant} words", start=0, end=10,
    )  # fmt: skip


def derive(*evidence: Evidence, dates: dict[str, dt.date | None] | None = None) -> Stance:
    return derive_stance(tuple(evidence), dates or {})


def claim(claimant: str, status: str = "claimed", **kw: Any) -> Evidence:
    return ev(claimant, status, party="third_party", basis=kw.pop("basis", "report"), **kw)


# --------------------------------------------------------------------------- authoritative statements


def test_the_latest_authoritative_statement_wins_whatever_its_place_or_firmness() -> None:
    older, newer = ev("Old", "signed", stated=D1), ev("New", "declined", stated=D2)
    for order in ((older, newer), (newer, older)):
        stance = derive(*order)
        assert (stance.status, stance.claimant, stance.date) == (Status.DECLINED, "New", D2)
        assert stance.authoritative and order[stance.index] is newer


def test_without_a_stated_date_the_article_s_date_counts() -> None:
    a, b = ev("A", "signed", source="s1"), ev("B", "considering", source="s2")
    assert derive(a, b, dates={"s1": D1, "s2": D2}).claimant == "B"
    assert derive(a, b, dates={"s1": D3, "s2": D2}).claimant == "A"
    # A stated day outranks a statement its article's date only bounds, even a later article's:
    # the bounded one may be far older (docs/coding.md, "Dates").
    assert (
        derive(a, ev("B", "considering", source="s2", stated=dt.date(2025, 12, 1)), dates={"s1": D1, "s2": D2}).claimant
        == "B"
    )


def test_the_article_s_date_comes_from_the_ledger() -> None:
    p = Entry(id="p", actor="A", commitment="air", summary="s",
               evidence=[ev("A", "signed", source="s1"), ev("B", "considering", source="s2")])  # fmt: skip
    sources = (Source(id="s1", file="a.txt", title="t", date=D1), Source(id="s2", file="b.txt", title="t", date=D2))
    ledger = Ledger(sources=sources, entries=(p,))
    got = ledger.entries[0]
    assert (got.status, got.claimant, got.date_span) == (Status.CONSIDERING, "B", Interval(None, D2))
    assert got.date_stated is None  # the article's date bounds the statement; it states no day
    # The same entry outside a ledger knows no article dates: both undated, the firmest wins.
    alone = Entry.model_validate(p.model_dump())
    assert (alone.status, alone.claimant, alone.date_stated) == (Status.SIGNED, "A", None)


def test_an_undated_statement_counts_as_older_than_any_dated_one() -> None:
    stance = derive(ev("Undated", "signed"), ev("Dated", "considering", stated=dt.date(1990, 1, 1)))
    assert (stance.status, stance.claimant, stance.date) == (Status.CONSIDERING, "Dated", dt.date(1990, 1, 1))


def test_a_tie_goes_to_the_firmest_and_declined_ranks_lowest() -> None:
    assert derive(ev("A", "signalled", stated=D1), ev("B", "signed", stated=D1)).claimant == "B"
    assert derive(ev("A", "declined", stated=D1), ev("B", "considering", stated=D1)).status is Status.CONSIDERING
    assert derive(ev("A", "declined"), ev("B", "claimed")).status is Status.CLAIMED  # undated ties too


def test_then_the_first_listed() -> None:
    assert derive(ev("First", "announced", stated=D1), ev("Second", "announced", stated=D1)).claimant == "First"
    assert derive(ev("First", "announced"), ev("Second", "announced")).index == 0


def test_non_authoritative_statements_are_ignored_when_an_authoritative_one_exists() -> None:
    stance = derive(
        claim("Reporter", stated=D3),
        ev("Anonymous officials", "signed", basis="anonymous", stated=D3),
        ev("Minister", "considering", basis="paraphrase", stated=D1),
    )
    assert (stance.status, stance.claimant, stance.index, stance.authoritative) == (
        Status.CONSIDERING,
        "Minister",
        2,
        True,
    )


# --------------------------------------------------------------------------- claims


def test_without_an_authoritative_statement_the_entry_is_claimed_even_if_coded_firmer() -> None:
    for statement in (
        ev("Other state", "signed", party="third_party"),
        ev("Partisan brief", "announced", party="third_party", basis="partisan"),
        ev("Draft (seen by AFP)", "signed", basis="document"),
        ev("Officials (unnamed)", "announced", basis="anonymous"),
        ev("The author", "signalled", basis="report"),
    ):
        stance = derive(statement)
        assert stance.status is Status.CLAIMED, statement
        assert not stance.authoritative and stance.claimant == statement.claimant


def test_a_claim_takes_the_firmest_statement_s_claimant() -> None:
    stance = derive(claim("Weak", stated=D3), claim("Firm", "announced", basis="paraphrase", stated=D1))
    assert (stance.status, stance.claimant, stance.date) == (Status.CLAIMED, "Firm", D1)


def test_a_refusal_claimed_by_others_is_declined_unless_a_firmer_claim_exists() -> None:
    stance = derive(claim("Reporter", "declined"))
    assert (stance.status, stance.claimant) == (Status.DECLINED, "Reporter")
    assert (
        derive(claim("Reporter", "declined"), ev("Officials", "declined", basis="anonymous")).status is Status.DECLINED
    )
    assert derive(claim("Refuser", "declined", stated=D3), claim("Claimer", stated=D1)).status is Status.CLAIMED


def test_ties_among_claims_prefer_on_the_record_then_the_latest_then_the_first() -> None:
    on_record = derive(claim("Partisan", basis="partisan", stated=D3), claim("Named", basis="paraphrase", stated=D1))
    assert on_record.claimant == "Named"
    latest = derive(claim("Older", basis="statement", stated=D1), claim("Newer", basis="statement", stated=D2))
    assert latest.claimant == "Newer"
    dated = derive(claim("Undated", basis="report"), claim("Dated", basis="report", stated=D1))
    assert dated.claimant == "Dated"
    via_article = derive(claim("In s1", source="s1"), claim("In s2", source="s2"), dates={"s1": D2, "s2": D1})
    assert via_article.claimant == "In s1"
    first = derive(claim("First", basis="report"), claim("Second", basis="report"))
    assert first.claimant == "First"


NON_AUTHORITATIVE = st.one_of(
    st.builds(lambda b: (Party.THIRD_PARTY, b), st.sampled_from(Basis)),
    st.builds(lambda b: (Party.FIRST_PARTY, b), st.sampled_from([b for b in Basis if not b.on_record])),
)


@st.composite
def claims(draw: st.DrawFn) -> list[Evidence]:
    out = []
    for i in range(draw(st.integers(1, 6))):
        party, basis = draw(NON_AUTHORITATIVE)
        statement = Evidence(
            source=draw(st.sampled_from(["s1", "s2"])), claimant=f"c{i}", party=party, basis=basis,
            status=draw(st.sampled_from(Status)), stated=draw(st.none() | st.dates()),
            quote="q", start=0, end=1,
        )  # fmt: skip
        out.append(statement)
    return out


@settings(max_examples=300, deadline=None)
@given(claims(), st.none() | st.dates(), st.none() | st.dates())
def test_property_third_party_statements_never_make_an_entry_firmer_than_claimed(
    evidence: list[Evidence], d1: dt.date | None, d2: dt.date | None
) -> None:
    stance = derive_stance(tuple(evidence), {"s1": d1, "s2": d2})
    assert stance.status in (Status.CLAIMED, Status.DECLINED)
    assert not stance.authoritative
    # Declined only when every statement reports a refusal: any claim ranks above a refusal.
    assert (stance.status is Status.DECLINED) == all(e.status is Status.DECLINED for e in evidence)
    assert evidence[stance.index].claimant == stance.claimant


# --------------------------------------------------------------------------- the reading follows edits


def test_the_stance_follows_an_edit_in_a_session(tmp_path) -> None:
    path = write_ledger(tmp_path / "ledger")
    session = EditSession.open(path)
    try:
        uk = session.ledger.entry("uk-ground")
        assert (uk.status, uk.claimant) == (Status.SIGNED, "Downing Street statement")
        session.put_entry(restance(uk, status="declined", claimant="Prime Minister"))
        got = session.ledger.entry("uk-ground")
        assert (got.status, got.claimant) == (Status.DECLINED, "Prime Minister")

        # A later statement replacing the only one: the entry follows it, date included.
        later = got.evidence[0].model_copy(
            update={"status": Status.ANNOUNCED, "claimant": "Defence Secretary", "stated": D3}
        )
        session.replace_evidence("uk-ground", 0, later)
        got = session.ledger.entry("uk-ground")
        assert (got.status, got.claimant, got.date_stated) == (Status.ANNOUNCED, "Defence Secretary", D3)

        # A third-party claim added next to it changes nothing; removing the first-party one makes it a claim.
        rumour = got.evidence[0].model_copy(
            update={"claimant": "Reporter", "party": Party.THIRD_PARTY, "basis": Basis.REPORT, "status": Status.SIGNED}
        )
        session.add_evidence("uk-ground", rumour)
        assert session.ledger.entry("uk-ground").status is Status.ANNOUNCED
        session.remove_evidence("uk-ground", 0)
        got = session.ledger.entry("uk-ground")
        assert (got.status, got.claimant) == (Status.CLAIMED, "Reporter")

        session.undo()
        session.undo()
        assert session.ledger.entry("uk-ground").claimant == "Defence Secretary"
        session.save()
        reloaded = EditSession.open(path)
        try:
            assert reloaded.ledger.entry("uk-ground").stance == session.ledger.entry("uk-ground").stance
        finally:
            reloaded.close()
    finally:
        session.close()


def test_replace_evidence_returns_an_entry_with_the_new_reading() -> None:
    p = Entry(id="p", actor="A", commitment="air", summary="s", evidence=[ev("A", "signed", stated=D1)])
    ledger = Ledger(sources=(Source(id="s1", file="a.txt", title="t"),), entries=(p,))
    new = edits.replace_evidence(ledger, "p", 0, ev("B", "declined", stated=D2))
    assert (new.status, new.claimant, new.date_stated) == (Status.DECLINED, "B", D2)
    assert ledger.entries[0].status is Status.SIGNED


def _dated_ledger() -> Ledger:
    p = Entry(id="p", actor="A", commitment="air", summary="s",
               evidence=[ev("In s1", "signed", source="s1"), ev("In s2", "declined", source="s2")])  # fmt: skip
    sources = (Source(id="s1", file="a.txt", title="t", date=D1), Source(id="s2", file="b.txt", title="t", date=D2))
    return Ledger(sources=sources, entries=(p,))


def test_a_ledger_copy_with_new_source_dates_re_derives_the_reading() -> None:
    ledger = _dated_ledger()
    assert (ledger.entries[0].claimant, ledger.entries[0].date_span.hi) == ("In s2", D2)
    s1, s2 = ledger.sources
    copy = ledger.model_copy(update={"sources": (s1.model_copy(update={"date": D3}), s2)})
    assert (copy.entries[0].status, copy.entries[0].claimant, copy.entries[0].date_span.hi) == (
        Status.SIGNED,
        "In s1",
        D3,
    )
    undated = ledger.model_copy(update={"sources": (s1.model_copy(update={"date": None}), s2)})
    assert (undated.entries[0].claimant, undated.entries[0].date_span.hi) == ("In s2", D2)


def test_a_ledger_copy_with_new_source_dates_leaves_the_original_alone() -> None:
    ledger = _dated_ledger()
    s1, s2 = ledger.sources
    ledger.model_copy(update={"sources": (s1.model_copy(update={"date": D3}), s2)})
    assert (ledger.entries[0].claimant, ledger.entries[0].date_span.hi) == ("In s2", D2)
