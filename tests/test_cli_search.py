"""``pledgetui search`` and ``pledgetui list --rows statements``: tab-separated in a pipe, a table on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pledgetui.cli import main
from pledgetui.commands import listing
from pledgetui.commands import search as search_command
from pledgetui.statements import COLUMNS
from tests.factory import write_ledger
from tests.test_cli_list import hostile_ledger


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


# --------------------------------------------------------------------------- search


def test_search_in_a_pipe_is_tab_separated(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, err = run(capsys, "search", "paris", str(ledger_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "source\tstart\tend\tcontext\tcited_by"
    rows = [ln.split("\t") for ln in lines[1:]]
    assert {r[0] for r in rows} == {"a002", "a003"}
    assert all(len(r) == 5 and int(r[1]) < int(r[2]) for r in rows)
    assert "not cited" in err


def test_search_names_the_citing_entries(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, _ = run(capsys, "search", "declaration of intent to deploy", str(ledger_path))
    assert code == 0
    cited = {ln.split("\t")[4] for ln in out.splitlines()[1:]}
    assert "uk-ground,france-ground" in cited


def test_search_without_hits_exits_1(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, err = run(capsys, "search", "no such words anywhere", str(ledger_path))
    assert code == 1
    assert out.splitlines() == ["source\tstart\tend\tcontext\tcited_by"]
    assert "0 hits" in err


@pytest.mark.parametrize("args", [["search"], ["search", "  "], ["search", "x" * 501]])
def test_search_bad_input_exits_2(capsys: pytest.CaptureFixture[str], ledger_path: Path, args: list[str]) -> None:
    code, out, _ = run(capsys, *args, str(ledger_path)) if len(args) > 1 else run(capsys, *args)
    assert code == 2
    assert out == ""


def test_search_missing_ledger_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "search", "paris", str(tmp_path / "nope.toml"))
    assert code == 1
    assert "pledgetui search:" in err


def test_search_on_a_terminal_is_a_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, ledger_path: Path
) -> None:
    monkeypatch.setattr(search_command.sys, "stdout", _Tty())
    monkeypatch.setenv("COLUMNS", "100")
    code = main(["search", "paris", str(ledger_path)])
    out = search_command.sys.stdout.getvalue()  # type: ignore[attr-defined]
    assert code == 0
    assert "\t" not in out
    assert "source" in out and "context" in out and "a003" in out


def test_search_shows_hostile_article_text_inert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from pledgetui.model import Ledger, Source

    folder = tmp_path / "h"
    path = write_ledger(folder, Ledger(sources=(Source(id="x1", file="x1.txt", title="T"),), entries=()))
    (folder / "seeds" / "x1.txt").write_text("Paris\x1b]0;pwned\x07 and\ttab", encoding="utf-8")
    code, out, _ = run(capsys, "search", "paris", str(path))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[1].count("\t") == 4


# --------------------------------------------------------------------------- list --rows statements


def test_list_statements_in_a_pipe(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, err = run(capsys, "list", "--rows", "statements", "--sort", "-claimant", str(ledger_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "\t".join(COLUMNS)
    rows = [ln.split("\t") for ln in lines[1:]]
    assert len(rows) == 4
    claimants = [r[3] for r in rows]
    assert claimants == sorted(claimants, key=str.casefold, reverse=True)
    assert {r[4] for r in rows} <= {"first_party", "third_party", "unattributed"}
    assert "4 statements of 4 entries" in err


def test_list_statements_filter_keeps_the_syntax(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, _ = run(
        capsys, "list", "--rows", "statements", "--filter", "source:a003 -kind:counter", str(ledger_path)
    )
    assert code == 0
    assert [ln.split("\t")[0] for ln in out.splitlines()[1:]] == ["ireland-ground"]


@pytest.mark.parametrize("args", [["--sort", "commitment"], ["--filter", "nosuch:x"]])
def test_list_statements_bad_query_exits_1(
    capsys: pytest.CaptureFixture[str], ledger_path: Path, args: list[str]
) -> None:
    code, out, err = run(capsys, "list", "--rows", "statements", *args, str(ledger_path))
    assert code == 1
    assert out == ""
    assert "pledgetui list:" in err


def test_list_statements_hostile_text_stays_inert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "hostile", hostile_ledger())
    code, out, _ = run(capsys, "list", "--rows", "statements", str(path))
    assert code == 0
    assert "\x1b" not in out
    assert all(ln.count("\t") == len(COLUMNS) - 1 for ln in out.splitlines())


def test_list_statements_on_a_terminal_is_a_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, ledger_path: Path
) -> None:
    monkeypatch.setattr(listing, "_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run(capsys, "list", "--rows", "statements", str(ledger_path))
    assert code == 0
    assert "\t" not in out
    assert "claimant" in out and "Simon Harris" in out
    assert "4 statements" in out
