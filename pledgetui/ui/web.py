"""In a browser (``pledgetui serve``): what the dashboard does differently.

The person at the browser is not the person at the server. Nothing they type names a
file or a program on the server: an export goes to their browser as a download (Textual's
file delivery) instead of a path written on the server, and the actions that read a file
or run a program there (``$EDITOR``, importing an article from a path) are hidden (footer,
palette, help) and refused.
"""

from __future__ import annotations

import io
import re
from typing import Any, Protocol

#: Actions of the dashboard that read or run something on the server: why each is refused in a browser.
SERVER_ONLY = {
    "edit_file": "the ledger file is on the server; its editor is not opened from a browser",
    "import_article": "articles are imported from files on the server, which a browser does not name",
}
#: The binding ids of :data:`SERVER_ONLY`'s actions (their palette entries are left out in a browser).
SERVER_ONLY_IDS = frozenset(f"dashboard.{action}" for action in SERVER_ONLY)

#: A download's name: letters, digits, dot, dash and underscore; no folder, at most 100 characters.
_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


class Deliverer(Protocol):
    """What delivering a download needs of the app (Textual's ``App.deliver_binary``)."""

    def deliver_binary(self, path_or_file: Any, *, save_filename: str | None = ..., mime_type: str | None = ...) -> Any:
        """Send the file to the user (in a browser: a download)."""


def refusal(action: str) -> str | None:
    """Why ``action`` is refused in a browser, or None."""
    return SERVER_ONLY.get(action)


def download_name(raw: str) -> str | None:
    """``raw`` as the name of a download, or None when it is not a plain file name (a folder,
    a path, characters a browser or a header could take differently)."""
    name = raw.strip()
    if not _NAME.fullmatch(name) or name.strip(".") == "":
        return None
    return name


MIME_TYPES = {"csv": "text/csv", "json": "application/json", "md": "text/markdown"}


def deliver_export(app: Deliverer, data: bytes, name: str, fmt: str) -> None:
    """Send an export's bytes to the browser as the download ``name``."""
    app.deliver_binary(io.BytesIO(data), save_filename=name, mime_type=MIME_TYPES.get(fmt, "application/octet-stream"))
