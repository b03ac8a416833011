"""``pledgetui changes``: a window of dates, or two versions (files or git revisions)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pledgetui.changes import COLUMNS
from pledgetui.cli import main
from pledgetui.store import load, save
from tests.factory import REPO, SEEDS, write_ledger
from tests.test_cli_list import hostile_ledger
from tests.test_compare import replace_entry

BUNDLED = REPO / "data" / "pledges.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["changes", *args])
    out, err = capsys.readouterr()
    return code, out, err


def rows(out: str) -> list[dict[str, str]]:
    lines = out.splitlines()
    assert lines[0].split("\t") == list(COLUMNS)
    return [dict(zip(COLUMNS, line.split("\t"))) for line in lines[1:]]


def edited_copy(folder: Path, summary: str = "Edited summary") -> tuple[Path, Path]:
    """The bundled ledger (A) and a copy with uk-air's summary edited (B), with their articles."""
    ledger = load(BUNDLED, use_cache=False).ledger
    a = write_ledger(folder, ledger, "A.toml")
    b = write_ledger(folder, replace_entry(ledger, "uk-air", summary=summary), "B.toml")
    return a, b


# --------------------------------------------------------------------------- a window of dates


def test_since_names_the_declaration_s_entries_with_their_statements(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--since", "2026-01-01", str(BUNDLED))
    assert code == 0
    found = rows(out)
    new = {r["entry"]: r for r in found if r["kind"] in ("new entry", "first dated statement")}
    assert {"uk-ground-troops", "uk-air", "france-air"} <= set(new)
    assert new["uk-air"]["source"] == "a002" and new["uk-air"]["date"] == "2026-01-06"
    assert "declaration" in new["uk-air"]["quote"]
    assert "changes in" in err and "undated statement" in err  # the count and what no window places


def test_a_window_before_every_statement_says_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--since", "1990-01-01", "--until", "1990-12-31", str(BUNDLED))
    assert code == 0 and rows(out) == []
    assert "no changes" in err


@pytest.mark.parametrize(
    "args",
    [
        ("--since", "2026-02-30"),
        ("--since", "yesterday"),
        ("--since", "2026-02-01", "--until", "2026-01-01"),
        ("--since", "2026-01-01", "a.toml", "b.toml"),
        ("only-one",),
        (),
    ],
)
def test_bad_usage_is_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("pledgetui changes")


def test_an_impossible_date_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--since", "2026-02-30", str(BUNDLED))
    assert code == 2 and out == "" and "2026-02-30" in err and "not a day of the calendar" in err
    # digits of another script are not a date's form (the same words as --as-of)
    code, out, err = run(capsys, "--since", "\uff12\uff10\uff12\uff16-01-01", str(BUNDLED))
    assert code == 2 and out == "" and "expected YYYY-MM-DD" in err


def test_the_pipe_output_is_sanitised(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "h", hostile_ledger())
    code, out, _ = run(capsys, "--since", "1990-01-01", str(path))
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert all(len(line.split("\t")) == len(COLUMNS) for line in out.splitlines())  # no tab or newline got through
    code, out, _ = run(capsys, str(BUNDLED), str(path))
    assert code == 0 and "\x1b" not in out and all(len(ln.split("\t")) == len(COLUMNS) for ln in out.splitlines())


# --------------------------------------------------------------------------- two files


def test_a_copy_with_one_summary_edited_names_exactly_that_entry_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a, b = edited_copy(tmp_path)
    code, out, err = run(capsys, str(a), str(b))
    assert code == 0
    assert [(r["entry"], r["kind"], r["field"], r["new"]) for r in rows(out)] == [
        ("uk-air", "field", "summary", "Edited summary")
    ]
    assert "1 change in 1 entry" in err
    code, out, err = run(capsys, str(a), str(a))
    assert code == 0 and rows(out) == [] and "no changes" in err and "the ledger is the same in" in err


def test_markdown_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a, b = edited_copy(tmp_path, "[link](http://x) *loud* \u202eevil\u0085")
    code, out, _ = run(capsys, str(a), str(b), "--format", "md")
    assert code == 0
    assert out.startswith("# Changes from ") and "\n## uk-air\n" in out
    assert "summary changed: " in out and "\\[link\\](http:" in out and "*loud*" not in out
    code, out, _ = run(capsys, str(a), str(b), "--format", "json")
    assert code == 0
    assert out.isascii()  # a bidi override or a C1 control never reaches the terminal raw
    doc = json.loads(out)
    assert doc["old"] == str(a) and doc["new"] == str(b)
    assert [(c["entry"], c["field"], c["new"]) for c in doc["changes"]] == [
        ("uk-air", "summary", "[link](http://x) *loud* \u202eevil\u0085")
    ]
    code, out, _ = run(capsys, "--since", "2026-01-01", str(BUNDLED), "-f", "md")
    assert code == 0 and "## uk-air" in out and "\n  > " in out  # the statement's quote, as a block quote


def test_a_file_that_is_not_a_ledger_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "notes.toml"
    bad.write_text("this is not = [toml\n")
    code, out, err = run(capsys, str(bad), str(BUNDLED))
    assert code == 2 and out == ""
    assert "OLD" in err and "notes.toml" in err and "TOML syntax error" in err
    code, out, err = run(capsys, "--since", "2026-01-01", str(bad))
    assert code == 2 and out == "" and "notes.toml" in err
    code, out, err = run(capsys, str(BUNDLED), str(tmp_path))
    assert code == 2 and "NEW" in err and "directory" in err


# --------------------------------------------------------------------------- git revisions


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository: the bundled ledger committed, then one summary edited and committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copy(BUNDLED, root / "data" / "pledges.toml")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "ledger")
    path = root / "data" / "pledges.toml"
    ledger = load(path, use_cache=False).ledger
    save(replace_entry(ledger, "uk-air", summary="Edited in git"), path, backup=False)
    git(root, "commit", "-q", "-am", "edit uk-air")
    return root


