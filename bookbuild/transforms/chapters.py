"""Split the text into chapters at chapter headings."""

from __future__ import annotations

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.transforms import Decision


def split_chapters(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Split the text into chapters at chapter headings."""
    return book, []
