"""The footer, with the keys a newcomer needs first placed first, so a narrow terminal never hides them."""

from __future__ import annotations

from typing import Any

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

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._due = False
        shown = self._keys()
        self._composed = shown
        self.styles.grid_size_columns = len(shown)
        for binding, enabled, tooltip in shown:
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
