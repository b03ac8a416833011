"""The source-quote viewer: exact highlight, stepping through quotes and passages, orphans, hostile text."""

from __future__ import annotations

import html
import re
from pathlib import Path

from textual import events
from textual.app import App
from textual.widgets import Static
from textual.widgets.text_area import Selection

from pledgetui.articlefile import read_article
from pledgetui.model import Ledger, Source
from pledgetui.ui.screens.quote_viewer import ArticleView, QuoteViewer
from pledgetui.verify import Articles
from tests.factory import ARTICLE_002, ARTICLE_003, SEEDS, evidence_for, pledge, small_ledger, write_ledger
from tests.pilot import started

T2 = read_article(SEEDS / ARTICLE_002)
T3 = read_article(SEEDS / ARTICLE_003)
DECL = "This is a declaration of intent to deploy forces to Ukraine in event of a peace deal."
IRELAND = "If there is a peace agreement, Ireland — as part of this coalition — will want to assist."
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]")


class Host(App[None]):
    pass


def replace_pledge(ledger: Ledger, entry_id: str, **update: object) -> Ledger:
    pledges = tuple(p.model_copy(update=update) if p.id == entry_id else p for p in ledger.entries)
    return ledger.model_copy(update={"entries": pledges})


def three_quote_ledger() -> Ledger:
    """uk-ground quotes a002, then a003 twice."""
    ledger = small_ledger()
    uk = ledger.entry("uk-ground")
    assert uk is not None
    extra = (evidence_for(T3, "a003", IRELAND), evidence_for(T3, "a003", "absolutely unacceptable"))
    return replace_pledge(ledger, "uk-ground", evidence=uk.evidence + extra)


def styled_text(view: ArticleView, span: tuple[int, int]) -> str:
    """The characters of the article lines under ``span`` that carry the current-quote style."""
    quote_style = view.quote_style
    first, _ = view.location_of(span[0])
    last, _ = view.location_of(span[1])
    out = []
    for row in range(first, last + 1):
        line = view.get_line(row)
        marked = [False] * len(line.plain)
        for s in line.spans:
            if s.style == quote_style:
                for i in range(s.start, s.end):
                    marked[i] = True
        out.append("".join(ch for ch, m in zip(line.plain, marked) if m))
    return "\n".join(o for o in out if o)


def screen_text(app: App) -> str:
    svg = app.export_screenshot()
    assert not UNSAFE.search(svg)
    assert "&#27;" not in svg and "&#x1b;" not in svg.lower()
    text = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
    assert not UNSAFE.search(text)
    return text


