"""The compact records, measured: what loading costs in time and memory.

    python -m bench.compact [--runs 5] [--against REV] [--sizes 10000,100000]

For the checkout it runs from (and, with ``--against``, for another revision checked out in a
temporary git worktree, run with this interpreter), each figure in fresh processes, the two
revisions alternating, the median of ``--runs``:

- ``worker``: the dashboard's load worker on the bundled ledger: its imports, the load, the
  session, the index, the journal check, up to the ledger being handed to the screen;
- ``cold N``: ``store.load`` of a synthetic ledger of N entries (``bench.synth``) without the
  cache (the fast reader), and ``cached N`` from the validated cache;
- ``pydantic``: whether the process imported pydantic;
- ``peak MB``: the process's peak resident memory (``VmHWM``) after a cold load of the largest size.

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
    from pledgetui import store
    t1 = time.perf_counter()
    loaded = store.load(path, use_cache=what == "cached", write_cache=what == "prepare")
    seconds = time.perf_counter() - t1
    assert len(loaded.ledger.entries) > 0
peak = 0
with open("/proc/self/status") as fh:
    for line in fh:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "pydantic": "pydantic" in sys.modules}))
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
    print(f"median of {runs} fresh processes; seconds (peak resident MB; pydantic imported)")
    print(f"{'':<14}" + "".join(f"{n[:22]:>26}" for n in names) + ("    ratio" if len(names) == 2 else ""))
    for label, _path in tasks:
        row = f"{label:<14}"
        medians = []
        for name in names:
            got = figures[(label, name)]
            seconds = statistics.median(float(g["seconds"]) for g in got)  # type: ignore[arg-type]
            peak = statistics.median(int(g["peak"]) for g in got) / 2**20  # type: ignore[call-overload]
            medians.append((seconds, peak))
            row += f"{seconds:>12.3f} ({peak:6.0f} MB; {'yes' if got[0]['pydantic'] else 'no':>3})"
        if len(names) == 2:
            (s0, p0), (s1, p1) = medians
            row += f"   {s0 / s1:5.2f}x time, {p0 / p1:4.2f}x peak"
        print(row)


if __name__ == "__main__":
    main()
