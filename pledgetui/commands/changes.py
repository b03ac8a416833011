"""``pledgetui changes``: what changed in a window of dates, or between two versions of a ledger."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pledgetui.changes import COLUMNS, ChangeRow, markdown, summary, to_json, version_changes, window_changes
from pledgetui.commands.common import CommandError, LedgerUnreadable, as_of_day, load_ledger, report, say
from pledgetui.model import Ledger
from pledgetui.sanitize import display_line

PROG = "pledgetui changes"

FORMATS = ("table", "tsv", "md", "json")

#: Where a revision's ledger is looked for when the command does not say (``--file``).
DEFAULT_FILE = "data/pledges.toml"

EPILOG = f"""\
Two questions:

  --since DATE [--until DATE] [LEDGER]
      what the statements dated in the window changed, entry by entry: a new entry,
      each new statement, and each reading that moved (from -> to) with the statement
      that moved it. A statement counts on the last day it can have been made: its
      stated day, else its article's date. Undated statements are placed in no window;
      they are counted apart.

  OLD NEW
      the differences between two versions of a ledger: entries added and removed,
      fields changed, statements added, removed or changed, readings moved, sources.
      Each of OLD and NEW is a ledger file or a git revision (HEAD~1, a tag, a commit)
      of the ledger file --file names (default: {DEFAULT_FILE}, relative to the
      current folder), or REV:PATH (PATH from the top of the repository). A revision is
      read with git, in memory: nothing is written anywhere.

On a terminal the changes are a table; in a pipe, tab-separated text with a header
line (the count goes to stderr); --format md writes a briefing (a heading per entry,
a bullet per change, quotes as block quotes), --format json the rows.

exit status: 0 listed (also when nothing changed: "no changes"), 1 the working copy
cannot be read, 2 usage error or bad input (an impossible date, a file that is not
a ledger, a git revision that does not exist)

examples:
  pledgetui changes --since 2026-01-01
  pledgetui changes --since 2026-01-01 --until 2026-01-31 --format md > briefing.md
  pledgetui changes old.toml data/pledges.toml
  pledgetui changes HEAD~1 HEAD --file data/pledges.toml
  pledgetui changes v1.0:data/pledges.toml data/pledges.toml --format json"""


class BadInput(Exception):
    """An argument that names no usable date, ledger or revision: exit 2."""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="What changed: in a window of dates, or between two versions of a ledger.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "versions",
        nargs="*",
        metavar="LEDGER | OLD NEW",
        help="with --since: the ledger (default: your working copy); else two versions, each a file or a git revision",
    )
    p.add_argument("--since", type=as_of_day, metavar="DATE", help="the window's first day (YYYY-MM-DD)")
    p.add_argument("--until", type=as_of_day, metavar="DATE", help="the window's last day (default: no end)")
    p.add_argument(
        "--file",
        metavar="PATH",
        help=f"the ledger file in the repository, for a revision (default: {DEFAULT_FILE})",
    )
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default=None,
        help="table (default on a terminal), tsv (default in a pipe), md or json",
    )
    return p


# --------------------------------------------------------------------------- versions: files and revisions


@dataclass(frozen=True, slots=True)
class Version:
    """A ledger version and what to call it in messages."""

    name: str
    ledger: Ledger


#: What git runs with: no lock taken, no pager, no prompt, and no transport at all. A
#: repository's own config can name commands that git runs to fetch (a partial clone's
#: "promisor" remote with an ``uploadpack`` command, an ``ext::`` URL): reading a revision must
#: never fetch, so every protocol is refused (``GIT_ALLOW_PROTOCOL`` overrides the
#: repository's ``protocol.*.allow``; ``GIT_NO_LAZY_FETCH`` is the newer gits' own switch).
GIT_ENV = {
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_ALLOW_PROTOCOL": "pledgetui-none",
    "GIT_PROTOCOL_FROM_USER": "0",
}


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run git (an argv, never a shell) in ``cwd``; it takes no lock, opens no pager and
    fetches nothing (:data:`GIT_ENV`)."""
    env = {**os.environ, **GIT_ENV}
    try:
        return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=False)
    except FileNotFoundError:
        raise BadInput("git is not installed (needed to read a revision)") from None
    except OSError as exc:
        raise BadInput(f"cannot run git: {exc}") from None


def _first_line(data: bytes) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else ""


