"""Actors x commitment types: the summaries behind the matrix, without how it is drawn.

Each cell summarises an actor's entries of one commitment type: the strongest
status among them (declined is a status like any other, with its strength), how
many there are, and whether any requires or seeks a US backstop. Actors are
grouped by their name as it reads (:func:`pledgetui.textcheck.canonical`), so
``Fr<U+00AD>ance`` is France's row. Counter-positions form a section of their own
and are never counted as pledges.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pledgetui.grouping import Buckets
from pledgetui.model import ActorType, Backstop, CommitmentType, Entry, Status, short_label
from pledgetui.textcheck import canonical

BACKSTOP_NEEDED = (Backstop.REQUIRED, Backstop.SOUGHT)


@dataclass(frozen=True, slots=True)
class CellSummary:
    """What one matrix cell says about an actor's entries of one commitment type."""

    status: Status
    count: int
    backstop: bool
    entry_ids: tuple[str, ...]

    @property
    def name(self) -> str:
        """The cell's status in words: declined is marked so it cannot pass for a pledge."""
        return status_name(self.status)


def status_name(status: Status) -> str:
    return "✗ declined" if status is Status.DECLINED else short_label(status)


def summarise(entries: Iterable[Entry]) -> CellSummary:
    """The summary of a non-empty group of entries."""
    entries = list(entries)
    strongest = max((p.status for p in entries), key=lambda s: s.strength)
    return CellSummary(
        status=strongest,
        count=len(entries),
        backstop=any(p.us_backstop in BACKSTOP_NEEDED for p in entries),
        entry_ids=tuple(p.id for p in entries),
    )


def actor_order(entries: Iterable[Entry]) -> list[str]:
    """Countries first, then coalitions and organisations; alphabetical within each.

    Actors are named as they read (:func:`canonical`): ``Fr<U+00AD>ance`` is France's row.
    An actor is a country when any of its entries says so.
    """
    country: dict[str, bool] = {}
    for p in entries:
        actor = canonical(p.actor)
        country[actor] = country.get(actor, False) or p.actor_type is ActorType.COUNTRY
    return sorted(country, key=lambda a: (not country[a], a.casefold(), a))


class Grid:
    """The summaries of one section (pledges or counter-positions), keyed by (actor as it reads, commitment value).

    A row's label is the actor as it reads when some entry spells it so; otherwise the
    first spelling, whose invisible characters the display shows.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        # One grouping by actor (as :mod:`pledgetui.grouping` groups the actor column), each
        # actor's entries then by commitment type.
        rows: Buckets[str, Entry] = Buckets()
        for p in entries:
            rows.add(canonical(p.actor), p, p.actor)
        self.labels: dict[str, str] = rows.labels
        groups: dict[tuple[str, str], list[Entry]] = {}
        for actor, items in rows.items.items():
            for p in items:
                groups.setdefault((actor, p.commitment.value), []).append(p)
        self.cells = {key: summarise(group) for key, group in groups.items()}
        self.actors = actor_order(entries)

    def __len__(self) -> int:
        return len(self.cells)

    def cell(self, actor: str, commitment_value: str) -> CellSummary | None:
        """The summary for ``actor`` (any spelling that reads the same) and a commitment; None if empty."""
        return self.cells.get((canonical(actor), commitment_value))


class Matrix:
    """The matrix over a set of entries: a pledge section, a counter-position section, and the
    commitment types that occur (in the vocabulary's order) as its columns."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = Grid([p for p in entries if not p.is_counter])
        self.counters = Grid([p for p in entries if p.is_counter])
        present = {p.commitment for p in entries}
        self.commitments: list[CommitmentType] = [c for c in CommitmentType if c in present]

    def cell(self, actor: str, commitment_value: str, counter: bool = False) -> CellSummary | None:
        """The summary of a pledge cell (or, with ``counter``, a counter-position cell); None if empty."""
        return (self.counters if counter else self.entries).cell(actor, commitment_value)

    def key_at(self, grid: Grid, row: int, column: int) -> tuple[str, str] | None:
        """(actor as it reads, commitment value) at (``row``, ``column``) of ``grid``; None outside it."""
        if not (0 <= row < len(grid.actors) and 0 <= column < len(self.commitments)):
            return None
        return grid.actors[row], self.commitments[column].value

    @staticmethod
    def choice(grid: Grid, key: tuple[str, str]) -> tuple[str, str] | None:
        """What choosing the cell ``key`` of ``grid`` selects: (a stored spelling of the actor,
        commitment value), which as a filter matches every spelling that reads the same;
        None for an empty cell."""
        actor, commitment = key
        if key not in grid.cells:
            return None
        return grid.labels[actor], commitment
