"""The compact records, measured: what loading costs in time and memory.

    python -m bench.compact [--runs 5] [--against REV] [--sizes 10000,100000]

For the checkout it runs from (and, with ``--against``, for another revision checked out in a
temporary git worktree, run with this interpreter), each figure in fresh processes, the two
revisions alternating, the median of ``--runs``:

- ``worker``: the dashboard's load worker on the bundled ledger: its imports, the load, the
  session, the index, the journal check, up to the ledger being handed to the screen;
- ``cold N``: ``store.load`` of a synthetic ledger of N entries (``bench.synth``) without the
  cache (the fast reader), and ``cached N`` from the validated cache: the load alone, and the
  whole process (its imports and the load);
- ``peak``: the process's peak resident memory (``VmHWM``) after the load; ``held``: what the
  load added to the resident memory and kept (the ledger, once its file's bytes are let go);
- ``pydantic``: whether the process imported pydantic.

Prints numbers and, with ``--against``, the ratio this checkout / the other; asserts nothing
about time. Other engineers share the machine: compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: Runs in a fresh interpreter: ``argv``: what, the ledger; prints seconds and memory as JSON.
CHILD = r"""
import time
t0 = time.perf_counter()
import json, sys
what, path = sys.argv[1], sys.argv[2]


def resident(field):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


held = 0
if what == "worker":
    from pledgetui import gcpause, journal, sanitize, store
    from pledgetui.ledgerfile import LedgerError
    from pledgetui.passages import PassageIndex
    from pledgetui.query import Index
    from pledgetui.session import EditSession
    from pledgetui.verify import Articles
    loaded = store.load(path, write_cache=False)
    session = EditSession(loaded.path, loaded.ledger, loaded.fingerprint)
    index = Index(session.ledger)
    _ = index.counter_positions
    journal.pending(path)
    PassageIndex(session.ledger, Articles(path))
    seconds = time.perf_counter() - t0
else:
    import gc
    from pledgetui import store
    before = resident("VmRSS")
    t1 = time.perf_counter()
    stages = []
    loaded = store.load(
        path,
        use_cache=what in ("cached", "prepare"),
        write_cache=what == "prepare",
        progress=lambda stage, fraction: stages.append(stage),
    )
    seconds = time.perf_counter() - t1
    assert len(loaded.ledger.entries) > 0
    assert what != "cached" or "parsing" not in stages, "not read from the cache"
    gc.collect()
    held = resident("VmRSS") - before
total = time.perf_counter() - t0
out = {"seconds": seconds, "total": total, "peak": resident("VmHWM"), "held": held, "pydantic": "pydantic" in sys.modules}
print(json.dumps(out))
"""


def _child(root: Path, what: str, ledger: Path, dirs: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    for name in ("DATA", "STATE", "CACHE", "CONFIG"):
        env[f"PLEDGETUI_{name}_DIR"] = str(dirs / name.lower())
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, what, str(ledger)], capture_output=True, text=True, cwd=root, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"{root} {what}: {done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", help="another revision to measure side by side (a git worktree of it)")
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    with tempfile.TemporaryDirectory(prefix="bench-compact-") as tmp:
        base = Path(tmp)
        roots = {"this": REPO}
        if args.against:
            other = base / "against"
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(other), args.against], check=True
            )
            roots[args.against] = other
        try:
            _measure(base, roots, sizes, args.runs)
        finally:
            if args.against:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(base / "against")], check=False
                )


def _measure(base: Path, roots: dict[str, Path], sizes: list[int], runs: int) -> None:
    from bench.synth import write_ledger
    from pledgetui.paths import bundled_ledger

    ledgers = {n: write_ledger(base / f"ledger{n}" / "pledges.toml", n, seed=1) for n in sizes}
    dirs = {name: base / f"user-{i}" for i, name in enumerate(roots)}
    for name, root in roots.items():  # each revision writes its own cache of each ledger
        for path in ledgers.values():
            _child(root, "prepare", path, dirs[name])
    tasks = [("worker", bundled_ledger())]
    for n, path in ledgers.items():
        tasks += [(f"cold {n}", path), (f"cached {n}", path)]
    figures: dict[tuple[str, str], list[dict[str, object]]] = {}
    for _ in range(runs):
        for label, path in tasks:
            for name, root in roots.items():  # alternating: the machine's load falls on both alike
                what = label.split()[0]
                figures.setdefault((label, name), []).append(_child(root, what, path, dirs[name]))
    names = list(roots)
    print(f"median of {runs} fresh processes: load s / process s (imports + load) / peak MB / held MB / pydantic")
    ratios = "   this/other: load, process, peak, held" if len(names) == 2 else ""
    print(f"{'':<14}" + "".join(f"{n[:36]:>42}" for n in names) + ratios)
    for label, _path in tasks:
        row = f"{label:<14}"
        medians = []
        for name in names:
            got = figures[(label, name)]
            seconds = statistics.median(float(g["seconds"]) for g in got)  # type: ignore[arg-type]
            total = statistics.median(float(g["total"]) for g in got)  # type: ignore[arg-type]
            peak = statistics.median(int(g["peak"]) for g in got) / 2**20  # type: ignore[call-overload]
            held = statistics.median(int(g["held"]) for g in got) / 2**20  # type: ignore[call-overload]
            medians.append((seconds, total, peak, held))
            pydantic = "yes" if got[0]["pydantic"] else "no"
            row += f"{seconds:>10.3f} {total:>8.3f} {peak:>7.0f} {held:>7.0f} {pydantic:>4}"
        if len(names) == 2:
            (s0, t0, p0, h0), (s1, t1, p1, h1) = medians
            row += f"   {s0 / s1:5.2f}x {t0 / t1:5.2f}x {p0 / p1:5.2f}x"
            row += f" {h0 / h1:5.2f}x" if h1 > 0 else ""
        print(row)


if __name__ == "__main__":
    main()
