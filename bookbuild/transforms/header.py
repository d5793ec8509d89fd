"""Lift a header block (Title:, Author:, Rating:, Summary: ...) into book metadata."""

from __future__ import annotations

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.transforms import Decision


def lift_header(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Lift a header block (Title:, Author:, Rating:, Summary: ...) into book metadata."""
    return book, []
