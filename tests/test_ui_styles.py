"""Styles live in .tcss files, one per screen or widget, each read by a CSS_PATH."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.dom import DOMNode

import pledgetui.ui
from pledgetui.ui.app import PledgeApp

UI = Path(pledgetui.ui.__file__).parent


def _classes() -> list[type[DOMNode]]:
    found = []
    for info in pkgutil.walk_packages(pledgetui.ui.__path__, "pledgetui.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def _css_paths(cls: type[DOMNode]) -> set[Path]:
    paths = getattr(cls, "CSS_PATH", None) or []
    base = Path(inspect.getfile(cls)).parent
    return {(base / p).resolve() for p in ([paths] if isinstance(paths, (str, Path)) else paths)}


def test_no_class_of_the_ui_keeps_styles_in_a_string() -> None:
    classes = _classes()
    assert PledgeApp in classes and len(classes) >= 15
    assert [c.__qualname__ for c in classes if "DEFAULT_CSS" in vars(c) or vars(c).get("CSS")] == []


def test_every_style_file_is_read() -> None:
    read = set().union(*(_css_paths(cls) for cls in _classes()))
    assert set(UI.rglob("*.tcss")) <= read
    assert all(path.is_file() for path in read)
