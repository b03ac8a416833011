"""What changed: in a window of dates, or between two versions of a ledger. No Textual here.

Two questions, one answer shape (:class:`ChangeRow`):

- :func:`window_changes`: what the statements dated in ``since .. until`` changed, entry by
  entry, from each entry's history (:func:`pledgetui.history.history`): a statement counts
  on the last day it can have been made (its interval's upper end), as in every other view
  of time. An entry whose first statement falls in the window is new (the row names that
  statement); every other statement in it is a new statement; a statement after which the derived status differs changed the reading. Undated
  statements are placed in no window: they are counted apart (:attr:`WindowChanges.undated`).
- :func:`version_changes`: the rows of :func:`pledgetui.compare.compare` of two ledgers:
  entries added and removed, fields changed, statements added, removed and changed,
  readings moved, sources added, removed and changed.

The command line (``pledgetui changes``) and the dashboard's changes view show these rows;
:func:`markdown` writes them as a briefing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pledgetui.compare import EntryDiff, LedgerDiff, SourceDiff, compare
from pledgetui.history import Step, history
from pledgetui.model import Entry, Evidence, Ledger, Stance
from pledgetui.sanitize import display_line

__all__ = [
    "COLUMNS",
    "ChangeRow",
    "WindowChanges",
    "markdown",
    "md_text",
    "text",
    "to_json",
    "version_changes",
    "version_rows",
    "window_changes",
]

#: The kinds of change, in the words every format uses.
NEW_ENTRY = "new entry"
#: An entry's first dated statement when it also has undated ones: it may be older than the window.
FIRST_DATED = "first dated statement"
REMOVED_ENTRY = "removed entry"
FIELD = "field"
NEW_STATEMENT = "new statement"
REMOVED_STATEMENT = "removed statement"
STATEMENT = "statement"  # a field of a statement both versions have
REORDERED = "reordered"
READING = "reading"
NEW_SOURCE = "new source"
REMOVED_SOURCE = "removed source"
SOURCE = "source"  # a field of a source both versions have
LEDGER = "ledger"  # the file's own fields (schema_version)

#: A quote is cut to this many characters in a row (``quote``); a changed quote's old and new
#: values are given whole.
QUOTE_CHARS = 120

#: The columns of every tabular format, in order (also the keys of :meth:`ChangeRow.as_dict`).
COLUMNS = ("entry", "kind", "field", "old", "new", "statement", "n", "claimant", "status", "date", "source", "quote")


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change. ``entry`` is "" for a source or the ledger itself (``source`` names the source).
    ``old`` and ``new`` are plain values (text, numbers, lists; None where absent). The statement
    columns describe the statement the change is about or caused by (``n``: its 1-based position
    in the newer version; 0 when the row is about no statement)."""

    entry: str
    kind: str
    field: str = ""
    old: Any = None
    new: Any = None
    statement: str = ""
    n: int = 0
    claimant: str = ""
    status: str = ""
    date: str = ""
    source: str = ""
    quote: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}

    def cells(self) -> dict[str, str]:
        """Every column as one line of display-safe text."""
        values = self.as_dict()
        values["n"] = str(self.n) if self.n else ""
        return {c: display_line(text(v)) for c, v in values.items()}

    def words(self) -> str:
        """The change in a phrase: ``reading from announced to signed``, ``summary changed`` ..."""
        if self.kind == READING:
            return f"reading from {text(self.old) or 'none'} to {text(self.new) or 'none'}"
        if self.kind in (FIELD, STATEMENT, SOURCE, LEDGER):
            return f"{self.field} changed"
        return self.kind


