"""The ledger core works without the TUI: an import-linter contract and a fresh-interpreter check."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import pledgetui
from tests.factory import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "The ledger core is usable without the TUI"
LAYERS = "The layers: the command line over the UI and the commands, both over the ledger core"


def _contract(name: str) -> dict:
    with open(REPO / "pyproject.toml", "rb") as fh:
        contracts = tomllib.load(fh)["tool"]["importlinter"]["contracts"]
    [contract] = [c for c in contracts if c["name"] == name]
    return contract


def core_modules() -> list[str]:
    """The contract's module list in pyproject.toml: every module outside the UI."""
    return list(_contract(CONTRACT)["source_modules"])


def layers() -> list[list[str]]:
    """The layers contract, top first: each layer's modules."""
    return [[m.strip() for m in layer.replace("|", ":").split(":")] for layer in _contract(LAYERS)["layers"]]


CORE = core_modules()


def test_every_module_outside_the_ui_is_listed_once() -> None:
    """A new core module cannot be left out of the contract (nor listed twice)."""
    assert len(CORE) == len(set(CORE))
    found = {m.name for m in pkgutil.walk_packages(pledgetui.__path__, "pledgetui.")}
    outside_ui = {m for m in found if not m.startswith("pledgetui.ui")} - {"pledgetui.__main__", "pledgetui.commands"}
    assert outside_ui == set(CORE)


def test_the_layers_are_the_command_line_the_ui_and_commands_and_the_core() -> None:
    """The bottom layer is the core of the contract above, less the command line and the commands."""
    top, middle, core = layers()
    assert top == ["pledgetui.cli"]
    assert middle == ["pledgetui.ui", "pledgetui.commands"]
    assert len(core) == len(set(core))
    assert set(core) == {m for m in CORE if m != "pledgetui.cli" and not m.startswith("pledgetui.commands.")}


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
    assert f"{LAYERS} KEPT" in " ".join(output.split())
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


def test_the_dashboard_module_loads_without_the_ledger_core() -> None:
    """The first frame must not wait for pydantic and the models: importing the UI (settings,
    filter completion included) leaves them to the loading worker."""
    code = (
        "import sys, pledgetui.ui.app\n"
        "loaded = [m for m in ('pydantic', 'pledgetui.model', 'pledgetui.query', 'pledgetui.store') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules that the module ``name`` at ``path`` imports, wherever the import is
    (module level, a function, ``if TYPE_CHECKING``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*up, base] if base else up)
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    """No import circle, however long, type-only and function-level imports included: each helper
    of the UI takes a protocol of what it needs (pledgetui.ui.shell), never the app or a screen."""
    root = Path(pledgetui.__file__).parent
    files = {
        ".".join(p.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in root.rglob("*.py")
    }
    graph = {name: _imports(path, name, set(files)) for name, path in files.items()}
    # A module is in a circle when it can reach itself.
    circles = []
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo.extend(graph[module])
        if start in seen:
            circles.append(start)
    assert circles == []
