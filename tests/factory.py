"""Builders for test ledgers: real articles, computed anchors, no hand-typed offsets."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from pledgetui.anchors import select
from pledgetui.articlefile import read_article
from pledgetui.model import Entry, Evidence, Ledger, Source
from pledgetui.paths import bundled_root
from pledgetui.store import load, save

REPO = Path(__file__).resolve().parent.parent
SEEDS = bundled_root() / "seeds"
ARTICLE_002 = "002_d2b1ebf0ff0347cc.txt"
ARTICLE_003 = "003_9047b5abc4c43ace.txt"
#: A file the TOML parser refuses (line 5).
BROKEN_TOML = b'schema_version = 1\n\n[[sources]]\nid = "a1"\ntitle = = "x"\n'


#: The stance a test statement gets unless a test says otherwise.
STANCE = {"claimant": "Test claimant", "party": "first_party", "basis": "statement", "status": "announced"}


def evidence_for(text: str, source_id: str, quote: str, occurrence: int = 0, **stance: Any) -> Evidence:
    """A statement quoting ``quote`` (its ``occurrence``-th appearance) with a computed anchor;
    ``stance`` sets claimant, party, basis, status, stated, conditions (defaults: :data:`STANCE`)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    sel = select(text, start, start + len(quote))
    return Evidence(
        source=source_id,
        quote=sel.quote,
        prefix=sel.prefix,
        suffix=sel.suffix,
        start=sel.start,
        end=sel.end,
        **{**STANCE, **stance},
    )


def pledge(*, status: str | None = None, claimant: str | None = None, date_stated: Any = None, **fields: Any) -> Entry:
    """A ``Entry`` written the version 1 way: ``status``, ``claimant`` and ``date_stated`` are
    given to every statement (a ``claimed`` entry's statements become third-party reports),
    so the derived reading equals them."""
    stance: dict[str, Any] = {}
    if status is not None:
        stance["status"] = status
        if status == "claimed":
            stance.update(party="third_party", basis="report")
    if claimant is not None:
        stance["claimant"] = claimant
    if date_stated is not None:
        stance["stated"] = date_stated
    evidence = [
        {**(ev.model_dump() if isinstance(ev, Evidence) else {**STANCE, **ev}), **stance}
        for ev in fields.pop("evidence")
    ]
    return Entry(evidence=evidence, **fields)


def restance(p: Entry, **stance: Any) -> Entry:
    """``p`` with ``stance`` (claimant, party, basis, status, stated, ...) given to every statement.

    The way to change an entry's reading: ``p.model_copy(update={"status": ...})`` does
    nothing, because the entry's status, claimant and date are derived from its statements."""
    if str(stance.get("status", "")) == "claimed":
        stance = {"party": "third_party", "basis": "report", **stance}
    evidence = tuple(Evidence.model_validate({**ev.model_dump(), **stance}) for ev in p.evidence)
    return p.model_copy(update={"evidence": evidence})


def small_ledger() -> Ledger:
    """Four entries over two real articles, including one counter-position."""
    t2 = read_article(SEEDS / ARTICLE_002)
    t3 = read_article(SEEDS / ARTICLE_003)
    sources = (
        Source(id="a002", file=ARTICLE_002, title="Paris summit report", outlet="Test Outlet", note="partisan framing"),
        Source(id="a003", file=ARTICLE_003, title="After the Summit", date="2026-01-08"),
    )
    decl = "This is a declaration of intent to deploy forces to Ukraine in event of a peace deal."
    pledges = (
        pledge(
            id="uk-ground",
            actor="United Kingdom",
            commitment="ground_troops",
            status="signed",
            conditions=["peace_deal", "legal_framework"],
            us_backstop="unknown",
            claimant="Downing Street statement",
            summary="UK declaration of intent to deploy forces after a peace deal",
            evidence=[evidence_for(t2, "a002", decl)],
        ),
        pledge(
            id="france-ground",
            actor="France",
            commitment="ground_troops",
            status="signed",
            conditions=["peace_deal"],
            claimant="Downing Street statement",
            summary="France co-signed the declaration of intent",
            evidence=[evidence_for(t2, "a002", decl)],
        ),
        pledge(
            id="ireland-ground",
            actor="Ireland",
            commitment="ground_troops",
            status="considering",
            conditions=["peace_deal"],
            claimant="Simon Harris",
            summary="Ireland would consider contributing troops",
            evidence=[
                evidence_for(
                    t3,
                    "a003",
                    "If there is a peace agreement, Ireland — as part of this coalition — will want to assist.",
                )
            ],
        ),
        pledge(
            id="russia-mfa",
            kind="counter_position",
            actor="Russia",
            commitment="ground_troops",
            status="announced",
            claimant="Maria Zakharova",
            summary="Foreign troops on Ukrainian soil 'absolutely unacceptable'",
            evidence=[evidence_for(t3, "a003", "absolutely unacceptable")],
        ),
    )
    return Ledger(sources=sources, entries=pledges)


def write_ledger(folder: Path, ledger: Ledger | None = None, name: str = "pledges.toml") -> Path:
    """Write ``ledger`` (default: :func:`small_ledger`) into ``folder`` with a ``seeds/`` copy of the articles."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SEEDS, folder / "seeds", dirs_exist_ok=True)
    path = folder / name
    save(ledger if ledger is not None else small_ledger(), path, backup=False)
    return path


OUTSIDE_SUMMARY = "Changed by another writer"


def outside_change(path: Path) -> bytes:
    """Another writer rewrites the ledger: a new summary for ireland-ground, russia-mfa removed."""
    outside = load(path, use_cache=False).ledger
    pledges = tuple(
        p.model_copy(update={"summary": OUTSIDE_SUMMARY}) if p.id == "ireland-ground" else p
        for p in outside.entries
        if p.id != "russia-mfa"
    )
    save(outside.model_copy(update={"entries": pledges}), path, backup=False)
    return path.read_bytes()