def text(value: Any) -> str:
    """A plain value as text: lists joined with ", ", None as ""."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _short(quote: str) -> str:
    one = " ".join(quote.split())
    return one if len(one) <= QUOTE_CHARS else one[: QUOTE_CHARS - 1].rstrip() + "…"


def _statement(
    entry_id: str, kind: str, ev: Evidence, index: int, dates: Mapping[str, dt.date | None], key: str = "", **more: Any
) -> ChangeRow:
    return ChangeRow(
        entry_id,
        kind,
        statement=key or ev.key,
        n=index + 1,
        claimant=ev.claimant,
        status=ev.status.value,
        date=ev.span(dates).label(),
        source=ev.source,
        quote=_short(ev.quote),
        **more,
    )


# --------------------------------------------------------------------------- a window of dates


@dataclass(frozen=True, slots=True)
class WindowChanges:
    """The changes of the statements dated in ``since .. until`` (None: open)."""

    since: dt.date | None
    until: dt.date | None
    rows: tuple[ChangeRow, ...]
    undated: int  # statements no date places: in no window
    undated_entries: int  # entries holding them
    entries: int  # entries looked at

    @property
    def changed_entries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.entry for r in self.rows))

    def note(self) -> str:
        """What was left out: the undated statements, or ""."""
        if not self.undated:
            return ""
        s = "" if self.undated == 1 else "s"
        e = "y" if self.undated_entries == 1 else "ies"
        return (
            f"{self.undated} undated statement{s} (in {self.undated_entries} entr{e}) "
            "placed in no window: neither the statement nor its article gives a date"
        )


def _in(day: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def _entry_window_rows(
    entry: Entry, dates: Mapping[str, dt.date | None], since: dt.date | None, until: dt.date | None
) -> list[ChangeRow]:
    his = history(entry, dates)
    rows: list[ChangeRow] = []
    previous: Stance | None = None
    first = FIRST_DATED if his.undated else NEW_ENTRY
    for k, step in enumerate(his.steps):
        hi = step.span.hi
        assert hi is not None
        if _in(hi, since, until):
            rows.extend(_step_rows(entry, step, first if k == 0 else None, previous, dates))
        previous = step.reading
    return rows


def _step_rows(
    entry: Entry, step: Step, first: str | None, previous: Stance | None, dates: Mapping[str, dt.date | None]
) -> Iterator[ChangeRow]:
    ev, i = step.evidence, step.index
    if first is not None:  # the first dated statement: the entry is new with it, unless undated ones may be older
        yield _statement(entry.id, first, ev, i, dates, field="status", new=step.reading.status.value)
        return
    yield _statement(entry.id, NEW_STATEMENT, ev, i, dates)
    if step.changed and previous is not None:
        yield _statement(
            entry.id, READING, ev, i, dates, field="status", old=previous.status.value, new=step.reading.status.value
        )


def window_changes(ledger: Ledger, since: dt.date | None, until: dt.date | None = None) -> WindowChanges:
    """The changes of the statements whose known day (their interval's upper end) is in
    ``since .. until``, both included, in the ledger's order of entries and, within an entry,
    the order the statements became known."""
    dates = ledger.source_dates()
    rows: list[ChangeRow] = []
    undated = undated_entries = 0
    for entry in ledger.entries:
        his = [ev.span(dates).hi for ev in entry.evidence]
        gaps = sum(1 for hi in his if hi is None)
        if gaps:
            undated += gaps
            undated_entries += 1
        # only an entry with a statement in the window needs its history derived
        if any(hi is not None and _in(hi, since, until) for hi in his):
            rows.extend(_entry_window_rows(entry, dates, since, until))
    return WindowChanges(since, until, tuple(rows), undated, undated_entries, len(ledger.entries))


# --------------------------------------------------------------------------- two versions


def _entry_rows(d: EntryDiff, old: Ledger, new: Ledger) -> Iterator[ChangeRow]:
    old_dates, new_dates = old.source_dates(), new.source_dates()
    if d.new is None:
        assert d.old is not None
        status = d.old_reading.status.value if d.old_reading is not None else None
        yield ChangeRow(d.id, REMOVED_ENTRY, "status", old=status)
        return
    if d.old is None:
        status = d.new_reading.status.value if d.new_reading is not None else None
        # the entry with its first statement, then its others
        yield _statement(d.id, NEW_ENTRY, d.new.evidence[0], 0, new_dates, field="status", new=status)
        for i, ev in enumerate(d.new.evidence[1:], 1):
            yield _statement(d.id, NEW_STATEMENT, ev, i, new_dates)
        return
    for c in d.fields:
        yield ChangeRow(d.id, FIELD, c.field, c.old, c.new)
    for i in d.added:
        yield _statement(d.id, NEW_STATEMENT, d.new.evidence[i], i, new_dates)
    for i in d.removed:
        yield _statement(d.id, REMOVED_STATEMENT, d.old.evidence[i], i, old_dates)
    for s in d.changed:
        ev = d.new.evidence[s.new_index]
        for c in s.fields:
            yield _statement(d.id, STATEMENT, ev, s.new_index, new_dates, s.key, field=c.field, old=c.old, new=c.new)
    if d.reordered:
        yield ChangeRow(d.id, REORDERED, "evidence")
    if d.reading_changed and d.old_reading is not None and d.new_reading is not None:
        r = d.new_reading
        yield _statement(
            d.id,
            READING,
            d.new.evidence[r.index],
            r.index,
            new_dates,
            field="status",
            old=d.old_reading.status.value,
            new=r.status.value,
        )


def _source_rows(d: SourceDiff) -> Iterator[ChangeRow]:
    if d.kind == "added":
        assert d.new is not None
        yield ChangeRow("", NEW_SOURCE, "title", new=d.new.title, source=d.id)
    elif d.kind == "removed":
        assert d.old is not None
        yield ChangeRow("", REMOVED_SOURCE, "title", old=d.old.title, source=d.id)
    else:
        for c in d.fields:
            yield ChangeRow("", SOURCE, c.field, c.old, c.new, source=d.id)


def version_rows(diff: LedgerDiff, old: Ledger, new: Ledger) -> tuple[ChangeRow, ...]:
    """The rows of ``diff`` (``compare(old, new)``): the ledger's own fields, then sources, then entries."""
    rows: list[ChangeRow] = [ChangeRow("", LEDGER, c.field, c.old, c.new) for c in diff.header]
    for s in diff.sources:
        rows.extend(_source_rows(s))
    for d in diff.entries:
        rows.extend(_entry_rows(d, old, new))
    return tuple(rows)


def version_changes(old: Ledger, new: Ledger) -> tuple[ChangeRow, ...]:
    """Every difference between two versions of a ledger, as rows."""
    return version_rows(compare(old, new), old, new)


# --------------------------------------------------------------------------- output


def summary(rows: Sequence[ChangeRow]) -> str:
    """``5 changes in 2 entries`` (sources and the ledger's own fields named apart)."""
    if not rows:
        return "no changes"
    entries = len({r.entry for r in rows if r.entry})
    sources = len({r.source for r in rows if not r.entry and r.source})
    parts = [f"{len(rows)} change{'' if len(rows) == 1 else 's'} in {entries} entr{'y' if entries == 1 else 'ies'}"]
    if sources:
        parts.append(f"{sources} source{'' if sources == 1 else 's'}")
    return ", ".join(parts)


def to_json(rows: Iterable[ChangeRow], **head: Any) -> bytes:
    """``{**head, "changes": [row, ...]}`` as JSON, every character past ASCII escaped: the exact
    text, and nothing in it (a bidi override, a C1 control) acts on a terminal it is printed to."""
    doc = {**head, "changes": [r.as_dict() for r in rows]}
    return (json.dumps(doc, ensure_ascii=True, indent=2) + "\n").encode("ascii")


#: The marks that make Markdown inside a line (code, emphasis, links and images, raw HTML and
#: entities, tables, strikethrough, math), escaped with a backslash as CommonMark allows. Ledger
#: text never starts a line here (it follows "# ", "- " or "> "), so the marks that only act at
#: a line's start (lists, headings, quotes) cannot act; the rest of the punctuation stays
#: readable in the briefing's source.
_MD_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>&!|~#$"})
_MD_BLOCK_START = re.compile(r"^([-+=]|[0-9]{1,9}(?=[.)]))")


def md_text(value: Any, *, start: bool = False) -> str:
    """Ledger text for a Markdown line: one line, display-safe, the inline marks escaped; with
    ``start``, text that opens a block (a block quote's line) also has a list's or a setext
    heading's opening mark escaped."""
    out = display_line(text(value)).translate(_MD_ESCAPES)
    if start:
        m = _MD_BLOCK_START.match(out)
        if m is not None:
            end = m.end()
            out = out[:end] + "\\" + out[end:] if m.group(1)[0].isdigit() else "\\" + out
    return out


def _md_bullet(r: ChangeRow) -> list[str]:
    words = md_text(r.words())
    if r.kind in (FIELD, STATEMENT, SOURCE, LEDGER):
        words += f": {md_text(r.old) or '(none)'} → {md_text(r.new) or '(none)'}"
    elif r.kind in (NEW_ENTRY, FIRST_DATED) and r.new:
        words += f" ({md_text(r.new)})"
    elif r.kind == REMOVED_ENTRY and r.old:
        words += f" (was {md_text(r.old)})"
    elif r.kind in (NEW_SOURCE, REMOVED_SOURCE):
        words += f" {md_text(r.source)}: {md_text(r.new if r.kind == NEW_SOURCE else r.old)}"
    lines = [f"- {words}"]
    if r.n:
        who = ", ".join(md_text(x) for x in (r.claimant, r.status, r.date, r.source) if x)
        lines[0] += f" — statement {r.n}: {who}"
        if r.quote and r.kind != STATEMENT:
            lines.append(f"  > {md_text(r.quote, start=True)}")
    return lines


def markdown(rows: Sequence[ChangeRow], title: str, notes: Sequence[str] = ()) -> bytes:
    """A briefing: a heading per entry (sources and the ledger's own fields first), a bullet
    per change, each statement's quote as a block quote; all ledger text escaped."""
    lines = [f"# {md_text(title)}", "", md_text(summary(rows)) + ".", *(md_text(n) for n in notes), ""]
    groups: dict[str, list[ChangeRow]] = {}
    for r in rows:
        groups.setdefault(r.entry, []).append(r)
    for entry_id, group in groups.items():
        lines.append(f"## {md_text(entry_id) if entry_id else 'The ledger and its sources'}")
        lines.append("")
        for r in group:
            lines.extend(_md_bullet(r))
        lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
