"""The three-way merge of ledgers (pledgetui.merge): by source, entry and statement, field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgetui import canonical, ledgerfile
from pledgetui.compare import statement_keys
from pledgetui.merge import WHOLE_ENTRY, WHOLE_SOURCE, _order, _reordered, merge, resolve
from pledgetui.model import Conflict, Entry, Evidence, Ledger, Source, Status, integrity_problems
from tests import strategies as s
from tests.factory import small_ledger

# --------------------------------------------------------------------------- helpers


def with_entry(ledger: Ledger, entry_id: str, **update: Any) -> Ledger:
    entries = tuple(p.model_copy(update=update) if p.id == entry_id else p for p in ledger.entries)
    return ledger.model_copy(update={"entries": entries})


def without_entry(ledger: Ledger, entry_id: str) -> Ledger:
    return ledger.model_copy(update={"entries": tuple(p for p in ledger.entries if p.id != entry_id)})


def with_statement(ledger: Ledger, entry_id: str, index: int, **update: Any) -> Ledger:
    p = ledger.entry(entry_id)
    assert p is not None
    evidence = list(p.evidence)
    evidence[index] = Evidence.model_validate({**evidence[index].model_dump(), **update})
    return with_entry(ledger, entry_id, evidence=tuple(evidence))


def reloads(ledger: Ledger) -> Ledger:
    """The ledger written in the canonical form and read back (it must load)."""
    again = ledgerfile.read(Path("merged.toml"), canonical.dumps(ledger))
    assert again == ledger
    return again


def places(conflicts: tuple[Conflict, ...]) -> set[tuple[Any, ...]]:
    return {(c.entry, c.source, c.statement, c.field) for c in conflicts}


BASE = small_ledger()


# --------------------------------------------------------------------------- the rules, case by case


def test_edits_of_different_entries_merge_cleanly() -> None:
    ours = with_entry(BASE, "uk-ground", summary="ours")
    theirs = with_entry(BASE, "russia-mfa", notes="theirs")
    m = merge(BASE, ours, theirs)
    assert m.clean
    assert m.ledger == with_entry(ours, "russia-mfa", notes="theirs")


def test_edits_of_different_fields_of_one_entry_merge_cleanly() -> None:
    ours = with_entry(BASE, "uk-ground", summary="ours")
    theirs = with_statement(with_entry(BASE, "uk-ground", notes="theirs"), "uk-ground", 0, claimant="Their claimant")
    m = merge(BASE, ours, theirs)
    assert m.clean
    p = m.ledger.entry("uk-ground")
    assert p is not None
    assert (p.summary, p.notes, p.evidence[0].claimant) == ("ours", "theirs", "Their claimant")


def test_an_entry_added_on_one_side_and_another_deleted_on_the_other_merge_cleanly() -> None:
    new = BASE.entries[0].model_copy(update={"id": "new-entry", "summary": "added by them"})
    theirs = BASE.model_copy(update={"entries": (*BASE.entries[:2], new, *BASE.entries[2:])})
    ours = without_entry(BASE, "russia-mfa")
    m = merge(BASE, ours, theirs)
    assert m.clean
    assert [p.id for p in m.ledger.entries] == ["uk-ground", "france-ground", "new-entry", "ireland-ground"]


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = with_entry(without_entry(BASE, "russia-mfa"), "uk-ground", summary="same")
    m = merge(BASE, both, both)
    assert m.clean
    assert m.ledger == both


def test_two_changes_to_one_field_conflict_keep_ours_and_are_recorded_in_a_ledger_that_loads() -> None:
    ours = with_statement(with_entry(BASE, "uk-ground", summary="ours"), "uk-ground", 0, status="announced")
    theirs = with_statement(with_entry(BASE, "uk-ground", summary="theirs"), "uk-ground", 0, status="considering")
    m = merge(BASE, ours, theirs)
    key = BASE.entries[0].evidence[0].key
    assert places(m.conflicts) == {("uk-ground", None, "", "summary"), ("uk-ground", None, key, "status")}
    assert m.ledger.conflicts == m.conflicts
    p = m.ledger.entry("uk-ground")
    assert p is not None and p.summary == "ours" and p.evidence[0].status is Status.ANNOUNCED
    [summary] = [c for c in m.conflicts if c.field == "summary"]
    assert (summary.ours, summary.theirs) == ('"ours"', '"theirs"')
    assert summary.base == '"UK declaration of intent to deploy forces after a peace deal"'
    assert reloads(m.ledger).conflicts == m.conflicts


def test_deleted_on_one_side_and_changed_on_the_other_keeps_the_changed_entry_as_a_conflict() -> None:
    ours = without_entry(BASE, "ireland-ground")
    theirs = with_entry(BASE, "ireland-ground", notes="theirs")
    m = merge(BASE, ours, theirs)
    [c] = m.conflicts
    assert (c.entry, c.field, c.ours) == ("ireland-ground", WHOLE_ENTRY, "")
    assert m.ledger.entry("ireland-ground") == theirs.entry("ireland-ground")
    assert [p.id for p in m.ledger.entries] == [p.id for p in BASE.entries]  # back in its place
    assert resolve(m.ledger, c, "ours") == ours  # picking the deleting side deletes it
    kept = resolve(m.ledger, c, "theirs")
    assert kept.conflicts == () and kept.entry("ireland-ground") == theirs.entry("ireland-ground")


def test_statements_added_on_both_sides_are_all_kept_ours_first() -> None:
    p = BASE.entries[0]
    ev = p.evidence[0]
    mine = ev.model_copy(update={"start": 1, "end": 2, "quote": "m"})
    yours = ev.model_copy(update={"start": 3, "end": 4, "quote": "y"})
    ours = with_entry(BASE, p.id, evidence=(ev, mine))
    theirs = with_entry(BASE, p.id, evidence=(yours, ev))
    m = merge(BASE, ours, theirs)
    assert m.clean
    merged = m.ledger.entry(p.id)
    assert merged is not None
    assert [e.key for e in merged.evidence] == [yours.key, ev.key, mine.key]  # theirs' before its successor


def test_a_source_deleted_on_one_side_and_cited_on_the_other_is_kept_as_a_conflict() -> None:
    # ours drops source a002 with the entries citing it; theirs edits one of them.
    ours = BASE.model_copy(
        update={
            "sources": tuple(x for x in BASE.sources if x.id != "a002"),
            "entries": tuple(p for p in BASE.entries if p.id not in ("uk-ground", "france-ground")),
        }
    )
    theirs = with_entry(BASE, "uk-ground", notes="still here")
    m = merge(BASE, ours, theirs)
    assert not integrity_problems(m.ledger)
    assert places(m.conflicts) == {("uk-ground", None, "", WHOLE_ENTRY), (None, "a002", "", WHOLE_SOURCE)}
    assert [x.id for x in m.ledger.sources] == ["a002", "a003"]
    reloads(m.ledger)
    [source] = [c for c in m.conflicts if c.source == "a002"]
    with pytest.raises(ValueError, match="a002"):
        resolve(m.ledger, source, "ours")  # uk-ground still cites it


def test_statements_all_deleted_between_the_sides_keep_ours_as_a_conflict() -> None:
    p = BASE.entries[0]
    ev = p.evidence[0]
    other = ev.model_copy(update={"start": 1, "end": 2, "quote": "o"})
    base = with_entry(BASE, p.id, evidence=(ev, other))
    ours = with_entry(BASE, p.id, evidence=(other,))
    theirs = with_entry(BASE, p.id, evidence=(ev,))
    m = merge(base, ours, theirs)
    assert places(m.conflicts) == {(p.id, None, "", "evidence")}
    merged = m.ledger.entry(p.id)
    assert merged is not None and merged.evidence == (other,)
    reloads(m.ledger)


def test_resolve_picks_a_side_for_a_field_and_removes_the_conflict() -> None:
    ours = with_statement(with_entry(BASE, "uk-ground", summary="ours"), "uk-ground", 0, conditions=("peace_deal",))
    theirs = with_statement(with_entry(BASE, "uk-ground", summary="theirs"), "uk-ground", 0, conditions=())
    m = merge(BASE, ours, theirs)
    summary, conditions = sorted(m.conflicts, key=lambda c: c.field != "summary")
    done = resolve(resolve(m.ledger, summary, "theirs"), conditions, "theirs")
    assert done == with_entry(theirs, "uk-ground", summary="theirs")
    assert done.conflicts == ()
    with pytest.raises(ValueError, match="no such conflict"):
        resolve(done, summary, "ours")
    base_again = resolve(m.ledger, summary, "base")
    assert base_again.entries[0].summary == BASE.entries[0].summary


@pytest.mark.parametrize(
    ("theirs", "why"),
    [
        ("[" * 19000, "not valid JSON (nested too deep)"),
        ("{", "not valid JSON (Expecting property name"),
        ("1" * 5000, "not valid JSON (Exceeds the limit"),
        ("12", "summary: Input should be a valid string"),
    ],
    ids=["deep", "broken", "huge-number", "wrong-type"],
)
def test_a_side_that_cannot_be_read_as_a_value_is_refused_in_one_line(theirs: str, why: str) -> None:
    """The conflict's values are text from the file, hand-edited or planted."""
    m = merge(BASE, with_entry(BASE, "uk-ground", summary="ours"), with_entry(BASE, "uk-ground", summary="x"))
    c = m.ledger.conflicts[0].model_copy(update={"theirs": theirs})
    ledger = m.ledger.model_copy(update={"conflicts": (c,)})
    with pytest.raises(ValueError) as raised:
        resolve(ledger, c, "theirs")
    message = str(raised.value)
    assert "entry uk-ground" in message and "theirs" in message and why in message
    assert "\n" not in message and "pydantic" not in message


