"""Read older ledger files: schema version 1 to version 2.

Version 1 kept one ``status``, ``claimant`` and ``date_stated`` per entry.
Version 2 keeps the stance with each statement (docs/coding.md). A version 1
entry's reading is copied to each of its statements so that the derived status
and claimant are unchanged: every statement takes the entry's claimant, status
and date, and is first party and on the record (``statement``), except in an
entry that was ``claimed``, whose statements are third-party reports. Nothing
is dropped. One reading can change: an entry with no date that quotes a dated
article now shows the article's date (version 2 lets the article's date stand
in for a statement's).

The migration works on the parsed document, before validation, so that errors
in a version 1 file are still reported with their entry id and field.
"""

from __future__ import annotations

from typing import Any

from pledgetui.model import SCHEMA_VERSION

_ENTRY_KEYS = ("status", "claimant", "date_stated")
#: A statement's field -> the version 1 entry field it was copied from (for error messages).
MIGRATED_FIELDS = {"status": "status", "claimant": "claimant", "stated": "date_stated"}


def migrate(doc: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """``(document in the current version, the version it was migrated from or None)``.

    A document of the current version, of an unknown version or of an unexpected
    shape is returned unchanged (validation reports what is wrong with it)."""
    version = doc.get("schema_version")
    if version != 1 or type(version) is not int:
        return doc, None
    pledges = doc.get("entries")
    if not isinstance(pledges, list):
        return {**doc, "schema_version": SCHEMA_VERSION}, 1
    return {**doc, "schema_version": SCHEMA_VERSION, "entries": [_entry(p) for p in pledges]}, 1


def migrate_entry(entry: Any) -> Any:
    """One entry as a version 2 dict: a version 1 entry (with an entry-level ``status``, as
    a journal written by an older pledgetui records it) is migrated; anything else is
    returned unchanged."""
    if isinstance(entry, dict) and any(key in entry for key in _ENTRY_KEYS):
        return _entry(entry)
    return entry


def _entry(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    evidence = entry.get("evidence")
    if not isinstance(evidence, list) or not evidence:
        return entry  # nothing to carry the stance: left in place, so validation reports it
    entry = dict(entry)
    stance = {key: entry.pop(key) for key in _ENTRY_KEYS if key in entry}
    entry["evidence"] = [_statement(ev, stance) for ev in evidence]
    return entry


def _statement(ev: Any, stance: dict[str, Any]) -> Any:
    if not isinstance(ev, dict):
        return ev
    claimed = stance.get("status") == "claimed"
    out: dict[str, Any] = {"source": ev.get("source")} if "source" in ev else {}
    if "claimant" in stance:
        out["claimant"] = stance["claimant"]
    out["party"] = "third_party" if claimed else "first_party"
    out["basis"] = "report" if claimed else "statement"
    if "status" in stance:
        out["status"] = stance["status"]
    if "date_stated" in stance:
        out["stated"] = stance["date_stated"]
    out.update({k: v for k, v in ev.items() if k != "source"})
    return out
