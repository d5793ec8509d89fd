"""Benchmark: typeset a generated 1,000,000-word manuscript (target: under 2 s on one core).

    .venv/bin/python bench/bench_typography.py [--words N] [--repeat R]

The manuscript is made of dialogue and narration typed the ASCII way (straight quotes,
--, ..., 'em, 1990-1995), with about one paragraph in ten carrying emphasis, so both the
joined path and the span-by-span path are measured. Only the transform is timed.
"""

from __future__ import annotations

import argparse
import random
import time

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Emph, Meta, Paragraph, Role, Section, Text
from bookbuild.transforms.typography import typeset

WORDS = (
    "the of and a to in he was it his that she her had with for on as you not at but be him "
    "they said from what all were when there would could Clark Lex Lois looked back into "
    "over just then only down time before after night city again never knew something"
).split()
SHAPES = (
    '"{a}," {b} said. "{c}?"',
    "{a}--{b}--{c}.",
    "'{a},' {b} thought. '{c}'s right.'",
    '"{a}..." {b} can\'t {c}.',
    "{a} - {b} - {c} in 1990-1995, 'til the '90s.",
    '"{a}-" "{b}!" {c} o\'clock, rock \'n\' roll.',
    "{a} {b} {c}.",
    "{a} {b}. {c}, wasn't it?",
)


def sentence(rng: random.Random) -> str:
    parts = {k: " ".join(rng.choices(WORDS, k=rng.randint(3, 9))) for k in "abc"}
    return rng.choice(SHAPES).format(**parts)


def manuscript(words: int, seed: int = 7) -> Book:
    """A book of about ``words`` words, one chapter per ~5,000 words."""
    rng = random.Random(seed)
    sections, blocks, count, chapter_words = [], [], 0, 0
    while count < words:
        text = " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.1:
            cut = text.find(" ", len(text) // 2)
            inlines = (Text(text[:cut] + " "), Emph((Text(text[cut + 1 :]),)))
        else:
            inlines = (Text(text),)
        blocks.append(Paragraph(inlines, line=len(blocks) + 1))
        n = text.count(" ") + 1
        count += n
        chapter_words += n
        if chapter_words >= 5000:
            sections.append(Section(Role.CHAPTER, tuple(blocks)))
            blocks, chapter_words = [], 0
    if blocks:
        sections.append(Section(Role.CHAPTER, tuple(blocks)))
    return Book(Meta(title="Bench"), tuple(sections))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    book = manuscript(args.words)
    paragraphs = sum(len(s.blocks) for s in book.sections)
    cfg = BuildConfig()
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        _, decisions = typeset(book, cfg)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(f"typeset {args.words:,} words in {paragraphs:,} paragraphs: best {best:.2f} s of {args.repeat} "
          f"({args.words / best / 1e6:.2f} M words/s); {len(decisions)} decisions; "
          f"target < 2 s: {'ok' if best < 2 else 'SLOW'}")


if __name__ == "__main__":
    main()
