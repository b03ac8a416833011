"""Search every article: folded case, accents, quotes and dashes; offsets into the stored text; citing statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgetui.model import Ledger, Source
from pledgetui.search import ArticleSearch, SearchError, fold_text, search_articles
from pledgetui.store import load
from tests.factory import write_ledger

ARTICLE = "Talks at the \u00c9lys\u00e9e Palace \u2014 \u201cvery  good\u201d, said the STRASSE envoy.\nSecond line: \u00e9lys\u00e9e again."


def test_paris_finds_the_article_whose_title_lacks_the_word(ledger_path: Path) -> None:
    loaded = load(ledger_path)
    hits = search_articles(loaded.ledger, loaded.path, "paris")
    assert {h.source for h in hits} == {"a002", "a003"}
    assert loaded.ledger.source("a003").title == "After the Summit"  # type: ignore[union-attr]


def test_offsets_select_the_hit_in_the_stored_text(ledger_path: Path) -> None:
    loaded = load(ledger_path)
    search = ArticleSearch(loaded.ledger, loaded.path)
    for h in search.search("PARIS"):
        text = search.articles.text(loaded.ledger, h.source)  # type: ignore[union-attr]
        assert text is not None
        assert text[h.start : h.end].casefold() == "paris"
        assert h.context[h.context_start : h.context_end].casefold() == "paris"


def test_hits_name_the_statements_quoting_them(ledger_path: Path) -> None:
    loaded = load(ledger_path)
    hits = search_articles(loaded.ledger, loaded.path, "declaration of intent to deploy")
    cited = [h for h in hits if h.cited]
    assert cited
    assert set(cited[0].entry_ids) == {"uk-ground", "france-ground"}
    uncited = search_articles(loaded.ledger, loaded.path, "paris")
    assert any(not h.cited for h in uncited)


def _one_article(tmp_path: Path, text: str = ARTICLE) -> tuple[Ledger, Path]:
    folder = tmp_path / "one"
    path = write_ledger(folder, Ledger(sources=(Source(id="x1", file="x1.txt", title="Talks"),), entries=()))
    (folder / "seeds" / "x1.txt").write_text(text, encoding="utf-8")
    return load(path).ledger, path


@pytest.mark.parametrize(
    ("needle", "found"),
    [
        ("elysee", "\u00c9lys\u00e9e"),
        ('palace - "very good"', "Palace \u2014 \u201cvery  good\u201d"),
        ("strasse", "STRASSE"),
    ],
)
def test_case_accents_quotes_dashes_and_spaces_are_folded(tmp_path: Path, needle: str, found: str) -> None:
    ledger, path = _one_article(tmp_path)
    hits = search_articles(ledger, path, needle)
    assert hits
    assert ARTICLE[hits[0].start : hits[0].end] == found


def test_every_occurrence_and_the_line_as_context(tmp_path: Path) -> None:
    ledger, path = _one_article(tmp_path)
    hits = search_articles(ledger, path, "\u00e9lys\u00e9e")
    assert len(hits) == 2
    assert hits[1].context == "Second line: \u00e9lys\u00e9e again."
    assert not hits[0].cited


def test_fold_keeps_offsets_or_a_map_to_the_stored_text() -> None:
    assert fold_text("A\u00c9  \u2014b\u2026") == ("ae  -b\u2026", None)
    text = "Cafe\u0301 \u00e9t\u00e9"  # a combining accent on its own folds to nothing
    folded, index = fold_text(text)
    assert folded == "cafe ete"
    assert index is not None
    assert len(index) == len(folded) + 1
    assert index[-1] == len(text)


def test_a_hit_after_a_character_that_folds_away_has_the_stored_offsets(tmp_path: Path) -> None:
    text = "Un cafe\u0301 pre\u0300s de l'\u00c9lys\u00e9e."
    ledger, path = _one_article(tmp_path, text)
    [hit] = search_articles(ledger, path, "elysee")
    assert text[hit.start : hit.end] == "\u00c9lys\u00e9e"


@pytest.mark.parametrize("needle", ["", "   ", "x" * 501])
def test_empty_or_overlong_text_is_refused(ledger_path: Path, needle: str) -> None:
    loaded = load(ledger_path)
    with pytest.raises(SearchError):
        search_articles(loaded.ledger, loaded.path, needle)


def test_a_missing_article_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    ledger, path = _one_article(tmp_path)
    (path.parent / "seeds" / "x1.txt").unlink()
    search = ArticleSearch(ledger, path)
    assert search.search("elysee") == []
    assert "x1" in search.problems
