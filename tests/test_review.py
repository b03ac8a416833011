"""The coding manual's mechanical checks (``pledgetui.review``): each warning, and what is not one."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgetui.model import Entry, Ledger, Source, Status
from pledgetui.review import CASE_ODDITIES, CUE_WORDS, Finding, cue_matches, cue_text, lowered, review, review_entry
from pledgetui.review import CUES as CUE_PATTERNS

FIRMER_THAN_CLAIMED = ("considering", "signalled", "announced", "signed")


def statement(quote: str = "Ruritania will open a logistics hub.", **stance: Any) -> dict[str, Any]:
    return {
        "source": "c1", "claimant": "Ruritanian government", "party": "first_party", "basis": "statement",
        "status": "announced", "quote": quote, "start": 0, "end": len(quote), **stance,
    }  # fmt: skip


def entry(*statements: dict[str, Any], entry_id: str = "rur") -> Entry:
    return Entry(id=entry_id, actor="Ruritania", commitment="other", summary="s", evidence=list(statements))


def findings(*statements: dict[str, Any]) -> list[tuple[int, str]]:
    return [(f.statement, f.what) for f in review_entry(entry(*statements))]


def test_a_plain_first_party_statement_has_no_finding() -> None:
    for status in Status:
        assert findings(statement(status=status.value)) == []


# --------------------------------------------------------------------------- unverified bases


@pytest.mark.parametrize("basis", ["partisan", "report", "document", "anonymous"])
@pytest.mark.parametrize("status", FIRMER_THAN_CLAIMED)
def test_an_unverified_basis_coded_firmer_than_claimed_is_flagged(basis: str, status: str) -> None:
    [(n, what)] = findings(statement(basis=basis, status=status))
    assert n == 1
    assert f"basis {basis}" in what and status in what and "at most 'claimed'" in what


@pytest.mark.parametrize("basis", ["partisan", "report", "document", "anonymous"])
@pytest.mark.parametrize("status", ["claimed", "declined"])
def test_an_unverified_basis_coded_claimed_or_declined_is_not_flagged(basis: str, status: str) -> None:
    assert findings(statement(basis=basis, status=status)) == []


@pytest.mark.parametrize("basis", ["statement", "paraphrase"])
def test_an_on_record_basis_may_be_coded_firm(basis: str) -> None:
    assert findings(statement(basis=basis, status="signed")) == []


# --------------------------------------------------------------------------- third parties


@pytest.mark.parametrize("status", FIRMER_THAN_CLAIMED)
def test_a_third_party_statement_coded_other_than_claimed_or_declined_is_flagged(status: str) -> None:
    [(n, what)] = findings(statement(party="third_party", claimant="Another state", status=status))
    assert n == 1
    assert "Another state is a third party to Ruritania" in what and status in what


@pytest.mark.parametrize("status", ["claimed", "declined"])
def test_a_third_party_claim_or_refusal_is_not_flagged(status: str) -> None:
    assert findings(statement(party="third_party", status=status)) == []


def test_a_third_party_partisan_statement_coded_firm_gets_both_findings() -> None:
    found = findings(statement(party="third_party", basis="partisan", status="announced"))
    assert [n for n, _ in found] == [1, 1]
    assert "basis partisan" in found[0][1] and "third party" in found[1][1]


# --------------------------------------------------------------------------- cue words


CUES = [
    # (quote, firmest status allowed, a status that is too firm)
    ("Ruritania would consider sending troops.", "considering", "signalled"),
    ("Ruritania could consider sending troops.", "considering", "announced"),
    ("Ruritania is ready to deploy an air wing.", "signalled", "announced"),
    ("Ruritania is willing to deploy an air wing.", "signalled", "signed"),
    ("Ruritania is prepared to deploy an air wing.", "signalled", "announced"),
    ("Ruritania is said to be sending engineers.", "claimed", "considering"),
    ("Ruritania has reportedly sent engineers.", "claimed", "announced"),
    ("According to diplomats, Ruritania will send engineers.", "claimed", "announced"),
    ("Ruritania has allegedly sent engineers.", "claimed", "signalled"),
    ("Ruritania and other countries said they would participate in rebuilding.", "signalled", "announced"),
    ("Ruritania said it would send engineers.", "signalled", "signed"),
    ("The signing paves the way for Ruritanian forces to operate.", "signalled", "announced"),
]


@pytest.mark.parametrize(("quote", "cap", "too_firm"), CUES)
def test_a_cue_word_caps_the_status(quote: str, cap: str, too_firm: str) -> None:
    [(n, what)] = findings(statement(quote, status=too_firm))
    assert n == 1
    assert f"at most '{cap}'" in what and f"coded {too_firm}" in what
    assert findings(statement(quote, status=cap)) == []
    assert findings(statement(quote, status="declined")) == []


def test_the_cue_is_read_in_the_right_statement() -> None:
    found = findings(statement(status="announced"), statement("Ruritania is ready to deploy.", status="announced"))
    assert [n for n, _ in found] == [2]


@pytest.mark.parametrize("basis", ["statement", "anonymous"])
def test_not_prepared_to_coded_declined_is_not_flagged(basis: str) -> None:
    quote = "Ruritanian officials are not prepared to station their own troops."
    assert findings(statement(quote, basis=basis, status="declined")) == []


def test_said_would_consider_or_would_not_is_not_capped_at_signalled_by_the_would_cue() -> None:
    assert findings(statement("Ruritania said it would not send troops.", status="declined")) == []
    assert findings(statement("Ruritania said it would consider troops.", status="considering")) == []
    assert findings(statement("Ruritania said it will deploy an air wing.", status="announced")) == []


# --------------------------------------------------------------------------- declined or considering


WAITING_QUOTES = [
    "Ruritania insisted it needed clarity about the US role before committing troops.",
    "Ruritania said any decision on a military role depends on the guarantees.",
    "Ruritania will wait until a ceasefire holds.",
]


@pytest.mark.parametrize("quote", WAITING_QUOTES)
def test_a_decision_waiting_on_something_coded_declined_is_flagged(quote: str) -> None:
    [(n, what)] = findings(statement(quote, status="declined"))
    assert n == 1 and "coded declined" in what and "'considering'" in what
    assert [f.where for f in review_entry(entry(statement(quote, status="declined")))] == ["rur statement 1"]
    assert findings(statement(quote, status="considering")) == []


@pytest.mark.parametrize(
    "quote",
    [
        "Ruritanian officials are not prepared to station troops before a deal.",
        "Ruritania has never committed troops until now.",
        "Ruritania ruled out troops before any settlement.",
        "Ruritania won't commit troops before a deal.",
    ],
)
def test_a_refusal_that_names_what_it_waits_for_may_be_declined(quote: str) -> None:
    assert findings(statement(quote, status="declined")) == []


# --------------------------------------------------------------------------- forecasts


@pytest.mark.parametrize(
    "quote",
    [
        "The deputy gave a breakdown of the anticipated troop contributions, naming Ruritania.",
        "He speculated that Ruritania could soon send 5,000 soldiers.",
        "Ruritania is expected to send engineers.",
    ],
)
def test_a_forecast_coded_unconditional_is_flagged(quote: str) -> None:
    claim = {"party": "third_party", "basis": "paraphrase", "status": "claimed"}
    found = review_entry(entry(statement(), statement(quote, conditions=[], **claim)))
    assert [(f.where, "forecast" in f.what) for f in found] == [("rur statement 2", True)]
    assert findings(statement(), statement(quote, **claim)) == []  # silent on conditions: fine
    assert findings(statement(), statement("Troops are already being deployed.", conditions=[], **claim)) == []


# --------------------------------------------------------------------------- what the reading rests on


def entry_with(*statements: dict[str, Any], entry_id: str = "rur", **fields: Any) -> Entry:
    return Entry(
        id=entry_id, actor=fields.pop("actor", "Ruritania"), commitment=fields.pop("commitment", "ground_troops"),
        summary="s",
        evidence=list(statements), **fields,
    )  # fmt: skip


def test_a_condition_of_a_statement_the_reading_rests_on_missing_from_the_entry_is_flagged() -> None:
    p = entry_with(
        statement(conditions=["peace_deal"]),
        statement(conditions=["peace_deal", "us_backstop"], basis="paraphrase"),
        conditions=["peace_deal"],
    )
    [found] = review_entry(p)
    assert found.where == "rur statement 2"
    assert "states peace_deal, us_backstop" not in found.what and "us_backstop" in found.what
    assert review_entry(p.model_copy(update={"conditions": ("peace_deal", "us_backstop")})) == []


def test_a_claim_s_conditions_rest_on_every_statement_tied_with_the_chosen_one() -> None:
    brief = {"claimant": "Brief", "party": "third_party", "basis": "partisan", "status": "claimed"}
    p = entry_with(statement(**brief), statement(conditions=["peace_deal"], **brief))
    assert [f.where for f in review_entry(p)] == ["rur statement 2"]
    assert review_entry(p.model_copy(update={"conditions": ("peace_deal",)})) == []


def test_an_entry_condition_only_another_speaker_states_is_flagged() -> None:
    p = entry_with(
        statement(conditions=["peace_deal"]),
        statement(conditions=["ceasefire"], claimant="Author", party="third_party", basis="report", status="claimed"),
        conditions=["peace_deal", "ceasefire"],
    )
    [found] = review_entry(p)
    assert found.where == "rur statement 1"
    assert "ceasefire" in found.what and "(statement 1)" in found.what
    assert review_entry(p.model_copy(update={"conditions": ("peace_deal",)})) == []
    # a statement the reading rests on that is silent on conditions reads as the entry's: no finding
    silent = entry_with(statement(), statement(conditions=["peace_deal"]), conditions=["peace_deal", "ceasefire"])
    assert review_entry(silent) == []


def test_provides_on_another_commitment_or_on_a_claim_is_flagged() -> None:
    claim = statement(claimant="Draft", party="third_party", basis="document", status="claimed")
    us = {"actor": "United States", "us_backstop": "provides"}
    p = entry_with(claim, commitment="ceasefire_monitoring", **us)
    assert [f.where for f in review_entry(p)] == ["rur", "rur statement 1"]
    own = entry_with(statement(), commitment="backstop", **us)
    assert review_entry(own) == []
    assert [f.where for f in review_entry(entry_with(claim, commitment="backstop", **us))] == ["rur statement 1"]
    assert review_entry(p.model_copy(update={"us_backstop": "unknown"})) == []


def test_an_entry_resting_only_on_statements_a_partisan_source_relays_needs_a_relayed_note() -> None:
    sources = (Source(id="c1", file="c1.txt", title="Partisan"), Source(id="c2", file="c2.txt", title="Other"))
    own_voice = entry_with(
        statement(claimant="Outlet", party="third_party", basis="partisan", status="claimed"), entry_id="outlet"
    )
    relayed = entry_with(
        statement(relayed_by="Outlet"), statement(relayed_by="Outlet", basis="paraphrase"), entry_id="relayed"
    )
    ledger = Ledger(sources=sources, entries=(own_voice, relayed))
    [found] = review(ledger)
    assert found.where == "relayed statement 1"
    assert "statements 1, 2, relayed by Outlet" in found.what and "'Relayed:'" in found.what
    noted = relayed.model_copy(update={"notes": "Relayed: both statements reach us through the outlet."})
    assert review(ledger.model_copy(update={"entries": (own_voice, noted)})) == []
    # not flagged: one statement the reading rests on is direct, the source is not partisan, or nothing is relayed
    mixed = relayed.model_copy(
        update={"evidence": (relayed.evidence[0], relayed.evidence[1].model_copy(update={"relayed_by": ""}))}
    )
    assert [f.what for f in review(ledger.model_copy(update={"entries": (own_voice, mixed)}))] == [
        NO_RELAY.format(claimant="Ruritanian government", basis="paraphrase")
    ]  # not the note: only that the direct-looking statement of a partisan source names no relay
    elsewhere = own_voice.model_copy(update={"evidence": (own_voice.evidence[0].model_copy(update={"source": "c2"}),)})
    assert review(ledger.model_copy(update={"entries": (elsewhere, relayed)})) == []
    # a relayed statement the reading does not rest on is not enough
    claim = statement(relayed_by="Outlet", claimant="Outlet", party="third_party", status="claimed")
    direct = entry_with(statement(), claim, entry_id="direct")
    assert [f.where for f in review(ledger.model_copy(update={"entries": (own_voice, direct)}))] == [
        "direct statement 1"  # the relay it names no relay for, not the note
    ]
    noted_not = relayed.model_copy(update={"notes": "Not Relayed: they spoke to us directly."})
    assert [f.where for f in review(ledger.model_copy(update={"entries": (own_voice, noted_not)}))] == [
        "relayed statement 1"
    ]  # "Not Relayed:" is not the note


NO_RELAY = (
    "{claimant}'s words ({basis}) reach us only through c1, a partisan source (it has statements in its own "
    "voice), but the statement names no relay; set relayed_by to who passes them on"
)


@pytest.mark.parametrize("basis", ["statement", "paraphrase", "anonymous", "document"])
def test_someone_else_s_words_in_a_partisan_source_must_name_their_relay(basis: str) -> None:
    sources = (Source(id="c1", file="c1.txt", title="Partisan"), Source(id="c2", file="c2.txt", title="Other"))
    own_voice = entry_with(
        statement(claimant="Outlet", party="third_party", basis="partisan", status="claimed"), entry_id="outlet"
    )
    status = "claimed" if basis in ("anonymous", "document") else "announced"
    quoted = entry_with(statement(), statement(basis=basis, status=status), entry_id="quoted")
    ledger = Ledger(sources=sources, entries=(own_voice, quoted))
    findings = [f for f in review(ledger) if "names no relay" in f.what]
    assert [f.where for f in findings] == ["quoted statement 1", "quoted statement 2"]
    assert findings[1].what == NO_RELAY.format(claimant="Ruritanian government", basis=basis)
    # named relays, the outlet's own assertions, or a source that is not partisan: nothing to say
    named = quoted.model_copy(
        update={"evidence": tuple(ev.model_copy(update={"relayed_by": "Outlet"}) for ev in quoted.evidence)}
    )
    assert not [
        f for f in review(ledger.model_copy(update={"entries": (own_voice, named)})) if "names no relay" in f.what
    ]
    report = entry_with(statement(claimant="Outlet", party="third_party", basis="report", status="claimed"))
    assert review(ledger.model_copy(update={"entries": (own_voice, report)})) == []
    elsewhere = own_voice.model_copy(update={"evidence": (own_voice.evidence[0].model_copy(update={"source": "c2"}),)})
    assert review(ledger.model_copy(update={"entries": (elsewhere, quoted)})) == []


# --------------------------------------------------------------------------- both ways, no date


def test_undated_authoritative_statements_pointing_both_ways_are_flagged_on_the_entry() -> None:
    found = review_entry(entry(statement(status="announced"), statement(status="declined")))
    assert found == [Finding("rur", 0, found[0].what)]
    assert "both ways" in found[0].what
    assert str(found[0]).startswith("rur: ")


@pytest.mark.parametrize(
    "statements",
    [
        # a date orders them: the dated one is the later
        (statement(status="announced"), statement(status="declined", stated=dt.date(2026, 1, 5))),
        (
            statement(status="announced", stated=dt.date(2026, 1, 6)),
            statement(status="declined", stated=dt.date(2026, 1, 5)),
        ),
        # the same direction
        (statement(status="announced"), statement(status="signalled")),
        (statement(status="declined"), statement(status="declined", basis="paraphrase")),
        # only one of them is the actor's own words on the record
        (statement(status="announced"), statement(status="declined", party="third_party")),
        (statement(status="announced"), statement(status="declined", basis="anonymous")),
    ],
    ids=["one dated", "both dated", "same direction", "both declined", "third party", "anonymous"],
)
def test_statements_a_date_orders_or_that_agree_are_not_flagged(statements: tuple[dict[str, Any], ...]) -> None:
    assert review_entry(entry(*statements)) == []


def test_an_article_date_orders_statements_of_different_articles() -> None:
    sources = (
        Source(id="c1", file="c1.txt", title="One", date="2026-01-05"),
        Source(id="c2", file="c2.txt", title="Two"),
    )
    p = entry(statement(status="announced"), statement(status="declined", source="c2"))
    ledger = Ledger(sources=sources, entries=(p,))
    assert review(ledger) == []
    assert ledger.entries[0].status is Status.ANNOUNCED  # the dated article is the later one


def test_statements_of_one_dated_article_pointing_both_ways_are_flagged() -> None:
    sources = (Source(id="c1", file="c1.txt", title="One", date="2026-01-05"),)
    ledger = Ledger(sources=sources, entries=(entry(statement(status="announced"), statement(status="declined")),))
    assert [f.statement for f in review(ledger)] == [0]


# --------------------------------------------------------------------------- the ledger


def test_review_lists_findings_entry_by_entry_in_ledger_order() -> None:
    ledger = Ledger(
        sources=(Source(id="c1", file="c1.txt", title="One"),),
        entries=(
            entry(statement(), statement(basis="report", status="announced"), entry_id="b-second"),
            entry(statement(), entry_id="clean"),
            entry(statement(party="third_party", status="signed"), entry_id="a-first"),
        ),
    )
    assert [f.where for f in review(ledger)] == ["b-second statement 2", "a-first statement 1"]


def test_an_invisible_format_character_in_a_name_is_flagged() -> None:
    ledger = Ledger(
        sources=(Source(id="c1", file="c1.txt", title="One"),),
        entries=(entry(statement(claimant="Ruritanian\u200b government")),),
    )
    [finding] = review(ledger)
    assert finding.where == "entry rur statement 1 claimant"
    assert "U+200B ZERO WIDTH SPACE" in finding.what and "'Ruritanian government'" in finding.what
    # the same name without the invisible character is no finding
    clean = Ledger(sources=ledger.sources, entries=(entry(statement(claimant="Ruritanian government")),))
    assert review(clean) == []


# --------------------------------------------------------------------------- the cue words' shortcut


def test_case_oddities_name_every_character_that_lower_does_not_turn_into_a_cue_letter() -> None:
    """Over all of Unicode: any character that case-insensitive matching pairs with a character
    of a cue word becomes that character under ``str.lower``, or is one of CASE_ODDITIES (so a
    quote without one of those shows every cue it holds in its lower-case form)."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = {ch for words in CUE_WORDS for word in words for ch in word if ch.isalpha()}
    others: set[str] = set()
    for ch in sorted({ch for words in CUE_WORDS for word in words for ch in word}):
        for m in re.finditer(re.escape(ch), every, re.IGNORECASE):
            found = m.group()
            assert found.lower() == ch or found in CASE_ODDITIES, (ch, found)
            if found != ch:
                others.add(found)
    # the check saw each letter's capital, and needs every odd letter it names
    assert {ch.upper() for ch in letters} | set(CASE_ODDITIES) <= others


