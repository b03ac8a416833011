"""Export core: row builders, CSV/JSON/Markdown writers, formula guard, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgetui import __version__
from pledgetui.export import (
    ENTRY_COLUMNS,
    EVIDENCE_COLUMNS,
    entry_rows,
    evidence_rows,
    export_view,
    md_cell,
    write_export,
)
from pledgetui.filesave import SaveError
from pledgetui.model import (
    SCHEMA_VERSION,
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
)
from tests.factory import REPO, pledge, restance, small_ledger

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"


def _formula_at(text: str, i: int) -> bool:
    """A spreadsheet cell starting at ``i`` opens a formula: spaces, controls, invisible characters
    and double quotes skipped, then = + - @ or a minus sign, in any width."""
    while i < len(text) and (text[i].isspace() or text[i] == '"' or unicodedata.category(text[i]) in ("Cc", "Cf")):
        i += 1
    return i < len(text) and unicodedata.normalize("NFKC", text[i])[:1] in ("=", "+", "-", "@", "\u2212")


def guarded(value: object) -> str:
    """What a CSV cell should hold for ``value`` with the guard on (written independently of the code):
    a ' in front when the cell opens a formula, and after every , ; tab or line break that one follows."""
    if not isinstance(value, str):
        return str(value)
    out = ["'"] if value[:1] in (*TRIGGERS, "\x00") or _formula_at(value, 0) else []
    for i, ch in enumerate(value):
        out.append(ch)
        if ch in ",;\t\r\n" and _formula_at(value, i + 1):
            out.append("'")
    return "".join(out)


def read_csv(data: bytes, encoding: str = "utf-8") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline="")))


