"""The compact records: plain objects on the paths that load and show a ledger, pydantic only at
the edges (the full parser, edits, journal replay, imports), and the pydantic API the program
uses of them behaving as pydantic's did."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synth import write_ledger as synth_ledger
from pledgetui import canonical, fastread, journal, model, schema, store
from pledgetui.model import Conflict, Entry, Evidence, Ledger, Quantity, Source, Status
from pledgetui.session import EditSession
from pledgetui.validation import TWINS
from tests.factory import REPO, restance, small_ledger, write_ledger
from tests.strategies import ledgers

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Loads a canonical ledger (the fast reader), a large one twice (the second time from the cache)
#: and starts the dashboard up to its first rows, noting after each whether pydantic was imported.
QUIET = r"""
import asyncio, json, sys
from pathlib import Path
from pledgetui import store

small, big = Path(sys.argv[1]), Path(sys.argv[2])
seen = {}
seen["fast"] = (len(store.load(small).ledger.entries), "pydantic" in sys.modules)
store.load(big)
stages = []
cached = store.load(big, progress=lambda stage, fraction: stages.append(stage))
seen["cache"] = ("parsing" not in stages and len(cached.ledger.entries), "pydantic" in sys.modules)

from pledgetui.ui.app import PledgeApp

async def main():
    app = PledgeApp(small)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        return len(app.dashboard.visible_entries())

seen["dashboard"] = (asyncio.run(main()), "pydantic" in sys.modules)
print(json.dumps(seen))
"""

#: One thing that validates, in a fresh interpreter: it imports pydantic, and works.
EDGES = {
    "edit": (
        "from pledgetui.session import EditSession\n"
        "from pledgetui.model import Status\n"
        "from tests.factory import restance\n"
        "session = EditSession.open(path)\n"
        "assert 'pydantic' not in sys.modules, 'opening'\n"
        "session.put_entry(restance(session.ledger.entry('uk-ground'), status=Status.DECLINED))\n"
        "result = session.ledger.entry('uk-ground').status.value\n"
        "session.close()\n"
    ),
    "full parser": (
        "from pledgetui import store\n"
        "path.write_bytes(path.read_bytes() + b'# a comment the fast reader declines\\n')\n"
        "result = len(store.load(path, use_cache=False).ledger.entries)\n"
    ),
    "journal replay": (
        "from pledgetui import journal\nresult = journal.recover(path).entry('uk-ground').status.value\n"
    ),
}
EDGE = "import json, sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\n{body}print(json.dumps([result, 'pydantic' in sys.modules]))\n"


def _run(code: str, *args: Path) -> object:
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_loading_and_showing_a_canonical_ledger_never_imports_pydantic(tmp_path: Path) -> None:
    small = write_ledger(tmp_path / "small")
    big = synth_ledger(tmp_path / "big" / "pledges.toml", store.CACHE_MIN_ENTRIES + 10, seed=5)
    seen = _run(QUIET, small, big)
    n = len(small_ledger().entries)
    assert seen == {
        "fast": [n, False],
        "cache": [store.CACHE_MIN_ENTRIES + 10, False],
        "dashboard": [n, False],
    }


@pytest.mark.parametrize("edge", list(EDGES))
def test_what_validates_imports_pydantic_and_works(tmp_path: Path, edge: str) -> None:
    path = write_ledger(tmp_path / "ledger")
    if edge == "journal replay":
        session = EditSession.open(path)
        session.put_entry(restance(session.ledger.entry("uk-ground"), status=Status.DECLINED))
        session.close()  # as a killed process would: the journal stays
    result = _run(EDGE.format(body=EDGES[edge]), path)
    expected = len(small_ledger().entries) if edge == "full parser" else "declined"
    assert result == [expected, True]
    if edge == "journal replay":
        assert journal.recover(path).entry("uk-ground").status is Status.DECLINED


# --------------------------------------------------------------------------- the record classes


def test_records_are_slotted_immutable_values() -> None:
    ledger = small_ledger()
    p = ledger.entries[0]
    for obj in (ledger, p, p.evidence[0], ledger.sources[0]):
        assert not hasattr(obj, "__dict__")
        with pytest.raises(AttributeError, match="immutable"):
            obj.__setattr__(type(obj)._names[0], None)
    twin = Entry._make(*(getattr(p, n) for n in Entry._names))
    assert twin == p and hash(twin) == hash(p) and twin is not p
    assert twin.stance_dates is None and p.stance_dates is not None  # the kept reading is not compared
    assert p.model_copy(update={"notes": "other"}) != p
    assert p != p.evidence[0] and p != "x"
    assert len({p, twin, p.model_copy()}) == 1
    assert repr(p.numbers[0] if p.numbers else Quantity.model_construct(label="n", low=1)).startswith("Quantity(label=")


def test_copies_and_pickles_are_equal() -> None:
    ledger = small_ledger()
    for obj in (ledger, ledger.entries[0], ledger.sources[0]):
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert copy.deepcopy(obj) == obj and copy.copy(obj) == obj
    deep = ledger.model_copy(deep=True)
    assert deep == ledger and deep.entries[0] is not ledger.entries[0]
    assert [p.stance for p in deep.entries] == [p.stance for p in ledger.entries]
    assert [p.stance_dates for p in deep.entries] == [p.stance_dates for p in ledger.entries]
    assert [p.stance for p in copy.deepcopy(ledger).entries] == [p.stance for p in ledger.entries]
    p = ledger.entries[0]
    assert p.model_copy(deep=True).stance_dates == p.stance_dates is not None  # its reading comes along


def test_construction_validates_and_trusted_copies_do_not() -> None:
    from pydantic import ValidationError

    ev = small_ledger().entries[0].evidence[0]
    with pytest.raises(ValidationError, match="1 validation error for Evidence"):
        Evidence(**{**ev.model_dump(), "end": -1})
    with pytest.raises(ValidationError, match="validation error for Source"):
        Source.model_validate({"id": "Not An Id", "file": "a.txt", "title": "t"})
    assert Evidence(**ev.model_dump()) == ev
    assert ev.model_copy(update={"end": -1}).end == -1  # model_copy trusts its values, as pydantic's does
    # record objects inside the data are taken as they are (as pydantic takes a model instance)
    p = small_ledger().entries[0]
    again = Entry.model_validate({**p.model_dump(), "evidence": p.evidence})
    assert again == p and again.evidence[0] is p.evidence[0]


@SETTINGS
@given(ledgers())
def test_dumps_are_pydantics(ledger: Ledger) -> None:
    """``model_dump`` gives what the pydantic twin's gave, in every mode the program uses."""
    twin = TWINS["ledger"].model_validate(ledger.model_dump())
    for kwargs in ({}, {"mode": "json"}, {"mode": "json", "exclude_defaults": True}, {"exclude_none": True}):
        assert ledger.model_dump(**kwargs) == twin.model_dump(**kwargs), kwargs  # type: ignore[arg-type]
    assert Ledger.model_validate(ledger.model_dump(mode="json")) == ledger
    assert canonical.dumps(Ledger.model_validate(ledger.model_dump())) == canonical.dumps(ledger)


