"""Restoring journaled edits onto a ledger file that changed since they were made: a three-way merge.

Edits set aside ("Later") and restored after other changes were saved must not be
replayed onto the old file: that would bring back what was saved since (an entry
deleted and saved would reappear, and saving would write it back). So a journal
whose file changed since it began is restored by merging (:func:`pledgetui.merge.merge`):

- base: the file the journal started from (the ledger's backup, or the copy the
  journal keeps of it, found by the SHA-256 its header names);
- ours: the ledger file as it is now;
- theirs: the journal replayed onto the base.

Each of the journal's edits is applied where the file now agrees; a change both made
differently is a conflict (the file's value is kept and the conflict recorded, as
:mod:`pledgetui.merge` does). :func:`plan` computes all of it without changing
anything, so the user sees what restoring will change before it is applied.

A journal whose header does not name its file (older or damaged), or whose file is
found nowhere, is replayed onto the file as it is now, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pledgetui import journal, store
from pledgetui.compare import LedgerDiff, compare
from pledgetui.merge import Merged, describe, merge
from pledgetui.model import Conflict, Ledger


@dataclass(frozen=True, slots=True)
class Plan:
    """What restoring a journal would do to the file as it is now (``loaded``)."""

    loaded: store.Loaded  # the ledger file as it is now ("ours")
    replayed: journal.Replayed  # the journal replayed onto its base ("theirs": ``replayed.history.ledger``)
    merged: Merged | None  # None: the file is the journal's base, or the base is unknown (replayed onto the file)

    @property
    def ledger(self) -> Ledger:
        """The ledger restoring gives."""
        return self.merged.ledger if self.merged is not None else self.replayed.history.ledger

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return self.merged.conflicts if self.merged is not None else ()

    @property
    def changes(self) -> LedgerDiff:
        """What restoring changes in the file as it is now, entry by entry."""
        return compare(self.loaded.ledger, self.ledger)

    @property
    def nothing_to_restore(self) -> bool:
        """The file already holds everything the journal would change (saved since), and nothing conflicts."""
        return not self.conflicts and self.ledger == self.loaded.ledger


def plan(ledger_path: Path | str) -> Plan:
    """What restoring the journal of ``ledger_path`` would do, changing nothing.

    Raises LookupError when there is no journal to restore (or another live session holds
    it), :class:`pledgetui.ledgerfile.LedgerError` when the ledger cannot be read."""
    ledger_path = Path(ledger_path)
    done = journal.replay(ledger_path)
    if done is None:
        raise LookupError(f"no unsaved edits are recorded for {ledger_path}")
    loaded = store.load(ledger_path)
    merged = None
    if done.base in ("backup", "kept"):  # the file changed since the journal began, and its base is known
        merged = merge(done.base_ledger, loaded.ledger, done.history.ledger)
    return Plan(loaded, done, merged)


#: How a merged restore is described (the undo key takes it back to the file as it is).
MERGED_RESTORE = "restore the set-aside edits, merged onto the file as saved since"


def _named(fields: tuple[str, ...]) -> str:
    return ", ".join(fields[:4]) + (f" and {len(fields) - 4} more" if len(fields) > 4 else "")


def describe_plan(plan: Plan) -> list[str]:
    """What restoring will do, one line per entry or source it changes, then one per conflict
    (plain text: the caller makes it safe to display)."""
    diff = plan.changes
    lines: list[str] = []
    for e in diff.entries:
        if e.kind == "added":
            lines.append(f"+ {e.id}: added")
        elif e.kind == "removed":
            lines.append(f"- {e.id}: deleted")
        else:
            parts = list(e.field_names())
            if e.added:
                parts.append(f"{len(e.added)} statement(s) added")
            if e.removed:
                parts.append(f"{len(e.removed)} statement(s) removed")
            if e.reordered:
                parts.append("statements reordered")
            lines.append(f"~ {e.id}: {_named(tuple(parts)) or 'changed'}")
    for s in diff.sources:
        what = {"added": "added", "removed": "removed"}.get(
            s.kind, "changed: " + _named(tuple(c.field for c in s.fields))
        )
        lines.append(f"  source {s.id}: {what}")
    if plan.conflicts:
        lines.append("Conflicts (the file's version is kept; each is recorded in the ledger to settle later):")
        lines.extend(f"! {describe(c)}" for c in plan.conflicts)
    return lines
