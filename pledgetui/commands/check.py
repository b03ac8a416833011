"""``pledgetui check [LEDGER]``: validate a ledger, verify every quote, apply the coding manual's checks."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from pledgetui.anchors import AnchorStatus, format_word_diff, word_diff
from pledgetui.commands import common
from pledgetui.commands.common import CommandError, load_ledger, say
from pledgetui.model import Ledger
from pledgetui.review import review
from pledgetui.store import LedgerError
from pledgetui.verify import Articles, QuoteCheck, Report, verify

PROG = "pledgetui check"

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
        prog=PROG,
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
        loaded = load_ledger(ns.ledger, use_cache=False)  # a check reads the file itself, never the cache
    except CommandError as exc:
        return common.report(PROG, exc)
    path, ledger = loaded.path, loaded.ledger
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
    pledges = [p for p in ledger.entries if not p.is_counter]
    counters = len(ledger.entries) - len(pledges)
    say(f"ledger:   {path}", out)
    say(f"entries:  {len(pledges)} pledges and {counters} counter-positions", out)
    say(f"sources:  {len(ledger.sources)}", out)
    # One pass for the counts; the lists only where there is something to list.
    counts = Counter(c.anchor.status for c in report.checks)
    exact, moved, folded = counts[AnchorStatus.EXACT], counts[AnchorStatus.MOVED], counts[AnchorStatus.FOLDED]
    drifted = report.drifted if counts[AnchorStatus.DRIFTED] else []
    orphans = report.orphans if counts[AnchorStatus.ORPHAN] else []
    say(
        f"quotes:   {len(report.checks)}: {exact + moved + folded} verified "
        f"({exact} exact, {moved} moved, {folded} folded), {len(drifted)} drifted, {len(orphans)} orphaned",
        out,
    )
    for source_id, problem in sorted(report.source_problems.items()):
        say(f"source {source_id}: {problem}", out)
    for c in report.moved if moved or folded else []:  # an exact quote is at its stored offsets
        ev = c.evidence
        say(
            f"moved: {c.where}: offsets {ev.start}-{ev.end} -> {c.anchor.start}-{c.anchor.end} "
            f"({c.anchor.status}; verified)",
            out,
        )
    for c in drifted:
        diff = format_word_diff(word_diff(c.evidence.quote, article_span(articles, ledger, c)))
        say(f"drifted: {c.where}: the stored quote is not the article's words", out)
        say(f"  diff (stored [-...-], article {{+...+}}): {diff}", out)
    for c in orphans:
        say(f"orphan: {c.where}: {_short(c.evidence.quote)!r} not found", out)
    say(f"warnings: {len(findings)}" + (" (failures under --strict)" if findings and ns.strict else ""), out)
    for f in findings:
        say(f"warning: {f}", out)
    clean = not orphans and not drifted and not report.source_problems
    if ns.strict and findings:
        clean = False
    say("OK" if clean else "PROBLEMS FOUND", out)
    return 0 if clean else 1


def _ask(question: str, stdin: TextIO, out: TextIO) -> str:
    print(question, end=" ", file=out, flush=True)  # a fixed prompt: no untrusted text
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
        say("fixed:    nothing to fix", out)
        return True, None
    try:
        session = EditSession.open(path)
    except (LedgerError, JournalError, OSError) as exc:
        say(f"{PROG}: cannot edit {path}: {exc}")
        return False, None
    accepted = 0
    try:
        for c in todo:
            text = articles.text(ledger, c.evidence.source) or ""
            found = text[c.anchor.start : c.anchor.end]
            if c.anchor.status is AnchorStatus.DRIFTED:
                say(f"drifted: {c.where}", out)
                say(f"  diff: {format_word_diff(word_diff(c.evidence.quote, found))}", out)
                answer = _ask("  take the article's text as the quote? [y/N/q]", stdin, out)
            else:
                say(
                    f"moved: {c.where}: offsets {c.evidence.start}-{c.evidence.end} -> {c.anchor.start}-{c.anchor.end}",
                    out,
                )
                answer = _ask("  update the offsets and context? [y/N/q]", stdin, out)
            if answer == "q":
                break
            if answer != "y":
                continue
            session.accept_article_text(c.entry_id, c.index, text, c.anchor.start, c.anchor.end)
            accepted += 1
        if not accepted:
            session.discard()
            say("fixed:    nothing", out)
            return True, None
        session.save()
    except (SaveError, JournalError) as exc:
        say(f"{PROG}: not saved: {exc}; the edits are kept in the recovery journal")
        return False, None
    finally:
        session.close()
    say(f"fixed:    {accepted} quote{'s' if accepted != 1 else ''}; saved {path} (previous version in .bak)", out)
    return True, session.ledger