def test_conflicts_recorded_before_are_kept_unless_a_side_settled_them() -> None:
    ours = with_entry(BASE, "uk-ground", summary="ours")
    theirs = with_entry(BASE, "uk-ground", summary="theirs")
    first = merge(BASE, ours, theirs).ledger
    [c] = first.conflicts
    settled = resolve(first, c, "theirs")
    other = with_entry(first, "russia-mfa", notes="edited meanwhile")
    # One side settled it, the other did something else: settled.
    assert merge(first, settled, other).ledger.conflicts == ()
    assert merge(first, other, settled).ledger.conflicts == ()
    # Nobody settled it: still recorded.
    assert merge(first, other, first).ledger.conflicts == (c,)


def test_an_entry_added_on_both_sides_differently_conflicts_field_by_field() -> None:
    new = BASE.entries[0].model_copy(update={"id": "twice"})
    ours = BASE.model_copy(update={"entries": (*BASE.entries, new.model_copy(update={"notes": "a"}))})
    theirs = BASE.model_copy(update={"entries": (*BASE.entries, new.model_copy(update={"notes": "b"}))})
    m = merge(BASE, ours, theirs)
    [c] = m.conflicts
    assert (c.entry, c.field, c.base, c.ours, c.theirs) == ("twice", "notes", "", '"a"', '"b"')


