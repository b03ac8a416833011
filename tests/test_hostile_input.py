"""Hostile input to the core and the command line: files that try to crash, hang, leak or mislead.

Each test is a regression test for one finding of the hardening review (the item
number is in the test's docstring).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pledgetui.cli import main
from pledgetui.edits import EditError
from pledgetui.ledgerfile import LedgerError, loads
from pledgetui.store import load
from pledgetui.ui.screens.import_article import read_text_file
from tests.hostile import (
    NESTED_ARRAYS,
    NESTED_TABLES,
    SECRET,
    invisible_in,
    ledger_quoting_a_link,
    lookalike_ledger,
    make_loop,
)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# --------------------------------------------------------------------------- 8: deep nesting


@pytest.mark.parametrize("text", [NESTED_ARRAYS, NESTED_TABLES], ids=["arrays", "inline-tables"])
def test_deeply_nested_toml_is_a_ledger_error_with_line_and_column(text: str) -> None:
    """Item 8: deep nesting is reported (where and what), never a RecursionError."""
    data = f"schema_version = 1\n{text}\n".encode()
    assert len(NESTED_ARRAYS) == 904
    with pytest.raises(LedgerError) as info:
        loads(data)
    (problem,) = info.value.problems
    assert problem.where.startswith("line 2, column ")
    assert "nested too deep" in problem.what


def test_deeply_nested_key_is_a_ledger_error() -> None:
    """Item 8: a dotted key of thousands of parts nests tables too deep for the parser."""
    data = ("schema_version = 1\n" + ".".join(["a"] * 3000) + " = 1\n").encode()
    with pytest.raises(LedgerError) as info:
        loads(data)
    assert "nested too deep" in str(info.value)


@pytest.mark.parametrize("command", ["check", "list", "export"])
def test_every_command_reports_deep_nesting(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    """Item 8: check, list and export print the problem and exit 1, no traceback."""
    path = tmp_path / "deep.toml"
    path.write_text(NESTED_ARRAYS, encoding="utf-8")
    code, _out, err = run_cli(capsys, command, str(path))
    assert code == 1
    assert "nested too deep" in err and "line 1, column" in err


# --------------------------------------------------------------------------- 9: empty ledgers


@pytest.mark.parametrize(
    "text", ["", "\n\n   \n", "# just a comment\n# and another\n"], ids=["empty", "blank", "comments"]
)
def test_empty_blank_or_comment_only_file_is_not_a_ledger(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    """Item 9: a file holding no ledger fails ``check`` and says schema_version is missing."""
    path = tmp_path / "empty.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        load(path)
    assert "schema_version" in str(info.value) and "missing" in str(info.value)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 1
    assert "schema_version" in err and "OK" not in out


def test_ledger_without_schema_version_names_the_key(tmp_path: Path) -> None:
    """Item 9: entries without a schema_version are refused too, naming the key."""
    with pytest.raises(LedgerError) as info:
        loads(b"sources = []\nentries = []\n")
    (problem,) = info.value.problems
    assert problem.where == "schema_version"
    assert "missing" in problem.what


# --------------------------------------------------------------------------- 11: pipes and link loops


def make_fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def outcome_on_fifo(fifo: Path, call: Callable[[], object]) -> BaseException | object:
    """``call()``'s result or exception; fails the test if it blocks on ``fifo``.

    The call runs on a thread. The join's timeout only keeps a blocking version from
    hanging the suite: on the fixed code the call returns at once and nothing waits.
    """
    box: list[object] = []

    def target() -> None:
        try:
            box.append(call())
        except BaseException as exc:
            box.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=60)
    if thread.is_alive():
        with open(fifo, "wb"):  # a writer unblocks the reader, so the thread ends
            pass
        thread.join()
        pytest.fail(f"blocked opening the named pipe {fifo}")
    return box[0]


def test_import_refuses_a_named_pipe_without_blocking(tmp_path: Path) -> None:
    """Item 11: the import dialog's reader names a FIFO instead of hanging on it."""
    fifo = make_fifo(tmp_path / "article.txt")
    result = outcome_on_fifo(fifo, lambda: read_text_file(fifo))
    assert isinstance(result, EditError), result
    assert "named pipe" in str(result.problems)


def test_import_names_a_symlink_loop(tmp_path: Path) -> None:
    """Item 11: a link loop is reported as one, not as a missing file."""
    with pytest.raises(EditError) as info:
        read_text_file(make_loop(tmp_path))
    assert "symbolic link loop" in str(info.value.problems)


