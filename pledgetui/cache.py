"""A cache of validated ledgers, keyed by the SHA-256 of the file's bytes.

Parsing and validating a 100k-entry TOML ledger takes seconds; reading the same
entries back from this cache takes a fraction of that. Only a ledger that
passed validation and the integrity checks is ever written here, and it is
found again only for byte-identical files: any change to the file changes the
key. A cache file that is unreadable, truncated, corrupt (CRC mismatch) or of
another format is ignored (and removed); the caller then loads normally.

Format: ``marshal`` of plain tuples (no pickle: nothing in the file can run
code), entries stored in chunks so that reading yields the GIL between chunks
and the interface keeps drawing. Models are rebuilt the way
``BaseModel.model_construct`` does, without re-validation, which is what makes
it fast and why the cache holds nothing but data that was validated.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pydantic

from pledgetui import __version__, paths
from pledgetui.model import (
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    EntryKind,
    Evidence,
    Ledger,
    Party,
    Pledge,
    Quantity,
    Source,
    Status,
)

FORMAT = 2
MAGIC = b"pledgetui-ledger-cache"
CHUNK = 2000
KEEP = 4  # cache files kept; older ones are removed when a new one is written

_SOURCE = ("id", "file", "title", "date", "outlet", "note")
_EVIDENCE = (
    "source", "claimant", "party", "basis", "status", "stated", "conditions", "numbers",
    "quote", "prefix", "suffix", "start", "end",
)
_QUANTITY = ("label", "low", "high")
_PLEDGE = (
    "id", "kind", "actor", "actor_type", "commitment", "conditions", "condition_detail",
    "us_backstop", "numbers", "summary", "notes", "evidence",
)
_LEDGER = ("schema_version", "sources", "pledges")

#: The cache is only used while the models have exactly the fields this module encodes.
SUPPORTED = (
    tuple(Source.model_fields) == _SOURCE
    and tuple(Evidence.model_fields) == _EVIDENCE
    and tuple(Quantity.model_fields) == _QUANTITY
    and tuple(Pledge.model_fields) == _PLEDGE
    and tuple(Ledger.model_fields) == _LEDGER
)
SIGNATURE = repr((FORMAT, __version__, pydantic.VERSION, _SOURCE, _EVIDENCE, _QUANTITY, _PLEDGE, _LEDGER))

_new = object.__new__
_set = object.__setattr__
_sets: dict[tuple[int, int], set[str]] = {}


def _fields_set(names: tuple[str, ...], mask: int) -> set[str]:
    """The fields-set for ``mask``, one shared set per mask (model_copy copies it before changing it)."""
    key = (id(names), mask)
    found = _sets.get(key)
    if found is None:
        found = _sets[key] = {n for i, n in enumerate(names) if mask >> i & 1}
    return found


def _mask(names: tuple[str, ...], model: pydantic.BaseModel) -> int:
    fs = model.model_fields_set
    return sum(1 << i for i, n in enumerate(names) if n in fs)


def _make(cls: type, values: dict, fields_set: set[str]):  # noqa: ANN202
    m = _new(cls)
    _set(m, "__dict__", values)
    _set(m, "__pydantic_fields_set__", fields_set)
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


def _date(value: dt.date | None) -> int | None:
    return None if value is None else value.toordinal()


# --------------------------------------------------------------------------- encoding


def _enc_source(s: Source) -> tuple:
    return (s.id, s.file, s.title, _date(s.date), s.outlet, s.note, _mask(_SOURCE, s))


def _enc_numbers(numbers: tuple[Quantity, ...]) -> tuple:
    return tuple((q.label, q.low, q.high, _mask(_QUANTITY, q)) for q in numbers)


def _enc_evidence(e: Evidence) -> tuple:
    return (
        e.source, e.claimant, e.party.value, e.basis.value, e.status.value, _date(e.stated),
        None if e.conditions is None else tuple(c.value for c in e.conditions), _enc_numbers(e.numbers),
        e.quote, e.prefix, e.suffix, e.start, e.end, _mask(_EVIDENCE, e),
    )


def _enc_pledge(p: Pledge) -> tuple:
    return (
        p.id, p.kind.value, p.actor, p.actor_type.value, p.commitment.value,
        tuple(c.value for c in p.conditions), p.condition_detail, p.us_backstop.value,
        _enc_numbers(p.numbers), p.summary, p.notes,
        tuple(_enc_evidence(e) for e in p.evidence),
        _mask(_PLEDGE, p),
    )


def encode(ledger: Ledger) -> bytes:
    pledges = ledger.pledges
    chunks = tuple(
        marshal.dumps(tuple(_enc_pledge(p) for p in pledges[i : i + CHUNK])) for i in range(0, len(pledges), CHUNK)
    )
    body = marshal.dumps(
        (ledger.schema_version, _mask(_LEDGER, ledger), tuple(_enc_source(s) for s in ledger.sources), len(pledges), chunks)
    )
    return marshal.dumps((MAGIC, SIGNATURE, zlib.crc32(body), body))


# --------------------------------------------------------------------------- decoding

_KIND = {m.value: m for m in EntryKind}
_ACTOR_TYPE = {m.value: m for m in ActorType}
_COMMITMENT = {m.value: m for m in CommitmentType}
_STATUS = {m.value: m for m in Status}
_PARTY = {m.value: m for m in Party}
_BASIS = {m.value: m for m in Basis}
_CONDITION = {m.value: m for m in Condition}
_BACKSTOP = {m.value: m for m in Backstop}


def _dec_source(t: tuple) -> Source:
    sid, file, title, date, outlet, note, mask = t
    values = {
        "id": sid, "file": file, "title": title,
        "date": None if date is None else dt.date.fromordinal(date), "outlet": outlet, "note": note,
    }
    return _make(Source, values, _fields_set(_SOURCE, mask))


def _dec_numbers(numbers: tuple) -> tuple[Quantity, ...]:
    return tuple(
        _make(Quantity, {"label": lb, "low": lo, "high": hi}, _fields_set(_QUANTITY, m)) for lb, lo, hi, m in numbers
    )


def _dec_evidence(evidence: tuple) -> tuple[Evidence, ...]:
    fromordinal = dt.date.fromordinal
    return tuple(
        _make(
            Evidence,
            {
                "source": src, "claimant": claimant, "party": _PARTY[party], "basis": _BASIS[basis],
                "status": _STATUS[status], "stated": None if stated is None else fromordinal(stated),
                "conditions": None if conditions is None else tuple(_CONDITION[c] for c in conditions),
                "numbers": _dec_numbers(numbers),
                "quote": q, "prefix": pre, "suffix": suf, "start": a, "end": b,
            },
            _fields_set(_EVIDENCE, m),
        )
        for src, claimant, party, basis, status, stated, conditions, numbers, q, pre, suf, a, b, m in evidence
    )


def _dec_pledges(chunk: tuple) -> list[Pledge]:
    out: list[Pledge] = []
    append = out.append
    for (pid, kind, actor, actor_type, commitment, conditions, detail, backstop,
         numbers, summary, notes, evidence, mask) in chunk:
        values = {
            "id": pid,
            "kind": _KIND[kind],
            "actor": actor,
            "actor_type": _ACTOR_TYPE[actor_type],
            "commitment": _COMMITMENT[commitment],
            "conditions": tuple(_CONDITION[c] for c in conditions),
            "condition_detail": detail,
            "us_backstop": _BACKSTOP[backstop],
            "numbers": _dec_numbers(numbers),
            "summary": summary,
            "notes": notes,
            "evidence": _dec_evidence(evidence),
        }
        append(_make(Pledge, values, _fields_set(_PLEDGE, mask)))
    return out


class CacheMiss(Exception):
    pass


def decode(data: bytes, progress: Callable[[int, int], None] | None = None) -> Ledger:
    """Rebuild a ledger; raises :class:`CacheMiss` for anything that is not an intact cache of this format."""
    try:
        magic, signature, crc, body = marshal.loads(data)
        if magic != MAGIC or signature != SIGNATURE or zlib.crc32(body) != crc:
            raise CacheMiss("not a cache of this format, or corrupt")
        version, mask, sources, total, chunks = marshal.loads(body)
        pledges: list[Pledge] = []
        for chunk in chunks:
            pledges.extend(_dec_pledges(marshal.loads(chunk)))
            if progress is not None:
                progress(len(pledges), total)
        if len(pledges) != total:
            raise CacheMiss("entry count does not match")
        values = {"schema_version": version, "sources": tuple(_dec_source(s) for s in sources), "pledges": tuple(pledges)}
        ledger = _make(Ledger, values, _fields_set(_LEDGER, mask))
        ledger.attach_stances()  # built without validation: derive each entry's reading here
        return ledger
    except CacheMiss:
        raise
    except Exception as exc:  # truncated, garbled, wrong shapes, unknown vocabulary words...
        raise CacheMiss(f"unreadable cache: {type(exc).__name__}") from None


# --------------------------------------------------------------------------- files


def folder() -> Path:
    return paths.cache_dir() / "ledgers"


def cache_path(sha256: str) -> Path:
    return folder() / f"{sha256}.v{FORMAT}.marshal"


def read(sha256: str, progress: Callable[[int, int], None] | None = None) -> Ledger | None:
    """The cached ledger for a file whose bytes hash to ``sha256``, or None. Never raises."""
    if not SUPPORTED:
        return None
    target = cache_path(sha256)
    try:
        data = target.read_bytes()
    except OSError:
        return None
    try:
        return decode(data, progress)
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
    tmp: str | None = None
    try:
        where = folder()
        where.mkdir(parents=True, exist_ok=True)
        data = encode(ledger)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, cache_path(sha256))
        tmp = None
        _prune(where)
        return True
    except Exception:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def _prune(where: Path) -> None:
    entries = []
    for p in where.glob(f"*.v{FORMAT}.marshal"):
        try:
            entries.append((p.stat().st_mtime_ns, p))
        except OSError:
            pass
    for _, p in sorted(entries, reverse=True)[KEEP:]:
        try:
            p.unlink()
        except OSError:
            pass
