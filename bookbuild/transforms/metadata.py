"""Apply metadata from ``book.toml`` and the command line over what the manuscript said."""

from __future__ import annotations

import dataclasses

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import SERIES_POSITION, Book


def apply_metadata(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Set title, author and the other metadata from settings; warn on a title from a file name."""
    changes = {k: v for k, v in cfg.metadata.items() if v not in (None, "")}
    if "subjects" in changes:
        changes["subjects"] = tuple(changes["subjects"])
    if "title" in changes:
        changes["title_from_filename"] = False
    meta = dataclasses.replace(book.meta, **changes)
    decisions = []
    if meta.title_from_filename:
        decisions.append(
            Decision(
                "metadata",
                "MD001",
                "warning",
                f"no title given: using the file name '{meta.title}' (set title in book.toml or --title)",
            )
        )
    index = meta.series_index.strip()
    if meta.series and index and not SERIES_POSITION.match(index):
        rule = (
            f"series_index '{index}' is not a number: e-readers sort a series by a number such as 2 or 2.5, "
            "so the EPUB's series position is left out (the title page still shows it)"
        )
        decisions.append(Decision("metadata", "MD002", "warning", rule))
    return dataclasses.replace(book, meta=meta), decisions
