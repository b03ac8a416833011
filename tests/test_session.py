"""The editing session: validated edits, undo/redo, dirty state, saves and outside changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pledgetui import articlefile, canonical, filesave, journal, paths, store
from pledgetui.model import Evidence, Source, Status
from pledgetui.session import (
    EditError,
    EditSession,
    JournalError,
    validate_entry_fields,
)
from tests.factory import (
    ARTICLE_002,
    SEEDS,
    STANCE,
    evidence_for,
    restance,
    small_ledger,
)

#: The default stance as vocabulary members, for ``Evidence.model_construct`` (which does not convert).
STANCE_OBJ = Evidence.model_validate({**STANCE, "source": "a", "quote": "q", "start": 0, "end": 1}).model_dump(
    include={"claimant", "party", "basis", "status"}
)


def _journal_lines(session: EditSession) -> int:
    path = journal.journal_path(session.path)
    return len(path.read_bytes().splitlines()) if path.exists() else 0


def test_edit_save_and_reload_from_disk(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    assert not session.dirty
    uk = session.ledger.entry("uk-ground")
    assert uk.status is Status.SIGNED
    session.put_entry(
        restance(uk.model_copy(update={"notes": "edited", "summary": "New summary"}), status=Status.ANNOUNCED)
    )
    assert session.ledger.entry("uk-ground").status is Status.ANNOUNCED
    form = validate_entry_fields({**uk.model_dump(), "id": "uk-air", "commitment": "air", "actor": "UK"})
    assert session.put_entry(form) == "add uk-air"
    assert session.dirty
    session.save()
    assert not session.dirty and not journal.journal_path(ledger_path).exists()

    again = store.load(ledger_path).ledger
    assert again == session.ledger
    assert again.entry("uk-ground").status is Status.ANNOUNCED and again.entry("uk-ground").notes == "edited"
    assert [p.id for p in again.entries][-1] == "uk-air"
    assert ledger_path.with_name("pledges.toml.bak").exists()  # the previous version is kept


def test_undo_redo_many_levels_and_clean_after_undo_to_saved(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    original = session.ledger
    uk = session.ledger.entry("uk-ground")
    descriptions = [
        session.put_entry(uk.model_copy(update={"notes": "one"})),
        session.delete_entry("france-ground"),
        session.put_entry(
            session.ledger.entry("uk-ground").model_copy(update={"id": "uk-ground-troops"}), replace_id="uk-ground"
        ),
        session.add_evidence(
            "ireland-ground",
            evidence_for(articlefile.read_article(SEEDS / ARTICLE_002), "a002", "declaration of intent"),
        ),
        session.remove_evidence("ireland-ground", 0),
    ]
    assert descriptions == [
        "edit uk-ground: notes",
        "delete france-ground",
        "rename uk-ground to uk-ground-troops",
        "add a quote to ireland-ground",
        "remove quote 1 from ireland-ground",
    ]
    states = []
    while session.can_undo:
        states.append(session.ledger)
        assert session.undo() == descriptions[len(descriptions) - len(states)]
    assert session.ledger == original and not session.dirty  # back to the saved state: clean
    assert not session.can_undo and session.can_redo
    for desc in descriptions:
        assert session.redo() == desc
        assert session.dirty
    assert session.ledger == states[0]
    assert [p.id for p in session.ledger.entries] == [
        "uk-ground-troops",
        "ireland-ground",
        "russia-mfa",
    ]  # renamed in place
    # A new edit after undo drops the redo branch.
    session.undo()
    session.delete_entry("russia-mfa")
    assert not session.can_redo and session.undo_description == "delete russia-mfa"
    with pytest.raises(IndexError):
        session.redo()


def test_undo_past_a_save_makes_the_session_dirty_again(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")
    session.save()
    assert not session.dirty and session.can_undo
    assert session.undo() == "delete russia-mfa"
    assert session.dirty and session.ledger.entry("russia-mfa") is not None
    assert session.redo() == "delete russia-mfa" and not session.dirty


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (
            lambda s: s.put_entry(
                s.ledger.entry("uk-ground").model_copy(update={"id": "france-ground"}), replace_id="uk-ground"
            ),
            "id",
        ),
        (lambda s: s.put_entry(s.ledger.entry("uk-ground").model_copy(update={"id": "Bad Id!"})), "id"),
        (lambda s: s.put_entry(s.ledger.entry("uk-ground").model_copy(update={"summary": ""})), "summary"),
        (lambda s: s.put_entry(s.ledger.entry("uk-ground").model_copy(update={"notes": "bad \ud800 char"})), "notes"),
        (lambda s: s.put_entry(s.ledger.entry("uk-ground").model_copy(update={"evidence": ()})), "evidence"),
        (
            lambda s: s.add_evidence(
                "uk-ground",
                Evidence.model_construct(
                    source="nowhere", quote="x", prefix="", suffix="", start=0, end=1, **STANCE_OBJ
                ),
            ),
            "evidence[2].source",
        ),
        (
            lambda s: s.add_evidence(
                "uk-ground",
                Evidence.model_construct(source="a002", quote="x", prefix="", suffix="", start=5, end=1, **STANCE_OBJ),
            ),
            "evidence[2]",
        ),
        (lambda s: s.remove_evidence("uk-ground", 0), "evidence"),
        (lambda s: s.remove_evidence("uk-ground", 3), "evidence"),
        (lambda s: s.delete_entry("no-such-pledge"), "id"),
        (lambda s: s.add_source(Source(id="a002", file="new.txt", title="Duplicate id"), "text"), "id"),
        (lambda s: s.add_source(Source(id="a010", file=ARTICLE_002, title="Clobber"), "other text"), "file"),
        (lambda s: s.add_source(Source(id="a010", file="bad.txt", title="Binary"), b"\xff\xfe not utf-8"), "article"),
    ],
)
def test_invalid_edit_is_refused_with_its_field_and_nothing_is_written(ledger_path: Path, edit, field: str) -> None:
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")  # one journaled edit before the refused one
    before_ledger, before_file, before_lines = session.ledger, ledger_path.read_bytes(), _journal_lines(session)
    seeds_before = sorted(p.name for p in (ledger_path.parent / "seeds").iterdir())

    with pytest.raises(EditError) as caught:
        edit(session)

    assert field in [name for name, _ in caught.value.problems], caught.value.problems
    assert all(message for _, message in caught.value.problems)
    assert session.ledger is before_ledger and session.undo_description == "delete russia-mfa"
    assert ledger_path.read_bytes() == before_file
    assert _journal_lines(session) == before_lines  # no journal line for the refused edit
    assert sorted(p.name for p in (ledger_path.parent / "seeds").iterdir()) == seeds_before


def test_validate_pledge_fields_names_every_bad_field() -> None:
    with pytest.raises(EditError) as caught:
        validate_entry_fields(
            {
                "id": "ok-id",
                "actor": "",
                "commitment": "lasers",
                "evidence": [{**STANCE, "source": "a", "quote": "", "start": 0, "end": 1}],
            }
        )
    fields = caught.value.by_field()
    assert set(fields) == {"actor", "commitment", "summary", "evidence"}
    assert any("lasers" in m or "ground_troops" in m for m in fields["commitment"])
    assert [name for name, _ in caught.value.problems if name.startswith("evidence")] == ["evidence[1].quote"]


def test_validate_pledge_fields_names_a_statement_s_bad_stance_and_an_entry_level_status() -> None:
    with pytest.raises(EditError) as caught:
        validate_entry_fields(
            {
                "id": "ok-id", "actor": "UK", "commitment": "air", "summary": "s", "status": "signed",
                "evidence": [{**STANCE, "party": "second_party", "claimant": "", "source": "a", "quote": "q", "start": 0, "end": 1}],
            }
        )  # fmt: skip
    problems = dict(caught.value.problems)
    assert set(problems) == {"status", "evidence[1].party", "evidence[1].claimant"}
    assert problems["status"] == "is not a field of an entry"
    assert "first_party" in problems["evidence[1].party"]


def test_add_source_writes_the_article_and_reuses_an_identical_one(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = EditSession.open(ledger_path)
    assert session.add_source(Source(id="a010", file="010_new.txt", title="New"), "Ten troops.\n") == "add source a010"
    assert (ledger_path.parent / "seeds" / "010_new.txt").read_bytes() == b"Ten troops.\n"
    same = (SEEDS / ARTICLE_002).read_text(encoding="utf-8")
    orphan = ledger_path.parent / "seeds" / "011_same.txt"  # a file no source uses yet
    orphan.write_bytes((SEEDS / ARTICLE_002).read_bytes())
    before = orphan.stat().st_mtime_ns
    session.add_source(Source(id="a011", file="011_same.txt", title="Same article again"), same)
    assert [s.id for s in session.ledger.sources][-2:] == ["a010", "a011"]
    assert orphan.stat().st_mtime_ns == before  # reused, not rewritten

    monkeypatch.setattr(articlefile, "MAX_ARTICLE_BYTES", 10)
    with pytest.raises(EditError) as caught:
        session.add_source(Source(id="a012", file="012_big.txt", title="Too big"), "x" * 11)
    assert caught.value.problems[0][0] == "article"
    assert not (ledger_path.parent / "seeds" / "012_big.txt").exists()


def test_a_journal_failure_refuses_the_edit(ledger_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = EditSession.open(ledger_path)
    session.delete_entry("russia-mfa")
    before = session.ledger

    def full_disk(fd, data):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as mp:
        mp.setattr("pledgetui.journal.os.write", full_disk)
        with pytest.raises(JournalError):
            session.delete_entry("uk-ground")
    assert session.ledger is before and session.undo_description == "delete russia-mfa"
    session.delete_entry("uk-ground")  # the journal is still whole: the next edit is recorded
    assert journal.recover(ledger_path) == session.ledger


def _outside_edit(path: Path) -> bytes:
    ledger = store.load(path).ledger
    changed = ledger.model_copy(update={"entries": ledger.entries[:-1]})
    data = canonical.dumps(changed)
    path.write_bytes(data)
    return data


def test_outside_change_is_caught_never_overwritten(ledger_path: Path, tmp_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.put_entry(session.ledger.entry("uk-ground").model_copy(update={"notes": "mine"}))
    theirs = _outside_edit(ledger_path)

    assert session.changed_on_disk()
    with pytest.raises(filesave.ConflictError):
        session.save()
    assert ledger_path.read_bytes() == theirs
    assert session.dirty and journal.pending(ledger_path) is not None  # my edit is kept

    # Save a copy elsewhere: the copy holds my version with its articles; the original stays theirs.
    (tmp_path / "elsewhere").mkdir()
    copy = session.save_copy(tmp_path / "elsewhere" / "mine.toml")
    assert store.load(copy).ledger == session.ledger
    assert {s.file for s in session.ledger.sources} <= {p.name for p in (copy.parent / "seeds").iterdir()}
    assert ledger_path.read_bytes() == theirs and session.dirty
    with pytest.raises(filesave.SaveError):
        session.save_copy(copy)  # an existing file is not replaced unless asked

    # Reload: the outside version, edits and journal dropped.
    session.reload()
    assert canonical.dumps(session.ledger) == theirs and not session.dirty and not session.can_undo
    assert journal.pending(ledger_path) is None


def test_overwrite_replaces_an_outside_change_only_when_asked(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    session.delete_entry("uk-ground")
    _outside_edit(ledger_path)
    with pytest.raises(filesave.ConflictError):
        session.save()
    session.overwrite()
    assert store.load(ledger_path).ledger == session.ledger and not session.dirty
    session.put_entry(session.ledger.entry("russia-mfa").model_copy(update={"notes": "after"}))
    session.save()  # the fingerprint was updated: no false conflict
    assert not session.dirty and store.load(ledger_path).ledger.entry("russia-mfa").notes == "after"


def test_discard_returns_to_the_saved_ledger_and_drops_the_journal(ledger_path: Path) -> None:
    session = EditSession.open(ledger_path)
    saved = session.ledger
    session.delete_entry("uk-ground")
    assert journal.pending(ledger_path) is not None
    session.discard()
    assert session.ledger == saved and not session.dirty and not session.can_undo
    assert journal.pending(ledger_path) is None


def _repo_layout(tmp_path: Path) -> Path:
    """A ledger laid out like the repository: ``data/pledges.toml`` with ``seeds/`` beside ``data/``."""
    (tmp_path / "data").mkdir()
    shutil.copytree(SEEDS, tmp_path / "seeds")
    path = tmp_path / "data" / "pledges.toml"
    store.save(small_ledger(), path, backup=False)
    return path


def test_add_source_never_shadows_an_article_found_beside_the_data_folder(tmp_path: Path) -> None:
    path = _repo_layout(tmp_path)
    original = (tmp_path / "seeds" / ARTICLE_002).read_bytes()
    session = EditSession.open(path)
    assert paths.find_article(path, ARTICLE_002) == (tmp_path / "seeds" / ARTICLE_002).resolve()

    # The name of an existing source's article is refused, whatever the text.
    for text in ("Other text.\n", original):
        with pytest.raises(EditError) as caught:
            session.add_source(Source(id="a010", file=ARTICLE_002, title="Import"), text)
        assert caught.value.problems[0][0] == "file" and "a002" in str(caught.value)
    assert not (tmp_path / "data" / "seeds").exists()
    assert paths.find_article(path, ARTICLE_002) == (tmp_path / "seeds" / ARTICLE_002).resolve()
    assert (tmp_path / "seeds" / ARTICLE_002).read_bytes() == original

    # A file no source uses, in any place articles are looked for: other text is refused...
    (tmp_path / "seeds" / "010_orphan.txt").write_bytes(b"Orphan text.\n")
    (tmp_path / "data" / "011_loose.txt").write_bytes(b"Loose text.\n")
    for name in ("010_orphan.txt", "011_loose.txt"):
        with pytest.raises(EditError) as caught:
            session.add_source(Source(id="a010", file=name, title="Import"), "Different.\n")
        assert caught.value.problems[0][0] == "file"
        assert not (tmp_path / "data" / "seeds" / name).exists()
    # ... the same bytes are reused where they are, nothing written that could shadow them.
    session.add_source(Source(id="a010", file="010_orphan.txt", title="Import"), "Orphan text.\n")
    session.add_source(Source(id="a011", file="011_loose.txt", title="Import"), "Loose text.\n")
    assert not (tmp_path / "data" / "seeds").exists()
    # A new name goes into data/seeds/, where it is found first.
    session.add_source(Source(id="a012", file="012_new.txt", title="Import"), "New.\n")
    assert paths.find_article(path, "012_new.txt") == (tmp_path / "data" / "seeds" / "012_new.txt").resolve()
    session.save()
    assert [s.id for s in store.load(path).ledger.sources] == ["a002", "a003", "a010", "a011", "a012"]


def test_save_copy_reads_articles_as_every_article_reader_does(
    ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Articles are copied through articlefile.read_article_bytes: one over the article limit is not read."""
    session = EditSession.open(ledger_path)
    files = {s.file: (ledger_path.parent / "seeds" / s.file).stat().st_size for s in session.ledger.sources}
    small, large = sorted(files, key=files.get)
    monkeypatch.setattr(articlefile, "MAX_ARTICLE_BYTES", files[small])
    (tmp_path / "elsewhere").mkdir()
    copy = session.save_copy(tmp_path / "elsewhere" / "copy.toml")
    copied = {p.name for p in (copy.parent / "seeds").iterdir()}
    assert small in copied and large not in copied


def test_an_existing_article_over_the_limit_is_other_text_and_is_not_read(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = EditSession.open(ledger_path)
    (ledger_path.parent / "seeds" / "big.txt").write_bytes(b"x" * 64)
    monkeypatch.setattr(articlefile, "MAX_ARTICLE_BYTES", 32)
    with pytest.raises(EditError, match="already exists in seeds/ with other text"):
        session.add_source(Source(id="a900", file="big.txt", title="Big"), "x" * 16)
