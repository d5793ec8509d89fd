"""Time `bookbuild build X --format epub` on a 1,000,000-word manuscript with no scene-break markers.

    .venv/bin/python -m bench.unmarked [--words N] [--runs 3] [--other /path/to/checkout]

Without markers every boundary is scored, the candidates named and the review list kept, so this
is the scene-break scorer's share of a real build. With ``--other`` the runs alternate between this
checkout and another one (its ``bookbuild`` package first on the path), so a shared machine's load
falls on both alike; the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench.manuscripts import generate
from bench.measure import run

ROOT = Path(__file__).resolve().parent.parent


def _load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    """Generate the manuscript once, then time alternating builds."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--chapters", type=int, default=250)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--other", type=Path, help="a second checkout to alternate with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-unmarked-") as work:
        book = generate(Path(work) / "book", args.words, args.chapters, marked=False)
        checkouts = {"this": ROOT} | ({"other": args.other.resolve()} if args.other else {})
        walls: dict[str, list[float]] = {name: [] for name in checkouts}
        print(f"load before: {_load()}")
        for attempt in range(args.runs):
            for name, checkout in checkouts.items():
                env = dict(os.environ, PYTHONPATH=str(checkout))
                # -P: no current folder on the path, so PYTHONPATH picks the checkout (run from a
                # checkout, ``-m bookbuild`` would otherwise import that one for both sides).
                command = [sys.executable, "-P", "-m", "bookbuild", "-q", "build", str(book), "-o",
                           str(Path(work) / f"out-{name}"), "--format", "epub"]
                measured = run(f"{name} {attempt}", command, env=env)
                walls[name].append(measured.wall)
                print(f"  {name:5s} run {attempt + 1}: wall {measured.wall:.2f} s, CPU {measured.cpu:.2f} s,"
                      f" peak {measured.peak_mb:.0f} MB{'' if measured.ok else ' FAILED'}")
        print(f"load after: {_load()}")
        for name, values in walls.items():
            print(f"{name}: median wall {statistics.median(values):.2f} s over {len(values)} runs")


if __name__ == "__main__":
    main()
