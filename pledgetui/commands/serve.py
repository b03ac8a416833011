"""``pledgetui serve``: the dashboard in a browser, one dashboard per tab (textual-serve).

textual-serve runs a command through the shell for each browser tab that connects. That
command is built here from an argument list: this Python (``sys.executable``) running this
pledgetui, with the ledger's absolute path and the options quoted by :func:`shlex.join`, so
a ledger name with spaces or shell characters is one argument and never runs anything.
``-P`` keeps the folder the server was started in off ``sys.path`` (a ``pledgetui`` folder
there cannot stand in for the installed one).
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path

from pledgetui.commands.common import CommandError, fail, report, resolve_ledger, say

PROG = "pledgetui serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: The page's title (the command itself, textual-serve's default, would show the ledger's path).
TITLE = "pledgetui"

EPILOG = """\
Each browser tab gets its own dashboard on the same ledger. In a browser, an export is a
download (nothing is written on the server), and $EDITOR and importing an article are not
offered. There is no authentication: anyone who can reach the address can use the
dashboard. Keep the default address (127.0.0.1, this machine only), or put it behind a
proxy that asks for a login.

exit status: 0 when stopped with Ctrl-C; 1 the ledger or the address cannot be used;
2 usage error

examples:
  pledgetui serve                             your working copy on http://127.0.0.1:8000
  pledgetui serve ~/notes/pledges.toml --port 8080
  pledgetui serve --read-only                 nobody can edit from the browser"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="Serve the dashboard to web browsers (textual-serve): one dashboard per browser tab.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", nargs="?", help="ledger file (default: your working copy)")
    p.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)"
    )
    p.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    p.add_argument(
        "--public-url",
        help="the address browsers use to reach the server, when it differs (behind a proxy): https://example.org/pledges",
    )
    p.add_argument("--read-only", action="store_true", help="every dashboard opens read-only: no edits, no saves")
    p.add_argument("--no-config", action="store_true", help="the dashboards read and write no settings file")
    return p


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1 to 65535): {port}")
    return port


def is_local(host: str) -> bool:
    """True when ``host`` is a loopback address (or ``localhost``): only this machine can connect."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def no_authentication_warning(host: str, port: int, *, read_only: bool = False) -> str:
    can = "read the ledger" if read_only else "read and edit the ledger"
    return (
        f"{PROG}: warning: listening on {host}:{port}, which other machines may reach, and there is no "
        f"authentication: anyone who reaches it can {can}. Put it behind a proxy that asks for a login, "
        f"or keep the default address {DEFAULT_HOST}."
    )


def dashboard_command(ledger: Path, *, read_only: bool = False, no_config: bool = False) -> str:
    """The shell command each browser tab runs: this Python's pledgetui on ``ledger``, quoted."""
    argv = [sys.executable, "-P", "-m", "pledgetui"]
    if read_only:
        argv.append("--read-only")
    if no_config:
        argv.append("--no-config")
    argv += ["--", str(ledger)]
    return shlex.join(argv)


def run(ns: argparse.Namespace) -> int:
    try:
        ledger = resolve_ledger(ns.ledger).resolve()
    except CommandError as exc:
        return report(PROG, exc)
    try:
        # An HTTP server that runs each tab's dashboard as a process of its own: it does not load
        # Textual here, so this command stays beside the others, outside the UI layer.
        from textual_serve.server import Server
    except ImportError:
        return fail(PROG, "textual-serve is not installed; install it with: pip install 'pledgetui[serve]'")
    if not is_local(ns.host):
        say(no_authentication_warning(ns.host, ns.port, read_only=ns.read_only))
    command = dashboard_command(ledger, read_only=ns.read_only, no_config=ns.no_config)

    class Serving(Server):
        async def on_startup(self, app: object) -> None:
            """One line through the display filter (textual-serve's own prints the command as markup)."""
            mode = " read-only" if ns.read_only else ""
            say(f"{PROG}: serving {ledger}{mode} on {self.public_url} (Ctrl-C stops)", file=sys.stdout)

    server = Serving(command, host=ns.host, port=ns.port, title=TITLE, public_url=ns.public_url)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, the address is not this machine's
        return fail(PROG, f"cannot listen on {ns.host}:{ns.port}: {exc.strerror or exc}")
    return 0
