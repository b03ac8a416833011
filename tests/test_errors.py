"""One formatter for validation errors: a ledger file's problems and a form's (field, message) pairs."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pledgetui import errors
from pledgetui.model import Entry, Ledger
from tests.factory import small_ledger


def ledger_doc() -> dict[str, Any]:
    return small_ledger().model_dump(mode="json")


def validation_error(model: type, data: Any) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        model.model_validate(data)
    return exc.value


def test_field_path_counts_positions_from_one() -> None:
    assert errors.field_path(("evidence", 1, "quote")) == "evidence[2].quote"
    assert errors.field_path(("numbers", 0)) == "numbers[1]"
    assert errors.field_path(()) == ""


def test_a_ledger_problem_names_the_entry_by_id_and_the_field() -> None:
    doc = ledger_doc()
    doc["entries"][0]["evidence"][0]["status"] = "promised"
    exc = validation_error(Ledger, doc)
    [(where, what)] = errors.ledger_problems(doc, exc)
    assert where == "entry 'uk-ground' field evidence[1].status"
    assert what.startswith("'promised' is not allowed; choose one of ")


def test_an_entry_without_a_usable_id_is_named_by_its_position() -> None:
    doc = ledger_doc()
    del doc["entries"][2]["id"]
    exc = validation_error(Ledger, doc)
    assert errors.ledger_problems(doc, exc) == [("entry #3 field id", "is required but missing")]


def test_an_unknown_key_is_named_in_a_ledger_and_in_a_form() -> None:
    doc = ledger_doc()
    doc["sources"][1]["titel"] = "typo"
    exc = validation_error(Ledger, doc)
    [(where, what)] = errors.ledger_problems(doc, exc)
    assert where == "source 'a003' field titel"
    assert what == "unknown key 'titel' (not part of the ledger format; check the spelling)"

    data = small_ledger().entries[0].model_dump(mode="json") | {"colour": "red"}
    assert errors.form_problems(validation_error(Entry, data)) == [("colour", "is not a field of an entry")]


def test_form_messages_are_short_and_fields_take_a_prefix() -> None:
    data = small_ledger().entries[0].model_dump(mode="json")
    data["id"] = "Not An Id"
    del data["actor"]
    data["evidence"][0]["quote"] = ""
    problems = dict(errors.form_problems(validation_error(Entry, data)))
    assert problems["id"] == errors.ID_PATTERN_WORDS
    assert problems["actor"] == "is required"
    assert problems["evidence[1].quote"] == "must not be empty"
    evidence = data["evidence"][0]
    assert errors.form_problems(
        validation_error(type(small_ledger().entries[0].evidence[0]), evidence), "evidence[4]"
    ) == [("evidence[4].quote", "must not be empty")]


def test_an_empty_list_error_echoed_by_its_only_item_is_dropped() -> None:
    """A list whose only item fails also fails its length check; only the item's problem is named."""
    doc = ledger_doc()
    doc["entries"][1]["evidence"] = [{"source": "a002"}]
    exc = validation_error(Ledger, doc)
    assert any(e["type"] == "too_short" for e in exc.errors())  # the echo is there to drop
    found = errors.ledger_problems(doc, exc)
    assert found and all(where.startswith("entry 'france-ground' field evidence[1].") for where, _ in found)
    assert all(name != "evidence" for name, _ in errors.form_problems(validation_error(Entry, doc["entries"][1])))


def test_the_same_problem_is_reported_once_and_can_be_relocated() -> None:
    doc = ledger_doc()
    doc["entries"][0]["evidence"].append(dict(doc["entries"][0]["evidence"][0], status="promised"))
    doc["entries"][0]["evidence"][0]["status"] = "promised"
    exc = validation_error(Ledger, doc)
    assert sum(1 for e in exc.errors() if e["type"] == "enum") == 2
    moved = errors.ledger_problems(doc, exc, relocate=lambda loc: (*loc[:2], "status"))
    assert [where for where, _ in moved] == ["entry 'uk-ground' field status"]


def test_the_two_shapes_word_the_same_error_for_their_readers() -> None:
    data = small_ledger().entries[0].model_dump(mode="json")
    data["summary"] = "x" * 100_000
    exc = validation_error(Entry, data)
    [(field, message)] = errors.form_problems(exc)
    assert field == "summary" and message.startswith("is longer than the limit of ")
    [(where, what)] = errors.ledger_problems({"entries": [data]}, exc)
    assert where == "field summary" and what == message
