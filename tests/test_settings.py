"""Settings: the file's model, reading (never failing), atomic writing; the app keeps them across restarts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pledgetui import paths, settings
from pledgetui.cli import last_ledger, main
from pledgetui.settings import Settings
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.widgets.entry_table import COLUMNS
from tests.pilot import Notices, screen_lines, started


def test_config_folder_follows_the_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLEDGETUI_CONFIG_DIR", str(tmp_path / "cfg"))
    assert paths.config_file() == tmp_path / "cfg" / "config.toml"


def test_missing_file_gives_defaults_and_no_problem(tmp_path: Path) -> None:
    loaded = settings.read(tmp_path / "none.toml")
    assert loaded.settings == Settings() and loaded.problems == () and loaded.writable


def test_round_trip(tmp_path: Path) -> None:
    s = Settings(
        theme="nord",
        last_ledger="/x/pledges.toml",
        filter="country:france",
        sort="status,-date",
        hidden_columns=("claimant", "sources"),
        show_counter=False,
        export_folder="/tmp/out",
        export_format="json",
        export_rows="evidence",
        keymap={"dashboard.edit": "E"},
    )
    path = tmp_path / "sub" / "config.toml"
    settings.write(path, s)
    assert settings.read(path) == settings.Loaded(s)
    assert not list(path.parent.glob("*.tmp*"))  # nothing left of the atomic write


def test_broken_toml_names_file_and_line_and_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n[view\nsort = "status"\n')
    loaded = settings.read(path)
    assert loaded.settings == Settings()
    assert len(loaded.problems) == 1
    assert str(path) in loaded.problems[0] and "line 2" in loaded.problems[0] and "default" in loaded.problems[0]
    assert not loaded.writable


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[view]\nsort = "colour"\n', "[view] sort"),
        ('[view]\nfilter = "status:nonsense"\n', "[view] filter"),
        ('[view]\nhidden_columns = ["colour"]\n', "[view] hidden_columns"),
        ('[export]\nformat = "xlsx"\n', "[export] format"),
        ("[ledger]\nreopen_last = 3\n", "[ledger] reopen_last"),
        ('colour = "red"\n', "colour"),
        ("view = 3\n", "[view]"),
    ],
)
def test_bad_value_names_its_key_and_keeps_the_rest(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n' + text)
    loaded = settings.read(path)
    assert loaded.settings.theme == "nord"
    assert any(key in p and str(path) in p for p in loaded.problems), loaded.problems


def test_not_utf8_and_too_big_and_a_folder(tmp_path: Path) -> None:
    bad = tmp_path / "a.toml"
    bad.write_bytes(b"\xff\xfe")
    assert "UTF-8" in settings.read(bad).problems[0]
    big = tmp_path / "b.toml"
    big.write_bytes(b"#" * (settings.MAX_BYTES + 1))
    assert "bytes" in settings.read(big).problems[0]
    assert "regular file" in settings.read(tmp_path).problems[0]


def test_column_keys_are_the_tables_columns() -> None:
    assert tuple(c.key for c in COLUMNS) == settings.COLUMN_KEYS


def test_last_ledger_reopened_only_when_it_still_exists(tmp_path: Path, ledger_path: Path) -> None:
    config = tmp_path / "config.toml"
    settings.write(config, Settings(last_ledger=str(ledger_path)))
    assert last_ledger(config) == str(ledger_path)
    settings.write(config, Settings(last_ledger=str(ledger_path), reopen_last=False))
    assert last_ledger(config) is None
    settings.write(config, Settings(last_ledger=str(tmp_path / "gone.toml")))
    assert last_ledger(config) is None


def test_paths_command_lists_every_location(capsys: pytest.CaptureFixture[str], ledger_path: Path) -> None:
    assert main(["paths", str(ledger_path)]) == 0
    out = capsys.readouterr().out
    for what, where in paths.locations(ledger_path.resolve()):
        assert what in out and str(where) in out
    assert str(paths.config_file()) in out and str(paths.journal_dir()) in out and ".bak" in out


async def test_settings_persist_across_restarts(ledger_path: Path) -> None:
    config = paths.config_file()
    app = PledgeApp(ledger_path, config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        dash = app.dashboard
        dash.set_filter("status:signed,announced")
        await pilot.press("3", "3")  # sort by status, descending
        dash.table.hidden_columns = frozenset({"claimant"})
        await pilot.press("c")  # counter-positions hidden
        app.theme = "nord"
        await pilot.pause()
    saved = settings.read(config)
    assert saved.problems == ()
    s = saved.settings
    assert (s.filter, s.sort, s.hidden_columns, s.show_counter, s.theme) == (
        "status:signed,announced",
        "-status",
        ("claimant",),
        False,
        "nord",
    )
    assert s.last_ledger == str(ledger_path.resolve())

    again = PledgeApp(ledger_path, config=config)
    async with again.run_test(size=(120, 36)) as pilot:
        await started(again, pilot)
        dash = again.dashboard
        assert again.theme == "nord"
        assert dash.query_one("#filter").value == "status:signed,announced"
        assert dash.query_text == "status:signed,announced"
        assert [(k.field, k.descending) for k in dash.sort_keys] == [("status", True)]
        assert (
            "Claimant" not in screen_lines(again, dash.table)[0] and "Commitment" in screen_lines(again, dash.table)[0]
        )
        assert dash.show_counter is False
        assert all(not e.is_counter for e in dash.visible_entries())
        statuses = [e.status.strength for e in dash.visible_entries()]
        assert statuses == sorted(statuses, reverse=True)


async def test_broken_config_gives_a_message_and_defaults(ledger_path: Path) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text("theme = 'nord\n")
    before = config.read_bytes()
    app = PledgeApp(ledger_path, config=config)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        messages = notices.messages
        assert any(str(config) in m and "not valid TOML" in m for m in messages), messages
        assert app.theme == "textual-dark" and app.dashboard.sort_keys == ()
        await pilot.press("3")
    assert config.read_bytes() == before  # left for the user to fix


async def test_keymap_remaps_a_binding_and_unknown_ids_are_named(ledger_path: Path) -> None:
    config = paths.config_file()
    settings.write(config, Settings(keymap={"dashboard.matrix": "M", "dashboard.nope": "z"}))
    app = PledgeApp(ledger_path, config=config)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        messages = notices.messages
        assert any("dashboard.nope" in m for m in messages), messages
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is app.dashboard  # "m" no longer opens the matrix
        await pilot.press("M")
        await pilot.pause()
        assert type(app.screen).__name__ == "MatrixScreen"


async def test_no_config_reads_and_writes_nothing(ledger_path: Path) -> None:
    config = paths.config_file()
    app = PledgeApp(ledger_path)  # what --no-config runs
    async with app.run_test(size=(120, 36)) as pilot:
        await started(app, pilot)
        await pilot.press("3")
    assert not config.exists() and not os.path.exists(config.parent)


@pytest.mark.parametrize("keys", ["[/nope]", "[bold red]m[/]", "notakey!!", "m, ctrl+alt+shift+zzz!"])
async def test_a_keymap_value_that_is_no_key_is_named_and_the_palette_still_opens(ledger_path: Path, keys: str) -> None:
    """Text like '[/nope]' reached the palette's help, which reads markup: the app crashed."""
    from textual.command import CommandPalette

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[keymap]\n"dashboard.matrix" = {keys!r}\n'.replace("'", '"'))
    app = PledgeApp(ledger_path, config=config)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        assert any("dashboard.matrix" in m and "is not a key name" in m for m in notices.messages), notices.messages
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"matrix")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")  # the keymap line was ignored: m still opens the matrix
        await pilot.pause()
        assert type(app.screen).__name__ == "MatrixScreen"


