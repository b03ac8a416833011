"""``pledgetui paths``: where your data lives (working copy, journal, cache, settings, backup)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pledgetui import paths
from pledgetui.commands.common import say

PROG = "pledgetui paths"

EPILOG = """\
Each folder can be moved with an environment variable: PLEDGETUI_DATA_DIR (the
working copy and its articles), PLEDGETUI_STATE_DIR (the recovery journal),
PLEDGETUI_CACHE_DIR (the cache) and PLEDGETUI_CONFIG_DIR (the settings).

exit status: 0

examples:
  pledgetui paths
  pledgetui paths ~/notes/pledges.toml   also name that ledger's backup"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="Show where pledgetui keeps your working copy, recovery journal, cache, settings and backups.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", nargs="?", help="a ledger file (default: your working copy)")
    return p


def lines(ledger: Path | None = None) -> list[str]:
    rows = paths.locations(ledger)
    width = max(len(what) for what, _ in rows)
    return [
        f"{what + ':':<{width + 1}} {where}{'' if where.exists() else '  (not created yet)'}" for what, where in rows
    ]


def run(ns: argparse.Namespace) -> int:
    ledger = Path(os.path.realpath(Path(ns.ledger).expanduser())) if ns.ledger else None
    say(lines(ledger), file=sys.stdout)
    return 0
