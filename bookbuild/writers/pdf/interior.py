"""Write the model as a print-ready PDF interior through WeasyPrint: one pass, or parts for a long book."""

from __future__ import annotations

from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.pages import PageMap
from bookbuild.writers.pdf import parallel as pdf_parallel
from bookbuild.writers.pdf.geometry import GUTTERS, PageGeometry, gutter_for, parse_trim
from bookbuild.writers.pdf.identity import write_pinned
from bookbuild.writers.pdf.pagemap import page_map_from_document
from bookbuild.writers.pdf.render import pdf_options, render_document

# Re-laying out is needed only when the gutter changes; it only grows, so this always ends.
MAX_LAYOUTS = len(GUTTERS) + 2

__all__ = ["forget_layout", "layout", "page_map", "write_pdf"]


# The EPUB's page list and the PDF need the same layout in one build; laying a long book out
# twice would double the slowest step, so the last layout is kept for the same book and settings.
_last_layout: list[tuple[Book, BuildConfig, object]] = []


def forget_layout() -> None:
    """Drop the kept layout (tests that change the layout tables call this)."""
    _last_layout.clear()


def layout(book: Book, cfg: BuildConfig):
    """Lay the book out, widening the gutter until it suits the real page count.

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
    geometry = PageGeometry(width, height, gutter_for(0))
    document = render_document(book, geometry, cfg)
    for _ in range(MAX_LAYOUTS):
        wanted = gutter_for(_even(len(document.pages)))
        if wanted == geometry.gutter:
            break
        geometry = PageGeometry(width, height, wanted)
        document = render_document(book, geometry, cfg)
    return _pad_to_even(document), geometry


def _even(count: int) -> int:
    return count + count % 2


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
