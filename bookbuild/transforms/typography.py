"""Typeset quotes, apostrophes, dashes and ellipses across each paragraph."""

from __future__ import annotations

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.transforms import Decision


def typeset(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Typeset quotes, apostrophes, dashes and ellipses across each paragraph."""
    return book, []
