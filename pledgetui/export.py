"""Export a selection of pledges as CSV, JSON or Markdown. No Textual here.

Two row shapes:

* pledge rows: one row per ledger entry (pledge or counter-position);
* evidence rows: one row per entry x quote, for checking claims against sources.

CSV and JSON carry vocabulary *values* (``ground_troops``, ``counter_position``)
so they stay machine-readable; Markdown, written for people, uses labels.

CSV cells that a spreadsheet would read as a formula get a ``'`` prefix unless
``raw=True``: ledger text quotes news articles and is untrusted. Following
OWASP's CSV injection guidance, a formula may start after leading white space,
invisible characters or a double quote, with a full-width ``＝``, and at every
place a spreadsheet may start a new cell: after a ``,`` or ``;`` (the list
separator of many locales), a tab or a line break; each such place gets the
``'`` (see :func:`guard_cell`). Otherwise CSV and JSON hold the text exactly.

Markdown is written for rendering: cells escape what would make a link, an
image (a remote load when rendered), raw HTML or a new table cell or row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pledgetui import __version__
from pledgetui.as_of_words import apart, record
from pledgetui.filesave import BACKUP_SUFFIX, SaveError, write_output
from pledgetui.model import SCHEMA_VERSION, Entry, Ledger, Source
from pledgetui.paths import article_candidates
from pledgetui.sanitize import display, display_line

if TYPE_CHECKING:
    from pledgetui.history import AsOf

FORMATS = ("csv", "json", "md")
ROW_KINDS = ("entries", "evidence")

ENTRY_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "country",
    "actor_type",
    "commitment_type",
    "status",
    "conditions",
    "condition_detail",
    "us_backstop",
    "claimant",
    "claimant_relayed_by",
    "claimants",
    "numbers",
    "date_stated",
    "date_by",
    "summary",
    "notes",
    "sources",
    "source_files",
    "quote_count",
)

EVIDENCE_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "country",
    "commitment_type",
    "entry_status",
    "entry_claimant",
    "summary",
    "evidence_index",
    "claimant",
    "party",
    "basis",
    "relayed_by",
    "status",
    "stated",
    "statement_conditions",
    "source",
    "source_file",
    "source_title",
    "source_date",
    "quote",
    "start",
    "end",
    "prefix",
    "suffix",
)

#: Leading characters a spreadsheet may treat as the start of a formula (or a new cell).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
#: What a formula starts with, after NFKC (so the full-width and small forms count too).
FORMULA_STARTS = frozenset("=+-@\u2212")
#: Where a spreadsheet may start a new cell inside ours: a separator of some locale, or a line break.
_CELL_BREAK = re.compile("[,;\t\r\n]")
#: A cell without any of these cannot open a formula anywhere (the fast path).
_MAYBE_FORMULA = re.compile("[=+\\-@\u2212]|[^\x00-\x7f]")

#: Separator for multi-valued cells (conditions, numbers, sources).
JOIN = "; "

UTF8_BOM = "\ufeff"

COUNTER_MARK = "\u27c2"  # ⟂


# --------------------------------------------------------------------------- rows


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def _sources_by_id(ledger: Ledger) -> dict[str, Source]:
    return {s.id: s for s in ledger.sources}


def entry_row(pledge: Entry, sources: dict[str, Source]) -> dict[str, Any]:
    ids = pledge.source_ids
    return {
        "id": pledge.id,
        "kind": pledge.kind.value,
        "country": pledge.actor,
        "actor_type": pledge.actor_type.value,
        "commitment_type": pledge.commitment.value,
        "status": pledge.status.value,
        "conditions": JOIN.join(c.value for c in pledge.conditions),
        "condition_detail": pledge.condition_detail,
        "us_backstop": pledge.us_backstop.value,
        "claimant": pledge.claimant,
        "claimant_relayed_by": relayed_by(pledge),
        "claimants": JOIN.join(pledge.claimants),
        "numbers": JOIN.join(str(q) for q in pledge.numbers),
        "date_stated": pledge.date_stated.isoformat() if pledge.date_stated else "",
        "date_by": _iso(pledge.date_span.hi),
        "summary": pledge.summary,
        "notes": pledge.notes,
        "sources": JOIN.join(ids),
        "source_files": JOIN.join(sources[i].file for i in ids if i in sources),
        "quote_count": len(pledge.evidence),
    }


def relayed_by(pledge: Entry) -> str:
    """Who relays the statement the entry's reading is taken from ('' when its claimant reaches the article directly)."""
    return pledge.evidence[pledge.stance.index].relayed_by


