"""Assisted intake: the passages of an article that look like statements about security
commitments or refusals, each with a proposed coding and the reasons for it.

Rule-based and explainable. A sentence becomes a candidate when it names a commitment
(troops, air policing, ships, sanctions ...) *and* a stance on it (a decision, a signature,
readiness, a refusal, a consideration) *and* an actor or a speaker; each rule that fires is
named in the candidate's ``why``. The proposed status and basis come from the coding
manual's cue words (docs/coding.md, sections 4 and 5), the caps among them taken from
:mod:`pledgetui.review` (the manual's mechanical checks), so a suggestion is never firmer
than ``check`` would accept. Every guess is a proposal for a person to confirm.

Country names come from pycountry (ISO 3166); its names are formal ("Russian Federation"),
so the few short names the ledger uses, the informal names ("Britain"), the capitals and
seats of government that stand for a state in news prose ("Berlin", "Downing Street") and
the demonyms ("German officials"), which pycountry does not publish, are small tables
here keyed by ISO 3166 alpha-2 codes. Dates in a sentence are read by dateparser's
``search_dates``, against the article's date, and only in the sentences suggested.
Both libraries are imported on first use, so nothing that does not suggest pays for them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pledgetui.review import CUES, FORECAST, REFUSING, WAITING, cue_text
from pledgetui.vocab import ActorType, Basis, CommitmentType, Condition, Party, Status

#: At most this many candidates are returned (the best first).
DEFAULT_LIMIT = 40
#: A candidate needs at least this score (each rule that fires adds its weight).
MIN_SCORE = 4
#: Longest sentence considered (a longer run of text without a full stop is not one statement).
MAX_SENTENCE = 1_500

# --------------------------------------------------------------------------- sentences

_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[—–-]?\s*[A-Z0-9])|\n\s*")


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) offsets, white space trimmed: a line break ends
    one, and so does a full stop, a question or an exclamation mark before a capital."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BOUNDARY.finditer(text):
        _add_span(text, pos, m.start() + len(m.group(0)) - len(m.group(0).lstrip("\"”’')]")), spans)
        pos = m.end()
    _add_span(text, pos, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# --------------------------------------------------------------------------- vocabulary of rules

#: Commitment types and the words that name them (the coding manual, section 7).
COMMITMENT_WORDS: tuple[tuple[CommitmentType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        (
            CommitmentType.CEASEFIRE_MONITORING,
            r"\bceasefire monitoring\b|\bmonitoring (?:and verification )?mission\b|\bverification mechanism\b",
        ),
        (
            CommitmentType.GROUND_TROOPS,
            r"\btroops?\b|\bsoldiers\b|\bboots on the ground\b|\breassurance force\b|\bmultinational force\b|"
            r"\bdeploy(?:s|ed|ing|ment)? (?:\w+ )?forces\b|\bforces? (?:to|in|on|inside) Ukrain|\bcontingent\b|"
            r"\bmilitary (?:presence|units|role)\b|\bpeacekeep\w*|\bplace forces\b|\bforce on the ground\b",
        ),
        (
            CommitmentType.AIR,
            r"\bair policing\b|\baircraft\b|\bjets?\b|\bskies\b|\bin the air\b|\bair (?:defen[cs]e|support|component)\b",
        ),
        (CommitmentType.MARITIME, r"\bmaritime\b|\bnaval\b|\bships?\b|\bwarships?\b|\bseas\b|\bBlack Sea\b|\bnavy\b"),
        (CommitmentType.INTELLIGENCE, r"\bintelligence\b|\breconnaissance\b|\bsurveillance\b"),
        (CommitmentType.TRAINING, r"\btrain(?:ing|ers?)\b|\binstructors?\b"),
        (
            CommitmentType.MILITARY_HUBS,
            r"\bmilitary hubs?\b|\bmilitary bases?\b|\bbases\b|\bprotected facilities\b|\binfrastructure\b",
        ),
        (
            CommitmentType.REBUILD_FORCES,
            r"\brebuild\w*|\bregenerat\w*|\barmed forces fit\b|\bbolster Ukraine[’']s (?:armed )?forces\b|\bcapabilities\b",
        ),
        (CommitmentType.SANCTIONS, r"\bsanctions?\b|\bpressure (?:up )?on Russia\b|\bshadow fleet\b|\boil trades?\b"),
        (CommitmentType.LOGISTICS_MEDICAL_DEMINING, r"\blogistic\w*|\bmedical\b|\bdemining\b"),
        (CommitmentType.BACKSTOP, r"\bbackstop\b|\bsecurity guarantees?\b|\bguarantor\b|\bsupport\W+ a European-led\b"),
        # A commitment that names no type: the form asks for it.
        (
            CommitmentType.OTHER,
            r"\bcontribut\w*|\bparticipat\w*|\bcommitments?\b|\bpromise\b|\bassist\b|\bwillingness\b|\breadiness\b",
        ),
    )
)

#: The words of a stance, strongest reading first (docs/coding.md, section 5). The caps of
#: :data:`pledgetui.review.CUES` are applied after: "ready to" never reads firmer than signalled.
#: A signature by the actor; "once a deal is signed" is a condition, not a signature (see :func:`_signed`).
_SIGNED = re.compile(r"\bsign(?:ed|s|ing)\b|\bdeclaration of intent\b", re.I)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been)\s*$", re.I)


def _signed(words: str) -> re.Match[str] | None:
    for m in _SIGNED.finditer(words):
        if not _PASSIVE.search(words[max(0, m.start() - 8) : m.start()]):
            return m
    return None


_ANNOUNCED = re.compile(
    r"\bwill\b(?! not\b)|\bwon[’']t\b(?!)|\bhas decided\b|\bannounced\b|\bpledged?\b|\bcommitted to\b|"
    r"\bconfirm(?:ed|s)? (?:participation|that)\b|\bagreed to (?!be ready)\w+|\bis to (?:send|deploy|provide)\b",
    re.I,
)
_SIGNALLED = re.compile(
    r"\bready to\b|\bwilling\b|\bprepared to\b|\breadiness\b|\bwillingness\b|\bagreed to be ready\b|"
    r"\bwant(?:s)? to\b|\bsaid (?:that )?(?:it|they|he|she|we) would\b|\bwould (?:participate|send|deploy|contribute|provide)\b|"
    r"\bpav(?:es|ed|ing|e) the way\b|\bsignalled\b|\boffered\b|\bwould be finali[sz]ed\b",
    re.I,
)
_CONSIDERING = re.compile(
    r"\b(?:would|could|will|may|might) consider\b|\bconsider(?:ing|s)?\b|\blooking at\b|\bmay\b|\bcould\b|\bmight\b|"
    r"\brequire\b|\bdepends? on\b|\bbefore committing\b|\bneeded clarity\b|\bdiscuss(?:ing|es|ed)?\b|\blooking at options\b",
    re.I,
)
_DECLINED = re.compile(
    r"\bnot prepared to\b|\bnot willing to\b|\bnever\b|\bruled? out\b|\brul(?:es|ing) out\b|\bwill not\b|\bwon[’']t\b|"
    r"\brefus\w*|\breject\w*|\bdeclin(?:ed|es) to (?:send|deploy|commit|join|take part)\b|\bno plans? to\b|\bopposed? to\b",
    re.I,
)
#: Words of an actor's opposition to others' commitments (a counter-position: Russia's red lines).
_COUNTER = re.compile(
    r"\bred lines?\b|\bunacceptable\b|\blegitimate targets?\b|\bthreat to (?:its|our) security\b|\bdismissed\b|\bwarned\b",
    re.I,
)
#: Words that attribute a statement to someone (a speaker, a document, hearsay).
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|stated?|stating|announced|insisted|warned|vowed|declared|emphasi[sz]ed|confirmed|"
    r"added|according to|statement|post(?:ed)?|wrote|claims?|claimed|disclosed)\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“”]")
#: Hearsay and the article's own unattributed report (basis report, docs/coding.md, section 4).
_HEARSAY = re.compile(
    r"\b(?:is|are|was|were) said to\b|\breportedly\b|\ballegedly\b|\brumou?red\b|\bit is understood\b", re.I
)
#: A document seen by others: a draft, a leak, a memo (basis document).
_DOCUMENT = re.compile(
    r"\bleaked (?:\w+ )?(?:memo(?:randum)?|document|draft|cable|report|letter)\b|\bdraft(?: \w+)? (?:statement|text|declaration|communiqu\w+)\b|\bleak(?:ed)?\b|\bmemo(?:randum)?\b|"
    r"\bdocument\b|\bseen by\b|\bobtained by\b",
    re.I,
)
_SEEN_BY = re.compile(r"\b(?:seen|obtained|reviewed) by (?:the )?(?P<who>[A-Z][\w&-]*(?:\.[\w&-]+)*(?: [A-Z][\w&-]*)*)")
#: Unnamed officials or sources (basis anonymous).
_ANONYMOUS = re.compile(
    r"\b(?:(?:senior|an?|one|two|three|several) )?(?:[A-Z][a-z]+ )?(?:defen[cs]e )?(?:officials?|sources?|diplomats?|aides?)\b"
    r"(?! (?:said|say|says) by name)",
    re.I,
)
_ACCORDING_TO = re.compile(r"\baccording to\b", re.I)
#: Words of a forecast or of the author's speculation, which commit nobody (docs/coding.md, section 7).
_SPECULATION = re.compile(
    r"\bis going to\b|\bmore likely\b|\bwould (?:mark|mean|necessitate|look)\b|\bpotentially\b", re.I
)
#: Questions and demands on others are not commitments.
_DEMAND = re.compile(r"\bmust\b|\burged?\b|\bcall(?:ed|s)? on\b|\bdemand\w*", re.I)

#: Conditions (docs/coding.md, section 6) and the words that state them.
CONDITION_WORDS: tuple[tuple[Condition, re.Pattern[str]], ...] = tuple(
    (condition, re.compile(pattern, re.I))
    for condition, pattern in (
        (
            Condition.PEACE_DEAL,
            r"\bpeace (?:deal|agreement|settlement)\b|\bsettlement\b|\bpapers are signed\b|\bassuming a deal\b|\bpeace is agreed\b",
        ),
        (
            Condition.CEASEFIRE,
            r"\bpost-ceasefire\b|\b(?:a|the|after a|once a|if a|when a) ceasefire\b(?! monitoring)|\btruce\b",
        ),
        (
            Condition.US_BACKSTOP,
            r"\b(?:US|U\.S\.|American) backstop\b|\bhow the US would back\b|\bUS (?:support|guarantee)\b",
        ),
        (Condition.LEGAL_FRAMEWORK, r"\blegal (?:framework|basis|mandate)\b"),
        (Condition.US_ROLE_CLARITY, r"\bclarity\b.*\b(?:US|U\.S\.|American|Washington)\b"),
        (Condition.NATIONAL_APPROVAL, r"\bparliament\w*\b|\b(?:a|the) vote\b|\bapproval\b|\bmandate from\b"),
    )
)
#: Words that present a commitment as already under way: ``conditions = []`` (never on a forecast).
_UNDER_WAY = re.compile(
    r"\balready being deployed\b|\balready (?:deployed|present|on the ground)\b|\bcurrently present\b", re.I
)

#: Numbers with what they count: "20,000 soldiers", "26 countries".
_NUMBER = re.compile(
    r"(?<![\w.,])(?:(?:as many as|up to|some|about|around) )?(?P<low>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\s*(?:to|-|–)\s*(?P<high>\d{1,3}(?:,\d{3})+|\d+))?\s+(?:(?:foreign|more|other|of the|[A-Z]\w+) )?"
    r"(?P<label>troops|soldiers|personnel|countries|nations|states|jets|aircraft|ships|warships|leaders|forces|"
    r"brigades|battalions|officers|instructors)\b",
    re.I,
)

# --------------------------------------------------------------------------- actors

#: The plain English short names the coding manual asks for, where pycountry's name is formal.
SHORT_NAMES = {
    "RU": "Russia",
    "KR": "South Korea",
    "KP": "North Korea",
    "IR": "Iran",
    "SY": "Syria",
    "MD": "Moldova",
    "VN": "Vietnam",
    "TR": "Turkey",
    "CZ": "Czech Republic",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "LA": "Laos",
}
#: Informal names, capitals and seats of government that stand for a state in news prose
#: (the coding manual: "capitals and leaders stand for their state only in the quote").
ALIASES = {
    "GB": ("Britain", "Great Britain", "UK", "U.K.", "London", "Downing Street", "Whitehall"),
    "US": ("US", "U.S.", "USA", "America", "Washington", "White House", "Pentagon"),
    "RU": ("Russia", "Moscow", "Kremlin"),
    "FR": ("Paris", "Elysée", "Élysée", "Elysee"),
    "DE": ("Berlin",),
    "UA": ("Kyiv", "Kiev"),
    "IE": ("Dublin",),
    "CA": ("Ottawa",),
    "NL": ("The Hague", "Holland"),
    "IT": ("Rome",),
    "PL": ("Warsaw",),
    "TR": ("Turkey", "Ankara"),
    "CZ": ("Czech Republic", "Prague"),
    "DK": ("Copenhagen",),
    "SE": ("Stockholm",),
    "NO": ("Oslo",),
    "FI": ("Helsinki",),
    "ES": ("Madrid",),
    "AU": ("Canberra",),
    "JP": ("Tokyo",),
}
#: Names that are a place, not a state speaking: "Brussels" is the EU more often than Belgium.
CAPITALS = {
    "London": "GB",
    "Washington": "US",
    "Moscow": "RU",
    "Paris": "FR",
    "Berlin": "DE",
    "Kyiv": "UA",
    "Kiev": "UA",
    "Dublin": "IE",
    "Ottawa": "CA",
    "Rome": "IT",
    "Warsaw": "PL",
}
#: Demonyms (adjectives of nationality), keyed by ISO 3166 alpha-2. pycountry has none; rather
#: than a second country package for one field (countryinfo carries demonyms among much other
#: data, and was not adopted), the states most often named in reporting on European security
#: are listed here. A state missing here is still found by its name.
DEMONYMS = {
    "GB": ("British", "UK"),
    "US": ("American", "US", "U.S."),
    "RU": ("Russian",),
    "UA": ("Ukrainian",),
    "FR": ("French",),
    "DE": ("German",),
    "IE": ("Irish",),
    "CA": ("Canadian",),
    "NL": ("Dutch",),
    "DK": ("Danish",),
    "IT": ("Italian",),
    "PL": ("Polish",),
    "ES": ("Spanish",),
    "SE": ("Swedish",),
    "NO": ("Norwegian",),
    "FI": ("Finnish",),
    "BE": ("Belgian",),
    "EE": ("Estonian",),
    "LV": ("Latvian",),
    "LT": ("Lithuanian",),
    "RO": ("Romanian",),
    "CZ": ("Czech",),
    "TR": ("Turkish",),
    "AU": ("Australian",),
    "JP": ("Japanese",),
    "PT": ("Portuguese",),
    "GR": ("Greek",),
    "AT": ("Austrian",),
    "HU": ("Hungarian",),
    "SK": ("Slovak",),
    "BG": ("Bulgarian",),
    "HR": ("Croatian",),
    "NZ": ("New Zealand",),
    "CN": ("Chinese",),
}
#: Collective actors the bundled ledger codes (docs/coding.md, section 2), and their words.
COLLECTIVES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("NATO countries willing to participate", re.compile(r"\bNATO countries willing\b")),
    ("Coalition of the Willing", re.compile(r"\bcoalition\b|\b\d+ (?:countries|nations|states|have|had)\b", re.I)),
    ("European countries (unnamed)", re.compile(r"\bEuropean (?:participation|countries|allies|nations)\b")),
)
#: Titles before a name ("President Emmanuel Macron" is "Emmanuel Macron").
_TITLES = re.compile(
    r"^(?:(?:French|British|German|US|American|Russian|Ukrainian|Irish|Dutch|Canadian|Italian|Polish) )?"
    r"(?:(?:Prime|Foreign|Defen[cs]e|Deputy|Vice) )?(?:President|Minister|Chancellor|Secretary(?: General)?|"
    r"Deputy|Spokes(?:wo)?man|Premier|Taoiseach|Tánaiste|Senator|General|Admiral|Envoy|Ambassador)\s+"
)
_NAME = r"[A-ZÀ-Ý][\w’'.-]+(?: (?:de |van |von |der )?[A-ZÀ-Ý][\w’'.-]+){0,3}"
_SPEECH = r"(?:has |had |also |further |then |publicly |candidly |repeatedly )*(?:said|says|told|stated|announced|insisted|warned|vowed|declared|emphasi[sz]ed|confirmed|added|wrote|posted|disclosed|dismissed|ruled out)"
_ADVERB = r"(?:[a-z]+ly )?"
_SPEAKER_BEFORE = (
    re.compile(rf"(?P<name>{_NAME}(?: and {_NAME})?),? {_ADVERB}{_SPEECH}\b"),
    re.compile(rf"(?P<name>{_NAME}) [—–-] [^—–]{{1,80}} [—–-] {_ADVERB}{_SPEECH}\b"),
    re.compile(rf"(?P<name>{_NAME}) [^.;:“”\"]{{0,60}}?, (?:saying|stating|insisting)\b"),
    re.compile(rf"(?P<name>{_NAME}),[^,]{{1,80}},? {_ADVERB}{_SPEECH}\b"),
    re.compile(rf"(?P<name>{_NAME}) [a-z][^.;:“”\"]{{0,60}}? and {_ADVERB}{_SPEECH}\b"),
)
#: "French President Emmanuel Macron", "Ireland's Tánaiste ... Simon Harris": whose state a person speaks for.
_TITLED = re.compile(
    # a word's start only, and bounded: from every capital of a long run of letters the pattern
    # would otherwise scan to the run's end and back (quadratic time on "AAAA...")
    r"\b(?P<state>[A-Z]\w{1,40})(?:[’']s)? (?:(?:[A-Za-z][\w-]{0,40}|and|for|of) ){0,4}?"
    r"(?i:president|prime minister|minister|chancellor|secretary|deputy|tánaiste|taoiseach|spokes\w+|envoy)"
    r"(?: (?:for|of) [A-Z]\w+)?,? (?P<name>[A-ZÀ-Ý][\w’'-]+ [A-ZÀ-Ý][\w’'-]+)"
)
_SPEAKER_AFTER = re.compile(rf"\b(?i:said|says|according to|told by) (?P<name>{_NAME})")
_HIS_OFFICE = re.compile(r"\b(?:his|her|their) (?:office|spokes\w+|ministry)\b", re.I)


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    by_letter: dict[str, tuple[str, ...]]  # a first letter -> the names (folded) starting with it, longest first
    codes: dict[str, str]  # a name as written (folded) -> alpha-2
    names: dict[str, str]  # alpha-2 -> the short name the ledger uses


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """Every name that stands for a state: pycountry's names, the short and informal names,
    capitals and demonyms above, indexed by first letter, longest names first."""
    import pycountry

    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        short = SHORT_NAMES.get(code) or getattr(country, "common_name", None) or country.name
        names[code] = short
        for name in (
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
            short,
        ):
            if name and "," not in name:
                codes.setdefault(name.casefold(), code)
    for table in (ALIASES, DEMONYMS):
        for code, words in table.items():
            for word in words:
                codes.setdefault(word.casefold(), code)
    by_letter: dict[str, list[str]] = {}
    for name in sorted(codes, key=len, reverse=True):
        by_letter.setdefault(name[0], []).append(name)
    return _Gazetteer({k: tuple(v) for k, v in by_letter.items()}, codes, names)


#: Where a name can start: a capital letter not inside a word.
_CAPITAL = re.compile(r"(?<![\w-])[A-ZÀ-Ý]")


def _is_name_at(sentence: str, start: int, name: str, folded: str) -> bool:
    """Whether ``sentence`` holds ``name`` (folded) at ``start`` as a proper noun: every word
    capitalised (an all-capitals name such as "US" written so: "us" is not the US), and not
    running on into a longer word."""
    end = start + len(name)
    if folded[start:end] != name:
        return False
    if end < len(sentence) and (sentence[end].isalnum() or sentence[end] in "-_"):
        return False
    written = sentence[start:end]
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) <= 3 and "".join(letters).isascii() and name == name.lower() and written != written.upper():
        return False  # "US", "UK", "U.S.": capitals only
    return all(word[:1].isupper() or word in ("and", "of", "the") for word in written.split(" "))


@dataclass(frozen=True, slots=True)
class Mention:
    code: str
    name: str  # the state's short name
    words: str  # as written
    start: int  # in the sentence


def countries(sentence: str) -> list[Mention]:
    """The states a sentence names, in order (names, informal names, capitals, demonyms)."""
    g = gazetteer()
    folded = sentence.casefold() if sentence.isascii() else None
    found: list[Mention] = []
    pos = 0
    for m in _CAPITAL.finditer(sentence):
        start = m.start()
        if start < pos:
            continue
        if folded is None:  # casefold may change lengths outside ASCII: fold around the name only
            window = sentence[start : start + 80]
            local, offset = window.casefold(), start
            if len(local) != len(window):
                continue
        else:
            local, offset = folded, 0
        for name in g.by_letter.get(m.group(0).casefold()[:1], ()):
            if _is_name_at(sentence if folded is not None else window, start - offset, name, local):
                code = g.codes[name]
                found.append(Mention(code, g.names[code], sentence[start : start + len(name)], start))
                pos = start + len(name)
                break
    return found


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class Number:
    label: str
    low: int | None
    high: int | None

    def __str__(self) -> str:
        if self.low is None:
            return f"{self.label}: up to {self.high}"
        if self.high is None or self.high == self.low:
            return f"{self.label}: {self.low}"
        return f"{self.label}: {self.low}-{self.high}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A passage that looks like a statement, with a proposed coding and the rules behind it."""

    start: int
    end: int
    sentence: str  # the article's exact text, text[start:end]
    score: int
    actor: str
    actor_type: ActorType
    actors: tuple[str, ...]  # every actor the sentence names (one entry each, docs/coding.md section 2)
    claimant: str
    party: Party
    basis: Basis
    relayed_by: str
    commitment: CommitmentType
    commitments: tuple[CommitmentType, ...]
    status: Status
    counter_position: bool
    conditions: tuple[Condition, ...] | None  # None: none stated; (): unconditional
    stated: dt.date | None
    stated_why: str
    numbers: tuple[Number, ...]
    summary: str
    why: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "score": self.score,
            "actor": self.actor,
            "actor_type": self.actor_type.value,
            "actors": list(self.actors),
            "claimant": self.claimant,
            "party": self.party.value,
            "basis": self.basis.value,
            "relayed_by": self.relayed_by,
            "commitment": self.commitment.value,
            "commitments": [c.value for c in self.commitments],
            "status": self.status.value,
            "kind": "counter_position" if self.counter_position else "pledge",
            "conditions": None if self.conditions is None else [c.value for c in self.conditions],
            "stated": self.stated.isoformat() if self.stated else None,
            "stated_why": self.stated_why,
            "numbers": [{"label": n.label, "low": n.low, "high": n.high} for n in self.numbers],
            "summary": self.summary,
            "why": list(self.why),
        }


