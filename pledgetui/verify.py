"""Verify every evidence quote of a ledger against its article."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pledgetui.anchors import Anchor, AnchorStatus, is_exact, locate, normalise
from pledgetui.articlefile import read_article
from pledgetui.model import Evidence, Ledger
from pledgetui.paths import ArticleOutside, find_article


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    entry_id: str
    index: int  # 0-based position in the pledge's evidence
    evidence: Evidence
    anchor: Anchor

    @property
    def moved(self) -> bool:
        """Verified, but no longer at the stored offsets."""
        return self.anchor.verified and (self.anchor.start, self.anchor.end) != (self.evidence.start, self.evidence.end)

    @property
    def where(self) -> str:
        return f"{self.entry_id} statement {self.index + 1} ({self.evidence.source})"


@dataclass
class Articles:
    """Article texts for a ledger, read once and kept; a missing or unreadable one is remembered as a problem."""

    ledger_path: Path
    texts: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    anchors: dict[Evidence, Anchor] = field(default_factory=dict)

    def anchor(self, ledger: Ledger, ev: Evidence) -> Anchor:
        """Where ``ev`` sits in its article, computed once per distinct quote (an orphan
        in a long article costs a full approximate search: the dashboard must not repeat it
        on every cursor move)."""
        found = self.anchors.get(ev)
        if found is None:
            found = self.anchors[ev] = anchor_evidence(self.text(ledger, ev.source), ev)
        return found

    def text(self, ledger: Ledger, source_id: str) -> str | None:
        if source_id in self.texts:
            return self.texts[source_id]
        if source_id in self.problems:
            return None
        source = ledger.source(source_id)
        if source is None:
            self.problems[source_id] = "not listed in the ledger"
            return None
        try:
            path = find_article(self.ledger_path, source.file)
        except ArticleOutside as exc:
            self.problems[source_id] = str(exc)
            return None
        if path is None:
            self.problems[source_id] = f"article file {source.file!r} not found next to the ledger (looked in seeds/)"
            return None
        try:
            self.texts[source_id] = read_article(path)
        except (OSError, ValueError) as exc:
            self.problems[source_id] = str(exc)
            return None
        return self.texts[source_id]


@dataclass
class Report:
    checks: list[QuoteCheck]
    source_problems: dict[str, str]

    @property
    def orphans(self) -> list[QuoteCheck]:
        return [c for c in self.checks if not c.anchor.found]

    @property
    def drifted(self) -> list[QuoteCheck]:
        """Located only approximately: not the article's words, so not verified."""
        return [c for c in self.checks if c.anchor.status is AnchorStatus.DRIFTED]

    @property
    def verified(self) -> int:
        return sum(1 for c in self.checks if c.anchor.verified)

    @property
    def moved(self) -> list[QuoteCheck]:
        return [c for c in self.checks if c.moved]

    def count(self, status: AnchorStatus) -> int:
        return sum(1 for c in self.checks if c.anchor.status is status)


#: Whether :func:`verify` anchors an identical statement (same article, quote, context and
#: offsets) once per run. Off only to measure what a ledger of distinct quotes costs.
MEMOISE = True


def anchor_evidence(
    text: str | None, ev: Evidence, *, normalised: Callable[[], tuple[str, list[int]]] | None = None
) -> Anchor:
    if text is None:
        return Anchor(AnchorStatus.ORPHAN)
    return locate(text, ev.quote, ev.prefix, ev.suffix, ev.start, ev.end, normalised=normalised)


def verify(ledger: Ledger, articles: Articles) -> Report:
    """Anchor every statement of ``ledger`` in its article (:func:`pledgetui.anchors.locate`).

    A quote at its stored offsets is ``exact`` at the cost of one comparison (locate's first
    attempt, :func:`pledgetui.anchors.is_exact`); any other goes through the full search, with
    each article folded once per run rather than once per quote, and once per distinct
    statement (:data:`MEMOISE`)."""
    texts: dict[str, str | None] = {source.id: articles.text(ledger, source.id) for source in ledger.sources}
    folds: dict[str, tuple[str, list[int]]] = {}
    memo: dict[tuple[str, str, str, str, int, int], Anchor] = {}
    checks: list[QuoteCheck] = []
    append = checks.append
    exact = AnchorStatus.EXACT
    for p in ledger.entries:
        pid = p.id
        for i, ev in enumerate(p.evidence):
            source = ev.source
            text = texts[source] if source in texts else texts.setdefault(source, articles.text(ledger, source))
            if text is not None and is_exact(text, ev.quote, ev.start, ev.end):
                append(QuoteCheck(pid, i, ev, Anchor(exact, ev.start, ev.end)))
                continue
            key = (source, ev.quote, ev.prefix, ev.suffix, ev.start, ev.end)
            anchor = memo.get(key) if MEMOISE else None
            if anchor is None:
                anchor = anchor_evidence(text, ev, normalised=_folder(folds, source, text))
                if MEMOISE:
                    memo[key] = anchor
            append(QuoteCheck(pid, i, ev, anchor))
    return Report(checks=checks, source_problems=dict(articles.problems))


def _folder(
    folds: dict[str, tuple[str, list[int]]], source: str, text: str | None
) -> Callable[[], tuple[str, list[int]]]:
    """:func:`normalise` of ``text`` (the article of ``source``), computed on first use and kept in ``folds``."""

    def folded() -> tuple[str, list[int]]:
        found = folds.get(source)
        if found is None:
            found = folds[source] = normalise(text or "")
        return found

    return folded
