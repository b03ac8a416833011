"""``pledgetui serve``: the address it listens on, the warning off this machine, and the command
each browser tab runs (this Python's pledgetui, quoted: a ledger name cannot run anything)."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pledgetui.cli import main
from tests.factory import write_ledger

#: A ledger folder and name a shell would take apart: spaces, quotes, substitutions, separators.
HOSTILE_FOLDER = "two words; touch pwned-folder"
HOSTILE_NAME = 'it\'s $(touch pwned-subst) `touch pwned-tick` & "q" |x.toml'


class FakeServer:
    """Stands in for textual-serve's Server: records what it was given; serving returns at once."""

    made: list[FakeServer] = []

    def __init__(self, command: str, **options: Any) -> None:
        self.command, self.options = command, options
        self.public_url = "http://test"
        FakeServer.made.append(self)

    def serve(self) -> None:
        pass


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[FakeServer]:
    import textual_serve.server

    FakeServer.made = []
    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    return FakeServer


@pytest.fixture
def hostile_ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / HOSTILE_FOLDER, name=HOSTILE_NAME)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["serve", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_default_address_is_this_machine_only_and_no_warning(
    fake_server: type[FakeServer], ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, str(ledger_path))
    assert code == 0
    [server] = fake_server.made
    assert server.options["host"] == "127.0.0.1" and server.options["port"] == 8000
    assert server.options["title"] == "pledgetui"  # not the command, which names the ledger's path
    assert "warning" not in err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_a_loopback_address_gives_no_warning(
    fake_server: type[FakeServer], ledger_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    code, _out, err = run(capsys, str(ledger_path), "--host", host)
    assert code == 0 and "warning" not in err
    assert fake_server.made[0].options["host"] == host


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_any_other_address_warns_there_is_no_authentication(
    fake_server: type[FakeServer], ledger_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    code, _out, err = run(capsys, str(ledger_path), "--host", host, "--port", "8123")
    assert code == 0
    assert f"warning: listening on {host}:8123" in err
    assert "no authentication" in err and "read and edit" in err and "proxy" in err
    assert fake_server.made[0].options["host"] == host and fake_server.made[0].options["port"] == 8123


def test_the_warning_of_a_read_only_server_says_read(
    fake_server: type[FakeServer], ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, _out, err = run(capsys, str(ledger_path), "--host", "0.0.0.0", "--read-only")
    assert "anyone who reaches it can read the ledger" in err


def test_each_tab_runs_this_python_on_the_ledger_quoted(
    fake_server: type[FakeServer], hostile_ledger: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, _err = run(capsys, str(hostile_ledger))
    assert code == 0
    command = fake_server.made[0].command
    assert shlex.split(command) == [sys.executable, "-P", "-m", "pledgetui", "--", str(hostile_ledger.resolve())]
    # What a shell makes of it (textual-serve runs it through one): the same arguments, nothing run.
    printed = subprocess.run(
        ["/bin/sh", "-c", "printf '%s\\0' " + command], cwd=tmp_path, capture_output=True, check=True
    ).stdout
    assert printed.decode().split("\0")[:-1] == [
        sys.executable,
        "-P",
        "-m",
        "pledgetui",
        "--",
        str(hostile_ledger.resolve()),
    ]
    assert not list(tmp_path.rglob("pwned*"))


def test_read_only_and_no_config_are_passed_to_each_dashboard(
    fake_server: type[FakeServer], ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, str(ledger_path), "--read-only", "--no-config")
    run(capsys, str(ledger_path))
    with_flags, plain = (shlex.split(s.command) for s in fake_server.made)
    assert with_flags[4:] == ["--read-only", "--no-config", "--", str(ledger_path.resolve())]
    assert plain[4:] == ["--", str(ledger_path.resolve())]


def test_the_served_command_opens_the_dashboard_read_only(
    monkeypatch: pytest.MonkeyPatch,
    fake_server: type[FakeServer],
    ledger_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The command's arguments, given to pledgetui's own command line, open the dashboard read-only."""
    from pledgetui import cli

    run(capsys, str(ledger_path), "--read-only")
    argv = shlex.split(fake_server.made[0].command)
    opened: list[tuple[str | None, str | None]] = []
    monkeypatch.setattr(cli, "run_dashboard", lambda ledger, **kw: opened.append((ledger, kw["read_only"])) or 0)
    assert main(argv[4:]) == 0
    assert opened == [(str(ledger_path.resolve()), cli.READ_ONLY_FLAG)]


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_a_bad_port_is_a_usage_error(
    fake_server: type[FakeServer], ledger_path: Path, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    code, _out, err = run(capsys, str(ledger_path), "--port", port)
    assert code == 2 and "not a port number" in err
    assert not fake_server.made


def test_a_missing_ledger_is_said_before_serving(
    fake_server: type[FakeServer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, str(tmp_path / "nope.toml"))
    assert code == 1 and "nope.toml" in err
    assert not fake_server.made


def test_without_textual_serve_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # import fails as if not installed
    code, _out, err = run(capsys, str(ledger_path))
    assert code == 1 and "pip install 'pledgetui[serve]'" in err


def test_the_server_never_loads_textual_in_its_own_process() -> None:
    """Each tab's dashboard is a process of its own; the command serving them stays outside the
    UI layer (it imports textual-serve, which runs commands, not Textual)."""
    code = (
        "import sys, pledgetui.commands.serve, textual_serve.server\n"
        "print([m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'pledgetui.ui'))])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
