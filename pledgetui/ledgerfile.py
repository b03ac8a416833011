"""Read ledger files: parse and validate, reporting every problem found.

Errors a user can make (bad TOML, a typo in a key, a wrong vocabulary word) are
raised as :class:`LedgerError` carrying every problem found, each saying where
and what, so callers can print them without a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli

from pledgetui import files, nesting
from pledgetui.filesave import Fingerprint, fingerprint_of
from pledgetui.migrate import MIGRATED_FIELDS, migrate
from pledgetui.model import SCHEMA_VERSION, Entry, Ledger, integrity_problems
from pledgetui.sanitize import display_line

if TYPE_CHECKING:
    from pydantic import ValidationError

MAX_LEDGER_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}" if self.where else self.what


class LedgerError(Exception):
    """A ledger file that cannot be used, with every problem found."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = Path(path)
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        return "\n".join([self._head(), *(f"  - {p}" for p in self.problems)])

    def _head(self) -> str:
        return f"{self.path}: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"

    def report(self) -> list[str]:
        """The problems as lines for a person: the file name, then one line per problem, each
        through the display filter (a name or value cannot send escapes or fake a line)."""
        return [display_line(self._head()), *(f"  - {display_line(str(p))}" for p in self.problems)]


def read_bytes(path: Path, limit: int | None = None) -> tuple[bytes, os.stat_result]:
    # The limit is looked up at call time, so a caller (or a test) can change MAX_LEDGER_BYTES.
    limit = MAX_LEDGER_BYTES if limit is None else limit
    try:
        # Never blocks: a named pipe or a device is refused before it is read.
        return files.read_regular(path, limit)
    except files.NotReadable as exc:
        what = "is a directory, not a ledger file" if exc.kind == "folder" else exc.what
        raise LedgerError(path, [Problem("", what)]) from None


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):  # a byte-order mark some editors add: accept it
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        # Count characters, not bytes, as the TOML parser does: the bytes before
        # exc.start are valid UTF-8 (decoding stopped at the first bad byte).
        col = len(data[line_start : exc.start].decode("utf-8")) + 1
        raise LedgerError(path, [Problem(f"line {line}, column {col}", "is not valid UTF-8")]) from None


_MARKERS = re.compile(r"^<<<<<<< |^=======$|^>>>>>>> ", re.MULTILINE)


def _conflict_marker(text: str) -> int | None:
    """The line of the first of git's conflict markers, when the text holds all three kinds."""
    found = {m.group(0)[:3]: m.start() for m in reversed(list(_MARKERS.finditer(text)))}
    if len(found) < 3:
        return None
    return text.count("\n", 0, found["<<<"]) + 1


def parse_document(path: Path, data: bytes) -> dict[str, Any]:
    text = _decode(path, data)
    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        msg = getattr(exc, "msg", str(exc))
        where = f"line {line}, column {col}" if line else ""
        problems = [Problem(where, f"TOML syntax error: {msg}")]
        marker = _conflict_marker(text)
        if marker:
            problems.append(
                Problem(
                    f"line {marker}",
                    "holds git's conflict markers (<<<<<<<): git merged this ledger line by line; run "
                    "'pledgetui git-setup', then redo the merge (git checkout -m FILE) to merge it entry by entry",
                )
            )
        raise LedgerError(path, problems) from None
    except RecursionError:
        # The parser recurses per level of nesting: a few hundred brackets (or a dotted
        # key of a thousand parts) exhaust the stack. Nothing was built; say where.
        raise LedgerError(path, [_too_deep(text)]) from None
    return doc


def _too_deep(text: str) -> Problem:
    found = nesting.too_deep(text)
    if found is None:
        return Problem("", "nested too deep to read (a key of too many dotted parts, or too many nested tables)")
    line, col = found
    return Problem(
        f"line {line}, column {col}",
        f"nested too deep: arrays or inline tables more than {nesting.MAX_NESTING} levels deep (a ledger needs three)",
    )


def _raw_problems(doc: dict[str, Any]) -> list[Problem]:
    """What the raw table lacks before the model sees it: the format version must be stated
    (the model checks its value); an empty or comment-only file is not a ledger."""
    if "schema_version" in doc:
        return []
    if not doc:
        return [
            Problem(
                "schema_version",
                f"is required but missing: the file is empty or holds only comments (a ledger starts with schema_version = {SCHEMA_VERSION})",
            )
        ]
    return [
        Problem("schema_version", f"is required but missing (a ledger starts with schema_version = {SCHEMA_VERSION})")
    ]


