"""Builders for test ledgers: real articles, computed anchors, no hand-typed offsets."""

from __future__ import annotations

import shutil
from pathlib import Path

from pledgetui.anchors import select
from pledgetui.model import Evidence, Ledger, Pledge, Source
from pledgetui.paths import bundled_root
from pledgetui.store import read_article, save

REPO = Path(__file__).resolve().parent.parent
SEEDS = bundled_root() / "seeds"
ARTICLE_002 = "002_d2b1ebf0ff0347cc.txt"
ARTICLE_003 = "003_9047b5abc4c43ace.txt"


def evidence_for(text: str, source_id: str, quote: str, occurrence: int = 0) -> Evidence:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    sel = select(text, start, start + len(quote))
    return Evidence(source=source_id, quote=sel.quote, prefix=sel.prefix, suffix=sel.suffix, start=sel.start, end=sel.end)


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
        Pledge(
            id="uk-ground", actor="United Kingdom", commitment="ground_troops", status="signed",
            conditions=["peace_deal", "legal_framework"], us_backstop="unknown",
            claimant="Downing Street statement", summary="UK declaration of intent to deploy forces after a peace deal",
            evidence=[evidence_for(t2, "a002", decl)],
        ),
        Pledge(
            id="france-ground", actor="France", commitment="ground_troops", status="signed",
            conditions=["peace_deal"], claimant="Downing Street statement",
            summary="France co-signed the declaration of intent", evidence=[evidence_for(t2, "a002", decl)],
        ),
        Pledge(
            id="ireland-ground", actor="Ireland", commitment="ground_troops", status="considering",
            conditions=["peace_deal"], claimant="Simon Harris", summary="Ireland would consider contributing troops",
            evidence=[evidence_for(t3, "a003", "If there is a peace agreement, Ireland — as part of this coalition — will want to assist.")],
        ),
        Pledge(
            id="russia-mfa", kind="counter_position", actor="Russia", commitment="ground_troops", status="announced",
            claimant="Maria Zakharova", summary="Foreign troops on Ukrainian soil 'absolutely unacceptable'",
            evidence=[evidence_for(t3, "a003", "absolutely unacceptable")],
        ),
    )
    return Ledger(sources=sources, pledges=pledges)


def write_ledger(folder: Path, ledger: Ledger | None = None, name: str = "pledges.toml") -> Path:
    """Write ``ledger`` (default: :func:`small_ledger`) into ``folder`` with a ``seeds/`` copy of the articles."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SEEDS, folder / "seeds", dirs_exist_ok=True)
    path = folder / name
    save(ledger if ledger is not None else small_ledger(), path, backup=False)
    return path
