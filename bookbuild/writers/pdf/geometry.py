"""Print geometry in inches: trim sizes, the gutter by page count, spine width by paper."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbuild.errors import ConfigError

# Trim sizes by name, width × height in inches.
TRIMS: dict[str, tuple[float, float]] = {
    "5x8": (5.0, 8.0),
    "5.25x8": (5.25, 8.0),
    "5.5x8.5": (5.5, 8.5),
    "6x9": (6.0, 9.0),
    "a5": (5.827, 8.268),
    "b-format": (5.079, 7.795),
    "pocket": (4.25, 6.87),
    "letter": (8.5, 11.0),
    "a4": (8.268, 11.693),
}

# Print-on-demand gutter (inside margin) by page count: (up to N pages, inches).
GUTTERS: tuple[tuple[int, float], ...] = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75))
WIDE_GUTTER = 0.875

# Print-on-demand spine tables: inches of thickness per interior page.
PAPER_THICKNESS: dict[str, float] = {"white": 0.002252, "cream": 0.0025}

# What a print shop trims off around a full-bleed cover (and an interior with --bleed).
BLEED = 0.125


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """Trim size and margins of the interior, in inches."""

    width: float
    height: float
    gutter: float

    @property
    def outer(self) -> float:
        """The outside margin, scaled with the page width."""
        return round(max(0.5, self.width * 0.1), 3)

    @property
    def top(self) -> float:
        """The head margin: room for the running head above the text block."""
        return round(max(0.6, self.height * 0.085), 3)

    @property
    def bottom(self) -> float:
        """The foot margin, a little deeper than the head, with room for the folio."""
        return round(max(0.7, self.height * 0.1), 3)


def parse_trim(trim: str) -> tuple[float, float]:
    """Width and height in inches of a named trim or a custom ``WxH`` (in, or mm with a unit)."""
    key = trim.strip().lower().replace(" ", "").replace("×", "x").replace("in", "")
    if key in TRIMS:
        return TRIMS[key]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm)?", key)
    if not match:
        names = ", ".join(TRIMS)
        raise ConfigError(f"unknown trim size '{trim}' (use one of {names}, or WxH in inches, or WxHmm)")
    width, height = float(match.group(1)), float(match.group(2))
    if match.group(3):
        width, height = width / 25.4, height / 25.4
    if not (2 <= width <= 20 and 2 <= height <= 20):
        raise ConfigError(f"trim size '{trim}' is outside 2–20 inches")
    return width, height


def gutter_for(pages: int) -> float:
    """The inside margin a print-on-demand printer asks for at this page count."""
    for limit, inches in GUTTERS:
        if pages <= limit:
            return inches
    return WIDE_GUTTER


def spine_width(pages: int, paper: str) -> float:
    """The spine's thickness in inches for a page count on white or cream paper."""
    if paper not in PAPER_THICKNESS:
        raise ConfigError(f"unknown paper '{paper}' (use one of {', '.join(PAPER_THICKNESS)})")
    return pages * PAPER_THICKNESS[paper]
