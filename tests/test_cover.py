"""The wrap cover: its size from trim, page count and paper; spine text; the back-cover blurb."""

from __future__ import annotations

import dataclasses

import pikepdf
import pytest

from bookbuild.config import BuildConfig
from bookbuild.writers.pdf.cover import SPINE_TEXT_MIN_PAGES, blurb, cover_geometry, write_cover
from bookbuild.writers.pdf.geometry import BLEED, PAPER_THICKNESS

from .pdf_support import sample_book

PT_PER_INCH = 72


def blank_interior(path, pages: int):
    """An interior PDF with the given number of pages (only its page count matters here)."""
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page(page_size=(360, 576))
        pdf.save(path)
    return path


def cover_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("paper", sorted(PAPER_THICKNESS))
@pytest.mark.parametrize(("trim", "width", "height"), [("5x8", 5.0, 8.0), ("6x9", 6.0, 9.0)])
@pytest.mark.parametrize("pages", [24, 240])
def test_cover_width_is_two_panels_the_spine_and_the_bleed(tmp_path, paper, trim, width, height, pages):
    interior = blank_interior(tmp_path / "interior.pdf", pages)
    target = tmp_path / "cover.pdf"
    write_cover(sample_book(chapters=1, paragraphs=2), interior, target, BuildConfig(trim=trim, paper=paper))
    spine = pages * PAPER_THICKNESS[paper]
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        media = [float(v) for v in page.mediabox]
        trimbox = [float(v) for v in page.trimbox]
    assert (media[2] - media[0]) / PT_PER_INCH == pytest.approx(2 * width + spine + 2 * BLEED, abs=0.002)
    assert (media[3] - media[1]) / PT_PER_INCH == pytest.approx(height + 2 * BLEED, abs=0.002)
    assert (trimbox[2] - trimbox[0]) / PT_PER_INCH == pytest.approx(2 * width + spine, abs=0.002)


def test_geometry_adds_up():
    geometry = cover_geometry("5.5x8.5", 300, "cream")
    assert geometry.spine == pytest.approx(0.75)
    assert geometry.full_width == pytest.approx(2 * 5.5 + 0.75 + 2 * BLEED)
    assert geometry.full_height == pytest.approx(8.5 + 2 * BLEED)


@pytest.mark.parametrize(("pages", "on_spine"), [(SPINE_TEXT_MIN_PAGES - 2, False), (SPINE_TEXT_MIN_PAGES + 40, True)])
def test_spine_carries_title_only_above_the_minimum_page_count(tmp_path, pages, on_spine):
    book = sample_book(chapters=1, paragraphs=2, title="Lanterns")
    interior = blank_interior(tmp_path / "interior.pdf", pages)
    target = tmp_path / "cover.pdf"
    write_cover(book, interior, target, BuildConfig(trim="5x8"))
    text = cover_text(target)
    assert text.count("Lanterns") == (2 if on_spine else 1)


def test_front_shows_title_and_author_and_back_the_description(tmp_path):
    book = sample_book(chapters=1, paragraphs=2, title="Lanterns", author="Mira Oak")
    described = "Two survivors in an empty city.\n\nA story of what remains."
    book = dataclasses.replace(book, meta=dataclasses.replace(book.meta, description=described))
    target = tmp_path / "cover.pdf"
    write_cover(book, blank_interior(tmp_path / "interior.pdf", 40), target, BuildConfig(trim="5x8"))
    text = cover_text(target)
    assert "Lanterns" in text and "Mira Oak" in text
    assert "Two survivors in an empty city." in text and "A story of what remains." in text


def test_blurb_uses_the_description_in_paragraphs():
    book = sample_book(chapters=1, paragraphs=2)
    book = dataclasses.replace(book, meta=dataclasses.replace(book.meta, description="One.\n\nTwo."))
    assert blurb(book) == (["One.", "Two."], False)


def test_blurb_without_description_is_the_opening_cut_at_a_sentence():
    book = sample_book(chapters=2, paragraphs=6)
    paragraphs, excerpt = blurb(book)
    assert excerpt and len(paragraphs) == 1
    assert paragraphs[0][-1] in ".?!…" and len(paragraphs[0].split()) <= 90


def test_cover_is_pdf_x4_when_the_interior_is(tmp_path):
    target = tmp_path / "cover.pdf"
    cfg = BuildConfig(trim="5x8", pdf_variant="pdf/x-4")
    write_cover(sample_book(chapters=1, paragraphs=2), blank_interior(tmp_path / "i.pdf", 40), target, cfg)
    with pikepdf.open(target) as pdf:
        assert str(pdf.Root.OutputIntents[0].S) == "/GTS_PDFX"
        assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