# --------------------------------------------------------------------------- properties


@st.composite
def edited(draw: st.DrawFn, base: Ledger) -> Ledger:
    """``base`` after a few random edits: fields of entries, statements and sources changed (to
    a small set of values, so that two sides often meet), entries and statements added and
    deleted, unused sources deleted."""
    sources = list(base.sources)
    entries = list(base.entries)
    source_ids = [x.id for x in sources]
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["field", "statement", "add", "delete", "add-st", "del-st", "source", "del-src"]))
        if op == "add" and source_ids:
            taken = {p.id for p in entries}
            eid = draw(s.ident.filter(lambda i, taken=taken: i not in taken))
            at = draw(st.integers(0, len(entries)))
            entries.insert(at, draw(s.pledges(eid, source_ids)))
        elif op == "source" and sources:
            i = draw(st.integers(0, len(sources) - 1))
            sources[i] = sources[i].model_copy(update={"title": draw(st.sampled_from(["T1", "T2"]))})
        elif op == "del-src" and sources:
            cited = {ev.source for p in entries for ev in p.evidence}
            unused = [x for x in sources if x.id not in cited]
            if unused:
                gone = draw(st.sampled_from(unused))
                sources = [x for x in sources if x.id != gone.id]
                source_ids = [x.id for x in sources]
        elif not entries:
            continue
        else:
            i = draw(st.integers(0, len(entries) - 1))
            p = entries[i]
            if op == "field":
                name = draw(st.sampled_from(["summary", "notes", "actor"]))
                entries[i] = p.model_copy(update={name: draw(st.sampled_from(["A", "B", "C"]))})
            elif op == "delete":
                del entries[i]
            elif op == "statement":
                j = draw(st.integers(0, len(p.evidence) - 1))
                ev = p.evidence[j].model_copy(update={"claimant": draw(st.sampled_from(["X", "Y"]))})
                entries[i] = p.model_copy(update={"evidence": (*p.evidence[:j], ev, *p.evidence[j + 1 :])})
            elif op == "add-st" and source_ids:
                ev = draw(s.evidences(source_ids))
                at = draw(st.integers(0, len(p.evidence)))
                entries[i] = p.model_copy(update={"evidence": (*p.evidence[:at], ev, *p.evidence[at:])})
            elif op == "del-st" and len(p.evidence) > 1:
                j = draw(st.integers(0, len(p.evidence) - 1))
                entries[i] = p.model_copy(update={"evidence": p.evidence[:j] + p.evidence[j + 1 :]})
    return Ledger(sources=tuple(sources), entries=tuple(entries))