def md_split(row: str) -> list[str]:
    """Split a GFM table row on unescaped pipes (a backslash escapes the next character)."""
    assert row.startswith("| ") and row.endswith(" |"), row
    cells, cur, i, body = [], "", 0, row[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur += body[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    cells.append(cur)
    return [c.strip() for c in cells]


def md_unescape(cell: str) -> str:
    out, i = "", 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            out += cell[i + 1]
            i += 2
        else:
            out += cell[i]
            i += 1
    return out.replace("&lt;", "<").replace("&amp;", "&")


# --------------------------------------------------------------------------- rows


def test_column_names_are_stable() -> None:
    assert ENTRY_COLUMNS == (
        "id", "kind", "country", "actor_type", "commitment_type", "status", "conditions",
        "condition_detail", "us_backstop", "claimant", "claimant_relayed_by", "claimants", "numbers", "date_stated",
        "date_by", "summary",
        "notes", "sources", "source_files", "quote_count",
    )  # fmt: skip
    assert EVIDENCE_COLUMNS == (
        "id", "kind", "country", "commitment_type", "entry_status", "entry_claimant", "summary",
        "evidence_index", "claimant", "party", "basis", "relayed_by", "status", "stated", "statement_conditions",
        "source", "source_file", "source_title", "source_date",
        "quote", "start", "end", "prefix", "suffix",
    )  # fmt: skip
    ledger = small_ledger()
    assert all(tuple(r) == ENTRY_COLUMNS for r in entry_rows(ledger, ledger.entries))
    assert all(tuple(r) == EVIDENCE_COLUMNS for r in evidence_rows(ledger, ledger.entries))


def test_pledge_rows_use_vocabulary_values_and_joins() -> None:
    ledger = small_ledger()
    extra = pledge(
        id="pl-num", actor="Польща", commitment="logistics_medical_demining", status="announced",
        conditions=["ceasefire", "us_backstop"], us_backstop="required", claimant="Minister",
        numbers=[Quantity(label="troops", low=20000, high=50000), Quantity(label="jets", low=4)],
        date_stated="2026-01-06", summary="Logistics hub", notes="n",
        evidence=[ledger.entries[0].evidence[0], ledger.entries[2].evidence[0], ledger.entries[0].evidence[0]],
    )  # fmt: skip
    ledger = ledger.model_copy(update={"entries": (*ledger.entries, extra)})
    rows = {r["id"]: r for r in entry_rows(ledger, ledger.entries)}
    uk = rows["uk-ground"]
    assert uk["kind"] == "pledge"
    assert uk["country"] == "United Kingdom"
    assert uk["commitment_type"] == "ground_troops"
    assert uk["status"] == "signed"
    assert uk["conditions"] == "peace_deal; legal_framework"
    assert uk["us_backstop"] == "unknown"
    assert (uk["date_stated"], uk["date_by"]) == ("", "")  # undated article, no stated day
    # a003 is dated: its date bounds the statement, which states no day of its own
    assert (rows["russia-mfa"]["date_stated"], rows["russia-mfa"]["date_by"]) == ("", "2026-01-08")
    assert (uk["claimant"], uk["claimants"]) == ("Downing Street statement", "Downing Street statement")
    assert uk["sources"] == "a002"
    assert uk["source_files"] == "002_d2b1ebf0ff0347cc.txt"
    assert uk["quote_count"] == 1
    assert rows["russia-mfa"]["kind"] == "counter_position"
    pl = rows["pl-num"]
    assert pl["numbers"] == "troops: 20,000 to 50,000; jets: 4"
    assert (pl["date_stated"], pl["date_by"]) == ("2026-01-06", "2026-01-06")
    assert (pl["status"], pl["claimant"]) == ("announced", "Minister")
    assert pl["conditions"] == "ceasefire; us_backstop"
    assert pl["sources"] == "a002; a003"  # each source once, in quote order
    assert pl["source_files"] == "002_d2b1ebf0ff0347cc.txt; 003_9047b5abc4c43ace.txt"
    assert pl["quote_count"] == 3


def test_pledge_rows_carry_the_derived_reading_and_every_claimant() -> None:
    ledger = small_ledger()
    base = ledger.entry("uk-ground")
    third = Evidence.model_validate(
        {
            **base.evidence[0].model_dump(),
            "claimant": "Reporter",
            "party": "third_party",
            "basis": "report",
            "status": "claimed",
        }
    )
    mixed = base.model_copy(update={"id": "uk-mixed", "evidence": (third, base.evidence[0])})
    ledger = ledger.model_copy(update={"entries": (*ledger.entries, mixed)})
    row = {r["id"]: r for r in entry_rows(ledger, ledger.entries)}["uk-mixed"]
    # The first-party statement decides the entry; both claimants are listed in statement order.
    assert (row["status"], row["claimant"]) == ("signed", "Downing Street statement")
    assert row["claimants"] == "Reporter; Downing Street statement"
    evidence = [r for r in evidence_rows(ledger, ledger.entries) if r["id"] == "uk-mixed"]
    assert [(r["entry_status"], r["entry_claimant"]) for r in evidence] == [("signed", "Downing Street statement")] * 2
    assert [(r["claimant"], r["party"], r["basis"], r["status"]) for r in evidence] == [
        ("Reporter", "third_party", "report", "claimed"),
        ("Downing Street statement", "first_party", "statement", "signed"),
    ]


def test_evidence_rows_one_per_quote_with_source_details() -> None:
    ledger = small_ledger()
    rows = evidence_rows(ledger, ledger.entries)
    assert len(rows) == sum(len(p.evidence) for p in ledger.entries)
    ire = next(r for r in rows if r["id"] == "ireland-ground")
    ev = ledger.entry("ireland-ground").evidence[0]
    assert ire["evidence_index"] == 1
    assert (ire["source"], ire["source_file"], ire["source_title"], ire["source_date"]) == (
        "a003", "003_9047b5abc4c43ace.txt", "After the Summit", "2026-01-08",
    )  # fmt: skip
    assert (ire["quote"], ire["start"], ire["end"], ire["prefix"], ire["suffix"]) == (
        ev.quote, ev.start, ev.end, ev.prefix, ev.suffix,
    )  # fmt: skip
    assert next(r for r in rows if r["id"] == "russia-mfa")["kind"] == "counter_position"


def _relayed_ledger() -> Ledger:
    ledger = small_ledger()
    uk = ledger.entry("uk-ground")
    relayed = uk.evidence[0].model_copy(update={"relayed_by": "a002 author"})
    uk = uk.model_copy(update={"evidence": (relayed, *uk.evidence[1:])})
    return ledger.model_copy(update={"entries": tuple(uk if p.id == uk.id else p for p in ledger.entries)})


def test_a_statement_s_relay_is_in_every_evidence_export() -> None:
    ledger = _relayed_ledger()
    rows = evidence_rows(ledger, ledger.entries)
    assert next(r["relayed_by"] for r in rows if r["id"] == "uk-ground") == "a002 author"
    assert all(r["relayed_by"] == "" for r in rows if r["id"] != "uk-ground")
    csv_rows = list(csv.DictReader(io.StringIO(export_view(ledger, ledger.entries, "csv", "evidence").decode())))
    assert next(r["relayed_by"] for r in csv_rows if r["id"] == "uk-ground") == "a002 author"
    statements = json.loads(export_view(ledger, ledger.entries, "json", "evidence"))["statements"]
    assert next(r["relayed_by"] for r in statements if r["id"] == "uk-ground") == "a002 author"
    entries = json.loads(export_view(ledger, ledger.entries, "json", "entries"))["entries"]
    assert next(e for e in entries if e["id"] == "uk-ground")["evidence"][0]["relayed_by"] == "a002 author"
    md = export_view(ledger, ledger.entries, "md", "evidence").decode()
    assert "(relayed by a002 author)" in md
    # the entry rows give the relay of the statement the entry's reading is taken from
    uk = ledger.entry("uk-ground")
    assert uk.stance.index == 0
    rows = {r["id"]: r for r in entry_rows(ledger, ledger.entries)}
    assert rows["uk-ground"]["claimant_relayed_by"] == "a002 author"
    assert all(r["claimant_relayed_by"] == "" for k, r in rows.items() if k != "uk-ground")
    assert next(e for e in entries if e["id"] == "uk-ground")["derived"]["relayed_by"] == "a002 author"
    assert f"{uk.claimant} (relayed by a002 author)" in export_view(ledger, ledger.entries, "md", "entries").decode()


# --------------------------------------------------------------------------- CSV


def test_csv_round_trip_small_ledger() -> None:
    ledger = small_ledger()
    data = export_view(ledger, ledger.entries, "csv", "entries")
    assert data.startswith(b"id,kind,country,")
    assert b"\r\n" in data  # RFC 4180 record separator
    back = read_csv(data)
    expected = [{k: guarded(v) for k, v in r.items()} for r in entry_rows(ledger, ledger.entries)]
    assert back == expected
    ev = read_csv(export_view(ledger, ledger.entries, "csv", "evidence"))
    assert ev == [{k: guarded(v) for k, v in r.items()} for r in evidence_rows(ledger, ledger.entries)]


@pytest.mark.parametrize("lead", TRIGGERS)
def test_formula_guard_each_leading_character(lead: str) -> None:
    ledger = small_ledger()
    p = ledger.entries[0].model_copy(
        update={"actor": f'{lead}HYPERLINK("http://x")', "notes": f"ok {lead} in the middle"}
    )
    ledger = ledger.model_copy(update={"entries": (p,)})
    row = read_csv(export_view(ledger, ledger.entries, "csv", "entries"))[0]
    assert row["country"] == f'\'{lead}HYPERLINK("http://x")'
    assert row["notes"] == f"ok {lead} in the middle"  # only the leading character matters
    raw = read_csv(export_view(ledger, ledger.entries, "csv", "entries", raw=True))[0]
    assert raw["country"] == f'{lead}HYPERLINK("http://x")'


def test_formula_guard_covers_evidence_quotes_not_numbers() -> None:
    ledger = small_ledger()
    ev = Evidence(
        source="a002", quote="=1+1", prefix="-x", suffix="@y", start=0, end=4,
        claimant="+cmd", party="first_party", basis="statement", status="announced",
    )  # fmt: skip
    p = ledger.entries[0].model_copy(update={"evidence": (ev,)})
    ledger = ledger.model_copy(update={"entries": (p,)})
    row = read_csv(export_view(ledger, ledger.entries, "csv", "evidence"))[0]
    assert (row["quote"], row["prefix"], row["suffix"]) == ("'=1+1", "'-x", "'@y")
    assert (row["claimant"], row["entry_claimant"]) == ("'+cmd", "'+cmd")
    assert (row["start"], row["end"], row["evidence_index"]) == ("0", "4", "1")


def test_excel_adds_bom_and_plain_does_not() -> None:
    ledger = small_ledger()
    excel = export_view(ledger, ledger.entries, "csv", "entries", excel=True)
    plain = export_view(ledger, ledger.entries, "csv", "entries")
    assert excel.startswith(BOM.encode("utf-8"))
    assert not plain.startswith(BOM.encode("utf-8"))
    assert excel.decode("utf-8").removeprefix(BOM) == plain.decode("utf-8")


# --------------------------------------------------------------------------- JSON


def test_json_round_trip_small_ledger() -> None:
    ledger = small_ledger()
    data = export_view(ledger, ledger.entries, "json", "entries", query="kind:pledge", sort="-date")
    assert data.endswith(b"}\n")
    assert data == export_view(ledger, ledger.entries, "json", "entries", query="kind:pledge", sort="-date")
    doc = json.loads(data)
    assert list(doc) == ["schema_version", "generated_by", "query", "sort", "rows", "sources", "entries"]
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["generated_by"] == f"pledgetui {__version__}"
    assert (doc["query"], doc["sort"]) == ("kind:pledge", "-date")
    assert list(doc["entries"][0]) == [*Entry.model_fields, "derived"]
    assert [d.pop("derived") for d in doc["entries"]] == [
        {
            "status": p.status.value,
            "claimant": p.claimant,
            "relayed_by": "",
            "date_stated": p.date_stated.isoformat() if p.date_stated else None,
            "date_by": p.date_span.hi.isoformat() if p.date_span.hi else None,
            "statement": p.stance.index + 1,
        }
        for p in ledger.entries
    ]
    assert Ledger.model_validate({"sources": doc["sources"], "entries": doc["entries"]}) == ledger


def test_json_lists_only_the_cited_sources() -> None:
    ledger = small_ledger()
    only_ireland = [ledger.entry("ireland-ground")]
    doc = json.loads(export_view(ledger, only_ireland, "json", "entries"))
    assert [s["id"] for s in doc["sources"]] == ["a003"]
    assert [p["id"] for p in doc["entries"]] == ["ireland-ground"]


def test_json_has_one_shape_whatever_the_rows() -> None:
    ledger = small_ledger()
    by_entry = json.loads(export_view(ledger, ledger.entries, "json", "entries", query="x", sort="-date"))
    by_statement = json.loads(export_view(ledger, ledger.entries, "json", "evidence", query="x", sort="-date"))
    common = ["schema_version", "generated_by", "query", "sort", "rows", "sources"]
    assert list(by_entry) == [*common, "entries"]
    assert list(by_statement) == [*common, "statements"]
    assert {k: by_entry[k] for k in common if k != "rows"} == {k: by_statement[k] for k in common if k != "rows"}
    assert (by_entry["rows"], by_statement["rows"]) == ("entries", "evidence")
    assert (by_statement["query"], by_statement["sort"]) == ("x", "-date")
    assert by_statement["statements"] == evidence_rows(ledger, ledger.entries)
    assert isinstance(by_statement["statements"][0]["start"], int)


def test_json_keeps_non_ascii_literal() -> None:
    ledger = small_ledger()
    p = ledger.entries[0].model_copy(update={"actor": "Україна 🇺🇦"})
    data = export_view(ledger, [p], "json", "entries")
    assert "Україна 🇺🇦".encode() in data


# --------------------------------------------------------------------------- Markdown


def test_markdown_escapes_pipes_and_newlines_and_marks_counters() -> None:
    ledger = small_ledger()
    p = restance(ledger.entries[0].model_copy(update={"summary": "a | b\nc\\|d <b>x</b>"}), claimant="x|y")
    pledges = [p, ledger.entry("russia-mfa")]
    text = export_view(ledger, pledges, "md", "entries", query="country:uk | x").decode()
    lines = text.splitlines()
    assert lines[0].startswith("# ")
    assert "2 entries: 1 pledge, 1 counter-position" in text
    assert "`country:uk | x`" in text
    table = [ln for ln in lines if ln.startswith("| ")]
    header = md_split(table[0])
    rows = [md_split(r) for r in table[1:]]
    assert len(rows) == 2 and all(len(r) == len(header) for r in rows)
    uk = dict(zip(header, rows[0]))
    assert uk["Summary"] == "a \\| b<br>c\\\\\\|d &lt;b>x&lt;/b>"
    assert md_unescape(uk["Summary"].replace("<br>", "\n")) == "a | b\nc\\|d <b>x</b>"
    assert uk["Claimant"] == "x\\|y"
    ru = dict(zip(header, rows[1]))
    assert ru["Kind"].startswith("\u27c2") and "Counter-position" in ru["Kind"]
    assert uk["Kind"] == "Pledge"


def test_markdown_defuses_control_characters() -> None:
    assert md_cell("\x1b]0;pwned\x07") == "\u241b\\]0;pwned\u2407"


def test_markdown_evidence_table() -> None:
    ledger = small_ledger()
    text = export_view(ledger, ledger.entries, "md", "evidence").decode()
    table = [ln for ln in text.splitlines() if ln.startswith("| ")]
    assert len(table) == 1 + sum(len(p.evidence) for p in ledger.entries)
    assert "absolutely unacceptable" in text


def test_unknown_format_and_rows_raise() -> None:
    ledger = small_ledger()
    with pytest.raises(ValueError, match="format"):
        export_view(ledger, ledger.entries, "xlsx", "entries")
    with pytest.raises(ValueError, match="row kind"):
        export_view(ledger, ledger.entries, "csv", "quotes")


# --------------------------------------------------------------------------- property tests

SPECIAL = [*list(",\"';\n\r\t|\\<&=+-@ "), "Київ", "Ґ", "😀", "🇺🇦", "\x00", "\u202e", "\r\n"]
text_parts = st.one_of(st.sampled_from(SPECIAL), st.characters(codec="utf-8"), st.text(max_size=3))
texts = st.lists(text_parts, max_size=8).map("".join)
names = texts.filter(lambda s: 1 <= len(s) <= 500)
idents = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True)
dates = st.none() | st.dates()


@st.composite
def evidences(draw: st.DrawFn, source_ids: list[str]) -> Evidence:
    start = draw(st.integers(0, 10**6))
    conditions = draw(st.none() | st.lists(st.sampled_from(Condition), max_size=3, unique=True))
    return Evidence(
        source=draw(st.sampled_from(source_ids)), claimant=draw(names), party=draw(st.sampled_from(Party)),
        basis=draw(st.sampled_from(Basis)), status=draw(st.sampled_from(Status)), stated=draw(dates),
        conditions=None if conditions is None else tuple(conditions), numbers=tuple(draw(st.lists(quantities(), max_size=1))),
        quote=draw(names), prefix=draw(texts), suffix=draw(texts), start=start, end=start + draw(st.integers(0, 500)),
    )  # fmt: skip


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    low = draw(st.none() | st.integers(0, 10**6))
    high = draw(st.none() | st.integers(low or 0, 10**7)) if low is not None else draw(st.integers(0, 10**7))
    return Quantity(label=draw(names), low=low, high=high)


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    source_ids = draw(st.lists(idents, min_size=1, max_size=3, unique=True))
    sources = tuple(
        Source(
            id=sid,
            file=draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True)),
            title=draw(names),
            date=draw(dates),
            outlet=draw(texts),
            note=draw(texts),
        )
        for sid in source_ids
    )
    pledges = []
    for pid in draw(st.lists(idents, max_size=4, unique=True)):
        pledges.append(
            Entry(
                id=pid,
                kind=draw(st.sampled_from(EntryKind)),
                actor=draw(names),
                actor_type=draw(st.sampled_from(ActorType)),
                commitment=draw(st.sampled_from(CommitmentType)),
                conditions=tuple(draw(st.lists(st.sampled_from(Condition), max_size=3, unique=True))),
                condition_detail=draw(texts),
                us_backstop=draw(st.sampled_from(Backstop)),
                numbers=tuple(draw(st.lists(quantities(), max_size=2))),
                summary=draw(names),
                notes=draw(texts),
                evidence=tuple(draw(st.lists(evidences(source_ids), min_size=1, max_size=3))),
            )
        )
    return Ledger(sources=sources, entries=tuple(pledges))


