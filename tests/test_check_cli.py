"""``pledgetui check``: exit statuses and what it prints, for clean and damaged ledgers."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pledgetui import paths
from pledgetui.anchors import AnchorStatus
from pledgetui.articlefile import read_article
from pledgetui.cli import main
from pledgetui.commands import check_split
from pledgetui.model import Entry, Ledger, Source
from pledgetui.review import review
from pledgetui.session import EditSession
from pledgetui.store import load, save
from pledgetui.verify import Articles, verify
from tests.factory import (
    ARTICLE_002,
    ARTICLE_003,
    BROKEN_TOML,
    REPO,
    SEEDS,
    evidence_for,
    small_ledger,
    write_ledger,
)

IRELAND = "If there is a peace agreement, Ireland — as part of this coalition — will want to assist."


@pytest.fixture(autouse=True, params=["one process", "two processes"])
def processes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs twice: a ledger checked in one process, and in two where the system
    allows (:mod:`pledgetui.commands.check_split`, whatever the file's size)."""
    if request.param == "two processes":
        if not check_split.usable():
            pytest.skip("this system cannot check in two processes")
        monkeypatch.setattr(check_split, "MIN_BYTES", 0)
    else:
        monkeypatch.setattr(check_split, "MIN_BYTES", 1 << 62)
    return str(request.param)


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
    assert "entries:  3 pledges and 1 counter-positions" in out
    assert "sources:  2" in out
    assert "quotes:   4: 4 verified (4 exact, 0 moved, 0 folded), 0 drifted, 0 orphaned" in out
    assert "warnings: 0" in out
    assert out.rstrip().endswith("OK")
    assert err == ""


