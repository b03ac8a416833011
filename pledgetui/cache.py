"""A cache of validated ledgers, keyed by the SHA-256 of the file's bytes.

Parsing and validating a 100k-entry TOML ledger takes seconds; reading the same
entries back from this cache takes a fraction of that. Only a ledger that
passed validation and the integrity checks is ever written here, and it is
found again only for byte-identical files: any change to the file changes the
key. A cache file that is unreadable, truncated, corrupt or of another format is
ignored (and removed); the caller then loads normally.

Nothing in the cache folder is trusted for what it says it is. Each file is
signed with HMAC-SHA256 under a per-user secret (``cache.key`` in the state
folder, mode 0600, made on first use), over the SHA-256 of the ledger file it
stands for and its body: a cache file made by hand, copied from another machine
or renamed to stand for another ledger does not verify and is not used. The
name of a cache file carries a digest of everything its format depends on (this
module's format, the package and Python versions, the digest of the schema
(``pledgetui.schema.digest``) and the tuple layout taken from it),
so versions never read each other's files. What a verified file gives back is
still checked for the integrity problems a load checks (ids, cross-references).
``pledgetui check`` never reads the cache.

Format: ``marshal`` of plain tuples (no pickle: nothing in the file can run
code), entries stored in chunks, written and read one chunk at a time (memory
holds one chunk next to the ledger; reading yields the GIL between chunks and
the interface keeps drawing). A signed trailer lists each chunk's length and
SHA-256, so nothing is unmarshalled before it is known to be what was signed. Records are rebuilt
from their fields' values (``Model._make``), without validation and without pydantic, which is
what makes it fast and why the cache holds nothing but data that was validated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import marshal
import os
import re
import secrets
import stat
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from pledgetui import __version__, files, osutil, paths, records, schema, tempfiles
from pledgetui.model import Entry, Ledger, derive_stance, integrity_problems, keep_stance
from pledgetui.records import MODELS
from pledgetui.schema import Field, Kind, Record

FORMAT = 6  # 4: statements carry relayed_by; 5: the ledger carries its recorded conflicts; 6: no fields-set masks (records are plain objects)
MAGIC = b"pledgetui-ledger-cache"
CHUNK = 2000
KEEP = 4  # cache files kept; older ones are removed when a new one is written

#: Each record is a tuple of its fields' values in the schema's order; vocabulary values as
#: their text, dates as ordinals,
#: lists of records as tuples of such tuples. The code that writes and reads these tuples is
#: written from the schema at import (:func:`_codec_source`, :data:`SOURCE`).
_LAYOUT = tuple((name, record.names) for name, record in sorted(schema.RECORDS.items()))
_ENTRIES = schema.LEDGER.fields[-1]
_ENTRY = schema.RECORDS[_ENTRIES.record or ""]
_SOURCES = schema.LEDGER.field("sources")
_SOURCE = schema.RECORDS[_SOURCES.record or ""]
_CONFLICTS = schema.LEDGER.field("conflicts")
_CONFLICT = schema.RECORDS[_CONFLICTS.record or ""]

#: The cache is only used while the record classes are the schema's (``pledgetui.records``).
SUPPORTED = records.SUPPORTED and schema.LEDGER.names == ("schema_version", "sources", "conflicts", "entries")
SIGNATURE = repr(
    (
        FORMAT,
        __version__,
        sys.version,
        sys.implementation.cache_tag,
        marshal.version,
        schema.digest(),
        _LAYOUT,
    )
)
#: Part of every cache file's name: another version of anything above never finds this one's files.
SIGNATURE_DIGEST = hashlib.sha256(SIGNATURE.encode("utf-8")).hexdigest()[:16]
#: Every cache file starts with this line; then the trailer's length (8 bytes) and the
#: signature (32), the chunks of entries, and the trailer (see :func:`read_from`).
HEAD = MAGIC + b" " + hashlib.sha256(SIGNATURE.encode("utf-8")).hexdigest().encode("ascii") + b"\n"
_FIXED = 8 + 32
KEY_NAME = "cache.key"
KEY_BYTES = 32


def _date(value: dt.date | None) -> int | None:
    return None if value is None else value.toordinal()


# --------------------------------------------------------------------------- encoding


# --------------------------------------------------------------------------- code from the schema


def _tuple(items: list[str]) -> str:
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _optional(field: Field) -> bool:
    """Whether the field's value may be None (its default is)."""
    return not field.required and field.default is None


