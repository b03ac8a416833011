"""The pledge ledger: pydantic models over the controlled vocabularies (``pledgetui.vocab``).

A ledger entry is a *claim*: who says which actor committed to what, under which
conditions, in which exact words. Nothing here turns a claim into a fact.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pledgetui.vocab import (  # noqa: F401  (re-exported: the vocabularies are part of the model's API)
    SHORT_LABELS,
    ActorType,
    Backstop,
    CommitmentType,
    Condition,
    EntryKind,
    Status,
    Vocabulary,
    short_label,
)

SCHEMA_VERSION = 1

#: Longest string accepted in any ledger field (a quote, a note, a title).
MAX_STRING = 20_000

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
FILE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"

Text = Annotated[str, StringConstraints(max_length=MAX_STRING)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=False)]
Ident = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


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
