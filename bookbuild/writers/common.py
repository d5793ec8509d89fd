"""What both writers need from the metadata: the build date, an identifier, a file name."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid

from bookbuild.model import Meta

# Identifiers derived from metadata live under one fixed namespace, so they are stable.
_ID_NAMESPACE = uuid.UUID("5b6a8f52-1c55-4b8e-9e36-2f0f0d3c7a11")


def parse_date(value: str) -> dt.datetime:
    """A UTC datetime from the model's ISO ``modified`` string."""
    stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return stamp.astimezone(dt.UTC).replace(tzinfo=None)


def book_identifier(meta: Meta) -> str:
    """The book's ``dc:identifier``: as set, or a UUID derived from title and author."""
    if meta.identifier:
        return meta.identifier
    return "urn:uuid:" + str(uuid.uuid5(_ID_NAMESPACE, f"{meta.title}\n{meta.author}"))


def slugify(title: str) -> str:
    """A file-name-safe slug of a title: ``The Last Two`` → ``the-last-two``."""
    # Apostrophes join their word ("Lamplighter's" → "lamplighters"), as a reader would expect.
    title = re.sub("['’]", "", title)
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if not slug:
        # A title in a script ASCII cannot spell (日本語, Ελληνικά) keeps its letters: every such
        # book was "book.epub", and each build replaced the last one's file.
        slug = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", title).lower()).strip("-")
    return slug[:80].strip("-") or "book"
