"""Benchmark pledgetui at tracker scale against same-run baselines; writes docs/benchmarks.md.

    python -m bench.run                       # bundled ledger, 1k, 10k, 100k
    python -m bench.run --sizes 1000,10000    # fewer sizes
    python -m bench.run --out -               # print the report instead of writing it
    python -m bench.run --changes-only 100000 # only `pledgetui changes` against a cold load
    python -m bench.run --as-of-only --sizes 100000   # only the ledger as of a day vs a cold load

Needs tmux and VisiData (``pip install -r bench/requirements.txt``; not a
runtime dependency). Programs are timed as a person sees them: each runs in a
detached 160x48 tmux session and the pane is polled until a known string
appears. In-process figures (load, save, export; sort, filter, detail, quote
viewer, event-loop stalls) come from fresh child processes, one per measure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
POLL = 0.01
#: Each on-screen figure is the median of this many starts (the machine's own noise is
#: 50-100 ms a start).
REPEAT = 3
#: A private tmux server for the run, kept alive by an idle session (a server whose last
#: session ends shuts down, and a session started meanwhile dies with it).
TMUX = ["tmux", "-L", f"pledgebench{os.getpid()}"]


# --------------------------------------------------------------------------- child: core


def core_child(path: Path, csv_out: Path) -> dict[str, Any]:
    """Load (cold, then cached), save, bare tomli-w dump, CSV export. Runs in a fresh process."""
    import tomli_w

    from pledgetui import canonical, ledgerfile, store
    from pledgetui.export import export_view, write_export

    out: dict[str, Any] = {}
    t = time.perf_counter()
    loaded = store.load(path, use_cache=False)
    out["load_cold"] = time.perf_counter() - t
    t = time.perf_counter()
    store.load(path)  # parses again and writes the cache
    out["load_and_cache"] = time.perf_counter() - t
    t = time.perf_counter()
    cached = store.load(path)
    out["load_cached"] = time.perf_counter() - t
    assert cached.ledger == loaded.ledger
    ledger = loaded.ledger
    out["entries"] = len(ledger.entries)
    out["counter"] = sum(1 for p in ledger.entries if p.is_counter)
    out["bytes"] = path.stat().st_size

    doc = canonical.to_document(ledger)
    t = time.perf_counter()
    tomli_w.dumps(doc, multiline_strings=False)
    out["bare_dump"] = time.perf_counter() - t
    target = path.with_name("saved.toml")
    shutil.copyfile(path, target)
    t = time.perf_counter()
    store.save(ledger, target, expected=ledgerfile.fingerprint(target))
    out["save"] = time.perf_counter() - t

    t = time.perf_counter()
    write_export(csv_out, export_view(ledger, ledger.entries, "csv", "entries"))
    out["csv_export"] = time.perf_counter() - t

    # `pledgetui check` (read, validate, verify every quote, the manual's checks) against a
    # cold load alone, both as fresh processes.
    t = time.perf_counter()
    subprocess.run([PY, "-m", "pledgetui", "check", str(path)], capture_output=True, cwd=ROOT)
    out["check"] = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run(
        [PY, "-c", "import sys; from pledgetui import store; store.load(sys.argv[1], use_cache=False)", str(path)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    out["cold_process"] = time.perf_counter() - t
    out.update(as_of_child(path, loaded.ledger, out["load_cold"]))
    return out


#: The day the as-of figures take: the middle of the synthetic ledgers' stated days (2022-02-24
#: and the 1,500 days after it), so about half the statements are later and the rest are read.
AS_OF_DAY = "2024-03-14"


def as_of_child(path: Path, ledger: Any = None, load_cold: float | None = None) -> dict[str, Any]:
    """The ledger as of :data:`AS_OF_DAY` (``history.as_of``, what ``--as-of`` and the dashboard's
    ``w`` compute), left out and counted, against one cold load of the same file (timed here
    when not given). Runs in a fresh process."""
    import datetime as dt

    from pledgetui import store
    from pledgetui.history import as_of

    out: dict[str, Any] = {}
    if ledger is None or load_cold is None:
        t = time.perf_counter()
        ledger = store.load(path, use_cache=False).ledger
        load_cold = time.perf_counter() - t
    out["as_of_load_cold"] = load_cold
    day = dt.date.fromisoformat(AS_OF_DAY)
    t = time.perf_counter()
    then = as_of(ledger, day)
    out["as_of"] = time.perf_counter() - t
    t = time.perf_counter()
    as_of(ledger, day, count_uncertain=True)
    out["as_of_counted"] = time.perf_counter() - t
    out["as_of_kept"] = len(then.ledger.entries)
    out["as_of_entries"] = len(ledger.entries)
    return out


# --------------------------------------------------------------------------- child: changes

#: The window ``pledgetui changes --since`` is timed on: the synthetic statements span
#: 2022-02-24 .. 2026-04, so this holds more than half of them.
CHANGES_SINCE = "2024-01-01"


def changes_child(path: Path) -> dict[str, Any]:
    """``changes`` in both modes against one cold load of the same file, in a fresh process:
    the window of :data:`CHANGES_SINCE` over the loaded ledger, and the comparison of the
    ledger with a second load of it with one summary edited (every entry compared, none shared)."""
    import datetime as dt

    from pledgetui import store
    from pledgetui.changes import version_changes, window_changes

    out: dict[str, Any] = {}
    t = time.perf_counter()
    ledger = store.load(path, use_cache=False).ledger
    out["load_cold"] = time.perf_counter() - t
    other = store.load(path, use_cache=False).ledger
    first = other.entries[0].model_copy(update={"summary": "edited"})
    other = other.model_copy(update={"entries": (first, *other.entries[1:])})
    t = time.perf_counter()
    found = window_changes(ledger, dt.date.fromisoformat(CHANGES_SINCE))
    out["changes_window"] = time.perf_counter() - t
    out["window_rows"] = len(found.rows)
    t = time.perf_counter()
    rows = version_changes(ledger, other)
    out["changes_versions"] = time.perf_counter() - t
    out["version_rows"] = len(rows)
    out["entries"] = len(ledger.entries)
    return out


def changes_report(r: dict[str, Any]) -> str:
    load = r["load_cold"]
    return (
        f"{r['entries']:,} entries: cold load {_s(load)}; "
        f"changes --since {CHANGES_SINCE} {_s(r['changes_window'])} ({r['window_rows']:,} rows, "
        f"{_ratio(r['changes_window'], load)} of the load); "
        f"changes OLD NEW, the comparison {_s(r['changes_versions'])} ({r['version_rows']} row, "
        f"{_ratio(r['changes_versions'], load)} of the load)"
    )


# --------------------------------------------------------------------------- child: UI


#: How many times the quote viewer (and its baseline) is opened; the first open composes the screen.
OPENS = 6


async def _ui(path: Path) -> dict[str, Any]:
    from textual import events
    from textual.screen import Screen

    from pledgetui.ui.app import PledgeApp
    from pledgetui.ui.screens.quote_viewer import QuoteViewer

    out: dict[str, Any] = {}
    app = PledgeApp(path)
    gaps: list[float] = []
    # Every frame the app draws, with the screen it shows: headless, Textual still lays out and
    # renders each frame (the compositor's work), only the bytes are not written.
    frames: list[tuple[float, Screen]] = []
    display = app._display

    def spy(screen: Screen, renderable: object) -> None:
        if renderable is not None:
            frames.append((time.perf_counter(), screen))
        display(screen, renderable)

    app._display = spy  # type: ignore[method-assign]
    running = True

    async def monitor() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last - 0.005)
            last = now

    async with app.run_test(size=(160, 48)) as pilot:
        task = asyncio.create_task(monitor())
        t = time.perf_counter()
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["headless_loaded"] = time.perf_counter() - t
        out["stall_load"] = max(gaps, default=0.0)
        gaps.clear()

        # Handlers are timed directly (a Pilot round trip adds a constant ~100 ms of its own);
        # the frame that follows redraws only the visible rows.
        def timed(fn) -> float:
            t = time.perf_counter()
            fn()
            return time.perf_counter() - t

        sorts = []
        for n in range(8):
            sorts.append(timed(lambda n=n: app.dashboard.action_sort_column(n)))
            await pilot.pause()
        out["sort_first"] = max(sorts)  # first sort by a column computes its keys
        again = []
        for n in (2, 2, 1, 1):
            again.append(timed(lambda n=n: app.dashboard.action_sort_column(n)))
            await pilot.pause()
        out["sort_again"] = max(again)
        keys = []
        for text in ("f", "fr", "fra", "fran"):
            keys.append(timed(lambda text=text: app.dashboard.apply_filter(text)))
            await pilot.pause()
        out["filter_key_first"] = keys[0]
        out["filter_key_max"] = max(keys)
        out["filter_field"] = timed(lambda: app.dashboard.apply_filter("status:signed"))
        await pilot.pause()
        app.dashboard.apply_filter("")
        await pilot.pause()

        from pledgetui.ui.widgets.detail import DetailPane

        def move() -> None:
            app.dashboard.table.action_cursor(1)
            app.query_one(DetailPane).show(app.dashboard.table.current_entry, app.ledger, app.articles)

        out["detail"] = timed(move)
        await pilot.pause()

        # Opening the quote viewer is timed as the reader sees it: from the key event entering
        # the app (sent the way a terminal driver sends it, not through Pilot.press, whose
        # round trip waits for idle twice) to the last frame the key caused, drawn before the
        # app is idle again (the viewer composes its footer after its first frame; the "complete"
        # frame is the last one). The baseline is the same measure for a key that pushes an
        # empty Screen over the same dashboard, in the same process and run: what any screen
        # change costs in this app on this machine (Textual's own work, the dashboard suspended
        # and resumed). The figures are the difference and the ratio against it; the first open
        # (which composes the viewer) and the median of the later ones (each on the next row).
        app.bind("f12", "bench_empty_screen", show=False)
        app.action_bench_empty_screen = lambda: app.push_screen(Screen())  # type: ignore[attr-defined]

        async def key_to_last_frame(key: str, char: str | None, kind: type[Screen]) -> float:
            await pilot.pause()
            frames.clear()
            t = time.perf_counter()
            app._driver.send_message(events.Key(key, char))  # type: ignore[union-attr]
            while not isinstance(app.screen, kind):
                await pilot.pause(0.001)
            await pilot.pause()
            shown = [when for when, screen in frames if screen is app.screen]
            return (shown[-1] if shown else time.perf_counter()) - t

        empty, viewer = [], []
        for _ in range(OPENS):
            empty.append(await key_to_last_frame("f12", None, Screen))
            app.pop_screen()
            viewer.append(await key_to_last_frame("v", "v", QuoteViewer))
            await pilot.press("escape")
            await pilot.press("down")
            await pilot.pause()
        out["quote_viewer_first"], out["empty_screen_first"] = viewer[0], empty[0]
        out["quote_viewer"], out["empty_screen"] = statistics.median(viewer[1:]), statistics.median(empty[1:])
        out["stall_interaction"] = max(gaps, default=0.0)
        running = False
        await task
    return out


def ui_child(path: Path) -> dict[str, Any]:
    return asyncio.run(_ui(path))


# --------------------------------------------------------------------------- tmux


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])  # utime + stime


def _idle(pid: int, window: float = 0.5) -> bool:
    """The process used (almost) no CPU for ``window`` seconds (or is gone)."""
    before = _cpu_ticks(pid)
    time.sleep(window)
    after = _cpu_ticks(pid)
    return before < 0 or after < 0 or after - before <= 2


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over ``runs`` (a figure missing from a run counts as missing)."""
    out: dict[str, Any] = {"runs": len(runs)}
    for key in runs[0]:
        values = [r.get(key) for r in runs]
        if all(isinstance(v, (int, float)) for v in values):
            out[key] = statistics.median(values)
        else:
            out[key] = values[-1]
    return out


