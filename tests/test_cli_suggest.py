"""``pledgetui suggest ARTICLE``: formats, exits, and bad input named clearly with nothing written."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from pledgetui import articlefile
from pledgetui.cli import main
from tests.factory import SEEDS

ARTICLE = (
    "date 2026-01-07 Summit report\n"
    "On Tuesday, Portugal announced it will deploy 300 soldiers to Ukraine after a peace deal.\n"
    "Spain has ruled out sending troops to Ukraine.\n"
    "The weather was mild.\n"
)
HOSTILE = "Italy will send [bold]warships[/] \x1b]0;owned\x07 to the Black Sea \u202eevil\t, Rome said.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def article(tmp_path: Path, text: str = ARTICLE, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_in_a_pipe_it_is_tab_separated(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "suggest", str(article(tmp_path)))
    assert code == 0
    lines = out.splitlines()
    header = lines[0].split("\t")
    assert header[:3] == ["start", "end", "score"]
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    assert {r["actor"] for r in rows} == {"Portugal", "Spain"}
    portugal = next(r for r in rows if r["actor"] == "Portugal")
    assert portugal["stated"] == "2026-01-06"  # Tuesday before the opening's date
    assert portugal["numbers"] == "soldiers: 300"
    assert ARTICLE[int(portugal["start"]) : int(portugal["end"])] == portugal["sentence"]
    assert "2 candidates in article.txt" in err and "dated 2026-01-07" in err


def test_json_gives_every_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "suggest", str(article(tmp_path)), "--format", "json", "--date", "2026-01-14")
    assert code == 0
    data = json.loads(out)
    portugal = next(c for c in data if c["actor"] == "Portugal")
    assert portugal["stated"] == "2026-01-13"  # the --date wins over the opening's
    assert portugal["status"] == "announced" and portugal["conditions"] == ["peace_deal"]
    assert portugal["why"] and portugal["summary"]


def test_a_terminal_gets_a_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = _Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["suggest", str(article(tmp_path)), "--limit", "1"]) == 0
    shown = tty.getvalue()
    assert "actor" in shown and "why" in shown
    assert "\t" not in shown


def test_hostile_article_text_is_inert_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = article(tmp_path, HOSTILE)
    code, out, _ = run(capsys, "suggest", str(path))
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert len(out.splitlines()[1].split("\t")) == len(out.splitlines()[0].split("\t"))  # a tab forges no cell
    assert "[bold]warships[/]" in out  # markup shown as text
    code, out, _ = run(capsys, "suggest", str(path), "--format", "json")
    assert "\x1b" not in out and "\u202e" not in out
    assert json.loads(out)[0]["sentence"] == HOSTILE.strip()  # exact once decoded
    tty = _Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["suggest", str(path)]) == 0
    shown = tty.getvalue()  # Rich styles the table with its own escapes; the article's are shown as symbols
    assert "\x1b]0;" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "[bold]" in shown


def test_the_limit_is_said(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "suggest", str(article(tmp_path)), "--limit", "1")
    assert code == 0
    assert len(out.splitlines()) == 2
    assert "the best 1 of 2 candidates (--limit shows more)" in err


def test_no_candidates_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "suggest", str(article(tmp_path, "The weather was mild.\n")))
    assert code == 1
    assert out.splitlines() == [out.splitlines()[0]]
    assert "0 candidates" in err


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.mark.parametrize(
    ("make", "expect"),
    [
        (lambda d: d / "missing.txt", "missing.txt: no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "bin.dat").write_bytes(b"\x7fELF\x00\x01") and d / "bin.dat", "bin.dat: a binary file"),
        (lambda d: (d / "latin.txt").write_bytes("caf\xe9".encode("latin-1")) and d / "latin.txt", "not UTF-8"),
        (lambda d: (d / "empty.txt").write_bytes(b"  \n") and d / "empty.txt", "empty"),
    ],
)
def test_bad_input_is_named_and_exits_2_writing_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: object, expect: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    before = _listing(tmp_path)
    code, out, err = run(capsys, "suggest", str(path))
    assert code == 2
    assert out == ""
    assert expect in err and err.startswith("pledgetui suggest: ")
    assert _listing(tmp_path) == before


def test_an_article_over_the_limit_is_refused_before_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articlefile, "MAX_ARTICLE_BYTES", 100)
    code, out, err = run(capsys, "suggest", str(article(tmp_path, "x" * 101)))
    assert code == 2 and out == ""
    assert "article.txt: too large" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_blocking(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "suggest", str(fifo))
    assert code == 2 and out == ""
    assert "pipe.txt" in err


@pytest.mark.parametrize("args", [["--limit", "0"], ["--date", "07/01/2026"], ["--format", "xml"]])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]) -> None:
    code, out, err = run(capsys, "suggest", str(article(tmp_path)), *args)
    assert code == 2 and out == ""
    assert err


def test_each_seed_article_gives_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        code, out, _ = run(capsys, "suggest", str(path), "--format", "json")
        assert code == 0, path
        text = path.read_text(encoding="utf-8")
        for c in json.loads(out):
            assert text[c["start"] : c["end"]] == c["sentence"]
