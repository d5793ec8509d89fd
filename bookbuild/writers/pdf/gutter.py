"""Find the book's gutter, laying the book out once when the guess from its length is right.

The gutter must suit the page count it gives (a printer asks a wider one of a longer book). The
first layout uses the gutter the word count predicts for the trim and type size. When that
gutter suits its page count, a narrower one is tried only if it could suit too: its page count
is estimated from the one known, the text block's widths' ratio (a wider text block shortens a
book by at most that ratio; short last lines and chapter openings shrink less). Every build of
the same book and settings, in one pass or in parts, settles on the same gutter.

Laying out every narrower gutter to make sure (the rule before) cost a 160-page novel a second
full layout to confirm what the estimate already said: 162 pages at 0.375 inch against 166 at
0.5 (bench/RESULTS.md). A book the estimate puts just over a step is given the wider gutter a
printer accepts; it may then be a page or two longer than the narrowest gutter would make it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from bookbuild.writers.pdf import geometry as geometry_module
from bookbuild.writers.pdf.geometry import PageGeometry, gutter_for
from bookbuild.writers.pdf.render import LINE_HEIGHT

# Words per square inch of text block at 11pt in typical fiction: the first guess only.
TYPICAL_WORDS_PER_SQUARE_INCH = 10
# How much shorter than the widths' ratio says a book may come out with a wider text block,
# before a narrower gutter is worth a layout to check (1: the ratio itself).
SLACK = 1.0


def _even(count: int) -> int:
    return count + count % 2


def _text_width(base: PageGeometry, gutter: float) -> float:
    return base.width - gutter - dataclasses.replace(base, gutter=gutter).outer


def font_pt(width: float) -> float:
    """The body type size print.css is filled in with for a page this wide (render.stylesheet)."""
    return 10 if width < 4.6 else 10.5 if width < 5.3 else 11 if width < 7 else 12


def guess(words: int, base: PageGeometry, font_pt: float, blocks: int = 0) -> float:
    """The gutter a book of ``words`` words in ``blocks`` paragraphs will probably ask for.

    Every paragraph takes a line at least: a text of short lines (one word each, verse, clipped
    dialogue) runs to many more pages than its words say, and a guess from the words alone
    cost such a book a second whole layout at the wider gutter.
    """
    height = base.height - base.top - base.bottom
    area = _text_width(base, base.gutter) * height
    by_words = words / (TYPICAL_WORDS_PER_SQUARE_INCH * area * (11 / font_pt) ** 2)
    by_lines = blocks / (height * 72 / (font_pt * LINE_HEIGHT))
    return gutter_for(math.floor(max(by_words, by_lines)))


def _table() -> list[float]:
    return sorted({inches for _limit, inches in geometry_module.GUTTERS} | {geometry_module.WIDE_GUTTER})


def _may_suit(gutter: float, known: dict[float, int], base: PageGeometry) -> bool:
    """Whether ``gutter`` could suit its own page count, given the page counts known so far."""
    if gutter in known:
        return gutter_for(_even(known[gutter])) == gutter
    least = 0.0
    for other, pages in known.items():
        if other < gutter:
            least = max(least, pages)  # a wider gutter never makes a book shorter
        else:
            least = max(least, SLACK * pages * _text_width(base, other) / _text_width(base, gutter))
    return gutter_for(_even(math.floor(least))) <= gutter


def settle(start: float, base: PageGeometry, page_count: Callable[[float], int]) -> float:
    """The gutter that suits its own page count; ``page_count(gutter)`` lays the book out at a gutter."""
    known: dict[float, int] = {}
    gutter = start
    for _ in range(3 * len(_table()) + 2):
        if gutter not in known:
            known[gutter] = page_count(gutter)
        wanted = gutter_for(_even(known[gutter]))
        if wanted != gutter:
            gutter = wanted
            continue
        narrower = [g for g in _table() if g < gutter and _may_suit(g, known, base)]
        if not narrower:
            return gutter
        # None narrower than this one suits: widening from it ends where one pass would.
        gutter = narrower[0]
    return gutter
