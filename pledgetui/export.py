"""Export a selection of pledges as CSV, JSON or Markdown. No Textual here.

Two row shapes:

* pledge rows: one row per ledger entry (pledge or counter-position);
* evidence rows: one row per entry x quote, for checking claims against sources.

CSV and JSON carry vocabulary *values* (``ground_troops``, ``counter_position``)
so they stay machine-readable; Markdown, written for people, uses labels.

CSV cells that a spreadsheet would read as a formula (a leading ``=``, ``+``,
``-``, ``@``, tab, CR or LF) get a ``'`` prefix unless ``raw=True``: ledger text
quotes news articles and is untrusted.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pledgetui import __version__
from pledgetui.model import SCHEMA_VERSION, Ledger, Pledge, Source
from pledgetui.paths import article_candidates
from pledgetui.sanitize import display, display_line
from pledgetui.store import BACKUP_SUFFIX, SaveError, write_output

FORMATS = ("csv", "json", "md")
ROW_KINDS = ("pledges", "evidence")

PLEDGE_COLUMNS: tuple[str, ...] = (
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
    "numbers",
    "date_stated",
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
    "status",
    "claimant",
    "summary",
    "evidence_index",
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

#: Leading characters a spreadsheet may treat as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

#: Separator for multi-valued cells (conditions, numbers, sources).
JOIN = "; "

UTF8_BOM = "\ufeff"

COUNTER_MARK = "\u27c2"  # ⟂


# --------------------------------------------------------------------------- rows


def _sources_by_id(ledger: Ledger) -> dict[str, Source]:
    return {s.id: s for s in ledger.sources}


def pledge_row(pledge: Pledge, sources: dict[str, Source]) -> dict[str, Any]:
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
        "numbers": JOIN.join(str(q) for q in pledge.numbers),
        "date_stated": pledge.date_stated.isoformat() if pledge.date_stated else "",
        "summary": pledge.summary,
        "notes": pledge.notes,
        "sources": JOIN.join(ids),
        "source_files": JOIN.join(sources[i].file for i in ids if i in sources),
        "quote_count": len(pledge.evidence),
    }


def pledge_rows(ledger: Ledger, pledges: Iterable[Pledge]) -> list[dict[str, Any]]:
    """One row per entry, keys in :data:`PLEDGE_COLUMNS` order."""
    sources = _sources_by_id(ledger)
    return [pledge_row(p, sources) for p in pledges]


def evidence_rows(ledger: Ledger, pledges: Iterable[Pledge]) -> list[dict[str, Any]]:
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
                    "status": p.status.value,
                    "claimant": p.claimant,
                    "summary": p.summary,
                    "evidence_index": n,
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


def rows_for(ledger: Ledger, pledges: Sequence[Pledge], rows: str) -> list[dict[str, Any]]:
    if rows == "pledges":
        return pledge_rows(ledger, pledges)
    if rows == "evidence":
        return evidence_rows(ledger, pledges)
    raise ValueError(f"unknown row kind {rows!r} (choose one of: {', '.join(ROW_KINDS)})")


# --------------------------------------------------------------------------- CSV


def guard_cell(value: Any) -> Any:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula; other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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


# --------------------------------------------------------------------------- JSON


def _json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def cited_sources(ledger: Ledger, pledges: Iterable[Pledge]) -> list[Source]:
    """The sources the given pledges quote, in ledger order."""
    wanted = {sid for p in pledges for sid in p.source_ids}
    return [s for s in ledger.sources if s.id in wanted]


def to_json(ledger: Ledger, pledges: Sequence[Pledge], *, query: str = "", sort: str = "") -> bytes:
    """The selected entries in full structure, with the sources they cite; deterministic bytes."""
    doc = {
        "schema_version": SCHEMA_VERSION,
        "generated_by": f"pledgetui {__version__}",
        "query": query,
        "sort": sort,
        "sources": [s.model_dump(mode="json") for s in cited_sources(ledger, pledges)],
        "pledges": [p.model_dump(mode="json") for p in pledges],
    }
    return _json_bytes(doc)


def evidence_json(ledger: Ledger, pledges: Sequence[Pledge]) -> bytes:
    return _json_bytes(evidence_rows(ledger, pledges))


# --------------------------------------------------------------------------- Markdown


def md_cell(value: Any) -> str:
    """A table cell: backslash and ``|`` escaped, line breaks as ``<br>``, raw HTML and controls defused."""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for line in lines:
        line = display_line(line)
        line = line.replace("\\", "\\\\").replace("|", "\\|")
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


def _kind_label(p: Pledge) -> str:
    return f"{COUNTER_MARK} {p.kind.label}" if p.is_counter else p.kind.label


def count_line(pledges: Sequence[Pledge]) -> str:
    counters = sum(1 for p in pledges if p.is_counter)
    n = len(pledges) - counters
    return (
        f"{len(pledges)} entr{'y' if len(pledges) == 1 else 'ies'}: "
        f"{n} pledge{'' if n == 1 else 's'}, {counters} counter-position{'' if counters == 1 else 's'}"
    )


def to_markdown(ledger: Ledger, pledges: Sequence[Pledge], rows: str = "pledges", *, query: str = "", sort: str = "") -> bytes:
    """A report table headed with the count and the query; counter-positions marked with ⟂."""
    head = [
        "# Security-guarantee claims for Ukraine" if rows == "pledges" else "# Evidence for security-guarantee claims",
        "",
        f"{count_line(pledges)}. Filter: {_md_code(query) if query.strip() else 'none (all entries)'}."
        + (f" Sort: {_md_code(sort)}." if sort.strip() else ""),
        f"Counter-positions ({COUNTER_MARK}) are positions against a guarantee, not pledges.",
        "",
    ]
    sources = _sources_by_id(ledger)
    if rows == "pledges":
        body = (
            [
                p.id,
                _kind_label(p),
                p.actor,
                p.commitment.label,
                p.status.label,
                ", ".join(c.label for c in p.conditions),
                p.us_backstop.label,
                p.claimant,
                p.date_stated.isoformat() if p.date_stated else "",
                p.summary,
                ", ".join(p.source_ids),
            ]
            for p in pledges
        )
        header = ["ID", "Kind", "Actor", "Commitment", "Status", "Conditions", "US backstop", "Claimant", "Date", "Summary", "Sources"]
    elif rows == "evidence":
        body = (
            [
                p.id,
                _kind_label(p),
                p.actor,
                n,
                f"{ev.source}: {sources[ev.source].title}" if ev.source in sources else ev.source,
                ev.quote,
            ]
            for p in pledges
            for n, ev in enumerate(p.evidence, 1)
        )
        header = ["ID", "Kind", "Actor", "#", "Source", "Quote"]
    else:
        raise ValueError(f"unknown row kind {rows!r} (choose one of: {', '.join(ROW_KINDS)})")
    lines = head + _md_table(header, body)
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- entry points


def export_view(
    ledger: Ledger,
    pledges: Sequence[Pledge],
    fmt: str,
    rows: str,
    *,
    excel: bool = False,
    raw: bool = False,
    query: str = "",
    sort: str = "",
) -> bytes:
    """The bytes of an export of ``pledges`` (already filtered and sorted) from ``ledger``.

    ``fmt``: csv, json or md. ``rows``: pledges or evidence. ``excel`` (CSV only)
    adds a UTF-8 BOM; ``raw`` (CSV only) turns the formula guard off. ``query``
    and ``sort`` are recorded in JSON and Markdown headers, never applied here.
    Raises ValueError for an unknown format or row kind.
    """
    pledges = list(pledges)
    if rows not in ROW_KINDS:
        raise ValueError(f"unknown row kind {rows!r} (choose one of: {', '.join(ROW_KINDS)})")
    if fmt == "csv":
        columns = PLEDGE_COLUMNS if rows == "pledges" else EVIDENCE_COLUMNS
        return to_csv(rows_for(ledger, pledges, rows), columns, excel=excel, raw=raw)
    if fmt == "json":
        if rows == "pledges":
            return to_json(ledger, pledges, query=query, sort=sort)
        return evidence_json(ledger, pledges)
    if fmt == "md":
        return to_markdown(ledger, pledges, rows, query=query, sort=sort)
    raise ValueError(f"unknown format {fmt!r} (choose one of: {', '.join(FORMATS)})")


def row_count(pledges: Sequence[Pledge], rows: str) -> int:
    """How many data rows an export of ``pledges`` holds."""
    return len(pledges) if rows == "pledges" else sum(len(p.evidence) for p in pledges)


def protected_files(ledger_path: Path, ledger: Ledger) -> set[Path]:
    """Files an export must never replace: the ledger, its backup, and every article it quotes."""
    ledger_path = Path(ledger_path)
    found = {ledger_path, ledger_path.with_name(ledger_path.name + BACKUP_SUFFIX)}
    for source in ledger.sources:
        found.update(article_candidates(ledger_path, source.file))
    return {p.resolve() for p in found}


def write_export(path_or_dash: str | Path, data: bytes, *, protect: Iterable[Path] = ()) -> None:
    """Write ``data`` atomically to a file (no backup kept), or to stdout for ``-``.

    A character device or named pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is written
    into, never replaced; a folder is refused (:func:`pledgetui.store.write_output`).

    A target among ``protect`` (see :func:`protected_files`) is refused with
    :class:`pledgetui.store.SaveError`: an export must never replace the ledger or its articles.

    On a terminal the bytes are made safe to display first (controls shown as
    symbols, no BOM): ledger text is untrusted. Pipes and files get the exact bytes.
    A failed file write raises :class:`pledgetui.store.SaveError`; the target is unchanged.
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
    if path.resolve() in set(protect):
        raise SaveError(f"refusing to export over {path}: it is the ledger, its backup or one of its articles")
    try:
        sys.stdout.flush()  # the target may be /dev/stdout: what was printed before comes first
        write_output(path, data, for_terminal=lambda b: display(b.decode("utf-8").removeprefix(UTF8_BOM).replace("\r\n", "\n")).encode("utf-8"))
    except OSError as exc:
        # atomic_write reports its own steps as SaveError; its first look at the target
        # (a stat) can still raise, e.g. NotADirectoryError when a parent is a file.
        raise SaveError(f"could not save {path}: {exc.strerror or exc}; nothing was written") from exc
