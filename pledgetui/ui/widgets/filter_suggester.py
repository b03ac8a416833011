"""Completion in the filter bar: field names and vocabulary values (right arrow or End accepts)."""

from __future__ import annotations

from textual.suggester import Suggester


class FilterSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        # Imported on first use: the query core is not needed for the first frame.
        from pledgetui.query_help import complete

        return complete(value)
