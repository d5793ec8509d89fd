"""Find the gutter a single pass settles on, laying the book out as few times as possible.

One pass starts from the narrowest gutter and widens it until it suits the page count; as the
page count only grows with the gutter, that ends on the narrowest gutter that suits its own page
count. A long book would be laid out two or three times on the way. Here the first layout uses a
gutter guessed from the word count; when that gutter suits its page count, every narrower one is
ruled out from the page count already known (a narrower gutter widens the text, which cannot
shorten the book by more than the widths' ratio and a margin), or laid out to make sure.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from bookbuild.writers.pdf import geometry as geometry_module
from bookbuild.writers.pdf.geometry import PageGeometry, gutter_for

# Words per square inch of text block at 11pt in typical fiction: the first guess only.
TYPICAL_WORDS_PER_SQUARE_INCH = 10
# How much shorter than the widths' ratio says a book may come out with a wider text block.
SLACK = 0.85


def _even(count: int) -> int:
    return count + count % 2


def _text_width(base: PageGeometry, gutter: float) -> float:
    return base.width - gutter - PageGeometry(base.width, base.height, gutter).outer


def guess(words: int, base: PageGeometry, font_pt: float) -> float:
    """The gutter a book of ``words`` words will probably ask for."""
    area = _text_width(base, base.gutter) * (base.height - base.top - base.bottom)
    return gutter_for(math.floor(words / (TYPICAL_WORDS_PER_SQUARE_INCH * area * (11 / font_pt) ** 2)))


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
    """The gutter one pass would settle on; ``page_count(gutter)`` lays the book out at a gutter."""
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