def test_every_cue_has_its_words() -> None:
    assert len(CUE_WORDS) == len(CUE_PATTERNS)
    for words in CUE_WORDS:
        assert words and all(w == w.lower() for w in words)


CUE_PIECES = st.sampled_from(
    [
        "would consider", "Could CONSIDER", "may  consider", "ready to", "not ready to", "already to",
        "willing to", "prepared\u00a0to", "READINESS", "willingness", "is said to", "WERE SAID TO",
        "is said  to", "reportedly", "according to", "Allegedly", "speculated", "\u0130s said to",
        "is \u017faid to", "\u017fpeculated", "wi\u0131lingness", "readine\u017f\u017f", "\u212a", "not ",
        "\u2019", "\u2014", " ", "\n", "x", "_", "\u0301", "said they would", "said it would consider",
        "SAID HE WOULD", "paves the way", "paved  the way", "pave the \u017fway",
    ]
)  # fmt: skip
CUE_QUOTES = st.lists(st.one_of(CUE_PIECES, st.text(max_size=4)), min_size=1, max_size=8).map("".join).filter(bool)


@settings(max_examples=400, deadline=None)
@given(CUE_QUOTES, st.sampled_from(list(Status)))
def test_property_the_word_shortcut_finds_what_the_patterns_find(quote: str, status: Status) -> None:
    """For any quote and status, the findings are exactly those of running every pattern on the quote."""
    lower = lowered(quote)
    for (pattern, _, _), words in zip(CUE_PATTERNS, CUE_WORDS):
        assert cue_matches(pattern, words, quote, lower) == (pattern.search(quote) is not None)
    expected = [
        (1, f"the quote says {why}, which is at most '{cap.value}', but the statement is coded {status.value}")
        for pattern, cap, why in CUE_PATTERNS
        if pattern.search(cue_text(quote)) and status is not Status.DECLINED and status.strength > cap.strength
    ]
    assert findings(statement(quote, status=status.value)) == expected


