"""How the time to order merged records grows with their number (``pledgetui.merge``).

Two sides that each added N records (interleaved, as an import or a split ledger joined
again). Prints the time for N and for 2N and their ratio: about 2 when ordering is linear,
about 4 when it is quadratic (as it was with a list insert per key).

    python -m bench.merge_order [N]
"""

from __future__ import annotations

import sys
import time

from pledgetui.merge import _order


def timed(n: int) -> float:
    ours = [f"o{i}" for i in range(n)]
    theirs = [k for i in range(n) for k in (f"o{i}", f"t{i}")]
    kept = set(ours) | set(theirs)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        _order([], ours, theirs, kept)
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 40_000
    one, two = timed(n), timed(2 * n)
    print(
        f"{n:,} keys a side: {one * 1000:.0f} ms; {2 * n:,}: {two * 1000:.0f} ms; ratio {two / one:.2f} (linear: about 2)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
