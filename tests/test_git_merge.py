"""Real git in a temporary repository: ``pledgetui git-setup``, then merges through the driver and
``git diff`` through the text converter. The machine's git config is never read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pledgetui.cli import main
from pledgetui.model import Backstop, Ledger
from pledgetui.store import load, save
from tests.factory import BROKEN_TOML, SEEDS, small_ledger
from tests.test_merge import with_entry, with_statement, without_entry

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE = small_ledger()
LEDGER = "data/pledges.toml"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A repository holding the small ledger (and its articles) on ``main``, set up by git-setup."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "tracker"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Editor")
    git(root, "config", "user.email", "editor@example.org")
    (root / "data").mkdir()
    shutil.copytree(SEEDS, root / "data" / "seeds")
    save(BASE, root / LEDGER, backup=False)
    (root / "pyproject.toml").write_text("[tool.x]\nschema_version = 1\n")  # a .toml file that is not a ledger
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    assert main(["git-setup", str(root)]) == 0
    out = capsys.readouterr().out
    assert "added:    .gitattributes: /data/pledges.toml merge=pledgetui diff=pledgetui" in out
    assert "pyproject" not in out
    git(root, "add", ".gitattributes")
    git(root, "commit", "-q", "-m", "merge ledgers entry by entry")
    return root


def commit_on(repo: Path, branch: str, ledger: Ledger | bytes, start: str = "main") -> None:
    git(repo, "checkout", "-q", "-b", branch, start)
    if isinstance(ledger, bytes):
        (repo / LEDGER).write_bytes(ledger)
    else:
        save(ledger, repo / LEDGER, backup=False)
    git(repo, "commit", "-q", "-am", f"edit on {branch}")


def merge_branches(repo: Path, ours: Ledger | bytes, theirs: Ledger | bytes) -> subprocess.CompletedProcess[str]:
    commit_on(repo, "theirs", theirs)
    commit_on(repo, "ours", ours)
    return git(repo, "merge", "--no-edit", "theirs", check=False)


def check(repo: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", str(repo / LEDGER)])
    return code, capsys.readouterr().out


def test_git_setup_twice_changes_nothing_the_second_time(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = (repo / ".git" / "config").read_bytes()
    attributes = (repo / ".gitattributes").read_bytes()
    assert main(["git-setup", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "nothing to change (already set up)" in out
    assert (repo / ".git" / "config").read_bytes() == config
    assert (repo / ".gitattributes").read_bytes() == attributes
    driver = git(repo, "config", "--local", "merge.pledgetui.driver").stdout.strip()
    assert driver.startswith(sys.executable) or driver.startswith(f"'{sys.executable}'")
    assert driver.endswith(" -m pledgetui merge %O %A %B --name %P")


def test_edits_of_different_entries_merge_cleanly(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    done = merge_branches(
        repo, with_entry(BASE, "uk-ground", summary="ours"), with_entry(BASE, "russia-mfa", notes="theirs")
    )
    assert done.returncode == 0, done.stdout + done.stderr
    merged = load(repo / LEDGER, use_cache=False).ledger
    assert merged == with_entry(with_entry(BASE, "uk-ground", summary="ours"), "russia-mfa", notes="theirs")
    assert check(repo, capsys)[0] == 0


def test_edits_of_different_fields_of_one_entry_merge_cleanly(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Neighbouring lines of one entry: a line-by-line merge would conflict here.
    ours = with_entry(BASE, "uk-ground", us_backstop=Backstop.REQUIRED)
    theirs = with_entry(BASE, "uk-ground", summary="theirs")
    done = merge_branches(repo, ours, theirs)
    assert done.returncode == 0, done.stdout + done.stderr
    p = load(repo / LEDGER, use_cache=False).ledger.entry("uk-ground")
    assert p is not None and (p.us_backstop.value, p.summary) == ("required", "theirs")
    assert check(repo, capsys)[0] == 0


def test_one_field_changed_on_both_sides_fails_the_merge_with_a_loadable_ledger(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = with_statement(BASE, "ireland-ground", 0, claimant="Our claimant")
    theirs = with_statement(BASE, "ireland-ground", 0, claimant="Their claimant")
    done = merge_branches(repo, ours, theirs)
    assert done.returncode != 0
    assert "CONFLICT" in done.stdout
    said = done.stdout + done.stderr
    assert f"merged:   {LEDGER}:" in said and ".merge_file" not in said  # the ledger's name, not git's temp file
    merged = load(repo / LEDGER, use_cache=False).ledger  # git left the driver's result: it loads
    assert merged.entry("ireland-ground").evidence[0].claimant == "Our claimant"  # type: ignore[union-attr]
    code, out = check(repo, capsys)
    assert code == 1
    assert "conflict: entry ireland-ground statement a003@" in out
    assert 'field claimant: ours "Our claimant", theirs "Their claimant"' in out


def test_an_entry_added_on_one_side_and_another_deleted_on_the_other_merge_cleanly(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = BASE.entries[1].model_copy(update={"id": "germany-ground", "actor": "Germany"})
    theirs = BASE.model_copy(update={"entries": (*BASE.entries[:2], new, *BASE.entries[2:])})
    ours = without_entry(BASE, "france-ground")
    done = merge_branches(repo, ours, theirs)
    assert done.returncode == 0, done.stdout + done.stderr
    merged = load(repo / LEDGER, use_cache=False).ledger
    assert [p.id for p in merged.entries] == ["uk-ground", "germany-ground", "ireland-ground", "russia-mfa"]
    assert check(repo, capsys)[0] == 0


def test_a_side_broken_by_hand_fails_the_driver_with_the_reason(repo: Path) -> None:
    ours = with_entry(BASE, "uk-ground", summary="ours")
    done = merge_branches(repo, ours, BROKEN_TOML)
    assert done.returncode != 0
    assert "THEIRS is not a valid ledger" in done.stderr and "line 5" in done.stderr
    assert f"nothing written; {LEDGER} is left as it was" in done.stderr
    # The driver wrote nothing: the file is ours, as git leaves it after a failed driver.
    assert load(repo / LEDGER, use_cache=False).ledger == ours
    assert LEDGER in git(repo, "diff", "--name-only", "--diff-filter=U").stdout


def test_git_diff_shows_the_text_form_entry_by_entry(repo: Path) -> None:
    save(with_entry(BASE, "france-ground", notes="a new note"), repo / LEDGER, backup=False)
    diff = git(repo, "diff").stdout
    assert '+  notes = "a new note"' in diff
    assert "@@ entry france-ground" in diff  # the hunk is named by its entry
    assert "[[entries]]" not in diff


def test_git_setup_matches_a_named_path_exactly_even_with_spaces_and_brackets(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "data/team [a] ledger*.toml"
    assert main(["git-setup", str(repo), "--path", name]) == 0
    capsys.readouterr()
    attr = git(repo, "check-attr", "merge", "diff", "--", name, "data/team a ledger.toml").stdout.splitlines()
    assert attr == [
        f"{name}: merge: pledgetui",
        f"{name}: diff: pledgetui",
        "data/team a ledger.toml: merge: unspecified",
        "data/team a ledger.toml: diff: unspecified",
    ]


def test_git_setup_outside_a_repository_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never the repository around the temp dir
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    code = main(["git-setup", str(folder)])
    assert code == 2
    assert "is not in a git repository" in capsys.readouterr().err


def test_a_line_merge_without_the_driver_is_named_and_redone_entry_by_entry(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clone that never ran git-setup gets git's line merge: `check` says so and how to redo it;
    after git-setup, `git checkout -m` redoes the merge through the driver."""
    for key in ("merge.pledgetui.driver", "merge.pledgetui.name", "diff.pledgetui.textconv"):
        git(repo, "config", "--local", "--unset", key)
    ours = with_entry(BASE, "uk-ground", summary="Ours, one line")
    theirs = with_entry(BASE, "uk-ground", notes="Theirs, the line next to it")
    ours = with_entry(ours, "france-ground", summary="Ours again")
    theirs = with_entry(theirs, "france-ground", notes="Theirs again")
    done = merge_branches(repo, ours, theirs)
    assert done.returncode != 0
    capsys.readouterr()
    assert main(["check", str(repo / LEDGER)]) != 0
    said = "".join(capsys.readouterr())
    assert "holds git's conflict markers" in said and "pledgetui git-setup" in said
    assert main(["git-setup", str(repo)]) == 0
    git(repo, "checkout", "-m", LEDGER)
    merged = load(repo / LEDGER, use_cache=False).ledger
    uk, france = merged.entry("uk-ground"), merged.entry("france-ground")
    assert uk is not None and (uk.summary, uk.notes) == ("Ours, one line", "Theirs, the line next to it")
    assert france is not None and (france.summary, france.notes) == ("Ours again", "Theirs again")