@st.composite
def triples(draw: st.DrawFn) -> tuple[Ledger, Ledger, Ledger]:
    base = draw(s.ledgers())
    return base, draw(edited(base)), draw(edited(base))


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(triples())
def test_merging_with_an_unchanged_side_or_the_same_change_gives_that_change(t: tuple[Ledger, Ledger, Ledger]) -> None:
    base, x, _ = t
    for m in (merge(base, x, base), merge(base, base, x), merge(base, x, x)):
        assert m.clean
        assert m.ledger == x


def flat(ledger: Ledger) -> dict[tuple[str, str, str, str], Any]:
    """Every field of the ledger by (kind, id, statement key, field)."""
    out: dict[tuple[str, str, str, str], Any] = {}
    for x in ledger.sources:
        out.update({("source", x.id, "", f): getattr(x, f) for f in Source.model_fields})
    for p in ledger.entries:
        out.update({("entry", p.id, "", f): getattr(p, f) for f in Entry.model_fields if f != "evidence"})
        for key, ev in zip(statement_keys(p.evidence), p.evidence, strict=True):
            out.update({("entry", p.id, key, f): getattr(ev, f) for f in Evidence.model_fields})
    return out


def in_conflict(place: tuple[str, str, str, str], conflicts: tuple[Conflict, ...]) -> bool:
    kind, rid, key, field = place
    for c in conflicts:
        if (c.source if kind == "source" else c.entry) != rid:
            continue
        if c.field in (WHOLE_ENTRY, WHOLE_SOURCE, "evidence") or (
            c.statement == key and (c.field in (field, "(statement)"))
        ):
            return True
    return False


@PROPERTY
@given(triples())
def test_merge_is_symmetric_up_to_which_side_wins_a_conflict(t: tuple[Ledger, Ledger, Ledger]) -> None:
    base, x, y = t
    xy, yx = merge(base, x, y), merge(base, y, x)
    swapped = {(c.entry, c.source, c.statement, c.field, c.base, c.theirs, c.ours) for c in yx.conflicts}
    assert {(c.entry, c.source, c.statement, c.field, c.base, c.ours, c.theirs) for c in xy.conflicts} == swapped
    assert not integrity_problems(xy.ledger)
    a, b, mine = flat(xy.ledger), flat(yx.ledger), flat(x)
    # Where the sides conflict each result keeps its ours (an entry's whole evidence, too).
    settled = {k for k in a if not in_conflict(k, xy.conflicts)}
    assert settled == {k for k in b if not in_conflict(k, yx.conflicts)}
    for place in settled:
        assert a[place] == b[place], place
    for c in xy.conflicts:  # a field conflict keeps ours
        if c.field not in (WHOLE_ENTRY, WHOLE_SOURCE, "(statement)", "evidence"):
            kind = "entry" if c.entry is not None else "source"
            rid = c.entry if c.entry is not None else c.source
            assert a[(kind, str(rid), c.statement, c.field)] == mine[(kind, str(rid), c.statement, c.field)]


# --------------------------------------------------------------------------- saves a line merge can live with


