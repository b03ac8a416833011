"""Synthetic ledgers at tracker scale, for benchmarks and scale tests.

Entries use the real vocabularies, real actors, and text drawn from the bundled
ledger (summaries, notes, claimants: real lengths). Every quote is a real
sentence of one of the bundled articles with its anchor computed, so a
generated ledger passes ``pledgetui check`` like the bundled one.

The document is built as plain TOML-ready data in the canonical key order, so
``tomli_w.dumps`` of it gives the same bytes ``store.save`` would write.

    python -m bench.synth 100000 big/pledges.toml
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import tomli
import tomli_w

from pledgetui.anchors import select
from pledgetui.articlefile import read_article
from pledgetui.model import (
    SCHEMA_VERSION,
    ActorType,
    Backstop,
    Basis,
    CommitmentType,
    Condition,
    Party,
    Status,
)
from pledgetui.paths import bundled_ledger, bundled_root

ACTORS: tuple[tuple[str, ActorType], ...] = tuple(
    [
        (name, ActorType.COUNTRY)
        for name in (
            "United Kingdom",
            "France",
            "Germany",
            "Italy",
            "Spain",
            "Poland",
            "Netherlands",
            "Belgium",
            "Denmark",
            "Sweden",
            "Norway",
            "Finland",
            "Estonia",
            "Latvia",
            "Lithuania",
            "Czech Republic",
            "Slovakia",
            "Romania",
            "Bulgaria",
            "Portugal",
            "Ireland",
            "Austria",
            "Greece",
            "Croatia",
            "Slovenia",
            "Luxembourg",
            "Iceland",
            "Canada",
            "United States",
            "Australia",
            "New Zealand",
            "Japan",
            "South Korea",
            "Turkey",
            "Switzerland",
        )
    ]
    + [(name, ActorType.COALITION) for name in ("Coalition of the Willing", "Nordic-Baltic Eight", "Weimar Triangle")]
    + [(name, ActorType.ORGANISATION) for name in ("NATO", "European Union", "OSCE", "United Nations")]
)
COUNTER_ACTORS = ("Russia", "Belarus")

_STATUS_WEIGHTS = {
    Status.CLAIMED: 8,
    Status.CONSIDERING: 14,
    Status.SIGNALLED: 22,
    Status.ANNOUNCED: 30,
    Status.SIGNED: 18,
    Status.DECLINED: 8,
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Pools:
    """Real text to draw from: the bundled ledger's fields and its articles' sentences."""

    def __init__(self) -> None:
        bundled = tomli.loads(bundled_ledger().read_text("utf-8"))
        self.sources: list[dict[str, Any]] = bundled["sources"]
        pledges = bundled["entries"]
        self.summaries = [p["summary"] for p in pledges]
        self.notes = [p["notes"] for p in pledges if p.get("notes")]
        self.details = [p["condition_detail"] for p in pledges if p.get("condition_detail")]
        self.claimants = sorted({ev["claimant"] for p in pledges for ev in p["evidence"]})
        #: Each claimant the bundled ledger ever shows relayed, with its relay.
        self.relays = {ev["claimant"]: ev["relayed_by"] for p in pledges for ev in p["evidence"] if "relayed_by" in ev}
        self.numbers = [q for p in pledges for q in p.get("numbers", ())]
        self.quotes: list[dict[str, Any]] = []
        for source in self.sources:
            text = read_article(bundled_root() / "seeds" / source["file"])
            for m in re.finditer(r"[A-Z\u201c\"][^.!?\n]{38,250}[.!?]", text):
                sel = select(text, m.start(), m.end())
                ev: dict[str, Any] = {"source": source["id"], "quote": sel.quote}
                if sel.prefix:
                    ev["prefix"] = sel.prefix
                if sel.suffix:
                    ev["suffix"] = sel.suffix
                ev["start"], ev["end"] = sel.start, sel.end
                self.quotes.append(ev)


_POOLS: _Pools | None = None


def _pools() -> _Pools:
    global _POOLS
    if _POOLS is None:
        _POOLS = _Pools()
    return _POOLS


def pledge_document(i: int, rng: random.Random) -> dict[str, Any]:
    """One entry as TOML-ready data (keys in model field order, absent values left out)."""
    pools = _pools()
    counter = rng.random() < 0.05
    if counter:
        actor, actor_type = rng.choice(COUNTER_ACTORS), ActorType.COUNTRY
    else:
        actor, actor_type = rng.choice(ACTORS)
    commitment = rng.choice(list(CommitmentType))
    status = rng.choices(list(_STATUS_WEIGHTS), weights=list(_STATUS_WEIGHTS.values()))[0]
    p: dict[str, Any] = {
        "id": f"{_slug(actor)}-{commitment.value.replace('_', '-')}-{i:06d}",
        "kind": "counter_position" if counter else "pledge",
        "actor": actor,
        "actor_type": actor_type.value,
        "commitment": commitment.value,
    }
    conditions = rng.sample(list(Condition), rng.choices((0, 1, 2, 3), weights=(35, 40, 20, 5))[0])
    if conditions:
        p["conditions"] = [c.value for c in conditions]
    if rng.random() < 0.3:
        p["condition_detail"] = rng.choice(pools.details)
    p["us_backstop"] = rng.choice(list(Backstop)).value
    if rng.random() < 0.1:
        p["numbers"] = [dict(rng.choice(pools.numbers))]
    p["summary"] = rng.choice(pools.summaries)
    if rng.random() < 0.3:
        p["notes"] = rng.choice(pools.notes)
    count = rng.choices((1, 2, 3), weights=(55, 30, 15))[0]
    p["evidence"] = [_statement(rng, status, first=k == 0) for k in range(count)]
    return p


_CLAIM_BASES = (Basis.PARTISAN, Basis.REPORT, Basis.STATEMENT, Basis.PARAPHRASE)


def _statement(rng: random.Random, status: Status, first: bool) -> dict[str, Any]:
    """One statement with its own stance (keys in model field order). The first statement
    carries the entry's intended status (first party and on the record, or a third-party
    claim for a ``claimed`` entry), so the derived reading follows ``_STATUS_WEIGHTS``;
    later ones are sometimes third-party claims, which never change that reading."""
    pools = _pools()
    quote = rng.choice(pools.quotes)
    ev: dict[str, Any] = {"source": quote["source"], "claimant": rng.choice(pools.claimants)}
    if status is Status.CLAIMED or (not first and rng.random() < 0.3):
        ev.update(party=Party.THIRD_PARTY.value, basis=rng.choice(_CLAIM_BASES).value, status=Status.CLAIMED.value)
    else:
        basis = Basis.STATEMENT if rng.random() < 0.5 else Basis.PARAPHRASE
        ev.update(party=Party.FIRST_PARTY.value, basis=basis.value, status=status.value)
    relay = pools.relays.get(ev["claimant"])
    if relay is not None:  # in the key order of the model (after basis); draws nothing from rng
        status_value = ev.pop("status")
        ev.update(relayed_by=relay, status=status_value)
    if rng.random() < 0.4:
        ev["stated"] = dt.date(2022, 2, 24) + dt.timedelta(days=rng.randrange(1500))
    ev.update((k, v) for k, v in quote.items() if k != "source")
    return ev


def ledger_document(n: int, seed: int = 0) -> dict[str, Any]:
    """A ledger of ``n`` entries (about 5% counter-positions) as plain TOML-ready data."""
    rng = random.Random(seed)
    return {
        "schema_version": SCHEMA_VERSION,
        "sources": [dict(s) for s in _pools().sources],
        "entries": [pledge_document(i, rng) for i in range(n)],
    }


def dumps(doc: dict[str, Any]) -> bytes:
    return tomli_w.dumps(doc, multiline_strings=False).encode("utf-8")


def write_ledger(path: Path | str, n: int, seed: int = 0) -> Path:
    """Write a generated ledger of ``n`` entries to ``path``, with the articles in ``seeds/`` beside it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(bundled_root() / "seeds", path.parent / "seeds", dirs_exist_ok=True)
    path.write_bytes(dumps(ledger_document(n, seed)))
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.synth N PATH")
    out = write_ledger(sys.argv[2], int(sys.argv[1]))
    print(f"{out}: {out.stat().st_size:,} bytes")
