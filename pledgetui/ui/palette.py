"""Command palette entries that name the keys bound to them now, keymap included.

A palette entry says which key does the same (``Matrix ... (m)``). The key is read
from the bindings in effect on the screen, by binding id, when the palette opens: a
``[keymap]`` in the settings that moves a binding moves what the palette says.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen


def bound_keys(screen: Screen[Any], binding_id: str) -> str:
    """The keys bound to ``binding_id`` on ``screen`` now (its focused widget's, its own and the
    app's bindings, keymap applied), as the footer shows them: ``"m"``, ``"^z, u"``; "" if none."""
    keys: list[str] = []
    for active in screen.active_bindings.values():
        if active.binding.id == binding_id:
            shown = screen.app.get_key_display(active.binding)
            if shown not in keys:
                keys.append(shown)
    return ", ".join(keys)


def command(screen: Screen[Any], title: str, help: str, binding_id: str, callback: Callable[[], Any]) -> SystemCommand:
    """A palette entry; its help ends with the keys bound to ``binding_id`` (if any), in brackets."""
    keys = bound_keys(screen, binding_id)
    return SystemCommand(title, f"{help} ({keys})" if keys else help, callback)


def commands(
    screen: Screen[Any],
    entries: Iterable[tuple[str, str, str, Callable[[], Any]]],
    *,
    hidden: Collection[str] = (),
) -> Iterable[SystemCommand]:
    """``(title, help, binding id, callback)`` entries as palette entries (see :func:`command`),
    less those whose binding id is in ``hidden``."""
    for title, help, binding_id, callback in entries:
        if binding_id not in hidden:
            yield command(screen, title, help, binding_id, callback)