def in_tmux(
    cmd: list[str], marks: dict[str, str], env: dict[str, str], timeout: float = 90.0, settle: Any = None
) -> dict[str, Any]:
    """Seconds from launch until each regex in ``marks`` is on screen, and the peak RSS (VmHWM).
    ``settle``: a check the program is left running for (up to 60 s) before it is stopped."""
    name = f"pledgebench{os.getpid()}_{time.monotonic_ns()}"
    shell = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    t0 = time.perf_counter()
    subprocess.run(
        [*TMUX, "new-session", "-d", "-x", "160", "-y", "48", "-s", name, f"exec env {shell} {shlex.join(cmd)}"],
        check=True,
    )
    found: dict[str, Any] = {}
    pid = None
    try:
        pid = int(
            subprocess.run([*TMUX, "display", "-p", "-t", name, "#{pane_pid}"], capture_output=True, text=True).stdout
        )
        while len(found) < len(marks) and time.perf_counter() - t0 < timeout:
            screen = subprocess.run([*TMUX, "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout
            now = time.perf_counter() - t0
            for key, pattern in marks.items():
                if key not in found and re.search(pattern, screen):
                    found[key] = now
            time.sleep(POLL)
        time.sleep(0.3)
        waited = time.perf_counter()
        while settle is not None and not settle() and time.perf_counter() - waited < 60:
            time.sleep(0.1)
        # Peak memory once the program has gone quiet: what it prepares after the table is
        # live (search text, sort keys, the cache) counts too.
        while pid and not _idle(pid) and time.perf_counter() - waited < 60:
            pass
        found["hwm_mb"] = (_vm_hwm_kb(pid) or 0) / 1024 if pid else None
        found["screen"] = screen
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True)
    return found


# --------------------------------------------------------------------------- driver


def _child(mode: str, *args: str, env: dict[str, str]) -> dict[str, Any]:
    res = subprocess.run(
        [PY, "-m", "bench.run", mode, *args], capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env}
    )
    if res.returncode:
        raise SystemExit(f"{mode} {args} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def user_dirs(work: Path) -> dict[str, str]:
    """The environment that moves every user folder pledgetui writes (data, state, cache and the
    settings: a dashboard that quits remembers its view) into ``work``: a run never touches the
    user's own."""
    return {f"PLEDGETUI_{n.upper()}_DIR": str(work / n) for n in ("data", "state", "cache", "config")}


def measure(label: str, ledger: Path, work: Path, with_datatable: bool) -> dict[str, Any]:
    from pledgetui.export import ENTRY_COLUMNS  # noqa: F401  (the CSV the baselines read)

    print(f"== {label}", file=sys.stderr, flush=True)
    env = user_dirs(work)
    cache = work / "cache"
    csv_path = work / "export.csv"
    r: dict[str, Any] = {"label": label}
    r["core"] = _child(
        "--core", str(ledger), str(csv_path), env={**env, "PLEDGETUI_CACHE_DIR": str(work / "core-cache")}
    )
    r["changes"] = _child("--changes", str(ledger), env=env)
    print(changes_report(r["changes"]), file=sys.stderr, flush=True)
    n_pledges = r["core"]["entries"] - r["core"]["counter"]
    count = rf"\b{n_pledges} of {n_pledges} pledges"
    first_id = re.escape(_first_csv_id(csv_path)[:17])
    n_rows = r["core"]["entries"]

    shutil.rmtree(cache, ignore_errors=True)
    app = [PY, "-m", "pledgetui", str(ledger)]
    # Rows are on screen once the count line says how many have been read, or the final count.
    marks = {"first": r"pledgetui", "rows": rf"entries so far|{count}", "loaded": count}
    # The app writes the validated cache once the table is live; the cold run is left running
    # until it has, so that the cached run below is a later start on the same bytes.
    cached_file = lambda: any((cache / "ledgers").glob("*.marshal")) or r["core"]["entries"] < 2000  # noqa: E731
    colds = []
    for _ in range(REPEAT):  # each a first start: no cache yet
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(in_tmux(app, marks, env, settle=cached_file))
    r["app_cold"] = median_of(colds)
    r["app_cached"] = median_of([in_tmux(app, marks, env) for _ in range(REPEAT)])
    r["ui"] = _child("--ui", str(ledger), env=env)  # cache warm, as a second start is
    r["bare"] = median_of(
        [in_tmux([PY, str(ROOT / "bench" / "bare_app.py")], {"first": "bare-ready"}, env) for _ in range(REPEAT)]
    )
    vd = shutil.which("vd", path=str(Path(PY).parent)) or shutil.which("vd")
    if vd:
        r["visidata"] = median_of(
            [
                in_tmux(
                    [vd, "-f", "csv", str(csv_path)],
                    {"first": first_id, "loaded": rf"\b{n_rows} rows"},
                    {"HOME": str(work)},
                )
                for _ in range(REPEAT)
            ]
        )
    if with_datatable:
        r["datatable"] = in_tmux(
            [PY, "-m", "bench.datatable_app", str(csv_path)], {"first": first_id}, env, timeout=120
        )
    r["profiles"] = {}
    for kind in PROFILES.get(label, ()):
        out = subprocess.run(
            [PY, "-m", "bench.profiles", kind, str(ledger)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, **env},
        )
        r["profiles"][kind] = json.loads(out.stdout) if out.returncode == 0 else [f"failed: {out.stderr[-500:]}"]
    for key in ("app_cold", "app_cached", "bare", "visidata", "datatable"):
        if key in r:
            r[key].pop("screen", None)
    print(json.dumps(r), file=sys.stderr, flush=True)
    return r


def _first_csv_id(path: Path) -> str:
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        return next(reader)[0]


# --------------------------------------------------------------------------- report


def _s(x: float | None) -> str:
    if x is None:
        return "n/a"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or not b else f"{a / b:.2f}x"


def _ok(flag: bool | None) -> str:
    return "n/a" if flag is None else ("met" if flag else "**missed**")


def machine() -> list[str]:
    import textual

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vd = "not installed"
    try:
        from importlib.metadata import version

        vd = version("visidata")
    except Exception:
        pass
    tmux = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (nproc)",
        f"- Python {platform.python_version()}, Textual {textual.__version__}, VisiData {vd}, {tmux}",
        f"- {platform.system()} {platform.machine()}",
    ]