def _revision(rev: str, file: str | None, label: str) -> tuple[str, Path, str]:
    """``(commit, repository folder, path in the repository)`` of ``rev`` (or ``rev:path``)."""
    path_in_rev: str | None = None
    if ":" in rev:
        rev, path_in_rev = rev.split(":", 1)
        if not path_in_rev:
            raise BadInput(f"{label}: {rev}: no path after ':'")
    if not rev or rev.startswith("-"):
        raise BadInput(f"{label}: {rev!r} is not a file and cannot be a git revision")
    if path_in_rev is not None:
        where = Path.cwd()
    else:
        target = Path(file or DEFAULT_FILE).expanduser()
        target = (Path.cwd() / target) if not target.is_absolute() else target
        where = target.parent if target.parent.is_dir() else Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], where)
    if top.returncode != 0:
        raise BadInput(f"{label}: {rev} is not a file, and {where} is not in a git repository")
    root = Path(os.fsdecode(top.stdout.strip()))
    if path_in_rev is None:
        try:
            resolved = target.parent.resolve() / target.name
            path_in_rev = resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            raise BadInput(f"{label}: {target} is not in the git repository at {root}") from None
    elif path_in_rev.startswith("./") or path_in_rev.startswith("../"):
        prefix = _git(["rev-parse", "--show-prefix"], where).stdout.decode("utf-8", "replace").strip()
        path_in_rev = os.path.normpath(prefix + path_in_rev).replace(os.sep, "/")
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root)
    if found.returncode != 0:
        raise BadInput(f"{label}: {rev} is neither a file nor a git revision of the repository at {root}")
    return found.stdout.decode("ascii", "replace").strip(), root, path_in_rev


def _names_a_revision(arg: str) -> bool:
    """Whether a bare name (no folder, not ``./x``) is also a revision of the repository here:
    then a file of that name must not silently stand in for it (git itself refuses such a name)."""
    if "/" in arg or os.sep in arg or arg.startswith(("-", ".")):
        return False
    try:
        found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{arg}^{{commit}}"], Path.cwd())
    except BadInput:  # no git: nothing to confuse the file with
        return False
    return found.returncode == 0


def read_version(arg: str, file: str | None, label: str) -> Version:
    """The ledger ``arg`` names: a file, else a git revision of ``file`` (or ``REV:PATH``).
    Raises :class:`BadInput` naming what is wrong and where."""
    from pledgetui import ledgerfile, store
    from pledgetui.files import NotReadable, check_regular

    path = Path(arg).expanduser()
    is_file = False
    try:
        check_regular(path)
        is_file = True
    except NotReadable as exc:
        if exc.kind == "folder":
            raise BadInput(f"{label}: {path} is a directory, not a ledger file") from None
        if exc.kind != "missing":
            raise BadInput(f"{label}: {path}: {exc.what}") from None
    if is_file and _names_a_revision(arg):
        raise BadInput(
            f"{label}: {arg} is both a file here and a git revision: write ./{arg} for the file, "
            f"or {arg}:{file or DEFAULT_FILE} for the revision"
        )
    if is_file:
        try:
            return Version(str(path), store.load(path, use_cache=False).ledger)
        except ledgerfile.LedgerError as exc:
            raise BadInput("\n".join([f"{label}: not a usable ledger:", *exc.report()])) from None
    commit, root, in_repo = _revision(arg, file, label)
    name = f"{arg.split(':', 1)[0]}:{in_repo}"
    size = _git(["cat-file", "-s", f"{commit}:{in_repo}"], root)
    if size.returncode == 0 and size.stdout.strip().isdigit() and int(size.stdout) > ledgerfile.MAX_LEDGER_BYTES:
        raise BadInput(f"{label}: {name} is larger than a ledger can be")  # never read into memory
    shown = _git(["cat-file", "blob", f"{commit}:{in_repo}"], root)
    if shown.returncode != 0:
        rev = arg.split(":", 1)[0]
        raise BadInput(f"{label}: revision {rev} has no file {in_repo} ({_first_line(shown.stderr)})")
    data = shown.stdout
    if len(data) > ledgerfile.MAX_LEDGER_BYTES:
        raise BadInput(f"{label}: {name} is larger than a ledger can be")
    try:
        return Version(name, ledgerfile.loads(data, name))
    except ledgerfile.LedgerError as exc:
        raise BadInput("\n".join([f"{label}: not a usable ledger:", *exc.report()])) from None


# --------------------------------------------------------------------------- output


TABLE_COLUMNS = ("entry", "change", "statement", "quote")


def _change_cell(r: ChangeRow) -> Text:
    cells = r.cells()
    words = Text(display_line(r.words()), style="bold" if r.kind in ("new entry", "removed entry", "reading") else "")
    if r.kind in ("field", "statement", "source", "ledger"):
        words.append(f": {cells['old'] or '(none)'} → {cells['new'] or '(none)'}")
    elif r.kind in ("new source", "removed source"):
        words.append(f" {cells['source']}: {cells['new'] or cells['old']}")
    elif r.kind in ("new entry", "removed entry") and (r.new or r.old):
        words.append(f" ({cells['new'] or cells['old']})")
    return words