#: Words that must occur in a sentence before any other rule is run on it: most sentences of a
#: long article hold none, and cost one scan.
_PREFILTER = re.compile("|".join(p.pattern for _, p in COMMITMENT_WORDS), re.I)


@dataclass(slots=True)
class _Reading:
    """What the rules carry from sentence to sentence: the article's author, the states its
    titled people speak for, and the last speaker named in the current paragraph."""

    author: str
    people: dict[str, str] = field(default_factory=dict)  # a name or surname -> its state's short name
    speaker: tuple[str, Basis, Party | None, str] | None = None
    #: The last person named as speaking, anywhere before: whom "he" or "his post" means.
    person: str = ""


class Suggestions(list[Candidate]):
    """The candidates kept (best first), and how many were found before the limit."""

    total: int = 0


def suggest(
    text: str,
    *,
    article_date: dt.date | None = None,
    limit: int = DEFAULT_LIMIT,
    author: str = "article author",
) -> Suggestions:
    """The candidate statements of ``text``, best first, at most ``limit`` of them, in the
    article's order among equal scores (``total``: how many were found in all).
    ``article_date`` resolves relative days ("on Tuesday"); ``author`` names the article's
    own voice (a claimant "a003 author")."""
    reading = _Reading(author, _people(text))
    found: list[Candidate] = []
    spans = sentences(text)
    for n, (start, end) in enumerate(spans):
        if start > 0 and "\n" in text[max(0, start - 4) : start]:
            reading.speaker = None  # a line break: a new paragraph, and no speaker carried over
        if end - start > MAX_SENTENCE:
            continue
        sentence = text[start:end]
        if _PREFILTER.search(sentence):
            candidate = _candidate(sentence, start, end, reading)
            if candidate is not None and n + 1 < len(spans):
                candidate = _attributed(candidate, text, spans[n + 1])
            if candidate is not None:
                found.append(candidate)
        elif _SPEECH_WORD.search(sentence):
            _remember_speaker(cue_text(sentence), reading)
    found.sort(key=lambda c: (-c.score, c.start))
    chosen = Suggestions(_dated(c, article_date) for c in found[: max(0, limit)])
    chosen.total = len(found)
    return chosen


