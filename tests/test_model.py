"""The ledger model: vocabularies, field rules, unknown keys, cross-reference checks."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pledgetui.model import (
    MAX_STRING,
    ActorType,
    Backstop,
    CommitmentType,
    Condition,
    EntryKind,
    Evidence,
    Ledger,
    Pledge,
    Quantity,
    Source,
    Status,
    Vocabulary,
    integrity_problems,
    short_label,
)

VOCABULARIES: dict[type[Vocabulary], str] = {
    CommitmentType: "commitment",
    Status: "status",
    Condition: "conditions",
    Backstop: "us_backstop",
    EntryKind: "kind",
    ActorType: "actor_type",
}


def evidence(**over: Any) -> dict[str, Any]:
    return {"source": "a1", "quote": "we will deploy", "start": 0, "end": 14, **over}


def pledge(**over: Any) -> dict[str, Any]:
    return {
        "id": "uk-ground",
        "actor": "United Kingdom",
        "commitment": "ground_troops",
        "status": "signed",
        "claimant": "Downing Street",
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
        p = Pledge.model_validate(pledge(**{field: value}))
        got = getattr(p, field)
        assert (got[0] if field == "conditions" else got) is member
    bad = ["rumoured"] if field == "conditions" else "rumoured"
    with pytest.raises(ValidationError) as exc:
        Pledge.model_validate(pledge(**{field: bad}))
    assert [t for _, t in error_types(exc)] == ["enum"]


@pytest.mark.parametrize("vocab", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_member_has_a_label(vocab: type[Vocabulary]) -> None:
    labels = [m.label for m in vocab]
    assert all(isinstance(label, str) and label.strip() for label in labels)
    assert len(set(labels)) == len(labels)
    assert all(short_label(m) for m in vocab)


@pytest.mark.parametrize("vocab", VOCABULARIES, ids=lambda v: v.__name__)
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
    assert Status.parse("formally") is Status.SIGNED  # prefix of the label
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
    ranks = [s.strength for s in (Status.DECLINED, Status.CLAIMED, Status.CONSIDERING, Status.SIGNALLED, Status.ANNOUNCED, Status.SIGNED)]
    assert ranks == sorted(set(ranks))


# --------------------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    ("doc", "loc"),
    [
        ({"sources": [], "pledges": [], "sourecs": []}, ("sourecs",)),
        ({"sources": [source(titel="x")]}, ("sources", 0, "titel")),
        ({"pledges": [pledge(staus="signed")]}, ("pledges", 0, "staus")),
        ({"pledges": [pledge(evidence=[evidence(qoute="x")])]}, ("pledges", 0, "evidence", 0, "qoute")),
        ({"pledges": [pledge(numbers=[{"label": "troops", "low": 1, "hi": 2}])]}, ("pledges", 0, "numbers", 0, "hi")),
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
        Evidence(source="a1", quote="x", start=9, end=3)
    assert Evidence(source="a1", quote="x", start=3, end=3).end == 3


def test_evidence_rejects_negative_offsets_and_empty_quote() -> None:
    with pytest.raises(ValidationError):
        Evidence(source="a1", quote="x", start=-1, end=3)
    with pytest.raises(ValidationError):
        Evidence(source="a1", quote="", start=0, end=0)


def test_pledge_needs_evidence() -> None:
    with pytest.raises(ValidationError) as exc:
        Pledge.model_validate(pledge(evidence=[]))
    assert (("evidence",), "too_short") in error_types(exc)


@pytest.mark.parametrize("good", ["uk-ground", "a", "0", "nato.air_2", "x" * 80])
def test_id_pattern_accepts(good: str) -> None:
    assert Pledge.model_validate(pledge(id=good)).id == good


@pytest.mark.parametrize("bad", ["", "UK-ground", "uk ground", "-uk", ".uk", "_uk", "x" * 81, "uk/ground", "ук"])
def test_id_pattern_rejects(bad: str) -> None:
    with pytest.raises(ValidationError):
        Pledge.model_validate(pledge(id=bad))
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
    Pledge.model_validate(pledge(notes="x" * MAX_STRING))
    with pytest.raises(ValidationError) as exc:
        Pledge.model_validate(pledge(notes="x" * (MAX_STRING + 1)))
    assert error_types(exc) == [(("notes",), "string_too_long")]


def test_required_names_cannot_be_empty() -> None:
    with pytest.raises(ValidationError) as exc:
        Pledge.model_validate(pledge(summary="", actor=""))
    assert {loc for loc, _ in error_types(exc)} == {("summary",), ("actor",)}


def test_models_are_frozen() -> None:
    p = Pledge.model_validate(pledge())
    with pytest.raises(ValidationError):
        p.status = Status.DECLINED  # type: ignore[misc]


def test_pledge_helpers() -> None:
    p = Pledge.model_validate(
        pledge(kind="counter_position", evidence=[evidence(source="b"), evidence(source="a1"), evidence(source="b")])
    )
    assert p.is_counter
    assert p.source_ids == ("b", "a1")
    assert not Pledge.model_validate(pledge()).is_counter


# --------------------------------------------------------------------------- integrity


def test_clean_ledger_has_no_integrity_problems() -> None:
    ledger = Ledger.model_validate({"sources": [source()], "pledges": [pledge()]})
    assert integrity_problems(ledger) == []
    assert ledger.source("a1") is ledger.sources[0]
    assert ledger.pledge("uk-ground") is ledger.pledges[0]
    assert ledger.source("nope") is None and ledger.pledge("nope") is None


def test_duplicate_ids_are_integrity_problems() -> None:
    ledger = Ledger.model_validate(
        {"sources": [source(), source(title="again")], "pledges": [pledge(), pledge(actor="again")]}
    )
    problems = integrity_problems(ledger)
    assert ("source a1", "id is used by more than one source") in problems
    assert ("pledge uk-ground", "id is used by more than one pledge") in problems
    assert len(problems) == 2


def test_evidence_naming_unknown_source_is_an_integrity_problem() -> None:
    ledger = Ledger.model_validate(
        {"sources": [source()], "pledges": [pledge(evidence=[evidence(), evidence(source="ghost")])]}
    )
    problems = integrity_problems(ledger)
    assert len(problems) == 1
    where, what = problems[0]
    assert where == "pledge uk-ground evidence 2 source"
    assert "'ghost'" in what


def test_wrong_schema_version_is_an_integrity_problem() -> None:
    problems = integrity_problems(Ledger(schema_version=99))
    assert [where for where, _ in problems] == ["schema_version"]
