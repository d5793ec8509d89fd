"""Typographic rules over plain text, and the one list that fixes the order they run in."""

from __future__ import annotations

from bookbuild.typography import dashes, ellipses, joiners, quotes, shield, spaces
from bookbuild.typography.engine import Doubt, Rule, run_joined, run_pieces, run_units

# Odd spaces next to dashes become plain ones first, so every later rule sees one kind.
# Literals are hidden next, so no rule touches a URL or a flag; ellipses and dashes come
# before quotes, because a quote's direction reads the dash or ellipsis beside it.
RULES: tuple[Rule, ...] = (
    *spaces.RULES,
    *shield.RULES,
    *quotes.NORMALIZE,
    *ellipses.RULES,
    *dashes.RULES,
    *quotes.RULES,
    shield.SHOW_LITERALS,
    *joiners.RULES,
)

__all__ = ["RULES", "Doubt", "run_joined", "run_pieces", "run_units"]
