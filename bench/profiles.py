"""The profiles behind the benchmark's targets: where the time (or the memory) of each measure goes.

Each runs in a fresh child process (``python -m bench.profiles KIND LEDGER``) and prints JSON:
the top lines of a cProfile (by own time) or of tracemalloc (by file). ``bench/run.py`` runs
them for each size and writes the lines under each missed target in docs/benchmarks.md.

- ``start``: the dashboard's start as the load worker does it, in one thread: importing the
  ledger core, reading the ledger (from the cache when one is there), the session, the index
  and the passages;
- ``frame``: the UI thread from the app's start until the loaded table is on screen (headless);
- ``filter``: four free-text filter keystrokes on the loaded dashboard;
- ``viewer``: the first open of the quote viewer;
- ``memory``: what the loaded ledger, its index and passages hold, by file.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import pstats
import sys
import sysconfig
import time
import tracemalloc
from pathlib import Path
from typing import Any

#: Lines kept of each profile.
TOP = 10


def _short(text: str) -> str:
    """File names in ``text`` without this machine's folders: the project's, the environment's,
    the standard library's (``<stdlib>/``)."""
    root = str(Path(__file__).resolve().parent.parent) + "/"
    stdlib = sysconfig.get_paths()["stdlib"] + "/"
    return text.replace(root, "").replace(sys.prefix + "/", "").replace(stdlib, "<stdlib>/")


def _top(profile: cProfile.Profile, total: float) -> list[str]:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(TOP)
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    kept = [_short(line) for line in lines[start:] if line.strip()]
    return [f"total {total * 1000:.0f} ms (profiled)", *kept]


def _load_in_one_thread(path: Path) -> Any:
    from pledgetui import journal, store
    from pledgetui.passages import PassageIndex
    from pledgetui.query import Index
    from pledgetui.session import EditSession
    from pledgetui.verify import Articles

    loaded = store.load(path, write_cache=False)
    session = EditSession(loaded.path, loaded.ledger, loaded.fingerprint)
    index = Index(session.ledger)
    _ = index.counter_positions
    journal.pending(path)
    passages = PassageIndex(session.ledger, Articles(path))
    return session, index, passages


def start(path: Path) -> list[str]:
    profile = cProfile.Profile()
    t = time.perf_counter()
    profile.enable()
    import pledgetui.ui.app  # noqa: F401  (what the process imports before the worker starts)

    _load_in_one_thread(path)
    profile.disable()
    return _top(profile, time.perf_counter() - t)


def frame(path: Path) -> list[str]:
    profile = cProfile.Profile()
    t = time.perf_counter()
    profile.enable()
    from pledgetui.ui.app import PledgeApp

    async def run() -> None:
        app = PledgeApp(path)
        async with app.run_test(size=(160, 48)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()

    asyncio.run(run())
    profile.disable()
    return _top(profile, time.perf_counter() - t)


def _on_loaded(path: Path, measure: str) -> list[str]:
    from textual import events

    from pledgetui.ui.app import PledgeApp
    from pledgetui.ui.screens.quote_viewer import QuoteViewer

    lines: list[str] = []

    async def run() -> None:
        app = PledgeApp(path)
        async with app.run_test(size=(160, 48)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            profile = cProfile.Profile()
            t = time.perf_counter()
            if measure == "filter":
                for text in ("f", "fr", "fra", "fran"):
                    profile.enable()
                    app.dashboard.apply_filter(text)
                    profile.disable()
                    await pilot.pause()
            else:
                profile.enable()
                app._driver.send_message(events.Key("v", "v"))  # type: ignore[union-attr]
                while not isinstance(app.screen, QuoteViewer):
                    await pilot.pause(0.001)
                await pilot.pause()
                profile.disable()
            lines.extend(_top(profile, time.perf_counter() - t))

    asyncio.run(run())
    return lines


def memory(path: Path) -> list[str]:
    tracemalloc.start()
    _session, index, passages = _load_in_one_thread(path)
    index.prepare()
    passages.prime()
    current, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot()
    lines = [f"held {current / 1e6:.0f} MB, peak {peak / 1e6:.0f} MB (traced)"]
    for stat in snapshot.statistics("lineno")[:TOP]:
        frame = stat.traceback[0]
        name = _short(frame.filename)
        lines.append(f"{stat.size / 1e6:8.1f} MB  {stat.count:>9,} blocks  {name}:{frame.lineno}")
    return lines


KINDS = {
    "start": start,
    "frame": frame,
    "filter": lambda p: _on_loaded(p, "filter"),
    "viewer": lambda p: _on_loaded(p, "viewer"),
    "memory": memory,
}


def main(argv: list[str]) -> int:
    kind, ledger = argv
    print(json.dumps(KINDS[kind](Path(ledger))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
