"""Read and write ledger files: parse, validate, atomic save, change detection.

Errors a user can make (bad TOML, a typo in a key, a wrong vocabulary word) are
raised as :class:`LedgerError` carrying every problem found, each saying where
and what, so callers can print them without a traceback.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import re
import select
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import tomli
import tomli_w
from pydantic import TypeAdapter, ValidationError

from pledgetui import cache, errors, files, nesting, osutil, paths, schema, tempfiles
from pledgetui.migrate import MIGRATED_FIELDS, migrate
from pledgetui.model import SCHEMA_VERSION, Entry, Ledger, integrity_problems
from pledgetui.sanitize import display_line

MAX_LEDGER_BYTES = 256 * 1024 * 1024
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
BACKUP_SUFFIX = ".bak"
#: Ledgers smaller than this load fast enough from TOML; they are not cached.
CACHE_MIN_ENTRIES = 2000


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


class SaveError(Exception):
    """A save that did not happen; the file on disk is unchanged."""


class ConflictError(SaveError):
    """The file changed on disk since it was read."""


@dataclass(frozen=True, slots=True)
class Fingerprint:
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Loaded:
    path: Path
    ledger: Ledger
    fingerprint: Fingerprint


# --------------------------------------------------------------------------- reading


def _fingerprint(data: bytes, st: os.stat_result) -> Fingerprint:
    return Fingerprint(size=st.st_size, mtime_ns=st.st_mtime_ns, sha256=hashlib.sha256(data).hexdigest())


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


def parse_document(path: Path, data: bytes) -> dict[str, Any]:
    text = _decode(path, data)
    try:
        doc = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        msg = getattr(exc, "msg", str(exc))
        where = f"line {line}, column {col}" if line else ""
        raise LedgerError(path, [Problem(where, f"TOML syntax error: {msg}")]) from None
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


@contextmanager
def gc_paused(*, freeze: bool = True) -> Iterator[None]:
    """Build millions of objects without the cyclic GC walking them.

    Loading a 100k-entry ledger with the collector on spends more time in
    collections than in parsing (measured: 10.6 s against 6.1 s). On exit the
    survivors are frozen (``gc.freeze``), so later collections, which may run on
    a UI thread, do not walk the ledger either. Ledger objects hold no reference
    cycles; refcounting still frees them. ``freeze=False`` for objects that do not
    outlive the block (a save's read-back ledger, compared and cached, then freed:
    at 100k entries the read-back takes twice as long with the collector on).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


#: Entries validated per pydantic call. One call over 100k entries holds the GIL
#: for ~0.4 s (pydantic-core does not release it), freezing a UI thread; chunks
#: of this size hold it a few milliseconds each.
VALIDATE_CHUNK = 1000

_ENTRIES = TypeAdapter(tuple[Entry, ...])


def _report(path: Path, doc: dict[str, Any], exc: ValidationError, migrated_from: int | None = None) -> LedgerError:
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
    entries = doc.get("entries")
    if not isinstance(doc, dict) or not isinstance(entries, list) or len(entries) <= VALIDATE_CHUNK:
        return Ledger.model_validate(doc)
    try:
        head = Ledger.model_validate({**doc, "entries": []})
        done: list[Entry] = []
        for i in range(0, len(entries), VALIDATE_CHUNK):
            done.extend(_ENTRIES.validate_python(entries[i : i + VALIDATE_CHUNK]))
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
#: the ledger :func:`load` returns is the ledger.
OnEntries = Callable[[list[Entry], float], None]


def load(
    path: Path | str,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    on_entries: OnEntries | None = None,
    write_cache: bool = True,
) -> Loaded:
    """Read, parse and validate a ledger file. Raises :class:`LedgerError`.

    With ``use_cache``, a file whose exact bytes were validated before is read
    from the validated cache (:mod:`pledgetui.cache`) instead of being parsed;
    a missing or broken cache entry just means a normal load. A file in the
    canonical form ``save`` writes is read by :mod:`pledgetui.fastread`; any other
    file (or anything that reader does not expect) by the full TOML parser and
    pydantic, which report every problem. ``progress`` is called as
    ``progress(stage, fraction)`` with stage ``reading``, ``parsing`` or ``checking``
    (fraction in 0..1, or -1 when unknown); ``on_entries`` with each batch of entries
    as it is read (see :data:`OnEntries`). With ``write_cache=False`` a ledger parsed from
    the file is not put in the cache here; the caller does it with :func:`remember` once
    it has shown the ledger.
    """
    path = Path(path)
    with gc_paused():
        return _load(path, use_cache, progress, on_entries, write_cache)


