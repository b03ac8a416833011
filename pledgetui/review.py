"""The coding manual's mechanical checks (docs/coding.md, last section).

Each finding is a warning: the reading may still be right, but a reader should
look. ``pledgetui check`` lists them with the entry id and statement number;
``check --strict`` turns them into failures. The bundled ledger has none.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pledgetui.model import Backstop, Basis, CommitmentType, Entry, Ledger, Party, Status, resting_indexes
from pledgetui.textcheck import comparable, format_char_warnings

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
    # An ambiguous reported "would" takes the weaker reading (docs/coding.md, section 5).
    (
        re.compile(r"\bsaid (?:that )?(?:it|they|he|she|we) would\b(?! (?:consider|not|never)\b)", re.I),
        Status.SIGNALLED,
        "'said ... would'",
    ),
    (re.compile(r"\bpav(?:es|ed|ing|e) the way\b", re.I), Status.SIGNALLED, "'paves the way'"),
)

#: For each cue, words of which every match holds one, as ``str.lower`` writes them. A quote
#: whose lower-case form holds none of them cannot match, so the pattern is not run on it: most
#: quotes cost a few substring tests instead of up to five regular-expression scans.
CUE_WORDS: tuple[tuple[str, ...], ...] = (
    ("consider",),
    ("ready to", "willing to", "prepared to"),
    ("readiness", "willingness"),
    (" said to",),
    ("reportedly", "according to", "allegedly", "speculated"),
    ("would",),
    ("the way",),
)

#: Words that make a decision wait on something (docs/coding.md, section 5: declined or considering).
WAITING = re.compile(r"\bbefore\b|\bdepends? on\b|\bdepending on\b|\buntil\b|\bneeds? clarity\b", re.I)
#: Words of refusal: a statement holding one may be coded declined.
REFUSING = re.compile(
    r"\bnot\b|n[\'\u2019]t\b|\bnever\b|\bno\b|\bnone\b|\bruled? out\b|\brul(?:es|ing) out\b|"
    r"\brefus|\breject|\bdeclin|\bunacceptable\b|\bopposed?\b|\bagainst\b",
    re.I,
)
#: Words of a forecast, which says nothing of conditions (docs/coding.md, sections 6 and 7).
FORECAST = re.compile(r"\banticipated\b|\bspeculat\w*|\bcould soon\b|\bexpected to\b|\bpredict\w*|\bforecast\w*", re.I)
#: The actor whose own backstop entry alone may say us_backstop = "provides".
UNITED_STATES = "United States"
#: The note an entry carries when its reading rests only on statements a partisan source relays.
RELAYED_NOTE = "Relayed:"
#: That note where a note begins (the start of the notes, or after a sentence): "Not Relayed:" is not it.
RELAYED_NOTE_AT = re.compile(r"(?:^|[.;!?]\s+)" + re.escape(RELAYED_NOTE))
#: Bases in which a partisan source speaks for itself (its own voice, or the author's own assertion);
#: any other statement of a partisan source is someone else's words that it passes on.
OWN_VOICE = frozenset({Basis.PARTISAN, Basis.REPORT})

#: The letters that case-insensitive matching pairs with an ASCII letter but ``str.lower`` does
#: not turn into it (dotted capital I, dotless i, long s; the Kelvin sign lowers to ``k``). A
#: quote holding one always runs the patterns. The test suite checks this over all of Unicode.
CASE_ODDITIES = ("\u0130", "\u0131", "\u017f")


def cue_text(quote: str) -> str:
    """``quote`` as the cue patterns read it: every run of white space (a line break of a
    hard-wrapped article, a no-break space, a double space) one space, and no invisible
    format characters (a soft hyphen inside "antici\u00adpated"). The verifier folds white
    space the same way, so a quote it accepts is never one the cues cannot read."""
    if quote.isascii() and quote.isprintable() and "  " not in quote:
        return quote  # the common case, found with two scans in C
    text = " ".join(quote.split())
    # A format character is not printable: a printable text (most quotes with curly quotation
    # marks) has none, found with one scan in C rather than a look-up per character.
    if not text.isascii() and not text.isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text


def lowered(quote: str) -> str | None:
    """``quote.lower()``, in which a cue's words show whenever the cue matches ``quote``; None
    when no such form is at hand (see :data:`CASE_ODDITIES`)."""
    if not quote.isascii():
        for ch in CASE_ODDITIES:
            if ch in quote:
                return None
    return quote.lower()


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


@dataclass(frozen=True, slots=True)
class _StatusCues:
    """The cues that can cap a statement of one status (those whose cap it is firmer than), in
    :data:`CUES` order, and all their words."""

    cues: tuple[tuple[re.Pattern[str], Status, str, tuple[str, ...]], ...]
    words: tuple[str, ...]


def _status_cues(status: Status) -> _StatusCues:
    cues = tuple(
        (pattern, cap, why, words) for (pattern, cap, why), words in zip(CUES, CUE_WORDS) if _firmer(status, cap)
    )
    return _StatusCues(cues, tuple(w for *_, words in cues for w in words))


_CUES_FOR = {status: _status_cues(status) for status in Status}


def cue_matches(pattern: re.Pattern[str], words: tuple[str, ...], quote: str, lower: str | None) -> bool:
    """Whether cue ``pattern`` occurs in ``quote``; ``lower`` is :func:`lowered` of it: when
    it holds none of the cue's ``words``, the pattern cannot match."""
    if lower is not None and not any(w in lower for w in words):
        return False
    return pattern.search(quote) is not None