def _stored(field: Field, v: str) -> str:
    """The source of the stored form of ``v``, the field's value."""
    kind = field.kind
    if kind is Kind.VOCAB:
        expr = f"{v}.value"
    elif kind is Kind.VOCABS:
        expr = f"tuple([c.value for c in {v}])"
    elif kind is Kind.DATE:
        expr = f"{v}.toordinal()"
    elif kind is Kind.RECORDS:
        expr = f"tuple(map(encode_{field.record}, {v}))"
    else:
        return v
    return f"None if {v} is None else {expr}" if _optional(field) else expr


def _value(record: Record, field: Field, t: str) -> str:
    """The source of the field's value from ``t``, its stored form."""
    kind = field.kind
    if kind is Kind.VOCAB:
        expr = f"vocab_{record.name}_{field.name}[{t}]"
    elif kind is Kind.VOCABS:
        expr = f"tuple([vocab_{record.name}_{field.name}[c] for c in {t}])"
    elif kind is Kind.DATE:
        expr = f"fromordinal({t})"
    elif kind is Kind.RECORDS:
        expr = f"tuple(map(decode_{field.record}, {t}))"
    else:
        return t
    return f"None if {t} is None else {expr}" if _optional(field) else expr


def _codec_source(record: Record) -> str:
    """The source of ``encode_<record>(m)`` (the record as its stored tuple) and
    ``decode_<record>(t)`` (the record rebuilt from it, without validation), written from the
    schema: a line per field, in the schema's order. The names they use are given by
    :data:`_NAMESPACE`: ``vocab_<record>_<field>`` (a vocabulary's members by their text) and
    ``make_<record>`` (the record class's ``_make``: its fields' values in order)."""
    records.names_ok(record)
    r = record.name
    fields = record.fields
    lines = [f"def encode_{r}(m):", "    return ("]
    lines += [f"        {_stored(f, f'm.{f.name}')}," for f in fields]
    lines += ["    )", "", ""]
    lines.append(f"def decode_{r}(t):")
    lines.append(f"    {_tuple([f't_{f.name}' for f in fields])[1:-1]} = t")
    lines.append(f"    return make_{r}(")
    lines += [f"        {_value(record, f, f't_{f.name}')}," for f in fields]
    lines.append("    )")
    return "\n".join(lines) + "\n"


#: Every record's ``encode_`` and ``decode_`` functions (:func:`_codec_source`).
SOURCE = "".join(_codec_source(record) + "\n\n" for record in schema.RECORDS.values())
_NAMESPACE: dict[str, Any] = {"fromordinal": dt.date.fromordinal}
for _record in schema.RECORDS.values():
    _NAMESPACE[f"make_{_record.name}"] = MODELS[_record.name]._make
    for _f in _record.fields:
        if _f.vocab is not None:
            _NAMESPACE[f"vocab_{_record.name}_{_f.name}"] = {m.value: m for m in _f.vocab}
exec(records.define(SOURCE, "cache: built from pledgetui.schema"), _NAMESPACE)

_enc_entry: Callable[[Entry], tuple[Any, ...]] = _NAMESPACE[f"encode_{_ENTRY.name}"]
_enc_source: Callable[[Any], tuple[Any, ...]] = _NAMESPACE[f"encode_{_SOURCE.name}"]
_enc_conflict: Callable[[Any], tuple[Any, ...]] = _NAMESPACE[f"encode_{_CONFLICT.name}"]


