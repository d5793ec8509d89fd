"""Place the scene breaks a saved story lost, and rank the unsure ones for review."""

from __future__ import annotations

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.transforms import Decision


def infer_scene_breaks(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Place the scene breaks a saved story lost, and rank the unsure ones for review."""
    return book, []