def remember(loaded: Loaded) -> bool:
    """Put a loaded ledger in the validated cache (when it is large enough to gain from it)."""
    if len(loaded.ledger.entries) < CACHE_MIN_ENTRIES or cache.cache_path(loaded.fingerprint.sha256).exists():
        return False
    return cache.write(loaded.fingerprint.sha256, loaded.ledger)


def _load(
    path: Path,
    use_cache: bool,
    progress: Progress | None,
    on_entries: OnEntries | None = None,
    write_cache: bool = True,
) -> Loaded:
    if progress is not None:
        progress("reading", -1)
    data, st = read_bytes(path)
    fp = _fingerprint(data, st)
    if use_cache and cache.cache_path(fp.sha256).is_file():
        # The file's bytes are not needed to rebuild the ledger from the cache: let them go
        # first (at 100k entries they are 110 MB next to the entries being built), and read
        # them again only if the cache turns out unusable.
        del data
        shown = [0]

        def counted(entries: list[Entry], fraction: float) -> None:
            shown[0] += len(entries)
            if on_entries is not None:
                on_entries(entries, fraction)

        cached = cache.read(fp.sha256, progress=progress, on_entries=counted)
        if cached is not None:
            return Loaded(path=path, ledger=cached, fingerprint=fp)
        if shown[0] and on_entries is not None:
            # A cache found damaged part way: the entries it gave are already shown, so the
            # file's reading gives only the ones after them (all are replaced once loaded).
            on_entries = _skipping(on_entries, shown[0])
        data, st = read_bytes(path)
        fp = _fingerprint(data, st)
    ledger = _read(path, data, progress, on_entries)
    del data
    if use_cache and write_cache and len(ledger.entries) >= CACHE_MIN_ENTRIES:
        cache.write(fp.sha256, ledger)
    return Loaded(path=path, ledger=ledger, fingerprint=fp)


def _skipping(on_entries: OnEntries, skip: int) -> OnEntries:
    """``on_entries`` without the first ``skip`` entries delivered."""
    left = [skip]

    def deliver(entries: list[Entry], fraction: float) -> None:
        if left[0]:
            cut = min(left[0], len(entries))
            left[0] -= cut
            entries = entries[cut:]
        if entries:
            on_entries(entries, fraction)

    return deliver


