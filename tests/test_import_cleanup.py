"""An imported article whose import is discarded (undone, or the session discarded) does not stay in seeds/."""

from __future__ import annotations

from pathlib import Path

from pledgetui.model import Source
from pledgetui.session import EditSession

TEXT = "Oslo, 2 Feb. Norway will send two frigates once a ceasefire holds, the defence minister said.\n"


def _import(session: EditSession, name: str = "norway.txt") -> Path:
    session.add_source(Source(id="a900", file=name, title="Norway report"), TEXT)
    article = session.seeds_folder() / name
    assert article.read_text(encoding="utf-8") == TEXT
    return article


def test_undo_removes_the_article_the_import_wrote_and_redo_writes_it_back(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    article = _import(session)
    session.undo()
    assert not article.exists()
    session.redo()
    assert article.read_text(encoding="utf-8") == TEXT
    session.undo()
    assert not article.exists()


def test_discarding_the_session_removes_the_article(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    article = _import(session)
    session.discard()
    assert not article.exists()


def test_reload_removes_the_article(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    article = _import(session)
    session.reload()
    assert not article.exists()


def test_a_changed_article_is_left_in_place(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    article = _import(session)
    article.write_text(TEXT + "edited by hand\n", encoding="utf-8")
    session.undo()
    assert article.read_text(encoding="utf-8").endswith("edited by hand\n")


def test_a_saved_import_is_never_removed(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    article = _import(session)
    session.save()
    session.undo()  # the saved ledger still names the article
    assert article.exists()
    session.discard()
    assert article.exists()


def test_an_article_that_was_already_there_is_not_removed(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    article = session.seeds_folder() / "norway.txt"
    article.write_text(TEXT, encoding="utf-8")  # the same bytes: reused, not written
    _import(session)
    session.undo()
    session.discard()
    assert article.read_text(encoding="utf-8") == TEXT


def test_the_removal_is_journaled_so_recovery_does_not_bring_the_source_back(ledger_path: Path) -> None:
    from pledgetui import journal

    session = EditSession.open(ledger_path)
    article = _import(session)
    session.undo()
    session.close()  # a crash
    assert not article.exists()
    recovered = journal.recover(ledger_path)
    assert all(s.id != "a900" for s in recovered.sources)
