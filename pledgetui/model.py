"""The pledge ledger: pydantic models and the controlled vocabularies.

A ledger entry is a *claim*: who says which actor committed to what, under which
conditions, in which exact words. Nothing here turns a claim into a fact.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SCHEMA_VERSION = 1

#: Longest string accepted in any ledger field (a quote, a note, a title).
MAX_STRING = 20_000

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
FILE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"

Text = Annotated[str, StringConstraints(max_length=MAX_STRING)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=False)]
Ident = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


class Vocabulary(StrEnum):
    """A StrEnum whose members carry a human label."""

    @property
    def label(self) -> str:
        return _LABELS[type(self)][self]

    @classmethod
    def parse(cls, text: str) -> "Vocabulary":
        """Accept a value, a label, or an unambiguous prefix of either (case-insensitive)."""
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        for member in cls:
            if key in (member.value, member.label.lower().replace(" ", "_")):
                return member
        hits = [
            m
            for m in cls
            if m.value.startswith(key) or m.label.lower().replace(" ", "_").startswith(key)
        ]
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise ValueError(f"{text!r} is ambiguous: {', '.join(m.value for m in hits)}")
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"{text!r} is not a {cls.__name__} (choose one of: {choices})")


class EntryKind(Vocabulary):
    PLEDGE = "pledge"
    COUNTER_POSITION = "counter_position"


class ActorType(Vocabulary):
    COUNTRY = "country"
    COALITION = "coalition"
    ORGANISATION = "organisation"


class CommitmentType(Vocabulary):
    GROUND_TROOPS = "ground_troops"
    AIR = "air"
    MARITIME = "maritime"
    CEASEFIRE_MONITORING = "ceasefire_monitoring"
    INTELLIGENCE = "intelligence"
    TRAINING = "training"
    MILITARY_HUBS = "military_hubs"
    REBUILD_FORCES = "rebuild_forces"
    SANCTIONS = "sanctions"
    LOGISTICS_MEDICAL_DEMINING = "logistics_medical_demining"
    BACKSTOP = "backstop"
    OTHER = "other"


class Status(Vocabulary):
    """How firm a claim is, from weakest to firmest; ``declined`` stands apart."""

    CLAIMED = "claimed"
    CONSIDERING = "considering"
    SIGNALLED = "signalled"
    ANNOUNCED = "announced"
    SIGNED = "signed"
    DECLINED = "declined"

    @property
    def strength(self) -> int:
        """Rank for 'strongest status' readings; declined ranks below everything."""
        return _STRENGTH[self]


class Condition(Vocabulary):
    PEACE_DEAL = "peace_deal"
    CEASEFIRE = "ceasefire"
    US_BACKSTOP = "us_backstop"
    LEGAL_FRAMEWORK = "legal_framework"
    US_ROLE_CLARITY = "us_role_clarity"
    NATIONAL_APPROVAL = "national_approval"
    OTHER = "other"


class Backstop(Vocabulary):
    REQUIRED = "required"
    SOUGHT = "sought"
    NOT_REQUIRED = "not_required"
    UNKNOWN = "unknown"
    PROVIDES = "provides"


_LABELS: dict[type, dict[Vocabulary, str]] = {
    EntryKind: {
        EntryKind.PLEDGE: "Pledge",
        EntryKind.COUNTER_POSITION: "Counter-position",
    },
    ActorType: {
        ActorType.COUNTRY: "Country",
        ActorType.COALITION: "Coalition",
        ActorType.ORGANISATION: "Organisation",
    },
    CommitmentType: {
        CommitmentType.GROUND_TROOPS: "Ground troops / reassurance force",
        CommitmentType.AIR: "Air policing",
        CommitmentType.MARITIME: "Maritime",
        CommitmentType.CEASEFIRE_MONITORING: "Ceasefire monitoring and verification",
        CommitmentType.INTELLIGENCE: "Intelligence",
        CommitmentType.TRAINING: "Training",
        CommitmentType.MILITARY_HUBS: "Military hubs and infrastructure",
        CommitmentType.REBUILD_FORCES: "Rebuilding Ukraine's armed forces",
        CommitmentType.SANCTIONS: "Sanctions and economic pressure",
        CommitmentType.LOGISTICS_MEDICAL_DEMINING: "Logistics / medical / demining",
        CommitmentType.BACKSTOP: "Backstop",
        CommitmentType.OTHER: "Other",
    },
    Status: {
        Status.CLAIMED: "Claimed by third party (unverified)",
        Status.CONSIDERING: "Under consideration",
        Status.SIGNALLED: "Signalled willingness",
        Status.ANNOUNCED: "Announced",
        Status.SIGNED: "Formally signed",
        Status.DECLINED: "Declined / holding back",
    },
    Condition: {
        Condition.PEACE_DEAL: "Peace deal",
        Condition.CEASEFIRE: "Ceasefire",
        Condition.US_BACKSTOP: "US backstop",
        Condition.LEGAL_FRAMEWORK: "Legal framework",
        Condition.US_ROLE_CLARITY: "Clarity on the US role",
        Condition.NATIONAL_APPROVAL: "National approval",
        Condition.OTHER: "Other",
    },
    Backstop: {
        Backstop.REQUIRED: "Required",
        Backstop.SOUGHT: "Sought",
        Backstop.NOT_REQUIRED: "Not required",
        Backstop.UNKNOWN: "Unknown",
        Backstop.PROVIDES: "Provides (US)",
    },
}

_STRENGTH = {
    Status.DECLINED: 0,
    Status.CLAIMED: 1,
    Status.CONSIDERING: 2,
    Status.SIGNALLED: 3,
    Status.ANNOUNCED: 4,
    Status.SIGNED: 5,
}

#: Short labels for narrow table columns.
SHORT_LABELS: dict[Vocabulary, str] = {
    CommitmentType.GROUND_TROOPS: "Ground troops",
    CommitmentType.AIR: "Air",
    CommitmentType.MARITIME: "Maritime",
    CommitmentType.CEASEFIRE_MONITORING: "Ceasefire monitor",
    CommitmentType.INTELLIGENCE: "Intelligence",
    CommitmentType.TRAINING: "Training",
    CommitmentType.MILITARY_HUBS: "Military hubs",
    CommitmentType.REBUILD_FORCES: "Rebuild forces",
    CommitmentType.SANCTIONS: "Sanctions",
    CommitmentType.LOGISTICS_MEDICAL_DEMINING: "Logistics/med/demining",
    CommitmentType.BACKSTOP: "Backstop",
    CommitmentType.OTHER: "Other",
    Status.CLAIMED: "Claimed",
    Status.CONSIDERING: "Considering",
    Status.SIGNALLED: "Signalled",
    Status.ANNOUNCED: "Announced",
    Status.SIGNED: "Signed",
    Status.DECLINED: "Declined",
    Backstop.REQUIRED: "Required",
    Backstop.SOUGHT: "Sought",
    Backstop.NOT_REQUIRED: "Not required",
    Backstop.UNKNOWN: "Unknown",
    Backstop.PROVIDES: "Provides",
    Condition.PEACE_DEAL: "peace deal",
    Condition.CEASEFIRE: "ceasefire",
    Condition.US_BACKSTOP: "US backstop",
    Condition.LEGAL_FRAMEWORK: "legal framework",
    Condition.US_ROLE_CLARITY: "US role clarity",
    Condition.NATIONAL_APPROVAL: "national approval",
    Condition.OTHER: "other",
}


def short_label(member: Vocabulary) -> str:
    return SHORT_LABELS.get(member, member.label)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False)


class Source(_Model):
    """An article the ledger quotes. ``file`` is a bare file name in the ledger's seeds folder."""

    id: Ident
    file: Annotated[str, StringConstraints(pattern=FILE_PATTERN)]
    title: Name
    date: dt.date | None = None
    outlet: Text = ""
    note: Text = Field(default="", description="Reliability or framing, where it matters")