#: An attribution line under a quotation: "— Mark Rutte, NATO Secretary General, February 3, 2026".
_ATTRIBUTION_LINE = re.compile(rf"^[—–-]\s*(?P<name>{_NAME})(?:,|$)")


def _attributed(c: Candidate, text: str, following: tuple[int, int]) -> Candidate:
    """A quotation followed by an attribution line: the quote runs over the line (the coding
    manual, section 8), and the line names the speaker."""
    line = text[following[0] : following[1]]
    m = _ATTRIBUTION_LINE.match(line)
    if m is None or "\n" in line or not c.sentence.lstrip().startswith(('"', "“")):
        return c
    from dataclasses import replace

    name = m["name"]
    return replace(
        c,
        end=following[1],
        sentence=text[c.start : following[1]],
        claimant=name,
        basis=Basis.STATEMENT,
        score=c.score + 2,
        why=(
            *(w for w in c.why if not w.startswith("no speaker named")),
            f"attribution line below the quotation: {name} (statement; the quote runs over the line)",
        ),
    )


_SPEECH_WORD = re.compile(
    r"\b(?:said|says|told|stated|announced|insisted|warned|vowed|declared|wrote|posted|disclosed)\b"
)


def _people(text: str) -> dict[str, str]:
    """Titled people and the state each speaks for ("French President Emmanuel Macron": France),
    by full name and by surname, from the whole article."""
    g = gazetteer()
    people: dict[str, str] = {}
    for m in _TITLED.finditer(text):
        code = g.codes.get(m["state"].casefold())
        if code is None:
            continue
        name = re.sub(r"[’']s$", "", m["name"])
        people.setdefault(name, g.names[code])
        people.setdefault(name.rsplit(" ", 1)[-1], g.names[code])
    return people


