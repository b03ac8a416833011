"""``pledgetui show ID``: one entry with its statements and its history, as plain text."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import TextIO

from pledgetui.commands.common import CommandError, LedgerUnreadable, add_as_of_arguments, load_ledger, say
from pledgetui.model import Entry, Evidence, Ledger
from pledgetui.sanitize import display_line
from pledgetui.vocab import Party, short_label

PROG = "pledgetui show"

EPILOG = """\
The entry's derived reading (status, claimant, when, and since when the status
has held), its fields, every statement with its quote, and its history: the
statements in the order they became known (a statement counts from its stated
day, else from its article's date), each with the reading once it was known;
"*" marks a step that changed the status. Statements nothing dates are listed
apart, marked undated: no step of the history places them.

With --as-of the entry is shown as it stood on that day: statements known to
come later are left out and the reading is derived again. A statement that may
fall either side of the day (undated, or bounded only by a later article's
date) is left out and listed apart as uncertain; --count-uncertain counts it.

Plain text: wrapped to the width on a terminal, unwrapped in a pipe.

exit status: 0 shown, 1 no such entry (or none by the --as-of day),
             2 usage error, an impossible date, or a file that is not a ledger

examples:
  pledgetui show uk-ground-troops
  pledgetui show uk-ground-troops --as-of 2025-12-31
  pledgetui show uk-ground-troops data/pledges.toml --as-of 2025-12-31 --count-uncertain
  pledgetui show france-ground-troops | less"""

#: How a reading's change is marked in the history, and how a kept one is.
CHANGED, KEPT = "*", " "


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="Show one entry: its reading, its statements and its history.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("id", help="the entry's id (see pledgetui list)")
    p.add_argument("ledger", nargs="?", help="ledger file (default: your working copy)")
    add_as_of_arguments(p)
    return p


def close_ids(ledger: Ledger, wanted: str, n: int = 3) -> list[str]:
    """The ids of ``ledger`` closest to ``wanted`` (for "did you mean")."""
    ids = [p.id for p in ledger.entries]
    found = difflib.get_close_matches(wanted, ids, n=n, cutoff=0.6)
    if not found:  # a prefix or a word of the id ("ireland" for ireland-ground-troops)
        found = [i for i in ids if wanted and wanted.lower() in i][:n]
    return found


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _reading(status_label: str, claimant: str) -> str:
    return f"{status_label} ({display_line(claimant)})"  # status_label: a vocabulary word


def _party(ev: Evidence) -> str:
    return "first party" if ev.party is Party.FIRST_PARTY else "third party"


def statement_line(n: int, ev: Evidence, dates: Mapping[str, dt.date | None]) -> str:
    """``[n] claimant (relayed by ...) · party · basis · status · date · source``."""
    from pledgetui.citation import basis_words

    relay = f" (relayed by {display_line(ev.relayed_by.strip())})" if ev.relayed_by.strip() else ""
    when = ev.span(dates).label() or "undated"
    return (
        f"[{n}] {display_line(ev.claimant)}{relay} · {_party(ev)} · {basis_words(ev)} · "
        f"{short_label(ev.status)} · {when} · {display_line(ev.source)}"
    )


def history_lines(entry: Entry, dates: Mapping[str, dt.date | None], numbers: Sequence[int]) -> list[str]:
    """One line per step, in the order the statements became known, then the undated apart.
    ``numbers[i]`` is the number shown for the entry's statement ``i`` (1-based, in the whole entry)."""
    from pledgetui.citation import basis_words
    from pledgetui.history import history

    h = history(entry, dates)
    lines = []
    for step in h.steps:
        ev = step.evidence
        mark = CHANGED if step.changed else KEPT
        lines.append(
            f"{mark} {step.span.label():<16} [{numbers[step.index]}] {short_label(ev.status)} · "
            f"{display_line(ev.claimant)} · {basis_words(ev)} · {display_line(ev.source)}"
            f"  → {_reading(short_label(step.reading.status), step.reading.claimant)}"
        )
    if not h.steps:
        lines.append("  (no dated statement)")
    if h.undated:
        lines.append(f"  undated ({len(h.undated)}): not placed in the history")
        for i in h.undated:
            ev = entry.evidence[i]
            lines.append(
                f"  undated          [{numbers[i]}] {short_label(ev.status)} · {display_line(ev.claimant)} · "
                f"{basis_words(ev)} · {display_line(ev.source)}"
            )
        if not h.steps or h.steps[-1].reading.status is not h.reading.status:
            lines.append(f"  with the undated: → {_reading(short_label(h.reading.status), h.reading.claimant)}")
    return lines


def describe(
    entry: Entry,
    ledger: Ledger,
    *,
    numbers: Sequence[int] | None = None,
) -> list[tuple[str, str]]:
    """The entry as (indent, text) lines: every ledger string through the display filter."""
    from pledgetui.history import since

    dates = ledger.source_dates()
    numbers = list(range(1, len(entry.evidence) + 1)) if numbers is None else list(numbers)
    out: list[tuple[str, str]] = []

    def line(text: str = "", indent: str = "") -> None:
        out.append((indent, text))

    kind = " (counter-position: recorded, never counted as a pledge)" if entry.is_counter else ""
    line(f"{display_line(entry.id)}{kind}")
    line(f"Actor:       {display_line(entry.actor)} ({entry.actor_type.label.lower()})")
    line(f"Commitment:  {entry.commitment.label}")
    stance = entry.stance
    line(f"Status:      {entry.status.label} (from statement {numbers[stance.index]})")
    line(f"Claimant:    {display_line(entry.claimant)}")
    line(f"Date:        {entry.date_span.words()}")
    held = since(entry, dates)
    line(f"Since:       {held.label() if held is not None else 'not dated (only undated statements give it)'}")
    line(f"Conditions:  {', '.join(c.label for c in entry.conditions) or 'none stated'}")
    if entry.condition_detail:
        line(f"Condition detail: {display_line(entry.condition_detail)}")
    line(f"US backstop: {entry.us_backstop.label}")
    if entry.numbers:
        line(f"Numbers:     {display_line('; '.join(str(q) for q in entry.numbers))}")
    line(f"Summary:     {display_line(entry.summary)}")
    if entry.notes:
        line(f"Notes:       {display_line(entry.notes)}")
    line()
    line(f"Statements ({len(entry.evidence)})")
    for i, ev in enumerate(entry.evidence):
        line(statement_line(numbers[i], ev, dates), "  ")
        line(f"“{display_line(ev.quote)}”", "      ")
    line()
    line(f"History ({CHANGED} the status changed; → the reading once the statement was known)")
    for text in history_lines(entry, dates, numbers):
        line(text, "  ")
    return out


def write(lines: Sequence[tuple[str, str]], out: TextIO, width: int | None) -> None:
    """Print ``lines``; with a ``width``, each wrapped to it under its indent."""
    for indent, text in lines:
        if width is None or not text:
            out.write(f"{indent}{text}\n")
            continue
        wrapped = textwrap.wrap(
            text,
            width=max(20, width),
            initial_indent=indent,
            subsequent_indent=indent + "    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        out.write("\n".join(wrapped or [indent]) + "\n")


def as_of_lines(
    entry_id: str, ledger: Ledger, day: dt.date, count_uncertain: bool
) -> tuple[Entry | None, list[str], list[tuple[str, str]], list[int]]:
    """The entry as it stood on ``day``: the entry then (None: gone), the lines that say
    what was left out, the uncertain statements apart, and the numbers of the kept statements."""
    from pledgetui.history import as_of

    now = ledger.entry(entry_id)
    assert now is not None
    then_ledger = as_of(ledger, day, count_uncertain=count_uncertain)
    then = then_ledger.ledger.entry(entry_id)
    dates = ledger.source_dates()
    position = {id(ev): i for i, ev in enumerate(now.evidence)}
    uncertain = [i for eid, i in then_ledger.uncertain if eid == entry_id]
    kept = [position[id(ev)] for ev in then.evidence] if then is not None else []
    later = len(now.evidence) - len(kept) - (0 if count_uncertain else len(uncertain))
    head = [
        f"As of {day.isoformat()}: {len(kept)} of {len(now.evidence)} statements counted; "
        f"{later} known to come later left out; {len(uncertain)} uncertain "
        + ("(counted: --count-uncertain)" if count_uncertain else "(left out; --count-uncertain counts them)")
    ]
    apart: list[tuple[str, str]] = []
    if uncertain:
        apart.append(("", ""))
        apart.append(
            (
                "",
                f"Uncertain as of {day.isoformat()} ({len(uncertain)}): may fall either side of the day, "
                + ("counted" if count_uncertain else "not counted"),
            )
        )
        for i in uncertain:
            apart.append(("  ", statement_line(i + 1, now.evidence[i], dates)))
    return then, head, apart, [i + 1 for i in kept]


def run(ns: argparse.Namespace) -> int:
    if ns.count_uncertain and ns.as_of is None:
        say(f"{PROG}: --count-uncertain needs --as-of")
        return 2
    try:
        loaded = load_ledger(ns.ledger)
    except CommandError as exc:  # not a ledger, or one with problems: bad input
        say(str(exc).split("\n") if isinstance(exc, LedgerUnreadable) else f"{PROG}: {exc}")
        return 2
    ledger = loaded.ledger
    entry = ledger.entry(ns.id)
    if entry is None:
        close = close_ids(ledger, ns.id)
        hint = f"; did you mean {', '.join(close)}?" if close else " (pledgetui list shows the ids)"
        say(f"{PROG}: no entry {ns.id!r} in {loaded.path}{hint}")
        return 1
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    if ns.as_of is None:
        write(describe(entry, ledger), sys.stdout, width)
        return 0
    then, head, apart, numbers = as_of_lines(ns.id, ledger, ns.as_of, ns.count_uncertain)
    write([("", text) for text in head], sys.stdout, width)
    if then is None:
        write(
            [("", f"{display_line(ns.id)}: no statement by {ns.as_of.isoformat()}, so no entry then."), *apart],
            sys.stdout,
            width,
        )
        return 1
    write([("", ""), *describe(then, ledger, numbers=numbers), *apart], sys.stdout, width)
    return 0
