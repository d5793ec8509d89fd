"""Write the model as a print-ready PDF interior through WeasyPrint: one pass, or parts for a long book."""

from __future__ import annotations

from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.pages import PageMap
from bookbuild.writers.pdf import gutter as pdf_gutter
from bookbuild.writers.pdf import parallel as pdf_parallel
from bookbuild.writers.pdf.geometry import PageGeometry, gutter_for, parse_trim
from bookbuild.writers.pdf.identity import write_pinned
from bookbuild.writers.pdf.pagemap import page_map_from_document
from bookbuild.writers.pdf.render import pdf_options, render_document

__all__ = ["forget_layout", "layout", "page_map", "write_pdf"]


# The EPUB's page list and the PDF need the same layout in one build; laying a long book out
# twice would double the slowest step, so the last layout is kept for the same book and settings.
_last_layout: list[tuple[Book, BuildConfig, object]] = []


def forget_layout() -> None:
    """Drop the kept layout (tests that change the layout tables call this)."""
    _last_layout.clear()


def layout(book: Book, cfg: BuildConfig):
    """Lay the book out at a gutter that suits its page count, first at the one its length predicts.

    Returns the WeasyPrint document and the geometry it was laid out with.
    """
    for kept_book, kept_cfg, kept in _last_layout:
        if kept_book is book and kept_cfg == cfg:
            return kept
    result = _layout(book, cfg)
    _last_layout[:] = [(book, cfg, result)]
    return result


def _layout(book: Book, cfg: BuildConfig):
    width, height = parse_trim(cfg.trim)
    probe = PageGeometry(width, height, gutter_for(0))
    documents = {}

    def page_count(gutter: float) -> int:
        documents[gutter] = render_document(book, PageGeometry(width, height, gutter), cfg)
        return len(documents[gutter].pages)

    # The same search as the parts' (parallel.py), so both lay a book out at the same gutter.
    guess = pdf_gutter.guess(pdf_parallel.word_count(book), probe, pdf_gutter.font_pt(width))
    gutter = pdf_gutter.settle(guess, probe, page_count)
    document = documents.pop(gutter)
    documents.clear()  # a long book's other layouts are let go before it is written
    return _pad_to_even(document), PageGeometry(width, height, gutter)


def _pad_to_even(document):
    """The document with a blank last page if it has an odd count: a printed leaf has two sides."""
    if len(document.pages) % 2 == 0:
        return document
    blanks = [page for page in document.pages if page._page_box.page_type.blank]
    if not blanks:
        return document
    return document.copy([*document.pages, blanks[0]])


def write_pdf(book: Book, target: Path, cfg: BuildConfig) -> None:
    """Write the print interior of ``book`` to ``target``."""
    options = pdf_options(cfg.pdf_variant)
    # Long books are rendered section by section on every core, and cached (parallel.py).
    if pdf_parallel.worth_it(book):
        pdf_parallel.write_cached(book, target, cfg)
        return
    document, _geometry = layout(book, cfg)
    write_pinned(document, target, **options)


def page_map(book: Book, cfg: BuildConfig) -> PageMap:
    """Lay the book out as the print writer does and find where each printed page begins."""
    if pdf_parallel.worth_it(book):  # a long book's print edition is laid out in cached parts
        return pdf_parallel.page_map(book, cfg)
    document, _geometry = layout(book, cfg)
    return page_map_from_document(book, document)
