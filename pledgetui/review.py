"""The coding manual's mechanical checks (docs/coding.md, last section).

Each finding is a warning: the reading may still be right, but a reader should
look. ``pledgetui check`` lists them with the entry id and statement number;
``check --strict`` turns them into failures. The bundled ledger has none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pledgetui.model import Basis, Entry, Evidence, Ledger, Party, Status
from pledgetui.textcheck import format_char_warnings

#: Bases that report someone's claim without the claimant on the record.
UNVERIFIED_BASES = frozenset({Basis.PARTISAN, Basis.REPORT, Basis.DOCUMENT, Basis.ANONYMOUS})

#: Words that cap how firm a statement can be coded: (pattern, firmest status allowed, why).
CUES: tuple[tuple[re.Pattern[str], Status, str], ...] = (
    (re.compile(r"\b(?:would|could|will|may|might) consider\b", re.I), Status.CONSIDERING, "'would consider'"),
    (re.compile(r"\b(?<!not )(?:ready|willing|prepared) to\b", re.I), Status.SIGNALLED, "'ready/willing/prepared to'"),
    (re.compile(r"\breadiness\b|\bwillingness\b", re.I), Status.SIGNALLED, "'readiness/willingness'"),
    (re.compile(r"\b(?:is|are|was|were) said to\b", re.I), Status.CLAIMED, "'is said to'"),
    (
        re.compile(r"\breportedly\b|\baccording to\b|\ballegedly\b|\bspeculated\b", re.I),
        Status.CLAIMED,
        "'reportedly/according to/allegedly/speculated'",
    ),
)


@dataclass(frozen=True, slots=True)
class Finding:
    entry_id: str  # or, for a name check, where the name is ("source a002 file")
    statement: int  # 1-based; 0 for the entry as a whole
    what: str

    @property
    def where(self) -> str:
        return f"{self.entry_id} statement {self.statement}" if self.statement else self.entry_id

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _firmer(status: Status, than: Status) -> bool:
    return status is not Status.DECLINED and status.strength > than.strength


def review_entry(p: Entry, source_dates: Mapping[str, dt.date | None] | None = None) -> list[Finding]:
    found: list[Finding] = []
    for n, ev in enumerate(p.evidence, 1):
        if ev.basis in UNVERIFIED_BASES and _firmer(ev.status, Status.CLAIMED):
            found.append(
                Finding(
                    p.id,
                    n,
                    f"basis {ev.basis.value} ({ev.claimant}) is coded {ev.status.value}; "
                    "an unverified or partisan statement is at most 'claimed'",
                )
            )
        if ev.party is Party.THIRD_PARTY and ev.status not in (Status.CLAIMED, Status.DECLINED):
            found.append(
                Finding(
                    p.id,
                    n,
                    f"{ev.claimant} is a third party to {p.actor} and the statement is coded "
                    f"{ev.status.value}; a third-party statement is 'claimed' or 'declined'",
                )
            )
        for pattern, cap, why in CUES:
            if pattern.search(ev.quote) and _firmer(ev.status, cap):
                found.append(
                    Finding(
                        p.id,
                        n,
                        f"the quote says {why}, which is at most '{cap.value}', "
                        f"but the statement is coded {ev.status.value}",
                    )
                )
    ranked = [ev for ev in p.evidence if ev.authoritative]
    if ranked:
        dates = source_dates or {}
        latest = p.stance.date

        def when(ev: Evidence) -> dt.date | None:
            return ev.stated if ev.stated is not None else dates.get(ev.source)

        tied = [ev for ev in ranked if when(ev) == latest]
        if len({ev.status is Status.DECLINED for ev in tied}) > 1:
            found.append(
                Finding(
                    p.id,
                    0,
                    "the actor's own latest statements point both ways (declined and not) and "
                    "no date orders them; date them, or record the tension in the notes",
                )
            )
    return found


def review(ledger: Ledger) -> list[Finding]:
    """Every finding of the manual's mechanical checks, entry by entry in ledger order, then
    the names that hold invisible format characters (:mod:`pledgetui.textcheck`)."""
    dates = ledger.source_dates()
    found = [f for p in ledger.entries for f in review_entry(p, dates)]
    found.extend(Finding(where, 0, what) for where, what in format_char_warnings(ledger))
    return found
