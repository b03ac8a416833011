"""The ledger model: vocabularies, field rules, unknown keys, cross-reference checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from pledgetui.model import (
    MAX_AMOUNT,
    MAX_OFFSET,
    MAX_STRING,
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    Entry,
    EntryKind,
    Evidence,
    Ledger,
    Party,
    Quantity,
    Source,
    Status,
    Vocabulary,
    integrity_problems,
    short_label,
)

#: Entry-level vocabularies (a field of a pledge).
VOCABULARIES: dict[type[Vocabulary], str] = {
    CommitmentType: "commitment",
    Condition: "conditions",
    Backstop: "us_backstop",
    EntryKind: "kind",
    ActorType: "actor_type",
}
#: Statement-level vocabularies (a field of an evidence item): the stance lives with each statement.
STATEMENT_VOCABULARIES: dict[type[Vocabulary], str] = {
    Status: "status",
    Party: "party",
    Basis: "basis",
}


def evidence(**over: Any) -> dict[str, Any]:
    return {
        "source": "a1",
        "claimant": "Downing Street",
        "party": "first_party",
        "basis": "statement",
        "status": "signed",
        "quote": "we will deploy",
        "start": 0,
        "end": 14,
        **over,
    }


def pledge(**over: Any) -> dict[str, Any]:
    return {
        "id": "uk-ground",
        "actor": "United Kingdom",
        "commitment": "ground_troops",
        "summary": "UK declaration of intent",
        "evidence": [evidence()],
        **over,
    }


def source(**over: Any) -> dict[str, Any]:
    return {"id": "a1", "file": "a1.txt", "title": "An article", **over}


def error_types(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[tuple[Any, ...], str]]:
    return [(tuple(e["loc"]), e["type"]) for e in exc.value.errors()]


# --------------------------------------------------------------------------- vocabularies


@pytest.mark.parametrize("vocab", VOCABULARIES, ids=lambda v: v.__name__)
def test_vocabulary_accepts_every_member_and_rejects_unknown(vocab: type[Vocabulary]) -> None:
    field = VOCABULARIES[vocab]
    for member in vocab:
        value = [member.value] if field == "conditions" else member.value
        p = Entry.model_validate(pledge(**{field: value}))
        got = getattr(p, field)
        assert (got[0] if field == "conditions" else got) is member
    bad = ["rumoured"] if field == "conditions" else "rumoured"
    with pytest.raises(ValidationError) as exc:
        Entry.model_validate(pledge(**{field: bad}))
    assert [t for _, t in error_types(exc)] == ["enum"]


@pytest.mark.parametrize("vocab", STATEMENT_VOCABULARIES, ids=lambda v: v.__name__)
def test_statement_vocabulary_accepts_every_member_and_rejects_unknown(vocab: type[Vocabulary]) -> None:
    field = STATEMENT_VOCABULARIES[vocab]
    for member in vocab:
        p = Entry.model_validate(pledge(evidence=[evidence(**{field: member.value})]))
        assert getattr(p.evidence[0], field) is member
    with pytest.raises(ValidationError) as exc:
        Evidence.model_validate(evidence(**{field: "rumoured"}))
    assert error_types(exc) == [((field,), "enum")]


@pytest.mark.parametrize("field", ["status", "claimant", "date_stated"])
def test_entry_level_stance_is_not_a_field(field: str) -> None:
    """Version 1 kept the stance on the entry; now it is derived, so such a key is refused."""
    with pytest.raises(ValidationError) as exc:
        Entry.model_validate(pledge(**{field: "2026-01-01" if field == "date_stated" else "signed"}))
    assert error_types(exc) == [((field,), "extra_forbidden")]


@pytest.mark.parametrize("field", ["claimant", "party", "basis", "status"])
def test_statement_stance_is_required(field: str) -> None:
    data = evidence()
    del data[field]
    with pytest.raises(ValidationError) as exc:
        Evidence.model_validate(data)
    assert error_types(exc) == [((field,), "missing")]


def test_copy_with_entry_status_does_not_change_the_derived_status() -> None:
    """The trap the schema change sets: ``model_copy`` does not validate, so an entry-level
    ``status`` update is silently ignored; the stance must be changed on the statements."""
    p = Entry.model_validate(pledge())
    assert p.status is Status.SIGNED
    assert p.model_copy(update={"status": Status.DECLINED}).status is Status.SIGNED
    declined = p.model_copy(update={"evidence": (p.evidence[0].model_copy(update={"status": Status.DECLINED}),)})
    assert declined.status is Status.DECLINED
    assert p.status is Status.SIGNED  # the original keeps its own reading


@pytest.mark.parametrize("vocab", [*VOCABULARIES, *STATEMENT_VOCABULARIES], ids=lambda v: v.__name__)
def test_every_member_has_a_label(vocab: type[Vocabulary]) -> None:
    labels = [m.label for m in vocab]
    assert all(isinstance(label, str) and label.strip() for label in labels)
    assert len(set(labels)) == len(labels)
    assert all(short_label(m) for m in vocab)


@pytest.mark.parametrize("vocab", [*VOCABULARIES, *STATEMENT_VOCABULARIES], ids=lambda v: v.__name__)
def test_parse_accepts_value_and_label_of_every_member(vocab: type[Vocabulary]) -> None:
    for member in vocab:
        assert vocab.parse(member.value) is member
        assert vocab.parse(member.label) is member
        assert vocab.parse(member.label.upper()) is member
        assert vocab.parse(f"  {member.value.replace('_', ' ')}  ") is member


def test_parse_accepts_unique_prefixes() -> None:
    assert Status.parse("signe") is Status.SIGNED
    assert Status.parse("signa") is Status.SIGNALLED
    assert Status.parse("decl") is Status.DECLINED
    assert Status.parse("under") is Status.CONSIDERING  # prefix of the label
    assert CommitmentType.parse("ground") is CommitmentType.GROUND_TROOPS
    assert Condition.parse("us role") is Condition.US_ROLE_CLARITY
    assert Backstop.parse("not-req") is Backstop.NOT_REQUIRED
    assert EntryKind.parse("counter") is EntryKind.COUNTER_POSITION


@pytest.mark.parametrize(
    ("vocab", "text"),
    [(Status, "s"), (Status, "c"), (Condition, "us"), (CommitmentType, "m"), (Backstop, ""), (ActorType, "co")],
)
def test_parse_rejects_ambiguous_prefix(vocab: type[Vocabulary], text: str) -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        vocab.parse(text)


def test_parse_rejects_unknown_word() -> None:
    with pytest.raises(ValueError, match="'rumoured' is not a Status"):
        Status.parse("rumoured")


def test_status_strength_orders_declined_lowest() -> None:
    ranks = [
        s.strength
        for s in (
            Status.DECLINED,
            Status.CLAIMED,
            Status.CONSIDERING,
            Status.SIGNALLED,
            Status.ANNOUNCED,
            Status.SIGNED,
        )
    ]
    assert ranks == sorted(set(ranks))


# --------------------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    ("doc", "loc"),
    [
        ({"sources": [], "entries": [], "sourecs": []}, ("sourecs",)),
        ({"sources": [source(titel="x")]}, ("sources", 0, "titel")),
        ({"entries": [pledge(staus="signed")]}, ("entries", 0, "staus")),
        ({"entries": [pledge(evidence=[evidence(qoute="x")])]}, ("entries", 0, "evidence", 0, "qoute")),
        ({"entries": [pledge(numbers=[{"label": "troops", "low": 1, "hi": 2}])]}, ("entries", 0, "numbers", 0, "hi")),
    ],
    ids=["ledger", "source", "pledge", "evidence", "quantity"],
)
def test_unknown_keys_are_rejected_at_every_level(doc: dict[str, Any], loc: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as exc:
        Ledger.model_validate(doc)
    assert (loc, "extra_forbidden") in error_types(exc)


# --------------------------------------------------------------------------- field rules


def test_quantity_needs_low_or_high() -> None:
    with pytest.raises(ValidationError, match="at least one of low and high"):
        Quantity(label="troops")
    assert str(Quantity(label="troops", low=20_000)) == "troops: 20,000"
    assert str(Quantity(label="troops", high=50_000)) == "troops: 50,000"
    assert str(Quantity(label="troops", low=20_000, high=50_000)) == "troops: 20,000 to 50,000"
    assert str(Quantity(label="troops", low=7, high=7)) == "troops: 7"


def test_quantity_high_below_low_is_rejected() -> None:
    with pytest.raises(ValidationError, match=r"high \(2\) is below low \(5\)"):
        Quantity(label="troops", low=5, high=2)


def test_quantity_rejects_negative_numbers() -> None:
    with pytest.raises(ValidationError):
        Quantity(label="troops", low=-1)


def test_evidence_end_before_start_is_rejected() -> None:
    with pytest.raises(ValidationError, match="end offset 3 is before start offset 9"):
        Evidence.model_validate(evidence(quote="x", start=9, end=3))
    assert Evidence.model_validate(evidence(quote="x", start=3, end=3)).end == 3


def test_evidence_rejects_negative_offsets_and_empty_quote() -> None:
    assert Evidence.model_validate(evidence(quote="x", start=0, end=3)).start == 0
    with pytest.raises(ValidationError) as exc:
        Evidence.model_validate(evidence(quote="x", start=-1, end=3))
    assert error_types(exc) == [(("start",), "greater_than_equal")]
    with pytest.raises(ValidationError) as exc:
        Evidence.model_validate(evidence(quote="", start=0, end=0))
    assert error_types(exc) == [(("quote",), "string_too_short")]


@pytest.mark.parametrize("bad", [True, "3", 3.0, MAX_OFFSET + 1])
def test_offsets_are_plain_bounded_integers(bad: Any) -> None:
    assert Evidence.model_validate(evidence(start=0, end=MAX_OFFSET)).end == MAX_OFFSET
    with pytest.raises(ValidationError) as exc:
        Evidence.model_validate(evidence(start=0, end=bad))
    assert [loc for loc, _ in error_types(exc)] == [("end",)]


@pytest.mark.parametrize("bad", [True, "4", 4.0, MAX_AMOUNT + 1, -1])
def test_amounts_are_plain_bounded_integers(bad: Any) -> None:
    assert Quantity(label="troops", low=0, high=MAX_AMOUNT).high == MAX_AMOUNT
    with pytest.raises(ValidationError) as exc:
        Quantity.model_validate({"label": "troops", "low": bad})
    assert [loc for loc, _ in error_types(exc)] == [("low",)]


@pytest.mark.parametrize("good", ["2026-01-08", dt.date(2026, 1, 8)])
def test_dates_accept_a_date_or_an_iso_day(good: Any) -> None:
    assert Evidence.model_validate(evidence(stated=good)).stated == dt.date(2026, 1, 8)
    assert Source.model_validate(source(date=good)).date == dt.date(2026, 1, 8)


@pytest.mark.parametrize(
    "bad", [dt.datetime(2026, 1, 8, 12, 0), 20260108, True, "2026-1-8", "2026-01-08T00:00", "08/01/2026", "2026-02-30"]
)
def test_dates_reject_anything_but_a_day(bad: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        Evidence.model_validate(evidence(stated=bad))
    assert [loc for loc, _ in error_types(exc)] == [("stated",)]
    with pytest.raises(ValidationError) as exc:
        Source.model_validate(source(date=bad))
    assert [loc for loc, _ in error_types(exc)] == [("date",)]


def test_pledge_needs_evidence() -> None:
    with pytest.raises(ValidationError) as exc:
        Entry.model_validate(pledge(evidence=[]))
    assert (("evidence",), "too_short") in error_types(exc)


@pytest.mark.parametrize("good", ["uk-ground", "a", "0", "nato.air_2", "x" * 80])
def test_id_pattern_accepts(good: str) -> None:
    assert Entry.model_validate(pledge(id=good)).id == good


@pytest.mark.parametrize("bad", ["", "UK-ground", "uk ground", "-uk", ".uk", "_uk", "x" * 81, "uk/ground", "ук"])
def test_id_pattern_rejects(bad: str) -> None:
    with pytest.raises(ValidationError):
        Entry.model_validate(pledge(id=bad))
    with pytest.raises(ValidationError):
        Source.model_validate(source(id=bad))
    with pytest.raises(ValidationError):
        Evidence.model_validate(evidence(source=bad))


@pytest.mark.parametrize("good", ["a1.txt", "002_d2b1ebf0ff0347cc.txt", "Article-1.TXT"])
def test_source_file_accepts_bare_names(good: str) -> None:
    assert Source.model_validate(source(file=good)).file == good


@pytest.mark.parametrize(
    "bad", ["seeds/a1.txt", "../a1.txt", "..", ".hidden", "/etc/passwd", "a\\b.txt", "", "a b.txt", "a1.txt\n"]
)
def test_source_file_must_be_a_bare_file_name(bad: str) -> None:
    with pytest.raises(ValidationError):
        Source.model_validate(source(file=bad))


def test_string_length_limit() -> None:
    Entry.model_validate(pledge(notes="x" * MAX_STRING))
    with pytest.raises(ValidationError) as exc:
        Entry.model_validate(pledge(notes="x" * (MAX_STRING + 1)))
    assert error_types(exc) == [(("notes",), "string_too_long")]


def test_required_names_cannot_be_empty() -> None:
    with pytest.raises(ValidationError) as exc:
        Entry.model_validate(pledge(summary="", actor=""))
    assert {loc for loc, _ in error_types(exc)} == {("summary",), ("actor",)}


def test_models_are_frozen() -> None:
    p = Entry.model_validate(pledge())
    with pytest.raises(AttributeError, match="immutable"):
        p.actor = "France"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        p.evidence[0].status = Status.DECLINED  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del p.actor
    assert p.actor == "United Kingdom" and p.status is Status.SIGNED


def test_pledge_helpers() -> None:
    p = Entry.model_validate(
        pledge(kind="counter_position", evidence=[evidence(source="b"), evidence(source="a1"), evidence(source="b")])
    )
    assert p.is_counter
    assert p.source_ids == ("b", "a1")
    assert not Entry.model_validate(pledge()).is_counter


# --------------------------------------------------------------------------- integrity


def test_clean_ledger_has_no_integrity_problems() -> None:
    ledger = Ledger.model_validate({"sources": [source()], "entries": [pledge()]})
    assert integrity_problems(ledger) == []
    assert ledger.source("a1") is ledger.sources[0]
    assert ledger.entry("uk-ground") is ledger.entries[0]
    assert ledger.source("nope") is None and ledger.entry("nope") is None


def test_duplicate_ids_are_integrity_problems() -> None:
    ledger = Ledger.model_validate(
        {"sources": [source(), source(title="again")], "entries": [pledge(), pledge(actor="again")]}
    )
    problems = integrity_problems(ledger)
    assert ("source a1", "id is used by more than one source") in problems
    assert ("entry uk-ground", "id is used by more than one entry") in problems
    assert len(problems) == 2


def test_evidence_naming_unknown_source_is_an_integrity_problem() -> None:
    ledger = Ledger.model_validate(
        {"sources": [source()], "entries": [pledge(evidence=[evidence(), evidence(source="ghost")])]}
    )
    problems = integrity_problems(ledger)
    assert len(problems) == 1
    where, what = problems[0]
    assert where == "entry uk-ground evidence 2 source"
    assert "'ghost'" in what


def test_wrong_schema_version_is_an_integrity_problem() -> None:
    problems = integrity_problems(Ledger(schema_version=99))
    assert [where for where, _ in problems] == ["schema_version"]


@pytest.mark.parametrize("vocab", [CommitmentType, Status, Condition, Backstop], ids=lambda v: v.__name__)
def test_a_table_cell_never_reads_as_a_raw_value(vocab: type[Vocabulary]) -> None:
    """The table's short labels are written as the detail pane writes its labels: a
    lower-case ``other`` in a row beside "Other" in the pane reads as the raw value."""
    for member in vocab:
        short = short_label(member)
        assert short != member.value
        assert short[0].isupper() == member.label[0].isupper(), (short, member.label)
