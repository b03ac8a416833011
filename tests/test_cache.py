"""The validated-ledger cache: used only for byte-identical files, and never trusted when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import write_ledger
from pledgetui import cache, store


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
    assert store.dumps(second.ledger) == big.read_bytes()
    assert second.ledger.pledges[0].model_fields_set == first.ledger.pledges[0].model_fields_set
    # Built without validation, the cached ledger still derives each entry's reading with its article dates.
    assert [p.stance for p in second.ledger.pledges] == [p.stance for p in first.ledger.pledges]


def test_any_byte_change_misses_the_cache(big: Path) -> None:
    store.load(big)
    data = big.read_bytes().replace(b'status = "signed"', b'status = "signal"', 1)
    big.write_bytes(data)
    with pytest.raises(store.LedgerError, match="signal"):
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


def test_an_unwritable_cache_folder_is_not_an_error(big: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("PLEDGETUI_CACHE_DIR", str(blocker))
    assert store.load(big).ledger.pledges


def test_save_refreshes_the_cache(big: Path) -> None:
    loaded = store.load(big)
    ledger = loaded.ledger.model_copy(update={"pledges": loaded.ledger.pledges[1:]})
    fp = store.save(ledger, big)
    assert cache.cache_path(fp.sha256).is_file()
    assert store.load(big).ledger == ledger
