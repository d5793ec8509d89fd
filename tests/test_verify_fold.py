"""The nothing-lost check's folding drops exactly the combining marks and spacing accents."""

from __future__ import annotations

import functools
import importlib
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

fold_module = importlib.import_module("bookbuild.verify.fold")

# The planes the fold looks for marks in (the rest is never folded away).
_PLANES = [*range(0xA0, 0x20000), *range(0xE0000, 0xE1000)]


@functools.cache
def _full_tables() -> tuple[dict[int, None], dict[int, None]]:
    marks = {c: None for c in _PLANES if unicodedata.category(chr(c)) in ("Mn", "Me", "Mc")}  # Mc: Indic vowel signs
    spacing = {c: None for c in _PLANES if unicodedata.decomposition(chr(c)).startswith("<compat> 0020 ")}
    return marks, spacing


def _reference(text: str) -> str:
    """The fold with tables over every code point built up front, as it was first written."""
    marks, spacing = _full_tables()
    if text.isascii():
        return text.lower()
    folded = text.translate(fold_module._FOLD).translate(spacing).translate(fold_module._INVISIBLE)
    return unicodedata.normalize("NFKD", folded).translate(marks).casefold()


def test_marks_and_spacing_accents_fold_away():
    assert fold_module.words("Naïve café, e\u0301te\u0301 ´ ¸x") == ["naive", "cafe", "ete", "x"]


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_the_lazy_tables_fold_as_full_tables_do(text):
    assert fold_module.fold(text) == _reference(text)