def changed_lines(old: bytes, new: bytes) -> list[tuple[int, int]]:
    """The line ranges of ``old`` that ``new`` replaces (an insertion: an empty range)."""
    import difflib

    a, b = old.decode().splitlines(), new.decode().splitlines()
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(i1, i2) for tag, i1, i2, _, _ in ops if tag != "equal"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s.ledgers().filter(lambda led: len(led.entries) >= 2), st.data())
def test_edits_of_two_entries_change_disjoint_lines_and_saves_are_byte_stable(
    tmp_path_factory: pytest.TempPathFactory, base: Ledger, data: st.DataObject
) -> None:
    from pledgetui.store import load, save

    folder = tmp_path_factory.mktemp("saves")
    i, j = data.draw(st.lists(st.integers(0, len(base.entries) - 1), min_size=2, max_size=2, unique=True))
    first, second = base.entries[i].id, base.entries[j].id
    path = folder / "l.toml"
    save(base, path, backup=False)
    saved = path.read_bytes()
    save(load(path, use_cache=False).ledger, path, backup=False)
    assert path.read_bytes() == saved  # saving again is byte-identical
    one = with_entry(base, first, notes="edited one", summary="edited one")
    two = with_statement(base, second, 0, claimant="edited two")
    save(one, path, backup=False)
    a = changed_lines(saved, path.read_bytes())
    save(two, path, backup=False)
    b = changed_lines(saved, path.read_bytes())
    assert a and b
    # Apart, with an unchanged line between them: a line merge would take both.
    for lo1, hi1 in a:
        for lo2, hi2 in b:
            assert hi1 < lo2 or hi2 < lo1, (a, b)


def test_recorded_conflicts_survive_the_fast_reader_and_the_cache(tmp_path: Path) -> None:
    """A large ledger with conflicts: read by the fast path, cached, and read back from the cache."""
    from bench.synth import write_ledger
    from pledgetui import cache, fastread, store

    path = write_ledger(tmp_path / "big" / "pledges.toml", store.CACHE_MIN_ENTRIES + 10, seed=5)
    big = store.load(path, use_cache=False).ledger
    first, second = big.entries[0].id, big.entries[1].id
    ours = with_entry(with_entry(big, first, summary="ours \u202e"), second, notes="x")
    theirs = with_entry(with_entry(big, first, summary="theirs"), second, notes="y")
    merged = merge(big, ours, theirs).ledger
    assert len(merged.conflicts) == 2
    data = canonical.dumps(merged)
    assert fastread.read(data) == merged  # the fast path carries the head's conflicts
    path.write_bytes(data)
    loaded = store.load(path)  # parsed, then written to the cache
    assert cache.cache_path(loaded.fingerprint.sha256).is_file()
    stages: list[str] = []
    again = store.load(path, progress=lambda stage, fraction: stages.append(stage))
    assert "parsing" not in stages  # from the cache
    assert again.ledger == merged
    assert again.ledger.conflicts == merged.conflicts


def _order_by_inserts(base: list[str], ours: list[str], theirs: list[str], kept: set[str]) -> list[str]:
    """The order rule written the plain way (a list insert after each key's predecessor)."""
    first, second = (theirs, ours) if _reordered(base, theirs) and not _reordered(base, ours) else (ours, theirs)
    out = [k for k in first if k in kept]
    placed = set(out)
    prev = None
    for k in second:
        if k in kept and k not in placed:
            out.insert(0 if prev is None else out.index(prev) + 1, k)
            placed.add(k)
        if k in placed:
            prev = k
    out += [k for k in base if k in kept and k not in placed]
    return out


_keys = st.lists(st.sampled_from("abcdefghij"), unique=True, max_size=10)


@given(_keys, _keys, _keys, st.sets(st.sampled_from("abcdefghij")))
def test_the_order_of_merged_records_follows_the_rule(
    base: list[str], ours: list[str], theirs: list[str], kept: set[str]
) -> None:
    assert _order(base, ours, theirs, kept) == _order_by_inserts(base, ours, theirs, kept)


def test_ordering_many_records_added_on_both_sides() -> None:
    """Two sides that each added tens of thousands of entries (an import, a split ledger joined
    again) are placed by the rule; how the time grows with their number is measured by
    ``python -m bench.merge_order`` (a list insert per key once made this take minutes)."""
    n = 60_000
    ours = [f"o{i}" for i in range(n)]
    theirs = [k for i in range(n) for k in (f"o{i}", f"t{i}")]
    assert _order([], ours, theirs, set(ours) | set(theirs)) == theirs


def test_a_conflict_on_a_field_records_do_not_have_is_refused_as_such() -> None:
    m = merge(BASE, with_entry(BASE, "uk-ground", summary="ours"), with_entry(BASE, "uk-ground", summary="x"))
    c = m.ledger.conflicts[0].model_copy(update={"field": "colour"})
    with pytest.raises(ValueError, match=r"^picking theirs for entry uk-ground colour: no such field$"):
        resolve(m.ledger.model_copy(update={"conflicts": (c,)}), c, "theirs")
