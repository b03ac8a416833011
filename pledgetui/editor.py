"""The user's editor: which program, with which arguments, checked before anything runs.

``$VISUAL``, else ``$EDITOR``, else ``vi`` (``notepad`` on Windows) is split like a
shell would split it, but never run through a shell: ``EDITOR="true; touch x"`` names
a program called ``true;``, which does not exist, and is refused with that reason.

The file is passed as an absolute path, so its name can never begin with ``+`` or
``-`` and be read as an option or a command by the editor (vim runs ``+cmd``);
editors known to take ``--`` (the vi family, nano) get it before the path as well.
Everything is resolved and checked here, before the dashboard hands the terminal
over, so that a missing program or a broken ``$EDITOR`` is a message, not a frozen
screen.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: Editors that read ``--`` as the end of their options (checked by their manuals).
TAKES_DOUBLE_DASH = frozenset({"vi", "vim", "nvim", "view", "vim.basic", "vim.tiny", "vim.nox", "nano", "rnano"})


class EditorProblem(Exception):
    """The editor cannot be run; the message says which setting and why."""


@dataclass(frozen=True)
class EditorCommand:
    """The editor as configured: where it came from, and its words."""

    origin: str  # "$VISUAL", "$EDITOR" or "the default"
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return shlex.join(self.words)


def editor_command(environ: Mapping[str, str] | None = None) -> EditorCommand:
    """The configured editor command, split into words. Raises :class:`EditorProblem`
    when the setting cannot be split (an unclosed quote)."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value, posix=sys.platform != "win32")
            except ValueError as exc:
                raise EditorProblem(f"${name} is not a command line pledgetui can read ({exc}): {value!r}") from None
            if not words:
                raise EditorProblem(f"${name} holds no command: {value!r}")
            return EditorCommand(f"${name}", tuple(words))
    return EditorCommand("the default", ("notepad",) if sys.platform == "win32" else ("vi",))


def editor_argv(path: str | os.PathLike[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """The exact argument list that opens ``path`` in the user's editor.

    The program is looked up on ``PATH`` now (an explicit path must be an executable
    file); the file is given as an absolute path, after ``--`` for editors that take it.
    Raises :class:`EditorProblem` when there is nothing to run."""
    command = editor_command(environ)
    env = os.environ if environ is None else environ
    program = shutil.which(command.words[0], path=env.get("PATH", os.defpath))
    if program is None:
        raise EditorProblem(
            f"{command.origin} names {command.words[0]!r}, which is not a program pledgetui can run "
            f"(not found on PATH, or not executable). The command is not run through a shell."
        )
    target = os.path.abspath(os.fspath(path))
    separator = ["--"] if Path(command.words[0]).name in TAKES_DOUBLE_DASH else []
    return [program, *command.words[1:], *separator, target]