def _mac(key: bytes, sha256: str, trailer: bytes) -> bytes:
    return hmac.new(key, sha256.encode("ascii") + b"\0" + trailer, hashlib.sha256).digest()


def _write_to(fh: BinaryIO, ledger: Ledger, sha256: str, key: bytes) -> None:
    """Write the cache file for ``ledger`` to ``fh`` (seekable), one chunk of entries at a time:
    the only copy of the entries' bytes in memory is the chunk being written."""
    fh.write(HEAD + bytes(_FIXED))  # the trailer's length and the signature, filled in below
    entries = ledger.entries
    chunks: list[tuple[int, bytes]] = []
    for i in range(0, len(entries), CHUNK):
        chunk = marshal.dumps(tuple(_enc_entry(p) for p in entries[i : i + CHUNK]))
        chunks.append((len(chunk), hashlib.sha256(chunk).digest()))
        fh.write(chunk)
    trailer = marshal.dumps(
        (
            ledger.schema_version,
            tuple(_enc_source(s) for s in ledger.sources),
            tuple(_enc_conflict(c) for c in ledger.conflicts),
            len(entries),
            tuple(chunks),
        )
    )
    fh.write(trailer)
    fh.seek(len(HEAD))
    fh.write(struct.pack(">Q", len(trailer)) + _mac(key, sha256, trailer))


def encode(ledger: Ledger, sha256: str, key: bytes) -> bytes:
    """The cache file for ``ledger``, read from a file whose bytes hash to ``sha256``, signed with ``key``."""
    out = io.BytesIO()
    _write_to(out, ledger, sha256, key)
    return out.getvalue()


# --------------------------------------------------------------------------- decoding


class CacheMiss(Exception):
    pass


_dec_source: Callable[[tuple[Any, ...]], Any] = _NAMESPACE[f"decode_{_SOURCE.name}"]
_dec_entry: Callable[[tuple[Any, ...]], Entry] = _NAMESPACE[f"decode_{_ENTRY.name}"]
_dec_conflict: Callable[[tuple[Any, ...]], Any] = _NAMESPACE[f"decode_{_CONFLICT.name}"]


def _dec_entries(chunk: tuple[Any, ...], dates: dict[str, dt.date | None]) -> list[Entry]:
    """Entries rebuilt without validation, each with its reading derived for the sources' ``dates``."""
    out: list[Entry] = []
    append = out.append
    statements = _ENTRY.fields[-1].name
    for t in chunk:
        p: Entry = _dec_entry(t)
        evs = getattr(p, statements)
        keep_stance(p, (evs, p.dates_in(dates), derive_stance(evs, dates)))
        append(p)
    return out


def decode(
    data: bytes,
    sha256: str,
    key: bytes,
    progress: Callable[[str, float], None] | None = None,
    on_entries: Callable[[list[Entry], float], None] | None = None,
) -> Ledger:
    """Rebuild a ledger from the bytes of a cache file (see :func:`read_from`)."""
    return read_from(io.BytesIO(data), len(data), sha256, key, progress, on_entries)


