"""Citations for the clipboard: a quote (or an entry) with who said it, where and when.

Built here, without Textual, so that the text is testable; every value goes through
the display filter (:func:`pledgetui.sanitize.display`): ledger and article text are
untrusted, and a clipboard pasted into a terminal must not carry escape sequences.
"""

from __future__ import annotations

from pledgetui.model import Entry, Evidence, Ledger, Source
from pledgetui.sanitize import display, display_line
from pledgetui.vocab import Basis, Party


def title_words(source: Source) -> str:
    """A source's title as cited: the article's own headline in quote marks; a title in
    brackets is the ledger's description of an article without one, and is given as such,
    never as if it were the article's words."""
    title = source.title.strip()
    if not title:
        return ""
    return title if title.startswith("[") and title.endswith("]") else f"“{title}”"


def basis_words(ev: Evidence) -> str:
    """How a statement reaches us, in words. The claimant's own words known only through a
    relay are "as relayed", never "on the record": the relay is all we have of them."""
    if ev.relayed_by.strip() and ev.basis is Basis.STATEMENT:
        return "own words, as relayed"
    if ev.relayed_by.strip() and ev.basis is Basis.PARAPHRASE:
        return "paraphrase of a named claimant, as relayed"
    return ev.basis.label.lower()


def who_words(ev: Evidence, fallback: str = "") -> str:
    """The claimant, and who relays their words when someone does."""
    who = ev.claimant or fallback
    relay = ev.relayed_by.strip()
    return f"{who} (relayed by {relay})" if relay else who


def stance_words(ev: Evidence) -> str:
    """One statement's stance after its claimant: party, basis, status, date, its own conditions."""
    party = "first party" if ev.party is Party.FIRST_PARTY else "third party"
    parts = [party, basis_words(ev), ev.status.label]
    if ev.stated is not None:
        parts.append(f"stated {ev.stated.isoformat()}")
    if ev.conditions is not None:
        parts.append("conditions: " + (", ".join(c.label for c in ev.conditions) or "none (unconditional)"))
    return " · ".join(parts)


def source_line(ledger: Ledger, evidence: Evidence) -> str:
    """``“Title”, Outlet, 2026-01-06`` for the source a statement quotes (what is known of it)."""
    source = ledger.source(evidence.source)
    if source is None:
        return f"source {evidence.source} (not listed in the ledger)"
    parts = [title_words(source), source.outlet]
    stated = evidence.stated or source.date
    if stated is not None:
        parts.append(stated.isoformat())
    return ", ".join(p for p in parts if p)


def cite_statement(ledger: Ledger, entry: Entry, index: int, text: str | None = None) -> str:
    """The quote of statement ``index`` of ``entry`` (or ``text``, a passage of its article) with
    its citation::

        “We are ready to deploy.”
        — Downing Street statement, “UK ready to deploy troops”, Reuters, 2026-01-06
          [entry uk-ground, statement 1, source a001]
    """
    evidence = entry.evidence[index]
    quote = evidence.quote if text is None else text
    body = display(f"“{quote.strip()}”")
    who = display_line(who_words(evidence, entry.actor))
    where = display_line(source_line(ledger, evidence))
    stance = display_line(stance_words(evidence))
    ids = display_line(f"[entry {entry.id}, statement {index + 1}, source {evidence.source}]")
    return f"{body}\n— {who}, {where}\n  {stance}\n  {ids}"


def cite_passage(ledger: Ledger, source_id: str, text: str) -> str:
    """A passage of an article no statement quotes yet (browsing): the text and its source."""
    source = ledger.source(source_id)
    if source is None:
        where = f"source {source_id}"
    else:
        parts = [title_words(source), source.outlet, source.date.isoformat() if source.date else ""]
        where = ", ".join(p for p in parts if p)
    return f"{display(f'“{text.strip()}”')}\n— {display_line(where)}\n  {display_line(f'[source {source_id}]')}"


def within(span: tuple[int, int], quote: tuple[int, int] | None) -> bool:
    """Whether a selection ``span`` lies inside a statement's ``quote`` (article offsets): only
    then is it that statement's words; a quote that no longer anchors holds no selection."""
    return quote is not None and quote[0] <= span[0] and span[1] <= quote[1]


def cite_entry(ledger: Ledger, entry: Entry) -> str:
    """An entry as a row of the dashboard, with its derived stance and every statement cited."""
    stance = entry.stance.index
    kind = " (counter-position)" if entry.is_counter else ""
    head = display_line(
        f"{entry.actor}{kind}: {entry.summary} — {entry.commitment.label}, {entry.status.label} [entry {entry.id}]"
    )
    statements = [cite_statement(ledger, entry, i) for i in range(len(entry.evidence))]
    if len(statements) > 1:
        statements[stance] += "  (the statement the entry's status is read from)"
    return "\n\n".join([head, *statements])