def entry_rows(ledger: Ledger, pledges: Iterable[Entry]) -> list[dict[str, Any]]:
    """One row per entry, keys in :data:`ENTRY_COLUMNS` order."""
    sources = _sources_by_id(ledger)
    return [entry_row(p, sources) for p in pledges]


def evidence_rows(ledger: Ledger, pledges: Iterable[Entry]) -> list[dict[str, Any]]:
    """One row per entry x quote, keys in :data:`EVIDENCE_COLUMNS` order; ``evidence_index`` counts from 1."""
    sources = _sources_by_id(ledger)
    rows: list[dict[str, Any]] = []
    for p in pledges:
        for n, ev in enumerate(p.evidence, 1):
            src = sources.get(ev.source)
            rows.append(
                {
                    "id": p.id,
                    "kind": p.kind.value,
                    "country": p.actor,
                    "commitment_type": p.commitment.value,
                    "entry_status": p.status.value,
                    "entry_claimant": p.claimant,
                    "summary": p.summary,
                    "evidence_index": n,
                    "claimant": ev.claimant,
                    "party": ev.party.value,
                    "basis": ev.basis.value,
                    "relayed_by": ev.relayed_by,  # empty: the claimant reaches the article directly
                    "status": ev.status.value,
                    "stated": ev.stated.isoformat() if ev.stated else "",
                    # empty: the entry's conditions; "none": stated as unconditional
                    "statement_conditions": (
                        "" if ev.conditions is None else JOIN.join(c.value for c in ev.conditions) or "none"
                    ),
                    "source": ev.source,
                    "source_file": src.file if src else "",
                    "source_title": src.title if src else "",
                    "source_date": src.date.isoformat() if src and src.date else "",
                    "quote": ev.quote,
                    "start": ev.start,
                    "end": ev.end,
                    "prefix": ev.prefix,
                    "suffix": ev.suffix,
                }
            )
    return rows


def rows_for(ledger: Ledger, pledges: Sequence[Entry], rows: str) -> list[dict[str, Any]]:
    if rows == "entries":
        return entry_rows(ledger, pledges)
    if rows == "evidence":
        return evidence_rows(ledger, pledges)
    raise ValueError(f"unknown row kind {rows!r} (choose one of: {', '.join(ROW_KINDS)})")


# --------------------------------------------------------------------------- CSV


def _opens_formula(text: str, start: int) -> bool:
    """Whether the cell a spreadsheet would start at ``start`` reads as a formula: white space,
    control and invisible characters and double quotes skipped, the next character NFKC-folded."""
    i = start
    while i < len(text) and (text[i].isspace() or text[i] == '"' or unicodedata.category(text[i]) in ("Cc", "Cf")):
        i += 1
    return i < len(text) and unicodedata.normalize("NFKC", text[i])[:1] in FORMULA_STARTS


