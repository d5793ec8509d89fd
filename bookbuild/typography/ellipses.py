"""Ellipses: ``...``, ``. . .`` and four dots become …, closed up to the word before them.

Chicago as Standard Ebooks prints it: the single character …, no space between it and the
word it follows, the writer's space after it kept (``Well... I`` → ``Well… I``); a
sentence's own period before an ellipsis stays (``waited....`` → ``waited.…``).
"""

from __future__ import annotations

import re

from bookbuild.typography.chars import ALNUM, ELLIPSIS
from bookbuild.typography.engine import RegexRule

KIND = "ellipses"

RULES = (
    # Five dots or more: a writer's long pause, one ellipsis.
    RegexRule(KIND, re.compile(r"\.\.\.\.\.+"), ELLIPSIS),
    # ". . . ." right after a word: the sentence's period, then an ellipsis.
    RegexRule(KIND, re.compile(rf"\. \. \. \.(?<=[^\s.{ELLIPSIS}]\. \. \. \.)(?! ?\.)"), "." + ELLIPSIS),
    # ". . . ." after a space: an ellipsis, then the sentence's period.
    RegexRule(KIND, re.compile(r"\. \. \. \.(?! ?\.)"), ELLIPSIS + "."),
    RegexRule(KIND, re.compile(r"\. \. \."), ELLIPSIS),
    # "word...." : a period, then an ellipsis.
    RegexRule(KIND, re.compile(rf"\.\.\.\.(?<=[^\s.{ELLIPSIS}]\.\.\.\.)(?!\.)"), "." + ELLIPSIS),
    # "word ...." : an ellipsis, then a period.
    RegexRule(KIND, re.compile(r"\.\.\.\.(?!\.)"), ELLIPSIS + "."),
    RegexRule(KIND, re.compile(r"\.\.\.+"), ELLIPSIS),
    # "Wait.." at a pause (or "Wait..?", "Wait..--"): two dots are a mistyped ellipsis, not an abbreviation's period.
    RegexRule(KIND, re.compile(rf"\.\.(?<={ALNUM}\.\.)(?=[^\S\n]|$|[\"'”’“‘»«›‹)?!—–\-])", re.M), ELLIPSIS),
    # "Really . . . ?": a space between an ellipsis and a question or exclamation mark goes.
    RegexRule("", re.compile(rf"{ELLIPSIS} (?=[?!]+(?![^\W_]))"), ELLIPSIS),
    # "word ..." closes up; "said ...and" keeps its space: the ellipsis leads the next word.
    RegexRule(
        KIND,
        re.compile(rf" ({ELLIPSIS}(?<=[^\s—–\u2060] {ELLIPSIS}){ELLIPSIS}*)(?=$|[\s\"'“”‘’)\]?!,;:.])", re.M),
        r"\1",
    ),
)
