"""The undo history keeps steps, not ledgers: what an edit changed, and nothing else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pledgetui import edits
from pledgetui.edits import History, step, take
from pledgetui.model import Ledger, Source
from tests.strategies import ledgers, pledges


def _wide(n: int) -> Ledger:
    """A ledger of ``n`` entries that share one statement list (cheap to build)."""
    one = Ledger.model_validate(
        {
            "sources": [{"id": "a1", "file": "a1.txt", "title": "A"}],
            "entries": [
                {
                    "id": "e0",
                    "actor": "France",
                    "commitment": "ground_troops",
                    "summary": "s",
                    "evidence": [
                        {
                            "source": "a1",
                            "claimant": "Macron",
                            "party": "first_party",
                            "basis": "statement",
                            "status": "signalled",
                            "quote": "q",
                            "start": 0,
                            "end": 1,
                        }
                    ],
                }
            ],
        }
    )
    template = one.entries[0]
    entries = tuple(template.model_copy(update={"id": f"e{i}"}) for i in range(n))
    return one.model_copy(update={"entries": entries})


def test_an_undo_step_holds_only_the_entry_an_edit_changed() -> None:
    ledger = _wide(5000)
    history = History(ledger)
    changed = ledger.entries[2500].model_copy(update={"summary": "changed"})
    history.apply("edit", edits.put_entry(ledger, changed))
    history.apply("delete", edits.delete_entry(history.ledger, "e10"))
    history.apply("add", edits.put_entry(history.ledger, changed.model_copy(update={"id": "new"})))
    held = [len(s.middle) for _, s in history.undo_stack]
    assert held == [1, 1, 0]
    assert all(s.fields == () for _, s in history.undo_stack)  # the sources were not copied either
    history.undo()
    history.undo()
    history.undo()
    assert history.ledger == ledger
    assert [len(s.middle) for _, s in history.redo_stack] == [1, 0, 1]  # add, delete, edit
    history.redo()
    assert history.ledger.entry("new") is None and history.ledger.entry("e10") is not None
    assert history.ledger.entry("e2500") == changed


@st.composite
def edit_runs(draw: st.DrawFn) -> tuple[Ledger, list[Ledger]]:
    """A ledger and the ledgers a run of edits leads through (entries replaced, added, deleted,
    reordered, the sources changed)."""
    ledger = draw(ledgers())
    run = []
    current = ledger
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        entries = list(current.entries)
        choice = draw(st.sampled_from(["put", "delete", "add", "reverse", "sources"]))
        source_ids = [s.id for s in current.sources]
        if choice == "put" and entries:
            i = draw(st.integers(min_value=0, max_value=len(entries) - 1))
            entries[i] = draw(pledges(entries[i].id, source_ids))
        elif choice == "delete" and entries:
            del entries[draw(st.integers(min_value=0, max_value=len(entries) - 1))]
        elif choice == "add":
            new_id = f"new-{len(run)}"
            entries.insert(draw(st.integers(min_value=0, max_value=len(entries))), draw(pledges(new_id, source_ids)))
        elif choice == "reverse":
            entries.reverse()
        else:
            s = current.sources[0]
            sources = (Source(id=s.id, file=s.file, title=s.title + " (edited)", date=None), *current.sources[1:])
            current = current.model_copy(update={"sources": sources})
        current = current.model_copy(update={"entries": tuple(entries)})
        run.append(current)
    return ledger, run


@given(edit_runs(), st.data())
@settings(max_examples=60, deadline=None)
def test_undo_and_redo_lead_through_the_same_ledgers(case: tuple[Ledger, list[Ledger]], data: st.DataObject) -> None:
    start, run = case
    history = History(start)
    for i, ledger in enumerate(run):
        history.apply(f"edit {i}", ledger)
    seen = [start, *run]
    at = len(run)
    for _ in range(data.draw(st.integers(min_value=1, max_value=12))):
        direction = data.draw(st.sampled_from(["undo", "redo"]))
        stack = history.undo_stack if direction == "undo" else history.redo_stack
        if not stack:
            continue
        _description, target = history.target(direction)
        getattr(history, direction)()
        at += -1 if direction == "undo" else 1
        assert history.ledger == seen[at] == target
        assert history.ledger.source_dates() == seen[at].source_dates()
        # the derived readings follow the ledger's own article dates
        for entry in history.ledger.entries:
            assert entry.stance == seen[at].entry(entry.id).stance  # type: ignore[union-attr]


@given(ledgers(), ledgers())
@settings(max_examples=60, deadline=None)
def test_a_step_leads_from_one_ledger_to_the_other_and_back(a: Ledger, b: Ledger) -> None:
    there, back = take(a, step(a, b))
    assert there == b
    assert take(there, back)[0] == a