def _read(
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
    return _read(Path(path), data)


def read_article_bytes(path: Path) -> bytes:
    """An article file's bytes: a regular file only, opened without blocking, at most
    :data:`MAX_ARTICLE_BYTES` (checked before reading). Every reader of article files goes
    through here (find the file with :func:`pledgetui.paths.find_article`). Raises
    :class:`pledgetui.files.NotReadable` (``kind`` "too_large" beyond the limit)."""
    data, _ = files.read_regular(path, MAX_ARTICLE_BYTES)
    return data


def read_article(path: Path) -> str:
    """An article's text, exactly as stored (no newline translation). Raises OSError/ValueError."""
    try:
        data = read_article_bytes(path)
    except files.NotReadable as exc:
        if exc.kind == "too_large":
            raise ValueError(f"{path}: larger than the article limit of {MAX_ARTICLE_BYTES:,} bytes") from None
        raise ValueError(f"{path}: {exc.what}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not valid UTF-8 at byte {exc.start}") from None


# --------------------------------------------------------------------------- writing


def _plain(value: Any, record: schema.Record | None = schema.LEDGER) -> Any:
    """A model dump as TOML-ready data: vocabulary values as their text, absent values
    (``schema.omitted``) left out."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v, record) for v in value]
    if isinstance(value, dict) and record is not None:
        out = {}
        for k, v in value.items():
            field = record.field(k)
            if not schema.omitted(field, v):
                out[k] = _plain(v, schema.record_of(field))
        return out
    return value


def to_document(ledger: Ledger) -> dict[str, Any]:
    """The ledger as plain TOML-ready data: absent values are missing keys (TOML has no null)."""
    doc: dict[str, Any] = _plain(ledger.model_dump(mode="python"))
    for key in ("sources", "entries"):
        doc.setdefault(key, [])
    return doc


def dumps(ledger: Ledger) -> bytes:
    """Canonical TOML bytes: the same ledger always gives the same bytes.

    They are ``tomli_w``'s text of :func:`to_document`. The entries (all but a few lines
    of a large ledger) are written by :mod:`pledgetui.fastwrite`, which gives the same text
    without building the document; anything it does not know is written by ``tomli_w``."""
    from pledgetui import fastwrite

    if ledger.entries and type(ledger.schema_version) is int:
        try:
            body = fastwrite.entries(ledger.entries)
        except fastwrite.Unsupported:
            pass
        else:
            head: dict[str, Any] = _plain(ledger.model_dump(mode="python", exclude={"entries"}))
            head.setdefault("sources", [])
            return (tomli_w.dumps(head, multiline_strings=False) + body).encode("utf-8")
    return tomli_w.dumps(to_document(ledger), multiline_strings=False).encode("utf-8")


def fingerprint(path: Path) -> Fingerprint:
    data, st = read_bytes(path)
    return _fingerprint(data, st)


def changed_on_disk(path: Path, known: Fingerprint) -> bool:
    """True when ``path`` no longer holds the bytes described by ``known`` (or is gone).

    Size and mtime are checked first, but the content hash decides: an edit within
    the mtime granularity, or one that restores the mtime, is still caught.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != known.size:
            return True
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest() != known.sha256
    except OSError:
        # Gone, unreadable, or no longer a file: it does not hold the known bytes.
        return True


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable (best effort where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ----------------------------------------------------------------- temporary files
#
# The rule for temp files (named cleanable only once locked) lives in
# :mod:`pledgetui.tempfiles`, shared with the cache folder.

TEMP_SUFFIX = tempfiles.TEMP_SUFFIX
PENDING_SUFFIX = tempfiles.PENDING_SUFFIX
STALE_PENDING_SECONDS = tempfiles.STALE_PENDING_SECONDS
temp_name_pattern = tempfiles.temp_name_pattern
remove_live_temps = tempfiles.remove_live_temps
_new_temp = tempfiles.new_temp
_drop_temp = tempfiles.drop_temp


def remove_stale_temps(path: Path) -> list[str]:
    """Remove leftovers of killed saves of ``path`` (and of its backup) from its folder
    (:func:`pledgetui.tempfiles.remove_stale`). Returns the names removed. Never raises."""
    return tempfiles.remove_stale(path.parent, [path.name, path.name + BACKUP_SUFFIX])


# ----------------------------------------------------------------- guards


class ReadOnlyError(SaveError):
    """The target is marked read-only (or is the bundled ledger); nothing was written."""


def check_writable(path: Path, st: os.stat_result | None = None) -> None:
    """Raise :class:`ReadOnlyError` when ``path`` must not be replaced: the ledger bundled
    with the package, or a file whose mode marks it read-only."""
    reason = paths.read_only_reason(path)
    if reason is not None:
        raise ReadOnlyError(f"refusing to save {path}: {reason}; nothing was written")
    if st is None:
        try:
            st = os.stat(path)
        except OSError:
            return
    if stat.S_ISREG(st.st_mode) and not osutil.write_allowed_by_mode(st):
        raise ReadOnlyError(
            f"refusing to save {path}: the file is read-only (mode {stat.S_IMODE(st.st_mode):04o}); "
            "make it writable (chmod u+w) to save over it, or save a copy; nothing was written"
        )


def _same_state(a: os.stat_result, b: os.stat_result) -> bool:
    """Nothing wrote, replaced or re-moded the file between two stats (ctime moves on any write,
    and cannot be set back the way mtime can)."""
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns, a.st_mode) == (
        b.st_dev,
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
        b.st_mode,
    )


