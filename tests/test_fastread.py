"""The canonical-form reader against the full path (TOML parser + pydantic): same ledger, or it declines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgetui import fastread, store
from pledgetui.model import Ledger
from tests.factory import small_ledger
from tests.strategies import ledgers

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def full_path(data: bytes) -> Ledger:
    path = Path("<ledger>")
    return store.validate_document(path, store.parse_document(path, data))


def same(a: Ledger, b: Ledger) -> None:
    assert a == b
    assert a.model_fields_set == b.model_fields_set
    for p, q in zip(a.entries, b.entries, strict=True):
        assert p.model_fields_set == q.model_fields_set
        assert p.stance == q.stance
        assert p.stance_dates == q.stance_dates
        for e, f in zip(p.evidence, q.evidence, strict=True):
            assert e.model_fields_set == f.model_fields_set
            assert e.conditions == f.conditions
    assert store.dumps(a) == store.dumps(b)


def test_the_small_ledger_is_read_by_the_fast_reader() -> None:
    data = store.dumps(small_ledger())
    same(fastread.read(data), full_path(data))


def test_a_synthetic_ledger_is_read_by_the_fast_reader() -> None:
    from bench.synth import dumps, ledger_document

    data = dumps(ledger_document(300, seed=3))
    seen: list[int] = []
    ledger = fastread.read(data, lambda batch, fraction: seen.append(len(batch)))
    same(ledger, full_path(data))
    assert sum(seen) == 300


def test_a_read_without_stances_gives_an_equal_ledger_with_no_readings_attached() -> None:
    from bench.synth import dumps, ledger_document

    data = dumps(ledger_document(300, seed=4))
    full = fastread.read(data)
    bare = fastread.read(data, stances=False)
    assert bare == full
    assert store.dumps(bare) == store.dumps(full) == data
    assert all(p.stance_dates is not None for p in full.entries)
    assert all(p.stance_dates is None for p in bare.entries)


def known_shape(data: bytes) -> bool:
    """The canonical files the fast reader reads rather than declines: every one with at least one
    entry, except where tomli-w writes a list of numbers as ``[[...numbers]]`` tables (a label too
    long for an inline table), which it leaves to the full path."""
    return b"\n[[entries]]\n" in data and b".numbers]]\n" not in data


@SETTINGS
@given(ledgers())
def test_any_saved_ledger_reads_the_same_or_is_declined(ledger: Ledger) -> None:
    """Declining is allowed only outside the shapes the reader knows: a saved ledger in them is read,
    and equal to the full path's reading."""
    data = store.dumps(ledger)
    try:
        fast = fastread.read(data)
    except fastread.Unexpected:
        assert not known_shape(data), "the fast reader declined a saved ledger of a shape it knows"
        return  # the full path reads it (test_roundtrip)
    same(fast, full_path(data))


_FREE_TEXT = re.compile(
    rb'^(?:actor|summary|notes|condition_detail|claimant|quote|prefix|suffix|title|outlet|note) = "', re.MULTILINE
)


def free_text_letters(data: bytes) -> list[int]:
    """Where ``data`` has an ASCII letter inside a free-text value (changing it keeps the file valid)."""
    found: list[int] = []
    for m in _FREE_TEXT.finditer(data):
        found.extend(i for i in range(m.end(), data.index(b"\n", m.end())) if data[i : i + 1].isalpha())
    return found


@SETTINGS
@given(ledgers(), st.data())
def test_a_changed_file_reads_the_same_or_is_declined(ledger: Ledger, data: st.DataObject) -> None:
    """Any edit of the bytes: the fast reader gives exactly the full path's ledger, or declines.
    It never accepts a file the full path refuses, and never declines an edited file that is still
    the canonical form of the ledger it holds (a changed letter in a string, say)."""
    raw = bytearray(store.dumps(ledger))
    letters = free_text_letters(bytes(raw))
    if letters and data.draw(st.booleans()):
        # A letter for a letter in free text: mostly still the canonical form of the ledger it now holds.
        for _ in range(data.draw(st.integers(1, 3))):
            raw[data.draw(st.sampled_from(letters))] = ord(data.draw(st.sampled_from("aqxAQX")))
    else:
        for _ in range(data.draw(st.integers(1, 3))):
            at = data.draw(st.integers(0, len(raw)))
            edit = data.draw(st.sampled_from(["insert", "delete", "replace"]))
            piece = data.draw(
                st.one_of(
                    st.sampled_from(
                        [b"\n", b'"', b"\\", b"#", b" ", b"=", b"[", b"]", b"0", b"-", b"\xff", b"\t", b"x", b"A"]
                    ),
                    st.binary(min_size=1, max_size=3),
                )
            )
            if edit == "insert":
                raw[at:at] = piece
            elif edit == "delete":
                del raw[at : at + len(piece)]
            else:
                raw[at : at + len(piece)] = piece
    changed = bytes(raw)
    try:
        slow: Ledger | None = full_path(changed)
    except store.LedgerError:
        slow = None
    try:
        fast = fastread.read(changed)
    except fastread.Unexpected:
        canonical = slow is not None and known_shape(changed) and store.dumps(slow) == changed
        assert not canonical, "the fast reader declined a file in the canonical form"
        return
    if slow is None:  # pragma: no cover - the property under test
        pytest.fail("the fast reader accepted a file the full path refuses")
    same(fast, slow)


def test_a_late_error_is_reported_with_line_and_column(tmp_path: Path) -> None:
    from bench.synth import dumps, ledger_document

    data = dumps(ledger_document(400, seed=1))
    cut = data.rindex(b"[[entries]]")
    broken = data[:cut] + b"[[entries]]\nid = 'x\n" + data[cut + len(b"[[entries]]\n") :]
    path = tmp_path / "pledges.toml"
    path.write_bytes(broken)
    seen: list[int] = []
    with pytest.raises(store.LedgerError) as caught:
        store.load(path, use_cache=False, on_entries=lambda batch, fraction: seen.append(len(batch)))
    line = broken[:cut].count(b"\n") + 2
    assert any(p.where.startswith(f"line {line}, column ") for p in caught.value.problems)
    assert sum(seen) > 0  # entries were streamed before the problem was found


def test_a_late_model_error_is_reported_with_the_entry_and_field(tmp_path: Path) -> None:
    from bench.synth import dumps, ledger_document

    data = dumps(ledger_document(400, seed=2))
    cut = data.rindex(b'status = "')
    broken = data[:cut] + b'status = "sure"' + data[data.index(b"\n", cut) :]
    path = tmp_path / "pledges.toml"
    path.write_bytes(broken)
    with pytest.raises(store.LedgerError) as caught:
        store.load(path, use_cache=False)
    (problem,) = caught.value.problems
    assert "field evidence" in problem.where and problem.where.endswith(".status")
    assert "'sure' is not allowed" in problem.what
