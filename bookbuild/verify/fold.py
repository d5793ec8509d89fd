"""Fold text to the words the nothing-lost check compares: typography, case and marks folded away."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

_FOLD = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "…": "...", "©": "(c)", "®": "(r)", "×": "x", "±": "+-", "\u00a0": " ", "\u2060": "", "\u00ad": "", "\u200b": "", "\ufeff": "",
    }
)
# Invisible characters that shape or order text but are not words, and that a PDF's text layer
# does not keep: zero-width non-joiner and joiner (Persian spells with U+200C), bidi marks,
# embeddings, overrides and isolates, the Arabic letter mark.
_INVISIBLE = dict.fromkeys(
    [0x200C, 0x200D, 0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
# Arabic fonts draw ligatures (lam-alef, the lillah sign) whose letters a PDF's text layer
# gives back in either order, so an Arabic-script word is compared by its letters, sorted.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# U+202E draws what follows right to left up to U+202C (or the line's end); the text layer
# keeps the drawn order.
_RIGHT_TO_LEFT_OVERRIDE = re.compile("\u202e([^\u202c\n]*)\u202c?")
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
    # Spacing marks too (Mc: the vowel signs of Devanagari and other Indic scripts), which a
    # text layer drops or moves when the font draws them before their consonant.
    marks = _Unmarked(lambda char: unicodedata.category(char) in ("Mn", "Me", "Mc"))
    spacing = _Unmarked(lambda char: unicodedata.decomposition(char).startswith("<compat> 0020 "))
    return marks, spacing


def fold(text: str) -> str:
    """Text with everything typography may change folded to one plain form (marks dropped too)."""
    if text.isascii():
        return text.lower()
    marks, spacing = _unmarked()
    # NFKD takes presentation forms and ligatures (ﻻ, ﬁ) apart, as a text layer may or may not.
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD).translate(spacing).translate(_INVISIBLE))
    return folded.translate(marks).casefold()


def _overridden(match: re.Match[str]) -> str:
    return match.group(1)[::-1]


def words(text: str) -> list[str]:
    """The folded words of a text: runs of letters and digits (an Arabic-script word's letters
    sorted), text under a right-to-left override as it is drawn, reversed."""
    if "\u202e" in text:
        text = _RIGHT_TO_LEFT_OVERRIDE.sub(_overridden, text)
    found = _WORD.findall(fold(text))
    if text.isascii() or not _ARABIC.search(text):
        return found
    return ["".join(sorted(word)) if _ARABIC.search(word) else word for word in found]


# Scripts a font shapes: Arabic joining and marks, Indic conjuncts and the reph, the clusters of
# Thai, Tibetan, Myanmar and Khmer. A PDF's text layer gives their letters back in pieces, out of
# order and a mark's line apart, so a word of them is found by its letters when it is not found whole.
_SHAPED = re.compile("[\u0600-\u07ff\u0860-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u18af\ufb50-\ufdff\ufe70-\ufeff]")
# Alef under a hamza (أ) comes back from a text layer as the hamza alone: alef is not counted.
_UNCOUNTED = frozenset("\u0627")


def is_shaped(word: str) -> bool:
    """Whether a folded word is in a script a font shapes (see :data:`_SHAPED`)."""
    return bool(_SHAPED.search(word))


def _shaped_letters(words_: list[str]) -> Counter[str]:
    return Counter(ch for word in words_ if _SHAPED.search(word) for ch in word if _SHAPED.match(ch) and ch not in _UNCOUNTED)


def shaped_letters_kept(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` holds every letter of the shaped-script words of ``expected``, as many
    times: a lost paragraph of them is still missed; their order in a text layer is not asked."""
    return not _shaped_letters(expected) - _shaped_letters(actual)
