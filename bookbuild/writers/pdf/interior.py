"""Write the model as a print-ready PDF interior through WeasyPrint: one pass, or parts for a long book."""

from __future__ import annotations

import os
from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Book
from bookbuild.pages import PageMap
from bookbuild.writers import beside
from bookbuild.writers.pdf import gutter as pdf_gutter
from bookbuild.writers.pdf import parallel as pdf_parallel
from bookbuild.writers.pdf.geometry import gutter_for, page_geometry
from bookbuild.writers.pdf.identity import write_pinned
from bookbuild.writers.pdf.pagemap import page_map_from_document
from bookbuild.writers.pdf.render import pdf_options, render_document

__all__ = ["forget_layout", "layout", "layout_decisions", "page_map", "write_pdf"]


# The EPUB's page list and the PDF need the same layout in one build; laying a long book out
# twice would double the slowest step, so the last layout is kept for the same book and settings.
_last_layout: list[tuple[Book, BuildConfig, tuple, list[dict]]] = []


def forget_layout() -> None:
    """Drop the kept layout (tests that change the layout tables call this)."""
    _last_layout.clear()


def layout(book: Book, cfg: BuildConfig):
    """Lay the book out at a gutter that suits its page count, first at the one its length predicts.

    Returns the WeasyPrint document and the geometry it was laid out with.
    """
    for kept_book, kept_cfg, kept, _adjustments in _last_layout:
        if kept_book is book and kept_cfg == cfg:
            return kept
    document, geometry, adjustments = _layout(book, cfg)
    _last_layout[:] = [(book, cfg, (document, geometry), adjustments)]
    return document, geometry


def adjustments(book: Book, cfg: BuildConfig) -> list[dict]:
    """What the balancer changed to level the spreads, for the one-pass layout of ``book``."""
    layout(book, cfg)
    return list(_last_layout[0][3])


def _layout(book: Book, cfg: BuildConfig):
    probe = page_geometry(cfg, gutter_for(0))
    layouts = {}  # gutter -> (document, the balancer's adjustments)

    # One pass keeps one core busy: the balancer's probes share the other when there is one
    # (a shelf's job, given one core, keeps to one process).
    fork = beside.start if hasattr(os, "fork") and pdf_parallel.part_workers(cfg) > 1 else None

    def page_count(gutter: float) -> int:
        layouts[gutter] = render_document(book, page_geometry(cfg, gutter), cfg, fork)
        return len(layouts[gutter][0].pages)

    # The same search as the parts' (parallel.py), so both lay a book out at the same gutter.
    guess = pdf_gutter.guess(pdf_parallel.word_count(book), probe, pdf_gutter.font_pt(probe.width),
                             pdf_parallel.block_count(book))
    gutter = pdf_gutter.settle(guess, probe, page_count)
    document, adjustments = layouts.pop(gutter)
    layouts.clear()  # a long book's other layouts are let go before it is written
    return _pad_to_even(document), page_geometry(cfg, gutter), adjustments


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


def layout_decisions(book: Book, cfg: BuildConfig) -> list[Decision]:
    """What the balancer changed to level the spreads, one decision per paragraph changed."""
    changes = pdf_parallel.adjustments(book, cfg) if pdf_parallel.worth_it(book) else adjustments(book, cfg)
    decisions = []
    for change in changes:
        action = ("keep-whole" if change["keep_whole"] else "short-together" if change["widows"]
                  else "shorten" if change["tracking"] < 0 and change.get("word_spacing") is not None else "lengthen")
        decisions.append(Decision("balance", "PB001", action, change["why"], change.get("excerpt", ""), data=change))
    return decisions
