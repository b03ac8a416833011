"""``pledgetui export`` on the command line: output, filters and sorts, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pledgetui import paths
from pledgetui.cli import main
from pledgetui.export import count_line, entry_rows, export_view
from pledgetui.model import Ledger
from pledgetui.query import select_entries
from pledgetui.store import load
from tests.factory import REPO, pledge, small_ledger, write_ledger

BOM = "\ufeff".encode()


def varied_ledger() -> Ledger:
    """The small ledger plus entries that differ in date, status, backstop and conditions, for sorting."""
    base = small_ledger()
    ev2, ev3 = base.entry("uk-ground").evidence[0], base.entry("ireland-ground").evidence[0]
    extra = (
        pledge(
            id="poland-logistics", actor="Poland", commitment="logistics_medical_demining", status="announced",
            conditions=["ceasefire"], us_backstop="required", claimant="Władysław Kosiniak-Kamysz",
            date_stated="2026-01-05", summary="Logistics hub, no troops", evidence=[ev2],
        ),
        pledge(
            id="germany-air", actor="Germany", commitment="air", status="signalled", us_backstop="sought",
            claimant="Friedrich Merz", date_stated="2026-01-07", summary="Air policing from neighbouring countries",
            evidence=[ev3, ev2],
        ),
        pledge(
            id="italy-none", actor="Italy", commitment="ground_troops", status="declined", claimant="Giorgia Meloni",
            date_stated="2026-01-06", summary="No Italian troops", notes="=cmd|' /C calc'!A0", evidence=[ev3],
        ),
    )  # fmt: skip
    return base.model_copy(update={"entries": (*base.entries, *extra)})


@pytest.fixture
def varied_path(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "varied", varied_ledger())


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- output


def test_default_is_csv_of_pledge_rows_on_stdout(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    code, out, err = run(capsys, str(ledger_path))
    assert (code, err) == (0, "")
    ledger = load(ledger_path).ledger
    assert [r["id"] for r in read_csv(out)] == [p.id for p in ledger.entries]
    assert out.encode() == export_view(ledger, ledger.entries, "csv", "entries")


def test_output_file_gets_exactly_the_export_bytes(
    capsys: pytest.CaptureFixture[str], varied_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    code, out, err = run(
        capsys, str(varied_path), "--format", "json", "--filter", "-kind:counter", "--sort", "-date", "-o", str(target)
    )
    assert code == 0 and out == ""
    ledger = load(varied_path).ledger
    chosen = select_entries(ledger, "-kind:counter", "-date")
    assert target.read_bytes() == export_view(ledger, chosen, "json", "entries", query="-kind:counter", sort="-date")
    assert err == f"wrote {count_line(chosen)} ({len(chosen)} rows) to {target}\n"
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert (doc["query"], doc["sort"]) == ("-kind:counter", "-date")


def test_evidence_rows_count_quotes(capsys: pytest.CaptureFixture[str], varied_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "quotes.csv"
    code, _, err = run(capsys, str(varied_path), "--rows", "evidence", "--filter", "id:germany-air", "-o", str(target))
    assert code == 0
    assert err == f"wrote 1 entry: 1 pledge, 0 counter-positions (2 rows) to {target}\n"
    rows = read_csv(target.read_text(encoding="utf-8"))
    assert [(r["id"], r["evidence_index"], r["source"]) for r in rows] == [
        ("germany-air", "1", "a003"),
        ("germany-air", "2", "a002"),
    ]


def test_markdown_output(capsys: pytest.CaptureFixture[str], varied_path: Path) -> None:
    code, out, _ = run(capsys, str(varied_path), "--format", "md", "--filter", "type:ground")
    assert code == 0
    assert "`type:ground`" in out
    assert "5 entries: 4 pledges, 1 counter-position" in out
    assert "\u27c2 Counter-position" in out


@pytest.mark.parametrize(
    ("query", "sort"),
    [
        ("", ""),
        ("", "-date"),
        ("", "status,-id"),
        ("kind:counter", ""),
        ("-kind:counter", "country"),
        ("status:signed,announced", "-status,actor"),
        ("type:ground_troops -status:declined", "date"),
        ("backstop:required,sought", "backstop,-country"),
        ("condition:peace_deal", "-conditions"),
        ("source:a003", "-sources,id"),
        ('"peace deal"', "claimant"),
        ("downing", ""),
        ("country:nowhere", ""),
    ],
)
def test_filter_and_sort_select_what_the_query_module_selects(
    capsys: pytest.CaptureFixture[str], varied_path: Path, query: str, sort: str
) -> None:
    ledger = load(varied_path).ledger
    want = [p.id for p in select_entries(ledger, query, sort)]
    code, out, _ = run(capsys, str(varied_path), "--filter", query, "--sort", sort)
    assert code == 0
    assert [r["id"] for r in read_csv(out)] == want
    code, out, _ = run(capsys, str(varied_path), "--format", "json", "--filter", query, "--sort", sort)
    assert [p["id"] for p in json.loads(out)["entries"]] == want


# --------------------------------------------------------------------------- formula guard


def test_formula_guard_on_by_default_and_raw_warns(capsys: pytest.CaptureFixture[str], varied_path: Path) -> None:
    code, out, err = run(capsys, str(varied_path), "--filter", "id:italy-none")
    assert code == 0 and "1 cell was guarded" in err and "--raw" in err  # said, with the way round it
    assert read_csv(out)[0]["notes"] == "'=cmd|' /C calc'!A0"
    code, out, err = run(capsys, str(varied_path), "--filter", "id:italy-none", "--raw")
    assert code == 0
    assert read_csv(out)[0]["notes"] == "=cmd|' /C calc'!A0"
    assert len(err.splitlines()) == 1 and "warning" in err and "formula guard is off" in err


def test_excel_starts_with_bom(capsysbinary: pytest.CaptureFixture[bytes], ledger_path: Path) -> None:
    assert main(["export", str(ledger_path), "--excel"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(BOM + b"id,kind,")


# --------------------------------------------------------------------------- errors


def assert_one_clear_error(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, str(tmp_path / "absent.toml"))
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert_one_clear_error(err, "pledgetui export:", "absent.toml", "no such file")


def test_broken_toml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\n[[pledges]]\nid = "x\n', encoding="utf-8")
    code, out, err = run(capsys, str(bad))
    assert (code, out) == (1, "")
    assert_one_clear_error(err, "bad.toml", "TOML syntax error", "line 3")


def test_schema_error_names_pledge_and_field(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    text = ledger_path.read_text(encoding="utf-8").replace('status = "considering"', 'status = "maybe"', 1)
    assert "maybe" in text
    ledger_path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, str(ledger_path))
    assert (code, out) == (1, "")
    assert_one_clear_error(err, "entry 'ireland-ground'", "field evidence[1].status", "'maybe'")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--filter", "status:bogus"], "status:bogus"),
        (["--filter", "colour:red"], "unknown field 'colour'"),
        (["--filter", '"unclosed'], "not closed"),
        (["--filter", "kind:maybe"], "kind:pledge or kind:counter"),
        (["--sort", "colour"], "cannot sort by 'colour'"),
        (["--sort", "date,-weight"], "cannot sort by '-weight'"),
    ],
)
def test_bad_query_or_sort(capsys: pytest.CaptureFixture[str], ledger_path: Path, args: list[str], needle: str) -> None:
    code, out, err = run(capsys, str(ledger_path), *args)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert_one_clear_error(err, "pledgetui export:", needle)


@pytest.mark.parametrize("args", [["--format", "xlsx"], ["--rows", "quotes"], ["--bogus"]])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], ledger_path: Path, args: list[str]) -> None:
    code, out, err = run(capsys, str(ledger_path), *args)
    assert (code, out) == (2, "")
    assert_one_clear_error(err, "pledgetui export:")
    if args[0] == "--format":
        assert "invalid choice: 'xlsx'" in err


def test_output_into_a_missing_folder(capsys: pytest.CaptureFixture[str], ledger_path: Path, tmp_path: Path) -> None:
    code, out, err = run(capsys, str(ledger_path), "-o", str(tmp_path / "no" / "such" / "dir" / "out.csv"))
    assert (code, out) == (1, "")
    assert_one_clear_error(
        err, "pledgetui export:", "could not save", "out.csv", "does not exist", "nothing was written"
    )


def test_output_where_the_folder_is_a_file(
    capsys: pytest.CaptureFixture[str], ledger_path: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, str(ledger_path), "-o", str(blocker / "out.csv"))
    assert code == 1
    assert_one_clear_error(err, "could not save")
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write to a read-only folder")
def test_output_into_a_read_only_folder(capsys: pytest.CaptureFixture[str], ledger_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "out.csv").write_text("old")
    folder.chmod(0o500)
    try:
        code, _, err = run(capsys, str(ledger_path), "-o", str(folder / "out.csv"))
    finally:
        folder.chmod(0o700)
    assert code == 1
    assert_one_clear_error(err, "could not save", "unchanged")
    assert (folder / "out.csv").read_text() == "old"


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "pledgetui export --format csv --filter" in out
    for option in ("--format", "--rows", "--filter", "--sort", "--output", "--excel", "--raw"):
        assert option in out


# --------------------------------------------------------------------------- wiring


def test_default_ledger_is_the_working_copy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert paths.working_ledger().is_file()
    ledger = load(paths.working_ledger()).ledger
    assert [r["id"] for r in read_csv(out)] == [p.id for p in ledger.entries]
    assert out.startswith("id,kind,country,")


def test_real_subprocess(ledger_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "pledgetui", "export", str(ledger_path), "--format", "json", "--sort", "-id", "-o", "-"],
        capture_output=True, cwd=tmp_path, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert [p["id"] for p in doc["entries"]] == sorted((p.id for p in small_ledger().entries), reverse=True)
    bad = subprocess.run(
        [sys.executable, "-m", "pledgetui", "export", str(ledger_path), "--filter", "colour:red"],
        capture_output=True, cwd=tmp_path, env=env, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 1 and b"Traceback" not in bad.stderr and b"unknown field" in bad.stderr


def test_bundled_ledger_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    bundled = paths.bundled_ledger()
    if not bundled.read_bytes().strip():
        pytest.skip("the bundled ledger is still empty")
    ledger = load(bundled).ledger
    code, out, _ = run(capsys, str(bundled))
    assert code == 0
    rows = read_csv(out)
    expected = entry_rows(ledger, ledger.entries)
    triggers = ("=", "+", "-", "@", "\t", "\r", "\n")
    unguarded = [{k: v[1:] if v[:1] == "'" and v[1:2] in triggers else v for k, v in r.items()} for r in rows]
    assert unguarded == [{k: str(v) for k, v in r.items()} for r in expected]
    code, out, _ = run(capsys, str(bundled), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    derived = [entry.pop("derived") for entry in doc["entries"]]
    back = Ledger.model_validate({"sources": doc["sources"], "entries": doc["entries"]})
    assert back.entries == ledger.entries
    # The derived reading travels next to the stored statements, and equals the ledger's own.
    assert derived == [
        {
            "status": p.status.value,
            "claimant": p.claimant,
            "relayed_by": p.evidence[p.stance.index].relayed_by,
            "date_stated": p.date_stated.isoformat() if p.date_stated else None,
            "date_by": p.date_span.hi.isoformat() if p.date_span.hi else None,
            "statement": p.stance.index + 1,
        }
        for p in ledger.entries
    ]
    assert derived[[p.id for p in ledger.entries].index("uk-ground-troops")]["relayed_by"] == "a002 author"
    assert [(p.status, p.claimant, p.date_stated) for p in back.entries] == [
        (p.status, p.claimant, p.date_stated) for p in ledger.entries
    ]


def test_export_refuses_to_overwrite_the_ledger_or_its_articles(ledger_path, capsys):
    from pledgetui.cli import main

    before = ledger_path.read_bytes()
    assert main(["export", str(ledger_path), "-o", str(ledger_path)]) == 1
    assert "refusing to export over" in capsys.readouterr().err
    assert ledger_path.read_bytes() == before
    article = ledger_path.parent / "seeds" / "002_d2b1ebf0ff0347cc.txt"
    text = article.read_bytes()
    assert main(["export", str(ledger_path), "-o", str(article)]) == 1
    assert article.read_bytes() == text


def guarded_in(guarded: str, raw: str) -> int:
    """How many cells of ``guarded`` differ from the same cell of ``raw`` (the same export)."""
    rows = list(csv.reader(io.StringIO(guarded, newline="")))
    raw_rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert len(rows) == len(raw_rows)
    return sum(a != b for row, raw_row in zip(rows, raw_rows) for a, b in zip(row, raw_row))


@pytest.mark.parametrize("rows", ["evidence", "pledges"])
def test_the_message_says_how_many_cells_were_guarded_and_how_to_get_the_raw_text(
    capsys: pytest.CaptureFixture[str], rows: str
) -> None:
    bundled = str(REPO / "data" / "pledges.toml")
    code, guarded, err = run(capsys, bundled, "--rows", rows)
    assert code == 0
    _, raw, raw_err = run(capsys, bundled, "--rows", rows, "--raw")
    count = guarded_in(guarded, raw)
    if count:
        assert f"{count} cells were guarded" in err and "--raw" in err
    else:
        assert "guarded" not in err
    assert "guarded" not in raw_err
    if rows == "evidence":
        assert count > 0  # the bundled quotes have prefixes that start with a line break


def test_an_article_replaced_by_a_link_to_itself_does_not_stop_an_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The articles folder arrives with the ledger and may hold anything, a link loop included
    (Path.resolve raises RuntimeError on one)."""
    path = write_ledger(tmp_path)
    article = tmp_path / "seeds" / small_ledger().sources[0].file
    article.unlink()
    article.symlink_to(article.name)
    assert main(["export", str(path), "-o", str(tmp_path / "out.csv")]) == 0
    assert (tmp_path / "out.csv").read_bytes().count(b"\n") > 1


def test_an_export_to_a_link_to_itself_is_refused_in_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_ledger(tmp_path)
    target = tmp_path / "loop.csv"
    target.symlink_to(target.name)
    code = main(["export", str(path), "-o", str(target)])
    err = capsys.readouterr().err
    assert code != 0 and "loop.csv" in err and "Traceback" not in err
    assert target.is_symlink()


def test_paths_of_a_ledger_that_is_a_link_to_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loop = tmp_path / "pledges.toml"
    loop.symlink_to(loop.name)
    assert main(["paths", str(loop)]) == 0