def test_head_1_head_names_exactly_that_entry_and_field(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    before = sorted(p.name for p in (repo / ".git").iterdir())
    code, out, err = run(capsys, "HEAD~1", "HEAD")
    assert code == 0, err
    assert [(r["entry"], r["kind"], r["field"], r["new"]) for r in rows(out)] == [
        ("uk-air", "field", "summary", "Edited in git")
    ]
    assert sorted(p.name for p in (repo / ".git").iterdir()) == before  # nothing written
    # --file from another folder, REV:PATH, and a revision against the working file
    monkeypatch.chdir(repo / "data")
    for args in (
        ("HEAD~1", "HEAD", "--file", "pledges.toml"),
        ("HEAD~1:data/pledges.toml", "HEAD:data/pledges.toml"),
        ("HEAD~1:./pledges.toml", "pledges.toml"),
    ):
        code, out, err = run(capsys, *args)
        assert code == 0, err
        assert [(r["entry"], r["field"]) for r in rows(out)] == [("uk-air", "summary")], args


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("HEAD~7", "HEAD"), "HEAD~7 is neither a file nor a git revision"),
        (("-n", "HEAD"), "cannot be a git revision"),
        (("HEAD~1", "HEAD", "--file", "data/missing.toml"), "has no file data/missing.toml"),
        (("HEAD~1:seeds", "HEAD"), "has no file seeds"),  # a folder
        (("HEAD~1:seeds/000_9a9e133639143a66.txt", "HEAD"), "not a usable ledger"),
    ],
)
def test_a_revision_that_does_not_exist_is_exit_2(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], said: str
) -> None:
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, "--", *args) if args[0].startswith("-") else run(capsys, *args)
    assert code == 2 and out == ""
    assert said in err


def test_a_revision_larger_than_a_ledger_can_be_is_refused_before_it_is_read(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pledgetui import ledgerfile
    from pledgetui.commands import changes

    monkeypatch.chdir(repo)
    monkeypatch.setattr(ledgerfile, "MAX_LEDGER_BYTES", 1000)
    real_git = changes._git
    read: list[list[str]] = []
    monkeypatch.setattr(changes, "_git", lambda args, cwd: read.append(args) or real_git(args, cwd))
    code, out, err = run(capsys, "HEAD~1", "HEAD")
    assert code == 2 and out == "" and "larger than a ledger can be" in err
    assert not any(a[:2] == ["cat-file", "blob"] for a in read)  # its size was asked, its bytes never read


def test_a_repository_s_config_cannot_make_reading_a_revision_run_a_command(
    capsys: pytest.CaptureFixture[str], repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partial clone fetches a missing file from its "promisor" remote, running the remote's
    ``uploadpack`` command from the repository's own config: reading a revision never fetches."""
    import subprocess

    hostile = tmp_path / "hostile"
    hostile.mkdir()
    marker = tmp_path / "RAN"

    def g(*args: str, stdin: bytes | None = None) -> str:
        done = subprocess.run(["git", *args], cwd=hostile, input=stdin, capture_output=True, check=True)
        return done.stdout.decode().strip()

    g("init", "-q")
    missing = g("hash-object", "--stdin", stdin=b"a file never stored")
    data = g("mktree", "--missing", stdin=f"100644 blob {missing}\tpledges.toml\n".encode())
    root = g("mktree", "--missing", stdin=f"040000 tree {data}\tdata\n".encode())
    commit = g("-c", "user.email=a@b", "-c", "user.name=a", "commit-tree", root, "-m", "x")
    g("update-ref", "refs/heads/main", commit)
    g("symbolic-ref", "HEAD", "refs/heads/main")
    for key, value in (
        ("core.repositoryformatversion", "1"),
        ("extensions.partialClone", "origin"),
        ("remote.origin.promisor", "true"),
        ("remote.origin.url", str(repo)),
        ("remote.origin.uploadpack", f"touch {marker}; git-upload-pack"),
        ("protocol.file.allow", "always"),
    ):
        g("config", key, value)
    (hostile / "data").mkdir()
    shutil.copy(BUNDLED, hostile / "data" / "pledges.toml")
    monkeypatch.chdir(hostile)
    code, out, err = run(capsys, "HEAD", "data/pledges.toml")
    assert not marker.exists()
    assert code == 2 and out == "" and "has no file data/pledges.toml" in err


def test_a_file_named_like_a_revision_is_refused_as_ambiguous(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    shutil.copy(BUNDLED, repo / "HEAD~1")  # a planted file named like the revision
    code, out, err = run(capsys, "HEAD~1", "HEAD")
    assert code == 2 and out == "" and "both a file here and a git revision" in err
    code, out, err = run(capsys, "./HEAD~1", "HEAD")  # the file, said so
    assert code == 0, err
    code, out, err = run(capsys, "HEAD~1:data/pledges.toml", "HEAD")  # the revision, said so
    assert code == 0 and [(r["entry"], r["field"]) for r in rows(out)] == [("uk-air", "summary")]


def test_outside_a_repository_a_revision_is_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, out, err = run(capsys, "HEAD~1", "HEAD")
    assert code == 2 and out == "" and "not in a git repository" in err


def test_no_git_installed_is_exit_2(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    monkeypatch.setenv("PATH", str(repo / "nowhere"))
    code, out, err = run(capsys, "HEAD~1", "HEAD")
    assert code == 2 and out == "" and "git is not installed" in err
