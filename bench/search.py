"""Search every article: a folded scan against an SQLite FTS5 index, on the bundled
articles and on 200 synthetic 50 KB articles (sentences of the bundled ones, shuffled).

    python -m bench.search

Prints numbers; asserts nothing about time.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from pathlib import Path

from pledgetui.model import Ledger, Source
from pledgetui.paths import bundled_ledger
from pledgetui.search import ArticleSearch, fold_needle, fold_text
from pledgetui.store import load, save

WORDS = ("paris", "security guarantees", "élysée", "coalition of the willing", "zzz-nothing")


def synthetic(folder: Path, count: int = 200, size: int = 50_000) -> Path:
    bundled = load(bundled_ledger())
    search = ArticleSearch(bundled.ledger, bundled.path)
    assert search.articles is not None
    texts = [search.articles.text(bundled.ledger, s.id) or "" for s in bundled.ledger.sources]
    sentences = [s.strip() + "." for t in texts for s in t.split(".") if s.strip()]
    rng = random.Random(0)
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    sources = []
    for i in range(count):
        parts: list[str] = []
        length = 0
        while length < size:
            s = rng.choice(sentences)
            parts.append(s)
            length += len(s) + 1
        (seeds / f"s{i:03d}.txt").write_text(" ".join(parts), encoding="utf-8")
        sources.append(Source(id=f"s{i:03d}", file=f"s{i:03d}.txt", title=f"Synthetic {i}"))
    path = folder / "pledges.toml"
    save(Ledger(sources=tuple(sources), entries=()), path, backup=False)
    return path


def scan(path: Path) -> None:
    loaded = load(path)
    t0 = time.perf_counter()
    search = ArticleSearch(loaded.ledger, loaded.path)
    search.prepare()
    t1 = time.perf_counter()
    print(f"  scan: read + fold {len(loaded.ledger.sources)} articles {t1 - t0:.3f} s")
    for word in WORDS:
        t = time.perf_counter()
        hits = search.search(word)
        print(f"    {word!r}: {len(hits)} hits in {(time.perf_counter() - t) * 1000:.1f} ms")


def fts5(path: Path) -> None:
    loaded = load(path)
    search = ArticleSearch(loaded.ledger, loaded.path)
    assert search.articles is not None
    t0 = time.perf_counter()
    db = sqlite3.connect(":memory:")
    # trigram: substrings, as the scan finds them; the folded text, since SQLite 3.40's trigram
    # tokenizer folds case but not accents (remove_diacritics needs 3.45)
    db.execute("CREATE VIRTUAL TABLE a USING fts5(source UNINDEXED, body, tokenize='trigram')")
    for s in loaded.ledger.sources:
        text = search.articles.text(loaded.ledger, s.id) or ""
        db.execute("INSERT INTO a VALUES (?, ?)", (s.id, fold_text(text)[0]))
    t1 = time.perf_counter()
    print(f"  fts5: read + fold + index {t1 - t0:.3f} s (sqlite {sqlite3.sqlite_version})")
    for word in WORDS:
        t = time.perf_counter()
        needle = fold_needle(word)
        docs = db.execute(
            "SELECT source, body FROM a WHERE a MATCH ?", ('"' + needle.replace('"', '""') + '"',)
        ).fetchall()
        hits = sum(body.count(needle) for _, body in docs)  # offsets still need a scan of each document
        print(f"    {word!r}: {len(docs)} articles, {hits} hits in {(time.perf_counter() - t) * 1000:.1f} ms")


def main() -> None:
    print("bundled articles")
    scan(bundled_ledger())
    fts5(bundled_ledger())
    with tempfile.TemporaryDirectory() as tmp:
        path = synthetic(Path(tmp))
        print("200 synthetic articles of 50 KB")
        scan(path)
        fts5(path)


if __name__ == "__main__":
    main()
