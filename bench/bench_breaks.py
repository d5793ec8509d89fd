"""Benchmark: score every boundary of a 1,000,000-word manuscript (target: under 30 s, 2 cores).

    .venv/bin/python bench/bench_breaks.py [--words N]

The manuscript is built from the dev works' paragraphs, repeated, in chapters of ~5,000 words,
so its mix of narration and dialogue is a real book's.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bookbuild.breaks.candidates import rank_boundaries
from bookbuild.breaks.corpus import load_set
from bookbuild.breaks.model import load_model

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev"
CHAPTER_WORDS = 5000


def manuscript(words: int) -> list[list[str]]:
    """Chapters of real paragraphs adding up to about ``words`` words."""
    pool = [text for work in load_set(DEV) for chapter in work.chapters for text in chapter]
    chapters: list[list[str]] = [[]]
    count = chapter_count = 0
    while count < words:
        text = pool[sum(len(c) for c in chapters) % len(pool)]
        chapters[-1].append(text)
        count += len(text.split())
        chapter_count += len(text.split())
        if chapter_count >= CHAPTER_WORDS:
            chapters.append([])
            chapter_count = 0
    return [c for c in chapters if c]


def main() -> None:
    """Time the scorer on a synthetic long manuscript."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=int, default=1_000_000)
    args = parser.parse_args()
    chapters = manuscript(args.words)
    paragraphs = sum(len(c) for c in chapters)
    model = load_model()
    started, cpu_started = time.perf_counter(), time.process_time()
    listed = rank_boundaries(chapters, model)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # CPU time too: on a busy machine it is the steadier figure.
    print(
        f"scored {paragraphs} paragraphs ({args.words} words, {len(chapters)} chapters) in {elapsed:.2f}s"
        f" (CPU {cpu:.2f}s); {len(listed)} candidates, {sum(c.placed for c in listed)} placed (target < 30 s)"
    )


if __name__ == "__main__":
    main()
