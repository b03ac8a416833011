"""Group entries by one column and count them: the frequency view, without how it is drawn.

Each group is one value of a column (an actor, a claimant, a status ...) with the
entries that have it, and the filter term that selects them (``claimant="Downing
Street statement"``), so choosing a group narrows the dashboard or ``list`` to it.
Groups are sorted by count, most first; ties by their label.

Some columns can hold several values for one entry: a statement-level column
(claimant, basis, party, source) takes each of the entry's statements' values,
and ``conditions`` each of the entry's conditions. An entry then counts once
under every value it has, so the counts may add up to more than the entries;
:attr:`GroupColumn.multi` says so, and :attr:`Grouping.note` in words.

Values are grouped as they read (:func:`pledgetui.textcheck.canonical`):
``Fr<U+00AD>ance`` is France's group, as it is the matrix's row.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pledgetui.model import Backstop, Condition, Entry
from pledgetui.textcheck import canonical, comparable
from pledgetui.vocab import Vocabulary, short_label

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class Buckets(Generic[K, T]):
    """Items partitioned by a key, each key with a label: the spelling as it reads when some item
    spells it so, else the first spelling seen (the matrix's rows and every grouping use it)."""

    def __init__(self) -> None:
        self.items: dict[K, list[T]] = {}
        self.labels: dict[K, str] = {}

    def add(self, key: K, item: T, spelling: str) -> None:
        self.items.setdefault(key, []).append(item)
        label = self.labels.get(key)
        if label is None or (label != canonical(label) and spelling == canonical(spelling)):
            self.labels[key] = spelling


def quote_value(value: str) -> str:
    """``value`` as one quoted filter value: ``\\`` and ``"`` escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: One value of a column for one entry: (group key, label as shown, filter term selecting it).
Value = tuple[str, str, str]


def _text(field: str, text: str) -> Value:
    return canonical(text), text, f"{field}={quote_value(text)}"


def _vocab(field: str, member: Vocabulary) -> Value:
    return member.value, short_label(member), f"{field}:{member.value}"


#: An entry with none of the conditions: not one of them (``-condition:a,b,...``).
_NO_CONDITION = "-condition:" + ",".join(c.value for c in Condition)


def _conditions(p: Entry) -> Iterable[Value]:
    if not p.conditions:
        return [("", "none stated", _NO_CONDITION)]
    return [_vocab("condition", c) for c in dict.fromkeys(p.conditions)]


@dataclass(frozen=True, slots=True)
class GroupColumn:
    key: str
    title: str
    multi: bool  # an entry may have several values (each statement's, or a list): it counts under each
    values: Callable[[Entry], Iterable[Value]]


GROUP_COLUMNS: tuple[GroupColumn, ...] = (
    GroupColumn("actor", "Actor", False, lambda p: [_text("actor", p.actor)]),
    GroupColumn("commitment", "Commitment", False, lambda p: [_vocab("type", p.commitment)]),
    GroupColumn("status", "Status", False, lambda p: [_vocab("status", p.status)]),
    GroupColumn("conditions", "Conditions", True, _conditions),
    GroupColumn(
        "backstop",
        "Backstop",
        False,
        lambda p: [
            (
                p.us_backstop.value,
                "unknown" if p.us_backstop is Backstop.UNKNOWN else short_label(p.us_backstop),
                f"backstop:{p.us_backstop.value}",
            )
        ],
    ),
    GroupColumn("claimant", "Claimant", True, lambda p: [_text("claimant", ev.claimant) for ev in p.evidence]),
    GroupColumn("basis", "Basis", True, lambda p: [_vocab("basis", ev.basis) for ev in p.evidence]),
    GroupColumn("party", "Party", True, lambda p: [_vocab("party", ev.party) for ev in p.evidence]),
    GroupColumn("source", "Source", True, lambda p: [(s, s, f"source:{quote_value(s)}") for s in p.source_ids]),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in GROUP_COLUMNS)
_ALIASES = {
    "type": "commitment",
    "country": "actor",
    "condition": "conditions",
    "us_backstop": "backstop",
    "sources": "source",
}


def group_column(name: str) -> GroupColumn:
    """The column called ``name`` (or an alias: ``type``, ``country``, ``condition``);
    raises ValueError naming the columns there are."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    for column in GROUP_COLUMNS:
        if column.key == key:
            return column
    raise ValueError(f"cannot group by '{name}' (columns: {', '.join(COLUMN_KEYS)})")


@dataclass(frozen=True, slots=True)
class Group:
    label: str  # the value as shown (stored text: sanitise before display)
    term: str  # the filter term that selects these entries
    rows: tuple[int, ...]  # positions of the entries, in the order given

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class Grouping:
    column: GroupColumn
    groups: tuple[Group, ...]
    entries: int  # how many entries were grouped

    @property
    def note(self) -> str:
        """What the counts mean, in words."""
        n = self.entries
        what = f"{n} entr{'y' if n == 1 else 'ies'}"
        if not self.column.multi:
            return f"{what} by {self.column.title.lower()}"
        per = (
            "each condition it has"
            if self.column.key == "conditions"
            else f"each {self.column.key} its statements have"
        )
        return f"{what} by {self.column.title.lower()}: an entry counts once under {per}"


def group_rows(entries: Sequence[Entry], rows: Iterable[int], column: GroupColumn | str) -> Grouping:
    """Group the entries at ``rows`` (positions in ``entries``, e.g. a query index's filtered
    view) by ``column``: each value once per entry, most entries first, then by label."""
    col = group_column(column) if isinstance(column, str) else column
    buckets: Buckets[str, int] = Buckets()
    terms: dict[str, str] = {}
    n = 0
    for i in rows:
        n += 1
        seen: set[str] = set()
        for key, label, term in col.values(entries[i]):
            if key in seen:
                continue
            seen.add(key)
            buckets.add(key, i, label)
            terms.setdefault(key, term)
    groups = [Group(buckets.labels[k], terms[k], tuple(items)) for k, items in buckets.items.items()]
    groups.sort(key=lambda g: (-g.count, comparable(g.label), g.label))
    return Grouping(col, tuple(groups), n)


def group_entries(entries: Sequence[Entry], column: GroupColumn | str) -> Grouping:
    """Group every entry of ``entries`` by ``column`` (see :func:`group_rows`)."""
    return group_rows(entries, range(len(entries)), column)
