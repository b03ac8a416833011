"""The user's editor (`E`): a file name never becomes an option or a command, and a missing or
broken `$EDITOR` is a message given before the terminal is handed over, never a frozen screen."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pledgetui import store
from pledgetui.editor import EditorProblem, editor_argv, editor_command
from pledgetui.ui import external_editor
from pledgetui.ui.app import PledgeApp
from tests.factory import write_ledger
from tests.pilot import Notices, started

#: File names that an editor could read as an option or a command (`+cmd` runs `cmd` in vim).
HOSTILE_NAMES = [
    "+!touch PWNED; echo.toml",
    "+x.toml",
    "-c touch PWNED.toml",
    "--cmd=touch PWNED.toml",
    "-",
    "a;touch PWNED.toml",
    "with spaces.toml",
    "new\nline.toml",
]


def make_stub(folder: Path, name: str) -> tuple[Path, Path]:
    """An editor called ``name`` that records its arguments (as JSON) and changes nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / f"{name}.argv.json"
    stub = folder / name
    stub.write_text(
        f"#!{sys.executable}\nimport json, sys\nopen({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    return stub, record


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("program", ["vim", "myeditor"])
def test_the_file_reaches_the_editor_as_one_absolute_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, program: str
) -> None:
    bin_dir = tmp_path / "bin"
    make_stub(bin_dir, program)
    work = tmp_path / "work"
    work.mkdir()
    (work / name).write_text("x")
    monkeypatch.chdir(work)
    argv = editor_argv(Path("./" + name), {"EDITOR": f"{program} --wait", "PATH": str(bin_dir)})
    subprocess.run(argv, check=True, cwd=work)
    recorded = json.loads((bin_dir / f"{program}.argv.json").read_text())
    expected_end = ["--", str(work / name)] if program == "vim" else [str(work / name)]
    assert recorded == ["--wait", *expected_end]
    assert os.path.isabs(recorded[-1]) and Path(recorded[-1]).read_text() == "x"
    assert not (work / "PWNED").exists()


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
def test_vim_does_not_run_a_command_from_the_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported case with the real editor: vim in Ex mode, which runs a `+cmd` argument."""
    name = "+!touch PWNED; echo.toml"
    (tmp_path / name).write_text("x")
    monkeypatch.chdir(tmp_path)
    argv = editor_argv(Path("./" + name), {"EDITOR": "vim -N -u NONE -i NONE -es", "PATH": os.environ["PATH"]})
    subprocess.run(argv, input=b"q!\n", cwd=tmp_path, check=False, timeout=60)
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("/nonexistent/editor", "'/nonexistent/editor'"),
        ("vi 'x", "No closing quotation"),
        ("true; touch x", "'true;'"),
        ("   ", None),  # blank: the default editor
    ],
)
def test_a_broken_editor_setting_is_refused_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, words: str | None
) -> None:
    env = {"EDITOR": setting, "PATH": str(tmp_path)}
    if words is None:
        assert editor_command(env).origin == "the default"
        with pytest.raises(EditorProblem, match="the default names 'vi'"):
            editor_argv(tmp_path / "l.toml", env)
        return
    with pytest.raises(EditorProblem, match="EDITOR") as caught:
        editor_argv(tmp_path / "l.toml", env)
    assert words in str(caught.value)


def test_visual_wins_over_editor() -> None:
    assert editor_command({"VISUAL": "code -w", "EDITOR": "nano"}).words == ("code", "-w")
    assert editor_command({"EDITOR": "nano"}).words == ("nano",)
    assert editor_command({}).words in (("vi",), ("notepad",))


class Suspender:
    """Textual's ``App.suspend`` in miniature: resumes only when its block ends normally."""

    def __init__(self) -> None:
        self.events: list[str] = []

    @contextmanager
    def __call__(self) -> Iterator[None]:
        self.events.append("suspended")
        yield
        self.events.append("resumed")


def test_an_editor_that_cannot_start_is_reported_after_the_app_resumes(tmp_path: Path) -> None:
    not_executable = tmp_path / "editor"
    not_executable.write_text("#!/bin/sh\n")
    suspend = Suspender()
    outcome = external_editor.run_editor(suspend, [str(not_executable), str(tmp_path / "l.toml")])
    assert isinstance(outcome, str) and "could not start" in outcome
    assert suspend.events == ["suspended", "resumed"]


@pytest.mark.parametrize("setting", ["/nonexistent/editor", "vi 'x", "true; touch x"])
async def test_dashboard_says_what_is_wrong_and_never_suspends(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.chdir(ledger_path.parent)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", setting)
    suspend = Suspender()
    app = PledgeApp(ledger_path)
    monkeypatch.setattr(app, "suspend", suspend)
    notices = Notices()
    async with app.run_test(size=(100, 30), message_hook=notices) as pilot:
        await started(app, pilot)
        await pilot.press("E")
        await pilot.pause()
        assert suspend.events == []
        errors = notices.of("error")
        assert errors and "$EDITOR" in errors[-1]
        await pilot.press("j")  # still answering keys
        await pilot.pause()
        assert app.dashboard.table.cursor == 1
    assert not (ledger_path.parent / "x").exists()


async def test_dashboard_hands_the_editor_an_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = write_ledger(tmp_path / "ledger", name="+!touch PWNED; echo.toml")
    folder = hostile.parent
    stub, record = make_stub(tmp_path / "bin", "vim")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(stub))
    suspend = Suspender()
    app = PledgeApp(Path("./" + hostile.name))
    monkeypatch.setattr(app, "suspend", suspend)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("E")
        await pilot.pause()
        assert suspend.events == ["suspended", "resumed"]
    assert json.loads(record.read_text()) == ["--", str(hostile)]
    assert not (folder / "PWNED").exists()
    assert store.load(hostile).ledger.entries


def test_ctrl_c_in_the_editor_is_the_editor_s_and_the_dashboard_goes_on(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole foreground group, pledgetui too. Under the event loop, SIGINT's
    handler cancels the app; while the editor runs, it must only be noted."""
    import signal

    editor = tmp_path / "editor"
    editor.write_text(
        f"#!{sys.executable}\nimport os, signal\nos.kill(os.getppid(), signal.SIGINT)\nraise SystemExit(130)\n"
    )
    editor.chmod(0o755)
    cancelled: list[int] = []

    def event_loop_handler(signum: int, frame: object) -> None:  # what asyncio.run installs
        cancelled.append(signum)

    previous = signal.signal(signal.SIGINT, event_loop_handler)
    try:
        suspend = Suspender()
        outcome = external_editor.run_editor(suspend, [str(editor), str(tmp_path / "l.toml")])
        assert cancelled == []  # the app was not told to stop
        assert isinstance(outcome, str) and "interrupted" in outcome
        assert suspend.events == ["suspended", "resumed"]
        assert signal.getsignal(signal.SIGINT) is event_loop_handler  # put back after the editor
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_script_whose_interpreter_is_missing_says_so(tmp_path: Path) -> None:
    script = tmp_path / "editor"
    script.write_text("#!/nonexistent/interpreter\n")
    script.chmod(0o755)
    outcome = external_editor.run_editor(Suspender(), [str(script), str(tmp_path / "l.toml")])
    assert isinstance(outcome, str) and "interpreter" in outcome and "(#!)" in outcome