PROPS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(ledgers())
def test_property_csv_round_trip(ledger: Ledger) -> None:
    for rows, build in (("entries", entry_rows), ("evidence", evidence_rows)):
        expected = build(ledger, ledger.entries)
        back = read_csv(export_view(ledger, ledger.entries, "csv", rows))
        assert back == [{k: guarded(v) for k, v in r.items()} for r in expected]
        raw = read_csv(export_view(ledger, ledger.entries, "csv", rows, raw=True, excel=True), "utf-8-sig")
        assert raw == [{k: str(v) for k, v in r.items()} for r in expected]


@PROPS
@given(ledgers())
def test_property_json_round_trip(ledger: Ledger) -> None:
    doc = json.loads(export_view(ledger, ledger.entries, "json", "entries"))
    cited = {s for p in ledger.entries for s in p.source_ids}
    assert [s["id"] for s in doc["sources"]] == [s.id for s in ledger.sources if s.id in cited]
    derived = [d.pop("derived") for d in doc["entries"]]
    assert [(d["status"], d["claimant"], d["date_stated"]) for d in derived] == [
        (p.status.value, p.claimant, p.date_stated.isoformat() if p.date_stated else None) for p in ledger.entries
    ]
    back = Ledger.model_validate({"sources": doc["sources"], "entries": doc["entries"]})
    assert back.entries == ledger.entries
    assert back.sources == tuple(s for s in ledger.sources if s.id in cited)
    assert json.loads(export_view(ledger, ledger.entries, "json", "evidence"))["statements"] == evidence_rows(
        ledger, ledger.entries
    )


