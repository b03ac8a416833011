"""``--as-of`` on ``list`` and ``export``: the bundled ledger as it stood on a day, what that day
leaves apart said apart, and an impossible day refused before anything is read or written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from pledgetui.cli import main
from pledgetui.commands import listing
from pledgetui.history import AsOf, as_of
from pledgetui.store import load
from tests.factory import REPO

BUNDLED = str(REPO / "data" / "pledges.toml")
#: The day before the January 2026 declaration (the bundled ledger's only signed entry rests on it).
EVE = "2025-12-31"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def statuses(plain: str) -> list[str]:
    """The status column of ``list``'s tab-separated output."""
    rows = list(csv.DictReader(io.StringIO(plain), delimiter="\t"))
    return [r["status"] for r in rows]


@pytest.fixture(scope="module")
def eve() -> dict[bool, AsOf]:
    ledger = load(Path(BUNDLED)).ledger
    return {counted: as_of(ledger, dt.date(2025, 12, 31), count_uncertain=counted) for counted in (False, True)}


# --------------------------------------------------------------------------- list


def test_nothing_is_signed_before_the_january_declaration(capsys: pytest.CaptureFixture[str]) -> None:
    code, today, _ = run(capsys, "list", BUNDLED)
    assert code == 0 and "signed" in statuses(today)
    for extra in ((), ("--count-uncertain",)):
        code, then, err = run(capsys, "list", BUNDLED, "--as-of", EVE, *extra)
        assert code == 0
        assert "signed" not in statuses(then)
        assert f"as of {EVE}:" in err


def test_as_of_today_is_the_plain_list(capsys: pytest.CaptureFixture[str]) -> None:
    _, plain, _ = run(capsys, "list", BUNDLED)
    code, then, err = run(capsys, "list", BUNDLED, "--as-of", dt.date.today().isoformat())
    assert code == 0 and then == plain
    assert "0 statements came later, 0 may fall either side" in err and "0 entries had no statement" in err


def test_the_uncertain_are_counted_apart_and_counted_with_the_flag(
    capsys: pytest.CaptureFixture[str], eve: dict[bool, AsOf]
) -> None:
    left_out, counted = eve[False], eve[True]
    _, out, err = run(capsys, "list", BUNDLED, "--as-of", EVE)
    assert len(statuses(out)) == len(left_out.ledger.entries)
    n = len(left_out.uncertain)
    assert n > 0
    assert f"{left_out.later} statements came later" in err
    assert f"{n} may fall either side of the day and are left out (--count-uncertain counts them)" in err
    assert f"{len(left_out.gone)} entries had no statement by then" in err

    _, out, err = run(capsys, "list", BUNDLED, "--as-of", EVE, "--count-uncertain")
    assert len(statuses(out)) == len(counted.ledger.entries) > len(left_out.ledger.entries)
    assert f"{n} may fall either side of the day and are counted" in err
    assert f"{len(counted.gone)} entries had no statement by then" in err


def test_on_a_terminal_the_line_is_under_the_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "_is_tty", lambda: True)
    code, out, err = run(capsys, "list", BUNDLED, "--as-of", EVE, "--count-uncertain")
    assert code == 0 and not err
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[-1].startswith(f"as of {EVE}:") and "are counted" in lines[-1]
    assert "Signed" not in out and "signed" not in out


def test_statement_rows_and_groups_are_of_that_day(capsys: pytest.CaptureFixture[str], eve: dict[bool, AsOf]) -> None:
    counted = eve[True]
    total = sum(len(p.evidence) for p in counted.ledger.entries)
    code, out, err = run(capsys, "list", BUNDLED, "--rows", "statements", "--as-of", EVE, "--count-uncertain")
    assert code == 0 and len(out.splitlines()) - 1 == total
    assert f"as of {EVE}:" in err
    code, out, err = run(capsys, "list", BUNDLED, "--group-by", "status", "--as-of", EVE, "--count-uncertain")
    assert code == 0
    counts = {row["status"]: int(row["count"]) for row in csv.DictReader(io.StringIO(out), delimiter="\t")}
    assert sum(counts.values()) == len(counted.ledger.entries)
    assert not any(k.lower() == "signed" for k in counts)
    assert f"as of {EVE}:" in err


def test_count_uncertain_alone_is_noted(capsys: pytest.CaptureFixture[str]) -> None:
    _, plain, _ = run(capsys, "list", BUNDLED)
    code, out, err = run(capsys, "list", BUNDLED, "--count-uncertain")
    assert code == 0 and out == plain
    assert "--count-uncertain only matters with --as-of" in err


# --------------------------------------------------------------------------- export


def test_csv_export_as_of_has_that_days_rows_and_says_so_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, eve: dict[bool, AsOf]
) -> None:
    target = tmp_path / "then.csv"
    code, _, err = run(capsys, "export", BUNDLED, "--as-of", EVE, "--count-uncertain", "-o", str(target))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == len(eve[True].ledger.entries)
    assert all(r["status"] != "signed" for r in rows)
    assert f"as of {EVE}:" in err and "are counted" in err
    _, today_csv, _ = run(capsys, "export", BUNDLED)
    assert any(r["status"] == "signed" for r in csv.DictReader(io.StringIO(today_csv)))


def test_json_export_records_the_day_and_what_it_left_apart(
    capsys: pytest.CaptureFixture[str], eve: dict[bool, AsOf]
) -> None:
    left_out = eve[False]
    code, out, _ = run(capsys, "export", BUNDLED, "--as-of", EVE, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["as_of"]["day"] == EVE and doc["as_of"]["count_uncertain"] is False
    assert doc["as_of"]["later"] == left_out.later
    assert len(doc["as_of"]["uncertain"]) == len(left_out.uncertain)
    assert doc["as_of"]["gone"] == list(left_out.gone)
    assert doc["entries"] == [] or all(e["derived"]["status"] != "signed" for e in doc["entries"])
    code, out, _ = run(capsys, "export", BUNDLED, "--as-of", EVE, "--count-uncertain", "--format", "json")
    doc = json.loads(out)
    assert doc["as_of"]["count_uncertain"] is True and doc["entries"]
    assert all(e["derived"]["status"] != "signed" for e in doc["entries"])
    _, today, _ = run(capsys, "export", BUNDLED, "--format", "json")
    assert "as_of" not in json.loads(today)


def test_markdown_export_says_the_day_under_its_heading(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", BUNDLED, "--as-of", EVE, "--format", "md")
    assert code == 0
    assert f"The ledger as of {EVE}: " in "\n".join(out.splitlines()[:5])


# --------------------------------------------------------------------------- bad days


@pytest.mark.parametrize("day", ["2026-02-30", "2026-1-5", "20251231", "2025-W01-1", "31/12/2025", "2025-13-01", ""])
@pytest.mark.parametrize("command", ["list", "export"])
def test_an_impossible_day_is_a_usage_error_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, day: str
) -> None:
    target = tmp_path / "out.csv"
    extra = ("-o", str(target)) if command == "export" else ()
    code, out, err = run(capsys, command, BUNDLED, "--as-of", day, *extra)
    assert code == 2
    assert not out and not target.exists()
    assert f"pledgetui {command}: argument --as-of: {day!r}" in err
    assert "expected YYYY-MM-DD" in err
