"""The tests and the benchmark never write into the user's own folders; the README's test
command keeps the dashboard's installation, and CI runs that very command."""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs
import pytest

from pledgetui import paths
from tests.factory import REPO

NAMES = sorted(set(re.findall(r"PLEDGETUI_(\w+)_DIR", (REPO / "pledgetui" / "paths.py").read_text(encoding="utf-8"))))
REAL = {
    "DATA": platformdirs.user_data_path(paths.APP),
    "STATE": platformdirs.user_state_path(paths.APP),
    "CACHE": platformdirs.user_cache_path(paths.APP),
    "CONFIG": platformdirs.user_config_path(paths.APP),
}


@pytest.fixture(scope="module")
def dirs_at_module_setup() -> dict[str, str | None]:
    """What a module fixture (a big ledger written once, say) sees: it runs before any
    function fixture has moved the folders."""
    return {name: os.environ.get(f"PLEDGETUI_{name}_DIR") for name in NAMES}


def test_every_user_folder_is_moved_before_any_fixture_runs(dirs_at_module_setup: dict[str, str | None]) -> None:
    assert sorted(REAL) == NAMES
    for name, moved in dirs_at_module_setup.items():
        assert moved, f"PLEDGETUI_{name}_DIR is not set for module fixtures"
        assert Path(moved) != REAL[name]


def test_the_benchmark_moves_every_user_folder(tmp_path: Path) -> None:
    from bench.run import user_dirs

    env = user_dirs(tmp_path)
    assert sorted(env) == [f"PLEDGETUI_{name}_DIR" for name in NAMES]
    assert all(Path(value).is_relative_to(tmp_path) for value in env.values())


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)\n```", readme, re.DOTALL)[:2]


def test_the_readme_test_command_leaves_the_dashboards_install_alone() -> None:
    run, test = readme_commands()
    dashboard_env = re.match(r"python3\.11 -m venv (\S+) ", run)
    test_env = re.match(r"python3\.11 -m venv (\S+) ", test)
    assert dashboard_env and test_env and "pledgetui" in run and "pytest" in test
    assert dashboard_env[1] != test_env[1]  # an editable install would replace the dashboard's
    assert '-m "not slow"' in (REPO / "README.md").read_text(encoding="utf-8").split("---", 1)[0]


def test_ci_runs_the_readme_test_command() -> None:
    _, test = readme_commands()
    assert test in (REPO / ".ci" / "run").read_text(encoding="utf-8")
