"""``pledgetui merge``, ``pledgetui textconv`` and ``check`` on recorded conflicts, from the command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pledgetui import paths, store
from pledgetui.cli import main
from pledgetui.store import load
from tests.factory import BROKEN_TOML, small_ledger, write_ledger
from tests.test_merge import with_entry, without_entry

BASE = small_ledger()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sides(folder: Path, ours_summary: str = "ours", theirs_summary: str | None = None) -> tuple[Path, Path, Path]:
    """BASE, OURS (uk-ground's summary edited) and THEIRS (russia-mfa deleted, and uk-ground's
    summary edited too when ``theirs_summary`` is given) in ``folder``, with their articles."""
    theirs = without_entry(BASE, "russia-mfa")
    if theirs_summary is not None:
        theirs = with_entry(theirs, "uk-ground", summary=theirs_summary)
    return (
        write_ledger(folder, BASE, "base.toml"),
        write_ledger(folder, with_entry(BASE, "uk-ground", summary=ours_summary), "ours.toml"),
        write_ledger(folder, theirs, "theirs.toml"),
    )


def test_a_clean_merge_writes_into_ours_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, ours, theirs = sides(tmp_path)
    code, out, err = run(capsys, "merge", str(base), str(ours), str(theirs))
    assert (code, err) == (0, "")
    assert "entries 1 removed" in out and "no conflicts" in out
    merged = load(ours, use_cache=False).ledger
    assert merged == with_entry(without_entry(BASE, "russia-mfa"), "uk-ground", summary="ours")


def test_with_o_the_result_goes_there_and_ours_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, ours, theirs = sides(tmp_path)
    before = ours.read_bytes()
    code, _, _ = run(capsys, "merge", str(base), str(ours), str(theirs), "-o", str(tmp_path / "out.toml"))
    assert code == 0
    assert ours.read_bytes() == before
    assert [p.id for p in load(tmp_path / "out.toml").ledger.entries] == [
        "uk-ground",
        "france-ground",
        "ireland-ground",
    ]


def test_conflicts_exit_1_are_recorded_and_check_names_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, ours, theirs = sides(tmp_path, "ours", "theirs")
    code, out, _ = run(capsys, "merge", str(base), str(ours), str(theirs))
    assert code == 1
    assert 'conflict: entry uk-ground field summary: ours "ours", theirs "theirs"' in out
    merged = load(ours, use_cache=False).ledger  # valid and loadable
    assert merged.entry("uk-ground").summary == "ours"  # type: ignore[union-attr]
    assert [(c.entry, c.field) for c in merged.conflicts] == [("uk-ground", "summary")]
    code, out, _ = run(capsys, "check", str(ours))
    assert code == 1
    assert "conflict: entry uk-ground field summary" in out
    assert out.rstrip().endswith("PROBLEMS FOUND")


def test_no_backup_and_no_cache_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "CACHE_MIN_ENTRIES", 1)  # a save or load through the cache would write one
    base, ours, theirs = sides(tmp_path)
    files = set(os.listdir(tmp_path))
    cache = paths.cache_dir()
    cached = set(os.listdir(cache)) if cache.exists() else set()
    code, _, _ = run(capsys, "merge", str(base), str(ours), str(theirs))
    assert code == 0
    assert set(os.listdir(tmp_path)) == files
    assert (set(os.listdir(cache)) if cache.exists() else set()) == cached


@pytest.mark.parametrize("broken", ["base", "ours", "theirs"])
def test_a_side_that_is_not_a_ledger_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    files = dict(zip(("base", "ours", "theirs"), sides(tmp_path), strict=True))
    files[broken].write_bytes(BROKEN_TOML)
    before = {name: p.read_bytes() for name, p in files.items()}
    code, out, err = run(capsys, "merge", *(str(p) for p in files.values()))
    assert code == 2
    assert out == ""
    assert f"{broken.upper()} is not a valid ledger" in err
    assert "line 5" in err  # where, and what
    assert f"nothing written; {files['ours']} is left as it was" in err
    assert {name: p.read_bytes() for name, p in files.items()} == before


def test_an_unknown_version_is_refused_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, ours, theirs = sides(tmp_path)
    theirs.write_bytes(theirs.read_bytes().replace(b"schema_version = 2", b"schema_version = 99"))
    code, _, err = run(capsys, "merge", str(base), str(ours), str(theirs))
    assert code == 2
    assert "THEIRS is not a valid ledger" in err and "99" in err


def test_an_empty_base_is_no_common_ancestor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, ours, theirs = sides(tmp_path, "ours", "theirs")
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    code, _, _ = run(capsys, "merge", str(empty), str(ours), str(theirs))
    assert code == 1  # every field both give differently is a conflict, with no base value
    merged = load(ours, use_cache=False).ledger
    assert [(c.entry, c.field, c.base) for c in merged.conflicts] == [("uk-ground", "summary", "")]
    assert merged.entry("russia-mfa") is not None  # only ours has it: added by ours


def test_textconv_prints_one_block_per_entry_one_line_per_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_ledger(tmp_path, with_entry(BASE, "uk-ground", notes="line one\nline two\x1b]0;x\x07 \u202eevil"))
    code, out, _ = run(capsys, "textconv", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "schema_version = 2"
    assert "entry uk-ground" in lines and "entry russia-mfa" in lines
    at = lines.index("entry uk-ground")
    block = lines[at : lines.index("", at)]
    assert '  summary = "UK declaration of intent to deploy forces after a peace deal"' in block
    [notes] = [line for line in block if line.startswith("  notes = ")]
    assert "\x1b" not in out and "\u202e" not in out and "\\n" in notes  # one line, no escape reaches the terminal
    assert any(line.startswith("  statement a002@") for line in block)


def test_textconv_of_a_file_that_is_not_a_ledger_prints_it_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(BROKEN_TOML)
    code, out, _ = run(capsys, "textconv", str(path))
    assert code == 0
    assert out.startswith("(not a valid ledger: line 5")
    assert 'title = = "x"' in out


def test_conflict_lines_go_through_the_display_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, ours, theirs = sides(tmp_path, "ours \u202e\u0085 evil", "theirs \u200f")
    code, out, _ = run(capsys, "merge", str(base), str(ours), str(theirs))
    assert code == 1
    code, checked, _ = run(capsys, "check", str(ours))
    assert code == 1
    for text in (out, checked):
        assert "conflict: entry uk-ground field summary" in text
        assert not any(ch in text for ch in "\u202e\u0085\u200f")


def test_textconv_of_a_named_pipe_says_why_on_lines_of_their_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    code, out, err = run(capsys, "textconv", str(pipe))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"pledgetui textconv: {pipe}: 1 problem",
        "  - is a named pipe (FIFO), not a regular file",
    ]


def test_a_clean_merge_of_sides_that_still_record_a_conflict_does_not_call_the_file_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, ours, theirs = sides(tmp_path, "ours", "theirs")
    assert run(capsys, "merge", str(base), str(ours), str(theirs))[0] == 1  # recorded in ours
    again = tmp_path / "again.toml"
    again.write_bytes(ours.read_bytes())
    code, out, _ = run(capsys, "merge", str(ours), str(again), str(ours), "-o", str(tmp_path / "out.toml"))
    assert code == 0
    assert "clean:    no new conflicts; 1 conflict recorded earlier still in the file" in out
    assert "clean:    no conflicts" not in out