def read_from(
    fh: BinaryIO,
    size: int,
    sha256: str,
    key: bytes,
    progress: Callable[[str, float], None] | None = None,
    on_entries: Callable[[list[Entry], float], None] | None = None,
) -> Ledger:
    """Rebuild a ledger from a cache file of ``size`` bytes open as ``fh``; raises :class:`CacheMiss`
    for anything that is not an intact cache of this format, signed with ``key`` for the file
    whose bytes hash to ``sha256``, holding a ledger without integrity problems.

    The signature covers the trailer, and the trailer holds each chunk's length and SHA-256:
    nothing is unmarshalled before it is known to be what this user's key signed, and the
    chunks are read one at a time (memory holds one chunk next to the entries built)."""
    try:
        head = fh.read(len(HEAD) + _FIXED)
        if len(head) != len(HEAD) + _FIXED or not head.startswith(HEAD):
            raise CacheMiss("not a cache of this format")
        (trailer_len,) = struct.unpack(">Q", head[len(HEAD) : len(HEAD) + 8])
        mac = head[len(HEAD) + 8 :]
        body = size - len(head) - trailer_len
        if not 0 <= body <= size:
            raise CacheMiss("truncated")
        fh.seek(len(head) + body)
        trailer = fh.read(trailer_len)
        if len(trailer) != trailer_len or not hmac.compare_digest(mac, _mac(key, sha256, trailer)):
            raise CacheMiss("not signed by this user's key for this file (forged, copied or corrupt)")
        version, sources, conflicts, total, chunks = marshal.loads(trailer)
        if sum(n for n, _ in chunks) != body:
            raise CacheMiss("chunk lengths do not match the file")
        decoded_sources = tuple(_dec_source(s) for s in sources)
        dates = {s.id: s.date for s in decoded_sources}
        entries: list[Entry] = []
        fh.seek(len(head))
        for n, digest in chunks:
            chunk = fh.read(n)
            if len(chunk) != n or not hmac.compare_digest(hashlib.sha256(chunk).digest(), digest):
                raise CacheMiss("a chunk does not match its signed digest")
            batch = _dec_entries(marshal.loads(chunk), dates)  # each with its reading derived
            del chunk
            entries.extend(batch)
            if progress is not None:
                progress("reading", len(entries) / max(total, 1))
            if on_entries is not None:
                on_entries(batch, len(entries) / max(total, 1))
        if len(entries) != total:
            raise CacheMiss("entry count does not match")
        decoded_conflicts = tuple(_dec_conflict(c) for c in conflicts)
        ledger: Ledger = Ledger._make(version, decoded_sources, decoded_conflicts, tuple(entries))
        if integrity_problems(ledger):
            raise CacheMiss("the cached ledger has integrity problems")
        return ledger
    except CacheMiss:
        raise
    except Exception as exc:  # truncated, garbled, wrong shapes, unknown vocabulary words...
        raise CacheMiss(f"unreadable cache: {type(exc).__name__}") from None


# --------------------------------------------------------------------------- files


def folder() -> Path:
    return paths.cache_dir() / "ledgers"


def cache_path(sha256: str) -> Path:
    return folder() / f"{sha256}.{SIGNATURE_DIGEST}.marshal"


_keys: dict[str, bytes] = {}


def key() -> bytes | None:
    """This user's secret for signing cache files, made on first use; None when it cannot be
    read or made safely (then there is no cache). A key file that is not a regular file of
    this user, readable by others, or of the wrong length is not used."""
    if not osutil.USER_IDS:
        return None  # the key file cannot be checked to be private to this user
    where = paths.state_dir() / KEY_NAME
    found = _keys.get(str(where))
    if found is not None:
        return found
    try:
        data, st = files.read_regular(where, KEY_BYTES, follow_links=False)
    except files.NotReadable as exc:
        if exc.kind == "too_large":
            return _replace_damaged_key(where)
        if exc.kind != "missing":
            return None  # a link, a pipe, a device, a folder, unreadable: not used
        try:
            where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | osutil.O_NOFOLLOW | osutil.O_CLOEXEC | osutil.O_BINARY
            fd = os.open(where, flags, 0o600)
        except FileExistsError:
            return None  # another process is making it: no cache this time
        except OSError:
            return None
        try:
            new = secrets.token_bytes(KEY_BYTES)
            os.write(fd, new)
            os.fsync(fd)
        except OSError:
            return None
        finally:
            os.close(fd)
        _keys[str(where)] = new
        return new
    if not osutil.private_to_user(st):
        return None
    if len(data) != KEY_BYTES:
        return _replace_damaged_key(where)
    _keys[str(where)] = data
    return data