async def test_highlight_is_exactly_the_quote(ledger_path: Path) -> None:
    ledger = small_ledger()
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(ledger, Articles(ledger_path), "ireland-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        start = T3.index(IRELAND)
        assert viewer.highlight == (start, start + len(IRELAND))
        assert viewer.quote_anchor.status.value == "exact"
        assert viewer.current_source_id == "a003"
        view = viewer.query_one(ArticleView)
        assert styled_text(view, viewer.highlight) == IRELAND
        # the other quoted passage of the article is marked faintly, not as the quote
        other = T3.index("absolutely unacceptable")
        row, col = view.location_of(other)
        line = view.get_line(row)
        faint = [s for s in line.spans if s.style == view.passage_style]
        assert [(s.start, s.end) for s in faint] == [(col, col + len("absolutely unacceptable"))]
        status = str(viewer.query_one("#qv-status", Static).render())
        assert "statement 1 of 1 for ireland-ground" in status and "verified" in status
        # the cursor sits at the quote, which is scrolled into view
        assert view.cursor_location == view.location_of(start)
        assert view.scroll_offset.y > 0


async def test_n_and_p_step_through_the_pledge_quotes(ledger_path: Path) -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(three_quote_ledger(), Articles(ledger_path), "uk-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        seen = [(viewer.current_index, viewer.current_source_id, viewer.highlight)]
        for _ in range(3):
            await pilot.press("n")
            await pilot.pause()
            seen.append((viewer.current_index, viewer.current_source_id, viewer.highlight))
        d, i, r = T2.index(DECL), T3.index(IRELAND), T3.index("absolutely unacceptable")
        assert seen == [
            (0, "a002", (d, d + len(DECL))),
            (1, "a003", (i, i + len(IRELAND))),
            (2, "a003", (r, r + len("absolutely unacceptable"))),
            (0, "a002", (d, d + len(DECL))),  # wraps around
        ]
        assert viewer.current_entry_id == "uk-ground"
        assert styled_text(viewer.query_one(ArticleView), viewer.highlight) == DECL
        await pilot.press("p")
        await pilot.pause()
        assert (viewer.current_index, viewer.current_source_id) == (2, "a003")
        assert "statement 3 of 3 for uk-ground" in str(viewer.query_one("#qv-status", Static).render())


async def test_brackets_step_through_passages_and_citing_ids(ledger_path: Path) -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(three_quote_ledger(), Articles(ledger_path), "ireland-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        assert viewer.citing_ids == ("uk-ground", "ireland-ground")  # ledger order
        assert "cited by: uk-ground, ireland-ground" in str(viewer.query_one("#qv-cited", Static).render())
        await pilot.press("right_square_bracket")
        await pilot.pause()
        r = T3.index("absolutely unacceptable")
        assert viewer.highlight == (r, r + len("absolutely unacceptable"))
        assert viewer.citing_ids == ("uk-ground", "russia-mfa")
        assert viewer.current_entry_id == "uk-ground"  # the first entry citing the passage
        await pilot.press("left_square_bracket")
        await pilot.pause()
        i = T3.index(IRELAND)
        assert viewer.highlight == (i, i + len(IRELAND))
        assert viewer.current_entry_id == "uk-ground"  # the current entry cites it too: it stays
        assert viewer.current_index == 1
        assert styled_text(viewer.query_one(ArticleView), viewer.highlight) == IRELAND


async def test_shared_passage_lists_every_citing_pledge(ledger_path: Path) -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(small_ledger(), Articles(ledger_path), "france-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        assert viewer.citing_ids == ("uk-ground", "france-ground")
        cited = str(viewer.query_one("#qv-cited", Static).render())
        assert cited.startswith("cited by: uk-ground, france-ground ") and cited.endswith(
            "· 1 quoted passage in this article"
        )
        header = str(viewer.query_one("#qv-title", Static).render())
        assert header == "Paris summit report"
        assert "partisan framing" in str(viewer.query_one("#qv-note", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not viewer


async def test_orphan_shows_banner_and_stored_quote(ledger_path: Path) -> None:
    ledger = small_ledger()
    ev = ledger.entry("ireland-ground").evidence[0]  # type: ignore[union-attr]
    garbled = ev.model_copy(
        update={"quote": "Ireland will send a whole armoured division tomorrow.", "prefix": "", "suffix": ""}
    )
    ledger = replace_pledge(ledger, "ireland-ground", evidence=(garbled,))
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(ledger, Articles(ledger_path), "ireland-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        assert viewer.highlight is None and viewer.citing_ids == ()
        banner = viewer.query_one("#qv-orphan")
        assert banner.display
        assert (
            str(viewer.query_one("#qv-orphan-banner", Static).render()) == f"ORPHAN: quote not found in {ARTICLE_003}"
        )
        assert "Ireland will send a whole armoured division tomorrow." in str(
            viewer.query_one("#qv-orphan-quote", Static).render()
        )
        view = viewer.query_one(ArticleView)
        assert view.text == T3  # the article is still shown ...
        assert all(
            s.style != view.quote_style for row in range(view.document.line_count) for s in view.get_line(row).spans
        )
        assert view.passages == ()  # ... unhighlighted
        text = screen_text(app)
        assert "ORPHAN: quote not found in" in text
        # ] still reaches the located passages of the article
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert viewer.highlight is not None and not viewer.query_one("#qv-orphan").display


async def test_missing_article_is_an_orphan(ledger_path: Path) -> None:
    ledger = small_ledger()
    sources = tuple(s.model_copy(update={"file": "gone.txt"}) if s.id == "a002" else s for s in ledger.sources)
    ledger = ledger.model_copy(update={"sources": sources})
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(ledger, Articles(ledger_path), "uk-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        assert viewer.highlight is None
        banner = str(viewer.query_one("#qv-orphan-banner", Static).render())
        assert banner.startswith("ORPHAN: quote not found in gone.txt") and "not found next to the ledger" in banner
        assert DECL in str(viewer.query_one("#qv-orphan-quote", Static).render())
        assert viewer.query_one(ArticleView).text == ""


async def test_selected_span_reports_article_offsets(ledger_path: Path) -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(small_ledger(), Articles(ledger_path), "ireland-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        assert viewer.selected_span() is None
        view = viewer.query_one(ArticleView)
        start = T3.index("Simon")
        end = T3.index(IRELAND) + len(IRELAND)  # spans a soft-wrapped line
        view.selection = Selection(view.location_of(end), view.location_of(start))  # dragged backwards
        assert viewer.selected_span() == (start, end)
        assert T3[slice(*viewer.selected_span())].startswith("Simon")  # type: ignore[misc]
        first_line = T3.index("\n") + 1
        view.selection = Selection(view.location_of(first_line - 5), view.location_of(first_line + 3))
        assert viewer.selected_span() == (first_line - 5, first_line + 3)  # across a newline


async def test_mouse_click_moves_the_cursor_and_wheel_scrolls(ledger_path: Path) -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(small_ledger(), Articles(ledger_path), "ireland-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        view = viewer.query_one(ArticleView)
        before = view.cursor_location
        await pilot.click(ArticleView, offset=(5, 1))
        await pilot.pause()
        assert view.cursor_location != before
        y = view.scroll_offset.y
        for _ in range(3):
            view.post_message(events.MouseScrollDown(view, 5, 1, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert view.scroll_offset.y > y


HOSTILE = "[/bold] [link=x]\x1b]0;pwned\x07 \u202e" + "Збройні сили 🇺🇦🛡️ " * 24


async def test_hostile_text_is_shown_literally_and_safely(tmp_path: Path) -> None:
    article = "Intro [/bold] line.\n" + f"Quote follows: {HOSTILE} and the end.\n" + "Tail \x9b31m text\x1b[2J.\n"
    base = small_ledger()
    path = write_ledger(tmp_path / "hostile", base)
    (path.parent / "seeds" / "hostile.txt").write_text(article, encoding="utf-8")
    source = Source(id="h1", file="hostile.txt", title=HOSTILE, outlet=HOSTILE, note=HOSTILE)
    entry = pledge(
        id="hostile",
        actor=HOSTILE,
        commitment="air",
        status="announced",
        claimant=HOSTILE,
        summary=HOSTILE,
        evidence=[evidence_for(article, "h1", HOSTILE)],
    )
    ledger = base.model_copy(update={"sources": (*base.sources, source), "entries": (*base.entries, entry)})
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(ledger, Articles(path), "hostile")
        await app.push_screen(viewer)
        await pilot.pause()
        start = article.index(HOSTILE)
        assert viewer.highlight == (start, start + len(HOSTILE))
        view = viewer.query_one(ArticleView)
        assert len(view.text) == len(article)  # aligned: offsets still valid
        assert not UNSAFE.search(view.text)
        text = screen_text(app)
        assert "statement 1 of 1 for hostile · verified · [/bold] [link=x]" in text
        assert "Note: [/bold] [link=x]" in text
        assert "Quote follows: [/bold] [link=x]" in text
        assert "Збройні" in text
        await pilot.press("n", "right_square_bracket", "left_square_bracket")
        await pilot.pause()
        screen_text(app)


# --------------------------------------------------------------------------- following the app's ledger

MACRON = 'Macron vowed that Ukraine\'s allies and military backers would "make concrete commitments"'


async def viewer_in_app(app, pilot, entry_id: str, index: int = 0) -> QuoteViewer:
    """Open the quote viewer from the dashboard on statement ``index`` of ``entry_id``."""
    await started(app, pilot)
    dashboard = app.dashboard
    dashboard.table.cursor = dashboard.table.row_of(
        next(i for i, p in enumerate(dashboard.table.entries) if p.id == entry_id)
    )
    dashboard.action_open_quote(index)
    await pilot.pause()
    viewer = app.screen
    assert isinstance(viewer, QuoteViewer)
    assert (viewer.current_entry_id, viewer.current_index) == (entry_id, index)
    assert viewer.ledger is app.session.ledger
    return viewer


def status_line(viewer: QuoteViewer) -> str:
    return str(viewer.query_one("#qv-status", Static).render())


async def test_the_viewer_redraws_when_an_edit_changes_the_quote_it_shows(tmp_path: Path) -> None:
    from pledgetui.ui.app import PledgeApp

    app = PledgeApp(write_ledger(tmp_path / "l", three_quote_ledger()))
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await viewer_in_app(app, pilot, "uk-ground")
        d = T2.index(DECL)
        assert viewer.highlight == (d, d + len(DECL))
        session = app.session
        uk = session.ledger.entry("uk-ground")
        changed = uk.model_copy(
            update={"summary": "UK quote replaced", "evidence": (evidence_for(T2, "a002", MACRON), *uk.evidence[1:])}
        )
        assert app.controller.apply(lambda: session.put_entry(changed, replace_id="uk-ground"), "uk-ground")
        await pilot.pause()
        assert app.screen is viewer
        assert viewer.ledger is app.session.ledger  # the new ledger, not the one it was opened with
        assert (viewer.current_entry_id, viewer.current_index) == ("uk-ground", 0)
        assert viewer.entry.evidence[viewer.current_index].quote == MACRON
        m = T2.index(MACRON)
        assert viewer.highlight == (m, m + len(MACRON))
        assert styled_text(viewer.query_one(ArticleView), viewer.highlight) == MACRON
        assert "statement 1 of 3 for uk-ground" in status_line(viewer) and "UK quote replaced" in status_line(viewer)
        # the article's passages are the new ledger's: the old quote stays only as france-ground's
        assert viewer.citing_ids == ("uk-ground",)
        assert {p.span: p.entry_ids for p in viewer.passages("a002")} == {
            (d, d + len(DECL)): ("france-ground",),
            (m, m + len(MACRON)): ("uk-ground",),
        }


async def test_the_viewer_follows_a_removed_statement_and_its_undo(tmp_path: Path) -> None:
    from pledgetui.ui.app import PledgeApp

    app = PledgeApp(write_ledger(tmp_path / "l", three_quote_ledger()))
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await viewer_in_app(app, pilot, "uk-ground", 2)  # the third statement, "absolutely unacceptable"
        session = app.session
        uk = session.ledger.entry("uk-ground")
        shorter = uk.model_copy(update={"evidence": uk.evidence[:2]})
        assert app.controller.apply(lambda: session.put_entry(shorter, replace_id="uk-ground"), "uk-ground")
        await pilot.pause()
        assert app.screen is viewer and viewer.ledger is session.ledger
        assert len(viewer.entry.evidence) == 2
        assert viewer.current_index == 1  # the statement shown is gone: the last one left is shown
        i = T3.index(IRELAND)
        assert (viewer.current_source_id, viewer.highlight) == ("a003", (i, i + len(IRELAND)))
        assert "statement 2 of 2 for uk-ground" in status_line(viewer)

        app.controller.undo("uk-ground")
        await pilot.pause()
        assert app.screen is viewer and viewer.ledger is session.ledger
        assert viewer.entry == uk and len(viewer.entry.evidence) == 3
        assert viewer.current_index == 1 and viewer.highlight == (i, i + len(IRELAND))
        assert "statement 2 of 3 for uk-ground" in status_line(viewer)


async def test_the_viewer_closes_when_the_entry_it_shows_is_deleted(tmp_path: Path) -> None:
    from pledgetui.ui.app import PledgeApp

    app = PledgeApp(write_ledger(tmp_path / "l", three_quote_ledger()))
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await viewer_in_app(app, pilot, "ireland-ground")
        session = app.session
        assert app.controller.apply(lambda: session.delete_entry("ireland-ground"), None)
        await pilot.pause()
        assert viewer not in app.screen_stack and app.screen is app.dashboard
        assert "ireland-ground" not in {p.id for p in app.dashboard.visible_entries()}


async def test_the_viewer_closes_when_an_undo_removes_the_entry_it_shows(tmp_path: Path) -> None:
    from pledgetui.ui.app import PledgeApp

    app = PledgeApp(write_ledger(tmp_path / "l", three_quote_ledger()))
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        session = app.session
        copy = session.ledger.entry("russia-mfa").model_copy(update={"id": "russia-mfa-2"})
        assert app.controller.apply(lambda: session.put_entry(copy), "russia-mfa-2")
        await pilot.pause()
        viewer = await viewer_in_app(app, pilot, "russia-mfa-2")
        app.controller.undo("russia-mfa-2")  # the entry was added by the edit undone
        await pilot.pause()
        assert session.ledger.entry("russia-mfa-2") is None
        assert viewer not in app.screen_stack and app.screen is app.dashboard


async def test_a_viewer_shown_again_shows_the_ledger_as_it_is_now(tmp_path: Path) -> None:
    """The dashboard keeps one viewer: closed, it ignores edits (even one deleting the entry it
    last showed); opened again, it shows the current ledger, article and quote, find bar closed."""
    from pledgetui.sanitize import display_aligned
    from pledgetui.ui.app import PledgeApp
    from pledgetui.ui.widgets.find_bar import FindBar

    app = PledgeApp(write_ledger(tmp_path / "l", three_quote_ledger()))
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = await viewer_in_app(app, pilot, "uk-ground")
        assert viewer.query_one(ArticleView).text == display_aligned(T2)
        await pilot.press("slash")
        await pilot.press(*"peace")
        await pilot.pause()
        assert viewer.query_one(FindBar).has_class("-open") and viewer.matches
        viewer.query_one(ArticleView).focus()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard and viewer not in app.screen_stack

        session = app.session
        uk = session.ledger.entry("uk-ground")
        changed = uk.model_copy(update={"evidence": (evidence_for(T2, "a002", MACRON), *uk.evidence[1:])})
        assert app.controller.apply(lambda: session.put_entry(changed, replace_id="uk-ground"), "uk-ground")
        assert app.controller.apply(lambda: session.delete_entry("ireland-ground"), None)
        await pilot.pause()
        assert viewer.ledger is not session.ledger  # a closed viewer does not follow

        again = await viewer_in_app(app, pilot, "uk-ground")
        assert again is viewer and viewer.ledger is session.ledger
        m, d = T2.index(MACRON), T2.index(DECL)
        assert viewer.highlight == (m, m + len(MACRON))
        assert styled_text(viewer.query_one(ArticleView), viewer.highlight) == MACRON
        assert {p.span: p.entry_ids for p in viewer.passages("a002")} == {
            (d, d + len(DECL)): ("france-ground",),
            (m, m + len(MACRON)): ("uk-ground",),
        }
        assert not viewer.query_one(FindBar).has_class("-open") and viewer.matches == []
        assert viewer.selected_span() is None and app.focused is viewer.query_one(ArticleView)
        assert "statement 1 of 3 for uk-ground" in status_line(viewer)
        await pilot.press("escape")
        await pilot.pause()

        # another entry quoting another article: its article is the one shown
        third = await viewer_in_app(app, pilot, "uk-ground", 1)
        assert third is viewer and viewer.current_source_id == "a003"
        assert viewer.query_one(ArticleView).text == display_aligned(T3)
        i = T3.index(IRELAND)
        assert viewer.highlight == (i, i + len(IRELAND))
        assert "ireland-ground" not in "".join(p for passage in viewer.passages("a003") for p in passage.entry_ids)


async def test_the_footer_is_composed_again_only_when_its_keys_change(tmp_path: Path) -> None:
    from textual.widgets._footer import FooterKey

    from pledgetui.ui.app import PledgeApp
    from pledgetui.ui.widgets.footer import KeyFooter

    def keys(viewer: QuoteViewer) -> list[FooterKey]:
        return list(viewer.query_one(KeyFooter).query(FooterKey))

    def descriptions(viewer: QuoteViewer) -> set[str]:
        return {key.description for key in keys(viewer)}

    app = PledgeApp(write_ledger(tmp_path / "l", three_quote_ledger()))
    async with app.run_test(size=(240, 48)) as pilot:  # wide enough for every key, the find bar's too
        viewer = await viewer_in_app(app, pilot, "uk-ground")
        shown = keys(viewer)
        assert {"Next quote", "Find", "Back"} <= descriptions(viewer) and "Close find" not in descriptions(viewer)
        await pilot.press("escape")
        await pilot.pause()
        assert await viewer_in_app(app, pilot, "france-ground") is viewer
        assert keys(viewer) == shown  # the same widgets: shown again, not composed again

        await pilot.press("slash")  # the find bar's keys join the footer, and leave with it
        await pilot.pause()
        assert "Close find" in descriptions(viewer)
        await pilot.press("escape")
        await pilot.pause()
        assert "Close find" not in descriptions(viewer) and "Next quote" in descriptions(viewer)


async def test_a_relayed_statement_shows_who_relays_it(ledger_path: Path) -> None:
    ledger = small_ledger()
    uk = ledger.entry("uk-ground")
    assert uk is not None
    relayed = uk.evidence[0].model_copy(update={"relayed_by": "a002 author"})
    ledger = replace_pledge(ledger, "uk-ground", evidence=(relayed, *uk.evidence[1:]))
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        viewer = QuoteViewer(ledger, Articles(ledger_path), "uk-ground")
        await app.push_screen(viewer)
        await pilot.pause()
        stance = str(viewer.query_one("#qv-stance", Static).render())
        assert f"{relayed.claimant} (relayed by a002 author) · first party" in stance
