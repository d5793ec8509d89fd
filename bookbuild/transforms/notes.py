"""Move disclaimers and author's notes out of the story into their own sections."""

from __future__ import annotations

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.transforms import Decision


def extract_notes(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Move disclaimers and author's notes out of the story into their own sections."""
    return book, []