#: A key file of the wrong length younger than this may be one being written by another process.
KEY_SETTLE_SECONDS = 60


def _replace_damaged_key(where: Path) -> bytes | None:
    """A key file of this user's, private, but of the wrong length (cut short when a process
    was killed while making it, or damaged) is replaced by a new key, atomically; None when
    it is not that (or is too new to tell from one being written)."""
    try:
        st = os.lstat(where)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or not osutil.private_to_user(st):
        return None
    if time.time() - st.st_mtime < KEY_SETTLE_SECONDS:
        return None
    new = secrets.token_bytes(KEY_BYTES)
    tmp: str | None = None
    try:
        fd, tmp = tempfiles.new_temp(where.parent, where.name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
            osutil.set_mode(fh.fileno(), tmp, 0o600)
        os.replace(tmp, where)
        tempfiles.forget(tmp)
        tmp = None
    except OSError:
        return None
    finally:
        if tmp is not None:
            tempfiles.drop_temp(tmp)
    _keys[str(where)] = new
    return new


def read(
    sha256: str,
    progress: Callable[[str, float], None] | None = None,
    on_entries: Callable[[list[Entry], float], None] | None = None,
) -> Ledger | None:
    """The cached ledger for a file whose bytes hash to ``sha256``, or None. Never raises."""
    if not SUPPORTED:
        return None
    secret = key()
    if secret is None:
        return None
    target = cache_path(sha256)
    try:
        fd, st = files.open_regular(target, follow_links=False)  # a pipe or a link there is not waited on
    except files.NotReadable:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            return read_from(fh, st.st_size, sha256, secret, progress, on_entries)
    except OSError:
        return None
    except CacheMiss:
        try:
            target.unlink()
        except OSError:
            pass
        return None


def write(sha256: str, ledger: Ledger) -> bool:
    """Store a *validated* ledger for the file whose bytes hash to ``sha256``. Never raises; True if written."""
    if not SUPPORTED:
        return False
    secret = key()
    if secret is None:
        return False
    tmp: str | None = None
    keep = -1
    try:
        where = folder()
        where.mkdir(parents=True, exist_ok=True)
        tempfiles.remove_stale(where)  # leftovers of writes killed before (unlocked: dead)
        target = cache_path(sha256)
        fd, tmp = tempfiles.new_temp(where, target.name)
        keep = os.dup(fd)  # holds the temp's lock until after the rename
        with os.fdopen(fd, "wb") as fh:
            _write_to(fh, ledger, sha256, secret)
        os.replace(tmp, target)
        tempfiles.forget(tmp)
        tmp = None
        _prune(where)
        return True
    except Exception:
        return False
    finally:  # an interruption too (KeyboardInterrupt) leaves no temp file
        if tmp is not None:
            tempfiles.drop_temp(tmp)
        if keep >= 0:
            os.close(keep)


#: Temp files of versions before 0.3 (``.XXXXXXXX.tmp``, never locked): a leftover once
#: it is an hour old, since a live write of such a version cannot be told apart.
LEGACY_TEMP = re.compile(r"\.[a-z0-9_]{8}\.tmp")
STALE_TEMP_SECONDS = 3600


def _prune(where: Path) -> None:
    """Keep the :data:`KEEP` newest cache files; remove leftover temp files of older versions."""
    now = time.time()
    for p in where.glob(".*.tmp"):
        if not LEGACY_TEMP.fullmatch(p.name):
            continue
        try:
            st = p.lstat()
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_TEMP_SECONDS:
                p.unlink()
        except OSError:
            pass
    entries = []
    for p in where.glob("*.marshal"):
        try:
            entries.append((p.stat().st_mtime_ns, p))
        except OSError:
            pass
    for _, p in sorted(entries, reverse=True)[KEEP:]:
        try:
            p.unlink()
        except OSError:
            pass
