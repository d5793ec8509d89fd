"""Word joiners (U+2060): keep an em dash or ellipsis off the start of a line in print.

Line breaking (UAX #14) allows a break before an em dash, and some EPUB reading systems
break before an ellipsis; a word joiner glues each to the word before it, and to a closing
quote after it. It is invisible and ignored by search, so both outputs get it from here
rather than from one writer.
"""

from __future__ import annotations

import re

from bookbuild.typography.chars import WORD_JOINER
from bookbuild.typography.engine import RegexRule

KIND = "word_joiners"

# One rule per character: a literal first character is what keeps a pass fast.
RULES = tuple(
    RegexRule(KIND, re.compile(pattern), replacement)
    for mark in ("—", "…", "⸺", "⸻")
    for pattern, replacement in (
        (rf"{mark}(?<=[^\s{WORD_JOINER}]{mark})", WORD_JOINER + mark),
        # before a closing quote, not an elided word's apostrophe (—’cause)
        (rf"{mark}(?=”|’(?![^\W_]))", mark + WORD_JOINER),
    )
)
