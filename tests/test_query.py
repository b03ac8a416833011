"""The query syntax shared by the filter bar and the command line, and the index behind it."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgetui.model import Status
from pledgetui.query import Index, QueryError, parse_query, parse_sort, select_entries
from tests.factory import small_ledger


def ids(query: str, sort: str = "") -> list[str]:
    return [p.id for p in select_entries(small_ledger(), query, sort)]


def test_free_text_field_filters_or_and_negation() -> None:
    assert ids("country:france") == ["france-ground"]
    assert ids("status:signed,considering -country:united") == ["france-ground", "ireland-ground"]
    assert ids("kind:counter") == ["russia-mfa"]
    assert ids("-kind:counter") == ["uk-ground", "france-ground", "ireland-ground"]
    assert ids("condition:legal") == ["uk-ground"]
    assert ids("source:a003") == ["ireland-ground", "russia-mfa"]
    assert ids('"as part of"') == ["ireland-ground"]
    assert ids("peace -ireland") == ["uk-ground", "france-ground"]


def test_id_matches_the_start_of_an_id_and_id_equals_the_whole() -> None:
    assert ids("id:ireland") == ["ireland-ground"]
    assert ids("id:IRELAND-ground") == ["ireland-ground"]
    assert ids("id:ground") == []  # the start, not any part: ids share their commitment words
    assert ids("id=ireland") == []
    assert ids("id=ireland-ground") == ["ireland-ground"]


def test_apostrophes_are_ordinary_characters() -> None:
    terms = parse_query("Europe's it's").terms
    assert [t.values for t in terms] == [("europe's",), ("it's",)]


def test_quoted_value_keeps_commas_and_exact_match() -> None:
    (term,) = parse_query('actor="Korea, Republic of"').terms
    assert term.field == "actor" and term.exact and term.values == ("korea, republic of",)
    assert ids('actor="United Kingdom"') == ["uk-ground"]
    assert ids('actor="United"') == []  # exact, not a part
    assert ids("actor:united") == ["uk-ground"]  # ':' is a part
    (escaped,) = parse_query(r'claimant="say \"hi\""').terms
    assert escaped.values == ('say "hi"',)


def test_vocabulary_prefixes_and_ambiguity() -> None:
    assert parse_query("status:signe").terms[0].values == (Status.SIGNED,)
    with pytest.raises(QueryError, match="ambiguous"):
        parse_query("status:sign")


@pytest.mark.parametrize(
    "bad, words",
    [
        ("foo:bar", "unknown field 'foo'"),
        ("status:zzz", "zzz"),
        ('"open', "not closed"),
        ("status:", "give a value"),
        (":", "field name"),
        ("--status:signed", "'--'"),
        ("kind:maybe", "kind:pledge or kind:counter"),
    ],
)
def test_bad_queries_say_what_is_wrong(bad: str, words: str) -> None:
    with pytest.raises(QueryError, match=words):
        parse_query(bad)


def test_sort_is_stable_and_multi_key() -> None:
    ledger = small_ledger()
    order = {p.id: i for i, p in enumerate(ledger.entries)}
    rows = select_entries(ledger, "", "status")
    for a, b in itertools.pairwise(rows):
        assert a.status.strength < b.status.strength or (a.status == b.status and order[a.id] < order[b.id])
    assert [p.id for p in select_entries(ledger, "", "-status,actor")][:2] == ["france-ground", "uk-ground"]
    with pytest.raises(QueryError, match="cannot sort by"):
        parse_sort("colour")


def test_derived_index_reuses_unchanged_search_text() -> None:
    ledger = small_ledger()
    index = Index(ledger)
    _ = index.haystacks
    edited = ledger.entries[0].model_copy(update={"summary": "zebra"})
    new_ledger = ledger.model_copy(update={"entries": (edited, *ledger.entries[1:])})
    derived = index.derive(new_ledger)
    assert derived.haystacks[1] is index.haystacks[1]
    assert b"zebra" in derived.haystacks[0]
    assert derived.view("zebra") == [edited]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_either_parses_or_raises_query_error(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError:
        return
    Index(small_ledger()).filter(query)  # never anything but a QueryError


# --------------------------------------------------------------------------- statements


def _two_claimant_ledger():
    from pledgetui.articlefile import read_article
    from tests.factory import ARTICLE_002, SEEDS, evidence_for, small_ledger

    base = small_ledger()
    text = read_article(SEEDS / ARTICLE_002)
    uk = base.entry("uk-ground")
    extra = evidence_for(
        text,
        "a002",
        "Washington is also said to b willing",
        claimant="Partisan Weekly",
        party="third_party",
        basis="partisan",
        status="claimed",
    )
    changed = uk.model_copy(update={"evidence": (*uk.evidence, extra)})
    return base.model_copy(update={"entries": tuple(changed if p.id == "uk-ground" else p for p in base.entries)})


def test_claimant_filter_matches_any_statement_not_only_the_deciding_one() -> None:
    ledger = _two_claimant_ledger()
    uk = ledger.entry("uk-ground")
    assert uk.claimant == "Downing Street statement"  # the derived claimant is unchanged
    assert [p.id for p in select_entries(ledger, "claimant:partisan")] == ["uk-ground"]
    assert [p.id for p in select_entries(ledger, 'claimant="Partisan Weekly"')] == ["uk-ground"]
    assert [p.id for p in select_entries(ledger, "partisan weekly")] == ["uk-ground"]  # free text too


def test_party_and_basis_filters_match_any_statement() -> None:
    ledger = _two_claimant_ledger()
    assert [p.id for p in select_entries(ledger, "basis:partisan")] == ["uk-ground"]
    assert [p.id for p in select_entries(ledger, "party:third")] == ["uk-ground"]
    assert "uk-ground" not in {p.id for p in select_entries(ledger, "-basis:partisan")}
    with pytest.raises(QueryError):
        parse_query("basis:rumour")


def test_shared_sort_keys_equal_the_keys_computed_per_entry() -> None:
    from pledgetui.paths import bundled_ledger
    from pledgetui.query import SORT_FIELDS
    from pledgetui.store import load

    index = Index(load(bundled_ledger(), use_cache=False).ledger)
    for field, fn in SORT_FIELDS.items():
        assert index.sort_keys(field) == [fn(p) for p in index.entries], field
    actors = index.sort_keys("actor")
    same = [i for i, p in enumerate(index.entries) if p.actor == index.entries[0].actor]
    assert len(same) > 1 and all(actors[i] is actors[same[0]] for i in same)


@pytest.mark.parametrize(
    ("summary", "needle", "found"),
    [
        ("Troops \u201cif a ceasefire holds\u201d", "\u201cif a", True),
        ("Zürich talks", "ZÜRICH", True),
        ("Zürich talks", "zurich", False),
        ("Київ pledge", "київ", True),
        ("plain ascii", "ascii", True),
    ],
)
def test_free_text_matches_text_outside_ascii(summary: str, needle: str, found: bool) -> None:
    ledger = small_ledger()
    edited = ledger.entries[0].model_copy(update={"summary": summary})
    ledger = ledger.model_copy(update={"entries": (edited, *ledger.entries[1:])})
    assert (edited in Index(ledger).view(needle)) is found


_QUERY_PARTS = st.sampled_from(
    [
        "f",
        "fr",
        "fran",
        "france",
        "peace",
        "peace deal",
        "-peace",
        "status:signed",
        "status:signed,considering",
        "-status:claimed",
        "kind:counter",
        "-kind:counter",
        "backstop:required",
        "commitment:ground",
        "country:fr",
        "uk",
        "u",
        '"as part"',
    ]
)


def _oracle(index: Index, text: str) -> list[int]:
    """Every row tested term by term through the models, the plainest reading of a query."""
    query = parse_query(text)
    return [i for i in range(len(index)) if all(index._term_matches(t, i) != t.negate for t in query.terms)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_QUERY_PARTS, min_size=0, max_size=3).map(" ".join), min_size=1, max_size=8))
def test_filtering_on_from_the_last_result_gives_what_a_fresh_filter_gives(queries: list[str]) -> None:
    ledger = small_ledger()
    kept = Index(ledger)
    for text in queries:
        query = parse_query(text)
        assert kept.filter(query) == Index(ledger).filter(query) == _oracle(kept, text), text


def test_typing_on_filters_only_the_rows_the_last_filter_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    index = Index(small_ledger())
    kept = len(index.filter(parse_query("peace")))
    assert 0 < kept < len(index)
    expected = Index(small_ledger()).filter(parse_query("peace status:signed"))
    looked_at: list[int] = []
    original = Index._filter

    def spy(self: Index, query, candidates=None):  # type: ignore[no-untyped-def]
        rows = list(range(len(self.entries)) if candidates is None else candidates)
        looked_at.extend(rows)
        return original(self, query, rows)

    monkeypatch.setattr(Index, "_filter", spy)
    narrowed = index.filter(parse_query("peace status:signed"))
    assert narrowed == expected
    assert len(looked_at) == kept  # not every entry of the ledger
    looked_at.clear()
    index.filter(parse_query("-peace"))  # a negation cannot narrow: every row again
    assert len(looked_at) == len(index)


def test_prepare_computes_what_the_first_filter_and_sort_would() -> None:
    from pledgetui.query import SORT_FIELDS

    index = Index(small_ledger())
    index.prepare()
    assert index._hay is not None and index._counters is not None
    assert set(index._keys) == set(SORT_FIELDS)
    assert set(index._vocab) == {"status", "commitment", "backstop", "kind"}
    assert index.filter(parse_query("status:signed peace")) == _oracle(index, "status:signed peace")


def test_free_text_finds_who_relays_a_statement() -> None:
    ledger = small_ledger()
    uk = ledger.entry("uk-ground")
    relayed = uk.evidence[0].model_copy(update={"relayed_by": "Relaying Outlet"})
    uk = uk.model_copy(update={"evidence": (relayed, *uk.evidence[1:])})
    ledger = ledger.model_copy(update={"entries": tuple(uk if p.id == uk.id else p for p in ledger.entries)})
    assert [p.id for p in select_entries(ledger, '"relaying outlet"')] == ["uk-ground"]
    assert select_entries(small_ledger(), '"relaying outlet"') == []


def test_relay_finds_entries_by_who_passes_the_words_on() -> None:
    ledger = small_ledger()
    entry = ledger.entries[0]
    relayed = entry.evidence[0].model_copy(update={"relayed_by": "Yellowstone End Intelligence Brief"})
    ledger = ledger.model_copy(
        update={"entries": (entry.model_copy(update={"evidence": (relayed, *entry.evidence[1:])}), *ledger.entries[1:])}
    )
    assert [e.id for e in select_entries(ledger, "relay:yellowstone")] == [entry.id]
    assert [e.id for e in select_entries(ledger, 'relayed_by="Yellowstone End Intelligence Brief"')] == [entry.id]
    assert entry.id not in {e.id for e in select_entries(ledger, "-relay:yellowstone")}
    assert select_entries(ledger, "relay:afp") == []
