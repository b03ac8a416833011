"""The validated-ledger cache: used only for byte-identical files, and never trusted when broken."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bench.synth import write_ledger
from pledgetui import cache, canonical, ledgerfile, store


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "big" / "pledges.toml", store.CACHE_MIN_ENTRIES + 10, seed=3)


def test_a_load_writes_the_cache_and_the_next_load_reads_it_equal(big: Path) -> None:
    first = store.load(big)
    assert cache.cache_path(first.fingerprint.sha256).is_file()
    stages: list[str] = []
    second = store.load(big, progress=lambda stage, fraction: stages.append(stage))
    assert "parsing" not in stages  # came from the cache
    assert second.ledger == first.ledger
    assert second.fingerprint == first.fingerprint
    assert canonical.dumps(second.ledger) == big.read_bytes()
    assert second.ledger.entries[0].model_fields_set == first.ledger.entries[0].model_fields_set
    # Built without validation, the cached ledger still derives each entry's reading with its article dates.
    assert [p.stance for p in second.ledger.entries] == [p.stance for p in first.ledger.entries]


def test_any_byte_change_misses_the_cache(big: Path) -> None:
    store.load(big)
    data = big.read_bytes().replace(b'status = "signed"', b'status = "signal"', 1)
    big.write_bytes(data)
    with pytest.raises(ledgerfile.LedgerError, match="signal"):
        store.load(big)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b[:-200] + bytes(200),
        lambda b: b"",
        lambda b: b"not a cache at all",
        lambda b: b.replace(b"signed", b"sigNed", 1),
    ],
)
def test_a_corrupt_cache_falls_back_to_a_normal_load(big: Path, damage) -> None:
    good = store.load(big)
    target = cache.cache_path(good.fingerprint.sha256)
    target.write_bytes(damage(target.read_bytes()))
    stages: list[str] = []
    again = store.load(big, progress=lambda stage, fraction: stages.append(stage))
    assert "parsing" in stages
    assert again.ledger == good.ledger
    assert again.fingerprint == good.fingerprint


@pytest.mark.parametrize("where", [0.3, 0.6, 0.9])
def test_a_chunk_damaged_part_way_is_caught_and_no_entry_is_shown_twice(
    big: Path, where: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "CHUNK", 7)  # several chunks, so some are read before the damage
    good = store.load(big)
    target = cache.cache_path(good.fingerprint.sha256)
    data = bytearray(target.read_bytes())
    at = int(len(data) * where)
    data[at] ^= 0x20
    target.write_bytes(bytes(data))
    shown: list[str] = []
    again = store.load(big, on_entries=lambda entries, fraction: shown.extend(p.id for p in entries))
    assert again.ledger == good.ledger
    assert shown == [p.id for p in good.ledger.entries]  # each entry once, in file order
    assert target.read_bytes() != bytes(data)  # the damaged cache file was replaced by a good one


def test_the_cache_file_is_written_and_read_a_chunk_at_a_time(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "CHUNK", 5)
    good = store.load(big)
    batches: list[int] = []
    again = store.load(big, on_entries=lambda entries, fraction: batches.append(len(entries)))
    assert again.ledger == good.ledger
    assert batches[:-1] == [5] * (len(batches) - 1) and sum(batches) == len(good.ledger.entries)


def test_an_unwritable_cache_folder_is_not_an_error(big: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("PLEDGETUI_CACHE_DIR", str(blocker))
    loaded = store.load(big)  # the cache cannot be written: the load itself still succeeds
    assert loaded.ledger == store.load(big, use_cache=False).ledger
    assert len(loaded.ledger.entries) == store.CACHE_MIN_ENTRIES + 10
    assert blocker.read_text() == "x"  # nothing was written over the file in the way


def test_save_refreshes_the_cache(big: Path) -> None:
    loaded = store.load(big)
    ledger = loaded.ledger.model_copy(update={"entries": loaded.ledger.entries[1:]})
    fp = store.save(ledger, big)
    assert cache.cache_path(fp.sha256).is_file()
    assert store.load(big).ledger == ledger


# --------------------------------------------------------------------------- nothing in the cache folder is trusted


def _forge(path: Path, ledger) -> Path:
    """A cache file for ``path`` made without this user's key (by hand, or on another machine)."""
    import hashlib

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    target = cache.cache_path(sha)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(cache.encode(ledger, sha, b"someone else's key, not this one"))
    return target


