"""Measure how many scene breaks the training works have per 1,000 words; write break_rate.json.

The build's review line says roughly how many breaks a story of its length usually has; the
figure comes from here, measured once on the same works the scorer learns from, so it is data
beside the model rather than a number written into the code.
"""

from __future__ import annotations

import argparse
import bisect
import json
import statistics
import sys
from pathlib import Path

from bookbuild.breaks.corpus import Work, load_set

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRAIN = ROOT.parent / "shared" / "eval" / "train"
DEFAULT_OUT = ROOT / "bookbuild" / "breaks" / "break_rate.json"


# Chapter lengths (words) where one band ends and the next begins: a long chapter holds more
# breaks per word than a short one (a novel's chapter ends where a story's scene would break),
# so a one-chapter story of 11,000 words is measured against chapters of its own length.
BAND_EDGES = (1500, 3000, 5000, 8000)


def _by_chapter_length(works: list[Work]) -> list[dict[str, float | int | None]]:
    """Each band's pooled breaks per 1,000 words (the last band has no upper end)."""
    words = [0] * (len(BAND_EDGES) + 1)
    breaks = [0] * (len(BAND_EDGES) + 1)
    for work in works:
        for texts, flags in zip(work.chapters, work.breaks, strict=True):
            count = sum(len(text.split()) for text in texts)
            band = bisect.bisect_right(BAND_EDGES, count)
            words[band] += count
            breaks[band] += sum(flags)
    return [
        {"words_below": edge, "per_1000_words": round(1000 * b / w, 3) if w else 0.0}
        for edge, w, b in zip([*BAND_EDGES, None], words, breaks, strict=True)
    ]


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
    bands = _by_chapter_length(works)
    data = {
        "what": "scene breaks per 1,000 words of story in the training works: quartiles across works",
        "works": len(works),
        "words": sum(w.words() for w in works),
        "breaks": sum(w.break_count() for w in works),
        "per_1000_words": {"low": round(low, 3), "median": round(median, 3), "high": round(high, 3)},
        "by_chapter_length": {
            "what": "breaks per 1,000 words in the chapters of each length band, all works pooled",
            "bands": bands,
        },
    }
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {data['per_1000_words']} over {len(works)} works")
    return 0


if __name__ == "__main__":
    sys.exit(main())