def _remember_speaker(words: str, reading: _Reading) -> None:
    claimant, basis, party, relayed_by, _ = _claimant(words, countries(words), reading)
    if claimant is not None:
        reading.speaker = (claimant, basis, party, relayed_by)


#: "Coalition of the willing" is a name, not a stance.
_NAMED_WILLING = re.compile(r"\bcoalition of the willing\b", re.I)
#: A state named after these words is the object of the commitment (pressure on Russia), not its actor.
_OBJECT = re.compile(
    r"(?:\bon|\bagainst|\btargeting|\bfrom|\bwith|\btowards?|\bfighting|\bsupporting|\bbacking|\bsanctioning|\bdeter(?:ring)?)\s+(?:the\s+)?$",
    re.I,
)
#: A capital named after these words is a place ("in Paris"), not a government speaking.
_PLACE = re.compile(r"\b(?:in|at|near|outside|around|across)\s+$", re.I)
#: Just before a commitment's words: the sentence names it to refuse it ("but not combat troops").
_NEGATED = re.compile(r"\b(?:not|no|never|without|nor)\b(?:\s+\w+){0,2}\s*$", re.I)
_PRONOUN_START = re.compile(r"^[\"“‘']?\s*(?:He|She|They|It|This|We|Our|The deputy|The minister)\b|^[\"“‘]")


