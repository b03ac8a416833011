"""The source-quote viewer: a pledge's evidence shown inside its article.

The article is shown character for character (``display_aligned``) so that the
anchored offsets of every quote are offsets into what the reader sees. The
current quote is styled strongly, every other passage of the article that some
ledger entry quotes is styled faintly. A quote that no longer anchors is shown
as an orphan with its stored text, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from pledgetui.anchors import Anchor, AnchorStatus, select
from pledgetui.model import Basis, Entry, Evidence, Ledger, Party
from pledgetui.sanitize import display_aligned
from pledgetui.ui.screens.source_picker import SourcePicker
from pledgetui.ui.state import LedgerChange
from pledgetui.ui.text import join, safe, safe_line
from pledgetui.ui.widgets.article_view import ArticleView, Span
from pledgetui.ui.widgets.detail import stance_line
from pledgetui.verify import Articles


@dataclass(frozen=True, slots=True)
class Passage:
    """A located span of an article and the (pledge id, evidence index) pairs quoting it."""

    start: int
    end: int
    citations: tuple[tuple[str, int], ...]

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def entry_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(pid for pid, _ in self.citations))


#: The shortest passage accepted as a quote: a word or two cannot carry a claim.
MIN_PASSAGE = 12

#: How many citing entries the header names before "and N more".
CITED_SHOWN = 12


class QuoteViewer(Screen[None]):
    """Show one evidence quote of a pledge inside its article; step through quotes and passages."""

    HELP_TITLE = "Quote viewer"

    CSS_PATH = "quote_viewer.tcss"
    BINDINGS = [
        Binding("n", "next_quote", "Next quote"),
        Binding("p", "previous_quote", "Prev quote"),
        Binding("right_square_bracket", "next_passage", "Next passage", key_display="]"),
        Binding("left_square_bracket", "previous_passage", "Prev passage", key_display="["),
        Binding("o", "open_article", "Open article", tooltip="Browse any article of the ledger to pick a passage"),
        Binding("a", "attach", "Attach selection", tooltip="Add the selected passage as a quote of this pledge"),
        Binding("N", "attach_new", "New pledge from selection"),
        Binding(
            "F",
            "accept_article_text",
            "Accept article text",
            tooltip="A drifted quote: take the article's words as the quote (an undoable edit)",
        ),
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
    ]

    class PassagePicked(Message):
        """The reader picked a passage as evidence: for ``entry_id``, or for a new pledge when None."""

        def __init__(self, viewer: QuoteViewer, entry_id: str | None, evidence: Evidence) -> None:
            super().__init__()
            self.viewer = viewer
            self.entry_id = entry_id
            self.evidence = evidence

    class ArticleTextAccepted(Message):
        """The reader accepted the article's text at ``start:end`` for a drifted quote."""

        def __init__(self, viewer: QuoteViewer, entry_id: str, index: int, text: str, start: int, end: int) -> None:
            super().__init__()
            self.viewer = viewer
            self.entry_id = entry_id
            self.index = index
            self.text = text
            self.start = start
            self.end = end

    def __init__(self, ledger: Ledger, articles: Articles, entry_id: str, evidence_index: int = 0) -> None:
        super().__init__()
        pledge = ledger.entry(entry_id)
        if pledge is None:
            raise ValueError(f"no pledge with id {entry_id!r} in the ledger")
        if not 0 <= evidence_index < len(pledge.evidence):
            raise ValueError(f"pledge {entry_id!r} has no evidence number {evidence_index + 1}")
        self.ledger = ledger
        self.articles = articles
        self.current_entry_id: str = entry_id
        self.current_index: int = evidence_index
        self.current_source_id: str = pledge.evidence[evidence_index].source
        self.highlight: Span | None = None
        self.browsing = False
        self.citing_ids: tuple[str, ...] = ()
        self.anchor: Anchor = Anchor(AnchorStatus.ORPHAN)
        self._passages: dict[str, tuple[Passage, ...]] = {}
        self._shown_source: str | None = None
        self._by_id: dict[str, Entry] | None = None

    @property
    def by_id(self) -> dict[str, Entry]:
        """The ledger's entries by id, built once per ledger (``Ledger.pledge`` is a linear scan)."""
        if self._by_id is None:
            self._by_id = {p.id: p for p in self.ledger.entries}
        return self._by_id

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="qv-header"):
            yield Static(id="qv-title")
            yield Static(id="qv-meta")
            yield Static(id="qv-note")
            yield Static(id="qv-status")
            yield Static(id="qv-stance")
            yield Static(id="qv-cited")
        with Vertical(id="qv-orphan"):
            yield Static(id="qv-orphan-banner")
            yield Static(id="qv-orphan-quote")
        yield ArticleView(id="qv-article")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one(ArticleView).focus()
        if hasattr(self.app, "ledger_state"):  # the dashboard app; a bare host app has no ledger to follow
            self.watch(self.app, "ledger_state", self._ledger_changed)

    def _ledger_changed(self, change: LedgerChange | None) -> None:
        """The app's ledger changed (an edit, undo, reload): follow it; move to the statement
        the change was about when it names one (a passage just attached)."""
        if change is None or change.ledger is self.ledger:
            return
        move = change.keep_id if change.statement is not None else None
        self.update_ledger(change.ledger, move, change.statement)

    # ------------------------------------------------------------------ model

    @property
    def pledge(self) -> Entry:
        pledge = self.by_id.get(self.current_entry_id)
        assert pledge is not None
        return pledge

    def _text(self, source_id: str) -> str | None:
        return self.articles.text(self.ledger, source_id)

    def passages(self, source_id: str) -> tuple[Passage, ...]:
        """Every located quote in the article, grouped by span, in reading order (cached)."""
        if source_id in self._passages:
            return self._passages[source_id]
        text = self._text(source_id)
        spans: dict[Span, list[tuple[str, int]]] = {}
        if text is not None:
            for p in self.ledger.entries:
                for i, ev in enumerate(p.evidence):
                    if ev.source == source_id:
                        anchor = self.articles.anchor(self.ledger, ev)
                        if anchor.found:
                            spans.setdefault((anchor.start, anchor.end), []).append((p.id, i))
        result = tuple(Passage(s, e, tuple(c)) for (s, e), c in sorted(spans.items()))
        self._passages[source_id] = result
        return result

    def selected_span(self) -> Span | None:
        """The reader's current selection as article offsets (start, end), or None if empty."""
        return self.query_one(ArticleView).selected_span()

    # ------------------------------------------------------------------ display

    def _show(self) -> None:
        self.browsing = False
        pledge = self.pledge
        ev = pledge.evidence[self.current_index]
        self.current_source_id = ev.source
        text = self._text(ev.source)
        self.anchor = self.articles.anchor(self.ledger, ev)
        passages = self.passages(ev.source)
        if self.anchor.found:
            self.highlight = (self.anchor.start, self.anchor.end)
            self.citing_ids = next((p.entry_ids for p in passages if p.span == self.highlight), (pledge.id,))
        else:
            self.highlight = None
            self.citing_ids = ()

        view = self.query_one(ArticleView)
        if self._shown_source != ev.source:
            view.show_article(display_aligned(text) if text is not None else "")
            self._shown_source = ev.source
        view.mark(self.highlight, tuple(p.span for p in passages) if self.anchor.found else ())
        view.move_cursor(view.location_of(self.highlight[0] if self.highlight else 0))
        view.call_after_refresh(view.scroll_cursor_visible, True)
        self._show_header(text)

    def _show_source_header(self, source_id: str) -> str:
        """Title, date, outlet and note of the article; returns its file name."""
        source = self.ledger.source(source_id)
        if source is not None:
            title = safe_line(source.title, "bold")
            meta_parts = [p for p in (source.date.isoformat() if source.date else "", source.outlet) if p]
            meta = join(
                safe_line(" · ".join(meta_parts) or "no date or outlet"), "  ", safe_line(f"({source.file})", "dim")
            )
            note = join("Note: ", safe_line(source.note, "italic")) if source.note else Content("")
        else:
            title = join("Source ", safe_line(source_id, "bold"), " is not listed in the ledger")
            meta, note = Content(""), Content("")
        self.query_one("#qv-title", Static).update(title)
        self.query_one("#qv-meta", Static).update(meta)
        self.query_one("#qv-note", Static).update(note)
        self.query_one("#qv-note").display = bool(note)
        return source.file if source is not None else source_id

    def show_source(self, source_id: str) -> None:
        """Browse an article (one the pledge does not quote yet, e.g. just imported) to pick passages from it."""
        self.browsing = True
        self.current_source_id = source_id
        self.highlight = None
        self.citing_ids = ()
        text = self._text(source_id)
        passages = self.passages(source_id)
        view = self.query_one(ArticleView)
        if self._shown_source != source_id:
            view.show_article(display_aligned(text) if text is not None else "")
            self._shown_source = source_id
        view.mark(None, tuple(p.span for p in passages))
        view.move_cursor((0, 0))
        view.scroll_home(animate=False)
        self._show_source_header(source_id)
        pledge = self.pledge
        self.query_one("#qv-stance", Static).update(Content(""))
        self.query_one("#qv-status", Static).update(
            join(
                "browsing · select a passage: ",
                ("a", "bold"),
                " adds it to ",
                safe_line(pledge.id, "bold"),
                ", ",
                ("N", "bold"),
                " starts a new pledge · n/p back to the pledge's quotes",
            )
        )
        count = len(passages)
        self.query_one("#qv-cited", Static).update(
            Content(f"{count} quoted passage{'s' if count != 1 else ''} in this article")
        )
        self.query_one("#qv-orphan").display = text is None
        if text is None:
            why = self.articles.problems.get(source_id, "")
            self.query_one("#qv-orphan-banner", Static).update(join("Article not readable: ", safe_line(why)))
            self.query_one("#qv-orphan-quote", Static).update(Content(""))

    def action_open_article(self) -> None:
        def chosen(source_id: str | None) -> None:
            if source_id is not None:
                self.show_source(source_id)

        self.app.push_screen(SourcePicker(self.ledger, self.current_source_id), chosen)

    def _show_header(self, text: str | None) -> None:
        pledge = self.pledge
        ev = pledge.evidence[self.current_index]
        file_name = self._show_source_header(ev.source)

        if self.anchor.verified:
            state = Content(
                "verified" + ("" if self.anchor.status is AnchorStatus.EXACT else f" ({self.anchor.status})")
            )
        elif self.anchor.found:
            state = Content("DRIFTED: not the article's words (F accepts the article's text)").stylize("bold $error")
        else:
            state = Content("ORPHAN").stylize("bold $error")
        kind = " (counter-position)" if pledge.is_counter else ""
        status = join(
            f"statement {self.current_index + 1} of {len(pledge.evidence)} for ",
            safe_line(pledge.id, "bold"),
            kind,
            " · ",
            state,
            " · ",
            safe_line(pledge.actor),
            ": ",
            safe_line(pledge.summary, "italic"),
        )
        self.query_one("#qv-status", Static).update(status)
        self.query_one("#qv-stance", Static).update(join("said by: ", stance_line(ev)))
        self.query_one("#qv-cited", Static).update(self._cited_line())

        orphan = not self.anchor.found
        self.query_one("#qv-orphan").display = orphan
        if orphan:
            why = self.articles.problems.get(ev.source, "") if text is None else ""
            banner = join("ORPHAN: quote not found in ", safe_line(file_name, "bold"))
            if why:
                banner = join(banner, " (", safe_line(why), ")")
            self.query_one("#qv-orphan-banner", Static).update(banner)
            self.query_one("#qv-orphan-quote", Static).update(join("Stored quote: ", safe(ev.quote, "italic")))

    def _cited_line(self) -> Content:
        if not self.citing_ids:
            return Content("cited by: (no located passage)")
        parts: list[Content | str] = ["cited by: "]
        shown = self.citing_ids[:CITED_SHOWN]
        if self.current_entry_id in self.citing_ids and self.current_entry_id not in shown:
            shown = (self.current_entry_id, *shown[: CITED_SHOWN - 1])
        for n, pid in enumerate(shown):
            if n:
                parts.append(", ")
            other = self.by_id.get(pid)
            parts.append(safe_line(pid, "bold" if pid == self.current_entry_id else ""))
            if other is not None and other.is_counter:
                parts.append(" (counter-position)")
        if len(self.citing_ids) > len(shown):
            parts.append(f" and {len(self.citing_ids) - len(shown):,} more")
        count = len(self.passages(self.current_source_id))
        parts.append(f"   · {count} quoted passage{'s' if count != 1 else ''} in this article")
        return join(*parts)

    # ------------------------------------------------------------------ actions

    def action_next_quote(self) -> None:
        self._step_quote(+1)

    def action_previous_quote(self) -> None:
        self._step_quote(-1)

    def _step_quote(self, step: int) -> None:
        count = len(self.pledge.evidence)
        if self.browsing:
            self._show()
            return
        if count < 2:
            self.app.bell()
            return
        self.current_index = (self.current_index + step) % count
        self._show()

    def action_next_passage(self) -> None:
        self._step_passage(+1)

    def action_previous_passage(self) -> None:
        self._step_passage(-1)

    def _step_passage(self, step: int) -> None:
        passages = self.passages(self.current_source_id)
        if not passages:
            self.app.bell()
            return
        spans = [p.span for p in passages]
        if self.highlight in spans:
            target = (spans.index(self.highlight) + step) % len(passages)
        else:  # an orphan: step from where the quote was stored
            stored = self.pledge.evidence[self.current_index].start
            after = [i for i, p in enumerate(passages) if p.start >= stored]
            before = [i for i, p in enumerate(passages) if p.start < stored]
            pool = after + before if step > 0 else (before[::-1] + after[::-1])
            target = pool[0]
        passage = passages[target]
        if passage.span == self.highlight and len(passages) == 1:
            self.app.bell()
            return
        own = [i for pid, i in passage.citations if pid == self.current_entry_id]
        if own:
            self.current_index = own[0]
        else:
            self.current_entry_id, self.current_index = passage.citations[0]
        self._show()

    def picked_evidence(self) -> Evidence | None:
        """The selection as evidence: offsets, prefix and suffix computed from the article, never typed."""
        span = self.selected_span()
        text = self._text(self.current_source_id)
        if span is None or text is None:
            self.notify("Select a passage first: shift+arrow keys, or drag with the mouse.", severity="warning")
            return None
        start, end = span
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            self.notify("The selection holds only white space.", severity="warning")
            return None
        if end - start < MIN_PASSAGE:
            self.notify(
                f"Select at least {MIN_PASSAGE} characters: a quote must carry who says what.", severity="warning"
            )
            return None
        sel = select(text, start, end)
        # A draft statement: its stance (claimant, party, basis, status) is set in the edit form.
        return Evidence.model_construct(
            source=self.current_source_id,
            claimant="",
            party=Party.FIRST_PARTY,
            basis=Basis.STATEMENT,
            status=None,
            stated=None,
            conditions=None,
            numbers=(),
            quote=sel.quote,
            prefix=sel.prefix,
            suffix=sel.suffix,
            start=sel.start,
            end=sel.end,
        )

    def action_accept_article_text(self) -> None:
        if self.browsing or self.anchor.status is not AnchorStatus.DRIFTED:
            self.notify("Only a drifted quote (found only approximately) can take the article's text.")
            return
        text = self._text(self.current_source_id)
        if text is None:
            return
        self.post_message(
            self.ArticleTextAccepted(
                self, self.current_entry_id, self.current_index, text, self.anchor.start, self.anchor.end
            )
        )

    def action_attach(self) -> None:
        evidence = self.picked_evidence()
        if evidence is not None:
            self.post_message(self.PassagePicked(self, self.current_entry_id, evidence))

    def action_attach_new(self) -> None:
        evidence = self.picked_evidence()
        if evidence is not None:
            self.post_message(self.PassagePicked(self, None, evidence))

    def update_ledger(self, ledger: Ledger, entry_id: str | None = None, evidence_index: int | None = None) -> None:
        """Show ``ledger``, optionally moving to statement ``evidence_index`` of ``entry_id``
        (its last statement when no index is given); leave when the entry shown is gone."""
        self.ledger = ledger
        self._passages.clear()
        self._by_id = None
        if entry_id is not None and entry_id in self.by_id:
            self.current_entry_id = entry_id
            count = len(self.pledge.evidence)
            self.current_index = count - 1 if evidence_index is None else evidence_index
        if self.current_entry_id not in self.by_id:
            self.dismiss(None)
            return
        self.current_index = min(self.current_index, len(self.pledge.evidence) - 1)
        self._show()

    def action_back(self) -> None:
        self.dismiss(None)