def test_a_hand_made_cache_is_not_trusted(
    ledger_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    from pledgetui.cli import main

    good = store.load(ledger_path, use_cache=False).ledger
    bad_id = ledger_path.read_bytes().replace(b'id = "uk-ground"', b'id = "UK ground!"', 1)
    ledger_path.write_bytes(bad_id)
    _forge(ledger_path, good)  # says the file holds the valid ledger
    with pytest.raises(ledgerfile.LedgerError, match="UK ground!"):
        store.load(ledger_path)
    _forge(ledger_path, good)
    assert main(["check", str(ledger_path)]) == 1
    out, err = capsys.readouterr()
    assert "UK ground!" in err and "OK" not in out


def test_check_never_reads_the_cache(ledger_path: Path, capsys) -> None:
    """A cache signed with this user's own key, for the file's exact bytes, that a load trusts: check
    reads the file itself, so it reports what the file says, not what the cache says."""
    from pledgetui.cli import main

    good = store.load(ledger_path, use_cache=False).ledger
    ledger_path.write_bytes(ledger_path.read_bytes().replace(b'id = "uk-ground"', b'id = "UK ground!"', 1))
    assert cache.write(ledgerfile.fingerprint(ledger_path).sha256, good)
    assert store.load(ledger_path).ledger == good  # the cache is there and verifies: a load would use it
    assert main(["check", str(ledger_path)]) == 1
    out, err = capsys.readouterr()
    assert "UK ground!" in err and "OK" not in out


def test_check_reports_a_clean_file_clean_whatever_the_cache_holds(ledger_path: Path, capsys) -> None:
    """The other way round: a clean file whose (verifying) cache holds a ledger with a quote the article
    does not have. Check reads the file, so it finds nothing wrong."""
    from pledgetui.cli import main

    good = store.load(ledger_path, use_cache=False).ledger
    first = good.entries[0]
    wrong = first.evidence[0].model_copy(update={"quote": "words the article never had"})
    bad = good.model_copy(update={"entries": (first.model_copy(update={"evidence": (wrong,)}), *good.entries[1:])})
    assert cache.write(ledgerfile.fingerprint(ledger_path).sha256, bad)
    assert store.load(ledger_path).ledger == bad  # a load would take the cache's word
    assert main(["check", str(ledger_path)]) == 0
    out, _ = capsys.readouterr()
    assert out.rstrip().endswith("OK")


def test_a_cache_file_renamed_to_stand_for_another_ledger_is_not_used(big: Path, tmp_path: Path) -> None:
    first = store.load(big)
    other = tmp_path / "other" / "pledges.toml"
    other.parent.mkdir()
    smaller = first.ledger.model_copy(update={"entries": first.ledger.entries[1:]})
    store.save(smaller, other, backup=False)
    other_sha = ledgerfile.fingerprint(other).sha256
    cache.cache_path(other_sha).write_bytes(cache.cache_path(first.fingerprint.sha256).read_bytes())
    assert store.load(other).ledger == smaller


def test_the_cache_key_names_python_and_package_versions(big: Path) -> None:
    import sys

    from pledgetui import __version__

    assert sys.version in cache.SIGNATURE and repr(__version__) in cache.SIGNATURE
    name = cache.cache_path(store.load(big).fingerprint.sha256).name
    assert cache.SIGNATURE_DIGEST in name


def test_a_key_file_others_can_read_is_not_used(big: Path) -> None:
    from pledgetui import paths

    store.load(big)
    key = paths.state_dir() / cache.KEY_NAME
    assert key.is_file() and key.stat().st_mode & 0o777 == 0o600
    key.chmod(0o644)
    cache._keys.clear()
    stages: list[str] = []
    store.load(big, progress=lambda stage, fraction: stages.append(stage))
    assert "parsing" in stages


# --------------------------------------------------------------------------- temp files of killed writes


def _cache_temps() -> list[str]:
    return sorted(p.name for p in cache.folder().iterdir() if p.name.endswith((".tmp", ".pending")))


def test_unlocked_temp_files_in_the_cache_folder_are_removed_by_the_next_write(big: Path) -> None:
    """A temp file is named cleanable only once it is locked, so an unlocked one is a leftover of
    a killed write whatever its age: the next cache write removes it. A locked one is a live write."""
    import fcntl
    import os

    loaded = store.load(big)  # writes the cache, making the folder
    folder = cache.folder()
    dead = folder / f".{cache.cache_path('0' * 64).name}.abcd1234.tmp"
    dead.write_bytes(b"half a cache file")
    live = folder / f".{cache.cache_path('1' * 64).name}.live1234.tmp"
    live.write_bytes(b"being written")
    other = folder / "notes.tmp"  # not a name of ours
    other.write_bytes(b"x")
    fd = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert cache.write(loaded.fingerprint.sha256, loaded.ledger)
        assert _cache_temps() == [live.name, other.name]
    finally:
        os.close(fd)
    assert cache.write(loaded.fingerprint.sha256, loaded.ledger)
    assert _cache_temps() == [other.name]


def test_sigterm_during_a_cache_write_leaves_no_temp_file(big: Path) -> None:
    import subprocess
    import sys

    from tests.factory import REPO

    store.load(big)
    script = r"""
import sys, threading
sys.path.insert(0, sys.argv[2])
from pledgetui import cache, canonical, cli, ledgerfile, store
cli.install_signal_handlers()
loaded = store.load(sys.argv[1])
real = cache._write_to
def stall(fh, *rest):
    fh.write(b"part of a cache file")
    fh.flush()
    print("writing", flush=True)
    threading.Event().wait()
cache._write_to = stall
def run():  # says so if the write ends instead of stalling, so the test fails rather than waits
    print("written" if cache.write("2" * 64, loaded.ledger) else "not written", flush=True)
threading.Thread(target=run, daemon=True).start()
threading.Event().wait()
"""
    child = subprocess.Popen([sys.executable, "-c", script, str(big), str(REPO)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
        assert _cache_temps()  # the temp file exists now
        child.terminate()
        assert child.wait() == -15
    finally:
        child.kill()
        child.wait()
    assert _cache_temps() == []


# --------------------------------------------------------------------------- files in the way that would block


def _list_in_a_child(ledger: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pledgetui", "list", str(ledger)],
        capture_output=True,
        text=True,
        timeout=120,  # a guard only: before the fix this waited for a writer of the pipe
        check=False,
    )


def test_a_key_file_that_is_a_named_pipe_is_not_waited_on(big: Path) -> None:
    from pledgetui import paths

    where = paths.state_dir() / cache.KEY_NAME
    where.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(where, 0o600)
    done = _list_in_a_child(big)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) > store.CACHE_MIN_ENTRIES
    assert stat.S_ISFIFO(os.lstat(where).st_mode)  # left as it was; no cache without a key
    assert not cache.folder().exists() or not list(cache.folder().glob("*.marshal"))


def test_a_cache_file_that_is_a_named_pipe_is_not_waited_on(big: Path) -> None:
    import hashlib

    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    target = cache.cache_path(sha)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(target, 0o600)
    done = _list_in_a_child(big)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) > store.CACHE_MIN_ENTRIES


@pytest.mark.parametrize("length", [0, 16, 64])
def test_a_key_cut_short_by_a_kill_is_replaced_once_it_has_settled(big: Path, length: int) -> None:
    """A kill between creating the key file and writing it leaves it empty: every later start
    would go without the cache. Once it is old enough not to be one being written, a new key
    replaces it."""
    import time

    from pledgetui import paths

    key = paths.state_dir() / cache.KEY_NAME
    key.parent.mkdir(parents=True, exist_ok=True)
    key.write_bytes(b"k" * length)
    key.chmod(0o600)
    cache._keys.clear()
    assert cache.key() is None  # just made: it may be another process's key being written
    assert key.read_bytes() == b"k" * length
    past = time.time() - cache.KEY_SETTLE_SECONDS - 1
    os.utime(key, (past, past))
    cache._keys.clear()
    new = cache.key()
    assert new is not None and len(new) == cache.KEY_BYTES
    assert key.read_bytes() == new and stat.S_IMODE(key.stat().st_mode) == 0o600
    store.load(big)
    assert list(cache.folder().glob("*.marshal"))  # the cache works again