class Evidence(_Model):
    """An exact quote, anchored in the W3C Web Annotation manner (quote + position selectors)."""

    source: Ident
    quote: Annotated[str, StringConstraints(min_length=1, max_length=MAX_STRING)]
    prefix: Text = ""
    suffix: Text = ""
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _span(self) -> "Evidence":
        if self.end < self.start:
            raise ValueError(f"end offset {self.end} is before start offset {self.start}")
        return self


class Quantity(_Model):
    """A number the source states, e.g. troops 20,000 to 50,000."""

    label: Name
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _range(self) -> "Quantity":
        if self.low is None and self.high is None:
            raise ValueError("give at least one of low and high")
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        return self

    def __str__(self) -> str:
        if self.low is not None and self.high is not None and self.low != self.high:
            amount = f"{self.low:,} to {self.high:,}"
        else:
            amount = f"{self.low if self.low is not None else self.high:,}"
        return f"{self.label}: {amount}"


class Pledge(_Model):
    id: Ident
    kind: EntryKind = EntryKind.PLEDGE
    actor: Name
    actor_type: ActorType = ActorType.COUNTRY
    commitment: CommitmentType
    status: Status
    conditions: tuple[Condition, ...] = ()
    condition_detail: Text = ""
    us_backstop: Backstop = Backstop.UNKNOWN
    claimant: Name
    numbers: tuple[Quantity, ...] = ()
    date_stated: dt.date | None = None
    summary: Name
    notes: Text = ""
    evidence: tuple[Evidence, ...] = Field(min_length=1)

    @property
    def is_counter(self) -> bool:
        return self.kind is EntryKind.COUNTER_POSITION

    @property
    def source_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for ev in self.evidence:
            seen.setdefault(ev.source)
        return tuple(seen)


class Ledger(_Model):
    schema_version: int = SCHEMA_VERSION
    sources: tuple[Source, ...] = ()
    pledges: tuple[Pledge, ...] = ()

    def source(self, source_id: str) -> Source | None:
        for s in self.sources:
            if s.id == source_id:
                return s
        return None

    def pledge(self, pledge_id: str) -> Pledge | None:
        for p in self.pledges:
            if p.id == pledge_id:
                return p
        return None


def integrity_problems(ledger: Ledger) -> list[tuple[str, str]]:
    """Cross-reference problems pydantic cannot see: (where, what) pairs."""
    problems: list[tuple[str, str]] = []
    if ledger.schema_version != SCHEMA_VERSION:
        problems.append(
            ("schema_version", f"is {ledger.schema_version}; this pledgetui reads version {SCHEMA_VERSION}")
        )
    seen: set[str] = set()
    for s in ledger.sources:
        if s.id in seen:
            problems.append((f"source {s.id}", "id is used by more than one source"))
        seen.add(s.id)
    source_ids = seen
    seen = set()
    for p in ledger.pledges:
        if p.id in seen:
            problems.append((f"pledge {p.id}", "id is used by more than one pledge"))
        seen.add(p.id)
        for n, ev in enumerate(p.evidence, 1):
            if ev.source not in source_ids:
                problems.append(
                    (f"pledge {p.id} evidence {n} source", f"names source {ev.source!r}, which the ledger does not list")
                )
    return problems