def guard_cell(value: Any) -> Any:
    """A text cell a spreadsheet cannot run as a formula; other values pass through.

    A ``'`` goes in front of the cell when it starts with a trigger (:data:`FORMULA_TRIGGERS`)
    or opens a formula after white space (``" =1+1"``, ``"＝1+1"``), and right after each
    ``,`` ``;`` tab or line break behind which a formula would open: a spreadsheet that
    splits on that character (``a;=1+1`` in a locale whose separator is ``;``) then still
    reads text. Cells holding no sign, no ``@`` and only ASCII are returned at once.
    """
    if not isinstance(value, str) or (not _MAYBE_FORMULA.search(value) and not value.startswith(FORMULA_TRIGGERS)):
        return value
    lead = value.startswith(FORMULA_TRIGGERS) or _opens_formula(value, 0)
    cuts = [m.end() for m in _CELL_BREAK.finditer(value) if _opens_formula(value, m.end())]
    for cut in reversed(cuts):
        value = value[:cut] + "'" + value[cut:]
    return "'" + value if lead else value


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, excel: bool = False, raw: bool = False) -> bytes:
    """RFC 4180 CSV (CRLF records, minimal quoting), UTF-8; ``excel`` adds a BOM, ``raw`` drops the formula guard."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        cells = [row[c] for c in columns]
        writer.writerow(cells if raw else [guard_cell(c) for c in cells])
    text = buf.getvalue()
    return ((UTF8_BOM if excel else "") + text).encode("utf-8")


def guarded_cells(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> int:
    """How many cells of ``rows`` the formula guard changes (see :func:`guard_cell`)."""
    return sum(1 for row in rows for c in columns if guard_cell(row[c]) != row[c])


def guard_note(count: int) -> str:
    """What the formula guard did to a CSV export, and how to get the text as it is."""
    cells = "1 cell was" if count == 1 else f"{count:,} cells were"
    return (
        f"{cells} guarded against spreadsheet formulas (a ' before what could start one); "
        "'pledgetui export --raw' writes the raw text (for pandas and the like)"
    )


# --------------------------------------------------------------------------- JSON


def _json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def cited_sources(ledger: Ledger, pledges: Iterable[Entry]) -> list[Source]:
    """The sources the given pledges quote, in ledger order."""
    wanted = {sid for p in pledges for sid in p.source_ids}
    return [s for s in ledger.sources if s.id in wanted]


def to_json(
    ledger: Ledger,
    pledges: Sequence[Entry],
    *,
    query: str = "",
    sort: str = "",
    rows: str = "entries",
    as_of: AsOf | None = None,
) -> bytes:
    """One JSON shape whatever the rows: ``{schema_version, generated_by, query, sort, rows,
    sources, entries | statements}``. ``entries``: the selected entries in full structure
    (statements nested); ``evidence``: one flat object per statement under ``statements``
    (the CSV columns, offsets as numbers). ``sources``: those the entries cite. With ``as_of`` (the
    ledger as it stood on a day), an ``as_of`` object after ``rows`` records the day and what it left
    apart (:func:`pledgetui.as_of_words.record`). Deterministic bytes."""
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generated_by": f"pledgetui {__version__}",
        "query": query,
        "sort": sort,
        "rows": rows,
        **({"as_of": record(as_of)} if as_of is not None else {}),
        "sources": [s.model_dump(mode="json") for s in cited_sources(ledger, pledges)],
    }
    if rows == "entries":
        doc["entries"] = [entry_json(p) for p in pledges]
    else:
        doc["statements"] = evidence_rows(ledger, pledges)
    return _json_bytes(doc)


def entry_json(p: Entry) -> dict[str, Any]:
    """An entry as stored, plus its derived reading (``status``, ``claimant``, ``date_stated``)
    under ``derived``: the stored statements stay the evidence."""
    doc = p.model_dump(mode="json")
    doc["derived"] = {
        "status": p.status.value,
        "claimant": p.claimant,
        "relayed_by": relayed_by(p),
        "date_stated": p.date_stated.isoformat() if p.date_stated else None,
        "date_by": p.date_span.hi.isoformat() if p.date_span.hi else None,
        "statement": p.stance.index + 1,
    }
    return doc


def evidence_json(ledger: Ledger, pledges: Sequence[Entry], *, query: str = "", sort: str = "") -> bytes:
    """The statements of ``pledges``, one object each, in the one JSON shape (see :func:`to_json`)."""
    return to_json(ledger, pledges, query=query, sort=sort, rows="evidence")


# --------------------------------------------------------------------------- Markdown


#: Markdown that a renderer would turn into a link, an image (a remote load) or a reference.
_MD_LINK_CHARS = str.maketrans({"!": "\\!", "[": "\\[", "]": "\\]"})


def md_cell(value: Any) -> str:
    """A table cell: backslash and ``|`` escaped, line breaks as ``<br>``; links, images
    (``![x](http://...)`` would load a remote image when rendered), raw HTML and controls defused."""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for line in lines:
        line = display_line(line)
        line = line.replace("\\", "\\\\").replace("|", "\\|").translate(_MD_LINK_CHARS)
        line = line.replace("&", "&amp;").replace("<", "&lt;")
        out.append(line)
    text = "<br>".join(out)
    return text.strip()


def _md_code(text: str) -> str:
    """``text`` as an inline code span, safe whatever backticks it holds."""
    text = display_line(text.replace("\r", " ").replace("\n", " "))
    run = longest = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_table(header: Sequence[str], body: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(md_cell(c) for c in row) + " |" for row in body)
    return lines


def _kind_label(p: Entry) -> str:
    return f"{COUNTER_MARK} {p.kind.label}" if p.is_counter else p.kind.label


def count_line(pledges: Sequence[Entry]) -> str:
    counters = sum(1 for p in pledges if p.is_counter)
    n = len(pledges) - counters
    return (
        f"{len(pledges)} entr{'y' if len(pledges) == 1 else 'ies'}: "
        f"{n} pledge{'' if n == 1 else 's'}, {counters} counter-position{'' if counters == 1 else 's'}"
    )


def to_markdown(
    ledger: Ledger,
    pledges: Sequence[Entry],
    rows: str = "entries",
    *,
    query: str = "",
    sort: str = "",
    as_of: AsOf | None = None,
) -> bytes:
    """A report table headed with the count and the query; counter-positions marked with ⟂."""
    head = [
        "# Security-guarantee claims for Ukraine" if rows == "entries" else "# Evidence for security-guarantee claims",
        "",
        f"{count_line(pledges)}. Filter: {_md_code(query) if query.strip() else 'none (all entries)'}."
        + (f" Sort: {_md_code(sort)}." if sort.strip() else ""),
        *([f"The ledger {md_cell(apart(as_of))}.", ""] if as_of is not None else []),
        f"Counter-positions ({COUNTER_MARK}) are positions against a guarantee, not pledges.",
        "",
    ]
    sources = _sources_by_id(ledger)
    if rows == "entries":
        body = (
            [
                p.id,
                _kind_label(p),
                p.actor,
                p.commitment.label,
                p.status.label,
                ", ".join(c.label for c in p.conditions),
                p.us_backstop.label,
                f"{p.claimant} (relayed by {relayed_by(p)})" if relayed_by(p) else p.claimant,
                p.date_span.label(),
                p.summary,
                ", ".join(p.source_ids),
            ]
            for p in pledges
        )
        header = [
            "ID",
            "Kind",
            "Actor",
            "Commitment",
            "Status",
            "Conditions",
            "US backstop",
            "Claimant",
            "Date",
            "Summary",
            "Sources",
        ]
    elif rows == "evidence":
        body = (
            [
                p.id,
                _kind_label(p),
                p.actor,
                str(n),
                f"{ev.claimant} (relayed by {ev.relayed_by})" if ev.relayed_by else ev.claimant,
                f"{ev.status.label} ({ev.party.label.split(' (')[0].lower()}, {ev.basis.value})",
                ev.stated.isoformat() if ev.stated else "",
                f"{ev.source}: {sources[ev.source].title}" if ev.source in sources else ev.source,
                ev.quote,
            ]
            for p in pledges
            for n, ev in enumerate(p.evidence, 1)
        )
        header = ["ID", "Kind", "Actor", "#", "Claimant", "Stance", "Stated", "Source", "Quote"]
    else:
        raise ValueError(f"unknown row kind {rows!r} (choose one of: {', '.join(ROW_KINDS)})")
    lines = head + _md_table(header, body)
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- entry points


def export_view(
    ledger: Ledger,
    pledges: Sequence[Entry],
    fmt: str,
    rows: str,
    *,
    excel: bool = False,
    raw: bool = False,
    query: str = "",
    sort: str = "",
    as_of: AsOf | None = None,
) -> bytes:
    """The bytes of an export of ``pledges`` (already filtered and sorted) from ``ledger``.

    ``fmt``: csv, json or md. ``rows``: pledges or evidence. ``excel`` (CSV only)
    adds a UTF-8 BOM; ``raw`` (CSV only) turns the formula guard off. ``query``
    and ``sort`` are recorded in JSON and Markdown headers, never applied here; so is ``as_of``
    (the ledger as it stood on a day: ``ledger`` and ``pledges`` are already of that day).
    Raises ValueError for an unknown format or row kind.
    """
    pledges = list(pledges)
    if rows not in ROW_KINDS:
        raise ValueError(f"unknown row kind {rows!r} (choose one of: {', '.join(ROW_KINDS)})")
    if fmt == "csv":
        columns = ENTRY_COLUMNS if rows == "entries" else EVIDENCE_COLUMNS
        return to_csv(rows_for(ledger, pledges, rows), columns, excel=excel, raw=raw)
    if fmt == "json":
        return to_json(ledger, pledges, query=query, sort=sort, rows=rows, as_of=as_of)
    if fmt == "md":
        return to_markdown(ledger, pledges, rows, query=query, sort=sort, as_of=as_of)
    raise ValueError(f"unknown format {fmt!r} (choose one of: {', '.join(FORMATS)})")


def guarded_count(ledger: Ledger, pledges: Sequence[Entry], rows: str) -> int:
    """How many cells of a CSV export of ``pledges`` the formula guard changes."""
    columns = ENTRY_COLUMNS if rows == "entries" else EVIDENCE_COLUMNS
    return guarded_cells(rows_for(ledger, list(pledges), rows), columns)


def row_count(pledges: Sequence[Entry], rows: str) -> int:
    """How many data rows an export of ``pledges`` holds."""
    return len(pledges) if rows == "entries" else sum(len(p.evidence) for p in pledges)


def protected_files(ledger_path: Path, ledger: Ledger) -> set[Path]:
    """Files an export must never replace: the ledger, its backup, and every article it quotes."""
    ledger_path = Path(ledger_path)
    found = {ledger_path, ledger_path.with_name(ledger_path.name + BACKUP_SUFFIX)}
    for source in ledger.sources:
        found.update(article_candidates(ledger_path, source.file))
    return {Path(os.path.realpath(p)) for p in found}  # Path.resolve raises on a link loop


def write_export(
    path_or_dash: str | Path,
    data: bytes,
    *,
    protect: Iterable[Path] = (),
    stop: Callable[[], bool] | None = None,
) -> None:
    """Write ``data`` atomically to a file (no backup kept), or to stdout for ``-``.

    A character device or named pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written
    into, never replaced; a folder is refused (:func:`pledgetui.filesave.write_output`).

    A target among ``protect`` (see :func:`protected_files`) is refused with
    :class:`pledgetui.filesave.SaveError`: an export must never replace the ledger or its articles.

    On a terminal the bytes are made safe to display first (controls shown as
    symbols, no BOM): ledger text is untrusted. Pipes and files get the exact bytes.
    A failed file write raises :class:`pledgetui.filesave.SaveError`; the target is unchanged.
    ``stop`` is asked while a pipe's reader does not keep up: True gives the write up.
    """
    if str(path_or_dash) == "-":
        out = sys.stdout
        if out.isatty():
            text = data.decode("utf-8").removeprefix(UTF8_BOM).replace("\r\n", "\n")
            out.write(display(text))
            out.flush()
            return
        out.flush()
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8"))
            out.flush()
        return
    path = Path(path_or_dash)
    if Path(os.path.realpath(path)) in set(protect):
        raise SaveError(f"refusing to export over {path}: it is the ledger, its backup or one of its articles")
    try:
        sys.stdout.flush()  # the target may be /dev/stdout: what was printed before comes first
        write_output(
            path,
            data,
            for_terminal=lambda b: display(b.decode("utf-8").removeprefix(UTF8_BOM).replace("\r\n", "\n")).encode(
                "utf-8"
            ),
            stop=stop,
        )
    except OSError as exc:
        # atomic_write reports its own steps as SaveError; its first look at the target
        # (a stat) can still raise, e.g. NotADirectoryError when a parent is a file.
        raise SaveError(f"could not save {path}: {exc.strerror or exc}; nothing was written") from exc
