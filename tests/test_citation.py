"""Citations for the clipboard, built in the core: quote, claimant, source title, outlet, date, ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pledgetui import store
from pledgetui.citation import cite_entry, cite_passage, cite_statement
from pledgetui.model import Ledger
from pledgetui.vocab import Condition


def _ledger(path: Path) -> Ledger:
    return store.load(path, use_cache=False).ledger


def test_statement_citation_names_everything(ledger_path: Path) -> None:
    ledger = _ledger(ledger_path)
    entry = ledger.entries[0]
    ev = entry.evidence[0]
    dated = [
        s.model_copy(update={"date": dt.date(2026, 1, 6), "outlet": "Reuters"}) if s.id == ev.source else s
        for s in ledger.sources
    ]
    ledger = ledger.model_copy(update={"sources": tuple(dated)})
    source = ledger.source(ev.source)
    assert source is not None
    text = cite_statement(ledger, entry, 0)
    assert text.startswith(f"“{ev.quote.strip()}”\n— {ev.claimant}, “{source.title}”")
    date = (ev.stated or source.date).isoformat()
    for part in (source.outlet, date, f"entry {entry.id}", "statement 1", f"source {ev.source}"):
        assert part in text


def test_a_selected_passage_replaces_the_quote(ledger_path: Path) -> None:
    ledger = _ledger(ledger_path)
    entry = ledger.entries[0]
    text = cite_statement(ledger, entry, 0, text="  some words  ")
    assert text.splitlines()[0] == "“some words”"
    assert f"entry {entry.id}" in text
    browsing = cite_passage(ledger, entry.evidence[0].source, "other words")
    assert browsing.startswith("“other words”\n— “") and f"[source {entry.evidence[0].source}]" in browsing


def test_entry_citation_cites_every_statement(ledger_path: Path) -> None:
    ledger = _ledger(ledger_path)
    entry = max(ledger.entries, key=lambda e: len(e.evidence))
    text = cite_entry(ledger, entry)
    assert text.startswith(entry.actor) and f"[entry {entry.id}]" in text
    assert text.count("— ") >= len(entry.evidence)
    for ev in entry.evidence:
        assert ev.quote.strip() in text


def test_citation_goes_through_the_display_filter(ledger_path: Path) -> None:
    ledger = _ledger(ledger_path)
    entry = ledger.entries[0]
    hostile = entry.model_copy(
        update={
            "actor": "Evil\x1b]0;pwned\x07",
            "evidence": (entry.evidence[0].model_copy(update={"claimant": "X\x1b]52;c;ZXZpbA==\x07"}),),
        }
    )
    text = cite_entry(ledger, hostile) + cite_statement(ledger, hostile, 0, text="a\x1b[2Jb\u202ec")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_a_relayed_statement_is_cited_with_its_relay_and_stance(ledger_path: Path) -> None:
    """A quote known only through a partisan outlet must never paste as the claimant's own
    channel, on the record, nor a descriptive title as the article's headline."""
    ledger = _ledger(ledger_path)
    entry = ledger.entries[0]
    ev = entry.evidence[0].model_copy(update={"relayed_by": "a002 author", "conditions": (Condition.PEACE_DEAL,)})
    entry = entry.model_copy(update={"evidence": (ev, *entry.evidence[1:])})
    described = [
        s.model_copy(update={"title": "[A summit, described]"}) if s.id == ev.source else s for s in ledger.sources
    ]
    ledger = ledger.model_copy(update={"sources": tuple(described)})
    lines = cite_statement(ledger, entry, 0).splitlines()
    assert lines[1].startswith(f"— {ev.claimant} (relayed by a002 author), [A summit, described]")
    assert "“[" not in lines[1]
    assert lines[2] == f"  first party · own words, as relayed · {ev.status.label} · conditions: Peace deal"
    assert "on the record" not in "\n".join(lines)
