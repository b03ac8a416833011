"""Every way a command can end is an exit status and at most one line on stderr: a reader
that went away, output that cannot be written, Ctrl-C. Never a traceback, never a temp file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factory import REPO

COMMANDS = [
    ["check"],
    ["list"],
    ["export", "--format", "json"],
    ["export", "--format", "md"],
    ["textconv"],
]


def _run(args: list[str], stdout: int, **kw: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pledgetui", *args], stdout=stdout, stderr=subprocess.PIPE, cwd=REPO, timeout=120, **kw
    )


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_reader_that_went_away_ends_the_command_quietly(command: list[str], ledger_path: Path) -> None:
    """``pledgetui check | head -1``, with head already gone: the first write meets a closed pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = _run([command[0], str(ledger_path), *command[1:]], stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert done.stderr.count(b"\n") <= 1 and b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_output_that_cannot_be_written_is_one_line_and_exit_1(command: list[str], ledger_path: Path) -> None:
    """``pledgetui list > /dev/full``."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        done = _run([command[0], str(ledger_path), *command[1:]], stdout=full.fileno())
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], done.stderr
    assert lines[0].startswith(f"pledgetui {command[0]}: ")


# The child runs a command through the real entry point, with one step of it replaced by
# a pause that says "ready" on stderr first; the test then presses Ctrl-C (SIGINT).
INTERRUPTED = r"""
import signal, sys
# Ctrl-C as at a terminal, even when the tests run where SIGINT is ignored (a background job)
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, sys.argv[1])
from pledgetui import cli, filesave, ledgerfile
step = sys.argv[2]
def pause(*args, **kwargs):
    print("ready", file=sys.stderr, flush=True)
    sys.stdin.read()
if step == "write":  # an export with its temp file written, before the rename
    real = filesave.os.fchmod
    def stall(fd, mode):
        real(fd, mode)
        pause()
    filesave.os.fchmod = stall
else:  # while the ledger is being read
    real_read = ledgerfile.read_bytes
    def stall_read(*args, **kwargs):
        pause()
        return real_read(*args, **kwargs)
    ledgerfile.read_bytes = stall_read
raise SystemExit(cli.main(sys.argv[3:]))
"""


@pytest.mark.parametrize(
    ("step", "command"),
    [
        ("read", ["check"]),
        ("read", ["list"]),
        ("read", ["export"]),
        ("write", ["export", "-o", "{out}"]),
    ],
    ids=["check", "list", "export", "export -o"],
)
def test_ctrl_c_is_one_line_exit_130_and_no_temp_file(
    step: str, command: list[str], ledger_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "view.csv"
    out.parent.mkdir()
    args = [command[0], str(ledger_path), *(a.format(out=out) for a in command[1:])]
    child = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED, str(REPO), step, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert child.stderr.readline() == b"ready\n"
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=60) == 130  # (an interrupt that is not acted on fails here, not hangs)
        rest = child.stderr.read().decode()
    finally:
        child.kill()
        child.wait()
        child.stdin.close()
        child.stdout.close()
        child.stderr.close()
    assert rest.splitlines() == [f"pledgetui {command[0]}: interrupted"]
    assert list(out.parent.iterdir()) == []  # no temp file, no half export
    assert sorted(p.name for p in ledger_path.parent.iterdir()) == ["pledges.toml", "seeds"]


def test_the_program_starts_without_scanning_for_pydantic_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic.plugin._loader import get_plugins

    from pledgetui import cli

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    cli.quiet_pydantic_plugins()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    assert tuple(get_plugins()) == ()
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")  # the user's own choice is kept
    cli.quiet_pydantic_plugins()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""


def test_importing_the_package_leaves_pydantic_plugins_alone() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    code = "import os, pledgetui.cli, pledgetui.store; print(os.environ.get('PYDANTIC_DISABLE_PLUGINS'))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "None"