Progress = Callable[[str, float], None]


#: Entries validated per pydantic call. One call over 100k entries holds the GIL
#: for ~0.4 s (pydantic-core does not release it), freezing a UI thread; chunks
#: of this size hold it a few milliseconds each.
VALIDATE_CHUNK = 1000


def _report(path: Path, doc: dict[str, Any], exc: ValidationError, migrated_from: int | None = None) -> LedgerError:
    from pledgetui import errors

    relocate = _original_loc if migrated_from is not None else None
    return LedgerError(path, [Problem(where, what) for where, what in errors.ledger_problems(doc, exc, relocate)])


def _original_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Where an error in a migrated version 1 file is in that file: the stance copied from
    an entry to its statements (``pledges[i].evidence[j].stated``) is the entry's field
    (``pledges[i].date_stated``)."""
    if len(loc) == 5 and loc[0] == "entries" and loc[2] == "evidence" and loc[4] in MIGRATED_FIELDS:
        return (loc[0], loc[1], MIGRATED_FIELDS[loc[4]])
    return loc


def _validate(doc: dict[str, Any], progress: Progress | None) -> Ledger:
    """``Ledger.model_validate(doc)``, entries in chunks. Raises ValidationError (from the whole
    document, so the error locations are the usual ones) if anything is invalid."""
    from pledgetui.validation import ValidationError, validate_entries

    entries = doc.get("entries")
    if not isinstance(doc, dict) or not isinstance(entries, list) or len(entries) <= VALIDATE_CHUNK:
        return Ledger.model_validate(doc)
    try:
        head = Ledger.model_validate({**doc, "entries": []})
        done: list[Entry] = []
        for i in range(0, len(entries), VALIDATE_CHUNK):
            done.extend(validate_entries(Entry, entries[i : i + VALIDATE_CHUNK]))
            if progress is not None:
                progress("checking", len(done) / len(entries))
    except ValidationError:
        return Ledger.model_validate(doc)  # raises, with locations in the whole document
    return head.model_copy(update={"entries": tuple(done)})


def validate_document(path: Path, doc: dict[str, Any], progress: Progress | None = None) -> Ledger:
    """Validate a parsed document (an older schema version is migrated first, see
    :mod:`pledgetui.migrate`). Raises :class:`LedgerError` with every problem found."""
    raw = _raw_problems(doc)
    migrated_from = None
    if isinstance(doc, dict):
        doc, migrated_from = migrate(doc)
    from pledgetui.validation import ValidationError

    try:
        ledger = _validate(doc, progress)
    except ValidationError as exc:
        raise LedgerError(path, raw + _report(path, doc, exc, migrated_from).problems) from None
    problems = raw + [Problem(where, what) for where, what in integrity_problems(ledger)]
    if problems:
        raise LedgerError(path, problems)
    return ledger


#: ``on_entries(entries, fraction)``: a batch of entries read so far (validated, stance attached).
#: They are provisional: the load may still fail (a problem found later in the file), and only
#: the ledger :func:`pledgetui.store.load` returns is the ledger.
OnEntries = Callable[[list[Entry], float], None]


def read(
    path: Path,
    data: bytes,
    progress: Progress | None = None,
    on_entries: OnEntries | None = None,
    *,
    stances: bool = True,
) -> Ledger:
    """The validated ledger in ``data``: the canonical-form reader first, the full path when it declines.
    With ``stances=False`` the canonical-form reader does not derive the entries' readings (for a
    ledger that is only compared and cached, never shown: neither looks at them)."""
    from pledgetui import fastread

    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data

    def batch(entries: list[Entry], fraction: float) -> None:
        if progress is not None:
            progress("parsing", fraction)
        if on_entries is not None:
            on_entries(entries, fraction)

    try:
        return fastread.read(body, batch, stances=stances)
    except fastread.Unexpected:
        pass
    if progress is not None:
        progress("parsing", -1)
    doc = parse_document(path, data)
    return validate_document(path, doc, progress)


def loads(data: bytes, path: Path | str = "<ledger>") -> Ledger:
    return read(Path(path), data)


def fingerprint(path: Path) -> Fingerprint:
    data, st = read_bytes(path)
    return fingerprint_of(data, st)
