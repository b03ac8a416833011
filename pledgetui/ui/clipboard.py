"""Copy with citation: the text is built in the core (pledgetui.citation); this sends it.

Textual copies through OSC 52 (``App.copy_to_clipboard``): the terminal puts the text on
the system clipboard. Terminals that block OSC 52 (macOS Terminal; tmux without
``set -g set-clipboard on``; some SSH setups) leave the clipboard unchanged: the README
says how to allow it, and the notice shows what was copied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pledgetui.citation import cite_entry, cite_passage, cite_statement

if TYPE_CHECKING:
    from textual.app import App

    from pledgetui.model import Entry, Ledger


def _send(app: App[Any], text: str, what: str) -> None:
    app.copy_to_clipboard(text)
    first = text.splitlines()[0] if text else ""
    if len(first) > 60:
        first = first[:59] + "…"
    app.notify(f"Copied {what} with its citation: {first}", title="Copied", timeout=4)


def copy_entry(app: App[Any], ledger: Ledger, entry: Entry) -> str:
    text = cite_entry(ledger, entry)
    _send(app, text, f"entry {entry.id}")
    return text


def copy_statement(app: App[Any], ledger: Ledger, entry: Entry, index: int, selection: str | None) -> str:
    text = cite_statement(ledger, entry, index, selection)
    _send(app, text, "the selection" if selection else "the quote")
    return text


def copy_passage(app: App[Any], ledger: Ledger, source_id: str, selection: str) -> str:
    text = cite_passage(ledger, source_id, selection)
    _send(app, text, "the selection")
    return text
