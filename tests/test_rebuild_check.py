"""The nothing-lost check of a PDF joined from parts reads the parts' cached words, and still fails real loss."""

from __future__ import annotations

import dataclasses

import pikepdf
import pytest

from bookbuild.cache import PartCache
from bookbuild.config import BuildConfig
from bookbuild.errors import OutputError
from bookbuild.model import Paragraph, Text
from bookbuild.verify import outputs, verify_output
from bookbuild.writers.pdf import parallel as pdf_parallel
from bookbuild.writers.pdf.parallel import write_parallel

from .pdf_support import one_section_a_part, sample_book  # noqa: F401 (an autouse fixture)

CFG = BuildConfig(trim="5x8")
MARKER = "Quillwhistle"
pytestmark = pytest.mark.slow


@pytest.fixture
def book():
    """A short book whose second chapter holds a word found nowhere else."""
    book = sample_book(chapters=3, paragraphs=6, front_note=False)
    section = book.sections[1]
    first = section.blocks[0]
    marked = Paragraph((Text(f"{MARKER} "), *first.inlines))
    sections = list(book.sections)
    sections[1] = dataclasses.replace(section, blocks=(marked, *section.blocks[1:]))
    return dataclasses.replace(book, sections=tuple(sections))


@pytest.fixture
def extracted(monkeypatch):
    """The files whose text layer was extracted, recorded as pdf_pages is called."""
    seen: list[str] = []
    real = outputs.pdf_pages

    def recording(path):
        seen.append(str(path))
        return real(path)

    monkeypatch.setattr(outputs, "pdf_pages", recording)
    return seen


def _build(book, folder):
    cache = PartCache(folder / "cache")
    target = folder / "book.pdf"
    write_parallel(book, target, CFG, cache, workers=1)
    return cache.stats, target


def _check(book, target):
    verify_output("pdf", target, book, book, ())


def _lose_marker(monkeypatch):
    """Make the renderer drop the marker word from what it lays out (after the part is keyed)."""
    real = pdf_parallel.render_html
    monkeypatch.setattr(pdf_parallel, "render_html",
                        lambda markup, css, reuse=None: real(markup.replace(MARKER, ""), css))


def test_a_joined_pdf_is_checked_from_its_parts_words(book, tmp_path, extracted):
    _stats, target = _build(book, tmp_path)
    _check(book, target)
    assert str(target) not in extracted


def test_the_parts_words_are_the_joined_files_words_but_the_folios(book, tmp_path):
    _stats, target = _build(book, tmp_path)
    cached = outputs.pdf_words(target)
    read = outputs.pdf_words(target)  # nothing remembered any more: the whole file is read
    # The same words in the same order, but for the folios stamped on after the parts were read.
    assert [w for w in read if not w.isdigit()] == [w for w in cached if not w.isdigit()]
    assert len(read) > len(cached)


def test_a_word_lost_in_a_re_rendered_part_is_caught(book, tmp_path, monkeypatch, extracted):
    _lose_marker(monkeypatch)
    stats, target = _build(book, tmp_path)
    assert "section" in stats.rendered
    with pytest.raises(OutputError, match="nothing-lost"):
        _check(book, target)
    assert str(target) not in extracted  # caught from the part's own words


def test_a_word_lost_in_a_cached_part_is_caught(book, tmp_path, monkeypatch, extracted):
    with monkeypatch.context() as patch:
        _lose_marker(patch)
        _build(book, tmp_path)  # an earlier build cached the bad part (and was not checked)
    stats, target = _build(book, tmp_path)
    assert "section" not in stats.rendered  # every chapter came from the cache
    with pytest.raises(OutputError, match="nothing-lost"):
        _check(book, target)
    assert str(target) not in extracted


def _blank_page_holding(target, word):
    """Empty the content of the joined file's page that shows ``word``; returns its index."""
    pages = outputs.pdf_pages(target)
    index = next(i for i, text in enumerate(pages) if word in text)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        pdf.pages[index].obj.Contents = pdf.make_stream(b"")
        pdf.save(target)
    return index


def test_a_page_the_join_did_not_keep_is_read_from_the_file(book, tmp_path, extracted):
    _stats, target = _build(book, tmp_path)
    _blank_page_holding(target, MARKER)
    extracted.clear()
    with pytest.raises(OutputError, match="nothing-lost"):
        _check(book, target)
    assert str(target) in extracted  # the parts' words no longer vouch for this file


def test_a_lost_page_is_read_from_the_file(book, tmp_path, extracted):
    _stats, target = _build(book, tmp_path)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        del pdf.pages[-2]
        pdf.save(target)
    extracted.clear()
    outputs.pdf_words(target)
    assert str(target) in extracted