def partisan_sources(entries: Iterable[Entry]) -> frozenset[str]:
    """The sources with a statement of basis ``partisan``: the outlet speaking in its own voice
    (docs/coding.md, section 4, the relay)."""
    return frozenset(ev.source for p in entries for ev in p.evidence if ev.basis is Basis.PARTISAN)


def _numbers(indexes: Iterable[int]) -> str:
    shown = [str(i + 1) for i in indexes]
    return f"statement{'s' if len(shown) > 1 else ''} {', '.join(shown)}"


def _resting_findings(p: Entry, source_dates: Mapping[str, dt.date | None], partisan: frozenset[str]) -> list[Finding]:
    """The checks on what an entry takes from the statements its reading rests on."""
    found: list[Finding] = []
    resting = resting_indexes(p.evidence, source_dates)
    evidence = p.evidence
    entry_conditions = set(p.conditions)
    stated: set[object] = set()
    silent = False
    for i in resting:
        conditions = evidence[i].conditions
        if conditions is None:
            silent = True
            continue
        stated.update(conditions)
        missing = [c for c in conditions if c not in entry_conditions]
        if missing:
            found.append(
                Finding(
                    p.id,
                    i + 1,
                    f"the entry's reading rests on this statement, which states "
                    f"{', '.join(c.value for c in missing)}, but the entry's conditions lack "
                    f"{'it' if len(missing) == 1 else 'them'}; an entry's conditions are those of "
                    "the statements its reading rests on",
                )
            )
    extra = [c for c in p.conditions if c not in stated]
    if extra and not silent:
        found.append(
            Finding(
                p.id,
                resting[0] + 1,
                f"the entry's conditions hold {', '.join(c.value for c in extra)}, which none of the "
                f"statements its reading rests on ({_numbers(resting)}) states; keep "
                f"{'it' if len(extra) == 1 else 'them'} on the statements that state "
                f"{'it' if len(extra) == 1 else 'them'}",
            )
        )
    if p.us_backstop is Backstop.PROVIDES:
        if comparable(p.actor) != comparable(UNITED_STATES):
            found.append(
                Finding(
                    p.id,
                    0,
                    f"us_backstop is 'provides' on an entry of {p.actor}; 'provides' is only for the "
                    f"United States' own backstop entry (actor '{UNITED_STATES}')",
                )
            )
        if p.commitment is not CommitmentType.BACKSTOP:
            found.append(
                Finding(
                    p.id,
                    0,
                    f"us_backstop is 'provides' on an entry of type {p.commitment.value}; 'provides' is only for "
                    "the United States' own backstop entry (commitment 'backstop')",
                )
            )
        claims = [i for i in resting if not evidence[i].authoritative]
        if claims:
            found.append(
                Finding(
                    p.id,
                    claims[0] + 1,
                    f"us_backstop is 'provides' but the entry's reading rests on a claim "
                    f"({_numbers(claims)}: {evidence[claims[0]].claimant}); 'provides' needs the "
                    "actor's own words on the record, else it stays 'unknown'",
                )
            )
    if (
        partisan
        and not RELAYED_NOTE_AT.search(p.notes)
        and all(evidence[i].relayed_by.strip() and evidence[i].source in partisan for i in resting)
    ):
        relays = "; ".join(dict.fromkeys(evidence[i].relayed_by.strip() for i in resting))
        found.append(
            Finding(
                p.id,
                resting[0] + 1,
                f"the entry's reading rests only on statements a partisan source relays "
                f"({_numbers(resting)}, relayed by {relays}); say so in a '{RELAYED_NOTE}' note",
            )
        )
    return found


