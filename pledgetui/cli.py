"""Command line entry: ``pledgetui [LEDGER]`` opens the dashboard; subcommands work headless."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from pledgetui import __version__

EPILOG_DASHBOARD = """\
examples:
  pledgetui                      open your working copy (created from the bundled ledger on first use)
  pledgetui ~/notes/pledges.toml open another ledger file
  pledgetui check                validate the working copy and every quote
  pledgetui export --format csv --filter 'country:france' -o france.csv

  pledgetui --no-config          start with the default settings; read and write no settings file
  pledgetui --read-only          look without editing (a second window on a ledger being edited
                                 opens read-only by itself)
  pledgetui paths                where the working copy, journal, cache, settings and backups are
  pledgetui search paris         every place "paris" occurs in the ledger's articles, and who cites it
  pledgetui changes --since 2026-01-01   what the statements made since then changed
  pledgetui changes HEAD~1 HEAD  what the last commit changed in data/pledges.toml
  pledgetui show uk-ground-troops --as-of 2025-12-31
                                 one entry, its statements and history, as it stood on a day
  pledgetui suggest article.txt  the passages of an article that look like statements, with a proposed coding
  pledgetui git-setup            let git merge ledger files entry by entry, and diff them entry by entry
  pledgetui serve --read-only    the dashboard in a web browser on http://127.0.0.1:8000, no edits

commands: changes, check, export, git-setup, list, merge, paths, search, serve, show, suggest, textconv
(pledgetui COMMAND --help for each)"""

COMMANDS = (
    "changes",
    "check",
    "export",
    "git-setup",
    "list",
    "merge",
    "paths",
    "search",
    "serve",
    "show",
    "suggest",
    "textconv",
)
#: The module of each command, imported when it runs.
COMMAND_MODULES = {
    "changes": "changes",
    "check": "check",
    "export": "export",
    "git-setup": "git_setup",
    "list": "listing",
    "merge": "merge",
    "paths": "paths",
    "search": "search",
    "serve": "serve",
    "show": "show",
    "suggest": "suggest",
    "textconv": "textconv",
}


class UsageError(Exception):
    """Bad command-line usage: exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() owns every exit status."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def dashboard_parser() -> Parser:
    p = Parser(
        prog="pledgetui",
        description="A terminal dashboard over a ledger of security-guarantee claims for Ukraine.",
        epilog=EPILOG_DASHBOARD,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", nargs="?", help="ledger file (default: the last ledger opened, else your working copy)")
    p.add_argument(
        "--no-config",
        action="store_true",
        help="start clean: default settings, and no settings file read or written",
    )
    p.add_argument(
        "--read-only",
        action="store_true",
        help="open the ledger read-only: every edit is disabled, and no other session is kept from editing it",
    )
    p.add_argument("--version", action="version", version=f"pledgetui {__version__}")
    return p


#: The reason a dashboard opened with --read-only gives.
READ_ONLY_FLAG = "opened with --read-only"


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"pledgetui.commands.{COMMAND_MODULES[name]}")


def _on_termination(signum: int, frame: object) -> None:
    """SIGTERM or SIGHUP: remove the temp files of saves in progress (in any thread), then
    end by the signal as if no handler were installed. The file being saved is untouched."""
    temps = sys.modules.get("pledgetui.tempfiles")
    if temps is not None:
        temps.remove_live_temps()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def install_signal_handlers() -> dict[int, object]:
    """Install :func:`_on_termination` for SIGTERM and SIGHUP; returns the previous handlers.
    (SIGINT arrives as KeyboardInterrupt, which every save cleans up after by itself.)"""
    previous: dict[int, object] = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:  # no SIGHUP on Windows
            continue
        try:
            previous[signum] = signal.signal(signum, _on_termination)
        except (ValueError, OSError):  # not the main thread, or not on this platform
            pass
    return previous


def _stdout_to_devnull() -> None:
    from pledgetui.osutil import stdout_to_devnull

    stdout_to_devnull()


def _say(line: str) -> None:
    """One line on stderr through the display filter (it may echo a file name or an argument)."""
    from pledgetui.sanitize import display_line

    try:
        print(display_line(line), file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def quiet_pydantic_plugins() -> None:
    """Start without looking for pydantic plugins, unless the user says otherwise.

    pydantic looks for plugins (through every installed package's entry points) when the
    first model class is made: 20-60 ms of each start, for plugins that instrument every
    validation, which a terminal tool has no use for. ``PYDANTIC_DISABLE_PLUGINS`` is
    pydantic's own switch; a value the user set (even empty, which turns plugins on) is kept.
    Only the program sets it: importing ``pledgetui`` as a library changes nothing."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; every ending is an exit status and at most a line on stderr, never a traceback:
    usage error 2; a reader that went away (``| head``) 1, silently; output that cannot be
    written (a full disk) 1; Ctrl-C 130."""
    args = list(sys.argv[1:] if argv is None else argv)
    quiet_pydantic_plugins()
    prog = "pledgetui" + (f" {args[0]}" if args and args[0] in COMMANDS else "")
    previous = install_signal_handlers()
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # inside the guard: the last buffered output can fail too
        return code
    except UsageError as exc:
        _say(str(exc))
        return 2
    except KeyboardInterrupt:
        _stdout_to_devnull()
        _say(f"{prog}: interrupted")
        return 130
    except BrokenPipeError:
        # The documented way (Python docs, "Note on SIGPIPE"): stop quietly, and point stdout
        # at /dev/null so the interpreter's own flush at exit does not fail again.
        _stdout_to_devnull()
        return 1
    except OSError as exc:
        _stdout_to_devnull()
        where = exc.filename if exc.filename is not None else "the output"
        _say(f"{prog}: cannot write {where}: {exc.strerror or exc}")
        return 1
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]


def _dispatch(args: list[str]) -> int:
    if args and args[0] in COMMANDS:
        mod = _command(args[0])
        parser = mod.parser(Parser)
        try:
            ns = parser.parse_args(args[1:])
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        code: int = mod.run(ns)
        return code
    try:
        ns = dashboard_parser().parse_args(args)
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    return run_dashboard(ns.ledger, no_config=ns.no_config, read_only=READ_ONLY_FLAG if ns.read_only else None)


def last_ledger(config: Path) -> str | None:
    """The ledger opened last (from the settings), when reopening it is on and it is still a file."""
    from pledgetui import settings

    chosen = settings.read(config).settings
    if chosen.reopen_last and chosen.last_ledger and Path(chosen.last_ledger).is_file():
        return chosen.last_ledger
    return None


def run_dashboard(ledger: str | None, *, no_config: bool = False, read_only: str | None = None) -> int:
    """The dashboard over ``ledger``; ``read_only``: why it never edits it (None: it edits unless
    another session does)."""
    from pledgetui import paths
    from pledgetui.commands.common import CommandError, report, resolve_ledger

    config = None if no_config else paths.config_file()
    if ledger is None and config is not None:
        ledger = last_ledger(config)
    try:
        path = resolve_ledger(ledger)
    except CommandError as exc:
        return report("pledgetui", exc)
    from pledgetui.ui.app import PledgeApp

    app = PledgeApp(path, read_only=read_only, config=config)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
