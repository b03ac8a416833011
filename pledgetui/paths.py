"""Where things live: the bundled ledger (read-only) and the user's working copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import platformdirs

APP = "pledgetui"
LEDGER_NAME = "pledges.toml"
SEEDS_DIR = "seeds"


def package_root() -> Path:
    """The installed ``pledgetui`` package folder."""
    return Path(__file__).resolve().parent


def read_only_reason(path: Path | str) -> str | None:
    """Why ``path`` must never be written, or None.

    Files inside the installed package (the bundled ledger and its articles in
    ``_bundled``) belong to the installation: an upgrade replaces them, and other
    users may share them. They are opened read-only; edits go to the working copy.
    """
    try:
        resolved = Path(os.path.realpath(path))
        inside = resolved.is_relative_to(Path(os.path.realpath(package_root())))
    except (OSError, ValueError):
        return None
    if not inside:
        return None
    return (
        "it is the ledger bundled with pledgetui, which is never written; "
        f"to edit, run pledgetui without a file name: it opens your working copy ({working_ledger()}), "
        "made from the bundled ledger on first use"
    )


def bundled_root() -> Path:
    """The folder holding ``data/pledges.toml`` and ``seeds/``.

    An installed wheel carries them inside the package (``_bundled``); a source
    checkout (including an editable install) has them at the repository top.
    """
    here = Path(__file__).resolve().parent
    inside = here / "_bundled"
    if (inside / "data" / LEDGER_NAME).is_file():
        return inside
    return here.parent


def bundled_ledger() -> Path:
    return bundled_root() / "data" / LEDGER_NAME


def data_dir() -> Path:
    override = os.environ.get("PLEDGETUI_DATA_DIR")
    return Path(override) if override else platformdirs.user_data_path(APP)


def state_dir() -> Path:
    override = os.environ.get("PLEDGETUI_STATE_DIR")
    return Path(override) if override else platformdirs.user_state_path(APP)


def cache_dir() -> Path:
    override = os.environ.get("PLEDGETUI_CACHE_DIR")
    return Path(override) if override else platformdirs.user_cache_path(APP)


def config_dir() -> Path:
    override = os.environ.get("PLEDGETUI_CONFIG_DIR")
    return Path(override) if override else platformdirs.user_config_path(APP)


CONFIG_NAME = "config.toml"


def config_file() -> Path:
    """The settings file (see :mod:`pledgetui.settings`)."""
    return config_dir() / CONFIG_NAME


def journal_dir() -> Path:
    """Where the crash journals of unsaved edits live (one file per ledger)."""
    return state_dir() / "journal"


def locations(ledger: Path | None = None) -> list[tuple[str, Path]]:
    """Where the user's data lives, as (what, where): for ``pledgetui paths`` and the help screen."""
    rows = [
        ("working copy", working_ledger()),
        ("articles of the working copy", data_dir() / SEEDS_DIR),
        ("recovery journal", journal_dir()),
        ("cache (safe to delete)", cache_dir()),
        ("settings", config_file()),
    ]
    if ledger is not None:
        rows.insert(0, ("ledger open now", ledger))
        rows.append(("backup of the previous save", ledger.with_name(ledger.name + ".bak")))
    else:
        rows.append(("backup of the previous save", working_ledger().with_name(LEDGER_NAME + ".bak")))
    return rows


def working_ledger() -> Path:
    return data_dir() / LEDGER_NAME


def ensure_working_copy() -> Path:
    """Return the user's working ledger, creating it from the bundled one on first use.

    Existing files are never overwritten; missing articles are copied in.
    """
    target = working_ledger()
    seeds = target.parent / SEEDS_DIR
    seeds.mkdir(parents=True, exist_ok=True)
    for article in sorted((bundled_root() / SEEDS_DIR).glob("*.txt")):
        dest = seeds / article.name
        if not dest.exists():
            shutil.copyfile(article, dest)
    if not target.exists():
        tmp = target.with_name(target.name + ".new")
        shutil.copyfile(bundled_ledger(), tmp)
        os.replace(tmp, target)
    return target


def article_candidates(ledger_path: Path, file_name: str) -> list[Path]:
    """Where an article named in a ledger may sit, in order of preference."""
    return [candidate for candidate, _, _ in _article_places(ledger_path, file_name)]


def _article_places(ledger_path: Path, file_name: str) -> list[tuple[Path, Path, Path]]:
    """(candidate, its articles folder, the folder that articles folder must stay within)."""
    folder = Path(os.path.realpath(ledger_path)).parent
    return [
        (folder / SEEDS_DIR / file_name, folder / SEEDS_DIR, folder),
        (folder.parent / SEEDS_DIR / file_name, folder.parent / SEEDS_DIR, folder.parent),
        (folder / file_name, folder, folder),
    ]


class ArticleOutside(ValueError):
    """An article file that leads (by a symbolic link) outside the ledger's articles folder."""


def _contained(candidate: Path, articles: Path, root: Path) -> Path:
    """``candidate`` with every link resolved, when it stays inside ``articles`` and ``articles``
    inside ``root``; raises :class:`ArticleOutside` otherwise."""
    real = Path(os.path.realpath(candidate))
    real_articles = Path(os.path.realpath(articles))
    if not (real_articles.is_relative_to(root) and real.is_relative_to(real_articles)):
        shown = f"{articles.name}/{candidate.name}" if articles != root else candidate.name
        raise ArticleOutside(
            f"{shown} is a link to {real}, outside the ledger's articles folder; not read "
            "(an article must be a file in the folder, not a link out of it)"
        )
    return real


def existing_articles(ledger_path: Path, file_name: str) -> list[Path]:
    """Every place an article of this name already exists, resolved, in order of preference.

    Symbolic links are followed only within the articles folder: a candidate that leads
    outside it (a link to ``/proc/self/environ``, or a ``seeds`` folder that is a link
    elsewhere) raises :class:`ArticleOutside`, so no reader of articles ever opens it.
    """
    found = []
    for candidate, articles, root in _article_places(ledger_path, file_name):
        if candidate.is_file():
            found.append(_contained(candidate, articles, root))
    return found


def find_article(ledger_path: Path, file_name: str) -> Path | None:
    """The article file to read, resolved; None if there is none. Raises :class:`ArticleOutside`
    when the first one found leads outside the ledger's articles folder."""
    for candidate, articles, root in _article_places(ledger_path, file_name):
        if candidate.is_file():
            return _contained(candidate, articles, root)
    return None
