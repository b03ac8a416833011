"""Read article files: regular files only, within a size limit, as exact text."""

from __future__ import annotations

from pathlib import Path

from pledgetui import files

MAX_ARTICLE_BYTES = 8 * 1024 * 1024


def read_article_bytes(path: Path) -> bytes:
    """An article file's bytes: a regular file only, opened without blocking, at most
    :data:`MAX_ARTICLE_BYTES` (checked before reading). Every reader of article files goes
    through here (find the file with :func:`pledgetui.paths.find_article`). Raises
    :class:`pledgetui.files.NotReadable` (``kind`` "too_large" beyond the limit)."""
    data, _ = files.read_regular(path, MAX_ARTICLE_BYTES)
    return data


def read_article(path: Path) -> str:
    """An article's text, exactly as stored (no newline translation). Raises OSError/ValueError."""
    try:
        data = read_article_bytes(path)
    except files.NotReadable as exc:
        if exc.kind == "too_large":
            raise ValueError(f"{path}: larger than the article limit of {MAX_ARTICLE_BYTES:,} bytes") from None
        raise ValueError(f"{path}: {exc.what}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not valid UTF-8 at byte {exc.start}") from None
