"""``pledgetui check``: exit statuses and what it prints, for clean and damaged ledgers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pledgetui import paths
from pledgetui.anchors import AnchorStatus
from pledgetui.cli import main
from pledgetui.store import load, read_article
from pledgetui.verify import Articles, verify
from tests.factory import ARTICLE_002, ARTICLE_003, REPO, small_ledger, write_ledger
from tests.test_store import BROKEN_TOML

IRELAND = "If there is a peace agreement, Ireland — as part of this coalition — will want to assist."


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def writable(path: Path) -> Path:
    path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return path


def test_clean_ledger_exits_0_with_counts(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, err = run(capsys, str(ledger_path))
    assert code == 0, out + err
    assert "pledges:  3 (and 1 counter-positions" in out
    assert "sources:  2" in out
    assert "quotes:   4: 4 verified (4 exact, 0 moved, 0 re-anchored), 0 orphaned" in out
    assert out.rstrip().endswith("OK")
    assert err == ""


def test_garbled_quote_exits_1_naming_the_pledge(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = small_ledger()
    ireland = base.pledge("ireland-ground")
    assert ireland is not None
    garbled = ireland.evidence[0].model_copy(update={"quote": "Ireland will send ten thousand troops tomorrow, no matter what."})
    ledger = base.model_copy(
        update={"pledges": tuple(p.model_copy(update={"evidence": (garbled,)}) if p is ireland else p for p in base.pledges)}
    )
    path = write_ledger(tmp_path / "garbled", ledger)
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert "orphan: pledge ireland-ground quote 1 (a003): 'Ireland will send ten thousand troops tomorrow, no matter..." in out
    assert "3 verified" in out and "1 orphaned" in out
    assert "PROBLEMS FOUND" in out
    assert "uk-ground" not in out


def test_article_resaved_with_other_whitespace_and_quotes_is_reanchored(
    capsys: pytest.CaptureFixture[str], ledger_path: Path
) -> None:
    article = writable(ledger_path.parent / "seeds" / ARTICLE_003)
    text = read_article(article)
    resaved = (
        text.replace("\n", "\n\n").replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-")
    )
    article.write_bytes(resaved.encode())
    old = small_ledger().pledge("ireland-ground").evidence[0]  # type: ignore[union-attr]
    new_quote = IRELAND.replace("—", "-")
    start = resaved.index(new_quote)
    code, out, err = run(capsys, str(ledger_path))
    assert code == 0, out + err
    assert (
        f"re-anchored: pledge ireland-ground quote 1 (a003): offsets {old.start}-{old.end} -> "
        f"{start}-{start + len(new_quote)} (reanchored)"
    ) in out
    # The counter-position's quote has no quote marks inside: it just moved.
    russia = small_ledger().pledge("russia-mfa").evidence[0]  # type: ignore[union-attr]
    moved = resaved.index(russia.quote)
    assert f"re-anchored: pledge russia-mfa quote 1 (a003): offsets {russia.start}-{russia.end} -> {moved}-{moved + len(russia.quote)} (moved)" in out
    assert "0 orphaned" in out and "OK" in out


def test_missing_article_exits_1_naming_the_source(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    (ledger_path.parent / "seeds" / ARTICLE_002).unlink()
    code, out, _ = run(capsys, str(ledger_path))
    assert code == 1
    assert f"source a002: article file {ARTICLE_002!r} not found" in out
    assert "orphan: pledge uk-ground quote 1 (a002)" in out
    assert "orphan: pledge france-ground quote 1 (a002)" in out
    assert "2 orphaned" in out


def test_broken_toml_exits_1_with_line_and_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(BROKEN_TOML)
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert "line 5, column 9: TOML syntax error" in err
    assert out == ""


def test_schema_errors_exit_1_listing_every_problem(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    text = ledger_path.read_text()
    text = text.replace('status = "signed"', 'status = "rumoured"', 1).replace("claimant =", "claimnt =", 1)
    ledger_path.write_text(text)
    code, _, err = run(capsys, str(ledger_path))
    assert code == 1
    assert "pledge 'uk-ground' field status: 'rumoured' is not allowed" in err
    assert "pledge 'uk-ground' field claimnt: unknown key 'claimnt'" in err
    assert "pledge 'uk-ground' field claimant: is required but missing" in err


def test_missing_ledger_file_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.toml"))
    assert code == 1
    assert "no such file" in err


def test_directory_as_ledger_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path))
    assert code == 1
    assert "is a directory" in err


@pytest.mark.parametrize("args", [["--bogus"], ["a.toml", "b.toml"]])
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert err.startswith("pledgetui check: ")
    assert out == ""


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "usage: pledgetui check" in out
    assert "exit status" in out


def test_check_without_argument_uses_the_working_copy(capsys: pytest.CaptureFixture[str]) -> None:
    target = paths.working_ledger()
    assert not target.exists()
    code, out, err = run(capsys)
    assert target.is_file()
    assert f"ledger:   {target}" in out
    assert code == 0, out + err


def test_bundled_ledger_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    bundled = paths.bundled_ledger()
    code, out, err = run(capsys, str(bundled))
    assert code == 0, out + err
    assert " 0 orphaned" in out
    ledger = load(bundled).ledger
    report = verify(ledger, Articles(bundled))
    assert report.checks, "the bundled ledger holds no quotes"
    assert report.source_problems == {}
    assert report.orphans == []
    assert report.count(AnchorStatus.EXACT) == len(report.checks)


def test_python_m_pledgetui_check_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pledgetui", "check", "data/pledges.toml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ledger:   data/pledges.toml" in result.stdout
    assert result.stdout.rstrip().endswith("OK")
    assert "Traceback" not in result.stderr


def test_articles_anchor_each_quote_once(ledger_path, monkeypatch):
    from pledgetui import verify
    from pledgetui.store import load

    ledger = load(ledger_path).ledger
    articles = verify.Articles(ledger_path)
    calls = []
    real = verify.anchor_evidence
    monkeypatch.setattr(verify, "anchor_evidence", lambda text, ev: calls.append(ev) or real(text, ev))
    ev = ledger.pledges[0].evidence[0]
    first = articles.anchor(ledger, ev)
    assert articles.anchor(ledger, ev) == first and first.found
    assert len(calls) == 1
