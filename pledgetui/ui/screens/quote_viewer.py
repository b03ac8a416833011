"""The source-quote viewer: an entry's statements shown inside its article.

The article is shown character for character (``display_aligned``) so that the
anchored offsets of every quote are offsets into what the reader sees. The
current quote is styled strongly, every other passage of the article that some
ledger entry quotes is styled faintly. A quote that no longer anchors is shown
as an orphan with its stored text, never hidden.

The dashboard keeps one viewer and shows it again with :meth:`QuoteViewer.open`
(composing a screen costs more than showing one). A viewer that is not on the
screen stack ignores ledger changes: the next ``open`` brings the ledger to show.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from pledgetui import passages as passage_rules
from pledgetui.anchors import Anchor, AnchorStatus
from pledgetui.model import Entry, Evidence, Ledger
from pledgetui.passages import CITED_SHOWN, MIN_PASSAGE, Passage, PassageIndex, SelectionRejected
from pledgetui.sanitize import display_aligned
from pledgetui.ui.screens.source_picker import SourcePicker
from pledgetui.ui.state import LedgerChange
from pledgetui.ui.text import join, safe, safe_line
from pledgetui.ui.widgets.article_view import ArticleView, Span
from pledgetui.ui.widgets.detail import stance_line
from pledgetui.ui.widgets.find_bar import FindBar
from pledgetui.ui.widgets.footer import KeyFooter
from pledgetui.verify import Articles

__all__ = ["CITED_SHOWN", "MIN_PASSAGE", "ArticleView", "Passage", "QuoteViewer", "SourcePicker"]


#: The viewer's actions that change the ledger: hidden in a read-only dashboard.
EDIT_ACTIONS = frozenset({"attach", "attach_new", "accept_article_text"})


class QuoteViewer(Screen[None]):
    """Show one evidence statement of an entry inside its article; step through quotes and passages."""

    HELP_TITLE = "Quote viewer"

    CSS_PATH = "quote_viewer.tcss"
    BINDINGS = [
        Binding("n", "next_quote", "Next quote", id="quote_viewer.next_quote"),
        Binding("p", "previous_quote", "Prev quote", id="quote_viewer.previous_quote"),
        Binding(
            "right_square_bracket", "next_passage", "Next passage", key_display="]", id="quote_viewer.next_passage"
        ),
        Binding(
            "left_square_bracket",
            "previous_passage",
            "Prev passage",
            key_display="[",
            id="quote_viewer.previous_passage",
        ),
        Binding(
            "o",
            "open_article",
            "Open article",
            tooltip="Browse any article of the ledger to pick a passage",
            id="quote_viewer.open_article",
        ),
        Binding(
            "a",
            "attach",
            "Attach selection",
            tooltip="Add the selected passage as a statement of this entry",
            id="quote_viewer.attach",
        ),
        Binding("N", "attach_new", "New entry from selection", id="quote_viewer.attach_new"),
        Binding(
            "F",
            "accept_article_text",
            "Accept article text",
            tooltip="A drifted quote: take the article's words as the quote (an undoable edit)",
            id="quote_viewer.accept_article_text",
        ),
        Binding("slash", "find", "Find", key_display="/", tooltip="Find in the article", id="quote_viewer.find"),
        Binding("f3", "step_match(1)", "Next match", show=False, id="quote_viewer.next_match"),
        Binding("shift+f3", "step_match(-1)", "Previous match", show=False, id="quote_viewer.previous_match"),
        Binding(
            "y", "copy", "Copy", tooltip="Copy the selection (or the quote) with its citation", id="quote_viewer.copy"
        ),
        Binding("escape", "back", "Back", id="quote_viewer.back"),
        Binding("q", "back", "Back", show=False, id="quote_viewer.back_q"),
    ]

    class PassagePicked(Message):
        """The reader picked a passage as evidence: for ``entry_id``, or for a new entry when None."""

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

    def __init__(
        self,
        ledger: Ledger,
        articles: Articles,
        entry_id: str,
        evidence_index: int = 0,
        index: PassageIndex | None = None,
    ) -> None:
        """``index``: the passage index of ``ledger`` over ``articles``, when one is kept (else
        the viewer makes its own)."""
        super().__init__()
        self.highlight: Span | None = None
        self.browsing = False
        self.citing_ids: tuple[str, ...] = ()
        self.quote_anchor: Anchor = Anchor(AnchorStatus.ORPHAN)  # not "anchor": that is a Widget method
        self._shown_article: tuple[str, str | None] | None = None  # (source id, text) in the ArticleView
        self.matches: list[Span] = []  # of the find bar's text in the article shown
        self._start_hit: tuple[str, int, int] | None = None  # an article search's hit to show first
        self.match_index = -1
        self._select(ledger, articles, entry_id, evidence_index, index)

    def _select(
        self, ledger: Ledger, articles: Articles, entry_id: str, evidence_index: int, index: PassageIndex | None
    ) -> None:
        if index is None or index.ledger is not ledger or index.articles is not articles:
            index = PassageIndex(ledger, articles)
        entry = index.by_id.get(entry_id)
        if entry is None:
            raise ValueError(f"no entry with id {entry_id!r} in the ledger")
        if not 0 <= evidence_index < len(entry.evidence):
            raise ValueError(f"entry {entry_id!r} has no statement number {evidence_index + 1}")
        self.ledger = ledger
        self.articles = articles
        self.index = index
        self.current_entry_id: str = entry_id
        self.current_index: int = evidence_index
        self.current_source_id: str = entry.evidence[evidence_index].source

    def open(
        self,
        ledger: Ledger,
        articles: Articles,
        entry_id: str,
        evidence_index: int = 0,
        index: PassageIndex | None = None,
    ) -> None:
        """Show statement ``evidence_index`` of ``entry_id`` in ``ledger`` (a viewer shown again):
        the find bar closed, nothing selected, the article scrolled to the quote."""
        self._select(ledger, articles, entry_id, evidence_index, index)
        if not self.is_mounted:
            return  # on_mount shows it
        self.matches, self.match_index = [], -1
        find = self.query_one(FindBar)
        if find.has_class("-open"):
            find.remove_class("-open")
            find.input.value = ""
        self._show()
        self.query_one(ArticleView).focus()

    @property
    def by_id(self) -> dict[str, Entry]:
        """The ledger's entries by id (kept by the passage index; ``Ledger.entry`` is a linear scan)."""
        return self.index.by_id

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
        yield FindBar(id="qv-find")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()
        if self._start_hit is not None:
            self.show_hit(*self._start_hit)
        self.query_one(ArticleView).focus()
        if hasattr(self.app, "ledger_state"):  # the dashboard app; a bare host app has no ledger to follow
            self.watch(self.app, "ledger_state", self._ledger_changed)

    def _ledger_changed(self, change: LedgerChange | None) -> None:
        """The app's ledger changed (an edit, undo, reload): follow it; move to the statement
        the change was about when it names one (a passage just attached). A viewer kept off
        the screen stack waits for its next ``open``."""
        if change is None or change.ledger is self.ledger or self not in self.app.screen_stack:
            return
        move = change.keep_id if change.statement is not None else None
        self.update_ledger(change.ledger, move, change.statement)

    # ------------------------------------------------------------------ model

    @property
    def entry(self) -> Entry:
        entry = self.by_id.get(self.current_entry_id)
        assert entry is not None
        return entry

    def _text(self, source_id: str) -> str | None:
        return self.articles.text(self.ledger, source_id)

    def passages(self, source_id: str) -> tuple[Passage, ...]:
        """Every located quote in the article, grouped by span, in reading order (kept by the
        passage index; see :func:`pledgetui.passages.collect`)."""
        return self.index.passages(source_id)

    def _show_article(self, source_id: str, text: str | None) -> ArticleView:
        """The article view, holding ``text`` (loaded again only when it is another article)."""
        view = self.query_one(ArticleView)
        if self._shown_article is None or self._shown_article[0] != source_id or self._shown_article[1] is not text:
            view.show_article(display_aligned(text) if text is not None else "")
            self._shown_article = (source_id, text)
        return view

    def selected_span(self) -> Span | None:
        """The reader's current selection as article offsets (start, end), or None if empty."""
        return self.query_one(ArticleView).selected_span()

    # ------------------------------------------------------------------ display

    def _show(self) -> None:
        self.browsing = False
        entry = self.entry
        ev = entry.evidence[self.current_index]
        self.current_source_id = ev.source
        text = self._text(ev.source)
        self.quote_anchor = self.articles.anchor(self.ledger, ev)
        passages = self.passages(ev.source)
        if self.quote_anchor.found:
            self.highlight = (self.quote_anchor.start, self.quote_anchor.end)
            self.citing_ids = passage_rules.citing(passages, self.highlight, (entry.id,))
        else:
            self.highlight = None
            self.citing_ids = ()

        view = self._show_article(ev.source, text)
        view.mark(self.highlight, tuple(p.span for p in passages) if self.quote_anchor.found else ())
        view.move_cursor(view.location_of(self.highlight[0] if self.highlight else 0))
        view.call_after_refresh(view.scroll_cursor_visible, True)
        self._show_header(text)

    def _show_source_header(self, source_id: str) -> str:
        """Title, date, outlet and note of the article; returns its file name."""
        source = self.ledger.source(source_id)
        if source is not None:
            title = safe_line(source.title, "bold")
            meta_parts = [p for p in (source.id, source.date.isoformat() if source.date else "", source.outlet) if p]
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
        """Browse an article (one the entry does not quote yet, e.g. just imported) to pick passages from it."""
        self.browsing = True
        self.current_source_id = source_id
        self.highlight = None
        self.citing_ids = ()
        text = self._text(source_id)
        passages = self.passages(source_id)
        view = self._show_article(source_id, text)
        view.mark(None, tuple(p.span for p in passages))
        view.move_cursor((0, 0))
        view.scroll_home(animate=False)
        self._show_source_header(source_id)
        entry = self.entry
        self.query_one("#qv-stance", Static).update(Content(""))
        # an entry that quotes nothing of this article is a stranger to it: say so, and ask on a
        unrelated = source_id not in entry.source_ids
        self.query_one("#qv-status", Static).update(
            join(
                "browsing · select a passage: ",
                ("a", "bold"),
                " adds it to ",
                safe_line(entry.id, "bold"),
                " (asks first: it quotes nothing of this article)" if unrelated else "",
                ", ",
                ("N", "bold"),
                " starts a new entry · n/p back to the entry's statements",
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

    def start_at_hit(self, source_id: str, start: int, end: int) -> None:
        """Open browsing ``source_id`` with ``start:end`` selected (a hit of an article search)."""
        self._start_hit = (source_id, start, end)

    def show_hit(self, source_id: str, start: int, end: int) -> None:
        """Browse ``source_id`` with the span ``start:end`` selected and in sight."""
        from textual.widgets.text_area import Selection

        self.show_source(source_id)
        view = self.query_one(ArticleView)
        view.selection = Selection(view.location_of(start), view.location_of(end))
        view.scroll_cursor_visible(center=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a read-only dashboard, picking a passage or taking the article's text edits nothing:
        those keys are gone."""
        if action in EDIT_ACTIONS:
            why = getattr(self.app, "why_read_only", None)
            if callable(why) and why() is not None:
                return False
        return super().check_action(action, parameters)

    def action_open_article(self) -> None:
        def chosen(source_id: str | None) -> None:
            if source_id is not None:
                self.show_source(source_id)

        self.app.push_screen(SourcePicker(self.ledger, self.current_source_id), chosen)

    def _show_header(self, text: str | None) -> None:
        entry = self.entry
        ev = entry.evidence[self.current_index]
        file_name = self._show_source_header(ev.source)

        if self.quote_anchor.verified:
            state = Content(
                "verified"
                + ("" if self.quote_anchor.status is AnchorStatus.EXACT else f" ({self.quote_anchor.status})")
            )
        elif self.quote_anchor.found:
            state = Content("DRIFTED: not the article's words (F accepts the article's text)").stylize("bold $error")
        else:
            state = Content("ORPHAN").stylize("bold $error")
        kind = " (counter-position)" if entry.is_counter else ""
        status = join(
            f"statement {self.current_index + 1} of {len(entry.evidence)} for ",
            safe_line(entry.id, "bold"),
            kind,
            " · ",
            state,
            " · ",
            safe_line(entry.actor),
            ": ",
            safe_line(entry.summary, "italic"),
        )
        self.query_one("#qv-status", Static).update(status)
        self.query_one("#qv-stance", Static).update(join("said by: ", stance_line(ev)))
        self.query_one("#qv-cited", Static).update(self._cited_line())

        orphan = not self.quote_anchor.found
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
        shown = passage_rules.named_citations(self.citing_ids, self.current_entry_id, CITED_SHOWN)
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
        count = len(self.entry.evidence)
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
        stored = self.entry.evidence[self.current_index].start  # where an orphan steps from
        passage = passage_rules.step(self.passages(self.current_source_id), self.highlight, stored, step)
        if passage is None:
            self.app.bell()
            return
        self.current_entry_id, self.current_index = passage_rules.citation_for(passage, self.current_entry_id)
        self._show()

    def picked_evidence(self) -> Evidence | None:
        """The selection as evidence: offsets, prefix and suffix computed from the article, never typed."""
        span = self.selected_span()
        text = self._text(self.current_source_id)
        if span is None or text is None:
            self.notify("Select a passage first: shift+arrow keys, or drag with the mouse.", severity="warning")
            return None
        try:
            # A draft statement: its stance (claimant, party, basis, status) is set in the edit form.
            return passage_rules.draft_evidence(text, self.current_source_id, *span)
        except SelectionRejected as exc:
            self.notify(str(exc), severity="warning")
            return None

    def action_accept_article_text(self) -> None:
        if self.browsing or self.quote_anchor.status is not AnchorStatus.DRIFTED:
            self.notify("Only a drifted quote (found only approximately) can take the article's text.")
            return
        text = self._text(self.current_source_id)
        if text is None:
            return
        self.post_message(
            self.ArticleTextAccepted(
                self, self.current_entry_id, self.current_index, text, self.quote_anchor.start, self.quote_anchor.end
            )
        )

    def action_attach(self) -> None:
        evidence = self.picked_evidence()
        if evidence is None:
            return
        entry_id = self.current_entry_id
        if not self.browsing or evidence.source in self.entry.source_ids:
            self.post_message(self.PassagePicked(self, entry_id, evidence))
            return
        from pledgetui.ui.screens.choice import ChoiceScreen

        def answered(answer: str | None) -> None:
            if answer == "attach":
                self.post_message(self.PassagePicked(self, entry_id, evidence))
            elif answer == "new":
                self.post_message(self.PassagePicked(self, None, evidence))

        self.app.push_screen(
            ChoiceScreen(
                "Add this passage to an entry that does not quote this article?",
                join(
                    safe_line(entry_id, "bold"),
                    " quotes nothing of ",
                    safe_line(evidence.source, "bold"),
                    " yet: it was the entry on screen when you opened this article. Add the passage "
                    "to it only if the passage is about that commitment.",
                ),
                [("y", "attach", f"Add to {entry_id}"), ("N", "new", "New entry"), ("escape", "cancel", "Cancel")],
            ),
            answered,
        )

    def action_attach_new(self) -> None:
        evidence = self.picked_evidence()
        if evidence is not None:
            self.post_message(self.PassagePicked(self, None, evidence))

    def update_ledger(self, ledger: Ledger, entry_id: str | None = None, evidence_index: int | None = None) -> None:
        """Show ``ledger``, optionally moving to statement ``evidence_index`` of ``entry_id``
        (its last statement when no index is given); leave when the entry shown is gone."""
        self.ledger = ledger
        self.index = self._index_of(ledger)
        if entry_id is not None and entry_id in self.by_id:
            self.current_entry_id = entry_id
            count = len(self.entry.evidence)
            self.current_index = count - 1 if evidence_index is None else evidence_index
        if self.current_entry_id not in self.by_id:
            self.dismiss(None)
            return
        self.current_index = min(self.current_index, len(self.entry.evidence) - 1)
        self._show()

    def _index_of(self, ledger: Ledger) -> PassageIndex:
        """The passage index of ``ledger``: the app's, when it keeps one; else derived from ours."""
        kept = getattr(self.app, "passage_index", None)
        if callable(kept):
            index = kept(ledger)
            if isinstance(index, PassageIndex) and index.ledger is ledger and index.articles is self.articles:
                return index
        return self.index.derive(ledger)

    def action_back(self) -> None:
        self.dismiss(None)

    # ------------------------------------------------------------------ find and copy

    def action_find(self) -> None:
        self.query_one(FindBar).open()

    def on_find_bar_changed(self, event: FindBar.Changed) -> None:
        from pledgetui.passages import find_all

        self.matches = find_all(self.query_one(ArticleView).text, event.text)
        self.match_index = -1
        if self.matches:
            cursor = self.query_one(ArticleView).selected_span() or (0, 0)
            # the first match at or after the cursor, as a browser's find does
            self.match_index = next((i for i, (start, _) in enumerate(self.matches) if start >= cursor[0]), 0) - 1
            self.action_step_match(1)
        else:
            self._show_match_count(event.text)

    def on_find_bar_step(self, event: FindBar.Step) -> None:
        self.action_step_match(event.step)

    def on_find_bar_closed(self) -> None:
        self.query_one(ArticleView).focus()

    def action_step_match(self, step: int) -> None:
        """Select the next (``1``) or previous (``-1``) match, wrapping around."""
        if not self.matches:
            self._show_match_count(self.query_one(FindBar).input.value)
            return
        from textual.widgets.text_area import Selection

        self.match_index = (self.match_index + step) % len(self.matches)
        start, end = self.matches[self.match_index]
        view = self.query_one(ArticleView)
        view.selection = Selection(view.location_of(start), view.location_of(end))
        view.scroll_cursor_visible(center=True)
        self._show_match_count(self.query_one(FindBar).input.value)

    def _show_match_count(self, text: str) -> None:
        count = "" if not text else f"{self.match_index + 1} of {len(self.matches)}" if self.matches else "no match"
        self.query_one(FindBar).show_count(count)

    def action_copy(self) -> None:
        """Copy the selected passage (or, with nothing selected, the current quote) with its citation."""
        from pledgetui.citation import within
        from pledgetui.ui.clipboard import copy_passage, copy_statement

        span = self.selected_span()
        article = self.query_one(ArticleView).text
        selection = self._text(self.current_source_id) if span is not None else None
        chosen = selection[span[0] : span[1]] if selection is not None and span is not None else None
        if chosen is None and span is not None:
            chosen = article[span[0] : span[1]]
        if self.browsing:
            if chosen:
                copy_passage(self.app, self.ledger, self.current_source_id, chosen)
            else:
                self.notify("Select a passage to copy (shift+arrows or the mouse)", severity="warning")
            return
        if chosen and span is not None and not within(span, self.highlight):
            # A selection outside the statement's quote (a find match, a passage nearby) is not
            # that statement's words: cite it by its source alone, as browsing does.
            copy_passage(self.app, self.ledger, self.current_source_id, chosen)
            return
        copy_statement(self.app, self.ledger, self.entry, self.current_index, chosen)
