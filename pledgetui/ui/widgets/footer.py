"""The footer, with the keys a newcomer needs first placed first, so a narrow terminal never hides them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
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

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled, tooltip))
        shown = sorted(by_action.values(), key=lambda item: footer_rank(item[0]))
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
