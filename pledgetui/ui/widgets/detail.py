"""The detail pane: every field of the highlighted entry, its conditions spelled out, each quote with its article."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from pledgetui.ui.text import join, safe, safe_line
from pledgetui.vocab import Backstop, Party

if TYPE_CHECKING:
    from pledgetui.model import Entry, Evidence, Ledger
    from pledgetui.verify import Articles

#: Anchor statuses (``anchors.AnchorStatus`` values) as the reader sees them.
_ANCHOR_WORDS = {
    "exact": ("verified", "$success"),
    "moved": ("verified (moved)", "$success"),
    "folded": ("verified (white space or quote marks differ)", "$success"),
    "drifted": ("DRIFTED: not the article's words", "bold $error"),
    "orphan": ("ORPHAN: not found in the article", "bold $error"),
}


def relay(ev: Evidence) -> Content | str:
    """`` (relayed by ...)`` for a statement whose words reach us through someone else; '' otherwise."""
    return join(" (relayed by ", safe_line(ev.relayed_by.strip()), ")") if ev.relayed_by.strip() else ""


def stance_line(ev: Evidence) -> Content:
    """One statement's stance: who says it (and who relays it), in which capacity, how, how firm, when."""
    from pledgetui.citation import basis_words  # here: the dashboard starts without the ledger core

    party = "first party" if ev.party is Party.FIRST_PARTY else "third party"
    parts: list[Content | str | tuple[str, str]] = [
        safe_line(ev.claimant, "bold"),
        relay(ev),
        f" · {party} · {basis_words(ev)} · ",
        (ev.status.label, "bold"),
    ]
    if ev.stated is not None:
        parts.append(f" · stated {ev.stated.isoformat()}")
    if ev.conditions is not None:
        parts.append(" · conditions: " + (", ".join(c.label for c in ev.conditions) or "none (unconditional)"))
    return join(*parts)


#: The history's steps shown at most (the latest), and its undated statements at most.
HISTORY_STEPS, HISTORY_UNDATED = 6, 3


def history_section(entry: Entry, ledger: Ledger) -> Content:
    """A short timeline: the statements in the order they became known, the latest
    :data:`HISTORY_STEPS` of them, each with "→ status" where the reading changed; the undated
    statements apart, under their own heading."""
    from pledgetui.history import history  # here: the dashboard starts without the ledger core
    from pledgetui.vocab import short_label

    h = history(entry, ledger.source_dates())
    parts: list[Content | str | tuple[str, str]] = [("\nHistory\n", "bold underline")]
    shown = h.steps[-HISTORY_STEPS:]
    if len(h.steps) > len(shown):
        parts.append((f"  … {len(h.steps) - len(shown)} earlier (pledgetui show lists them all)\n", "dim"))
    for step in shown:
        ev = step.evidence
        parts.append(
            join(
                f"  {step.span.label():<13} [{step.index + 1}] {short_label(ev.status)} · ",
                safe_line(ev.claimant),
                (f"  → {short_label(step.reading.status)}", "bold") if step.changed else "",
                "\n",
            )
        )
    if not h.steps:
        parts.append(("  no dated statement\n", "dim"))
    if h.undated:
        parts.append((f"  Undated ({len(h.undated)}): not placed in the history\n", "bold $warning"))
        for i in h.undated[:HISTORY_UNDATED]:
            ev = entry.evidence[i]
            parts.append(join(f"  undated       [{i + 1}] {short_label(ev.status)} · ", safe_line(ev.claimant), "\n"))
        if len(h.undated) > HISTORY_UNDATED:
            parts.append((f"  … {len(h.undated) - HISTORY_UNDATED} more undated\n", "dim"))
        if not h.steps or h.steps[-1].reading.status is not h.reading.status:
            parts.append(
                join(f"  with the undated: {short_label(h.reading.status)} (", safe_line(h.reading.claimant), ")\n")
            )
    return join(*parts)


def _short(value: str, width: int = 70) -> str:
    """A conflict's side (JSON text) cut to ``width`` characters; "(none)" for no record."""
    if not value:
        return "(none)"
    return value if len(value) <= width else value[: width - 1] + "…"


def _field(label: str, value: Content) -> Content:
    return join((f"{label}: ", "bold"), value, "\n")


