"""Command line entry: ``pledgetui [LEDGER]`` opens the dashboard; subcommands work headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pledgetui import __version__

EPILOG_DASHBOARD = """\
examples:
  pledgetui                      open your working copy (created from the bundled ledger on first use)
  pledgetui ~/notes/pledges.toml open another ledger file
  pledgetui check                validate the working copy and every quote
  pledgetui export --format csv --filter 'country:france' -o france.csv

commands: check, export, list (pledgetui COMMAND --help for each)"""

COMMANDS = ("check", "export", "list")


class UsageError(Exception):
    """Bad command-line usage: exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() owns every exit status."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def dashboard_parser() -> Parser:
    p = Parser(
        prog="pledgetui",
        description="A terminal dashboard over a ledger of security-guarantee claims for Ukraine.",
        epilog=EPILOG_DASHBOARD,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", nargs="?", help="ledger file (default: your working copy)")
    p.add_argument("--version", action="version", version=f"pledgetui {__version__}")
    return p


def _command(name: str):
    if name == "check":
        from pledgetui.commands import check as mod
    elif name == "export":
        from pledgetui.commands import export as mod
    else:
        from pledgetui.commands import listing as mod
    return mod


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            mod = _command(args[0])
            parser = mod.parser(Parser)
            try:
                ns = parser.parse_args(args[1:])
            except SystemExit as exc:  # --help
                return int(exc.code or 0)
            return mod.run(ns)
        try:
            ns = dashboard_parser().parse_args(args)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0)
        return run_dashboard(ns.ledger)
    except UsageError as exc:
        from pledgetui.commands.common import say

        say(exc)  # argparse echoes the arguments it did not understand
        return 2
    except KeyboardInterrupt:
        return 130


def run_dashboard(ledger: str | None) -> int:
    from pledgetui.commands.common import CommandError, resolve_ledger, say

    try:
        path = resolve_ledger(ledger)
    except CommandError as exc:
        say(f"pledgetui: {exc}")
        return 1
    from pledgetui.ui.app import PledgeApp

    app = PledgeApp(path)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
