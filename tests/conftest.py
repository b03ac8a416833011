from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.factory import write_ledger

#: The user folders pledgetui reads and writes, each moved by ``PLEDGETUI_<NAME>_DIR``.
USER_DIRS = ("DATA", "STATE", "CACHE", "CONFIG")


def pytest_configure(config: pytest.Config) -> None:
    """Before anything runs (collection, module and session fixtures, each xdist worker):
    the user folders point into a temporary folder of this run, so no test, fixture or
    child process ever writes into the user's own. Each test then gets folders of its own."""
    base = Path(tempfile.mkdtemp(prefix="pledgetui-tests-"))
    config.stash[_RUN_DIRS] = base
    for name in USER_DIRS:
        os.environ[f"PLEDGETUI_{name}_DIR"] = str(base / name.lower())


def pytest_unconfigure(config: pytest.Config) -> None:
    base = config.stash.get(_RUN_DIRS, None)
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)


_RUN_DIRS = pytest.StashKey[Path]()


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data/state/cache/config folders: the real ones are never touched."""
    base = tmp_path_factory.mktemp("user")
    for name in USER_DIRS:
        monkeypatch.setenv(f"PLEDGETUI_{name}_DIR", str(base / name.lower()))
    return base


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    """A small valid ledger file with its articles, in a temp folder."""
    return write_ledger(tmp_path / "ledger")