def report(results: list[dict[str, Any]], cmd: str) -> str:
    lines = [
        "# Benchmarks: pledgetui at tracker scale",
        "",
        "Generated by `bench/run.py` in one run; every ratio divides by a baseline measured",
        "in the same run on the same machine (absolute times on a shared machine are noisy).",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## How it is measured",
        "",
        "- *Screen* figures: the program runs in a detached 160x48 tmux session and the pane",
        "  is polled every 10 ms until a known string is on screen. First frame: the title",
        "  (`pledgetui`, `bare-ready`, the first row's id for VisiData and DataTable); first rows:",
        "  pledgetui's count line saying how many entries are shown so far. Loaded: the",
        "  count line `N of N pledges` (pledgetui), `N rows` in VisiData's status line.",
        "  *cold* is the first start on a file (TOML parse + validation, then the cache is written);",
        "  *cached* is a later start on the same bytes (the validated cache is read).",
        f"  Each screen figure is the median of {REPEAT} starts.",
        "- VisiData and the DataTable baseline open the CSV export (pledge rows) of the same ledger.",
        "- Peak memory: `VmHWM` of the program's process once loaded and quiet (no CPU for 0.5 s:",
        "  what it prepares after the table is live counts; a cold start: once the cache is written).",
        "- In-process figures come from fresh child processes: load = read + parse + validate",
        "  (`store.load`); save = `store.save` (serialise, parse back, validate, atomic write with",
        "  backup and fsync, cache refresh) against a bare `tomli_w.dumps` of the same document;",
        "  sort, filter keystroke and detail time the handler (headless, 160x48); the quote viewer is",
        "  timed from its key event to the last frame drawn before the app is idle, against the same",
        "  measure for a key pushing an empty Screen; a stall is the longest time the event loop did",
        "  not run (a 5 ms timer's lateness) while the ledger loaded in its worker.",
        "",
    ]
    for r in results:
        c, u = r["core"], r["ui"]
        bare = r["bare"].get("first")
        vd = r.get("visidata", {})
        cold, warm = r["app_cold"], r["app_cached"]
        dt = r.get("datatable", {})
        lines += [
            f"## {r['label']}: {c['entries']:,} entries, {c['bytes'] / 1e6:.1f} MB TOML",
            "",
            "| measure | pledgetui | baseline | ratio |",
            "|---|---|---|---|",
            f"| first frame (title on screen) | {_s(warm.get('first'))} | bare Textual app {_s(bare)} | {_ratio(warm.get('first'), bare)} |",
            f"| first rows shown, cold start | {_s(cold.get('rows'))} | VisiData first rows {_s(vd.get('first'))} | {_ratio(cold.get('rows'), vd.get('first'))} |",
            f"| first rows shown, cached start | {_s(warm.get('rows'))} | VisiData first rows {_s(vd.get('first'))} | {_ratio(warm.get('rows'), vd.get('first'))} |",
            f"| fully loaded, cold start | {_s(cold.get('loaded'))} | VisiData all rows {_s(vd.get('loaded'))} | {_ratio(cold.get('loaded'), vd.get('loaded'))} |",
            f"| fully loaded, cached start | {_s(warm.get('loaded'))} | VisiData all rows {_s(vd.get('loaded'))} | {_ratio(warm.get('loaded'), vd.get('loaded'))} |",
            f"| table shown vs bare app | {_s(warm.get('loaded'))} | bare Textual app {_s(bare)} | {_ratio(warm.get('loaded'), bare)} |",
        ]
        if dt:
            lines.append(
                f"| table shown vs Textual DataTable | {_s(warm.get('loaded'))} | DataTable first rows {_s(dt.get('first'))} | {_ratio(warm.get('loaded'), dt.get('first'))} |"
            )
        lines += [
            f"| load: parse + validate (in process) | {_s(c['load_cold'])} | | |",
            f"| load from the validated cache (in process) | {_s(c['load_cached'])} | | |",
            f"| sort by a column, first time (max of 8) | {_s(u['sort_first'])} | | |",
            f"| sort by a column again | {_s(u['sort_again'])} | | |",
            f"| one filter keystroke (free text, max of 4) | {_s(u['filter_key_max'])} | | |",
            f"| field filter `status:signed` | {_s(u['filter_field'])} | | |",
            f"| move the cursor (detail pane) | {_s(u['detail'])} | | |",
            f"| open the quote viewer, first time (key to last frame) | {_s(u['quote_viewer_first'])} | push an empty screen, first time {_s(u['empty_screen_first'])} | {_ratio(u['quote_viewer_first'], u['empty_screen_first'])} |",
            f"| open the quote viewer again (median of {OPENS - 1}) | {_s(u['quote_viewer'])} | push an empty screen {_s(u['empty_screen'])} | {_ratio(u['quote_viewer'], u['empty_screen'])} |",
            f"| longest UI stall while loading | {_s(u['stall_load'])} | | |",
            f"| longest UI stall in the interactions | {_s(u['stall_interaction'])} | | |",
            f"| atomic save | {_s(c['save'])} | bare tomli-w dump {_s(c['bare_dump'])} | {_ratio(c['save'], c['bare_dump'])} |",
            f"| `pledgetui check` (a process) | {_s(c['check'])} | cold load (a process) {_s(c['cold_process'])} | {_ratio(c['check'], c['cold_process'])} |",
            f"| CSV export (pledge rows) | {_s(c['csv_export'])} | | |",
            f"| the ledger as of {AS_OF_DAY} (`--as-of`, in process) | {_s(c['as_of'])} | cold load (in process) {_s(c['load_cold'])} | {_ratio(c['as_of'], c['load_cold'])} |",
            f"| peak memory, cached start | {warm.get('hwm_mb', 0):.0f} MB | VisiData {vd.get('hwm_mb') or 0:.0f} MB | {_ratio(warm.get('hwm_mb'), vd.get('hwm_mb'))} |",
            f"| peak memory, cold start | {cold.get('hwm_mb', 0):.0f} MB | VisiData {vd.get('hwm_mb') or 0:.0f} MB | {_ratio(cold.get('hwm_mb'), vd.get('hwm_mb'))} |",
            "",
        ]
    lines += ["## Targets", "", *targets(results), "", *profiles_section(results)]
    lines += ["## Reproduce", "", "```", *REPRODUCE, cmd, "```", ""]
    return "\n".join(lines)


