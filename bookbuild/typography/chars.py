"""Named typographic characters, and the regex fragments the rule modules share."""

from __future__ import annotations

LEFT_DOUBLE = "\u201c"  # “
RIGHT_DOUBLE = "\u201d"  # ”
LEFT_SINGLE = "\u2018"  # ‘
RIGHT_SINGLE = "\u2019"  # ’ (also the apostrophe)
APOSTROPHE = RIGHT_SINGLE
EM_DASH = "\u2014"  # —
EN_DASH = "\u2013"  # –
TWO_EM_DASH = "\u2e3a"  # ⸺ letters left out of a name (L⸺)
THREE_EM_DASH = "\u2e3b"  # ⸻ a word left out
ELLIPSIS = "\u2026"  # …
PRIME = "\u2032"  # ′ feet, minutes
DOUBLE_PRIME = "\u2033"  # ″ inches, seconds
MINUS = "\u2212"  # −
WORD_JOINER = "\u2060"  # invisible; forbids a line break where it stands

# Paragraphs are typeset together in one string, joined by this. Its middle is a Unicode
# noncharacter (for a program's internal use, never in a text), neither space nor word to a
# rule; the newlines around it make ``^`` and ``$`` paragraph edges.
PARAGRAPH_SEPARATOR = "\n\ufdef\n"

# Regex fragments. A rule never crosses a newline (a paragraph edge or a line break).
HSPACE = r"[^\S\n]"  # horizontal whitespace, NBSP included
ALNUM = r"[^\W_]"  # a letter or a digit
LETTER = r"[^\W\d_]"
OPENING = r"(\[{" + LEFT_DOUBLE + LEFT_SINGLE  # after these a quote opens
DASHES = EM_DASH + EN_DASH + TWO_EM_DASH + THREE_EM_DASH
