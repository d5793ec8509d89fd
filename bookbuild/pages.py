"""Where the printed pages begin: made by the print edition's layout, read by the EPUB's page list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageStart:
    """Where one printed page begins in the model.

    ``block`` is the index of the block in its section, or ``None`` when the page opens with
    the section's own heading; ``offset`` counts characters of the paragraph's plain text.
    """

    label: str
    section: int
    block: int | None
    offset: int
    words: str = ""


@dataclass(frozen=True, slots=True)
class PageMap:
    """Every page start the layout produced, in order, and the print edition's page count."""

    starts: tuple[PageStart, ...]
    page_count: int


NO_PAGES = PageMap((), 0)
