"""The canonical-form reader against the full path (TOML parser + pydantic): same ledger, or it declines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgetui import canonical, fastread, ledgerfile, store
from pledgetui.model import Ledger
from tests.factory import small_ledger
from tests.strategies import ledgers

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def full_path(data: bytes) -> Ledger:
    path = Path("<ledger>")
    return ledgerfile.validate_document(path, ledgerfile.parse_document(path, data))


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
            assert e.relayed_by == f.relayed_by
    assert canonical.dumps(a) == canonical.dumps(b)


def test_the_small_ledger_is_read_by_the_fast_reader() -> None:
    data = canonical.dumps(small_ledger())
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
    assert canonical.dumps(bare) == canonical.dumps(full) == data
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
    data = canonical.dumps(ledger)
    try:
        fast = fastread.read(data)
    except fastread.Unexpected:
        assert not known_shape(data), "the fast reader declined a saved ledger of a shape it knows"
        return  # the full path reads it (test_roundtrip)
    same(fast, full_path(data))


def test_the_fast_path_reads_at_least_nine_in_ten_saved_ledgers() -> None:
    """How often the fast path is taken, not only that it agrees when it is: of the saved ledgers
    with entries that the strategies draw (every field, hostile strings), at least 90% are read
    by the fast reader (the rest: lists of numbers written as tables, which it leaves to the full
    path), each equal to the full path's reading. A ledger without entries is all head: the full
    parser reads it."""
    counts = {"read": 0, "declined": 0, "no entries": 0}

    @settings(SETTINGS, max_examples=200, derandomize=True, database=None)
    @given(ledgers())
    def one(ledger: Ledger) -> None:
        data = canonical.dumps(ledger)
        try:
            fast = fastread.read(data)
        except fastread.Unexpected:
            counts["declined" if ledger.entries else "no entries"] += 1
            return
        counts["read"] += 1
        same(fast, full_path(data))

    one()
    with_entries = counts["read"] + counts["declined"]
    assert with_entries >= 50, counts
    assert counts["read"] / with_entries >= 0.9, counts


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
    raw = bytearray(canonical.dumps(ledger))
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
    except ledgerfile.LedgerError:
        slow = None
    try:
        fast = fastread.read(changed)
    except fastread.Unexpected:
        in_canonical_form = slow is not None and known_shape(changed) and canonical.dumps(slow) == changed
        assert not in_canonical_form, "the fast reader declined a file in the canonical form"
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
    with pytest.raises(ledgerfile.LedgerError) as caught:
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
    with pytest.raises(ledgerfile.LedgerError) as caught:
        store.load(path, use_cache=False)
    (problem,) = caught.value.problems
    assert "field evidence" in problem.where and problem.where.endswith(".status")
    assert "'sure' is not allowed" in problem.what


def test_a_relayed_statement_reads_the_same_by_both_readers_and_the_cache() -> None:
    """``relayed_by`` (after ``basis``): the fast reader, the full parser, the canonical writer
    and the cache agree on it, present and absent."""
    from pledgetui import cache

    ledger = small_ledger()
    p = ledger.entries[0]
    relayed = p.evidence[0].model_copy(update={"relayed_by": 'a002 author, "via BBC"'})
    p = p.model_copy(update={"evidence": (relayed, *p.evidence[1:])})
    ledger = ledger.model_copy(update={"entries": (p, *ledger.entries[1:])})
    data = canonical.dumps(ledger)
    assert b'\nbasis = "statement"\nrelayed_by = "a002 author, \\"via BBC\\""\nstatus = ' in data
    assert data.count(b"relayed_by") == 1  # absent where empty
    fast = fastread.read(data)
    same(fast, full_path(data))
    assert fast.entries[0].evidence[0].relayed_by == 'a002 author, "via BBC"'
    assert "relayed_by" in fast.entries[0].evidence[0].model_fields_set
    back = cache.decode(cache.encode(fast, "0" * 64, b"k" * 32), "0" * 64, b"k" * 32)
    assert back == fast
    assert [e.relayed_by for q in back.entries for e in q.evidence] == [
        e.relayed_by for q in fast.entries for e in q.evidence
    ]


def test_a_version_2_file_without_relays_still_loads_with_no_statement_relayed() -> None:
    data = canonical.dumps(small_ledger())
    assert b"relayed_by" not in data
    for ledger in (fastread.read(data), full_path(data)):
        assert all(e.relayed_by == "" for p in ledger.entries for e in p.evidence)
        assert all("relayed_by" not in e.model_fields_set for p in ledger.entries for e in p.evidence)


def test_an_empty_relay_reads_the_same_and_an_overlong_one_is_refused_by_both() -> None:
    data = canonical.dumps(small_ledger())
    empty = data.replace(b'basis = "statement"\n', b'basis = "statement"\nrelayed_by = ""\n', 1)
    same(fastread.read(empty), full_path(empty))
    assert full_path(empty) == small_ledger()
    long = data.replace(b'basis = "statement"\n', b'basis = "statement"\nrelayed_by = "' + b"x" * 501 + b'"\n', 1)
    with pytest.raises(fastread.Unexpected):
        fastread.read(long)
    with pytest.raises(ledgerfile.LedgerError):
        full_path(long)


def test_a_relay_equal_to_a_claimant_is_still_held_to_its_own_limit() -> None:
    """Names are decoded once and shared; a shared one is checked against each field's limit
    (here the schema's relay limit lowered below the claimant's length, in a fresh interpreter)."""
    from tests.patched import run

    ledger = small_ledger()
    p = ledger.entries[0]
    ev = p.evidence[0]
    relayed = ev.model_copy(update={"relayed_by": ev.claimant})
    ledger = ledger.model_copy(update={"entries": (p.model_copy(update={"evidence": (relayed,)}),)})
    data = canonical.dumps(ledger)
    assert fastread.read(data) == ledger
    script = """
from pledgetui import fastread
try:
    fastread.read(DATA.encode("utf-8"))
    print('"read"')
except fastread.Unexpected:
    print('"declined"')
"""
    limit = f"MAX_RELAY = {len(ev.claimant) - 1}\n"
    assert run([("pledgetui.schema", "MAX_RELAY = MAX_NAME\n", limit)], script, data.decode("utf-8")) == "declined"
    assert run([], script, data.decode("utf-8")) == "read"


def test_the_partisan_sources_found_in_the_text_are_those_of_the_read_ledger() -> None:
    from bench.synth import dumps, ledger_document
    from pledgetui.paths import bundled_ledger
    from pledgetui.review import partisan_sources

    for data in (bundled_ledger().read_bytes(), dumps(ledger_document(300, seed=6))):
        _, pos = fastread.read_head(data)
        found = fastread.partisan_sources(data, pos)
        assert found == partisan_sources(fastread.read(data).entries)
    assert fastread.partisan_sources(bundled_ledger().read_bytes(), 0) == {"a002", "a004"}
