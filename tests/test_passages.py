"""The quoted passages of an article, without the viewer: grouping, order, stepping, picking a selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgetui import passages
from pledgetui.model import Basis, Ledger, Party, Source
from pledgetui.passages import Passage, SelectionRejected
from pledgetui.verify import Articles
from tests.factory import evidence_for, pledge

TEXT = (
    "The first minister said the brigade will deploy in spring. "
    "Officials added that air policing continues over the west. "
    "A spokesman called the plan absolutely unacceptable to Moscow. "
    "Nobody quoted this closing sentence of the article at all."
)
FIRST = "the brigade will deploy in spring"
SECOND = "air policing continues over the west"
THIRD = "absolutely unacceptable to Moscow"


def ledger_of(*entries) -> Ledger:
    sources = (Source(id="s1", file="s1.txt", title="One"), Source(id="s2", file="s2.txt", title="Two"))
    return Ledger(sources=sources, entries=tuple(entries))


def entry(pid: str, *quotes: str, **fields) -> object:
    evidence = [evidence_for(TEXT, "s1", q) for q in quotes]
    return pledge(
        id=pid, actor="A", commitment="ground_troops", status="announced", summary="s", evidence=evidence, **fields
    )


def articles(**texts: str) -> Articles:
    """Articles whose texts are given (no files): ``s1`` is :data:`TEXT` unless said otherwise."""
    return Articles(Path("unused.toml"), texts={"s1": TEXT, **texts})


def span_of(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return (start, start + len(quote))


def test_passages_are_grouped_by_span_in_reading_order_with_citations_in_ledger_order() -> None:
    ledger = ledger_of(entry("b", THIRD, FIRST), entry("a", FIRST), entry("c", SECOND, FIRST))
    found = passages.collect(ledger, articles(), "s1")
    assert [p.span for p in found] == [span_of(FIRST), span_of(SECOND), span_of(THIRD)]
    assert found[0].citations == (("b", 1), ("a", 0), ("c", 1))
    assert found[0].entry_ids == ("b", "a", "c")
    assert found[2].citations == (("b", 0),)


def test_a_quote_that_does_not_anchor_is_in_no_passage_and_an_unreadable_article_has_none() -> None:
    ledger = ledger_of(entry("a", FIRST))
    lost = evidence_for(TEXT, "s1", SECOND).model_copy(update={"quote": "words this article never held at any place"})
    orphan = pledge(id="o", actor="B", commitment="air", status="announced", summary="s", evidence=[lost])
    ledger = ledger.model_copy(update={"entries": (*ledger.entries, orphan)})
    assert [p.citations for p in passages.collect(ledger, articles(), "s1")] == [(("a", 0),)]
    unreadable = Articles(Path("unused.toml"), problems={"s1": "no such file"})
    assert passages.collect(ledger, unreadable, "s1") == ()
    assert passages.collect(ledger, articles(), "s2") == ()  # nothing of s2 is quoted


def test_pledge_ids_name_an_entry_once_however_many_of_its_statements_quote_the_span() -> None:
    passage = Passage(0, 5, (("a", 0), ("b", 2), ("a", 3)))
    assert passage.entry_ids == ("a", "b")


def test_citing_falls_back_when_no_passage_is_at_the_span() -> None:
    found = (Passage(0, 5, (("a", 0), ("b", 1))),)
    assert passages.citing(found, (0, 5), ("x",)) == ("a", "b")
    assert passages.citing(found, (1, 5), ("x",)) == ("x",)


def test_named_citations_always_include_the_current_entry() -> None:
    ids = tuple(f"e{n}" for n in range(20))
    assert passages.named_citations(ids, "e3", 5) == ("e0", "e1", "e2", "e3", "e4")
    assert passages.named_citations(ids, "e15", 5) == ("e15", "e0", "e1", "e2", "e3")
    assert passages.named_citations(ids, "elsewhere", 5) == ids[:5]


THREE = (Passage(10, 20, (("a", 0),)), Passage(30, 40, (("b", 0),)), Passage(50, 60, (("c", 0),)))


@pytest.mark.parametrize(
    ("current", "direction", "expected"),
    [((10, 20), +1, (30, 40)), ((50, 60), +1, (10, 20)), ((10, 20), -1, (50, 60)), ((30, 40), -1, (10, 20))],
)
def test_stepping_goes_to_the_next_or_previous_passage_and_wraps(current, direction, expected) -> None:
    found = passages.step(THREE, current, stored_start=0, direction=direction)
    assert found is not None and found.span == expected


@pytest.mark.parametrize(
    ("stored", "direction", "expected"),
    [(25, +1, (30, 40)), (25, -1, (10, 20)), (30, +1, (30, 40)), (70, +1, (10, 20)), (5, -1, (50, 60))],
)
def test_an_orphan_steps_from_where_its_quote_was_stored(stored, direction, expected) -> None:
    found = passages.step(THREE, None, stored_start=stored, direction=direction)
    assert found is not None and found.span == expected


def test_nowhere_to_step_without_passages_or_from_the_only_one() -> None:
    only = THREE[:1]
    assert passages.step((), None, 0, +1) is None
    assert passages.step(only, (10, 20), 0, +1) is None
    assert passages.step(only, (10, 20), 0, -1) is None
    assert passages.step(only, None, 99, +1) == only[0]  # an orphan can still go to it


def test_a_passage_shows_the_current_entrys_own_statement_else_the_first_citation() -> None:
    passage = Passage(0, 5, (("a", 2), ("b", 1), ("b", 0)))
    assert passages.citation_for(passage, "b") == ("b", 1)
    assert passages.citation_for(passage, "c") == ("a", 2)


def test_a_selection_becomes_a_draft_statement_trimmed_of_white_space() -> None:
    start, end = span_of(SECOND)
    ev = passages.draft_evidence(TEXT, "s1", start - 1, end)  # a space before it
    assert (ev.quote, ev.start, ev.end, ev.source) == (SECOND, start, end, "s1")
    assert TEXT.endswith(ev.suffix, 0, end + len(ev.suffix)) and TEXT[:start].endswith(ev.prefix)
    assert (ev.party, ev.basis, ev.status, ev.claimant) == (Party.FIRST_PARTY, Basis.STATEMENT, None, "")


@pytest.mark.parametrize(
    ("start", "end", "why"),
    [(58, 59, "only white space"), (0, passages.MIN_PASSAGE - 1, f"at least {passages.MIN_PASSAGE} characters")],
)
def test_a_selection_too_short_or_blank_is_rejected_with_a_reason(start: int, end: int, why: str) -> None:
    assert TEXT[58].isspace()
    with pytest.raises(SelectionRejected, match=why):
        passages.draft_evidence(TEXT, "s1", start, end)
    assert len(passages.draft_evidence(TEXT, "s1", 0, passages.MIN_PASSAGE).quote) == passages.MIN_PASSAGE


# --------------------------------------------------------------------------- the passage index

OTHER = "An unrelated report: the navy will patrol the northern sea lanes from March onwards."
PATROL = "the navy will patrol the northern sea lanes"


def other_entry(pid: str) -> object:
    return pledge(
        id=pid,
        actor="B",
        commitment="maritime",
        status="announced",
        summary="s",
        evidence=[evidence_for(OTHER, "s2", PATROL)],
    )


def both_articles() -> Articles:
    return articles(s2=OTHER)


def fresh(ledger: Ledger, source_id: str) -> tuple[Passage, ...]:
    """The passages as :func:`passages.collect` finds them, with articles read anew."""
    return passages.collect(ledger, both_articles(), source_id)


def test_the_index_finds_what_collect_finds_and_the_statements_of_each_source() -> None:
    ledger = ledger_of(entry("b", THIRD, FIRST), other_entry("x"), entry("a", FIRST), entry("c", SECOND, FIRST))
    index = passages.PassageIndex(ledger, both_articles())
    for source_id in ("s1", "s2", "s3"):
        assert index.passages(source_id) == fresh(ledger, source_id)
    assert index.passages("s1")[0].citations == (("b", 1), ("a", 0), ("c", 1))
    assert index.statements("s1") == (("b", 0), ("b", 1), ("a", 0), ("c", 0), ("c", 1))
    assert index.statements("s2") == (("x", 0),)
    assert index.by_id["c"] is ledger.entries[3] and "s1" not in index.by_id


def test_an_edited_ledger_gets_an_index_updated_for_the_articles_the_edit_touched() -> None:
    from pledgetui import edits

    ledger = ledger_of(entry("b", THIRD, FIRST), other_entry("x"), entry("a", FIRST), entry("c", SECOND))
    index = passages.PassageIndex(ledger, both_articles())
    index.prime()
    before = {s: index.passages(s) for s in ("s1", "s2")}

    # a's quote becomes SECOND: the s1 passages change, s2's are kept as they were
    changed = edits.put_entry(ledger, entry("a", SECOND), replace_id="a")
    derived = index.derive(changed)
    assert derived.ledger is changed and index.ledger is ledger
    for source_id in ("s1", "s2"):
        assert derived.passages(source_id) == fresh(changed, source_id)
    assert derived.passages("s1") != before["s1"]
    assert derived.passages("s1")[1].citations == (("a", 0), ("c", 0))  # ledger order: a before c
    assert derived.passages("s2") is before["s2"]
    assert derived.by_id["a"] is changed.entries[2]
    # the index it came from still describes its own ledger
    assert {s: index.passages(s) for s in ("s1", "s2")} == before and index.by_id["a"] is ledger.entries[2]

    # a new entry on s2 at the end, then b deleted, then back to the first ledger (an undo)
    added = edits.put_entry(changed, other_entry("y"))
    derived = derived.derive(added)
    assert derived.passages("s2") == fresh(added, "s2")
    assert derived.passages("s2")[0].citations == (("x", 0), ("y", 0))
    deleted = edits.delete_entry(added, "b")
    derived = derived.derive(deleted)
    assert "b" not in derived.by_id
    for source_id in ("s1", "s2"):
        assert derived.passages(source_id) == fresh(deleted, source_id)
        assert derived.statements(source_id) == passages.PassageIndex(deleted, both_articles()).statements(source_id)
    back = derived.derive(ledger)
    assert {s: back.passages(s) for s in ("s1", "s2")} == before
    assert back.statements("s1") == index.statements("s1") and back.by_id == index.by_id
