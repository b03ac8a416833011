"""The ledger's controlled vocabularies, with human labels: plain enums, no pydantic.

Kept apart from the models so that code which only shows labels (the table, the
matrix) can use them without loading the validation machinery.
"""

from __future__ import annotations

from enum import StrEnum


class Vocabulary(StrEnum):
    """A StrEnum whose members carry a human label."""

    @property
    def label(self) -> str:
        return _LABELS[type(self)][self]

    @classmethod
    def parse(cls, text: str) -> Vocabulary:
        """Accept a value, a label, or an unambiguous prefix of either (case-insensitive)."""
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        for member in cls:
            if key in (member.value, member.label.lower().replace(" ", "_")):
                return member
        hits = [m for m in cls if m.value.startswith(key) or m.label.lower().replace(" ", "_").startswith(key)]
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


class Party(Vocabulary):
    """Whether a statement's claimant speaks for the entry's actor."""

    FIRST_PARTY = "first_party"
    THIRD_PARTY = "third_party"


class Basis(Vocabulary):
    """How a statement reaches the reader (docs/coding.md, section 4)."""

    STATEMENT = "statement"
    PARAPHRASE = "paraphrase"
    ANONYMOUS = "anonymous"
    DOCUMENT = "document"
    REPORT = "report"
    PARTISAN = "partisan"

    @property
    def on_record(self) -> bool:
        """The claimant's own words or a paraphrase of a named claimant: the only bases
        that can carry a status firmer than ``claimed``."""
        return self in (Basis.STATEMENT, Basis.PARAPHRASE)


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
        Status.CLAIMED: "Claimed (by a third party or an unverified channel)",
        Status.CONSIDERING: "Under consideration",
        Status.SIGNALLED: "Signalled willingness",
        Status.ANNOUNCED: "Announced",
        Status.SIGNED: "Signed",
        Status.DECLINED: "Declined (a refusal)",
    },
    Party: {
        Party.FIRST_PARTY: "First party (speaks for the actor)",
        Party.THIRD_PARTY: "Third party (speaks about the actor)",
    },
    Basis: {
        Basis.STATEMENT: "Own words, on the record",
        Basis.PARAPHRASE: "Paraphrase of a named claimant",
        Basis.ANONYMOUS: "Unnamed officials or sources",
        Basis.DOCUMENT: "Draft, leak or document seen by others",
        Basis.REPORT: "The article's own assertion or hearsay",
        Basis.PARTISAN: "Partisan outlet, in its own voice",
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
    Party.FIRST_PARTY: "first party",
    Party.THIRD_PARTY: "third party",
    Basis.STATEMENT: "statement",
    Basis.PARAPHRASE: "paraphrase",
    Basis.ANONYMOUS: "anonymous",
    Basis.DOCUMENT: "document",
    Basis.REPORT: "report",
    Basis.PARTISAN: "partisan",
    # written as the detail pane writes them: a lower-case "other" reads as the raw value
    Condition.PEACE_DEAL: "Peace deal",
    Condition.CEASEFIRE: "Ceasefire",
    Condition.US_BACKSTOP: "US backstop",
    Condition.LEGAL_FRAMEWORK: "Legal framework",
    Condition.US_ROLE_CLARITY: "US role clarity",
    Condition.NATIONAL_APPROVAL: "National approval",
    Condition.OTHER: "Other",
}


def short_label(member: Vocabulary) -> str:
    return SHORT_LABELS.get(member, member.label)
