"""``pledgetui check [LEDGER]``: validate a ledger and verify every quote."""

from __future__ import annotations

import argparse
import sys

from pledgetui.anchors import AnchorStatus
from pledgetui.commands.common import CommandError, resolve_ledger
from pledgetui.store import LedgerError, load
from pledgetui.verify import Articles, verify

EPILOG = """\
exit status: 0 clean, 1 problems found (each named by pledge id), 2 usage error

examples:
  pledgetui check                  check your working copy
  pledgetui check data/pledges.toml"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog="pledgetui check",
        description="Validate a ledger: schema, vocabularies, unique ids, article files, and every quote anchored in its article.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", nargs="?", help="ledger file (default: your working copy)")
    return p


def run(ns: argparse.Namespace) -> int:
    out = sys.stdout
    try:
        path = resolve_ledger(ns.ledger)
        loaded = load(path, use_cache=False)  # a check reads the file itself, never the cache
    except CommandError as exc:
        print(f"pledgetui check: {exc}", file=sys.stderr)
        return 1
    except LedgerError as exc:
        print(exc.describe(), file=sys.stderr)
        return 1
    ledger = loaded.ledger
    report = verify(ledger, Articles(path))
    pledges = [p for p in ledger.pledges if not p.is_counter]
    counters = len(ledger.pledges) - len(pledges)
    verified = len(report.checks) - len(report.orphans)
    print(f"ledger:   {path}", file=out)
    print(f"pledges:  {len(pledges)} (and {counters} counter-positions, not counted as pledges)", file=out)
    print(f"sources:  {len(ledger.sources)}", file=out)
    print(
        f"quotes:   {len(report.checks)}: {verified} verified "
        f"({report.count(AnchorStatus.EXACT)} exact, {report.count(AnchorStatus.MOVED)} moved, "
        f"{report.count(AnchorStatus.REANCHORED)} re-anchored), {len(report.orphans)} orphaned",
        file=out,
    )
    for source_id, problem in sorted(report.source_problems.items()):
        print(f"source {source_id}: {problem}", file=out)
    for c in report.moved:
        ev = c.evidence
        print(
            f"re-anchored: pledge {c.pledge_id} quote {c.index + 1} ({ev.source}): "
            f"offsets {ev.start}-{ev.end} -> {c.anchor.start}-{c.anchor.end} ({c.anchor.status})",
            file=out,
        )
    for c in report.orphans:
        text = c.evidence.quote.replace("\n", " ")
        if len(text) > 60:
            text = text[:57] + "..."
        print(f"orphan: pledge {c.pledge_id} quote {c.index + 1} ({c.evidence.source}): {text!r} not found", file=out)
    clean = not report.orphans and not report.source_problems
    print("OK" if clean else "PROBLEMS FOUND", file=out)
    return 0 if clean else 1