MARKER = "<!-- analysis: kept when bench/run.py rewrites the tables above -->"

REPRODUCE = [
    "pip install -e '.[test]' -r bench/requirements.txt   # VisiData, for the benchmark only",
    "apt-get install tmux                                 # or your system's package manager",
]


#: The profiles taken at each size (``bench/profiles.py``): what bounds the start, the load,
#: the filter keystroke, the quote viewer and the memory.
PROFILES = {
    "bundled": ("start", "frame", "viewer"),
    "1k": ("start", "frame"),
    "10k": ("start",),
    "100k": ("start", "filter", "viewer", "memory"),
}
PROFILE_TITLES = {
    "start": "the load worker's work in one thread: importing the ledger core, the load, session, index, passages",
    "frame": "the UI thread from the start until the loaded table is drawn (headless)",
    "filter": "four free-text filter keystrokes",
    "viewer": "the quote viewer's first open",
    "memory": "what the loaded ledger, its index and passages hold (tracemalloc, by line)",
}


def profiles_section(results: list[dict[str, Any]]) -> list[str]:
    lines = ["## Profiles", "", "Top lines of each profile (cProfile by own time; tracemalloc by line), this run.", ""]
    for r in results:
        for kind, top in r.get("profiles", {}).items():
            lines += [f"### {r['label']}: {PROFILE_TITLES[kind]}", "", "```", *top, "```", ""]
    return lines


