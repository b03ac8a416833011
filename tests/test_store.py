"""Reading ledgers (every problem, with where and what), limits, atomic save, change detection."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from pledgetui import articlefile, canonical, filesave, ledgerfile, paths, store
from pledgetui.filesave import ConflictError, SaveError
from pledgetui.ledgerfile import LedgerError
from pledgetui.model import MAX_STRING
from tests.factory import BROKEN_TOML, small_ledger


def problems_of(exc: pytest.ExceptionInfo[LedgerError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def write_doc(path: Path, doc: dict[str, Any]) -> Path:
    path.write_bytes(tomli_w.dumps(doc).encode("utf-8"))
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.endswith(".new"))


# --------------------------------------------------------------------------- reading


def test_load_small_ledger(ledger_path: Path) -> None:
    loaded = store.load(ledger_path)
    assert loaded.ledger == small_ledger()
    assert loaded.path == ledger_path
    assert loaded.fingerprint == ledgerfile.fingerprint(ledger_path)
    assert loaded.fingerprint.size == ledger_path.stat().st_size


def test_empty_document_is_not_a_ledger() -> None:
    with pytest.raises(LedgerError, match="schema_version: is required but missing"):
        ledgerfile.loads(b"")


def test_toml_syntax_error_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(BROKEN_TOML)
    with pytest.raises(LedgerError) as exc:
        store.load(path)
    [problem] = exc.value.problems
    assert problem.where == "line 5, column 9"
    assert problem.what.startswith("TOML syntax error")
    assert exc.value.path == path


def test_unterminated_string_reports_its_line() -> None:
    with pytest.raises(LedgerError) as exc:
        ledgerfile.loads(b'schema_version = 1\n[[pledges]]\nid = "uk"\nsummary = "open\n')
    assert exc.value.problems[0].where == "line 4, column 16"


def test_invalid_utf8_reports_line_and_character_column() -> None:
    # Two Cyrillic letters (two bytes each) before the bad byte: the column counts characters.
    data = "schema_version = 1\n# Ки".encode() + b"\xff\n"
    with pytest.raises(LedgerError) as exc:
        ledgerfile.loads(data)
    assert problems_of(exc) == ["line 2, column 5: is not valid UTF-8"]


def test_schema_errors_are_all_reported_with_pledge_id_and_field(tmp_path: Path) -> None:
    doc = canonical.to_document(small_ledger())
    uk = doc["entries"][0]
    assert uk["id"] == "uk-ground"
    ev = uk["evidence"][0]
    ev["status"] = "rumoured"
    ev["claimnt"] = ev.pop("claimant")
    del uk["summary"]
    uk["status"] = "signed"  # a version 1 key in a version 2 file: not a field of an entry any more
    with pytest.raises(LedgerError) as exc:
        store.load(write_doc(tmp_path / "pledges.toml", doc))
    problems = problems_of(exc)
    status = [p for p in problems if "field evidence[1].status" in p]
    typo = [p for p in problems if "field evidence[1].claimnt" in p]
    missing_summary = [p for p in problems if "field summary" in p]
    missing_claimant = [p for p in problems if "field evidence[1].claimant" in p]
    entry_status = [p for p in problems if "field status" in p]
    assert len(problems) == 5
    for group in (status, typo, missing_summary, missing_claimant, entry_status):
        assert len(group) == 1
        assert group[0].startswith("entry 'uk-ground' field ")
    assert "'rumoured' is not allowed" in status[0] and "'signed'" in status[0]
    assert "unknown key 'claimnt'" in typo[0]
    assert "required but missing" in missing_summary[0]
    assert "required but missing" in missing_claimant[0]
    assert "unknown key 'status'" in entry_status[0]
    assert "5 problems" in str(exc.value)


def test_errors_in_nested_items_name_the_item() -> None:
    doc = canonical.to_document(small_ledger())
    doc["entries"][1]["evidence"][0]["end"] = 1
    doc["entries"][1]["numbers"] = [{"label": "troops", "low": 5, "high": 2}]
    doc["sources"][1]["file"] = "../a.txt"
    with pytest.raises(LedgerError) as exc:
        ledgerfile.loads(tomli_w.dumps(doc).encode())
    problems = problems_of(exc)
    assert any(p.startswith("entry 'france-ground' field evidence[1]: end offset 1 is before") for p in problems)
    assert any(p.startswith("entry 'france-ground' field numbers[1]: high (2) is below low (5)") for p in problems)
    assert any(p.startswith("source 'a003' field file:") for p in problems)
    # The invalid evidence item must not also be reported as "no evidence at all".
    assert not any("at least 1 item" in p for p in problems)
    assert len(problems) == 3


def test_pledge_without_id_is_named_by_position() -> None:
    doc = canonical.to_document(small_ledger())
    del doc["entries"][2]["id"]
    with pytest.raises(LedgerError) as exc:
        ledgerfile.loads(tomli_w.dumps(doc).encode())
    assert problems_of(exc) == ["entry #3 field id: is required but missing"]


def test_empty_evidence_list_is_reported() -> None:
    doc = canonical.to_document(small_ledger())
    doc["entries"][0]["evidence"] = []
    with pytest.raises(LedgerError) as exc:
        ledgerfile.loads(tomli_w.dumps(doc).encode())
    [problem] = problems_of(exc)
    assert problem.startswith("entry 'uk-ground' field evidence:")


def test_integrity_problems_are_ledger_errors() -> None:
    doc = canonical.to_document(small_ledger())
    doc["entries"][1]["id"] = "uk-ground"
    doc["entries"][2]["evidence"][0]["source"] = "ghost"
    with pytest.raises(LedgerError) as exc:
        ledgerfile.loads(tomli_w.dumps(doc).encode())
    problems = problems_of(exc)
    assert "entry uk-ground: id is used by more than one entry" in problems
    assert any(p.startswith("entry ireland-ground evidence 1 source:") and "'ghost'" in p for p in problems)


def test_file_size_limit(monkeypatch: pytest.MonkeyPatch, ledger_path: Path) -> None:
    monkeypatch.setattr(ledgerfile, "MAX_LEDGER_BYTES", 100)
    with pytest.raises(LedgerError) as exc:
        store.load(ledger_path)
    [problem] = problems_of(exc)
    assert f"{ledger_path.stat().st_size:,} bytes; the limit is 100" in problem


def test_file_at_the_size_limit_loads(monkeypatch: pytest.MonkeyPatch, ledger_path: Path) -> None:
    monkeypatch.setattr(ledgerfile, "MAX_LEDGER_BYTES", ledger_path.stat().st_size)
    assert store.load(ledger_path).ledger == small_ledger()


@pytest.mark.parametrize(("field", "limit"), [("notes", MAX_STRING), ("summary", 500)])
def test_string_length_limit_names_the_right_limit(field: str, limit: int) -> None:
    doc = canonical.to_document(small_ledger())
    doc["entries"][3][field] = "x" * (limit + 1)
    with pytest.raises(LedgerError) as exc:
        ledgerfile.loads(tomli_w.dumps(doc).encode())
    assert problems_of(exc) == [f"entry 'russia-mfa' field {field}: is longer than the limit of {limit:,} characters"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LedgerError) as exc:
        store.load(tmp_path / "nope.toml")
    assert problems_of(exc) == ["no such file"]


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(LedgerError) as exc:
        store.load(tmp_path)
    assert problems_of(exc) == ["is a directory, not a ledger file"]


def test_read_article_rejects_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"ok\r\n\xff")
    with pytest.raises(ValueError, match="not valid UTF-8 at byte 4"):
        articlefile.read_article(path)
    path.write_bytes("line\r\nКиїв".encode())
    assert articlefile.read_article(path) == "line\r\nКиїв"  # no newline translation


# --------------------------------------------------------------------------- atomic save


def test_save_keeps_previous_version_as_backup(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    ledger = small_ledger()
    changed = ledger.model_copy(update={"entries": ledger.entries[:2]})
    fp = store.save(changed, ledger_path)
    assert (ledger_path.parent / "pledges.toml.bak").read_bytes() == before
    assert store.load(ledger_path).ledger == changed
    assert fp == ledgerfile.fingerprint(ledger_path)
    assert leftovers(ledger_path.parent) == []


def test_save_without_backup_writes_none(ledger_path: Path) -> None:
    changed = small_ledger().model_copy(update={"entries": small_ledger().entries[1:]})
    store.save(changed, ledger_path, backup=False)
    assert store.load(ledger_path).ledger == changed  # the save happened: other bytes than the file had
    assert not (ledger_path.parent / "pledges.toml.bak").exists()


def test_save_creates_a_new_file_without_backup(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    store.save(small_ledger(), path)
    assert store.load(path).ledger == small_ledger()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.toml"]


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644], ids=oct)
def test_save_keeps_the_file_mode(ledger_path: Path, mode: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The saved file has the old file's mode whatever mode its temp file was made with: mkstemp makes
    0600 here, which must not be what keeps a private ledger private."""
    new_temp = filesave._new_temp
    made_with = (0o666 & ~mode) | 0o600  # every bit the ledger lacks: none of them may stay

    def temp_of_another_mode(folder: Path, name: str) -> tuple[int, str]:
        fd, tmp = new_temp(folder, name)
        os.chmod(tmp, made_with)
        return fd, tmp

    monkeypatch.setattr(filesave, "_new_temp", temp_of_another_mode)
    os.chmod(ledger_path, mode)
    changed = small_ledger().model_copy(update={"entries": small_ledger().entries[1:]})
    store.save(changed, ledger_path)
    assert store.load(ledger_path).ledger == changed  # a new file, not the old one left in place
    assert stat.S_IMODE(ledger_path.stat().st_mode) == mode