def test_the_fields_set_is_what_a_file_states() -> None:
    ev = small_ledger().entries[0].evidence[0]
    assert "relayed_by" not in ev.model_fields_set and "quote" in ev.model_fields_set
    assert "relayed_by" in ev.model_copy(update={"relayed_by": "via BBC"}).model_fields_set
    assert "conditions" in ev.model_copy(update={"conditions": ()}).model_fields_set  # kept empty: "unconditional"
    assert "conditions" not in ev.model_copy(update={"conditions": None}).model_fields_set


def test_the_classes_hold_the_schemas_fields_in_order() -> None:
    from pledgetui import records, schema

    assert records.agrees() == []
    for name, cls in records.MODELS.items():
        assert cls._names == schema.RECORDS[name].names == tuple(cls.model_fields)
    assert model.Entry._extra == ("_stance",) and model.Ledger._extra == ("_by_id",)


# --------------------------------------------------------------------------- the fast reader's head

#: Values a head's keys may hold in a file: right, wrong in type, at and past the limits.
_SAMPLES: list[object] = [
    "a001",
    "a001\n",
    "A001",
    "",
    "x",
    "x" * schema.MAX_NAME,
    "x" * (schema.MAX_NAME + 1),
    "x" * (schema.MAX_STRING + 1),
    "file.txt",
    "-file.txt",
    "2026-01-07",
    "first_party",
    True,
    0,
    2,
    -1,
    1.5,
    None,
    [],
    ["a001"],
    dt.date(2026, 1, 7),
    dt.datetime(2026, 1, 7, 12, 0),
    {"id": "a001"},
]
_VALUES = st.sampled_from(_SAMPLES) | st.text(max_size=8)


#: A valid table of each record the head holds.
_VALID: dict[str, dict[str, object]] = {
    "source": {"id": "a001", "file": "a.txt", "title": "T", "date": dt.date(2026, 1, 7), "outlet": "o", "note": "n"},
    "conflict": {"entry": "e1", "statement": "a001@0-1", "field": "actor", "ours": '"x"'},
}
_GONE = object()


@st.composite
def _tables(draw: st.DrawFn, record: schema.Record) -> dict[str, object]:
    """A valid table of ``record`` with a key or two changed to one of :data:`_VALUES`, removed, or added."""
    table = dict(_VALID[record.name])
    for key, value in draw(
        st.lists(st.tuples(st.sampled_from([*record.names, "colour"]), _VALUES | st.just(_GONE)), max_size=2)
    ):
        if value is _GONE:
            table.pop(key, None)
        else:
            table[key] = value
    return table


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_fast_readers_head_check_never_accepts_what_validation_refuses(data: st.DataObject) -> None:
    """The head (sources, conflicts) is checked without pydantic: what it accepts, pydantic
    accepts and reads the same; anything else it declines (the full path then reports it)."""
    cls: type[Source] | type[Conflict] = data.draw(st.sampled_from([Source, Conflict]))
    _same_or_declined(cls, data.draw(_tables(cls._record)))


def _same_or_declined(cls: type[Source] | type[Conflict], table: dict[str, object]) -> bool:
    """Whether the head check declines ``table`` (else it must read it as validation does)."""
    from pydantic import ValidationError

    try:
        validated = cls.model_validate(table)
    except ValidationError:
        validated = None
    try:
        checked = fastread._checked(cls, table)
    except fastread.Unexpected:
        return True
    assert checked == validated, table
    return False


def test_the_fast_readers_head_check_on_each_key_changed_alone() -> None:
    accepted = 0
    for cls in (Source, Conflict):
        record = cls._record
        for key in (*record.names, "colour"):
            for value in (*_SAMPLES, _GONE):
                table = {k: v for k, v in _VALID[record.name].items() if k != key or value is not _GONE}
                if value is not _GONE:
                    table[key] = value
                accepted += not _same_or_declined(cls, table)
    assert accepted > 20  # the check reads what it should, not only declines


def test_the_fast_readers_head_check_accepts_the_ledgers_own_head() -> None:
    ledger = small_ledger()
    doc = {"schema_version": 2, "sources": [s.model_dump(exclude_none=True) for s in ledger.sources]}
    assert fastread._checked(Ledger, doc).sources == ledger.sources
