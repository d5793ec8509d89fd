"""Print-on-demand presets (``--printer kdp|ingram|lulu|home``), read from ``assets/printers/presets.toml``.

A preset is data: each value comes from the service's published specification, named in the
table. It supplies defaults for the build options (bleed, marks, PDF variant, imposition) and
the rules the preflight checks the finished PDF against (safety margins, page counts, ink).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache

from bookbuild.assets import asset_path
from bookbuild.errors import ConfigError

# The bleed every service asks for, in inches: what the trimming knife may take.
BLEED = 0.125
BLEED_EDGES = ("outside", "all")
# What a preset may set among the build options; an explicit option wins over each.
OPTION_KEYS = ("bleed", "crop_marks", "pdf_variant", "impose", "sheet_marks")


@dataclass(frozen=True, slots=True)
class Printer:
    """One service's rules. Lengths in inches; a rule left at its default is not checked."""

    key: str = ""
    name: str = "no printer"
    source: str = ""
    bleed_edges: str = "outside"
    safety: float = 0.0
    safety_no_bleed: float | None = None
    gutters: tuple[tuple[int, float], ...] = ()
    spine: dict[str, float] = field(default_factory=dict)
    min_pages: int = 0
    max_pages: int = 0
    image_dpi: int = 0
    max_ink: int = 0
    sewing: float = 0.0
    options: dict[str, object] = field(default_factory=dict)

    def safety_for(self, bleed: bool) -> float:
        """The least distance from text to the trim, for a book with or without bleed."""
        if not bleed and self.safety_no_bleed is not None:
            return self.safety_no_bleed
        return self.safety


NO_PRINTER = Printer()


@cache
def _table() -> dict[str, dict]:
    with asset_path("printers/presets.toml").open("rb") as handle:
        return tomllib.load(handle)


def printer_names() -> tuple[str, ...]:
    """The presets' names, as ``--printer`` accepts them."""
    return tuple(_table())


def printer(key: str) -> Printer:
    """The preset called ``key`` (``""`` is no printer: nothing checked beyond the basics)."""
    if not key:
        return NO_PRINTER
    table = _table()
    if key not in table:
        raise ConfigError(f"unknown printer '{key}' (use one of {', '.join(table)})")
    row = dict(table[key])
    edges = row.get("bleed_edges", "outside")
    if edges not in BLEED_EDGES:
        raise ConfigError(f"printer preset '{key}': bleed_edges must be one of {', '.join(BLEED_EDGES)}")
    return Printer(
        key=key,
        name=row.get("name", key),
        source=row.get("source", ""),
        bleed_edges=edges,
        safety=float(row.get("safety", 0.0)),
        safety_no_bleed=float(row["safety_no_bleed"]) if "safety_no_bleed" in row else None,
        gutters=tuple((int(limit), float(inches)) for limit, inches in row.get("gutters", ())),
        spine={paper: float(inches) for paper, inches in row.get("spine", {}).items()},
        min_pages=int(row.get("min_pages", 0)),
        max_pages=int(row.get("max_pages", 0)),
        image_dpi=int(row.get("image_dpi", 0)),
        max_ink=int(row.get("max_ink", 0)),
        sewing=float(row.get("sewing", 0.0)),
        options={k: row[k] for k in OPTION_KEYS if k in row},
    )
