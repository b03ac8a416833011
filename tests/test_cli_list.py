"""``pledgetui list``: a table on a terminal, tab-separated text in a pipe, untrusted text kept inert."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from pledgetui.cli import main
from pledgetui.commands import listing
from pledgetui.model import Ledger, short_label
from pledgetui.query import select_entries
from pledgetui.store import load
from tests.factory import restance, small_ledger, write_ledger

HEADER = "id\tkind\tactor\tcommitment\tstatus\tconditions\tbackstop\tclaimant\tdate\tsources"


def hostile_ledger() -> Ledger:
    base = small_ledger()
    uk = restance(
        base.entry("uk-ground").model_copy(update={"actor": "[/foo] bad [bold]loud[/bold] :smile:"}),
        claimant="Evil\x1b]0;pwned\x07 \x1b[2J\ttabbed\nsecond line \u202eRTL",
    )
    return base.model_copy(update={"entries": (uk, *base.entries[1:])})


@pytest.fixture
def hostile_path(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "hostile", hostile_ledger())


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["list", *args])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- plain (pipe)


def test_plain_output_is_tab_separated_with_header(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, err = run(capsys, str(ledger_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == HEADER
    rows = [ln.split("\t") for ln in lines[1:]]
    assert [r[0] for r in rows] == [p.id for p in small_ledger().entries]
    assert all(len(r) == len(HEADER.split("\t")) for r in rows)
    russia = dict(zip(HEADER.split("\t"), rows[3]))
    assert russia["kind"] == "counter_position"
    uk = dict(zip(HEADER.split("\t"), rows[0]))
    assert (uk["actor"], uk["commitment"], uk["status"], uk["conditions"], uk["backstop"], uk["sources"]) == (
        "United Kingdom", "ground_troops", "signed", "peace_deal,legal_framework", "unknown", "a002",
    )  # fmt: skip
    assert err == "3 pledges, 1 counter-position (of 4 entries)\n"


@pytest.mark.parametrize(
    ("query", "sort", "summary"),
    [
        ("kind:counter", "", "0 pledges, 1 counter-position (of 4 entries)"),
        ("-kind:counter", "-id", "3 pledges, 0 counter-positions (of 4 entries)"),
        ("status:considering", "", "1 pledge, 0 counter-positions (of 4 entries)"),
        ("", "-status,actor", "3 pledges, 1 counter-position (of 4 entries)"),
    ],
)
def test_filter_sort_and_counts(
    capsys: pytest.CaptureFixture[str], ledger_path: Path, query: str, sort: str, summary: str
) -> None:
    code, out, err = run(capsys, str(ledger_path), "--filter", query, "--sort", sort)
    assert code == 0
    ids = [ln.split("\t")[0] for ln in out.splitlines()[1:]]
    assert ids == [p.id for p in select_entries(load(ledger_path).ledger, query, sort)]
    assert err.strip() == summary


def test_plain_output_keeps_untrusted_text_inert(capsys: pytest.CaptureFixture[str], hostile_path: Path) -> None:
    code, out, _ = run(capsys, str(hostile_path))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    lines = out.splitlines()
    assert len(lines) == 1 + 4  # the newline in a claimant did not split the row
    uk = dict(zip(HEADER.split("\t"), lines[1].split("\t")))  # the tab in it did not add a column
    assert uk["actor"] == "[/foo] bad [bold]loud[/bold] :smile:"
    assert uk["claimant"] == "Evil\u241b]0;pwned\u2407 \u241b[2J    tabbed\u240asecond line <U+202E>RTL"


# --------------------------------------------------------------------------- table (terminal)


def render(ledger: Ledger, width: int) -> str:
    # Markup and emoji codes on: cells must be Text, which never reads them.
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None, markup=True, emoji=True)
    listing.render(ledger, list(ledger.entries), console)
    return console.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_table_fits_the_terminal_width(width: int) -> None:
    out = render(small_ledger(), width)
    assert all(cell_len(line) <= width for line in out.splitlines())
    # the last column is still there, or named as left out (words are never broken to make room)
    flat = " ".join(out.split())
    assert "a003" in out or "sources" in flat.partition("not shown at this width:")[2]
    assert out.rstrip().endswith("3 pledges, 1 counter-position (of 4 entries)")


def test_table_marks_counter_positions() -> None:
    out = render(small_ledger(), 200)
    russia = next(line for line in out.splitlines() if line.startswith("russia-mfa"))
    assert "\u27c2 counter" in russia
    assert not any("\u27c2" in line for line in out.splitlines() if line.startswith("uk-ground"))


def test_table_shows_markup_literally_and_controls_as_symbols() -> None:
    out = render(hostile_ledger(), 240)
    assert "[/foo] bad [bold]loud[/bold] :smile:" in out
    assert "\x1b]0" not in out and "\x1b[2J" not in out and "\x07" not in out and "\u202e" not in out
    assert "\u241b]0;pwned\u2407" in out


def test_cli_uses_the_table_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, hostile_path: Path
) -> None:
    monkeypatch.setattr(listing, "_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run(capsys, str(hostile_path))
    assert (code, err) == (0, "")
    assert not out.startswith(HEADER)
    assert all(cell_len(line) <= 100 for line in out.splitlines())
    assert "\x1b]0" not in out and "\x1b[2J" not in out
    assert "[/foo]" in out
    assert out.rstrip().endswith("3 pledges, 1 counter-position (of 4 entries)")


def test_an_empty_result_on_a_terminal_is_a_table_with_its_count(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, ledger_path: Path
) -> None:
    """No row at all (a filter that selects nothing, a day before every statement) still fits."""
    monkeypatch.setattr(listing, "_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    for args in (("--filter", "zzzzqqq"), ("--as-of", "1990-01-01")):
        code, out, err = run(capsys, str(ledger_path), *args)
        assert code == 0, err
        assert "0 pledges, 0 counter-positions" in out


# --------------------------------------------------------------------------- errors


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, str(tmp_path / "absent.toml"))
    assert (code, out) == (1, "")
    assert err.startswith("pledgetui list:") and "no such file" in err and "Traceback" not in err


def test_broken_ledger(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 2\n[[entries]]\nid = 'x'\ncolour = 'red'\n", encoding="utf-8")
    code, out, err = run(capsys, str(bad))
    assert (code, out) == (1, "")
    assert "unknown key 'colour'" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["--filter", "status:bogus"], ["--sort", "colour"]])
def test_bad_query_or_sort(capsys: pytest.CaptureFixture[str], ledger_path: Path, args: list[str]) -> None:
    code, out, err = run(capsys, str(ledger_path), *args)
    assert (code, out) == (1, "")
    assert err.startswith("pledgetui list:") and len(err.splitlines()) == 1


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, _, err = run(capsys, str(ledger_path), "--format", "csv")
    assert code == 2 and "unrecognized arguments" in err


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "pledgetui list --filter" in out


@pytest.mark.parametrize("width", [60, 80])
def test_a_narrow_table_breaks_no_word_and_names_the_columns_it_leaves_out(width: int) -> None:
    ledger = small_ledger()
    out = render(ledger, width)
    assert all(cell_len(line) <= width for line in out.splitlines())
    header = out.splitlines()[0].split()
    assert header[:4] == ["id", "actor", "commitment", "status"]  # the columns that say what an entry is
    shown_values = {
        "id": lambda p: [p.id],
        "actor": lambda p: p.actor.split(),
        "commitment": lambda p: short_label(p.commitment).split(),
        "status": lambda p: short_label(p.status).split(),
        "conditions": lambda p: " ".join(short_label(c) for c in p.conditions).replace(",", " ").split(),
        "claimant": lambda p: p.claimant.split(),
        "date": lambda p: [p.date_stated.isoformat()] if p.date_stated else [],
    }
    for p in ledger.entries:
        for column, words in shown_values.items():
            if column in header:
                for word in words(p):
                    assert word in out, f"{word!r} ({column}) is broken at {width} columns:\n{out}"
    hidden = [c for c in listing.TABLE_COLUMNS if c not in header]
    if hidden:
        assert f"not shown at this width: {', '.join(hidden)}" in " ".join(out.split())
