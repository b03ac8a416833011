"""Assisted intake (``pledgetui suggest``) measured against the bundled ledger, and timed on a
synthetic 1 MB article.

    python -m bench.suggest

For each seed article: recall (the ledger's statements whose quote overlaps a candidate) and
precision (the candidates that overlap some statement's quote). Then the time to suggest on
a 1 MB article (the bundled articles' sentences, shuffled), against a baseline measured in
the same run: reading the same text and splitting it into sentences with a plain regular
expression. The libraries' import times are measured in fresh interpreters.

Prints numbers; asserts nothing about time.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pledgetui.paths import bundled_ledger
from pledgetui.store import load
from pledgetui.suggest import recall_precision, suggest
from pledgetui.verify import Articles

LIMIT = 40


def seeds() -> list[tuple[str, str, list[tuple[int, int]], object]]:
    loaded = load(bundled_ledger())
    ledger = loaded.ledger
    articles = Articles(loaded.path)
    out = []
    for source in ledger.sources:
        text = articles.text(ledger, source.id) or ""
        spans = [(ev.start, ev.end) for p in ledger.entries for ev in p.evidence if ev.source == source.id]
        out.append((source.id, text, spans, source.date))
    return out


def quality() -> list[str]:
    rows = [
        "| article | statements | found | recall | candidates | real | precision |",
        "|---|---|---|---|---|---|---|",
    ]
    totals = [0, 0, 0, 0]
    for source_id, text, spans, date in seeds():
        cands = suggest(text, article_date=date, limit=LIMIT, author=f"{source_id} author")  # type: ignore[arg-type]
        recall, precision, found, n, real, c = recall_precision(((x.start, x.end) for x in cands), spans)
        totals = [totals[0] + found, totals[1] + n, totals[2] + real, totals[3] + c]
        rows.append(f"| {source_id} | {n} | {found} | {recall:.0%} | {c} | {real} | {precision:.0%} |")
    f, n, r, c = totals
    rows.append(f"| all | {n} | {f} | {f / n:.0%} | {c} | {r} | {r / c:.0%} |")
    return rows


def synthetic(size: int = 1_000_000) -> str:
    texts = [text for _, text, _, _ in seeds()]
    parts = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()]
    rng = random.Random(0)
    out: list[str] = []
    length = 0
    while length < size:
        s = rng.choice(parts)
        out.append(s)
        length += len(s) + 1
    return " ".join(out)[:size]


def timing() -> list[str]:
    text = synthetic()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        path.write_text(text, encoding="utf-8")
        best_base = best_suggest = float("inf")
        count = 0
        for _ in range(3):
            t = time.perf_counter()
            data = path.read_bytes().decode("utf-8")
            pieces = re.split(r"(?<=[.!?])\s+|\n+", data)
            best_base = min(best_base, time.perf_counter() - t)
            t = time.perf_counter()
            found = suggest(path.read_bytes().decode("utf-8"), limit=LIMIT)
            best_suggest = min(best_suggest, time.perf_counter() - t)
            count = len(found)
    return [
        f"1 MB article ({len(text):,} characters, {len(pieces):,} sentences), best of 3:",
        f"  baseline (read + split into sentences): {best_base * 1000:.0f} ms",
        f"  suggest ({count} candidates kept):       {best_suggest * 1000:.0f} ms  ({best_suggest / best_base:.0f}x the baseline)",
    ]


def dateparser_cost() -> list[str]:
    """Why dates are read only in the sentences suggested: search_dates over plain text."""
    from dateparser.search import search_dates

    text = synthetic(20_000)
    search_dates("warm up on Tuesday", languages=["en"])
    t = time.perf_counter()
    search_dates(text, languages=["en"])
    whole = time.perf_counter() - t
    return [
        f"  dateparser.search_dates over 20 KB of the article: {whole * 1000:.0f} ms "
        f"(about {whole * 50:.0f} s for 1 MB: so it reads only the sentences suggested)"
    ]


def import_cost() -> list[str]:
    lines = []
    for what, code in (
        ("pycountry, gazetteer built", "import pledgetui.suggest as s; s.gazetteer()"),
        ("dateparser (first date read)", "import pledgetui.suggest as s; s.stated_date('on Tuesday', None)"),
        ("pledgetui.suggest alone", "import pledgetui.suggest"),
    ):
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            best = min(best, time.perf_counter() - t)
        base = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import pledgetui.suggest"], check=True)
            base = min(base, time.perf_counter() - t)
        lines.append(
            f"  {what}: {best * 1000:.0f} ms for the process ({(best - base) * 1000:+.0f} ms over importing the module)"
        )
    return lines


def main() -> None:
    print("Recall and precision on the seed articles (against the bundled ledger):")
    print("\n".join(quality()))
    print()
    print("\n".join(timing()))
    print()
    print("\n".join(dateparser_cost()))
    print()
    print("Import cost (fresh interpreter, best of 3):")
    print("\n".join(import_cost()))


if __name__ == "__main__":
    main()