def test_save_refuses_a_ledger_that_would_not_read_back(ledger_path: Path) -> None:
    before = ledger_path.read_bytes()
    ledger = small_ledger()
    duplicate = ledger.model_copy(update={"entries": ledger.entries + ledger.entries[:1]})
    with pytest.raises(SaveError, match="does not read back"):
        store.save(duplicate, ledger_path)
    assert ledger_path.read_bytes() == before


def test_a_save_leaves_the_garbage_collector_as_it_found_it(ledger_path: Path) -> None:
    import gc

    ledger = small_ledger()
    duplicate = ledger.model_copy(update={"entries": ledger.entries + ledger.entries[:1]})
    assert gc.isenabled()
    store.save(ledger, ledger_path)
    assert gc.isenabled()
    with pytest.raises(SaveError):
        store.save(duplicate, ledger_path)
    assert gc.isenabled()
    gc.disable()
    try:
        store.save(ledger, ledger_path)
        assert not gc.isenabled()
    finally:
        gc.enable()


class FaultyFile:
    """Wraps a real file object; one method raises ENOSPC."""

    def __init__(self, fh: Any, failing: str):
        self._fh = fh
        self._failing = failing

    def __enter__(self) -> FaultyFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()

    def __getattr__(self, name: str) -> Any:
        if name == self._failing:

            def fail(*args: object) -> None:
                raise OSError(errno.ENOSPC, "No space left on device")

            return fail
        return getattr(self._fh, name)


