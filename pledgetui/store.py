"""A ledger's life cycle: load it (through the validated cache), save it.

Reading and validating is :mod:`pledgetui.ledgerfile`, the canonical form
:mod:`pledgetui.canonical`, writing files :mod:`pledgetui.filesave`; this module
composes them with the cache (:mod:`pledgetui.cache`), which spares a large
ledger's parsing when its exact bytes were validated before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pledgetui import cache, canonical, filesave, ledgerfile
from pledgetui.filesave import Fingerprint
from pledgetui.gcpause import gc_paused
from pledgetui.ledgerfile import OnEntries, Progress
from pledgetui.model import Entry, Ledger

#: Ledgers smaller than this load fast enough from TOML; they are not cached.
CACHE_MIN_ENTRIES = 2000


@dataclass(frozen=True, slots=True)
class Loaded:
    path: Path
    ledger: Ledger
    fingerprint: Fingerprint


def load(
    path: Path | str,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    on_entries: OnEntries | None = None,
    write_cache: bool = True,
) -> Loaded:
    """Read, parse and validate a ledger file. Raises :class:`pledgetui.ledgerfile.LedgerError`.

    With ``use_cache``, a file whose exact bytes were validated before is read
    from the validated cache (:mod:`pledgetui.cache`) instead of being parsed;
    a missing or broken cache entry just means a normal load. A file in the
    canonical form ``save`` writes is read by :mod:`pledgetui.fastread`; any other
    file (or anything that reader does not expect) by the full TOML parser and
    pydantic, which report every problem. ``progress`` is called as
    ``progress(stage, fraction)`` with stage ``reading``, ``parsing`` or ``checking``
    (fraction in 0..1, or -1 when unknown); ``on_entries`` with each batch of entries
    as it is read (see :data:`pledgetui.ledgerfile.OnEntries`). With ``write_cache=False`` a ledger parsed from
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
    data, st = ledgerfile.read_bytes(path)
    fp = filesave.fingerprint_of(data, st)
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
        data, st = ledgerfile.read_bytes(path)
        fp = filesave.fingerprint_of(data, st)
    ledger = ledgerfile.read(path, data, progress, on_entries)
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
    :class:`pledgetui.filesave.ConflictError` is raised and nothing is written. ``exclusive``: refuse to
    replace an existing file. The bytes are parsed back before anything touches the disk.
    """
    path = Path(path)
    with gc_paused(freeze=False):
        data = canonical.dumps(ledger)
        try:
            again = ledgerfile.read(path, data, stances=False)
        except ledgerfile.LedgerError as exc:
            raise filesave.SaveError(
                f"refusing to save {path}: the serialised ledger does not read back:\n{exc}"
            ) from None
        if again != ledger:
            raise filesave.SaveError(f"refusing to save {path}: the serialised ledger reads back different")
        st = filesave.atomic_write(path, data, backup=backup, expected=expected, exclusive=exclusive)
        fp = Fingerprint(size=st.st_size, mtime_ns=st.st_mtime_ns, sha256=hashlib.sha256(data).hexdigest())
        if len(again.entries) >= CACHE_MIN_ENTRIES:
            cache.write(fp.sha256, again)  # the next load of these bytes skips parsing
    return fp