@PROPS
@given(ledgers())
def test_property_markdown_table_shape(ledger: Ledger) -> None:
    for rows in ("entries", "evidence"):
        text = export_view(ledger, ledger.entries, "md", rows).decode()
        table = [ln for ln in text.splitlines() if ln.startswith("|")]
        n = len(ledger.entries) if rows == "entries" else sum(len(p.evidence) for p in ledger.entries)
        assert len(table) == n + 2  # header, rule, one line per row: no cell broke a line
        width = len(md_split(table[0]))
        assert all(len(md_split(r)) == width for r in table[2:])


# --------------------------------------------------------------------------- writing


def test_write_export_file_is_atomic_and_keeps_no_backup(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    write_export(str(target), b"new,data\r\n")
    assert target.read_bytes() == b"new,data\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no .bak, no temp file left


def test_write_export_missing_folder_raises_save_error(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="does not exist; nothing was written"):
        write_export(tmp_path / "nope" / "out.csv", b"x")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write to a read-only folder")
def test_write_export_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "out.csv").write_bytes(b"old")
    folder.chmod(0o500)
    try:
        with pytest.raises(SaveError):
            write_export(folder / "out.csv", b"new")
        assert (folder / "out.csv").read_bytes() == b"old"
    finally:
        folder.chmod(0o700)


def test_write_export_dash_writes_exact_bytes_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    data = BOM.encode() + "a,b\r\n\x1b[2J,Київ\r\n".encode()
    write_export("-", data)
    assert capsysbinary.readouterr().out == data


def test_write_export_to_a_terminal_is_sanitised(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    monkeypatch.setattr(sys, "stdout", out)
    write_export("-", (BOM + "a,b\r\n\x1b]0;title\x07,c\r\n").encode())
    assert out.getvalue() == "a,b\n\u241b]0;title\u2407,c\n"


def test_export_modules_do_not_import_textual() -> None:
    code = (
        "import sys, pledgetui.export, pledgetui.commands.export, pledgetui.commands.listing;"
        "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0
