"""What the UI's helpers need from the app, each as a protocol naming only that.

The app (:class:`pledgetui.ui.app.PledgeApp`) owns the session and holds the
helpers; the helpers (the session controller, the dashboard, the column commands,
the external editor) take one of these protocols, never the app class. So the
imports run one way, app -> helper, and a test can hand a helper a fake.
Messages go up (a helper posts, the app handles), calls go down.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.message import Message
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.worker import Worker

    from pledgetui.ledgerfile import LedgerError
    from pledgetui.merge import Side
    from pledgetui.model import Conflict, Entry, Ledger
    from pledgetui.passages import PassageIndex
    from pledgetui.query import Index
    from pledgetui.session import EditSession
    from pledgetui.settings import Settings
    from pledgetui.verify import Articles


class Notifier(Protocol):
    """Anything that shows a notification: the app, a screen, a widget."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


class SessionHost(Notifier, Protocol):
    """What the session controller needs from the app: the session it changes, where to
    publish the result, and ways to ask the user, run work off the UI thread and quit."""

    session: EditSession | None
    articles: Articles | None
    load_error: LedgerError | None

    def publish(
        self, description: str, keep_id: str | None, statement: int | None = None, index: Index | None = None
    ) -> None: ...

    def update_title(self) -> None: ...

    def push_screen(self, screen: Screen[Any], callback: Callable[[Any], None] | None = None) -> Any: ...

    def run_worker(
        self,
        work: Callable[[], Any],
        *,
        name: str | None = "",
        group: str = "default",
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[Any]: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any) -> Any: ...

    def post_message(self, message: Message) -> bool: ...

    def exit(self, result: int | None = None) -> None: ...


class FileReloader(Protocol):
    """What the external editor needs from the session controller."""

    @property
    def session(self) -> EditSession | None: ...

    @property
    def busy(self) -> str | None:
        """The long operation under way (saving, reloading ...), or None."""
        ...

    def reload_edited_file(self, keep_id: str | None) -> None: ...


class EntryEditor(FileReloader, Protocol):
    """What the dashboard asks the session controller for."""

    def edit(self, entry: Entry) -> None: ...

    def add_copy(self, entry: Entry) -> None: ...

    def delete(self, entry: Entry, keep_id: str | None) -> None: ...

    def import_article(self) -> None: ...

    def resolve_conflict(self, conflict: Conflict, side: Side) -> bool: ...

    #: Why nothing is edited now (the dashboard shows the ledger as of a day), or None.
    past: str | None


class SettingsKeeper(Protocol):
    """The settings of this run, and a way to change some and write them at once."""

    @property
    def settings(self) -> Settings: ...

    def update(self, notifier: Notifier | None = None, **changes: object) -> None: ...


class DashboardHost(Protocol):
    """What the dashboard needs from the app, besides the ``ledger_state`` it watches."""

    @property
    def path(self) -> Path: ...

    @property
    def articles(self) -> Articles | None: ...

    @property
    def controller(self) -> EntryEditor: ...

    @property
    def preferences(self) -> SettingsKeeper: ...

    def passage_index(self, ledger: Ledger) -> PassageIndex: ...

    def update_title(self) -> None: ...

    def why_read_only(self) -> str | None:
        """Why nothing is edited here, or None: every editing key is then hidden."""
        ...


class Suspender(Notifier, Protocol):
    """An app that can hand the terminal to another program (``App.suspend``)."""

    def suspend(self) -> AbstractContextManager[None]: ...

    def clear_notifications(self) -> None: ...