def test_garbled_quote_exits_1_naming_the_pledge(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = small_ledger()
    ireland = base.entry("ireland-ground")
    assert ireland is not None
    garbled = ireland.evidence[0].model_copy(
        update={"quote": "Ireland will send ten thousand troops tomorrow, no matter what."}
    )
    ledger = base.model_copy(
        update={
            "entries": tuple(p.model_copy(update={"evidence": (garbled,)}) if p is ireland else p for p in base.entries)
        }
    )
    path = write_ledger(tmp_path / "garbled", ledger)
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert (
        "orphan: ireland-ground statement 1 (a003): 'Ireland will send ten thousand troops tomorrow, no matter..."
        in out
    )
    assert "3 verified" in out and "0 drifted" in out and "1 orphaned" in out
    assert "PROBLEMS FOUND" in out
    assert "uk-ground" not in out


def test_article_resaved_with_other_whitespace_and_quotes_is_folded_and_verified(
    capsys: pytest.CaptureFixture[str], ledger_path: Path
) -> None:
    article = writable(ledger_path.parent / "seeds" / ARTICLE_003)
    text = read_article(article)
    resaved = text.replace("\n", "\n\n").replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-")
    article.write_bytes(resaved.encode())
    old = small_ledger().entry("ireland-ground").evidence[0]  # type: ignore[union-attr]
    new_quote = IRELAND.replace("—", "-")
    start = resaved.index(new_quote)
    code, out, err = run(capsys, str(ledger_path))
    assert code == 0, out + err
    assert (
        f"moved: ireland-ground statement 1 (a003): offsets {old.start}-{old.end} -> "
        f"{start}-{start + len(new_quote)} (folded; verified)"
    ) in out
    # The counter-position's quote has no quote marks inside: it just moved.
    russia = small_ledger().entry("russia-mfa").evidence[0]  # type: ignore[union-attr]
    moved = resaved.index(russia.quote)
    assert (
        f"moved: russia-mfa statement 1 (a003): offsets {russia.start}-{russia.end} -> {moved}-{moved + len(russia.quote)} (moved; verified)"
        in out
    )
    assert "quotes:   4: 4 verified (2 exact, 1 moved, 1 folded), 0 drifted, 0 orphaned" in out
    assert "drifted:" not in out and out.rstrip().endswith("OK")


def test_missing_article_exits_1_naming_the_source(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    (ledger_path.parent / "seeds" / ARTICLE_002).unlink()
    code, out, _ = run(capsys, str(ledger_path))
    assert code == 1
    assert f"source a002: article file {ARTICLE_002!r} not found" in out
    assert "orphan: uk-ground statement 1 (a002)" in out
    assert "orphan: france-ground statement 1 (a002)" in out
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
    assert "entry 'uk-ground' field evidence[1].status: 'rumoured' is not allowed" in err
    assert "entry 'uk-ground' field evidence[1].claimnt: unknown key 'claimnt'" in err
    assert "entry 'uk-ground' field evidence[1].claimant: is required but missing" in err


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
    code, out, err = run(capsys, str(bundled), "--strict")
    assert code == 0, out + err
    ledger = load(bundled).ledger
    report = verify(ledger, Articles(bundled))
    assert report.checks, "the bundled ledger holds no quotes"
    assert report.source_problems == {}
    assert report.orphans == [] and report.drifted == []
    assert report.verified == len(report.checks) == sum(len(p.evidence) for p in ledger.entries)
    assert report.count(AnchorStatus.EXACT) == len(report.checks)
    counters = sum(1 for p in ledger.entries if p.is_counter)
    assert f"entries:  {len(ledger.entries) - counters} pledges and {counters} counter-positions" in out
    assert f"sources:  {len(ledger.sources)}\n" in out
    n = len(report.checks)
    assert f"quotes:   {n}: {n} verified ({n} exact, 0 moved, 0 folded), 0 drifted, 0 orphaned" in out
    assert "warnings: 0" in out and "warning:" not in out
    assert review(ledger) == []
    assert out.rstrip().endswith("OK")


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
    ev = ledger.entries[0].evidence[0]
    first = articles.anchor(ledger, ev)
    assert articles.anchor(ledger, ev) == first and first.found
    assert len(calls) == 1


# --------------------------------------------------------------------------- drifted quotes and --fix


def bundled_copy(tmp_path: Path, quote_edit) -> tuple[Path, str, int, str, str]:
    """A copy of the bundled ledger and its articles in which ``quote_edit`` rewrote one stored
    quote (statement 2 of the first entry with several). Returns (path, entry id, statement
    number, the article's words, the stored quote)."""
    folder = tmp_path / "copy"
    folder.mkdir()
    shutil.copytree(SEEDS, folder / "seeds")
    ledger = load(paths.bundled_ledger()).ledger
    entry = next(p for p in ledger.entries if len(p.evidence) >= 2)
    ev = entry.evidence[1]
    stored = quote_edit(ev.quote)
    assert stored != ev.quote
    evidence = (entry.evidence[0], ev.model_copy(update={"quote": stored}), *entry.evidence[2:])
    changed = entry.model_copy(update={"evidence": evidence})
    ledger = ledger.model_copy(update={"entries": tuple(changed if p is entry else p for p in ledger.entries)})
    path = folder / "pledges.toml"
    save(ledger, path, backup=False)
    return path, entry.id, 2, ev.quote, stored


def insert_words(quote: str) -> str:
    words = quote.split(" ")
    mid = len(words) // 2
    return " ".join([*words[:mid], "ZZZ", "garbled", *words[mid:]])


def change_a_word(quote: str) -> str:
    words = quote.split(" ")
    words[2] = "qqqq"
    return " ".join(words)


@pytest.mark.parametrize(
    ("edit", "diff"),
    [(insert_words, "[-ZZZ garbled-]"), (change_a_word, "[-qqqq-]")],
    ids=["words inserted", "a word changed"],
)
def test_a_drifted_quote_fails_naming_entry_and_statement_with_a_diff(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, edit, diff: str
) -> None:
    path, entry_id, n, article_words, _ = bundled_copy(tmp_path, edit)
    code, out, err = run(capsys, str(path))
    assert code == 1, out + err
    lines = out.splitlines()
    drifted = [i for i, ln in enumerate(lines) if ln.startswith("drifted: ")]
    assert len(drifted) == 1
    assert lines[drifted[0]].startswith(f"drifted: {entry_id} statement {n} (")
    diff_line = lines[drifted[0] + 1]  # the word diff follows the line naming the statement
    assert diff_line.startswith("  diff")
    assert diff in diff_line
    if edit is change_a_word:
        assert f"{{+{article_words.split(' ')[2]}+}}" in diff_line
    else:
        assert "{+" not in diff_line.split("): ", 1)[1]  # the article holds the quote without the inserted words
    assert ", 1 drifted, 0 orphaned" in out
    assert "PROBLEMS FOUND" in out and "orphan:" not in out


def test_fix_yes_takes_the_article_s_text_saves_with_a_backup_and_checks_clean(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path, entry_id, n, article_words, _ = bundled_copy(tmp_path, insert_words)
    before = path.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, err = run(capsys, str(path), "--fix")
    assert code == 0, out + err
    assert f"drifted: {entry_id} statement {n}" in out
    assert "take the article's text as the quote? [y/N/q]" in out
    assert "fixed:    1 quote; saved" in out
    assert path.with_name("pledges.toml.bak").read_bytes() == before
    fixed = load(path).ledger.entry(entry_id)
    assert fixed is not None and fixed.evidence[n - 1].quote == article_words
    # Only the quote changed: the statement keeps its stance, the entry its reading.
    original = load(paths.bundled_ledger()).ledger.entry(entry_id)
    assert fixed.evidence == original.evidence and fixed.stance == original.stance
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run(capsys, str(path), "--strict")
    assert code == 0, out + err
    assert ", 0 drifted, 0 orphaned" in out and out.rstrip().endswith("OK")


@pytest.mark.parametrize("answer", ["n\n", "\n", "q\n", ""])
def test_fix_no_leaves_the_file_byte_identical(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, answer: str
) -> None:
    path, entry_id, n, _, _ = bundled_copy(tmp_path, change_a_word)
    before = path.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    code, out, _ = run(capsys, str(path), "--fix")
    assert code == 1
    assert path.read_bytes() == before
    assert not path.with_name("pledges.toml.bak").exists()
    assert f"drifted: {entry_id} statement {n}" in out and "PROBLEMS FOUND" in out


def test_taking_the_article_s_text_is_an_undoable_edit(tmp_path: Path) -> None:
    path, entry_id, n, article_words, stored = bundled_copy(tmp_path, insert_words)
    session = EditSession.open(path)
    try:
        before = session.ledger
        report = verify(before, Articles(path))
        [check] = report.drifted
        assert (check.entry_id, check.index) == (entry_id, n - 1)
        text = Articles(path).text(before, check.evidence.source)
        assert text is not None and text[check.anchor.start : check.anchor.end] == article_words
        desc = session.accept_article_text(entry_id, n - 1, text, check.anchor.start, check.anchor.end)
        assert desc == f"take the article's text for quote {n} of {entry_id}"
        after = session.ledger.entry(entry_id).evidence[n - 1]
        assert after.quote == article_words and (after.start, after.end) == (check.anchor.start, check.anchor.end)
        assert verify(session.ledger, Articles(path)).drifted == []
        assert session.undo() == desc
        assert session.ledger == before
        assert session.ledger.entry(entry_id).evidence[n - 1].quote == stored
        assert not session.dirty
        assert session.redo() == desc and session.ledger.entry(entry_id).evidence[n - 1].quote == article_words
    finally:
        session.close()


def test_fix_offers_to_re_anchor_a_moved_quote(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, ledger_path: Path
) -> None:
    article = writable(ledger_path.parent / "seeds" / ARTICLE_003)
    article.write_bytes(b"An editor's note.\n\n" + article.read_bytes())
    monkeypatch.setattr("sys.stdin", io.StringIO("y\ny\n"))
    code, out, err = run(capsys, str(ledger_path), "--fix")
    assert code == 0, out + err
    assert "update the offsets and context? [y/N/q]" in out
    assert "fixed:    2 quotes; saved" in out
    report = verify(load(ledger_path).ledger, Articles(ledger_path))
    assert report.count(AnchorStatus.EXACT) == len(report.checks) == 4


# --------------------------------------------------------------------------- the coding manual's warnings


CUES_ARTICLE = (
    "Ruritania would consider sending troops to the mission next spring.\n"
    "Ruritania is ready to deploy an air wing once a ceasefire holds.\n"
    "Ruritania is said to be sending engineers to the border region.\n"
    "Ruritanian officials are not prepared to station their own troops there.\n"
    "The Ruritanian minister said the navy will patrol the coast.\n"
    "The Ruritanian minister said the navy will not patrol the coast.\n"
)


def test_check_prints_each_warning_with_entry_and_statement_and_fails_only_under_strict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "cues"
    (folder / "seeds").mkdir(parents=True)
    (folder / "seeds" / "cues.txt").write_text(CUES_ARTICLE, encoding="utf-8")
    t = CUES_ARTICLE

    def ev(quote: str, **stance: str):
        return evidence_for(t, "c1", quote, claimant="Ruritanian government", **stance)

    entries = (
        Entry(id="rur-ground", actor="Ruritania", commitment="ground_troops", summary="s", evidence=[
            ev("Ruritania would consider sending troops to the mission next spring.", status="signalled"),
        ]),
        Entry(id="rur-air", actor="Ruritania", commitment="air", summary="s", evidence=[
            ev("Ruritania is ready to deploy an air wing once a ceasefire holds.", status="signalled"),
            ev("Ruritania is ready to deploy an air wing", status="announced"),
        ]),
        Entry(id="rur-engineers", actor="Ruritania", commitment="other", summary="s", evidence=[
            ev("Ruritania is said to be sending engineers to the border region.", party="third_party", basis="report",
               status="announced"),
        ]),
        Entry(id="rur-station", actor="Ruritania", commitment="military_hubs", summary="s", evidence=[
            ev("Ruritanian officials are not prepared to station their own troops there.", basis="anonymous",
               status="declined"),
        ]),
        Entry(id="rur-navy", actor="Ruritania", commitment="maritime", summary="s", evidence=[
            ev("The Ruritanian minister said the navy will patrol the coast.", status="announced"),
            ev("The Ruritanian minister said the navy will not patrol the coast.", status="declined"),
        ]),
    )  # fmt: skip
    ledger = Ledger(sources=(Source(id="c1", file="cues.txt", title="Cues"),), entries=entries)
    path = folder / "pledges.toml"
    save(ledger, path, backup=False)
    expected = [str(f) for f in review(load(path).ledger)]
    wheres = [f.split(": ", 1)[0] for f in expected]
    assert wheres == [
        "rur-ground statement 1",  # 'would consider' above considering
        "rur-air statement 2",  # 'ready to' above signalled
        "rur-engineers statement 1",  # basis report firmer than claimed
        "rur-engineers statement 1",  # third party coded other than claimed/declined
        "rur-engineers statement 1",  # 'is said to' above claimed
        "rur-navy",  # undated statements of the actor pointing both ways
    ]

    code, out, err = run(capsys, str(path))
    assert code == 0, out + err
    assert f"warnings: {len(expected)}\n" in out
    assert [ln.removeprefix("warning: ") for ln in out.splitlines() if ln.startswith("warning: ")] == expected
    assert "rur-station" not in out  # "not prepared to" coded declined is no warning
    assert out.rstrip().endswith("OK")

    code, out, err = run(capsys, str(path), "--strict")
    assert code == 1
    assert f"warnings: {len(expected)} (failures under --strict)" in out
    assert [ln.removeprefix("warning: ") for ln in out.splitlines() if ln.startswith("warning: ")] == expected
    assert out.rstrip().endswith("PROBLEMS FOUND")


FIDELITY_ARTICLE = (
    "The deputy gave a breakdown of the anticipated troop contributions, naming Ruritania.\n"
    "Ruritania insisted it needed clarity before committing troops.\n"
    "Ruritania and other countries said they would participate in rebuilding.\n"
    "The signing paves the way for Ruritanian forces to secure the skies.\n"
    "This brief says Ruritania is in.\n"
    "Ruritania will deploy forces in event of a peace deal.\n"
    "Ruritania will send ships.\n"
)


def test_check_strict_fails_on_each_fidelity_finding_with_entry_and_statement(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The fidelity checks of the coding manual, through the command line: each names its entry and statement."""
    folder = tmp_path / "fidelity"
    (folder / "seeds").mkdir(parents=True)
    (folder / "seeds" / "fidelity.txt").write_text(FIDELITY_ARTICLE, encoding="utf-8")

    def ev(quote: str, source: str = "c1", **stance: object):
        return evidence_for(FIDELITY_ARTICLE, source, quote, **{"claimant": "Ruritanian government", **stance})

    claim = {"party": "third_party", "basis": "paraphrase", "status": "claimed"}
    entries = (
        Entry(id="rur-forecast", actor="Ruritania", commitment="ground_troops", summary="s", evidence=[
            ev("Ruritania will send ships.", status="announced"),
            ev("The deputy gave a breakdown of the anticipated troop contributions, naming Ruritania.",
               conditions=[], claimant="Deputy", **claim),
        ]),
        Entry(id="rur-waiting", actor="Ruritania", commitment="ground_troops", summary="s", evidence=[
            ev("Ruritania insisted it needed clarity before committing troops.", status="declined"),
        ]),
        Entry(id="rur-would", actor="Ruritania", commitment="rebuild_forces", summary="s", evidence=[
            ev("Ruritania and other countries said they would participate in rebuilding.", status="announced"),
        ]),
        Entry(id="rur-paves", actor="Ruritania", commitment="air", summary="s", evidence=[
            ev("The signing paves the way for Ruritanian forces to secure the skies.", status="announced"),
        ]),
        Entry(id="brief-own-voice", actor="Ruritania", commitment="other", summary="s", evidence=[
            ev("This brief says Ruritania is in.", "c2", claimant="Brief", party="third_party", basis="partisan",
               status="claimed"),
        ]),
        Entry(id="rur-relayed", actor="Ruritania", commitment="ground_troops", summary="s", evidence=[
            ev("Ruritania will deploy forces in event of a peace deal.", "c2", status="announced", relayed_by="Brief",
               conditions=["peace_deal"]),
        ]),
        Entry(id="rur-unrelayed", actor="Ruritania", commitment="maritime", summary="s", evidence=[
            ev("Ruritania will send ships.", "c2", status="announced"),
        ]),
        Entry(id="rur-provides", actor="Ruritania", commitment="maritime", summary="s", us_backstop="provides",
              evidence=[ev("Ruritania will send ships.", claimant="Deputy", **claim)]),
    )  # fmt: skip
    sources = (
        Source(id="c1", file="fidelity.txt", title="Report"),
        Source(id="c2", file="fidelity.txt", title="Brief"),
    )
    ledger = Ledger(sources=sources, entries=entries)
    path = folder / "pledges.toml"
    save(ledger, path, backup=False)
    expected = [str(f) for f in review(load(path).ledger)]
    assert [f.split(": ", 1)[0] for f in expected] == [
        "rur-forecast statement 2",  # a forecast coded conditions = []
        "rur-waiting statement 1",  # declined, but only waiting on clarity
        "rur-would statement 1",  # 'said they would' above signalled
        "rur-paves statement 1",  # 'paves the way' above signalled
        "rur-relayed statement 1",  # the statement's peace deal, missing from the entry's conditions
        "rur-relayed statement 1",  # rests only on a statement the partisan source relays, no Relayed: note
        "rur-unrelayed statement 1",  # someone else's words in a partisan source, no relay named
        "rur-provides",  # provides on an entry of another actor than the United States
        "rur-provides",  # provides on a maritime entry
        "rur-provides statement 1",  # provides on a claim
    ]
    code, out, _err = run(capsys, str(path), "--strict")
    assert code == 1
    assert [ln.removeprefix("warning: ") for ln in out.splitlines() if ln.startswith("warning: ")] == expected
    assert out.rstrip().endswith("PROBLEMS FOUND")
