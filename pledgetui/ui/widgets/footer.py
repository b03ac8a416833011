"""The footer, with the keys a newcomer needs first placed first, so a narrow terminal never hides them."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions shown first, in this order, whatever the screen: help and quit.
FIRST = ("help", "quit")


def footer_rank(binding: Binding) -> int:
    """Where a binding goes in the footer: the FIRST actions lead, the rest keep their order."""
    action = binding.action.removeprefix("app.")
    return FIRST.index(action) if action in FIRST else len(FIRST)


class KeyFooter(Footer):
    """``Footer`` whose keys are ordered by :func:`footer_rank` (a stable sort: ties keep the binding order).

    Textual's footer lists the screen's keys before the app's, and clips what does not
    fit: at 80 columns that hid ``?`` (help) and ``q`` (quit). One key per action.
    """

    #: The keys composed last, as :meth:`_keys` lists them (None: not composed yet).
    _composed: tuple[tuple[Binding, bool, str], ...] | None = None

    def _keys(self) -> tuple[tuple[Binding, bool, str], ...]:
        """The keys to show: (binding, enabled, tooltip), one per action, in footer order."""
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled, tooltip))
        return tuple(sorted(by_action.values(), key=lambda item: footer_rank(item[0])))

    #: A compose is already due (it reads the bindings as they are then).
    _due = False

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Compose again only when the keys to show changed and no compose is due yet: a screen
        shown again, or a focus that moves between widgets with the same keys, leaves the footer
        as it is (composing it mounts a widget per key)."""
        if self.is_attached and screen is self.screen:
            if self._due or (self._composed is not None and self._keys() == self._composed):
                self._bindings_ready = True
                return
            self._due = screen.app.app_focus
        super().bindings_changed(screen)

    #: The width the keys were fitted to when last composed.
    _fitted_width = -1

    def on_resize(self) -> None:
        """Fit the keys again to a new width (a terminal resized)."""
        if self._composed is not None and self.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._due = False
        shown = self._keys()
        self._composed = shown
        width = self.size.width or self.app.size.width
        self._fitted_width = width
        items = [(b, enabled, tooltip, self.app.get_key_display(b)) for b, enabled, tooltip in shown]
        fitting = fit_keys([key_width(display, b.description) for b, _, _, display in items], width)
        self.styles.grid_size_columns = fitting + (fitting < len(items))
        for binding, enabled, tooltip, display in items[:fitting]:
            yield FooterKey(
                binding.key,
                display,
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if fitting < len(items):  # what does not fit is left out whole, and said to be there
            left_out = ", ".join(f"{display} {b.description}" for b, _, _, display in items[fitting:])
            yield FooterKey("question_mark", MORE_KEY, MORE_TEXT, "app.help", tooltip=f"Also: {left_out}")


#: The last item of a footer too narrow for every key: the help lists them all.
MORE_KEY, MORE_TEXT = "…", "more: ?"


def key_width(key_display: str, description: str) -> int:
    """Cells a footer key takes: `` key `` and ``description `` (Textual's footer padding)."""
    return cell_len(key_display) + 2 + (cell_len(description) + 1 if description else 0)


def fit_keys(widths: list[int], total: int) -> int:
    """How many keys, from the first, the footer shows in ``total`` cells: all when they fit,
    else as many as fit beside the "more" item. A key is never cut."""
    if sum(widths) <= total:
        return len(widths)
    room = total - key_width(MORE_KEY, MORE_TEXT)
    count = 0
    for width in widths:
        if width > room:
            break
        room -= width
        count += 1
    return count
