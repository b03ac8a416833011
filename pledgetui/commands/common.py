"""Shared helpers for subcommands."""

from __future__ import annotations

from pathlib import Path

from pledgetui import paths


class CommandError(Exception):
    """A problem to report as one clear message and a non-zero exit."""


def resolve_ledger(arg: str | None) -> Path:
    """The ledger named on the command line, or the user's working copy (created on first use)."""
    if arg:
        path = Path(arg).expanduser()
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        if path.is_dir():
            raise CommandError(f"{path}: is a directory, not a ledger file")
        return path
    try:
        return paths.ensure_working_copy()
    except OSError as exc:
        raise CommandError(f"cannot create the working copy in {paths.data_dir()}: {exc}") from None
