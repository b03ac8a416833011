"""``pledgetui check`` in two processes (:mod:`pledgetui.commands.check_split`): the same
outcome as one process, and the ordinary way whenever anything is unexpected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pledgetui import fastread
from pledgetui.articlefile import read_article
from pledgetui.cli import main
from pledgetui.commands import check_split
from pledgetui.commands.check import Outcome, examine
from pledgetui.model import Entry, Ledger, Source
from pledgetui.store import load
from pledgetui.verify import Articles, verify
from tests.factory import ARTICLE_002, ARTICLE_003, SEEDS, evidence_for, write_ledger

pytestmark = pytest.mark.skipif(not check_split.usable(), reason="this system cannot check in two processes")

T2 = read_article(SEEDS / ARTICLE_002)
T3 = read_article(SEEDS / ARTICLE_003)
DECL = "This is a declaration of intent to deploy forces to Ukraine in event of a peace deal."
IRELAND = "If there is a peace agreement, Ireland — as part of this coalition — will want to assist."


def varied_ledger(n: int = 40) -> Ledger:
    """``n`` entries over two articles: statuses and bases that draw warnings, counter-positions,
    a claimant and an actor with an invisible character, several statements per entry; the
    first entry makes a002 a partisan source, whose relayed statements in later entries (both
    parts) draw the relay warning."""
    entries = []
    for i in range(n):
        relay = {"relayed_by": "a002 author"} if i % 4 == 2 else {}
        statements = [
            evidence_for(T2, "a002", DECL, status=("signed", "announced", "considering")[i % 3], **relay),
            evidence_for(T3, "a003", IRELAND, claimant="Simon\u200bHarris" if i % 7 == 0 else "Simon Harris"),
        ][: 1 + i % 2]
        if i % 5 == 0:
            statements.append(evidence_for(T3, "a003", "absolutely unacceptable", basis="report", status="announced"))
        if i == 0:
            statements.append(evidence_for(T2, "a002", "Reportedly", basis="partisan", status="claimed"))
        entries.append(
            Entry(
                id=f"e{i:03d}",
                kind="counter_position" if i % 9 == 0 else "pledge",
                actor="Fr\u00adance" if i % 11 == 0 else "France",
                commitment="ground_troops",
                summary="s",
                evidence=statements,
            )
        )
    sources = (
        Source(id="a002", file=ARTICLE_002, title="Paris summit report"),
        Source(id="a003", file=ARTICLE_003, title="After the Summit", date="2026-01-08"),
    )
    return Ledger(sources=sources, entries=tuple(entries))


def one_process(path: Path) -> Outcome:
    ledger = load(path, use_cache=False).ledger
    articles = Articles(path)
    return examine(ledger, articles, verify(ledger, articles))


def damage_articles(folder: Path) -> None:
    """Article 003 re-saved with a paragraph on top, other white space and a changed word; the
    quotes become moved, folded and drifted."""
    article = folder / "seeds" / ARTICLE_003
    article.chmod(0o644)
    text = T3.replace("part of this coalition", "part of  this coalition").replace("assist.", "help.")
    article.write_text("A new first paragraph.\n\n" + text, encoding="utf-8")


def test_two_parts_give_what_one_process_gives(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger())
    damage_articles(tmp_path / "l")
    expected = one_process(path)
    got = check_split.examine_in_parts(path, examine, min_bytes=0)
    assert got is not None, "the two-process check fell back to the ordinary way"
    assert got == expected
    # the outcome is not empty: moved and drifted quotes, warnings, invisible characters
    assert expected.moved and expected.drifted and expected.entry_warnings and expected.entry_names
    relayed = [w for w in expected.entry_warnings if "a partisan source relays" in w]
    assert relayed and relayed[-1].startswith("e038 ")  # in the second part


def test_every_split_point_reads_what_one_read_gives(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger(12))
    text = path.read_bytes()
    whole = fastread.read(text)
    head, pos = fastread.read_head(text)
    seen = set()
    for near in range(pos, len(text) + 1, 97):
        split = fastread.entry_starts(text, pos, near)
        seen.add(split)
        first = fastread.read_part(text, head, pos, split)
        second = fastread.read_part(text, head, split)
        assert first.entries + second.entries == whole.entries
    assert len(seen) > 5


def test_a_part_that_does_not_end_where_an_entry_begins_is_refused(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger(6))
    text = path.read_bytes()
    head, pos = fastread.read_head(text)
    split = fastread.entry_starts(text, pos, pos + (len(text) - pos) // 2)
    with pytest.raises(fastread.Unexpected):
        fastread.read_part(text, head, pos, split - 5)  # inside the last statement of an entry


def test_an_id_used_in_both_parts_is_reported_the_ordinary_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger())
    text = path.read_text("utf-8")
    path.write_text(text.replace('id = "e039"', 'id = "e000"'), encoding="utf-8")
    assert check_split.examine_in_parts(path, examine, min_bytes=0) is None
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "e000" in out + err and "more than one entry" in out + err


def test_an_unknown_source_in_the_second_part_is_reported_the_ordinary_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger())
    text = path.read_text("utf-8")
    cut = text.index('id = "e035"')
    path.write_text(text[:cut] + text[cut:].replace('source = "a002"', 'source = "a999"', 1), encoding="utf-8")
    assert check_split.examine_in_parts(path, examine, min_bytes=0) is None
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "a999" in out + err


def test_a_file_not_in_the_canonical_form_is_read_the_ordinary_way(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger())
    text = path.read_text("utf-8")
    path.write_text(text.replace('id = "e030"\n', 'id = "e030"  # a comment\n'), encoding="utf-8")
    with pytest.raises(fastread.Unexpected):
        fastread.read(path.read_bytes())
    assert check_split.examine_in_parts(path, examine, min_bytes=0) is None
    assert one_process(path).counts.total() > 40


def test_a_child_that_fails_leaves_the_check_to_the_ordinary_way(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger())
    parent = os.getpid()

    def failing_in_child(*args: object) -> Outcome:
        if os.getpid() != parent:
            raise RuntimeError("the child's part fails")
        return examine(*args)  # type: ignore[arg-type]

    assert check_split.examine_in_parts(path, failing_in_child, min_bytes=0) is None


def test_a_small_file_is_checked_in_one_process(tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger())
    assert path.stat().st_size < check_split.MIN_BYTES
    assert check_split.examine_in_parts(path, examine) is None


def test_a_problem_in_the_first_part_ends_the_child(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_ledger(tmp_path / "l", varied_ledger())
    text = path.read_text("utf-8")
    path.write_text(text.replace('id = "e001"', 'id = "E001"'), encoding="utf-8")  # not an id
    assert check_split.examine_in_parts(path, examine, min_bytes=0) is None
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind
    assert main(["check", str(path)]) == 1
    assert "E001" in "".join(capsys.readouterr())