def _candidate(sentence: str, start: int, end: int, reading: _Reading) -> Candidate | None:
    author = reading.author
    why: list[str] = []
    score = 0
    words = cue_text(sentence)
    stance_words = _NAMED_WILLING.sub("coalition", words)
    named: list[tuple[bool, int, CommitmentType, str]] = []
    for kind, pattern in COMMITMENT_WORDS:
        m = pattern.search(words)
        if m:
            negated = bool(_NEGATED.search(words[max(0, m.start() - 24) : m.start()]))
            named.append((negated, m.start(), kind, m.group(0)))
    if not named:
        return None
    # The type the sentence offers: the first one it names, but a type it names only to refuse
    # ("engineers and demining teams, but not combat troops") after every type it does not.
    offered = [n for n in named if not n[0]] or named
    offered.sort(key=lambda n: (n[2] is CommitmentType.OTHER, n[1]))
    commitments = [n[2] for n in offered] + [n[2] for n in named if n not in offered]
    why.append(f"names a commitment: {offered[0][3]!r} ({offered[0][2].value})")
    refused = [n for n in named if n[0] and n not in offered]
    if refused:
        why.append("names to refuse it: " + ", ".join(f"{n[3]!r}" for n in refused))
    if len(commitments) > 1 and commitments[-1] is CommitmentType.OTHER:
        commitments.pop()
    score += 2
    if len(commitments) > 1:
        why.append("also names: " + ", ".join(k.value for k in commitments[1:]))

    status, status_why = _stance(stance_words, named=commitments[0] is not CommitmentType.OTHER)
    counter = bool(_COUNTER.search(words))
    if status is None and not counter:
        _remember_speaker(words, reading)
        return None
    score += 2
    why.append(status_why if status is not None else "opposition to others' commitments (a counter-position)")
    if counter:
        why.append(f"counter-position cue: {_COUNTER.search(words).group(0)!r}")  # type: ignore[union-attr]
        status = status or Status.ANNOUNCED

    mentions = countries(words)
    subjects: list[tuple[str, ActorType]] = []
    objects: list[tuple[str, ActorType]] = []
    for mention in mentions:
        if mention.code == "UA" and not re.search(r"Ukraine(?:’s|'s)? (?:will|would|is ready)", words):
            continue  # Ukraine is where the commitments would be kept, rarely who keeps them
        item = (mention.name, ActorType.COUNTRY)
        if mention.words in CAPITALS and _PLACE.search(words[: mention.start]):
            continue  # "a meeting in Paris": where, not who
        if _OBJECT.search(words[: mention.start]):
            if item not in subjects and item not in objects:
                objects.append(item)
        elif item not in subjects:
            subjects.append(item)
            if item in objects:
                objects.remove(item)
    actors = subjects
    for name, pattern in COLLECTIVES:
        if pattern.search(words) and (name, ActorType.COALITION) not in actors:
            actors.append((name, ActorType.COALITION))
    claimant, basis, party_hint, relayed_by, claim_why = _claimant(words, mentions, reading)
    if claimant is not None:
        reading.speaker = (claimant, basis, party_hint, relayed_by)
    elif reading.speaker is not None and (_PRONOUN_START.search(words) or _QUOTED.search(words) or not actors):
        claimant, basis, party_hint, relayed_by = reading.speaker
        basis = Basis.STATEMENT if basis is Basis.PARAPHRASE and _FIRST_PERSON.search(words) else basis
        claim_why = [f"speaker carried from earlier in the paragraph: {claimant}"]
    speaker_state = _state_of(claimant, reading) if claimant else None
    if not actors and speaker_state:
        actors = [(speaker_state, ActorType.COUNTRY)]
        why.append(f"actor: the speaker's own state ({speaker_state})")
        score += 2
    elif not actors and objects and counter:
        actors = objects
        why.append("actor: " + ", ".join(name for name, _ in actors))
        score += 2
    elif actors:
        score += 2
        why.append("actor: " + ", ".join(name for name, _ in actors))
    if not actors:
        if claimant is None:
            return None
        why.append("names no actor: the actor is to be filled in")
        score -= 1
    if claimant is not None:
        score += 2
        why.extend(claim_why)
    else:
        claimant = author
        basis = Basis.REPORT
        why.append(f"no speaker named: the article's own assertion ({author}, basis report)")
    if _QUOTED.search(words):
        score += 1
        why.append("carries quoted words")
    spec = _SPECULATION.search(words)
    if spec:
        score -= 3
        why.append(f"speculation: {spec.group(0)!r} (weighs against)")
    demand = _DEMAND.search(words)
    if demand and status is not Status.DECLINED:
        score -= 2
        why.append(f"a demand on others: {demand.group(0)!r} (weighs against)")
    if commitments == [CommitmentType.OTHER] and status is Status.CLAIMED and "commitment" in status_why:
        score -= 2
        why.append("names no commitment type and no stance beyond the word 'commitment' (weighs against)")
    if words.rstrip().endswith("?"):
        score -= 3
        why.append("a question (weighs against)")
    if score < MIN_SCORE:
        return None

    actor, actor_type = actors[0] if actors else ("", ActorType.COUNTRY)
    if party_hint is not None:
        party = party_hint
    elif speaker_state is not None:
        party = Party.FIRST_PARTY if speaker_state == actor else Party.THIRD_PARTY
        why.append(
            f"the speaker speaks for {speaker_state}: {'first' if party is Party.FIRST_PARTY else 'third'} party"
        )
    else:
        party = Party.THIRD_PARTY
    assert status is not None
    status, cap_why = _capped(status, stance_words, party, basis)
    if cap_why:
        why.append(cap_why)
    conditions = _conditions(words)
    if conditions:
        why.append("conditions: " + ", ".join(c.value for c in conditions))
    elif conditions == ():
        why.append("under way: unconditional (conditions = [])")
    numbers = _numbers(words)
    kind = commitments[0]
    summary = _summary(actor, kind, status, conditions, counter)
    return Candidate(
        start=start,
        end=end,
        sentence=sentence,
        score=score,
        actor=actor,
        actor_type=actor_type,
        actors=tuple(name for name, _ in actors),
        claimant=claimant,
        party=party,
        basis=basis,
        relayed_by=relayed_by,
        commitment=kind,
        commitments=tuple(commitments),
        status=status,
        counter_position=counter,
        conditions=conditions,
        stated=None,
        stated_why="",
        numbers=numbers,
        summary=summary,
        why=tuple(why),
    )


