"""``pledgetui merge BASE OURS THEIRS [-o OUT]``: a three-way merge of ledger files, entry by entry
(git's merge driver: ``pledgetui git-setup`` registers it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from pledgetui.commands.common import say
from pledgetui.compare import compare
from pledgetui.model import Ledger

PROG = "pledgetui merge"

EPILOG = """\
Sources are matched by id, entries by id, statements by their source and anchor
(a002@670-882), and merged field by field. A field changed on one side takes the
change; the same change on both sides is one change. Two different changes to one
field are a conflict: the result keeps OURS' value and records the conflict in the
file itself, as a [[conflicts]] table naming the entry (or source), the statement
where it is one, the field, and each side's value as JSON. A record deleted on one
side and changed on the other is a conflict on the whole record ("(entry)"); the
changed record is kept. The result is always a ledger that loads.

`pledgetui check` lists the recorded conflicts, and fails while any is left. Settle
one by editing the field to the value you want and deleting its [[conflicts]] table.

Without -o the result replaces OURS (git's %A), atomically, with no backup file and
no cache written. When a side is not a valid ledger nothing is written.

exit status: 0 merged cleanly, 1 merged with conflicts (written, recorded in the
file), 2 usage error, a side that is not a valid ledger, or the result cannot be
written (nothing written)

examples:
  pledgetui merge base.toml mine.toml theirs.toml -o merged.toml
  pledgetui merge %O %A %B --name %P   as git runs it (pledgetui git-setup)
  pledgetui git-setup              make git merge ledgers with this command"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="Merge two edits of a ledger (OURS, THEIRS) of a common BASE, entry by entry and field by field.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("base", help="the common ancestor (an empty file: none)")
    p.add_argument("ours", help="our version; the result replaces it unless -o is given")
    p.add_argument("theirs", help="their version")
    p.add_argument("-o", "--output", help="write the result here instead of into OURS")
    p.add_argument(
        "--name",
        metavar="PATH",
        help="the ledger's path, as the messages name it (git's %%P: OURS is then a temporary file)",
    )
    return p


class _Unusable(Exception):
    pass


def _read(arg: str, label: str, empty_ok: bool = False) -> Ledger:
    """The ledger in file ``arg``, read and validated without the cache (nothing is written)."""
    from pledgetui import store
    from pledgetui.files import NotReadable, check_regular
    from pledgetui.ledgerfile import LedgerError

    path = Path(arg)
    try:
        check_regular(path)
        if empty_ok and path.stat().st_size == 0:  # git's %O when the file has no common ancestor
            return Ledger()
        return store.load(path, use_cache=False).ledger
    except NotReadable as exc:
        what = "is a directory, not a ledger file" if exc.kind == "folder" else exc.what
        raise _Unusable(f"{label} {path}: {what}") from None
    except LedgerError as exc:
        raise _Unusable("\n".join([f"{label} is not a valid ledger:", *exc.report()])) from None
    except OSError as exc:
        raise _Unusable(f"{label} {path}: {exc.strerror or exc}") from None


def write(ledger: Ledger, path: Path) -> None:
    """Write ``ledger`` to ``path`` atomically in the canonical form, parsed back first: no backup
    file, no cache (``store.save`` would write both). Raises ``filesave.SaveError``."""
    from pledgetui import canonical, filesave, ledgerfile

    data = canonical.dumps(ledger)
    try:
        again = ledgerfile.read(path, data, stances=False)
    except ledgerfile.LedgerError as exc:
        raise filesave.SaveError(f"the merged ledger does not read back:\n{exc}") from None
    if again != ledger:
        raise filesave.SaveError("the merged ledger reads back different")
    filesave.atomic_write(path, data, backup=False)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(ours: Ledger, result: Ledger) -> str:
    """What the merge brought into OURS: entries and sources added, changed, removed."""
    diff = compare(ours, result)
    parts = []
    for what, items in (("entry", diff.entries), ("source", diff.sources)):
        counts = {k: sum(1 for d in items if d.kind == k) for k in ("added", "changed", "removed")}
        done = [f"{n} {k}" for k, n in counts.items() if n]
        word = "entries" if what == "entry" else "sources"
        if done:
            parts.append(f"{word} " + ", ".join(done))
    return "from theirs: " + ("; ".join(parts) if parts else "nothing new")


def run(ns: argparse.Namespace, out: TextIO | None = None) -> int:
    from pledgetui.filesave import SaveError
    from pledgetui.merge import describe, merge

    out = sys.stdout if out is None else out
    shown = ns.name or ns.output or ns.ours  # what the user knows the file as
    try:
        base = _read(ns.base, "BASE", empty_ok=True)
        ours = _read(ns.ours, "OURS")
        theirs = _read(ns.theirs, "THEIRS")
    except _Unusable as exc:
        say([f"{PROG}: {line}" if n == 0 else line for n, line in enumerate(str(exc).split("\n"))])
        say(f"{PROG}: nothing written; {shown} is left as it was")
        return 2
    merged = merge(base, ours, theirs)
    target = Path(ns.output) if ns.output else Path(ns.ours)
    try:
        write(merged.ledger, target)
    except SaveError as exc:
        say(f"{PROG}: cannot write {shown}: {exc}")
        return 2
    say(f"merged:   {shown}: {summary(ours, merged.ledger)}", out)
    if not merged.conflicts:
        carried = len(merged.ledger.conflicts)
        if carried:  # recorded by an earlier merge and left unsettled on a side: still there to settle
            say(f"clean:    no new conflicts; {_plural(carried, 'conflict')} recorded earlier still in the file", out)
        else:
            say("clean:    no conflicts", out)
        return 0
    say(f"conflicts: {len(merged.conflicts)}, each keeping ours and recorded in the file:", out)
    for c in merged.conflicts:
        say(f"conflict: {describe(c)}", out)
    return 1
