"""``pledgetui git-setup [REPO]``: make git merge ledger files entry by entry (``pledgetui merge``) and
show them entry by entry in ``git diff`` and ``git log -p`` (``pledgetui textconv``)."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from pledgetui.commands.common import say

PROG = "pledgetui git-setup"

#: The driver's name in .gitattributes and the git config.
DRIVER = "pledgetui"

EPILOG = f"""\
What it does, in the repository's own config (.git/config) and its .gitattributes:

  .gitattributes           /PATH merge={DRIVER} diff={DRIVER}   for each ledger file
  merge.{DRIVER}.name      a description
  merge.{DRIVER}.driver    PYTHON -m pledgetui merge %O %A %B --name %P
  diff.{DRIVER}.textconv   PYTHON -m pledgetui textconv

PYTHON is the absolute path of the Python running this command (the one pledgetui is
installed in), so git finds pledgetui without an activated virtual environment.
The ledger files are the tracked .toml files with a top-level schema_version, or
those given with --path. Running it again changes nothing that is already so, and
says so. Commit .gitattributes so that every clone uses it; each clone runs
git-setup once for its own config (git never takes merge drivers from a clone).

exit status: 0 done (or nothing to do), 2 usage error, not a git repository, no
ledger file found, or git failed

examples:
  pledgetui git-setup
  pledgetui git-setup ~/tracker --path data/pledges.toml"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="Register pledgetui as git's merge driver and diff text converter for ledger files.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("repo", nargs="?", default=".", help="the repository (default: the current folder)")
    p.add_argument(
        "--path",
        action="append",
        default=None,
        help="a ledger file, relative to the top of the repository, matched exactly (repeatable; default: "
        "the tracked ledger files)",
    )
    return p


class SetupError(Exception):
    pass


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """git with the hardening of ``pledgetui changes`` (no lock, pager, prompt or transport)."""
    from pledgetui.commands.changes import GIT_ENV

    try:
        return subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, check=False)
    except FileNotFoundError:
        raise SetupError("git is not installed") from None
    except OSError as exc:
        raise SetupError(f"cannot run git: {exc}") from None


def _checked(args: list[str], cwd: Path) -> str:
    done = _git(args, cwd)
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SetupError(f"git {args[0]} failed: {err[0] if err else done.returncode}")
    return done.stdout.decode("utf-8", "surrogateescape")


_VERSION_LINE = re.compile(rb"^schema_version\s*=", re.M)


