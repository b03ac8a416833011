"""Search every article of the ledger: the hits with their context and the entries citing them.

The search is :class:`pledgetui.search.ArticleSearch` (each article read and folded once,
then kept for the next search). Enter opens the quote viewer on the article, browsing,
with the hit selected: a hit no statement cites is a candidate for a new one.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from pledgetui.model import Ledger
from pledgetui.passages import PassageIndex
from pledgetui.search import ArticleSearch, Hit, SearchError
from pledgetui.ui.text import join, safe_line
from pledgetui.ui.widgets.footer import KeyFooter
from pledgetui.ui.widgets.row_table import RowColumn, RowTable
from pledgetui.ui.widgets.safe_inputs import SafeInput
from pledgetui.verify import Articles

#: The most hits listed (a one-letter search of a large ledger would list every letter).
MAX_HITS = 5000

COLUMNS = (
    RowColumn("source", "Src", 4, 0),
    RowColumn("start", "At", 6, 0, drop=2),
    RowColumn("context", "Context", 24, 4),
    RowColumn("cited", "Cited by", 12, 1, drop=1),
)


def hit_cells(hit: Hit) -> tuple[str, str, str, str]:
    return (hit.source, str(hit.start), hit.context, ", ".join(hit.entry_ids) or "not cited")


class ArticleSearchScreen(Screen[None]):
    """A search field over every article and the table of its hits."""

    HELP_TITLE = "Search every article"

    CSS_PATH = "article_search.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="article_search.focus"),
        Binding("escape", "close", "Back", id="article_search.close"),
    ]

    def __init__(
        self,
        ledger: Ledger,
        articles: Articles,
        fallback_entry: str | None = None,
        passage_index: PassageIndex | None = None,
        text: str = "",
    ) -> None:
        """``fallback_entry``: the entry the viewer belongs to when a hit is cited by none."""
        super().__init__()
        self.ledger = ledger
        self.articles = articles
        self.search = ArticleSearch(ledger, articles.ledger_path, articles)
        self.fallback_entry = fallback_entry
        self.passage_index = passage_index
        self.text = text
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="as-bar"):
            yield SafeInput(
                self.text,
                placeholder="search every article (case and accents ignored), enter to list",
                id="as-text",
                select_on_focus=False,
                compact=True,
            )
            yield Static("", id="as-count", markup=False)
        yield Static("", id="as-note", markup=False)
        yield RowTable(COLUMNS, id="as-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.text:
            self.run_search(self.text)
            self.table.focus()
        else:
            self.query_one("#as-text", Input).focus()

    @property
    def table(self) -> RowTable:
        return self.query_one("#as-table", RowTable)

    def run_search(self, text: str) -> None:
        self.text = text
        note = self.query_one("#as-note", Static)
        try:
            self.hits = self.search.search(text, limit=MAX_HITS)
        except SearchError as exc:
            self.hits = []
            note.update(safe_line(str(exc)))
        else:
            uncited = sum(1 for h in self.hits if not h.cited)
            sources = len({h.source for h in self.hits})
            more = f" (the first {MAX_HITS})" if len(self.hits) >= MAX_HITS else ""
            parts: list[object] = [
                f"{len(self.hits)} hit{'' if len(self.hits) == 1 else 's'}{more} in {sources} "
                f"article{'' if sources == 1 else 's'}, {uncited} not cited by any statement · enter opens the article"
            ]
            if self.search.problems:
                parts.append(f" · not searched: {', '.join(sorted(self.search.problems))}")
            note.update(safe_line("".join(str(p) for p in parts)))
        self.query_one("#as-count", Static).update(join(f" {len(self.hits)} "))
        self.table.set_rows([hit_cells(h) for h in self.hits])

    @on(Input.Submitted, "#as-text")
    def _submitted(self, event: Input.Submitted) -> None:
        self.run_search(event.value)
        if self.hits:
            self.table.focus()

    def action_focus_search(self) -> None:
        self.query_one("#as-text", Input).focus()

    @on(RowTable.Selected)
    def _selected(self, event: RowTable.Selected) -> None:
        event.stop()
        self.open_hit(event.row)

    def open_hit(self, row: int) -> None:
        """The quote viewer on the hit's article, browsing, the hit selected."""
        from pledgetui.ui.screens.quote_viewer import QuoteViewer

        hit = self.hits[row]
        entry_id = hit.citations[0][0] if hit.citations else self.fallback_entry
        if entry_id is None and self.ledger.entries:
            entry_id = self.ledger.entries[0].id
        if entry_id is None:
            self.app.bell()
            return
        index = hit.citations[0][1] if hit.citations else 0
        viewer = QuoteViewer(self.ledger, self.articles, entry_id, index, self.passage_index)
        viewer.start_at_hit(hit.source, hit.start, hit.end)
        self.app.push_screen(viewer)

    def action_close(self) -> None:
        if self.focused is self.query_one("#as-text", Input) and self.hits:
            self.table.focus()
            return
        self.dismiss(None)
