"""Shelf throughput: many generated works through ``bookbuild shelf``, books per minute with 1 and 2 jobs."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from bench.manuscripts import generate
from bench.measure import Measurement, run

BIN = Path(sys.executable).parent
# Chapters of a generated work: a long one-shot cut into chapters of about a thousand words.
CHAPTERS = 10


def make_works(folder: Path, books: int, words: int) -> Path:
    """``books`` book folders of ``words`` words each, every one with its own text; returns their parent."""
    for number in range(1, books + 1):
        generate(folder / f"work-{number:04d}", words, CHAPTERS, seed=number)
    return folder


def throughput(work: Path, books: int, words: int, jobs: tuple[int, ...] = (1, 2)) -> list[Measurement]:
    """One shelf run per job count (EPUB + PDF, empty output and cache), then a run that skips every book."""
    shelf = make_works(work / "shelf", books, words)
    rows = []
    for count in jobs:
        out = work / f"shelf-out-{count}"
        measured = run(f"shelf {books} × {words // 1000}k words, EPUB + PDF, --jobs {count}",
                       [str(BIN / "bookbuild"), "-q", "shelf", str(shelf), "-o", str(out), "--jobs", str(count),
                        "--no-cache"], timeout=4 * 3600)
        rows.append(_rated(measured, books))
    again = run(f"shelf {books} × {words // 1000}k words again, nothing changed (all skipped)",
                [str(BIN / "bookbuild"), "-q", "shelf", str(shelf), "-o", str(work / f"shelf-out-{jobs[-1]}"),
                 "--jobs", str(jobs[-1])])
    rows.append(again)
    return rows


def _rated(measured: Measurement, books: int) -> Measurement:
    """The row's label with books a minute and CPU seconds a book."""
    rate = f"{60 * books / measured.wall:.1f} books/min, {measured.cpu / books:.2f} CPU s/book"
    return dataclasses.replace(measured, label=f"{measured.label}: {rate}")


if __name__ == "__main__":
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Shelf throughput on its own (python -m bench.shelf).")
    parser.add_argument("--books", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bookbuild-bench-shelf-") as folder:
        for row in throughput(Path(folder), args.books, args.words, tuple(args.jobs)):
            print(f"{row.label:<90} {row.wall:8.1f} s  cpu {row.cpu:8.1f} s  {row.peak_mb:6.0f} MB  "
                  f"{'ok' if row.ok else row.note}", flush=True)
