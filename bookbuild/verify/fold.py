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


@functools.cache
def _unmarked() -> tuple[dict[int, None], dict[int, None]]:
    """Tables deleting combining marks, and spacing accents (¸ ´ ¨, which decompose to a space
    and a mark): a PDF's text layer may attach a mark to the letter before it or not."""
    code_points = [*range(0xA0, 0x20000), *range(0xE0000, 0xE1000)]  # the planes with marks
    marks = {c: None for c in code_points if unicodedata.category(chr(c)) in ("Mn", "Me")}
    spacing = {}
    for c in code_points:
        if unicodedata.decomposition(chr(c)).startswith("<compat> 0020 "):
            spacing[c] = None
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
