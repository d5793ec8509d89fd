"""Impose a finished interior for home binding: book pages two-up on duplex sheets, in folding order.

A sheet printed on both sides and folded in half carries four book pages; a signature is a few
sheets nested and folded together. Print the result duplex, flipping on the short edge, fold each
signature's sheets together, and the pages read in order.

For the binder: signatures are balanced so that the last one wastes less than a sheet (or the
last one has as many sheets as asked); collation marks, a black block on each signature's spine
fold one step lower than the one before, show at a glance that the gathered signatures are in
order; creep compensation moves each sheet's pages towards the fold by the thickness of the
sheets wrapped around it, so the text block stays put after the fore-edge is trimmed.
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
# A collation mark: a black block straddling the spine fold, stepped down one height per signature.
COLLATION_WIDTH = 6.0  # points, half on each side of the fold
COLLATION_HEIGHT = 14.0  # points
COLLATION_TOP = 18.0  # points below the head of the page for the first signature
CREEP_UNITS = {"mm": 72 / 25.4, "in": 72.0, "pt": 1.0}
MAX_CREEP_PT = 2.0  # per sheet: more than the thickest paper a home printer takes

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


def parse_creep(spec: str) -> float:
    """Creep per sheet in points from ``0.1mm``, ``0.004in`` or ``0.3pt`` (empty: none)."""
    if not spec.strip():
        return 0.0
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mm|in|pt)", spec.strip().lower())
    value = float(match.group(1)) * CREEP_UNITS[match.group(2)] if match else -1.0
    if not 0 <= value <= MAX_CREEP_PT:
        raise ConfigError(
            f"unknown creep '{spec}' (use a length per sheet such as 0.1mm, 0.004in or 0.3pt, "
            f"at most {MAX_CREEP_PT:g}pt)"
        )
    return value


def signature_plan(pages: int, sheets_per_signature: int | None, last: int = 0) -> list[int]:
    """Folded sheets in each signature, first to last.

    A booklet is one signature of every sheet. Signatures of N sheets are balanced (sizes differ
    by one sheet at most, the larger first), so the book needs no more sheets than its pages fill
    and the last one wastes less than a sheet, where padding to N would waste up to N - 1. With
    ``last``, every signature has N sheets but the last, which has ``last``.
    """
    sheets = max(1, -(-pages // 4))
    if sheets_per_signature is None:
        return [sheets]
    if last:
        if last > sheets_per_signature:
            raise ConfigError(f"the last signature ({last} sheets) cannot be larger than the others ({sheets_per_signature})")
        full = max(0, -(-(sheets - last) // sheets_per_signature))
        return [sheets_per_signature] * full + [last]
    count = -(-sheets // sheets_per_signature)
    small, extra = divmod(sheets, count)
    return [small + 1] * extra + [small] * (count - extra)


def padded_count(pages: int, sheets_per_signature: int | None, last: int = 0) -> int:
    """The page count after blanks fill the signatures (a booklet needs a multiple of four)."""
    return 4 * sum(signature_plan(pages, sheets_per_signature, last))


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


def folding_order(pages: int, sheets_per_signature: int | None, last: int = 0) -> list[Sheet]:
    """Every sheet of the imposition in printing order; pages past the book's end are blanks."""
    return [sheet for _signature, _depth, sheet in folded_sheets(pages, sheets_per_signature, last)]


def folded_sheets(pages: int, sheets_per_signature: int | None, last: int = 0) -> list[tuple[int, int, Sheet]]:
    """(signature number, depth in its signature from the outside, sheet) in printing order."""
    placed: list[tuple[int, int, Sheet]] = []
    first = 0
    for number, count in enumerate(signature_plan(pages, sheets_per_signature, last)):
        for depth, sheet in enumerate(signature_sheets(first, count, pages)):
            placed.append((number, depth, sheet))
        first += 4 * count
    return placed


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


def _collation_mark(signature: int, sheet_height: float, page_height: float, centre: float) -> bytes:
    """The black block on a signature's spine fold, one step lower for each signature: gathered
    in order, the blocks make a staircase down the spines; one out of place breaks it."""
    top = (sheet_height + page_height) / 2 - COLLATION_TOP
    steps = max(1, int((page_height - 2 * COLLATION_TOP) // COLLATION_HEIGHT))
    y = top - COLLATION_HEIGHT * (1 + signature % steps)
    # Grey-level black (DeviceGray 0 g) is allowed in every PDF variant, PDF/X-1a included.
    x = centre - COLLATION_WIDTH / 2
    return b"q 0 g %.2f %.2f %.2f %.2f re f Q\n" % (x, y, COLLATION_WIDTH, COLLATION_HEIGHT)


def impose(
    interior: Path,
    target: Path,
    spec: str,
    sheet: str = "letter",
    marks: bool = True,
    collation_marks: bool = False,
    creep: float = 0.0,
    last_signature: int = 0,
) -> None:
    """Write ``interior`` imposed two-up for duplex printing on Letter or A4 sheets.

    ``creep`` (points per sheet) moves the pages of each sheet towards the fold by its depth in
    the signature; ``collation_marks`` prints the stepped block on each signature's spine fold.
    """
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
        for signature, depth, paper in folded_sheets(len(book.pages), sheets_per_signature, last_signature):
            shift = creep * depth  # towards the fold: the sheets outside it push its fore-edge out
            for left, right in (paper.front, paper.back):
                side = out.add_blank_page(page_size=(sheet_width, sheet_height))
                for index, x in ((left, centre - width + shift), (right, centre - shift)):
                    if index is not None:
                        place = pikepdf.Rectangle(x, bottom, x + width, bottom + height)
                        place_form(side, forms[index], f"Page{index}", place)
                if mark_stream:
                    side.contents_add(out.make_stream(mark_stream))
                # The outermost sheet's front is the outside of the folded signature: its spine.
                if collation_marks and depth == 0 and (left, right) == paper.front:
                    block = _collation_mark(signature, sheet_height, height, centre)
                    side.contents_add(out.make_stream(block))
        out.docinfo["/Title"] = str(book.docinfo.get("/Title", "")) + " (imposed)"
        out.docinfo["/Producer"] = "bookbuild"
        out.save(target, deterministic_id=True)


def write_imposed(book: Book, interior: Path, target: Path, cfg: BuildConfig) -> None:
    """Write the imposition of ``book``'s interior PDF that the settings ask for."""
    impose(
        interior,
        target,
        cfg.impose,
        cfg.sheet,
        cfg.marks,
        collation_marks=cfg.collation_marks,
        creep=parse_creep(cfg.creep),
        last_signature=cfg.last_signature,
    )
