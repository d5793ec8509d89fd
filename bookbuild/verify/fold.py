"""Fold text to the words the nothing-lost check compares: typography, case and marks folded away."""

from __future__ import annotations

import functools
import re
import unicodedata

_FOLD = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "…": "...", "©": "(c)", "®": "(r)", "×": "x", "±": "+-", "\u00a0": " ", "\u2060": "", "\u00ad": "", "\u200b": "", "\ufeff": "",
    }
)
_WORD = re.compile(r"[^\W_]+")


# The planes with combining marks; characters outside them are never folded away.
_MARKED = (range(0xA0, 0x20000), range(0xE0000, 0xE1000))


class _Unmarked(dict):
    """A ``str.translate`` table deleting the characters ``drop`` picks, filled in as characters
    are met: building it for every code point up front cost a build 0.5 s of CPU."""

    def __init__(self, drop) -> None:
        super().__init__()
        self.drop = drop

    def __missing__(self, code: int) -> int | None:
        kept = None if any(code in plane for plane in _MARKED) and self.drop(chr(code)) else code
        self[code] = kept
        return kept


@functools.cache
def _unmarked() -> tuple[_Unmarked, _Unmarked]:
    """Tables deleting combining marks, and spacing accents (¸ ´ ¨, which decompose to a space
    and a mark): a PDF's text layer may attach a mark to the letter before it or not."""
    marks = _Unmarked(lambda char: unicodedata.category(char) in ("Mn", "Me"))
    spacing = _Unmarked(lambda char: unicodedata.decomposition(char).startswith("<compat> 0020 "))
    return marks, spacing


def fold(text: str) -> str:
    """Text with everything typography may change folded to one plain form (marks dropped too)."""
    if text.isascii():
        return text.lower()
    marks, spacing = _unmarked()
    return unicodedata.normalize("NFKD", text.translate(_FOLD).translate(spacing)).translate(marks).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text: runs of letters and digits."""
    return _WORD.findall(fold(text))