def review_entry(
    p: Entry,
    source_dates: Mapping[str, dt.date | None] | None = None,
    partisan: frozenset[str] = frozenset(),
) -> list[Finding]:
    """The findings for one entry; ``partisan``: the ledger's partisan sources (:func:`partisan_sources`)."""
    found: list[Finding] = []
    today = dt.date.today()
    for n, ev in enumerate(p.evidence, 1):
        article_day = (source_dates or {}).get(ev.source)
        if ev.stated is not None and article_day is not None and ev.stated > article_day:
            found.append(
                Finding(
                    p.id,
                    n,
                    f"stated {ev.stated.isoformat()}, after its article's date {article_day.isoformat()}: "
                    "an article reports only what was said by its own day (docs/coding.md, Dates)",
                )
            )
        elif ev.stated is not None and ev.stated > today:
            found.append(
                Finding(
                    p.id,
                    n,
                    f"stated {ev.stated.isoformat()}, a day still to come: no statement is dated later than today",
                )
            )
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
        folded = cue_text(ev.quote)
        if ev.status is Status.DECLINED and WAITING.search(folded) and not REFUSING.search(folded):
            found.append(
                Finding(
                    p.id,
                    n,
                    "the statement is coded declined, but its words only make a decision wait on "
                    "something and refuse nothing: that is 'considering', with what is awaited in its conditions",
                )
            )
        if ev.source in partisan and ev.basis not in OWN_VOICE and not ev.relayed_by.strip():
            found.append(
                Finding(
                    p.id,
                    n,
                    f"{ev.claimant}'s words ({ev.basis.value}) reach us only through {ev.source}, a partisan "
                    "source (it has statements in its own voice), but the statement names no relay; set "
                    "relayed_by to who passes them on",
                )
            )
        if ev.conditions == () and FORECAST.search(folded):
            found.append(
                Finding(
                    p.id,
                    n,
                    "a forecast carries conditions = [] (unconditional); a forecast says nothing of "
                    "conditions: leave them out",
                )
            )
        cues = _CUES_FOR[ev.status]
        if not cues.cues:
            continue  # claimed and declined: no cue can cap them
        quote = folded
        lower = lowered(quote)
        if lower is not None:
            for word in cues.words:  # a loop: quicker here than any() or one regular expression
                if word in lower:
                    break
            else:
                continue  # the common case: none of the cues' words, so no cue can match
        for pattern, cap, why, words in cues.cues:
            if cue_matches(pattern, words, quote, lower):
                found.append(
                    Finding(
                        p.id,
                        n,
                        f"the quote says {why}, which is at most '{cap.value}', "
                        f"but the statement is coded {ev.status.value}",
                    )
                )
    ranked = [ev for ev in p.evidence if ev.authoritative] if len(p.evidence) > 1 else []
    if len(ranked) > 1:  # one ranked statement cannot point both ways
        dates = source_dates or {}
        latest = p.stance.span
        tied = [ev for ev in ranked if ev.span(dates) == latest]
        if len({ev.status is Status.DECLINED for ev in tied}) > 1:
            found.append(
                Finding(
                    p.id,
                    0,
                    "the actor's own latest statements point both ways (declined and not) and "
                    "no date orders them; date them, or record the tension in the notes",
                )
            )
    found.extend(_resting_findings(p, source_dates or {}, partisan))
    return found


def review_entries(
    entries: Iterable[Entry], source_dates: Mapping[str, dt.date | None], partisan: frozenset[str] | None = None
) -> list[Finding]:
    """:func:`review_entry` of each entry, in order. ``partisan``: the ledger's partisan sources
    (default: those of ``entries``, which must then be all of the ledger's entries)."""
    if partisan is None:
        entries = list(entries)
        partisan = partisan_sources(entries)
    return [f for p in entries for f in review_entry(p, source_dates, partisan)]


def review(ledger: Ledger) -> list[Finding]:
    """Every finding of the manual's mechanical checks, entry by entry in ledger order, then
    the names that hold invisible format characters (:mod:`pledgetui.textcheck`)."""
    found = review_entries(ledger.entries, ledger.source_dates(), partisan_sources(ledger.entries))
    found.extend(Finding(where, 0, what) for where, what in format_char_warnings(ledger))
    return found