def describe(entry: Entry, ledger: Ledger, articles: Articles | None) -> Content:
    """The whole entry as Content; every ledger string goes through the sanitiser."""
    parts: list[Content | str | tuple[str, str]] = []
    conflicts = [c for c in ledger.conflicts if c.entry == entry.id]
    if conflicts:
        parts.append((f"MERGE CONFLICTS: {len(conflicts)} (M to pick a side); the ledger keeps ours\n", "bold $error"))
        for c in conflicts:
            where = f"statement {c.statement} " if c.statement else ""
            parts.append(
                join(
                    "  ",
                    safe_line(f"{where}{c.field}", "bold"),
                    ": ours ",
                    safe_line(_short(c.ours)),
                    " · theirs ",
                    safe_line(_short(c.theirs)),
                    "\n",
                )
            )
        parts.append("\n")
    if entry.is_counter:
        parts.append(("COUNTER-POSITION: recorded, never counted as a pledge\n", "bold $error"))
    parts.append(join(safe_line(entry.summary, "bold"), "\n\n"))
    parts.append(_field("Actor", join(safe_line(entry.actor), f" ({entry.actor_type.label.lower()})")))
    parts.append(_field("Commitment", Content(entry.commitment.label)))
    stance = entry.stance
    chosen = entry.evidence[stance.index]
    if not stance.authoritative:
        how: Content | str = "no statement by the actor on the record"
    elif chosen.relayed_by.strip():
        how = join("the actor's own words, as relayed by ", safe_line(chosen.relayed_by.strip()))
    else:
        how = "the actor's own words"
    parts.append(_field("Status", join(f"{entry.status.label} (from statement {stance.index + 1}: ", how, ")")))
    conditions = ", ".join(c.label for c in entry.conditions) or "none stated"
    parts.append(_field("Conditions", Content(conditions)))
    if entry.condition_detail:
        parts.append(_field("Condition detail", safe(entry.condition_detail)))
    backstop = Content(entry.us_backstop.label)
    if entry.us_backstop in (Backstop.REQUIRED, Backstop.SOUGHT):
        backstop = backstop.stylize("bold")
    parts.append(_field("US backstop", backstop))
    claimants = entry.claimants
    claimant = join(safe_line(entry.claimant), relay(entry.evidence[stance.index]))
    if len(claimants) > 1:
        claimant = join(claimant, f" (and {len(claimants) - 1} other claimant{'s' if len(claimants) > 2 else ''})")
    parts.append(_field("Claimant", claimant))
    if entry.numbers:
        parts.append(_field("Numbers", safe_line("; ".join(str(q) for q in entry.numbers))))
    parts.append(_field("Date", Content(entry.date_span.words())))
    from pledgetui.history import since  # here: the dashboard starts without the ledger core

    held = since(entry, ledger.source_dates())
    parts.append(_field("Since", Content(held.label() if held is not None else "not dated")))
    parts.append(_field("Id", safe_line(entry.id)))
    parts.append(join(history_section(entry, ledger), "\n"))
    if entry.notes:
        parts.append(join(("Notes: ", "bold"), safe(entry.notes), "\n"))
    parts.append(("\nStatements\n", "bold underline"))
    for n, ev in enumerate(entry.evidence, 1):
        source = ledger.source(ev.source)
        title = source.title if source else f"unknown source {ev.source}"
        date = source.date.isoformat() if source and source.date else "undated"
        status = articles.anchor(ledger, ev).status if articles is not None else None
        parts.append(join((f"[{n}] ", "bold"), safe_line(title, "italic"), f" ({date})"))
        if status is not None:
            word, style = _ANCHOR_WORDS[status.value]
            parts.append(join(" · ", (word, style)))
        parts.append(join("\n", stance_line(ev), "\n"))
        parts.append(join(("“", "dim"), safe(ev.quote), ("”", "dim"), "\n\n"))
    return join(*parts)


class DetailPane(VerticalScroll):
    """The highlighted entry in full, with its statements (styles: ``detail.tcss``, read with the app's)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-body", markup=False)

    def show(
        self, entry: Entry | None, ledger: Ledger | None, articles: Articles | None, as_of: dt.date | None = None
    ) -> None:
        """Describe ``entry``; with ``as_of``, the entry as the ledger stood that day, said first."""
        body = self.query_one("#detail-body", Static)
        if entry is None or ledger is None:
            body.update(Content("No entry selected."))
        elif as_of is None:
            body.update(describe(entry, ledger, articles))
        else:
            body.update(
                join(
                    (
                        f"As of {as_of.isoformat()}: the status, claimant, date and history come from the "
                        "statements known by then (numbered among themselves); the summary, conditions and notes are "
                        "today's reading.\n\n",
                        "italic",
                    ),
                    describe(entry, ledger, articles),
                )
            )
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """The pane's plain text (for tests and screen readers)."""
        return str(self.query_one("#detail-body", Static).content)
