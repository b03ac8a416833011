from __future__ import annotations

from pathlib import Path

import pytest

from tests.factory import write_ledger


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data/state/cache/config folders: the real ones are never touched."""
    base = tmp_path_factory.mktemp("user")
    for name in ("DATA", "STATE", "CACHE", "CONFIG"):
        monkeypatch.setenv(f"PLEDGETUI_{name}_DIR", str(base / name.lower()))
    return base


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    """A small valid ledger file with its articles, in a temp folder."""
    return write_ledger(tmp_path / "ledger")
