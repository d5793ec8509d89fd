"""Deterministic benchmark manuscripts: book folders of N words cut into chapters, from the sample book."""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "manuscript"

BOOK_TOML = """title = "Benchmark {words} Words"
author = "Bench Writer"
language = "en"
"""


def sample_paragraphs() -> list[str]:
    """The prose paragraphs of the sample book, headings and notes left out."""
    paragraphs: list[str] = []
    for path in sorted(SAMPLE.glob("*.md")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            block = block.strip()
            if block and not block.startswith("#") and ":" not in block[:20] and len(block.split()) > 4:
                paragraphs.append(block)
    return paragraphs


def plain_sentences(paragraphs: list[str]) -> list[str]:
    """The sentences that quote no one and emphasise nothing, to vary the drawn paragraphs with."""
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", p)]
    return [s for s in sentences if len(s.split()) > 3 and not re.search(r"[\"'“”‘’*_]", s)]


def generate(folder: Path, words: int, chapters: int, seed: int = 1, marked: bool = True) -> Path:
    """Write a book folder of about ``words`` words in ``chapters`` chapter files; returns the folder.

    With ``marked`` false no scene-break marker is written (a saved story's usual case: the
    build then infers where the breaks were).
    """
    rng = random.Random(seed)
    pool = sample_paragraphs()
    # Each drawn paragraph gains two sentences from elsewhere, so that paragraphs hardly ever
    # repeat: a real book does not, and a cache keyed by a paragraph's text would flatter it.
    sentences = plain_sentences(pool)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.toml").write_text(BOOK_TOML.format(words=words), encoding="utf-8")
    per_chapter = max(1, words // chapters)
    for number in range(1, chapters + 1):
        lines = [f"# Chapter {number}", ""]
        count = 0
        since_break = 0
        while count < per_chapter:
            paragraph = " ".join([rng.choice(pool), rng.choice(sentences), rng.choice(sentences)])
            lines += [paragraph, ""]
            count += len(paragraph.split())
            since_break += 1
            if since_break > 12 and rng.random() < 0.1 and count < per_chapter:
                lines += ["* * *", ""] if marked else []
                since_break = 0
        (folder / f"chapter-{number:04d}.md").write_text("\n".join(lines), encoding="utf-8")
    return folder


def edit_chapter(folder: Path, number: int, grow: bool = False) -> Path:
    """Change one chapter in place: a word replaced, or (``grow``) some pages added; returns its path."""
    path = folder / f"chapter-{number:04d}.md"
    text = path.read_text(encoding="utf-8")
    if grow:
        paragraph = sample_paragraphs()[0]
        text = text.rstrip("\n") + "\n\n" + "\n\n".join([paragraph] * 24) + "\n"
    else:
        text = text.replace(" the ", " a ", 1)
    path.write_text(text, encoding="utf-8")
    return path


def single_file(folder: Path, target: Path) -> Path:
    """A book folder's chapters in one Markdown file (for tools that read one file); returns it."""
    chapters = sorted(folder.glob("chapter-*.md"))
    target.write_text("\n\n".join(path.read_text(encoding="utf-8") for path in chapters), encoding="utf-8")
    return target