def test_many_unknown_keymap_ids_are_summed_up() -> None:
    from pledgetui.ui.preferences import Preferences

    prefs = Preferences.__new__(Preferences)
    prefs.settings = Settings(keymap={f"no.such{i}": "z" for i in range(50)})
    prefs.path = Path("config.toml")
    prefs.problems = []
    prefs.check_keymap()
    [message] = prefs.problems
    assert "and 45 more" in message and len(message) < 400


def test_a_keymap_that_takes_another_binding_s_key_says_so() -> None:
    from pledgetui.ui.preferences import Preferences

    prefs = Preferences.__new__(Preferences)
    prefs.settings = Settings(keymap={"dashboard.edit": "E", "dashboard.matrix": "K"})
    prefs.path = Path("config.toml")
    prefs.problems = []
    prefs.check_keymap()
    [message] = prefs.problems
    assert "E (from dashboard.edit_file)" in message and "K (from" not in message
    prefs.settings = Settings(keymap={"dashboard.edit": "E", "dashboard.edit_file": "ctrl+e"})
    prefs.problems = []
    prefs.check_keymap()
    assert prefs.problems == []  # the other binding has a key of its own again


def test_the_last_ledger_is_remembered_even_when_it_became_a_link_to_itself(tmp_path: Path) -> None:
    """Quitting a dashboard whose ledger was replaced meanwhile by a link loop: no exception at exit."""
    from pledgetui.ui.preferences import Preferences

    loop = tmp_path / "pledges.toml"
    loop.symlink_to(loop.name)
    prefs = Preferences(tmp_path / "config.toml")
    prefs.remember(theme="textual-dark", ledger=loop, view=None)
    assert prefs.settings.last_ledger == str(loop)
