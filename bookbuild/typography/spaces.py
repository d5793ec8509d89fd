"""Spaces around dashes and ellipses: odd ones (no-break, thin, doubled) become one plain space.

The dash and ellipsis rules then only look for one plain space, which keeps their patterns
fast (see :mod:`bookbuild.typography.engine`); every space they look at is removed anyway.
"""

from __future__ import annotations

import re

from bookbuild.typography.engine import RegexRule

_MARKS = "-—–…"
_BEFORE = rf"[{_MARKS}]|\.\.|\. \."  # a dash, an ellipsis, or dots that will be one

RULES = (
    # An odd space, or a run with one, right before a dash or ellipsis.
    RegexRule("", re.compile(rf"[^\S\n ][^\S\n]*(?={_BEFORE})"), " "),
    RegexRule("", re.compile(rf"  [^\S\n]*(?={_BEFORE})"), " "),
    # ... and right after a dash (the ellipsis rules leave the space after one alone); not a
    # narrow no-break space alone, French spacing before a closing guillemet (–\u202f»).
    RegexRule("", re.compile(r"([-—–])(?= ?[^\S\n \u202f]|  )[^\S\n]+"), r"\1 "),
)
