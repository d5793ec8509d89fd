"""Turn marked scene-break lines (***, ~~~, -break-) into scene breaks."""

from __future__ import annotations

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.transforms import Decision


def mark_scene_breaks(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Turn marked scene-break lines (***, ~~~, -break-) into scene breaks."""
    return book, []
