"""Limits and the measure: huge paragraphs, thousands of chapters, a million words, a re-encoded real manuscript."""

from __future__ import annotations

import random
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from bookbuild.config import BuildConfig
from bookbuild.model import Paragraph, plain_text
from bookbuild.pipeline import build, process
from bookbuild.verify import epub_documents

VOCABULARY = (
    "the a of and to in he she it was said Clark Lex looked away never again quietly shining glorious "
    "utopia city balcony railing \"Wait,\" don't can't o'clock self-centered--and well... ten-year-old"
).split()


def sentences(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(4, 24))).capitalize() + "." for _ in range(count)]


MATTER = {"cover", "titlepage", "copyright-page"}  # bookbuild's own pages, not the manuscript's


def story_text(path: Path) -> list[str]:
    """What the scorer reads: each <p> and <hr> of the reading order, headings too."""
    found = []
    for _name, root in epub_documents(path):
        kinds = {kind for e in root.iter() for kind in (e.get("{http://www.idpf.org/2007/ops}type") or "").split()}
        if kinds & MATTER:
            continue
        for element in root.iter("{*}p", "{*}hr", "{*}h1", "{*}h2"):
            found.append(etree.QName(element).localname + ": " + "".join(element.itertext()))
    return found


def _ten_megabyte_paragraph(tmp_path: Path) -> Path:
    """A manuscript of one short paragraph, one of ten megabytes, and one short again."""
    paragraph = " ".join(sentences(90_000, 1))
    while len(paragraph.encode()) < 10 * 1024 * 1024:
        paragraph += " " + paragraph[:1_000_000]
    source = tmp_path / "huge.txt"
    source.write_text(f"Before.\n\n{paragraph}\n\nAfter.\n", encoding="utf-8")
    return source


@pytest.mark.slow
def test_a_ten_megabyte_paragraph_is_read_and_transformed(tmp_path: Path) -> None:
    source = _ten_megabyte_paragraph(tmp_path)
    book = process(source, BuildConfig()).book
    paragraphs = [b for s in book.sections for b in s.blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) == 3
    assert len(plain_text(paragraphs[1].inlines)) >= 10 * 1024 * 1024 * 0.99


@pytest.mark.slow
def test_a_ten_megabyte_paragraph_builds_an_epub(tmp_path: Path) -> None:
    source = _ten_megabyte_paragraph(tmp_path)
    _result, [epub] = build(source, BuildConfig(outdir=tmp_path / "out", formats=("epub",)))
    assert len(story_text(epub)) >= 3


@pytest.mark.slow
def test_five_thousand_chapters(tmp_path: Path) -> None:
    folder = tmp_path / "saga"
    folder.mkdir()
    lines = sentences(10_000, 2)
    for number in range(1, 5001):
        (folder / f"chapter-{number}.txt").write_text(f"{lines[2 * number - 2]}\n\n{lines[2 * number - 1]}\n", encoding="utf-8")
    # Typography off: the paragraphs are compared with the text as typed.
    _result, [epub] = build(folder, BuildConfig(outdir=tmp_path / "out", formats=("epub",), typography=False))
    with zipfile.ZipFile(epub) as archive:
        chapters = [n for n in archive.namelist() if re.search(r"chapter-\d+\.xhtml$", n)]
    assert len(chapters) == 5000
    paragraphs = [t for t in story_text(epub) if t.startswith("p: ")]
    assert paragraphs[:2] == [f"p: {lines[0]}", f"p: {lines[1]}"] and len(paragraphs) == 10_000


@pytest.mark.slow
def test_a_million_words(tmp_path: Path) -> None:
    rng = random.Random(3)
    pool = sentences(20_000, 3)
    paragraphs, count = [], 0
    while count < 1_000_000:
        paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 8)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    source = tmp_path / "long.txt"
    source.write_text("\n\n".join(paragraphs), encoding="utf-8")
    _result, [epub] = build(source, BuildConfig(outdir=tmp_path / "out", formats=("epub",)))
    assert len([t for t in story_text(epub) if t.startswith("p: ")]) == len(paragraphs)


@pytest.mark.slow
def test_a_long_book_as_pdf(tmp_path: Path) -> None:
    """A small stand-in for the million words in print (bench/limits.py runs the full size)."""
    text = "\n\n".join(" ".join(sentences(6, seed)) for seed in range(200))
    source = tmp_path / "long.txt"
    source.write_text(text, encoding="utf-8")
    _result, [pdf] = build(source, BuildConfig(outdir=tmp_path / "out", formats=("pdf",)))
    assert pdf.stat().st_size > 10_000


def test_real_manuscript_from_windows_wrapped_at_72_gives_the_same_story(tmp_path: Path, real_manuscript: Path) -> None:
    """The measure: Windows-1252, CRLF, hard-wrapped at 72 columns, same EPUB story text."""
    original = real_manuscript.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", original) if p.strip()]
    wrapped = "\n\n".join(textwrap.fill(p, width=72, break_long_words=False) for p in paragraphs)
    assert max(len(line) for line in wrapped.split("\n")) <= 72 < max(len(p) for p in paragraphs)
    windows = tmp_path / "windows" / real_manuscript.name
    windows.parent.mkdir()
    windows.write_bytes(wrapped.replace("\n", "\r\n").encode("cp1252"))

    cfg = BuildConfig(formats=("epub",), metadata={"title": "Same"})
    _result, [from_original] = build(real_manuscript, cfg.with_changes(outdir=tmp_path / "a"))
    _result, [from_windows] = build(windows, cfg.with_changes(outdir=tmp_path / "b"))
    expected = story_text(from_original)
    assert len(expected) > 300
    assert story_text(from_windows) == expected