def test_git_setup_never_waits_on_a_tracked_toml_link_to_a_named_pipe(repo: Path, tmp_path: Path) -> None:
    """A cloned repository can track ``x.toml`` as a link to anything, a pipe or a terminal included."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (repo / "pipe.toml").symlink_to(fifo)
    git(repo, "add", "pipe.toml")
    git(repo, "commit", "-q", "-m", "a link")
    done = subprocess.run(
        [sys.executable, "-m", "pledgetui", "git-setup", str(repo)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "pipe.toml" not in done.stdout


def test_git_setup_refuses_a_gitattributes_that_is_a_link_and_writes_nothing_through_it(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """git does not read a .gitattributes that is a symbolic link; writing through it would change
    a file outside the repository (a planted ``.gitattributes -> ../../.bashrc``)."""
    outside = tmp_path / "outside.txt"
    outside.write_text("# someone else's file\n")
    (repo / ".gitattributes").unlink()
    (repo / ".gitattributes").symlink_to(outside)
    code = main(["git-setup", str(repo)])
    err = capsys.readouterr().err
    assert code == 2
    assert ".gitattributes" in err and "symbolic link" in err
    assert outside.read_text() == "# someone else's file\n"


def test_git_setup_covers_a_ledger_named_with_a_bang_and_skips_only_a_name_with_a_newline(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("!team.toml", "odd\nname.toml"):
        shutil.copyfile(repo / LEDGER, repo / name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "two more ledgers")
    assert main(["git-setup", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "skipped:  'odd\\nname.toml': a name .gitattributes cannot hold" in out
    attr = git(repo, "check-attr", "merge", "--", "!team.toml", LEDGER).stdout.splitlines()
    assert attr == ["!team.toml: merge: pledgetui", f"{LEDGER}: merge: pledgetui"]


def test_the_merge_driver_keeps_a_percent_sign_in_the_path_of_python(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git expands %O, %A, %B (and %%) in a merge driver's command: a Python installed under a
    folder named ``100%B`` must still be the Python git runs."""
    folder = tmp_path / "100%B"
    folder.mkdir()
    python = folder / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(python))
    assert main(["git-setup", str(repo)]) == 0
    commit_on(repo, "ours", with_entry(BASE, "uk-ground", summary="ours"))
    commit_on(repo, "theirs", with_entry(BASE, "france-ground", summary="theirs"))
    git(repo, "checkout", "-q", "ours")
    done = git(repo, "merge", "-q", "--no-edit", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_git_setup_covers_a_ledger_whose_name_is_not_utf8(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"team-\xff.toml")
    shutil.copyfile(repo / LEDGER, repo / name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a ledger named in Latin-1")
    assert main(["git-setup", str(repo)]) == 0
    assert main(["git-setup", str(repo)]) == 0  # and again: the file it wrote reads back
    out = capsys.readouterr().out
    assert "already:  .gitattributes: /team-<U+DCFF>.toml merge=pledgetui diff=pledgetui" in out
    attr = subprocess.run(
        ["git", "check-attr", "merge", "--", os.fsencode(name)], cwd=repo, capture_output=True, check=True
    ).stdout
    assert attr == b'"team-\\377.toml": merge: pledgetui\n'


def test_git_setup_finds_a_ledger_saved_with_a_byte_order_mark(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "bom.toml").write_bytes(b"\xef\xbb\xbf" + (repo / LEDGER).read_bytes())
    git(repo, "add", "bom.toml")
    git(repo, "commit", "-q", "-m", "a ledger an editor saved with a BOM")
    assert load(repo / "bom.toml", use_cache=False).ledger.entries  # a ledger pledgetui reads
    assert main(["git-setup", str(repo)]) == 0
    assert "added:    .gitattributes: /bom.toml merge=pledgetui diff=pledgetui" in capsys.readouterr().out


def test_git_setup_that_cannot_write_the_config_leaves_gitattributes_alone(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A locked (or read-only) .git/config: no .gitattributes line names a driver git does not know."""
    shutil.copyfile(repo / LEDGER, repo / "second.toml")
    git(repo, "add", "second.toml")
    git(repo, "commit", "-q", "-m", "a second ledger")
    git(repo, "config", "--local", "--unset", "merge.pledgetui.driver")
    before = (repo / ".gitattributes").read_bytes()
    (repo / ".git" / "config.lock").write_text("")
    code = main(["git-setup", str(repo)])
    out, err = capsys.readouterr()
    assert code == 2 and "git config failed" in err and "config" in err
    assert (repo / ".gitattributes").read_bytes() == before
    assert "added:" not in out
