"""``pledgetui search TEXT``: every place a text occurs in the ledger's articles, and who cites it."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from pledgetui.commands.common import CommandError, load_ledger, report, say
from pledgetui.commands.rows import hits_summary, hits_table, write_hits
from pledgetui.search import ArticleSearch, SearchError, fold_needle

PROG = "pledgetui search"

EPILOG = """\
The search ignores case and accents ("elysee" finds "Élysée") and folds quote
marks, dashes and white space as quotes are checked. Each hit gives its article
(source id), its character offsets, a line of context and the entries whose
quotes contain it; a hit no statement cites is a candidate for a new one. On a
terminal the hits are a table; in a pipe, tab-separated text with a header line.

exit status: 0 hits found, 1 none (or a ledger problem), 2 usage error

examples:
  pledgetui search paris
  pledgetui search 'security guarantees' data/pledges.toml | cut -f1,2,5"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="Search the text of every article of a ledger.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("text", help="the text to find (case and accents ignored)")
    p.add_argument("ledger", nargs="?", help="ledger file (default: your working copy)")
    return p


def run(ns: argparse.Namespace) -> int:
    if not fold_needle(ns.text).strip():
        say(f"{PROG}: give a text to search for")
        return 2
    try:
        loaded = load_ledger(ns.ledger)
    except CommandError as exc:
        return report(PROG, exc)
    search = ArticleSearch(loaded.ledger, loaded.path)
    try:
        hits = search.search(ns.text)
    except SearchError as exc:
        say(f"{PROG}: {exc}")
        return 2
    for source_id, problem in sorted(search.problems.items()):
        say(f"{PROG}: {source_id}: not searched: {problem}")
    if sys.stdout.isatty():
        if hits:
            Console(highlight=False, emoji=False, markup=False).print(hits_table(hits))
    else:
        write_hits(hits, sys.stdout)
        sys.stdout.flush()
    say(hits_summary(hits, ns.text))
    return 0 if hits else 1