_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.I)


def _state_of(claimant: str, reading: _Reading) -> str | None:
    """The state a claimant speaks for, when the article says: its government, its officials,
    its official statement, or a titled person of it."""
    if claimant == "Downing Street statement":
        return "United Kingdom"
    m = re.match(r"Government of (.+?)(?: \(|$)", claimant)
    if m:
        return m.group(1)
    m = re.match(r"(\w+) (?:officials|sources|diplomats|aides) \(unnamed\)", claimant)
    if m:
        code = gazetteer().codes.get(m.group(1).casefold())
        return gazetteer().names[code] if code else None
    return reading.people.get(claimant) or reading.people.get(claimant.rsplit(" ", 1)[-1])


class _SignedPattern:
    """:data:`_SIGNED` without the passive, with the ``search`` of a pattern."""

    def search(self, words: str) -> re.Match[str] | None:
        return _signed(words)


def _stance(words: str, *, named: bool = True) -> tuple[Status | None, str]:
    """The firmest reading the stance words allow, and why (docs/coding.md, section 5).
    ``named``: the words name a commitment type ("will want to" is signalled only then)."""
    refusal = _DECLINED.search(words)
    if refusal:
        return Status.DECLINED, f"refusal cue: {refusal.group(0)!r} (declined)"
    waiting = WAITING.search(words)
    if waiting and not REFUSING.search(words):
        return Status.CONSIDERING, f"waits on something: {waiting.group(0)!r} (considering)"
    under_way = _UNDER_WAY.search(words)
    if under_way:
        return Status.CLAIMED, f"reports it under way: {under_way.group(0)!r} (a claim until the actor says so)"
    forecast = FORECAST.search(words)
    if forecast:
        return Status.CLAIMED, f"a forecast: {forecast.group(0)!r} (claimed)"
    undecided = re.search(r"\bnot (?:yet )?committed\b", words, re.I)
    if undecided:
        return Status.CONSIDERING, f"no decision yet: {undecided.group(0)!r} (considering)"
    want = re.search(r"\bwill want to\b", words, re.I)
    if want:
        status = Status.SIGNALLED if named else Status.CONSIDERING
        return (
            status,
            f"stance cue: {want.group(0)!r} ({status.value}: {'names' if named else 'does not name'} the commitment)",
        )
    for status, pattern in (
        (Status.CONSIDERING, re.compile(r"\b(?:would|could|will|may|might) consider\b", re.I)),
        (Status.SIGNED, _SignedPattern()),
        (Status.SIGNALLED, re.compile(r"\bpav(?:es|ed|ing|e) the way\b|\bagreed to be ready\b", re.I)),
        (Status.ANNOUNCED, _ANNOUNCED),
        (Status.SIGNALLED, _SIGNALLED),
        (Status.CONSIDERING, _CONSIDERING),
        (Status.CLAIMED, re.compile(r"\bcommitments?\b|\bpromise\b|\bpledges\b", re.I)),
        # What follows a signature ("after the papers are signed"): at most a claim.
        (Status.CLAIMED, re.compile(r"\b(?:is|are|was|were|been) signed\b", re.I)),
    ):
        m = pattern.search(words)
        if m:
            return status, f"stance cue: {m.group(0)!r} ({status.value})"
    return None, ""


def _capped(status: Status, words: str, party: Party, basis: Basis) -> tuple[Status, str]:
    """``status`` capped as the manual's checks cap it: by the cue words (pledgetui.review.CUES),
    and at ``claimed`` for a third party or an unverified basis (a refusal stays declined)."""
    if status is Status.DECLINED:
        return status, ""
    reasons: list[str] = []
    for pattern, cap, cue in CUES:
        if status.strength > cap.strength and pattern.search(words):
            status = cap
            reasons.append(f"{cue} caps it at {cap.value}")
    if status is not Status.CLAIMED and (party is Party.THIRD_PARTY or not basis.on_record):
        status = Status.CLAIMED
        reasons.append(f"a {'third party' if party is Party.THIRD_PARTY else basis.value} statement is at most claimed")
    return status, "; ".join(reasons)


