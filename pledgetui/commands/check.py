"""``pledgetui check [LEDGER]``: validate a ledger, verify every quote, apply the coding manual's checks."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pledgetui.anchors import AnchorStatus, format_word_diff, word_diff
from pledgetui.commands import check_split, common
from pledgetui.commands.common import CommandError, load_ledger, resolve_ledger, say
from pledgetui.gcpause import gc_paused
from pledgetui.ledgerfile import LedgerError
from pledgetui.merge import describe
from pledgetui.model import Ledger
from pledgetui.review import Finding, review_entries
from pledgetui.textcheck import entry_format_warnings, source_format_warnings
from pledgetui.verify import Articles, QuoteCheck, Report, verify

PROG = "pledgetui check"

EPILOG = """\
A quote is verified only when it is its article's exact words, after folding
white space, quote marks, dashes and non-breaking spaces. A quote found only
approximately is "drifted": shown against the article's text, and a failure.

exit status: 0 clean, 1 problems found (each named by entry id and statement
number, or a conflict a merge recorded, by entry id and field), 2 usage error

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


@dataclass
class Outcome:
    """What check found in a ledger, or in a run of its entries, as the lines it prints."""

    sources: int
    source_problems: dict[str, str]
    pledges: int = 0
    counters: int = 0
    counts: Counter[AnchorStatus] = field(default_factory=Counter)
    moved: list[str] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)  # two lines per quote
    orphans: list[str] = field(default_factory=list)
    entry_warnings: list[str] = field(default_factory=list)  # the manual's checks, entry by entry
    source_names: list[str] = field(default_factory=list)  # invisible characters in sources' names
    entry_names: list[str] = field(default_factory=list)  # ... and in entries' names
    conflicts: list[str] = field(default_factory=list)  # recorded by a merge, one line each

    def then(self, later: Outcome) -> Outcome:
        """This run of entries followed by the ``later`` one (of the same ledger)."""
        return Outcome(
            sources=self.sources,
            source_problems=self.source_problems,
            pledges=self.pledges + later.pledges,
            counters=self.counters + later.counters,
            counts=self.counts + later.counts,
            moved=self.moved + later.moved,
            drifted=self.drifted + later.drifted,
            orphans=self.orphans + later.orphans,
            entry_warnings=self.entry_warnings + later.entry_warnings,
            source_names=self.source_names,
            entry_names=self.entry_names + later.entry_names,
            conflicts=self.conflicts,  # the ledger's, read with the head by every run
        )

    @property
    def warnings(self) -> list[str]:
        """The manual's checks entry by entry, then the names (as :func:`pledgetui.review.review`)."""
        return self.entry_warnings + self.source_names + self.entry_names


def examine(ledger: Ledger, articles: Articles, report: Report, partisan: frozenset[str] | None = None) -> Outcome:
    """The outcome for ``ledger``'s entries, whose quotes ``report`` verified (``articles``: their texts).
    ``partisan``: the whole ledger's partisan sources, when ``ledger`` holds only part of its entries."""
    counts = Counter(c.anchor.status for c in report.checks)
    counters = sum(1 for p in ledger.entries if p.is_counter)
    outcome = Outcome(
        sources=len(ledger.sources),
        source_problems=dict(report.source_problems),
        pledges=len(ledger.entries) - counters,
        counters=counters,
        counts=counts,
        entry_warnings=[str(f) for f in review_entries(ledger.entries, ledger.source_dates(), partisan)],
        source_names=[str(Finding(where, 0, what)) for where, what in source_format_warnings(ledger.sources)],
        entry_names=[str(Finding(where, 0, what)) for where, what in entry_format_warnings(ledger.entries)],
        conflicts=[f"conflict: {describe(c)}" for c in ledger.conflicts],
    )
    # The lists only where there is something to list (an exact quote is at its stored offsets).
    for c in report.moved if counts[AnchorStatus.MOVED] or counts[AnchorStatus.FOLDED] else []:
        ev = c.evidence
        outcome.moved.append(
            f"moved: {c.where}: offsets {ev.start}-{ev.end} -> {c.anchor.start}-{c.anchor.end} "
            f"({c.anchor.status}; verified)"
        )
    for c in report.drifted if counts[AnchorStatus.DRIFTED] else []:
        diff = format_word_diff(word_diff(c.evidence.quote, article_span(articles, ledger, c)))
        outcome.drifted.append(f"drifted: {c.where}: the stored quote is not the article's words")
        outcome.drifted.append(f"  diff (stored [-...-], article {{+...+}}): {diff}")
    for c in report.orphans if counts[AnchorStatus.ORPHAN] else []:
        outcome.orphans.append(f"orphan: {c.where}: {_short(c.evidence.quote)!r} not found")
    return outcome


def run(ns: argparse.Namespace) -> int:
    out = sys.stdout
    try:
        path = resolve_ledger(ns.ledger)
    except CommandError as exc:
        return common.report(PROG, exc)
    outcome = None if ns.fix else check_split.examine_in_parts(path, examine)
    if outcome is None:
        try:
            loaded = load_ledger(str(path), use_cache=False)  # a check reads the file itself, never the cache
        except CommandError as exc:
            return common.report(PROG, exc)
        ledger = loaded.ledger
        articles = Articles(path)
        with gc_paused():  # hundreds of thousands of checks and anchors, none in a reference cycle
            report = verify(ledger, articles)
        if ns.fix:
            ok, fixed = _fix(path, ledger, articles, report, sys.stdin, out)
            if not ok:
                return 1
            if fixed is not None:
                ledger = fixed
                articles = Articles(path)
                report = verify(ledger, articles)
        with gc_paused():
            outcome = examine(ledger, articles, report)
    return show(path, outcome, ns.strict, out)


def show(path: Path, outcome: Outcome, strict: bool, out: TextIO) -> int:
    """Print ``outcome``; the exit status (0 clean, 1 problems found)."""
    counts = outcome.counts
    exact, moved, folded = counts[AnchorStatus.EXACT], counts[AnchorStatus.MOVED], counts[AnchorStatus.FOLDED]
    drifted, orphans = counts[AnchorStatus.DRIFTED], counts[AnchorStatus.ORPHAN]
    say(f"ledger:   {path}", out)
    say(f"entries:  {outcome.pledges} pledges and {outcome.counters} counter-positions", out)
    say(f"sources:  {outcome.sources}", out)
    say(
        f"quotes:   {counts.total()}: {exact + moved + folded} verified "
        f"({exact} exact, {moved} moved, {folded} folded), {drifted} drifted, {orphans} orphaned",
        out,
    )
    for source_id, problem in sorted(outcome.source_problems.items()):
        say(f"source {source_id}: {problem}", out)
    for line in outcome.moved + outcome.drifted + outcome.orphans:
        say(line, out)
    if outcome.conflicts:
        say(f"conflicts: {len(outcome.conflicts)} left by a merge (pledgetui merge --help: how to settle them)", out)
    for line in outcome.conflicts:
        say(line, out)
    warnings = outcome.warnings
    say(f"warnings: {len(warnings)}" + (" (failures under --strict)" if warnings and strict else ""), out)
    for w in warnings:
        say(f"warning: {w}", out)
    clean = not orphans and not drifted and not outcome.source_problems and not outcome.conflicts
    if strict and warnings:
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
    from pledgetui.filesave import SaveError
    from pledgetui.journal import JournalError
    from pledgetui.session import EditSession

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