@pytest.mark.parametrize(
    ("quote", "status", "conditions"),
    [
        ("The coalition could\nsoon swell.", "claimed", []),  # a hard-wrapped article
        ("The deputy gave the antici\u00adpated contributions.", "claimed", []),  # a soft hyphen
        ("Ruritania said they\u00a0would participate.", "announced", None),  # a no-break space
        ("The signing paves  the way for forces.", "announced", None),  # a double space
        ("Its decision depends\non the guarantees.", "declined", None),
    ],
)
def test_cues_read_the_words_whatever_the_white_space_between_them(
    quote: str, status: str, conditions: list[str] | None
) -> None:
    """The verifier accepts a quote whose white space differs from one space; the cues must
    read it as it reads."""
    stance: dict[str, Any] = {"status": status}
    if conditions is not None:
        stance["conditions"] = conditions
    if status == "claimed":
        stance.update(party="third_party", claimant="Deputy")
    assert findings(statement(quote, **stance)), quote


def test_provides_is_only_for_the_united_states() -> None:
    own = statement(claimant="Élysée")
    found = review_entry(entry_with(own, commitment="backstop", us_backstop="provides", actor="France"))
    assert [f.where for f in found] == ["rur"] and "United States" in found[0].what
    assert review_entry(entry_with(own, commitment="backstop", us_backstop="provides", actor="United States")) == []


# --------------------------------------------------------------------------- dates


def test_a_statement_dated_after_its_article_or_after_today_is_flagged() -> None:
    article = dt.date(2026, 1, 7)
    dated = entry(statement(stated="2026-03-01"))
    (f,) = review_entry(dated, {"c1": article})
    assert (f.statement, "after its article's date 2026-01-07" in f.what) == (1, True)
    assert review_entry(entry(statement(stated="2026-01-07")), {"c1": article}) == []  # its own day is fine
    assert review_entry(entry(statement(stated="2026-01-06")), {"c1": article}) == []
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    (g,) = review_entry(entry(statement(stated=future)), {"c1": None})
    assert "a day still to come" in g.what
