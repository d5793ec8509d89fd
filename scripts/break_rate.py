"""Measure how many scene breaks the training works have per 1,000 words; write break_rate.json.

The build's review line says roughly how many breaks a story of its length usually has; the
figure comes from here, measured once on the same works the scorer learns from, so it is data
beside the model rather than a number written into the code.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from bookbuild.breaks.corpus import load_set

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRAIN = ROOT.parent / "shared" / "eval" / "train"
DEFAULT_OUT = ROOT / "bookbuild" / "breaks" / "break_rate.json"


def main(argv: list[str] | None = None) -> int:
    """Read the training works, take the quartiles of their break rates, save them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="folder of training works")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the rates go")
    args = parser.parse_args(argv)
    if not args.train.is_dir():
        print(f"break_rate: no training works at {args.train}", file=sys.stderr)
        return 1
    works = load_set(args.train)
    rates = sorted(1000 * w.break_count() / w.words() for w in works if w.words())
    low, median, high = statistics.quantiles(rates, n=4)
    data = {
        "what": "scene breaks per 1,000 words of story in the training works: quartiles across works",
        "works": len(works),
        "words": sum(w.words() for w in works),
        "breaks": sum(w.break_count() for w in works),
        "per_1000_words": {"low": round(low, 3), "median": round(median, 3), "high": round(high, 3)},
    }
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {data['per_1000_words']} over {len(works)} works")
    return 0


if __name__ == "__main__":
    sys.exit(main())
