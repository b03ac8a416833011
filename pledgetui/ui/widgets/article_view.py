"""The article text in the quote viewer: read-only, soft-wrapped, quoted passages highlighted.

The text is shown character for character (``display_aligned``), so offsets into the
article are offsets into what the reader sees and selects.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea

Span = tuple[int, int]

#: TextArea actions that would edit; the article is read-only, so they are switched off
#: (and left out of the footer and the help screen).
EDITING_ACTIONS = frozenset(
    {
        "delete_left",
        "delete_word_left",
        "delete_right",
        "delete_word_right",
        "cut",
        "paste",
        "delete_to_start_of_line",
        "delete_to_end_of_line",
        "delete_to_end_of_line_or_delete_line",
        "delete_line",
        "undo",
        "redo",
    }
)


class ArticleView(TextArea):
    """A read-only, soft-wrapped article with the current quote and other quoted passages styled."""

    HELP_TITLE = "The article"

    COMPONENT_CLASSES = {"article-view--quote", "article-view--passage"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=False, id=id)
        self.highlight_cursor_line = False
        self.current: Span | None = None
        self.passages: tuple[Span, ...] = ()
        self._line_starts: list[int] = [0]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EDITING_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def show_article(self, text: str) -> None:
        """Load ``text`` (already made display-safe with offsets kept)."""
        self.load_text(text)
        starts, offset = [], 0
        newline = len(self.document.newline)
        for line in self.document.lines:
            starts.append(offset)
            offset += len(line) + newline
        self._line_starts = starts or [0]

    def mark(self, current: Span | None, passages: tuple[Span, ...]) -> None:
        """Set the spans to style and repaint (the line cache holds old styling)."""
        self.current = current
        self.passages = passages
        self._line_cache.clear()
        self.refresh()

    @property
    def quote_style(self) -> Style:
        return self.get_component_rich_style("article-view--quote")

    @property
    def passage_style(self) -> Style:
        return self.get_component_rich_style("article-view--passage")

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if line_index >= len(self._line_starts):
            return line
        line_start = self._line_starts[line_index]
        line_end = line_start + len(line.plain)

        def stylize(span: Span, style: Style) -> None:
            start, end = max(span[0], line_start), min(span[1], line_end)
            if start < end:
                line.stylize(style, start - line_start, end - line_start)

        passage_style = self.passage_style
        for span in self.passages:
            if span != self.current:
                stylize(span, passage_style)
        if self.current is not None:
            stylize(self.current, self.quote_style)
        return line

    def location_of(self, offset: int) -> tuple[int, int]:
        return self.document.get_location_from_index(max(0, min(offset, len(self.document.text))))

    def selected_span(self) -> Span | None:
        start, end = sorted(self.selection)
        if start == end:
            return None
        get_index = self.document.get_index_from_location
        return (get_index(start), get_index(end))