@pytest.mark.parametrize("command", ["check", "list", "export", "dashboard"])
def test_commands_name_a_symlink_loop(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    """Item 11: every command says "symbolic link loop" for a looping ledger path, not "no such file"."""
    loop = make_loop(tmp_path)
    code, _out, err = run_cli(capsys, *([] if command == "dashboard" else [command]), str(loop))
    assert code == 1
    assert "symbolic link loop" in err and "no such file" not in err


@pytest.mark.parametrize("command", ["check", "list", "export"])
def test_commands_refuse_a_named_pipe_ledger(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    """Item 11: a FIFO given as the ledger is refused by name, without blocking."""
    fifo = make_fifo(tmp_path / "pledges.toml")
    code = outcome_on_fifo(fifo, lambda: main([command, str(fifo)]))
    _out, err = capsys.readouterr()
    assert code == 1
    assert "named pipe" in err and "Traceback" not in err


# --------------------------------------------------------------------------- 13: links out of seeds/


@pytest.mark.parametrize("link_folder", [False, True], ids=["file-link", "folder-link"])
def test_an_article_linked_outside_the_ledger_folder_is_not_read(tmp_path: Path, link_folder: bool) -> None:
    """Item 13: verify refuses a source file that leads outside the articles folder, and says so."""
    from pledgetui.verify import Articles, verify

    path, _ = ledger_quoting_a_link(tmp_path, link_folder=link_folder)
    ledger = load(path).ledger
    articles = Articles(path)
    report = verify(ledger, articles)
    assert "leak" not in articles.texts
    assert "outside" in report.source_problems["leak"]
    orphans = [c.entry_id for c in report.orphans]
    # A linked seeds/ folder takes every article with it; a linked file only its own.
    assert orphans == [p.id for p in ledger.entries] if link_folder else orphans == ["leak-1"]


def test_check_reports_the_link_and_does_not_verify_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Item 13: ``check`` names the link and counts its quote as orphaned, never as verified."""
    path, _ = ledger_quoting_a_link(tmp_path)
    code, out, _err = run_cli(capsys, "check", str(path))
    assert code == 1
    assert "source leak:" in out and "outside" in out
    assert "1 orphaned" in out and "hunter2" not in out.replace("SECRET_TOKEN=hunter2' not found", "")


def test_a_link_inside_the_articles_folder_is_followed(tmp_path: Path) -> None:
    """Item 13: a link from one article to another in the same folder stays allowed."""
    from pledgetui import paths
    from tests.factory import ARTICLE_002, write_ledger

    path = write_ledger(tmp_path / "ledger")
    (path.parent / "seeds" / "alias.txt").symlink_to(path.parent / "seeds" / ARTICLE_002)
    found = paths.find_article(path, "alias.txt")
    assert found is not None and found.resolve() == (path.parent / "seeds" / ARTICLE_002).resolve()


def test_save_copy_does_not_copy_an_outside_file(tmp_path: Path) -> None:
    """Item 13 (same class): "save a copy" copies articles; a link out of seeds/ is not followed."""
    from pledgetui.session import EditSession

    path, _ = ledger_quoting_a_link(tmp_path)
    session = EditSession.open(path)
    (tmp_path / "copy").mkdir()
    copy = session.save_copy(tmp_path / "copy" / "pledges.toml")
    assert not (copy.parent / "seeds" / "leak.txt").exists()
    assert (copy.parent / "seeds" / load(path).ledger.sources[0].file).is_file()


def test_import_refuses_a_file_name_taken_by_an_outside_link(tmp_path: Path) -> None:
    """Item 13 (same class): adding a source whose file name is a link out of seeds/ is refused
    (the outside file is never read to compare with)."""
    from pledgetui.model import Source
    from pledgetui.session import EditSession

    path, _ = ledger_quoting_a_link(tmp_path)
    (path.parent / "seeds" / "other.txt").symlink_to(tmp_path / "outside" / "leak.txt")
    session = EditSession.open(path)
    with pytest.raises(EditError) as info:
        session.add_source(Source(id="new", file="other.txt", title="t"), SECRET)
    assert "outside" in str(info.value.problems)


# --------------------------------------------------------------------------- 14: invisible format characters

#: One of each kind of invisible format character (Unicode category Cf) the review used.
FORMAT_CHARS = [
    "\u2060",
    "\u00ad",
    "\U000e0041",
    "\ufff9",
    "\ufffa",
    "\ufffb",
    "\u206a",
    "\u206f",
    "\u180e",
    "\u200b",
    "\ufeff",
]
#: Other characters with nothing to show: private use, unassigned, a lone surrogate, line/paragraph separators.
OTHER_INVISIBLE = ["\ue000", "\U000e0080", "\ud800", "\u2028", "\u2029"]
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # one emoji joined by ZWJ
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # a flag tag sequence


@pytest.mark.parametrize("ch", FORMAT_CHARS + OTHER_INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_display_shows_every_invisible_character(ch: str) -> None:
    """Item 14: the display filter works by Unicode category, not a hand list."""
    from pledgetui.sanitize import display, display_aligned, display_line

    text = f"Fran{ch}ce\nsaid"
    assert invisible_in(display(text)) == [] and f"<U+{ord(ch):04X}>" in display(text)
    assert invisible_in(display_line(text)) == [] and "\n" not in display_line(text)
    aligned = display_aligned(text)
    assert invisible_in(aligned) == [] and len(aligned) == len(text) and aligned[4] != ch


def test_display_keeps_emoji_sequences_and_ordinary_spaces() -> None:
    """Item 14: joiners inside an emoji and a flag's tag sequence are kept; so are non-breaking spaces."""
    from pledgetui.sanitize import display, display_aligned, display_line

    for text in (FAMILY, SCOTLAND, "a\u00a0b\u202fc\u3000d", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"):
        assert display(text) == display_line(text) == display_aligned(text) == text
    assert display(f"x\u200d{FAMILY}") == f"x<U+200D>{FAMILY}"  # a joiner that joins no emoji is shown
    assert display("Fran\U000e0041ce\U000e007f") == "Fran<U+E0041>ce<U+E007F>"


def test_format_char_warnings_name_the_field_and_the_character() -> None:
    """Item 14: identifiers and vocabulary-like fields holding Cf characters are warned about."""
    from pledgetui.textcheck import format_char_warnings

    warnings = format_char_warnings(lookalike_ledger())
    assert [where for where, _ in warnings] == [
        "entry fr-2 actor",
        "entry fr-3 actor",
        "entry fr-3 statement 1 claimant",
    ]
    what = dict(warnings)
    assert "U+E0041" in what["entry fr-2 actor"] and "'France'" in what["entry fr-2 actor"]
    assert "U+00AD" in what["entry fr-3 actor"] and "SOFT HYPHEN" in what["entry fr-3 actor"]
    assert invisible_in(" ".join(what.values())) == []


def test_check_prints_format_char_warnings_without_failing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Item 14: ``check`` prints one warning line per field; the exit status is unchanged."""
    from tests.factory import write_ledger

    path = write_ledger(tmp_path / "ledger", lookalike_ledger())
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 0, out + err
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 3 and warnings[0].startswith("warning: entry fr-2 actor: ")
    assert invisible_in(out) == []


@pytest.mark.parametrize("query", ["actor:france", 'actor="France"', "france", "country:franc", 'claimant="Élysée"'])
def test_filters_match_on_normalised_text(query: str) -> None:
    """Item 14: a filter finds every spelling a reader sees as the same word."""
    from pledgetui.query import select_entries

    found = {p.id for p in select_entries(lookalike_ledger(), query)}
    if query.startswith("claimant"):
        assert found == {"fr-3"}
    else:
        assert {"france-ground", "fr-1", "fr-2", "fr-3", "fr-4", "fr-5"} <= found


def test_sorting_by_actor_keeps_lookalikes_together() -> None:
    """Item 14 (same class): the actor sort compares normalised text too."""
    from pledgetui.query import select_entries

    ledger = lookalike_ledger()
    frisia = ledger.entries[0].model_copy(update={"id": "frisia", "actor": "Frisia"})
    ledger = ledger.model_copy(update={"entries": (*ledger.entries, frisia)})
    ids = [p.id for p in select_entries(ledger, "", "actor")]
    assert ids.index("frisia") > max(ids.index(f"fr-{n}") for n in range(1, 6))


def test_list_output_shows_format_characters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Item 14: ``list`` (plain output) shows the invisible characters as visible marks."""
    from tests.factory import write_ledger

    path = write_ledger(tmp_path / "ledger", lookalike_ledger())
    code, out, _err = run_cli(capsys, "list", str(path))
    assert code == 0
    assert invisible_in(out.replace("\t", " ")) == [] and "Fran<U+E0041>ce" in out and "Fr<U+00AD>ance" in out


def test_markdown_export_shows_format_characters() -> None:
    """Item 14: Markdown cells carry no invisible characters either."""
    from pledgetui.export import export_view

    ledger = lookalike_ledger()
    text = export_view(ledger, ledger.entries, "md", "entries").decode()
    assert invisible_in(text) == [] and "U+00AD" in text and "U+E0041" in text


# --------------------------------------------------------------------------- 15: file names in CLI messages

#: A file name that retitles the window, turns text around, and forges an output line.
EVIL_NAME = "pledges\x1b]0;pwned\x07\u202e\nOK\n.toml"


def terminal_safe(text: str) -> bool:
    return invisible_in(text.replace("\t", " ")) == []


def test_check_prints_the_ledger_name_safely(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Item 15: check's "ledger:" line carries no escape sequence and forges no line."""
    from tests.factory import write_ledger

    path = write_ledger(tmp_path / "ledger", name=EVIL_NAME)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 0, out + err
    assert terminal_safe(out + err)
    assert out.splitlines().count("OK") == 1 and "\u241b]0;pwned\u2407<U+202E>\u240aOK\u240a.toml" in out


@pytest.mark.parametrize(
    ("command", "problem"),
    # (The dashboard shows a broken ledger on its problems screen, not on stderr.)
    [
        (c, p)
        for c in ("check", "list", "export", "dashboard")
        for p in ("missing", "broken")
        if (c, p) != ("dashboard", "broken")
    ],
)
def test_errors_print_the_ledger_name_safely(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, problem: str
) -> None:
    """Item 15: every command's error names the file through the display filter."""
    path = tmp_path / EVIL_NAME
    if problem == "broken":
        path.write_text('schema_version = 1\n[[pledges]]\n"\\u001b]0;key\\u0007" = 1\n', encoding="utf-8")
    code, out, err = run_cli(capsys, *([] if command == "dashboard" else [command]), str(path))
    assert code == 1
    assert terminal_safe(out + err), repr(err)
    assert "\u241b]0;pwned" in err


def test_export_names_its_output_safely(capsys: pytest.CaptureFixture[str], ledger_path: Path, tmp_path: Path) -> None:
    """Item 15: export's "wrote ... to" line shows the output name through the display filter."""
    target = tmp_path / EVIL_NAME.replace(".toml", ".csv")
    code, _out, err = run_cli(capsys, "export", str(ledger_path), "-o", str(target))
    assert code == 0 and target.is_file()
    assert terminal_safe(err) and "wrote 4 entries: 3 pledges, 1 counter-position" in err


def test_usage_errors_echo_arguments_safely(capsys: pytest.CaptureFixture[str]) -> None:
    """Item 15 (same class): argparse echoes a bad argument; it goes through the filter too."""
    code, _out, err = run_cli(capsys, "list", "--sort", "\x1b]0;pwned\x07")
    assert code in (1, 2) and terminal_safe(err) and "\u241b]0;pwned" in err
    code, _out, err = run_cli(capsys, "check", "a", "b\x1b[2J")
    assert code == 2 and terminal_safe(err)


# --------------------------------------------------------------------------- 16: spreadsheet and Markdown output


def csv_cells(value: str, *, raw: bool = False) -> dict[str, str]:
    """The pledge row of an export whose actor and notes are ``value``."""
    import csv
    import io

    from pledgetui.export import export_view
    from tests.factory import small_ledger

    ledger = small_ledger()
    p = ledger.entries[0].model_copy(update={"actor": value, "notes": value})
    ledger = ledger.model_copy(update={"entries": (p,)})
    data = export_view(ledger, ledger.entries, "csv", "entries", raw=raw).decode("utf-8")
    return next(csv.DictReader(io.StringIO(data, newline="")))


def opens_formula(cell: str) -> bool:
    """Would a spreadsheet that trims spaces, and splits on any of , ; tab or a line break, see a formula?"""
    import re
    import unicodedata

    for part in re.split(r"[,;\t\r\n]", cell):
        part = "".join(c for c in part if unicodedata.category(c) not in ("Cc", "Cf")).lstrip().lstrip('"').lstrip()
        if part and unicodedata.normalize("NFKC", part[0]) in "=+-@\u2212":
            return True
    return False


@pytest.mark.parametrize(
    "value",
    [
        " =1+1",
        "\u00a0=1+1",
        "\u3000+1",
        "\uff1d1+1",
        "\ufe66HYPERLINK(x)",
        "\uff0b1",
        "\uff20SUM(A1)",
        "\u22121+1",
        "a;=1+1",
        "a; -1+1",
        "x,=cmd|' /C calc'!A0",
        "a\t@SUM(A1)",
        "a\n=1+1",
        "a\r\n+1",
        "\t=1+1",
        '"=1+1',
        "\u200b=1+1",
        "\x00=1",
        "a;\uff1d1",
    ],
)
def test_csv_guard_covers_every_cell_start(value: str) -> None:
    """Item 16: after a space, in full width, or after a separator a spreadsheet may split on: still text."""
    row = csv_cells(value)
    assert opens_formula(value)  # the test value is an attack
    assert not opens_formula(row["country"]) and not opens_formula(row["notes"]), row["notes"]
    assert csv_cells(value, raw=True)["country"] == value  # --raw keeps the data exact


def test_csv_guard_leaves_ordinary_text_alone() -> None:
    """Item 16: prose with dashes and signs inside a cell is written exactly."""
    for value in ("France - yes", "a = b", "troops: 20,000 to 50,000", "e-mail user@example.org", "'quoted'", "x;y"):
        assert csv_cells(value)["notes"] == value


def test_markdown_export_loads_no_remote_image() -> None:
    """Item 16: Markdown cells cannot become images, links, HTML or extra columns when rendered."""
    from markdown_it import MarkdownIt

    from pledgetui.export import export_view
    from tests.factory import small_ledger

    hostile = "![img](http://tracker.invalid/p.png) [x](http://a.invalid) <img src=http://b.invalid> [r]: http://c.invalid | a\nb"
    ledger = small_ledger()
    p = ledger.entries[0].model_copy(update={"actor": hostile, "summary": hostile})
    ledger = ledger.model_copy(update={"entries": (p,)})
    text = export_view(ledger, ledger.entries, "md", "entries").decode()
    html = MarkdownIt("gfm-like").render(text)
    assert "<img" not in html  # nothing loads when the file is shown
    # No link hides its address behind other words (a bare address may be linkified: it shows itself).
    import re

    assert all(href == label for href, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', html)), html
    assert "![img]" in html and "[x](" in html  # the text is all there, literally
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == 3  # header, rule, one row: nothing broke the table


def test_export_help_says_files_hold_raw_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Item 16: --help says CSV and JSON keep the ledger's text exactly, escapes and all."""
    assert main(["export", "--help"]) == 0
    out = capsys.readouterr().out
    assert "raw text" in out


def test_a_relay_with_an_invisible_character_is_named_like_a_claimant() -> None:
    from pledgetui.textcheck import format_char_warnings
    from tests.factory import small_ledger

    ledger = small_ledger()
    entry = ledger.entries[0]
    relayed = entry.evidence[0].model_copy(update={"relayed_by": "Yellow\u200bstone"})
    ledger = ledger.model_copy(
        update={"entries": (entry.model_copy(update={"evidence": (relayed, *entry.evidence[1:])}), *ledger.entries[1:])}
    )
    warnings = format_char_warnings(ledger)
    assert any(where == f"entry {entry.id} statement 1 relayed_by" and "U+200B" in what for where, what in warnings)


def test_a_blank_relay_is_no_relay_for_the_checks() -> None:
    from pledgetui.model import Entry, Ledger, Source
    from pledgetui.review import review

    def ev(**stance: object) -> dict[str, object]:
        quote = "Ruritania will open a hub."
        return {"source": "c1", "claimant": "Government", "party": "first_party", "basis": "statement",
                "status": "announced", "quote": quote, "start": 0, "end": len(quote), **stance}  # fmt: skip

    own = Entry(id="own", actor="Outlet", commitment="other", summary="s",
                evidence=[ev(claimant="Outlet", party="third_party", basis="partisan", status="claimed")])  # fmt: skip
    blank = Entry(id="blank", actor="Ruritania", commitment="other", summary="s", evidence=[ev(relayed_by="   ")])
    ledger = Ledger(sources=(Source(id="c1", file="c1.txt", title="Brief"),), entries=(own, blank))
    found = [str(f) for f in review(ledger)]
    assert any(f.startswith("blank statement 1: ") and "names no relay" in f for f in found), found
    assert not any("'Relayed:'" in f for f in found), found