def _claimant(
    words: str, mentions: Sequence[Mention], reading: _Reading
) -> tuple[str | None, Basis, Party | None, str, list[str]]:
    """Who says it, how it reaches us, whether that decides the party, who relays it, and why."""
    author = reading.author
    why: list[str] = []
    doc = _DOCUMENT.search(words)
    if doc:
        seen = _SEEN_BY.search(words)
        agency = seen.group("who").rstrip(".") if seen else ""
        what = doc.group(0)
        if agency:
            kind = what if " " in what else "document"
            claimant = f"{kind[0].upper()}{kind[1:]} (seen by {agency})"
        elif " " in what:
            claimant = f"{what[0].upper()}{what[1:]} (as described in the article)"
        else:
            claimant = "Document (as described in the article)"
        why.append(f"a document: {doc.group(0)!r} (basis document, third party)")
        return claimant, Basis.DOCUMENT, Party.THIRD_PARTY, f"{agency}, via the {author}" if agency else "", why
    hearsay = _HEARSAY.search(words)
    if hearsay:
        why.append(f"hearsay: {hearsay.group(0)!r} (basis report, third party)")
        return f"{author} (hearsay)", Basis.REPORT, Party.THIRD_PARTY, "", why
    according = _ACCORDING_TO.search(words)
    quoted = bool(_QUOTED.search(words))
    if re.search(r"\bDowning [Ss]treet\b", words) or (
        _HIS_OFFICE.search(words) and reading.speaker and reading.speaker[0] == "Downing Street statement"
    ):
        why.append("speaker: Downing Street (an official statement)")
        return "Downing Street statement", Basis.STATEMENT if quoted else Basis.PARAPHRASE, None, "", why
    named: list[str] = []
    for pattern in _SPEAKER_BEFORE:
        for m in pattern.finditer(words):
            name = _TITLES.sub("", m.group("name")).strip()
            bare = name.removeprefix("The ")
            if bare != name and bare.casefold() in gazetteer().codes:
                name = bare  # "The Kremlin"
            if _is_person_or_state(name) and name not in named:
                named.append(name)
    if named:
        # A state or a person whose state the article gives beats a place ("Turkey, which
        # controls access to the Black Sea, has said"); else the first found.
        known = [n for n in named if n.casefold() in gazetteer().codes or n in reading.people]
        name = (known or named)[0]
        reading.person = name
        return _named(name, quoted, "speaker", why)
    after = _SPEAKER_AFTER.search(words)
    if after:
        name = _TITLES.sub("", after.group("name")).strip()
        if _is_person_or_state(name):
            reading.person = name
            result = _named(name, quoted, "speaker", why)
            if according:
                why.append("'according to': a third party's account (claimed)")
                return result[0], Basis.PARAPHRASE, Party.THIRD_PARTY, "", why
            return result
    its = _ITS_OFFICIAL.search(words)
    state = next((mm for mm in mentions if mm.code != "UA" and mm.start < (its.start() if its else 0) + 1), None)
    if its and state is not None:
        claimant = f"Government of {state.name} ({its['role']})"
        why.append(f"speaker: {its.group(0)!r}, of {state.name} (its government; basis paraphrase)")
        return claimant, Basis.PARAPHRASE, None, "", why
    seat = _SEAT_OFFICIAL.search(words)
    if seat and seat["seat"].casefold() in gazetteer().codes:
        code = gazetteer().codes[seat["seat"].casefold()]
        claimant = f"Government of {gazetteer().names[code]} ({seat['seat']} {seat['role']})"
        why.append(f"speaker: {seat.group(0)!r} (its government; basis paraphrase)")
        return claimant, Basis.PARAPHRASE, None, "", why
    pronoun = _PRONOUN_SPEAKER.search(words)
    if pronoun and reading.person:
        why.append(f"speaker: {pronoun.group(0)!r} is {reading.person}, named before (paraphrase)")
        return reading.person, Basis.PARAPHRASE, None, "", why
    lower = words.lower()
    anon = _ANONYMOUS.search(words) if any(w in lower for w in ("official", "source", "diplomat", "aide")) else None
    if anon and (_ATTRIBUTION.search(words) or re.search(r"officials? (?:stating|saying)", words, re.I)):
        before = words[: anon.start() + len(anon.group(0))]
        demonym = next((w for w in anon.group(0).split() if w in _demonym_words()), "")
        if not demonym:  # "Germany ..., with officials stating": the officials of the state named first
            state = next((mm for mm in mentions if mm.code != "UA" and mm.start < len(before)), None)
            demonym = DEMONYMS.get(state.code, ("",))[0] if state else ""
        noun = next(
            (w for w in ("officials", "sources", "diplomats", "aides") if w[:-1] in anon.group(0).lower()), "officials"
        )
        who = f"{demonym} {noun} (unnamed)" if demonym else f"{noun.capitalize()} (unnamed)"
        why.append(f"unnamed sources: {anon.group(0)!r} (basis anonymous)")
        return who, Basis.ANONYMOUS, None, "", why
    if according:
        why.append("'according to': a third party's account (basis report, claimed)")
        return f"{author}", Basis.REPORT, Party.THIRD_PARTY, "", why
    return None, Basis.REPORT, None, "", why


#: "its defence minister said": an office of the state the sentence names before.
_ITS_OFFICIAL = re.compile(
    r"(?:\b(?:its|the country[’']s|the government[’']s)|(?<=[’']s)) (?P<role>(?:[a-z]+ ){0,2}(?:minister|ministry|spokes(?:wo)?man|"
    r"spokesperson|president|prime minister|chancellor|government|foreign office))\b,? (?:has |had )?"
    r"(?:said|says|told|stated|announced|confirmed|insisted)\b"
)
#: "a White House spokesperson said", "a Kremlin official said": an office named by its seat.
_SEAT_OFFICIAL = re.compile(
    r"\b(?:an?|the) (?P<seat>White House|Kremlin|Pentagon|Downing Street|Elysée|Élysée)\s"
    r"(?P<role>spokes(?:wo)?man|spokesperson|official|aide)\b"
)
#: A pronoun that speaks: "He further speculated", "according to his Telegram post".
_PRONOUN_SPEAKER = re.compile(
    rf"^(?:He|She)\b(?: \w+){{0,2}} (?:{_SPEECH}|speculated|claimed|added)\b|\baccording to (?:his|her)\b"
)


def _named(name: str, quoted: bool, role: str, why: list[str]) -> tuple[str, Basis, Party | None, str, list[str]]:
    g = gazetteer()
    code = g.codes.get(name.casefold())
    if code is not None:  # a state or its capital speaks: its government (docs/coding.md, section 3)
        state = g.names[code]
        claimant = f"Government of {state}" + (f" ({name})" if name in CAPITALS else "")
        why.append(f"{role}: {name!r} (its government; basis paraphrase)")
        return claimant, Basis.PARAPHRASE, None, "", why
    basis = Basis.STATEMENT if quoted else Basis.PARAPHRASE
    why.append(f"{role}: {name!r} ({'quoted: statement' if quoted else 'reported: paraphrase'})")
    return name, basis, None, "", why


@lru_cache(maxsize=1)
def _demonym_words() -> frozenset[str]:
    return frozenset(w for words in DEMONYMS.values() for w in words)


_NOT_NAMES = frozenset(
    {
        "This",
        "That",
        "It",
        "He",
        "She",
        "They",
        "We",
        "The",
        "But",
        "And",
        "Meanwhile",
        "However",
        "Such",
        "Reading",
        "West",
        "Now",
        "Formally",
        "In",
        "For",
        "After",
        "Once",
        "If",
        "When",
        "Then",
        "So",
        "Yet",
    }
)


def _is_person_or_state(name: str) -> bool:
    first = name.split(" ", 1)[0]
    return bool(name) and first not in _NOT_NAMES and not name.isupper() and not name.endswith((".", "’s", "'s"))


def _conditions(words: str) -> tuple[Condition, ...] | None:
    found = tuple(c for c, pattern in CONDITION_WORDS if pattern.search(words))
    if found:
        return found
    if _UNDER_WAY.search(words) and not FORECAST.search(words):
        return ()
    return None


def _numbers(words: str) -> tuple[Number, ...]:
    out: list[Number] = []
    for m in _NUMBER.finditer(words):
        low = int(m["low"].replace(",", ""))
        high = int(m["high"].replace(",", "")) if m["high"] else None
        label = m["label"].lower()
        if label == "forces":
            label = "troops"
        out.append(Number(label, low, high))
    return tuple(out)


def _summary(
    actor: str, kind: CommitmentType, status: Status, conditions: tuple[Condition, ...] | None, counter: bool
) -> str:
    what = kind.label.split(" / ")[0].lower()
    who = actor or "Someone"
    if counter:
        text = f"{who} opposes {what} by others"
    else:
        verb = {
            Status.CLAIMED: "is said to commit",
            Status.CONSIDERING: "would consider",
            Status.SIGNALLED: "is ready to provide",
            Status.ANNOUNCED: "will provide",
            Status.SIGNED: "signed to provide",
            Status.DECLINED: "rules out",
        }[status]
        text = f"{who} {verb} {what}" if status is not Status.CLAIMED else f"{who}: {what} (claimed)"
    if conditions:
        text += " if " + " and ".join(c.label.lower() for c in conditions)
    return text


