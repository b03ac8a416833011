"""``pledgetui suggest ARTICLE``: the passages of an article that look like statements about
security commitments, with a proposed coding and the rules behind each."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pledgetui.commands.common import say
from pledgetui.files import NotReadable, read_regular
from pledgetui.sanitize import display_line

PROG = "pledgetui suggest"

#: Columns of the plain (tab-separated) output, in order.
COLUMNS = (
    "start",
    "end",
    "score",
    "actor",
    "commitment",
    "status",
    "claimant",
    "party",
    "basis",
    "relayed_by",
    "conditions",
    "stated",
    "numbers",
    "sentence",
    "why",
)
#: Columns of the terminal table.
TABLE_COLUMNS = ("start", "actor", "commitment", "status", "claimant", "basis", "sentence", "why")

EPILOG = """\
Each candidate is a sentence of the article (its character offsets, its exact text) with a
proposed coding by the coding manual's cue words: actor, claimant, commitment type, status,
party and basis, conditions, the date it gives itself and the numbers it states, and why it
was suggested (the rules that fired). They are proposals: the import screen of the dashboard
opens the add form filled with them, for a person to confirm.

On a terminal the candidates are a table; in a pipe, tab-separated text with a header line;
--format json gives every field.

exit status: 0 candidates found, 1 none, 2 usage error or an unreadable article

examples:
  pledgetui suggest article.txt
  pledgetui suggest article.txt --date 2026-01-07 --limit 10
  pledgetui suggest article.txt --format json | jq '.[0]'"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="Suggest the statements of an article (a UTF-8 text file) for the ledger.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("article", help="the article: a UTF-8 text file")
    p.add_argument(
        "--date",
        help="the article's date (YYYY-MM-DD), to resolve days such as 'on Tuesday' "
        "(default: a date in the article's opening, if any)",
    )
    p.add_argument("--limit", type=int, default=40, help="at most this many candidates, the best first (default 40)")
    p.add_argument("--format", choices=("table", "tsv", "json"), help="default: a table on a terminal, else tsv")
    return p


class ArticleProblem(Exception):
    """An article that cannot be read as text: the message names the file and what is wrong."""


def read_article(path: Path, limit: int) -> str:
    """The article's text; raises :class:`ArticleProblem` for a missing, special, huge, binary
    or non-UTF-8 file (nothing is read from a pipe or a device)."""
    try:
        data, _ = read_regular(path, limit)
    except NotReadable as exc:
        if exc.kind == "too_large":
            raise ArticleProblem(f"{path}: too large: {exc.what} (the article limit)") from None
        if exc.kind == "folder":
            raise ArticleProblem(f"{path}: is a directory, not an article") from None
        raise ArticleProblem(f"{path}: {exc.what}") from None
    nul = data.find(b"\0")
    if nul >= 0:
        raise ArticleProblem(f"{path}: a binary file, not text (a NUL byte at offset {nul})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleProblem(f"{path}: not UTF-8 text (a bad byte at offset {exc.start})") from None
    if not text.strip():
        raise ArticleProblem(f"{path}: the file is empty")
    return text


def run(ns: argparse.Namespace) -> int:
    from pledgetui.articlefile import MAX_ARTICLE_BYTES

    if ns.limit < 1:
        say(f"{PROG}: --limit must be at least 1")
        return 2
    date: dt.date | None = None
    if ns.date:
        try:
            date = dt.date.fromisoformat(ns.date)
        except ValueError:
            say(f"{PROG}: --date {ns.date!r}: write the date as YYYY-MM-DD")
            return 2
    path = Path(ns.article).expanduser()
    try:
        text = read_article(path, MAX_ARTICLE_BYTES)
    except ArticleProblem as exc:
        say(f"{PROG}: {exc}")
        return 2
    from pledgetui.suggest import article_date, suggest

    if date is None:
        date = article_date(text)
    candidates = suggest(text, article_date=date, limit=ns.limit)
    chosen = ns.format or ("table" if sys.stdout.isatty() else "tsv")
    if chosen == "json":
        write_json(candidates, sys.stdout)
    elif chosen == "table":
        if candidates:
            Console(highlight=False, emoji=False, markup=False).print(table(candidates))
    else:
        write_plain(candidates, sys.stdout)
    sys.stdout.flush()
    dated = f", dated {date.isoformat()}" if date else ", no date"
    shown = f"{len(candidates)} candidate{'' if len(candidates) == 1 else 's'}"
    if candidates.total > len(candidates):
        shown = f"the best {len(candidates)} of {candidates.total} candidates (--limit shows more)"
    say(f"{shown} in {path.name} ({len(text):,} characters{dated})")
    return 0 if candidates else 1


def _cells(c: object) -> dict[str, str]:
    from pledgetui.suggest import Candidate

    assert isinstance(c, Candidate)
    conditions = "" if c.conditions is None else (", ".join(x.value for x in c.conditions) or "none")
    return {
        "start": str(c.start),
        "end": str(c.end),
        "score": str(c.score),
        "actor": c.actor + (" (counter-position)" if c.counter_position else ""),
        "commitment": c.commitment.value,
        "status": c.status.value,
        "claimant": c.claimant,
        "party": c.party.value,
        "basis": c.basis.value,
        "relayed_by": c.relayed_by,
        "conditions": conditions,
        "stated": c.stated.isoformat() if c.stated else "",
        "numbers": "; ".join(str(n) for n in c.numbers),
        "sentence": c.sentence,
        "why": "; ".join(c.why),
    }


def write_plain(candidates: Sequence[object], out: TextIO) -> None:
    """Tab-separated, a header line first; every article string through :func:`display_line`
    (a tab or a line break in the article is shown as a symbol, so it cannot forge a cell)."""
    out.write("\t".join(COLUMNS) + "\n")
    for c in candidates:
        cells = _cells(c)
        out.write("\t".join(display_line(cells[name]) for name in COLUMNS) + "\n")


def write_json(candidates: Sequence[object], out: TextIO) -> None:
    """Every field, the sentence exactly as the article has it (its offsets anchor it). JSON
    escapes every control and non-ASCII character (``ensure_ascii``), so nothing in it acts on
    a terminal."""
    from pledgetui.suggest import Candidate

    data = [c.as_dict() for c in candidates if isinstance(c, Candidate)]
    json.dump(data, out, ensure_ascii=True, indent=2)
    out.write("\n")


def table(candidates: Sequence[object]) -> Table:
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    for name in TABLE_COLUMNS:
        t.add_column(name, overflow="fold", ratio={"sentence": 5, "why": 3, "claimant": 2}.get(name))
    for c in candidates:
        cells = _cells(c)
        t.add_row(*(Text(display_line(cells[name])) for name in TABLE_COLUMNS))
    return t