def _looks_like_ledger(path: Path) -> bool:
    """A TOML file with a top-level ``schema_version`` before any table (pyproject.toml has none)."""
    from pledgetui.files import NotReadable, open_regular

    try:  # a tracked link can name a pipe or a terminal: never wait on one
        fd, _ = open_regular(path)
    except NotReadable:
        return False
    try:
        with open(fd, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, which the ledger reader accepts
    first_table = 0 if head.lstrip().startswith(b"[") else head.find(b"\n[")
    m = _VERSION_LINE.search(head)
    return m is not None and (first_table < 0 or m.start() < first_table)


def ledger_files(top: Path) -> list[str]:
    """The tracked .toml files of the repository at ``top`` that hold a ledger."""
    out = _checked(["ls-files", "-z", "--", "*.toml"], top)
    return [name for name in out.split("\0") if name and _looks_like_ledger(top / name)]


def pattern(path: str) -> str:
    """A .gitattributes pattern matching exactly ``path`` (from the top of the repository)."""
    if any(ch < " " or ch == "\x7f" for ch in path):
        raise SetupError(f"{path!r}: a name .gitattributes cannot hold")
    escaped = "/" + re.sub(r"([*?\[\\])", r"\\\1", path.lstrip("/"))  # glob characters as themselves
    if any(ch.isspace() or ch == '"' for ch in escaped):  # git reads a C-style quoted pattern
        return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return escaped


def _command(*args: str, placeholders: bool = False) -> str:
    """This Python running pledgetui with ``args``, for the shell. ``placeholders``: git expands
    ``%`` in the command (a merge driver's ``%A``), so a ``%`` in the path of Python is doubled."""
    python = shlex.quote(sys.executable)
    return " ".join([python.replace("%", "%%") if placeholders else python, "-m", "pledgetui", *args])


def wanted_config() -> list[tuple[str, str]]:
    return [
        (f"merge.{DRIVER}.name", "pledgetui ledger merge (entry by entry, field by field)"),
        (f"merge.{DRIVER}.driver", _command("merge", "%O", "%A", "%B", "--name", "%P", placeholders=True)),
        (f"diff.{DRIVER}.textconv", _command("textconv")),
    ]


def run(ns: argparse.Namespace, out: TextIO | None = None) -> int:
    out = sys.stdout if out is None else out
    try:
        return _setup(Path(ns.repo).expanduser(), ns.path, out)
    except SetupError as exc:
        say(f"{PROG}: {exc}")
        return 2


def _read_attributes(attributes: Path) -> str:
    """The text of the repository's .gitattributes ("" when there is none). git reads it only as a
    regular file, never through a link, so a link (planted in a clone, perhaps naming a file
    outside the repository) is refused rather than written through."""
    from pledgetui.files import NotReadable, open_regular

    if not os.path.lexists(attributes):
        return ""
    try:
        fd, _ = open_regular(attributes, follow_links=False)
        with open(fd, "rb") as fh:
            return fh.read().decode("utf-8", "surrogateescape")  # names git lists are bytes
    except NotReadable as exc:
        raise SetupError(f"{attributes}: {exc.what}; nothing changed") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SetupError(f"cannot read {attributes}: {exc}") from None


def _setup(repo: Path, paths: list[str] | None, out: TextIO) -> int:
    from pledgetui import filesave

    if not repo.is_dir():
        raise SetupError(f"{repo}: not a folder")
    top = _git(["rev-parse", "--show-toplevel"], repo)
    if top.returncode != 0:
        raise SetupError(f"{repo} is not in a git repository")
    root = Path(os.fsdecode(top.stdout.strip()))
    files = paths if paths else ledger_files(root)
    if not files:
        raise SetupError(f"no ledger file is tracked in {root}; name them with --path")
    changed = 0
    attributes = root / ".gitattributes"
    old = _read_attributes(attributes)
    have = {line.strip() for line in old.splitlines()}
    new_lines = []
    for f in files:
        try:
            line = f"{pattern(f)} merge={DRIVER} diff={DRIVER}"
        except SetupError as exc:  # one odd name in the repository does not stop the others
            if paths:
                raise
            say(f"skipped:  {exc}", out)
            continue
        if line in have:
            say(f"already:  .gitattributes: {line}", out)
        else:
            new_lines.append(line)
    # The driver is defined before any file names it: a git config that cannot be written (locked,
    # read-only) leaves .gitattributes as it was, never naming a driver that does not exist.
    for key, value in wanted_config():
        now = _git(["config", "--local", "--get", key], root)
        if now.returncode == 0 and now.stdout.decode("utf-8", "surrogateescape").rstrip("\n") == value:
            say(f"already:  git config {key} = {value}", out)
            continue
        _checked(["config", "--local", key, value], root)
        say(f"set:      git config {key} = {value}", out)
        changed += 1
    if new_lines:
        text = old + ("" if not old or old.endswith("\n") else "\n") + "".join(f"{x}\n" for x in new_lines)
        try:
            filesave.atomic_write(attributes, text.encode("utf-8", "surrogateescape"), backup=False)
        except filesave.SaveError as exc:
            raise SetupError(f"cannot write {attributes}: {exc}") from None
        say([f"added:    .gitattributes: {line}" for line in new_lines], out)
        changed += len(new_lines)
    if changed:
        say(f"done:     {changed} change{'s' if changed != 1 else ''}; commit .gitattributes so clones share it", out)
    else:
        say("done:     nothing to change (already set up)", out)
    return 0
