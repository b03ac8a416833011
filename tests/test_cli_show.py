"""``pledgetui show ID``: one entry, its statements and its history; ``--as-of`` a day."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from pledgetui.cli import main
from pledgetui.commands import show
from tests.factory import REPO
from tests.test_cli_list import hostile_path  # noqa: F401  (a fixture)

BUNDLED = str(REPO / "data" / "pledges.toml")
ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["show", *args])
    out, err = capsys.readouterr()
    return code, out, err


def section(out: str, title: str) -> list[str]:
    """The lines of a section (from its title to the next blank line)."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start + 1 : end]


def test_show_prints_the_entry_its_statements_and_its_history(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "uk-ground-troops", BUNDLED)
    assert code == 0 and err == ""
    assert out.startswith("uk-ground-troops\n")
    assert "Status:      Signed (from statement 1)" in out
    assert "Since:       2026-01-06" in out
    statements = [ln for ln in section(out, "Statements") if ln.startswith("  [")]
    assert len(statements) == 6
    assert statements[0].startswith("  [1] Downing Street statement (relayed by a002 author) · first party")
    history = section(out, "History")
    steps = [ln for ln in history if ln.startswith(("  * ", "    2"))]
    # the four statements of 6 January, in ledger order; the first one sets the reading
    assert [re.search(r"\[(\d)\]", ln).group(1) for ln in steps] == ["1", "2", "3", "4"]  # type: ignore[union-attr]
    assert steps[0].startswith("  * 2026-01-06") and "→ Signed (Downing Street statement)" in steps[0]
    assert all(not ln.startswith("  * ") for ln in steps[1:])  # the reading never changes after
    undated = [ln for ln in history if ln.startswith("    undated ")]
    assert undated[0] == "    undated (2): not placed in the history"
    assert [re.search(r"\[(\d)\]", ln).group(1) for ln in undated[1:]] == ["5", "6"]  # type: ignore[union-attr]


def test_the_bundled_ledger_as_of_the_end_of_2025_differs_from_today(capsys: pytest.CaptureFixture[str]) -> None:
    today = dt.date.today().isoformat()
    code_now, now, _ = run(capsys, "uk-ground-troops", BUNDLED, "--as-of", today)
    code_then, then, _ = run(capsys, "uk-ground-troops", BUNDLED, "--as-of", "2025-12-31")
    assert code_now == 0 and "Status:      Signed" in now
    # every statement in the ledger was made by the day it is read: all of them count today
    assert now.startswith(f"As of {today}: 6 of 6 statements counted; 0 known to come later left out; 0 uncertain")
    # the January 2026 declaration does not count before it: no entry then, nothing signed
    assert code_then == 1
    assert then.startswith("As of 2025-12-31: 0 of 6 statements counted; 4 known to come later left out; 2 uncertain")
    assert "uk-ground-troops: no statement by 2025-12-31, so no entry then." in then
    assert "Signed" not in then
    uncertain = section(then, "Uncertain as of 2025-12-31 (2)")
    assert [ln[:5] for ln in uncertain] == ["  [5]", "  [6]"]
    # counted, the undated statements give the reading then: a third party's claim
    code, counted, _ = run(capsys, "uk-ground-troops", BUNDLED, "--as-of", "2025-12-31", "--count-uncertain")
    assert code == 0
    assert "2 uncertain (counted" in counted
    assert "Status:      Claimed" in counted and "Signed" not in counted.replace("signed", "")
    assert [ln[:5] for ln in section(counted, "Statements") if ln.startswith("  [")] == ["  [5]", "  [6]"]


def test_the_reading_with_the_undated_is_said_where_the_steps_end_elsewhere(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "coalition-ground-troops", BUNDLED)
    assert code == 0 and "Status:      Signalled" in out
    history = section(out, "History")
    assert history[0].endswith("→ Claimed (Downing Street statement)")  # the one dated step
    assert history[-1] == "    with the undated: → Signalled (Emmanuel Macron)"
    _, uk, _ = run(capsys, "uk-ground-troops", BUNDLED)
    assert "with the undated" not in uk


def test_an_entry_is_shown_as_it_stood_with_its_own_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    # as of the day of the declaration, everything dated counts
    code, out, _ = run(capsys, "uk-ground-troops", BUNDLED, "--as-of", "2026-01-06")
    assert code == 0
    assert "4 of 6 statements counted" in out and "Status:      Signed (from statement 1)" in out


@pytest.mark.parametrize("day", ["2026-02-30", "2025-13-01", "31/12/2025", "tomorrow", "2026-1-5"])
def test_an_impossible_date_is_a_usage_error(capsys: pytest.CaptureFixture[str], day: str) -> None:
    code, out, err = run(capsys, "uk-ground-troops", BUNDLED, "--as-of", day)
    assert code == 2 and out == ""
    assert "--as-of" in err and repr(day) in err


def test_the_day_type_returns_the_day() -> None:
    from pledgetui.commands.common import as_of_day

    assert as_of_day("2024-02-29") == dt.date(2024, 2, 29)


def test_count_uncertain_needs_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "uk-ground-troops", BUNDLED, "--count-uncertain")
    assert code == 2 and out == "" and "--as-of" in err


def test_a_file_that_is_not_a_ledger_is_named_and_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "notes.toml"
    bad.write_text("this is not = = toml\n", encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    code, out, err = run(capsys, "uk-ground-troops", str(bad))
    assert code == 2 and out == ""
    assert "notes.toml" in err
    assert sorted(tmp_path.iterdir()) == before  # nothing written
    code, out, err = run(capsys, "uk-ground-troops", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml" in err


def test_an_unknown_id_is_named_with_the_close_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "uk-grund-troops", BUNDLED)
    assert code == 1 and out == ""
    assert "no entry 'uk-grund-troops'" in err and "did you mean uk-ground-troops" in err
    code, _, err = run(capsys, "zzzz", BUNDLED)
    assert code == 1 and "did you mean" not in err and "pledgetui list" in err


def test_in_a_pipe_the_output_is_plain_and_unwrapped(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "france-ground-troops", BUNDLED)
    assert "\x1b" not in out
    notes = next(ln for ln in out.splitlines() if ln.startswith("Notes:"))
    assert len(notes) > 200  # one line, not wrapped


def test_on_a_terminal_the_output_wraps_to_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a, **k: __import__("os").terminal_size((60, 24)))
    assert show.run(show.parser(__import__("argparse").ArgumentParser).parse_args(["uk-ground-troops", BUNDLED])) == 0
    lines = out.getvalue().splitlines()
    assert max(len(ln) for ln in lines) <= 60
    assert sum(1 for ln in lines if ln.startswith("     ")) > 3  # continuation lines, indented


def test_hostile_ledger_strings_are_inert(
    capsys: pytest.CaptureFixture[str],
    hostile_path: Path,  # noqa: F811
) -> None:
    code, out, _ = run(capsys, "uk-ground", str(hostile_path))
    assert code == 0
    assert not ESCAPES.search(out)
    assert "\u202e" not in out
    # the claimant's newline cannot forge a line of its own
    assert not any(ln.startswith("second line") for ln in out.splitlines())
    assert "[/foo] bad [bold]loud[/bold] :smile:" in out  # shown as written, never as markup


def test_show_is_in_the_command_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "search, serve, show" in capsys.readouterr().out
    assert main(["show", "--help"]) == 0
    assert "--as-of" in capsys.readouterr().out
