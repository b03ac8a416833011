"""The ledger core works without the TUI: an import-linter contract and a fresh-interpreter check."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factory import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

CORE = [
    "pledgetui.model",
    "pledgetui.store",
    "pledgetui.anchors",
    "pledgetui.verify",
    "pledgetui.query",
    "pledgetui.export",
    "pledgetui.edits",
    "pledgetui.session",
    "pledgetui.journal",
    "pledgetui.cache",
    "pledgetui.migrate",
    "pledgetui.review",
    "pledgetui.paths",
    "pledgetui.sanitize",
    "pledgetui.cli",
    "pledgetui.commands.check",
    "pledgetui.commands.export",
    "pledgetui.commands.listing",
    "pledgetui.nesting",
    "pledgetui.files",
    "pledgetui.textcheck",
]


def test_import_linter_contract_is_kept() -> None:
    assert LINT_IMPORTS.is_file(), "import-linter is not installed in this environment"
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "The ledger core is usable without the TUI KEPT" in output
    assert "0 broken" in output


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    assert importlib.util.find_spec(module) is not None, f"{module} is gone: update the layering lists"
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_textual_check_can_fail() -> None:
    """The probe above really sees textual when a module pulls it in."""
    code = "import json, sys, textual.app\nprint(json.dumps('textual' in sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is True
