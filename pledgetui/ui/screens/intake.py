"""Assisted intake: an article beside the statements it seems to hold (``pledgetui.suggest``).

The candidates are listed beside the article; the highlighted one is marked in the text and
its proposed coding is shown with the rules that proposed it. ``a`` (or enter) accepts it:
the add form opens filled in (the quote anchored, claimant, actor, commitment, stance,
conditions, date, numbers and a summary), for a person to confirm or correct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from pledgetui.sanitize import display, display_aligned
from pledgetui.suggest import Candidate, suggest
from pledgetui.ui.text import safe_line
from pledgetui.ui.widgets.article_view import ArticleView
from pledgetui.ui.widgets.footer import KeyFooter
from pledgetui.ui.widgets.row_table import RowColumn, RowTable

COLUMNS = (
    RowColumn("mark", "", 1, 0),
    RowColumn("actor", "Actor", 10, 2),
    RowColumn("commitment", "Commitment", 10, 1, drop=2),
    RowColumn("status", "Status", 9, 0),
    RowColumn("claimant", "Claimant", 10, 2, drop=1),
)

#: In the first column of a candidate already accepted.
ACCEPTED = "✓"


def candidate_cells(c: Candidate, accepted: bool) -> tuple[str, ...]:
    actor = c.actor or "?"
    if c.counter_position:
        actor += " ⟂"
    return (ACCEPTED if accepted else " ", actor, c.commitment.value, c.status.value, c.claimant)


def describe(c: Candidate) -> str:
    """The proposed coding and why, as lines for a person."""
    conditions = "" if c.conditions is None else (", ".join(x.value for x in c.conditions) or "none (unconditional)")
    lines = [
        f"{c.actor or '(no actor found)'} · {c.commitment.value} · {c.status.value}"
        + (" · counter-position" if c.counter_position else ""),
        f"claimant {c.claimant} · {c.party.value} · {c.basis.value}"
        + (f" · relayed by {c.relayed_by}" if c.relayed_by else ""),
    ]
    if conditions:
        lines.append(f"conditions: {conditions}")
    if c.numbers:
        lines.append("numbers: " + "; ".join(str(n) for n in c.numbers))
    if c.stated_why:
        lines.append(f"date: {c.stated_why}")
    lines.append("why: " + "; ".join(w for w in c.why if not w.startswith("date:")))
    return "\n".join(lines)


class IntakeScreen(Screen[None]):
    """An article (``text`` of source ``source_id``) and its candidate statements; ``accept``
    is called with the candidate a person accepts (it opens the add form)."""

    HELP_TITLE = "Candidate statements"

    CSS_PATH = "intake.tcss"
    BINDINGS = [
        Binding("a", "accept", "Accept (add form)", id="intake.accept"),
        Binding("tab", "switch", "Article / list", show=False, id="intake.switch"),
        Binding("escape", "close", "Back", id="intake.close"),
    ]

    def __init__(
        self,
        source_id: str,
        title: str,
        text: str,
        accept: Callable[[Candidate], None],
        *,
        candidates: list[Candidate] | None = None,
        article_date: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.source_id = source_id
        self.title_text = title
        self.text = text
        self.accept = accept
        self.article_date = article_date
        #: None while the article is being read (in a worker thread: a long article takes seconds).
        self.candidates: list[Candidate] | None = candidates
        self.total = len(candidates) if candidates is not None else 0
        self.accepted: set[int] = set()

    def compose(self) -> ComposeResult:
        with Horizontal(id="in-body"):
            yield ArticleView(id="in-article")
            with Vertical(id="in-side"):
                yield Static(self._title(), id="in-title", markup=False)
                yield RowTable(COLUMNS, id="in-table")
                yield Static("", id="in-why", markup=False)
        yield KeyFooter()

    def _title(self) -> Content:
        where = f"in {self.source_id} ({self.title_text})"
        if self.candidates is None:
            return safe_line(f"reading {where} for candidate statements …")
        count = len(self.candidates)
        shown = f"{count} candidate{'' if count == 1 else 's'}"
        if self.total > count:
            shown = f"the best {count} of {self.total} candidates"
        tail = " · a accepts" if count else " · none found: pick passages in the quote viewer (v, o)"
        return safe_line(f"{shown} {where}{tail}")

    def on_mount(self) -> None:
        self.query_one("#in-article", ArticleView).show_article(display_aligned(self.text))
        self.refresh_rows()
        self.table.focus()
        self.watch(self.table, "cursor", self._moved)
        if self.candidates is None:
            self.run_worker(self._find, thread=True, exclusive=True, name="suggest")

    def _find(self) -> None:
        found = suggest(self.text, article_date=self.article_date, author=f"{self.source_id} author")
        self.app.call_from_thread(self._found, found, found.total)

    def _found(self, found: list[Candidate], total: int) -> None:
        self.candidates = found
        self.total = total
        self.query_one("#in-title", Static).update(self._title())
        self.refresh_rows()

    @property
    def table(self) -> RowTable:
        return self.query_one("#in-table", RowTable)

    @property
    def current(self) -> Candidate | None:
        row = self.table.cursor
        found = self.candidates or []
        return found[row] if 0 <= row < len(found) else None

    def refresh_rows(self) -> None:
        row = self.table.cursor if self.table.rows else 0
        found = self.candidates or []
        self.table.set_rows([candidate_cells(c, i in self.accepted) for i, c in enumerate(found)], row=row)
        self._moved(self.table.cursor)

    def _moved(self, row: int) -> None:
        view = self.query_one("#in-article", ArticleView)
        c = self.current
        why = self.query_one("#in-why", Static)
        if c is None:
            view.mark(None, ())
            why.update("")
            return
        view.mark((c.start, c.end), tuple((x.start, x.end) for x in self.candidates or []))
        view.move_cursor(view.location_of(c.start))
        view.scroll_cursor_visible(center=True)
        why.update(Content(display(describe(c))))

    @on(RowTable.Selected)
    def _selected(self, event: RowTable.Selected) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        c = self.current
        if c is None:
            self.app.bell()
            return
        self.accepted.add(self.table.cursor)
        self.refresh_rows()
        self.accept(c)

    def action_switch(self) -> None:
        article = self.query_one("#in-article", ArticleView)
        (self.table if article.has_focus else article).focus()

    def action_close(self) -> None:
        self.dismiss(None)