def inject(monkeypatch: pytest.MonkeyPatch, step: str, path: Path) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, f"injected failure in {step}")

    if step in ("write", "flush"):
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: FaultyFile(real_fdopen(fd, *a, **k), step))
    elif step == "create a temporary file":
        monkeypatch.setattr(tempfile, "mkstemp", fail)
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    elif step == "set the file mode":
        monkeypatch.setattr(os, "fchmod", fail)
    elif step == "keep a backup of the previous version":
        # A real obstacle, no monkeypatch: the backup name is taken by a non-empty folder.
        blocker = path.with_name(path.name + ".bak")
        blocker.mkdir()
        (blocker / "keep").write_text("x")
    elif step == "replace":
        real_replace = os.replace

        def replace(src: Any, dst: Any, *a: object, **k: object) -> None:
            if Path(dst) == path:
                fail()
            real_replace(src, dst, *a, **k)

        monkeypatch.setattr(os, "replace", replace)
    else:  # pragma: no cover
        raise AssertionError(step)


STEPS = [
    "create a temporary file",
    "write",
    "flush",
    "fsync",
    "set the file mode",
    "keep a backup of the previous version",
    "replace",
]


@pytest.mark.parametrize("step", STEPS)
def test_failed_save_leaves_original_and_no_temp_files(
    monkeypatch: pytest.MonkeyPatch, ledger_path: Path, step: str
) -> None:
    folder = ledger_path.parent
    before = ledger_path.read_bytes()
    names_before = sorted(p.name for p in folder.iterdir())
    ledger = small_ledger()
    changed = ledger.model_copy(update={"entries": ledger.entries[:1]})
    inject(monkeypatch, step, ledger_path)
    with pytest.raises(SaveError) as exc:
        store.save(changed, ledger_path)
    monkeypatch.undo()
    message = str(exc.value)
    assert f"{step} failed" in message
    assert "unchanged" in message
    assert not isinstance(exc.value, ConflictError)
    assert ledger_path.read_bytes() == before
    assert leftovers(folder) == []
    names_after = sorted(p.name for p in folder.iterdir())
    extra = set(names_after) - set(names_before)
    # Only the replace step runs after the backup: then the backup holds the (unchanged) original.
    if step == "replace":
        assert extra == {"pledges.toml.bak"}
        assert (folder / "pledges.toml.bak").read_bytes() == before
    elif step == "keep a backup of the previous version":
        assert extra == {"pledges.toml.bak"} and (folder / "pledges.toml.bak").is_dir()
    else:
        assert extra == set()