# --------------------------------------------------------------------------- dates

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
#: The forms of a date that a sentence can date itself with: a day of the week, a month with a day,
#: an ISO date. ("Today", "now", "in the future" are left to the article's date.)
_DATE_WORDS = re.compile(
    rf"\b(?:{'|'.join(_WEEKDAYS)})\b|\b(?:{_MONTHS})\.? \d{{1,2}}\b|\b\d{{1,2}} (?:{_MONTHS})\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b",
    re.I,
)
_ARTICLE_DATE = re.compile(
    rf"\b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\b|\b(?P<words>(?:{_MONTHS})\.? \d{{1,2}},? \d{{4}}|\d{{1,2}} (?:{_MONTHS}) \d{{4}})\b",
    re.I,
)


def article_date(text: str) -> dt.date | None:
    """The date an article gives itself in its opening (its first 200 characters): an ISO
    date or a full written date; None when it gives none."""
    m = _ARTICLE_DATE.search(text[:200])
    if m is None:
        return None
    if m["iso"]:
        try:
            return dt.date.fromisoformat(m["iso"])
        except ValueError:
            return None
    return _parse_date(m["words"], None)


def _parse_date(words: str, base: dt.date | None) -> dt.date | None:
    import dateparser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": []}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    found = dateparser.parse(words, languages=["en"], settings=settings)
    return found.date() if found is not None else None


def stated_date(sentence: str, base: dt.date | None) -> tuple[dt.date | None, str]:
    """The date a sentence gives itself, and how it was read; (None, reason) when it gives none
    that can be read. A day of the week needs the article's date to be resolved."""
    words = cue_text(sentence)
    if not _DATE_WORDS.search(words):
        return None, ""
    from dateparser.search import search_dates

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    try:
        hits = search_dates(words, languages=["en"], settings=settings) or []
    except Exception:  # dateparser raises assorted errors on odd input; a date is only a proposal
        return None, ""
    for found_words, when in hits:
        if not _DATE_WORDS.search(found_words):
            continue
        weekday = re.search(rf"\b(?:{'|'.join(_WEEKDAYS)})\b", found_words, re.I)
        explicit_year = re.search(r"\b\d{4}\b", found_words)
        if weekday and not re.search(rf"\b(?:{_MONTHS})\b", found_words, re.I):
            if base is None:
                return (
                    None,
                    f"{found_words.strip()!r} is a day of the week, and the article gives no date to count from",
                )
            # the coding manual's rule: the latest such weekday on or before the article's date
            # (wire copy names the article's own day by its weekday)
            target = _WEEKDAYS.index(weekday.group(0).lower())
            day = base - dt.timedelta(days=(base.weekday() - target) % 7)
            return day, (
                f"{found_words.strip()!r}: the {weekday.group(0).capitalize()} on or before the article's date "
                f"{base.isoformat()} ({base.strftime('%A')}): {day.isoformat()}"
            )
        if not explicit_year and base is None:
            return None, f"{found_words.strip()!r} has no year, and the article gives no date"
        day = when.date()
        source = "as written" if explicit_year else f"in the year of the article's date {base}"
        return day, f"{found_words.strip()!r} {source}: {day.isoformat()}"
    return None, ""


def _dated(c: Candidate, base: dt.date | None) -> Candidate:
    day, reason = stated_date(c.sentence, base)
    if not reason:
        return c
    from dataclasses import replace

    why = (*c.why, f"date: {reason}")
    return replace(c, stated=day, stated_why=reason, why=why)


# --------------------------------------------------------------------------- measuring


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def recall_precision(
    candidates: Iterable[tuple[int, int]], statements: Iterable[tuple[int, int]]
) -> tuple[float, float, int, int, int, int]:
    """(recall, precision, statements found, statements, candidates that are real, candidates):
    a statement is found when a candidate's span overlaps its quote's; a candidate is real when
    it overlaps some statement's quote."""
    cands = list(candidates)
    stmts = list(statements)
    found = sum(1 for s in stmts if any(overlaps(s, c) for c in cands))
    real = sum(1 for c in cands if any(overlaps(s, c) for s in stmts))
    recall = found / len(stmts) if stmts else 1.0
    precision = real / len(cands) if cands else 1.0
    return recall, precision, found, len(stmts), real, len(cands)


# --------------------------------------------------------------------------- into the ledger


def entry_id(candidate: Candidate, existing: Iterable[str]) -> str:
    """A free entry id for the candidate: ``actor-commitment`` as a slug (``spain-ground-troops``)."""
    base = re.sub(r"[^a-z0-9]+", "-", f"{candidate.actor or 'new'} {candidate.commitment.value}".lower()).strip("-")
    base = base[:70] or "new-entry"
    taken = set(existing)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def draft_entry(candidate: Candidate, source_id: str, text: str, existing: Iterable[str]) -> Any:
    """A new entry (not validated: a draft for the add form) whose one statement is the
    candidate's sentence, anchored in ``text`` (quote, prefix, suffix, offsets) with the
    proposed stance; the entry's fields are the candidate's proposals. The statement keeps no
    conditions of its own: the entry's are its own (an unconditional statement says so, []).
    Returns a :class:`pledgetui.model.Entry` built without validation (the form validates)."""
    from pledgetui.anchors import select
    from pledgetui.model import Backstop, Entry, EntryKind, Evidence, Quantity

    selector = select(text, candidate.start, candidate.end)
    numbers = tuple(Quantity.model_construct(label=n.label, low=n.low, high=n.high) for n in candidate.numbers)
    evidence = Evidence.model_construct(
        source=source_id,
        claimant=candidate.claimant,
        party=candidate.party,
        basis=candidate.basis,
        relayed_by=candidate.relayed_by,
        status=candidate.status,
        stated=candidate.stated,
        conditions=() if candidate.conditions == () else None,
        numbers=(),
        quote=selector.quote,
        prefix=selector.prefix,
        suffix=selector.suffix,
        start=selector.start,
        end=selector.end,
    )
    backstop = (
        Backstop.REQUIRED
        if candidate.conditions and Condition.US_BACKSTOP in candidate.conditions
        else Backstop.UNKNOWN
    )
    return Entry.model_construct(
        id=entry_id(candidate, existing),
        kind=EntryKind.COUNTER_POSITION if candidate.counter_position else EntryKind.PLEDGE,
        actor=candidate.actor,
        actor_type=candidate.actor_type,
        commitment=candidate.commitment,
        conditions=candidate.conditions or (),
        condition_detail="",
        us_backstop=backstop,
        numbers=numbers,
        summary=candidate.summary,
        notes="",
        evidence=(evidence,),
    )