def targets(results: list[dict[str, Any]]) -> list[str]:
    """Each target of the one-schema work, met or missed, from this run's figures."""
    by = {r["label"]: r for r in results}
    out = ["| target | measured | |", "|---|---|---|"]

    def ratio(a, b):
        return None if a is None or not b else a / b

    def row(text: str, x: float | None, limit: float) -> None:
        out.append(
            f"| {text} <= {limit}x | {'n/a' if x is None else f'{x:.2f}x'} | {_ok(None if x is None else x <= limit)} |"
        )

    for label, limit in (("bundled", 1.3), ("1k", 1.4)):
        if label in by:
            r = by[label]
            row(
                f"{label}: table with its rows on screen (cached start) / bare Textual app's first frame",
                ratio(r["app_cached"].get("loaded"), r["bare"].get("first")),
                limit,
            )
    for label, cold_limit, cached_limit in (("10k", 1.5, 1.0), ("100k", 2.0, 1.0)):
        if label not in by:
            continue
        r = by[label]
        vd = r.get("visidata", {})
        row(f"{label}: fully loaded, cold / VisiData", ratio(r["app_cold"].get("loaded"), vd.get("loaded")), cold_limit)
        row(
            f"{label}: fully loaded, cached / VisiData",
            ratio(r["app_cached"].get("loaded"), vd.get("loaded")),
            cached_limit,
        )
    if "100k" in by:
        r = by["100k"]
        vd = r.get("visidata", {})
        for kind in ("app_cold", "app_cached"):
            row(f"100k: peak memory ({kind[4:]}) / VisiData", ratio(r[kind].get("hwm_mb"), vd.get("hwm_mb")), 1.5)
        u = r["ui"]
        key = u["filter_key_max"]
        out.append(f"| 100k: one free-text filter keystroke <= 30 ms | {_s(key)} | {_ok(key <= 0.03)} |")
        out.append(
            f"| 100k: UI never stalls > 50 ms while loading | {_s(u['stall_load'])} | {_ok(u['stall_load'] <= 0.05)} |"
        )
    # What the viewer adds to a screen change: its first open less an empty screen's first, same run.
    over = [(r["ui"]["quote_viewer_first"] - r["ui"]["empty_screen_first"], r["label"]) for r in results]
    if over:
        worst, label = max(over)
        out.append(
            f"| quote viewer, first open, over an empty screen (any size) <= 50 ms | {_s(worst)} ({label}) | {_ok(worst <= 0.05)} |"
        )
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["--core"]:
        print(json.dumps(core_child(Path(argv[1]), Path(argv[2]))))
        return 0
    if argv[:1] == ["--as-of"]:
        print(json.dumps(as_of_child(Path(argv[1]))))
        return 0
    if argv[:1] == ["--ui"]:
        print(json.dumps(ui_child(Path(argv[1]))))
        return 0
    if argv[:1] == ["--changes"]:
        print(json.dumps(changes_child(Path(argv[1]))))
        return 0
    if argv[:1] == ["--changes-only"]:  # python -m bench.run --changes-only 100000: only the changes figures
        from bench.synth import write_ledger

        with tempfile.TemporaryDirectory(prefix="pledgebench-") as tmp:
            path = write_ledger(Path(tmp) / "pledges.toml", int(argv[1]))
            env = user_dirs(Path(tmp))
            print(changes_report(_child("--changes", str(path), env=env)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes", default="1000,10000,100000", help="comma-separated entry counts (default: 1000,10000,100000)"
    )
    ap.add_argument("--no-bundled", action="store_true", help="skip the bundled ledger")
    ap.add_argument("--no-datatable", action="store_true", help="skip the DataTable baseline (slow at 100k)")
    ap.add_argument(
        "--as-of-only",
        action="store_true",
        help="only time the ledger as of a day against a cold load, for each size; print the ratios",
    )
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"), help="report file, or - for stdout")
    ns = ap.parse_args(argv)
    if ns.as_of_only:
        return run_as_of(ns)
    if not shutil.which("tmux"):
        print("bench: tmux is required", file=sys.stderr)
        return 2

    # Measured as installed: pip writes the bytecode of an installed package, and an editable
    # install writes it on the first start, unless PYTHONDONTWRITEBYTECODE is set; with it set
    # every start would compile pledgetui's modules again (about 30 ms), while Textual's are
    # read from bytecode. Write it once, before any start is timed.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "pledgetui"), str(ROOT / "bench")], check=True)
    results = []
    subprocess.run([*TMUX, "new-session", "-d", "-s", "keeper", "sleep 86400"], check=True)
    try:
        run_all(ns, results)
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)
    shown = [a for i, a in enumerate(argv) if a != "--out" and (i == 0 or argv[i - 1] != "--out")]
    shown = [a for a in shown if not a.startswith("--out=")]  # where this copy went: a path of this machine
    cmd = "python -m bench.run" + ("" if not shown else " " + shlex.join(shown))
    text = report(results, cmd)
    if ns.out == "-":
        print(text)
    else:
        out = Path(ns.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        kept = ""
        if out.is_file():  # the hand-written analysis below the marker survives a re-run
            old = out.read_text(encoding="utf-8")
            if MARKER in old:
                kept = "\n" + old[old.index(MARKER) :]
        out.write_text(text + kept, encoding="utf-8")
        print(f"wrote {ns.out}", file=sys.stderr)
    return 0


def run_as_of(ns: argparse.Namespace) -> int:
    """``--as-of-only``: each size's ledger as of :data:`AS_OF_DAY` against its cold load, each
    measured in a fresh process, printed as a ratio (no tmux, no report written)."""
    from bench.synth import write_ledger

    with tempfile.TemporaryDirectory(prefix="pledgebench-") as tmp:
        for n in (int(x) for x in ns.sizes.split(",") if x.strip()):
            print(f"generating {n:,} entries", file=sys.stderr, flush=True)
            path = write_ledger(Path(tmp) / str(n) / "pledges.toml", n)
            r = _child("--as-of", str(path), env=user_dirs(path.parent))
            print(
                f"{n:,} entries: as of {AS_OF_DAY} {_s(r['as_of'])} (uncertain counted {_s(r['as_of_counted'])}; "
                f"{r['as_of_kept']:,} of {r['as_of_entries']:,} entries kept) vs cold load {_s(r['as_of_load_cold'])}: "
                f"{_ratio(r['as_of'], r['as_of_load_cold'])}"
            )
    return 0


def run_all(ns: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    from bench.synth import write_ledger
    from pledgetui.paths import bundled_ledger, bundled_root

    with tempfile.TemporaryDirectory(prefix="pledgebench-") as tmp:
        base = Path(tmp)
        jobs: list[tuple[str, Path]] = []
        if not ns.no_bundled:
            folder = base / "bundled"
            folder.mkdir()
            shutil.copytree(bundled_root() / "seeds", folder / "seeds")
            shutil.copyfile(bundled_ledger(), folder / "pledges.toml")
            jobs.append(("bundled", folder / "pledges.toml"))
        for n in (int(x) for x in ns.sizes.split(",") if x.strip()):
            label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
            print(f"generating {n:,} entries", file=sys.stderr, flush=True)
            jobs.append((label, write_ledger(base / label / "pledges.toml", n)))
        for label, path in jobs:
            results.append(measure(label, path, path.parent, with_datatable=not ns.no_datatable))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
