"""Impose a finished interior for home binding: book pages two-up on duplex sheets, in folding order.

A sheet printed on both sides and folded in half carries four book pages; a signature is a few
sheets nested and folded together. Print the result duplex, flipping on the short edge, fold each
signature's sheets together, and the pages read in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.errors import ConfigError
from bookbuild.model import Book
from bookbuild.writers.pdf.identity import place_form

# Landscape sheet sizes in PDF points (width, height).
SHEETS: dict[str, tuple[float, float]] = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}
MAX_SHEETS_PER_SIGNATURE = 32
MARK_LENGTH = 18.0  # points
MARK_GAP = 6.0  # points between a trim mark and the page's corner

Side = tuple[int | None, int | None]  # (left page, right page), 0-based; None is a blank


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of paper: the two book pages on its front and the two on its back."""

    front: Side
    back: Side


def parse_impose(spec: str) -> int | None:
    """Sheets per signature for ``signatures:N``; None for ``booklet`` (one signature of all)."""
    key = spec.strip().lower()
    if key == "booklet":
        return None
    match = re.fullmatch(r"signatures?:(\d+)", key)
    if not match or not 1 <= int(match.group(1)) <= MAX_SHEETS_PER_SIGNATURE:
        raise ConfigError(
            f"unknown imposition '{spec}' (use booklet, or signatures:N with N from 1 to "
            f"{MAX_SHEETS_PER_SIGNATURE} folded sheets)"
        )
    return int(match.group(1))


def padded_count(pages: int, sheets_per_signature: int | None) -> int:
    """The page count after blanks fill the last signature (a booklet needs a multiple of four)."""
    unit = 4 if sheets_per_signature is None else 4 * sheets_per_signature
    return max(unit, -(-pages // unit) * unit)


def signature_sheets(first: int, sheet_count: int, pages: int) -> list[Sheet]:
    """The sheets of one signature that starts at book page ``first``, outermost sheet first."""
    last = first + 4 * sheet_count - 1

    def page(number: int) -> int | None:
        return number if number < pages else None

    return [
        Sheet(
            front=(page(last - 2 * k), page(first + 2 * k)),
            back=(page(first + 2 * k + 1), page(last - 2 * k - 1)),
        )
        for k in range(sheet_count)
    ]


def folding_order(pages: int, sheets_per_signature: int | None) -> list[Sheet]:
    """Every sheet of the imposition in printing order; pages past the book's end are blanks."""
    total = padded_count(pages, sheets_per_signature)
    per_signature = total // 4 if sheets_per_signature is None else sheets_per_signature
    sheets: list[Sheet] = []
    for first in range(0, total, 4 * per_signature):
        sheets.extend(signature_sheets(first, per_signature, pages))
    return sheets


def _marks(sheet_width: float, sheet_height: float, page_width: float, page_height: float) -> bytes:
    """Fold marks at the sheet's centre line and trim marks at the outer corners of both pages."""
    from pikepdf.canvas import ContentStreamBuilder

    centre = sheet_width / 2
    bottom = (sheet_height - page_height) / 2
    top = bottom + page_height
    left, right = centre - page_width, centre + page_width
    draw = ContentStreamBuilder().push().set_line_width(0.3).set_stroke_color(0, 0, 0)
    draw.set_dashes([2, 2])
    for y1, y2 in ((0, max(0, bottom - MARK_GAP)), (min(sheet_height, top + MARK_GAP), sheet_height)):
        draw.line(centre, y1, centre, y2)
    # pikepdf's builder has no bare stroke; closing a straight segment draws the same line.
    draw.stroke_and_close().set_dashes([])
    for x, outward in ((left, -1), (right, 1)):
        for y, away in ((bottom, -1), (top, 1)):
            draw.line(x + outward * MARK_GAP, y, x + outward * (MARK_GAP + MARK_LENGTH), y)
            draw.line(x, y + away * MARK_GAP, x, y + away * (MARK_GAP + MARK_LENGTH))
    return draw.stroke_and_close().pop().build()


def impose(interior: Path, target: Path, spec: str, sheet: str = "letter", marks: bool = True) -> None:
    """Write ``interior`` imposed two-up for duplex printing on Letter or A4 sheets."""
    import pikepdf

    sheets_per_signature = parse_impose(spec)
    if sheet not in SHEETS:
        raise ConfigError(f"unknown sheet size '{sheet}' (use one of {', '.join(SHEETS)})")
    sheet_width, sheet_height = SHEETS[sheet]
    with pikepdf.open(interior) as book, pikepdf.new() as out:
        trim = pikepdf.Rectangle(book.pages[0].trimbox)
        # Actual size when a page fits half the sheet, else scaled down to fit.
        scale = min(1.0, (sheet_width / 2) / trim.width, sheet_height / trim.height)
        width, height = trim.width * scale, trim.height * scale
        bottom = (sheet_height - height) / 2
        centre = sheet_width / 2
        forms = [out.copy_foreign(pikepdf.Page(p).as_form_xobject()) for p in book.pages]
        mark_stream = _marks(sheet_width, sheet_height, width, height) if marks else b""
        for paper in folding_order(len(book.pages), sheets_per_signature):
            for left, right in (paper.front, paper.back):
                side = out.add_blank_page(page_size=(sheet_width, sheet_height))
                for index, x in ((left, centre - width), (right, centre)):
                    if index is not None:
                        place = pikepdf.Rectangle(x, bottom, x + width, bottom + height)
                        place_form(side, forms[index], f"Page{index}", place)
                if mark_stream:
                    side.contents_add(out.make_stream(mark_stream))
        out.docinfo["/Title"] = str(book.docinfo.get("/Title", "")) + " (imposed)"
        out.docinfo["/Producer"] = "bookbuild"
        out.save(target, deterministic_id=True)


def write_imposed(book: Book, interior: Path, target: Path, cfg: BuildConfig) -> None:
    """Write the imposition of ``book``'s interior PDF that the settings ask for."""
    impose(interior, target, cfg.impose, cfg.sheet, cfg.marks)
