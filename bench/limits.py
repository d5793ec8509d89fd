"""Time the builds at bookbuild's limits: a 10 MB paragraph, 5,000 chapters, a million words.

    .venv/bin/python bench/limits.py [--pdf] [--keep DIR]

Generates each input into a temporary folder, builds it (EPUB; with --pdf also the PDF of
the million words, which takes minutes) and prints one line per build: seconds and size.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.errors import BookbuildError
from bookbuild.pipeline import build

WORDS = "the a of and to in he she it was said Clark Lex looked away never again quietly city balcony".split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 24))).capitalize() + "."


def make_inputs(folder: Path) -> dict[str, Path]:
    rng = random.Random(7)
    huge = folder / "huge-paragraph.txt"
    parts: list[str] = []
    size = 0
    while size < 10 * 1024 * 1024:
        parts.append(sentence(rng))
        size += len(parts[-1]) + 1
    huge.write_text("Before.\n\n" + " ".join(parts) + "\n\nAfter.\n", encoding="utf-8")

    saga = folder / "five-thousand-chapters"
    saga.mkdir()
    for number in range(1, 5001):
        (saga / f"chapter-{number}.txt").write_text(f"{sentence(rng)}\n\n{sentence(rng)}\n", encoding="utf-8")

    million = folder / "million-words.txt"
    paragraphs, count = [], 0
    while count < 1_000_000:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(1, 8)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    million.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return {"10 MB paragraph": huge, "5,000 chapters": saga, "1,000,000 words": million}


def timed(label: str, source: Path, outdir: Path, formats: tuple[str, ...]) -> None:
    start = time.perf_counter()
    try:
        _result, written = build(source, BuildConfig(outdir=outdir, formats=formats))
        outcome = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in written)
    except BookbuildError as error:
        outcome = f"error: {error}"
    print(f"{label:18} {'+'.join(formats):8} {time.perf_counter() - start:7.1f} s  {outcome}")


def main() -> None:
    """Generate the inputs, build each, print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="also print the million words (slow)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        inputs = make_inputs(folder)
        for label, source in inputs.items():
            timed(label, source, folder / "out", ("epub",))
        if args.pdf:
            timed("1,000,000 words", inputs["1,000,000 words"], folder / "out", ("pdf",))


if __name__ == "__main__":
    main()