def table(rows: list[ChangeRow]) -> Table:
    """A Rich table: every cell a ``Text`` of display-safe text, never markup."""
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    t.add_column("entry", overflow="fold", ratio=2)
    t.add_column("change", overflow="fold", ratio=3)
    t.add_column("statement", overflow="fold", ratio=3)
    t.add_column("quote", overflow="fold", ratio=4)
    for r in rows:
        c = r.cells()
        who = ", ".join(x for x in (c["n"] and f"#{c['n']}", c["claimant"], c["status"], c["date"], c["source"]) if x)
        t.add_row(
            Text(c["entry"] or c["source"]),
            _change_cell(r),
            Text(who),
            Text(c["quote"] if r.kind != "statement" else ""),
        )
    return t


def write_tsv(rows: list[ChangeRow], out: TextIO) -> None:
    out.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        cells = r.cells()
        out.write("\t".join(cells[c] for c in COLUMNS) + "\n")


def _emit(rows: list[ChangeRow], fmt: str | None, title: str, notes: list[str], head: dict[str, object]) -> None:
    fmt = fmt or ("table" if sys.stdout.isatty() else "tsv")
    if fmt == "json":
        sys.stdout.buffer.write(to_json(rows, **head, notes=notes))
    elif fmt == "md":
        sys.stdout.buffer.write(markdown(rows, title, notes))
    elif fmt == "tsv":
        write_tsv(rows, sys.stdout)
    else:
        console = Console(highlight=False, emoji=False, markup=False)
        if rows:
            console.print(table(rows))
        say(summary(rows), file=sys.stdout)
        for n in notes:
            say(n, file=sys.stdout)
        return
    sys.stdout.flush()
    say(summary(rows))
    for n in notes:
        say(n)


def run(ns: argparse.Namespace) -> int:
    if ns.since is None and ns.until is None:
        if len(ns.versions) != 2:
            say(f"{PROG}: give --since DATE (a window) or two versions, OLD NEW (see --help)")
            return 2
        if ns.file is not None and not ns.file.strip():
            say(f"{PROG}: --file: give a path")
            return 2
        return run_versions(ns)
    if len(ns.versions) > 1:
        say(f"{PROG}: a window (--since/--until) takes one ledger, not {len(ns.versions)}")
        return 2
    if ns.file is not None:
        say(f"{PROG}: --file names the ledger in a git revision; a window reads one ledger file")
        return 2
    if ns.since is not None and ns.until is not None and ns.until < ns.since:
        say(f"{PROG}: --until {ns.until} is before --since {ns.since}")
        return 2
    return run_window(ns)


def run_window(ns: argparse.Namespace) -> int:
    ledger_arg = ns.versions[0] if ns.versions else None
    try:
        loaded = load_ledger(ledger_arg)
    except LedgerUnreadable as exc:
        if ledger_arg is None:
            return report(PROG, exc)
        say(str(exc).split("\n"))
        say(f"{PROG}: {ledger_arg}: not a usable ledger")
        return 2
    except CommandError as exc:
        if ledger_arg is None:
            return report(PROG, exc)
        say(f"{PROG}: {exc}")
        return 2
    found = window_changes(loaded.ledger, ns.since, ns.until)
    since = ns.since.isoformat() if ns.since else None
    until = ns.until.isoformat() if ns.until else None
    window = " ".join(x for x in (f"since {since}" if since else "", f"until {until}" if until else "") if x)
    notes = [found.note()] if found.note() else []
    head: dict[str, object] = {"ledger": str(loaded.path), "since": since, "until": until, "undated": found.undated}
    _emit(list(found.rows), ns.format, f"Changes {window}", notes, head)
    return 0


def run_versions(ns: argparse.Namespace) -> int:
    old_arg, new_arg = ns.versions
    try:
        old = read_version(old_arg, ns.file, "OLD")
        new = read_version(new_arg, ns.file, "NEW")
    except BadInput as exc:
        say([f"{PROG}: {line}" if n == 0 else line for n, line in enumerate(str(exc).split("\n"))])
        return 2
    rows = list(version_changes(old.ledger, new.ledger))
    head: dict[str, object] = {"old": old.name, "new": new.name}
    notes = [] if rows else [f"the ledger is the same in {old.name} and {new.name}"]
    _emit(rows, ns.format, f"Changes from {old.name} to {new.name}", notes, head)
    return 0
