"""The only way untrusted text reaches a widget: sanitised, and as Content (never markup)."""

from __future__ import annotations

from textual.content import Content

from pledgetui.sanitize import display, display_line


def safe(text: str, style: str = "") -> Content:
    """Multi-line untrusted text as literal Content."""
    content = Content(display(text))
    return content.stylize(style) if style else content


def safe_line(text: str, style: str = "") -> Content:
    """Single-line untrusted text (newlines shown as symbols) as literal Content."""
    content = Content(display_line(text))
    return content.stylize(style) if style else content


def join(*parts: Content | str | tuple[str, str]) -> Content:
    """Assemble Content pieces; plain ``str`` parts (and ``(text, style)`` pairs) must be our
    own trusted literals."""
    return Content.assemble(*parts)