def test_failed_fsync_of_folder_is_not_fatal(monkeypatch: pytest.MonkeyPatch, ledger_path: Path) -> None:
    real_open = os.open

    def no_dir_open(p: Any, flags: int, *a: object, **k: object) -> int:
        if Path(p) == ledger_path.parent:
            raise OSError(errno.EACCES, "denied")
        return real_open(p, flags, *a, **k)

    monkeypatch.setattr(os, "open", no_dir_open)
    ledger = small_ledger()
    changed = ledger.model_copy(update={"entries": ledger.entries[:1]})
    store.save(changed, ledger_path)
    monkeypatch.undo()
    assert store.load(ledger_path).ledger == changed


# --------------------------------------------------------------------------- conflicts and change detection


def test_save_with_unchanged_fingerprint_succeeds(ledger_path: Path) -> None:
    loaded = store.load(ledger_path)
    changed = loaded.ledger.model_copy(update={"entries": loaded.ledger.entries[:1]})
    fp = store.save(changed, ledger_path, expected=loaded.fingerprint)
    assert fp != loaded.fingerprint
    assert not filesave.changed_on_disk(ledger_path, fp)


def test_conflict_when_file_grew_since_load(ledger_path: Path) -> None:
    loaded = store.load(ledger_path)
    outside = ledger_path.read_bytes() + b"\n# edited elsewhere\n"
    ledger_path.write_bytes(outside)
    with pytest.raises(ConflictError):
        store.save(loaded.ledger, ledger_path, expected=loaded.fingerprint)
    assert ledger_path.read_bytes() == outside
    assert not (ledger_path.parent / "pledges.toml.bak").exists()
    assert leftovers(ledger_path.parent) == []


