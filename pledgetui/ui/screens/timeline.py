"""The timeline: the statements as marks on a date axis, and firm commitments against claims.

Two plots (textual-plotext) over the entries the dashboard shows (filter applied): each
group's statements (an actor's, or a commitment type's) at the last day they can have been
made, by status; and the number of entries that read firm, as a claim or otherwise after
each day on which one changed. The data is :mod:`pledgetui.timeline`'s; this screen draws it.

A status is told by its mark's shape as well as its colour (a monochrome terminal loses the
colour); a filled mark is a stated day, a hollow one only the article's date (an upper
bound). Names reach plotext only sanitised and cut short: it renders to text with its own
colour codes, which the widget parses back.

This module imports plotext: the dashboard imports it only when the view opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from pledgetui.model import Entry, Ledger, Status
from pledgetui.sanitize import display_line
from pledgetui.timeline import Counts, Group, Grouping, Timeline, build
from pledgetui.ui.state import LedgerChange
from pledgetui.ui.text import join, safe_line
from pledgetui.ui.widgets.footer import KeyFooter

__all__ = ["COUNT_MARKERS", "MARKERS", "STATUS_COLOUR", "TimelineScreen", "tick_label"]

#: Per status: the mark of a stated day (filled) and of an upper bound (hollow).
MARKERS: dict[Status, tuple[str, str]] = {
    Status.SIGNED: ("■", "□"),
    Status.ANNOUNCED: ("▲", "△"),
    Status.SIGNALLED: ("◆", "◇"),
    Status.CONSIDERING: ("●", "○"),
    Status.CLAIMED: ("★", "☆"),
    Status.DECLINED: ("✖", "✕"),
}
STATUS_COLOUR: dict[Status, tuple[int, int, int]] = {
    Status.SIGNED: (0, 200, 90),
    Status.ANNOUNCED: (150, 220, 60),
    Status.SIGNALLED: (60, 180, 230),
    Status.CONSIDERING: (240, 200, 40),
    Status.CLAIMED: (160, 160, 160),
    Status.DECLINED: (230, 60, 60),
}
#: The count lines: (title, marker, colour).
COUNT_MARKERS: dict[str, tuple[str, tuple[int, int, int]]] = {
    "firm": ("●", STATUS_COLOUR[Status.SIGNED]),
    "claims": ("×", (200, 130, 230)),
    "other": ("·", STATUS_COLOUR[Status.SIGNALLED]),
}
COUNT_WORDS = {"firm": "firm (announced, signed)", "claims": "claims (claimed)", "other": "other readings"}
#: Rows the marks plot keeps for its frame and date labels.
FRAME_ROWS = 3


def y_limits(groups: int, height: int) -> tuple[float, float]:
    """Limits of the y axis that put ``groups`` rows (at 1 .. groups) the same number of lines
    apart in a plot ``height`` lines high (plotext would round them unevenly)."""
    inner = height - FRAME_ROWS
    if groups <= 1:
        return 0.0, 2.0
    step = max(1, (inner - 1) // (groups - 1))
    margin = ((inner - 1) / step - (groups - 1)) / 2
    return 1 - margin, groups + margin


def _one_cell(ch: str) -> str:
    """``ch`` if every terminal draws it in one cell; nothing for a joiner or a combining mark;
    else a dot (wide characters, and emoji, whose width terminals disagree on: a pair of
    regional indicators is one flag two cells wide)."""
    cells = cell_len(ch)
    if cells == 0:
        return ""
    return ch if cells == 1 and ord(ch) < 0x1F000 else "·"


def tick_label(name: str, width: int) -> str:
    """A name as plotext may draw it: sanitised (no control or bidi character reaches its
    output), one cell per character (plotext counts characters, not cells), cut to ``width``."""
    text = "".join(_one_cell(ch) for ch in display_line(name))
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _label(group: Group) -> str:
    return f"{group.label} (counter)" if group.counter else group.label


_FIRST_DAY, _LAST_DAY = dt.date.min.toordinal(), dt.date.max.toordinal()


def _day(ordinal: float) -> str:
    return dt.date.fromordinal(min(_LAST_DAY, max(_FIRST_DAY, round(ordinal)))).isoformat()


def _date_ticks(lo: int, hi: int, width: int) -> list[int]:
    """Evenly spread days between ``lo`` and ``hi`` (ordinals), as many as fit ``width`` cells."""
    fit = max(2, min(hi - lo + 1, width // 16))
    if hi == lo:
        return [lo]
    return sorted({round(lo + (hi - lo) * k / (fit - 1)) for k in range(fit)})


def draw_rank(status: Status) -> int:
    """The order marks are drawn in, later on top: claims first, then firmer statuses, and a
    refusal last, so that a refusal is never hidden under the claims of the same day."""
    return len(Status) if status is Status.DECLINED else status.strength


def hidden_marks(groups: Sequence[Group]) -> int:
    """How many marks another mark covers: several statuses (or kinds) on one day of one row
    draw in one cell, and only the top one shows."""
    hidden = 0
    for group in groups:
        seen: dict[dt.date, set[tuple[Status, bool]]] = {}
        for m in group.marks:
            seen.setdefault(m.day, set()).add((m.status, m.stated))
        hidden += sum(len(kinds) - 1 for kinds in seen.values())
    return hidden


class SizedPlot(PlotextPlot):
    """A plot that says when its size changes: how many groups fit depends on its height."""

    class Resized(Message):
        pass

    def on_resize(self) -> None:
        self.post_message(self.Resized())


class TimelineScreen(Screen[None]):
    """The statements on a date axis per actor or commitment type, and firm against claims over time."""

    HELP_TITLE = "Timeline"

    CSS_PATH = "timeline.tcss"
    BINDINGS = [
        Binding(
            "g",
            "toggle_grouping",
            "Actor/commitment",
            tooltip="Group by actor or by commitment type",
            id="timeline.group",
        ),
        Binding(
            "p", "next_plot", "Next plot", tooltip="Statements by date, or firm against claims", id="timeline.plot"
        ),
        Binding("escape", "close", "Back", id="timeline.close"),
        Binding("q", "close", "Back", show=False, id="timeline.close_q"),
    ]

    def __init__(self, ledger: Ledger, entries: Sequence[Entry], query: str = "") -> None:
        super().__init__()
        self.ledger = ledger
        self.shown_ids = [e.id for e in entries]
        self.query_text = query
        self.grouping = Grouping.ACTOR
        self.timeline: Timeline = build(entries, ledger.source_dates(), self.grouping)
        self.drawn: tuple[Group, ...] = ()  # the groups on the axis now
        self.more: tuple[Group, ...] = ()  # the placed groups left out for room

    def compose(self) -> ComposeResult:
        yield Static(id="tl-title")
        with TabbedContent(id="tl-tabs"):
            with TabPane("Statements by date", id="tl-marks-pane"):
                yield SizedPlot(id="tl-marks")
            with TabPane("Firm against claims", id="tl-counts-pane"):
                yield PlotextPlot(id="tl-counts")
        yield Static(id="tl-caption")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "ledger_state", self._ledger_changed, init=False)
        self._draw()

    def on_sized_plot_resized(self) -> None:
        self._draw()  # the groups that fit depend on the plot's height

    def _ledger_changed(self, change: LedgerChange | None) -> None:
        """The ledger changed underneath (a reload): the same entries, as they are now."""
        if change is None:
            return
        self.ledger = change.ledger
        self._rebuild()

    def _rebuild(self) -> None:
        wanted = set(self.shown_ids)
        entries = [e for e in self.ledger.entries if e.id in wanted]
        self.timeline = build(entries, self.ledger.source_dates(), self.grouping)
        self._draw()

    # ------------------------------------------------------------------ drawing

    def _plot_height(self) -> int:
        fallback = max(self.app.size.height - 11, 8)
        try:
            plot = self.query_one("#tl-marks", PlotextPlot)
        except NoMatches:  # the screen is being torn down (an interrupt while it opens)
            return fallback
        return plot.size.height or fallback

    def _rows(self) -> int:
        """The groups the marks plot has room for, a blank row between two."""
        return max(1, (self._plot_height() - FRAME_ROWS + 1) // 2)

    def _draw(self) -> None:
        t = self.timeline
        self.drawn, self.more = t.top(self._rows())
        width = self.app.size.width
        first, last = t.first, t.last
        span = (first.toordinal(), last.toordinal()) if first and last else None
        if span is not None:
            pad = max(1, (span[1] - span[0]) // 20)
            # padded, but within the calendar: a statement of 0001-01-01 or 9999-12-31 is a date too
            span = (max(_FIRST_DAY, span[0] - pad), min(_LAST_DAY, span[1] + pad))
        self._draw_marks(span, width)
        self._draw_counts(span, width)
        self.query_one("#tl-title", Static).update(self._title())
        self.query_one("#tl-caption", Static).update(self._caption())

    def _frame(self, plot: PlotextPlot, span: tuple[int, int] | None, width: int) -> None:
        plt = plot.plt
        plt.clear_figure()
        if span is not None:
            plt.xlim(span[0], span[1])
            ticks = _date_ticks(span[0] + 1, span[1] - 1, width - 16)
            plt.xticks([float(d) for d in ticks], [_day(d) for d in ticks])
        plot.refresh()

    def _draw_marks(self, span: tuple[int, int] | None, width: int) -> None:
        plot = self.query_one("#tl-marks", PlotextPlot)
        self._frame(plot, span, width)
        plt = plot.plt
        groups = self.drawn
        if not groups:
            plt.title("No dated statement in this view")
            return
        label_width = max(10, min(24, width // 5))
        n = len(groups)
        # one series per mark (status, stated or bound), drawn in :func:`draw_rank` order: where
        # marks meet on a day and row, a refusal and then the firmest are on top
        series: dict[tuple[int, bool, Status], tuple[list[float], list[float]]] = {}
        for row, group in enumerate(groups):
            for m in group.marks:
                xs, ys = series.setdefault((draw_rank(m.status), m.stated, m.status), ([], []))
                xs.append(float(m.day.toordinal()))
                ys.append(float(n - row))
        for (_, stated, status), (xs, ys) in sorted(series.items()):
            plt.scatter(xs, ys, marker=MARKERS[status][0 if stated else 1], color=STATUS_COLOUR[status])
        plt.yticks([float(y) for y in range(n, 0, -1)], [tick_label(_label(g), label_width) for g in groups])
        plt.ylim(*y_limits(n, self._plot_height()))

    def _draw_counts(self, span: tuple[int, int] | None, width: int) -> None:
        plot = self.query_one("#tl-counts", PlotextPlot)
        self._frame(plot, span, width)
        plt = plot.plt
        counts = self.timeline.counts
        if not counts or span is None:
            plt.title("No dated statement of a pledge in this view")
            return
        end = span[1]
        top = 0
        for name, (marker, colour) in COUNT_MARKERS.items():
            xs, ys = self._steps(counts, name, end)
            top = max(top, *ys)
            plt.plot(xs, ys, marker=marker, color=colour, label=name)
        step = max(1, -(-top // 5))
        plt.yticks([float(y) for y in range(0, top + step, step)])
        plt.ylim(0, top + max(1, step // 2))

    @staticmethod
    def _steps(counts: Sequence[Counts], name: str, end: int) -> tuple[list[int], list[int]]:
        """A step line: each count holds until the day it changes."""
        xs: list[int] = []
        ys: list[int] = []
        for c in counts:
            value = int(getattr(c, name))
            day = c.day.toordinal()
            if ys:
                xs.append(day)
                ys.append(ys[-1])
            xs.append(day)
            ys.append(value)
        xs.append(max(end, xs[-1]))
        ys.append(ys[-1])
        return xs, ys

    # ------------------------------------------------------------------ words

    def _title(self) -> Content:
        t = self.timeline
        by = "actor" if t.grouping is Grouping.ACTOR else "commitment type"
        view = f'filter "{self.query_text}"' if self.query_text else "every entry shown"
        return join(
            Content(f"Timeline by {by}").stylize("bold"),
            f"  ·  {t.statements} statement{'' if t.statements == 1 else 's'}, "
            f"{t.entries} entr{'y' if t.entries == 1 else 'ies'} (",
            safe_line(view),
            ")",
        )

    def _caption(self) -> Content:
        tabs = self.query_one("#tl-tabs", TabbedContent)
        return self._counts_caption() if tabs.active == "tl-counts-pane" else self._marks_caption()

    def _marks_caption(self) -> Content:
        t = self.timeline
        parts: list[Content | str] = []
        for status in sorted(Status, key=lambda s: -s.strength):
            filled, hollow = MARKERS[status]
            r, g, b = STATUS_COLOUR[status]
            parts += [Content(f"{filled}{hollow}").stylize(f"rgb({r},{g},{b})"), f" {status.value}  "]
        parts.append(
            f"\nfilled: the day stated, hollow: on or before the article's date  ·  {t.dated} placed, "
            f"{t.undated} undated (not drawn)"
        )
        hidden = hidden_marks(self.drawn)
        if hidden:
            parts.append(
                f"\n{hidden} mark{'' if hidden == 1 else 's'} under another on the same day and row "
                "(a refusal, then the firmest, is drawn on top; g regroups)"
            )
        if self.more:
            kind = "actor" if t.grouping is Grouping.ACTOR else "commitment type"
            parts.append(f"\nand {len(self.more)} more {kind}{'' if len(self.more) == 1 else 's'}: ")
            listed = ", ".join(display_line(_label(g)) for g in self.more)
            parts.append(safe_line(listed if len(listed) <= 100 else listed[:99] + "…"))
        return join(*parts)

    def _counts_caption(self) -> Content:
        t = self.timeline
        parts: list[Content | str] = []
        for name, (marker, (r, g, b)) in COUNT_MARKERS.items():
            parts += [Content(marker).stylize(f"rgb({r},{g},{b})"), f" {COUNT_WORDS[name]}  "]
        parts.append("\n")
        if t.counts:
            last = t.counts[-1]
            parts.append(
                f"By {last.day.isoformat()}: {last.firm} firm, {last.claims} claims, {last.other} other "
                f"({last.total} pledges with a dated statement)"
            )
        else:
            parts.append("No pledge in this view has a dated statement")
        if t.uncounted:
            parts.append(f"; {t.uncounted} with only undated statements, in no count")
        if t.counters:
            parts.append(f"; {t.counters} counter-position{'' if t.counters == 1 else 's'}, never counted")
        return join(*parts)

    def on_tabbed_content_tab_activated(self) -> None:
        self._draw()  # the caption is the plot's

    # ------------------------------------------------------------------ actions

    def action_toggle_grouping(self) -> None:
        self.grouping = self.grouping.other
        self._rebuild()

    def action_next_plot(self) -> None:
        tabs = self.query_one("#tl-tabs", TabbedContent)
        tabs.active = "tl-counts-pane" if tabs.active == "tl-marks-pane" else "tl-marks-pane"

    def action_close(self) -> None:
        self.dismiss(None)
