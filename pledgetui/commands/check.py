"""``pledgetui check [LEDGER]``: validate a ledger, verify every quote, apply the coding manual's checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from pledgetui.anchors import AnchorStatus, format_word_diff, word_diff
from pledgetui.commands.common import CommandError, resolve_ledger
from pledgetui.model import Ledger
from pledgetui.review import review
from pledgetui.store import LedgerError, load
from pledgetui.verify import Articles, QuoteCheck, Report, verify

EPILOG = """\
A quote is verified only when it is its article's exact words, after folding
white space, quote marks, dashes and non-breaking spaces. A quote found only
approximately is "drifted": shown against the article's text, and a failure.

exit status: 0 clean, 1 problems found (each named by entry id and statement
number), 2 usage error

examples:
  pledgetui check                  check your working copy
  pledgetui check data/pledges.toml
  pledgetui check --strict         also fail on the coding manual's warnings
  pledgetui check --fix            offer the article's text for each drifted quote"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog="pledgetui check",
        description="Validate a ledger: schema, vocabularies, unique ids, article files, every quote "
        "verified verbatim in its article, and the coding manual's checks (docs/coding.md).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", nargs="?", help="ledger file (default: your working copy)")
    p.add_argument("--strict", action="store_true", help="treat the coding manual's warnings as failures")
    p.add_argument(
        "--fix",
        action="store_true",
        help="for each drifted or moved quote, ask whether to take the article's text and offsets "
        "(journaled edits, saved atomically with a backup)",
    )
    return p


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def article_span(articles: Articles, ledger: Ledger, c: QuoteCheck) -> str:
    text = articles.text(ledger, c.evidence.source) or ""
    return text[c.anchor.start : c.anchor.end]


def run(ns: argparse.Namespace) -> int:
    out = sys.stdout
    try:
        path = resolve_ledger(ns.ledger)
        loaded = load(path, use_cache=False)
    except CommandError as exc:
        print(f"pledgetui check: {exc}", file=sys.stderr)
        return 1
    except LedgerError as exc:
        print(exc.describe(), file=sys.stderr)
        return 1
    ledger = loaded.ledger
    articles = Articles(path)
    report = verify(ledger, articles)
    if ns.fix:
        ok, fixed = _fix(path, ledger, articles, report, sys.stdin, out)
        if not ok:
            return 1
        if fixed is not None:
            ledger = fixed
            articles = Articles(path)
            report = verify(ledger, articles)
    findings = review(ledger)
    pledges = [p for p in ledger.pledges if not p.is_counter]
    counters = len(ledger.pledges) - len(pledges)
    print(f"ledger:   {path}", file=out)
    print(f"entries:  {len(pledges)} pledges and {counters} counter-positions", file=out)
    print(f"sources:  {len(ledger.sources)}", file=out)
    print(
        f"quotes:   {len(report.checks)}: {report.verified} verified "
        f"({report.count(AnchorStatus.EXACT)} exact, {report.count(AnchorStatus.MOVED)} moved, "
        f"{report.count(AnchorStatus.FOLDED)} folded), {len(report.drifted)} drifted, "
        f"{len(report.orphans)} orphaned",
        file=out,
    )
    for source_id, problem in sorted(report.source_problems.items()):
        print(f"source {source_id}: {problem}", file=out)
    for c in report.moved:
        ev = c.evidence
        print(
            f"moved: {c.where}: offsets {ev.start}-{ev.end} -> {c.anchor.start}-{c.anchor.end} "
            f"({c.anchor.status}; verified)",
            file=out,
        )
    for c in report.drifted:
        diff = format_word_diff(word_diff(c.evidence.quote, article_span(articles, ledger, c)))
        print(f"drifted: {c.where}: the stored quote is not the article's words", file=out)
        print(f"  diff (stored [-...-], article {{+...+}}): {diff}", file=out)
    for c in report.orphans:
        print(f"orphan: {c.where}: {_short(c.evidence.quote)!r} not found", file=out)
    print(f"warnings: {len(findings)}" + (" (failures under --strict)" if findings and ns.strict else ""), file=out)
    for f in findings:
        print(f"warning: {f}", file=out)
    clean = not report.orphans and not report.drifted and not report.source_problems
    if ns.strict and findings:
        clean = False
    print("OK" if clean else "PROBLEMS FOUND", file=out)
    return 0 if clean else 1


def _ask(question: str, stdin: TextIO, out: TextIO) -> str:
    print(question, end=" ", file=out, flush=True)
    line = stdin.readline()
    if not line:
        return "q"
    return line.strip().lower()[:1] or "n"


def _fix(
    path: Path, ledger: Ledger, articles: Articles, report: Report, stdin: TextIO, out: TextIO
) -> tuple[bool, Ledger | None]:
    """Ask per drifted or moved quote; apply the accepted ones as journaled edits and save.
    Returns ``(ok, the new ledger or None when nothing changed)``."""
    from pledgetui.journal import JournalError
    from pledgetui.session import EditSession
    from pledgetui.store import SaveError

    todo = [c for c in report.checks if c.anchor.status is AnchorStatus.DRIFTED or c.moved]
    if not todo:
        print("fixed:    nothing to fix", file=out)
        return True, None
    try:
        session = EditSession.open(path)
    except (LedgerError, JournalError, OSError) as exc:
        print(f"pledgetui check: cannot edit {path}: {exc}", file=sys.stderr)
        return False, None
    accepted = 0
    try:
        for c in todo:
            text = articles.text(ledger, c.evidence.source) or ""
            found = text[c.anchor.start : c.anchor.end]
            if c.anchor.status is AnchorStatus.DRIFTED:
                print(f"drifted: {c.where}", file=out)
                print(f"  diff: {format_word_diff(word_diff(c.evidence.quote, found))}", file=out)
                answer = _ask("  take the article's text as the quote? [y/N/q]", stdin, out)
            else:
                print(f"moved: {c.where}: offsets {c.evidence.start}-{c.evidence.end} -> {c.anchor.start}-{c.anchor.end}", file=out)
                answer = _ask("  update the offsets and context? [y/N/q]", stdin, out)
            if answer == "q":
                break
            if answer != "y":
                continue
            session.accept_article_text(c.pledge_id, c.index, text, c.anchor.start, c.anchor.end)
            accepted += 1
        if not accepted:
            session.discard()
            print("fixed:    nothing", file=out)
            return True, None
        session.save()
    except (SaveError, JournalError) as exc:
        print(f"pledgetui check: not saved: {exc}; the edits are kept in the recovery journal", file=sys.stderr)
        return False, None
    finally:
        session.close()
    print(f"fixed:    {accepted} quote{'s' if accepted != 1 else ''}; saved {path} (previous version in .bak)", file=out)
    return True, session.ledger