def _verified_stat(path: Path, expected: Fingerprint) -> os.stat_result:
    """The stat of ``path`` taken while checking that it holds exactly the ``expected`` bytes;
    raises :class:`ConflictError` when it does not (changed, replaced or gone)."""
    try:
        with open(path, "rb") as fh:
            before = os.fstat(fh.fileno())
            if stat.S_ISREG(before.st_mode) and before.st_size == expected.size:
                digest = hashlib.sha256(fh.read()).hexdigest()
                if digest == expected.sha256 and _same_state(before, os.stat(path)):
                    return before
    except OSError:
        pass
    raise ConflictError(f"{path} changed on disk since it was read; not overwritten")


def atomic_write(
    path: Path,
    data: bytes,
    *,
    backup: bool = True,
    expected: Fingerprint | None = None,
    exclusive: bool = False,
) -> os.stat_result:
    """Replace ``path`` with ``data`` so that a reader or a crash sees the old or the new file, never half.

    Steps: temp file in the same folder, write, fsync, copy the old mode, keep the old
    file as ``<name>.bak``, re-check the target, ``os.replace``, fsync the folder.
    Returns the stat of the new file.

    - ``expected``: the fingerprint of the file when it was read. The target is checked
      against it before anything is written and again immediately before the rename
      (stat identity, and the content hash when the stat moved); a change raises
      :class:`ConflictError`.
    - ``exclusive``: the target must not exist; it is created with a hard link, which
      fails rather than replace a file that appeared meanwhile.
    - A read-only target (mode bits, or the bundled ledger) raises :class:`ReadOnlyError`.
      A target that is not a regular file raises :class:`SaveError` (see :func:`write_output`).
    - Leftover temp files of killed saves of this target are removed first
      (:func:`remove_stale_temps`).

    A failure at any step, and any interruption (KeyboardInterrupt, SystemExit), removes the
    temp file; a failure raises :class:`SaveError` and the target is untouched.
    """
    # Write through a symbolic link to the file it names: replacing the link itself
    # would leave the real ledger unchanged and detach it from its articles.
    path = Path(os.path.realpath(path))
    folder = path.parent
    try:
        st_old: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st_old = None
    except OSError as exc:
        raise SaveError(f"could not save {path}: {exc.strerror or exc}; nothing was written") from exc
    if st_old is not None:
        if stat.S_ISDIR(st_old.st_mode):
            raise SaveError(f"could not save {path}: it is a folder; nothing was written")
        if not stat.S_ISREG(st_old.st_mode):
            raise SaveError(f"could not save {path}: it is not a regular file; nothing was written")
        if exclusive:
            raise SaveError(f"{path} already exists; not overwritten")
    check_writable(path, st_old)
    if st_old is not None:
        old_mode = stat.S_IMODE(st_old.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        old_mode = 0o666 & ~umask
    seen = None if expected is None else _verified_stat(path, expected)
    remove_stale_temps(path)
    step = "create a temporary file"
    tmp: str | None = None
    keep = -1
    try:
        fd, tmp = _new_temp(folder, path.name)
        keep = os.dup(fd)  # holds the temp's lock (and its stat) until after the rename
        with os.fdopen(fd, "wb") as fh:
            step = "write"
            fh.write(data)
            step = "flush"
            fh.flush()
            step = "fsync"
            os.fsync(fh.fileno())
            step = "set the file mode"
            osutil.set_mode(fh.fileno(), tmp, old_mode)
        if backup and st_old is not None:
            step = "keep a backup of the previous version"
            _backup(path, expected)
        step = "check the file again"
        if seen is not None:
            try:
                now = os.stat(path)
            except OSError:
                now = None
            if now is None or not _same_state(now, seen):
                assert expected is not None  # seen is only set when a fingerprint was given
                seen = _verified_stat(path, expected)  # raises ConflictError unless the bytes are the same
            check_writable(path, seen)
        step = "replace"
        if exclusive:
            try:
                os.link(tmp, path)  # fails with EEXIST instead of replacing a file that appeared
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                if os.path.lexists(path):  # no hard links here: the last look before the rename
                    raise FileExistsError(errno.EEXIST, "exists") from None
                os.replace(tmp, path)
            _drop_temp(tmp)
        else:
            os.replace(tmp, path)
            tempfiles.forget(tmp)
        tmp = None
        step = "fsync the folder"
        fsync_dir(folder)
        return os.fstat(keep)
    except FileExistsError as exc:
        raise SaveError(f"{path} already exists; not overwritten") from exc
    except OSError as exc:
        raise SaveError(
            f"could not save {path}: {step} failed: {exc.strerror or exc}; the file on disk is unchanged"
        ) from exc
    finally:
        if tmp is not None:
            _drop_temp(tmp)
        if keep >= 0:
            os.close(keep)


def _backup(path: Path, expected: Fingerprint | None = None) -> None:
    """Copy the current file to ``<name>.bak`` atomically (the copy is itself written via a temp file).

    With ``expected``, the bytes copied must be the expected ones (:class:`ConflictError`
    otherwise, and the previous backup is kept): the backup is the version that was read.
    """
    target = path.with_name(path.name + BACKUP_SUFFIX)
    data = path.read_bytes()
    if expected is not None and hashlib.sha256(data).hexdigest() != expected.sha256:
        raise ConflictError(f"{path} changed on disk since it was read; not overwritten")
    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, tmp = _new_temp(path.parent, target.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            osutil.set_mode(fh.fileno(), tmp, mode)
        os.replace(tmp, target)
        tempfiles.forget(tmp)
    except BaseException:
        _drop_temp(tmp)
        raise


_FD_ALIASES = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/self/fd/\d+")


#: How long an export waits for a reader of a named pipe to open it (one started just before).
FIFO_READER_GRACE = 1.0


def _open_for_output(target: Path | str, st: os.stat_result, *, blocking: bool = True) -> int:
    """Open a device, a named pipe or a descriptor's alias for writing, never waiting.

    A named pipe that nothing reads would block an ordinary open until a reader
    comes, for ever in a script; opened without blocking it fails at once (ENXIO),
    which is said in words. Once open, writes block again as usual (a slow reader
    slows the export, it does not break it)."""
    flags = os.O_WRONLY | osutil.O_CLOEXEC | osutil.O_BINARY | osutil.O_NOCTTY | osutil.O_NONBLOCK
    if stat.S_ISREG(st.st_mode):
        flags |= os.O_TRUNC
    deadline = time.monotonic() + FIFO_READER_GRACE
    while True:
        try:
            fd = os.open(target, flags)
            break
        except OSError as exc:
            if exc.errno == errno.ENXIO and stat.S_ISFIFO(st.st_mode):
                if time.monotonic() < deadline:  # a reader started just before us may not have opened it yet
                    time.sleep(0.05)
                    continue
                raise SaveError(
                    f"could not write to {target}: it is a named pipe that nothing is reading; "
                    "start the program that reads it first, then export again"
                ) from None
            raise SaveError(f"could not write to {target}: {exc.strerror or exc}") from exc
    if blocking:
        try:
            os.set_blocking(fd, True)
        except OSError:
            pass  # no such mode here (Windows): writes were blocking anyway
    return fd


#: How often a write that waits for a slow reader looks whether it was asked to stop.
STOP_POLL_SECONDS = 0.2


def _write_all(fd: int, data: bytes, stop: Callable[[], bool] | None) -> int:
    """Write ``data`` into ``fd``; the bytes written. With ``stop``, ``fd`` is non-blocking
    and, while the reader keeps up no more, ``stop()`` is asked every
    :data:`STOP_POLL_SECONDS`: True gives up (:class:`WriteStopped`)."""
    view = memoryview(data)
    written = 0
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            if stop is not None and stop():
                raise WriteStopped(written) from None
            select.select([], [fd], [], STOP_POLL_SECONDS)
            continue
        except BrokenPipeError as exc:
            raise ReaderGone(written) from exc
        written += n
        view = view[n:]
    return written


class WriteStopped(Exception):
    def __init__(self, written: int) -> None:
        super().__init__(written)
        self.written = written


class ReaderGone(Exception):
    def __init__(self, written: int) -> None:
        super().__init__(written)
        self.written = written


def write_output(
    target: Path | str,
    data: bytes,
    *,
    for_terminal: Callable[[bytes], bytes] | None = None,
    stop: Callable[[], bool] | None = None,
) -> None:
    """Write an export to ``target``: a regular file (or a new name) is replaced atomically
    (:func:`atomic_write`, no backup); a character device, a named pipe or an alias of an
    open descriptor (``/dev/stdout``, ``/dev/fd/N``) is written into, never replaced; a
    folder or any other kind of file is refused. ``for_terminal`` turns the bytes into
    what a terminal may be shown, when the target is one. ``stop``: asked while a pipe's
    reader does not keep up; True gives up the write (a dashboard that quits does not
    wait for a reader that never reads). Raises :class:`SaveError`.
    """
    name = str(target)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise SaveError(f"could not save {target}: {exc.strerror or exc}; nothing was written") from exc
    alias = _FD_ALIASES.fullmatch(name) is not None
    if st is None and not os.path.isdir(os.path.dirname(os.path.abspath(name))):
        raise SaveError(
            f"could not save {target}: the folder {os.path.dirname(os.path.abspath(name))} does not exist; nothing was written"
        )
    if st is None or (stat.S_ISREG(st.st_mode) and not alias):
        atomic_write(Path(target), data, backup=False)
        return
    if stat.S_ISDIR(st.st_mode):
        raise SaveError(f"could not save {target}: it is a folder; give a file name")
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode) or (alias and stat.S_ISREG(st.st_mode))):
        kind = "block device" if stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "special file"
        raise SaveError(f"could not save {target}: it is a {kind}; nothing was written")
    fd = _open_for_output(target, st, blocking=stop is None)
    try:
        if for_terminal is not None and os.isatty(fd):
            data = for_terminal(data)
        _write_all(fd, data, stop)
    except WriteStopped as exc:
        raise SaveError(
            f"stopped writing to {target} after {exc.written:,} of {len(data):,} bytes, as asked: "
            "its reader was not reading; what it received is incomplete"
        ) from None
    except ReaderGone as exc:
        raise SaveError(
            f"could not finish writing to {target}: its reader went away after {exc.written:,} of "
            f"{len(data):,} bytes; what it received is incomplete"
        ) from None
    except OSError as exc:
        raise SaveError(f"could not write to {target}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def save(
    ledger: Ledger,
    path: Path | str,
    *,
    expected: Fingerprint | None = None,
    backup: bool = True,
    exclusive: bool = False,
) -> Fingerprint:
    """Write ``ledger`` to ``path`` atomically and return the new file's fingerprint.

    ``expected`` is the fingerprint from when the file was read: if the file has
    changed since, before the save or while it runs, up to the moment of the rename,
    :class:`ConflictError` is raised and nothing is written. ``exclusive``: refuse to
    replace an existing file. The bytes are parsed back before anything touches the disk.
    """
    path = Path(path)
    with gc_paused(freeze=False):
        data = dumps(ledger)
        try:
            again = _read(path, data, stances=False)
        except LedgerError as exc:
            raise SaveError(f"refusing to save {path}: the serialised ledger does not read back:\n{exc}") from None
        if again != ledger:
            raise SaveError(f"refusing to save {path}: the serialised ledger reads back different")
        st = atomic_write(path, data, backup=backup, expected=expected, exclusive=exclusive)
        fp = Fingerprint(size=st.st_size, mtime_ns=st.st_mtime_ns, sha256=hashlib.sha256(data).hexdigest())
        if len(again.entries) >= CACHE_MIN_ENTRIES:
            cache.write(fp.sha256, again)  # the next load of these bytes skips parsing
    return fp
