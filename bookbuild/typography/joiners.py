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

RULES = (
    RegexRule(KIND, re.compile(rf"(?<=[^\s{WORD_JOINER}])(?=[—…⸺])"), WORD_JOINER),
    RegexRule(KIND, re.compile(r"(?<=[—…⸺])(?=[”’])"), WORD_JOINER),
)