def test_conflict_same_size_with_mtime_restored(ledger_path: Path) -> None:
    loaded = store.load(ledger_path)
    st = ledger_path.stat()
    data = ledger_path.read_bytes()
    outside = data.replace(b"United Kingdom", b"United Kingdon")
    assert outside != data and len(outside) == len(data)
    ledger_path.write_bytes(outside)
    os.utime(ledger_path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert ledger_path.stat().st_mtime_ns == loaded.fingerprint.mtime_ns
    assert ledger_path.stat().st_size == loaded.fingerprint.size
    with pytest.raises(ConflictError, match="changed on disk"):
        store.save(loaded.ledger, ledger_path, expected=loaded.fingerprint)
    assert ledger_path.read_bytes() == outside
    assert not (ledger_path.parent / "pledges.toml.bak").exists()


def test_conflict_when_file_deleted(ledger_path: Path) -> None:
    loaded = store.load(ledger_path)
    ledger_path.unlink()
    with pytest.raises(ConflictError):
        store.save(loaded.ledger, ledger_path, expected=loaded.fingerprint)
    assert not ledger_path.exists()


def test_changed_on_disk_false_when_untouched_or_only_touched(ledger_path: Path) -> None:
    fp = store.load(ledger_path).fingerprint
    assert filesave.changed_on_disk(ledger_path, fp) is False
    # Same bytes, new mtime: the content is what matters.
    os.utime(ledger_path, ns=(fp.mtime_ns + 5_000_000_000, fp.mtime_ns + 5_000_000_000))
    assert filesave.changed_on_disk(ledger_path, fp) is False
    # Rewritten with identical bytes.
    ledger_path.write_bytes(ledger_path.read_bytes())
    assert filesave.changed_on_disk(ledger_path, fp) is False


def test_changed_on_disk_true_cases(ledger_path: Path) -> None:
    fp = store.load(ledger_path).fingerprint
    data = ledger_path.read_bytes()
    ledger_path.write_bytes(data[:-1])
    assert filesave.changed_on_disk(ledger_path, fp) is True
    ledger_path.write_bytes(data[:-2] + b"#\n")
    assert filesave.changed_on_disk(ledger_path, fp) is True
    ledger_path.write_bytes(data)
    assert filesave.changed_on_disk(ledger_path, fp) is False
    ledger_path.unlink()
    assert filesave.changed_on_disk(ledger_path, fp) is True


def test_changed_on_disk_when_replaced_by_a_directory(ledger_path: Path) -> None:
    fp = store.load(ledger_path).fingerprint
    ledger_path.unlink()
    ledger_path.mkdir()
    assert filesave.changed_on_disk(ledger_path, fp) is True


# --------------------------------------------------------------------------- the working copy


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the bundled data, read-only like an installed package."""
    root = tmp_path / "bundle"
    (root / "data").mkdir(parents=True)
    (root / "seeds").mkdir()
    store.save(small_ledger(), root / "data" / "pledges.toml", backup=False)
    (root / "seeds" / "a.txt").write_text("article a")
    (root / "seeds" / "b.txt").write_text("article b")
    for p in [root / "data" / "pledges.toml", *(root / "seeds").iterdir()]:
        p.chmod(0o444)
    monkeypatch.setattr(paths, "bundled_root", lambda: root)
    return root


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_working_copy_is_created_from_the_bundle(bundle: Path, isolated_dirs: Path) -> None:
    before = snapshot(bundle)
    target = paths.ensure_working_copy()
    assert target == isolated_dirs / "data" / "pledges.toml"
    assert target.read_bytes() == (bundle / "data" / "pledges.toml").read_bytes()
    assert (target.parent / "seeds" / "a.txt").read_text() == "article a"
    assert (target.parent / "seeds" / "b.txt").read_text() == "article b"
    assert sorted(p.name for p in target.parent.iterdir()) == ["pledges.toml", "seeds"]
    assert store.load(target).ledger == small_ledger()
    # The copy is the user's to edit; saving it leaves the bundle alone.
    ledger = small_ledger()
    store.save(ledger.model_copy(update={"entries": ledger.entries[:1]}), target)
    assert snapshot(bundle) == before


def test_existing_working_copy_is_never_overwritten(bundle: Path) -> None:
    target = paths.working_ledger()
    seeds = target.parent / "seeds"
    seeds.mkdir(parents=True)
    target.write_text("# my own edits\n")
    (seeds / "a.txt").write_text("my annotated article")
    before = snapshot(bundle)
    assert paths.ensure_working_copy() == target
    assert paths.ensure_working_copy() == target
    assert target.read_text() == "# my own edits\n"
    assert (seeds / "a.txt").read_text() == "my annotated article"
    assert (seeds / "b.txt").read_text() == "article b"  # a missing article is copied in
    assert snapshot(bundle) == before
    assert leftovers(target.parent) == []


def test_working_copy_from_the_real_bundled_ledger() -> None:
    bundled = paths.bundled_ledger()
    before = (bundled.read_bytes(), bundled.stat().st_mtime_ns)
    target = paths.ensure_working_copy()
    assert target.resolve() != bundled.resolve()
    assert target.read_bytes() == before[0]
    names = {p.name for p in (paths.bundled_root() / "seeds").glob("*.txt")}
    assert names and names <= {p.name for p in (target.parent / "seeds").iterdir()}
    assert (bundled.read_bytes(), bundled.stat().st_mtime_ns) == before


def test_named_pipe_is_refused_without_blocking(tmp_path):
    import os

    from pledgetui.ledgerfile import LedgerError
    from pledgetui.store import load

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(LedgerError, match="not a regular file"):
        load(fifo)


def test_byte_order_mark_is_accepted(ledger_path):
    from pledgetui.store import load

    plain = load(ledger_path).ledger
    ledger_path.write_bytes(b"\xef\xbb\xbf" + ledger_path.read_bytes())
    assert load(ledger_path).ledger == plain


def test_backup_keeps_the_file_mode(ledger_path):
    import os
    import stat as st

    from pledgetui.store import load, save

    os.chmod(ledger_path, 0o640)
    save(load(ledger_path).ledger, ledger_path)
    backup = ledger_path.with_name(ledger_path.name + ".bak")
    assert st.S_IMODE(os.stat(backup).st_mode) == 0o640


def test_saving_through_a_symlink_writes_the_real_file(ledger_path, tmp_path):
    from pledgetui.store import load, save

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = elsewhere / "pledges.toml"
    link.symlink_to(ledger_path)
    loaded = load(link)
    edited = loaded.ledger.model_copy(update={"entries": loaded.ledger.entries[1:]})
    save(edited, link, expected=loaded.fingerprint)
    assert link.is_symlink()
    assert load(ledger_path).ledger == edited
    assert ledger_path.with_name("pledges.toml.bak").exists()
