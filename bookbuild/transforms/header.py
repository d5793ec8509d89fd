"""Lift a header block (Title:, Author:, Rating:, Summary: ...) into book metadata."""

from __future__ import annotations

import dataclasses
import re

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Book, Heading, Meta, Paragraph, Role, Section, block_text, first_words
from bookbuild.structure.headings import looks_like_title
from bookbuild.structure.lexicon import lexicon
from bookbuild.structure.notecues import note_label

# A header sits in the first few blocks; past them "Title:" is story text.
SCAN_BLOCKS = 25
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")
_GENRE_SPLIT = re.compile(r"\s*[,;/]\s*")
_UNUSED = ("recorded only", "ignored (empty)")
_GENRE_KEYS = ("genre", "genres", "category", "categories", "tags", "additional tags")


def header_fields(text: str) -> list[tuple[str, str]] | None:
    """The (key, value) pairs of a header paragraph ("Title: X Author: Y"), or None if it is not one."""
    lex = lexicon()
    first = lex.header_key.match(text)
    if not first:
        return None
    # Later keys must be capitalised, so "Summary: the title: of it" stays one field.
    starts = [first] + [
        m for m in lex.header_key.finditer(text, first.end()) if m["key"][0].isupper() and text[m.start() - 1].isspace()
    ]
    fields = []
    for match, following in zip(starts, starts[1:] + [None], strict=True):
        value = text[match.end() : following.start() if following else len(text)].strip()
        fields.append((match["key"].lower(), value))
    return fields


def _apply(meta: Meta, key: str, value: str) -> tuple[Meta, str]:
    field = lexicon().header_keys[key]
    if not value:
        return meta, "ignored (empty)"
    if field == "title":
        return dataclasses.replace(meta, title=value, title_from_filename=False), "title"
    if field == "author":
        return dataclasses.replace(meta, author=value), "author"
    if field == "description":
        joined = f"{meta.description} {value}".strip() if meta.description else value
        return dataclasses.replace(meta, description=joined), "description"
    if field == "series":
        return dataclasses.replace(meta, series=value), "series"
    if field == "subjects":
        if key in ("rating", "rated"):
            parts = [f"Rated {value}"]
        else:
            parts = (_GENRE_SPLIT if key in _GENRE_KEYS else _LIST_SPLIT).split(value)
        new = tuple(p.strip() for p in parts if p.strip() and p.strip() not in meta.subjects)
        return dataclasses.replace(meta, subjects=meta.subjects + new), "subjects"
    return meta, "recorded only"


def _title_heading(book: Book) -> tuple[Book, list[Decision]]:
    """A Markdown heading that opens the book and outranks every other heading titles the book.

    With deeper headings after it (the chapters) it leaves the text; alone, it also stays as the
    one chapter's title.
    """
    blocks = book.sections[0].blocks
    if not blocks or not isinstance(blocks[0], Heading):
        return book, []
    top = blocks[0]
    levels = [b.level for s in book.sections for b in s.blocks if isinstance(b, Heading) and b is not top]
    text = block_text(top).strip()
    if not text or any(level <= top.level for level in levels):
        return book, []
    meta = book.meta
    if meta.title_from_filename or not meta.title:
        meta = dataclasses.replace(meta, title=text, title_from_filename=False)
    if levels:
        first = dataclasses.replace(book.sections[0], blocks=blocks[1:])
        book = dataclasses.replace(book, sections=(first,) + book.sections[1:])
    decision = Decision(
        "header", "HD003", "metadata", "the Markdown heading that opens the book titles it",
        first_words(text), 0.9, top.line, {"title": text},
    )
    return dataclasses.replace(book, meta=meta), [decision]


def lift_header(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Lift a header block (Title:, Author:, Rating:, Summary: ...) into book metadata."""
    # A header block opens the text; a note section a reader marked (an Archive download's
    # notes) holds the author's words, never "Key: value" metadata.
    if not book.sections or book.sections[0].role is not Role.CHAPTER:
        return book, []
    book, titled = _title_heading(book)
    book, fields = _lift_fields(book)
    return book, titled + fields


def _lift_fields(book: Book) -> tuple[Book, list[Decision]]:
    """Header lines ("Key: value") at the top of the first section, as metadata."""
    section = book.sections[0]
    meta = book.meta
    decisions: list[Decision] = []
    kept: list = []
    last_line: int | None = None
    last_field = ""
    scanning = True
    for position, block in enumerate(section.blocks):
        if not scanning or position >= SCAN_BLOCKS:
            kept.append(block)
            continue
        text = block_text(block).strip()
        fields = header_fields(text) if isinstance(block, Paragraph) else None
        if fields:
            targets = []
            for key, value in fields:
                meta, target = _apply(meta, key, value)
                targets.append(target)
                last_field = lexicon().header_keys[key]
                decisions.append(
                    Decision(
                        "header", "HD001", "metadata", f"header line '{key}:' → {target}",
                        first_words(f"{key}: {value}"), 0.95, block.line, {"key": key, "value": value},
                    )
                )
            last_line = block.line
            # A line no metadata field takes ("Beta: Sam", "Spoilers: season 2") that is also a
            # note's label stays in the text, where the notes step shows it as the author's note.
            if note_label(text) and all(t in _UNUSED for t in targets):
                kept.append(block)
                decisions.append(
                    Decision("header", "HD004", "keep-text", "a header line no field takes, labelled as a note: kept as a note",
                             first_words(text), 0.9, block.line)
                )
            continue
        follows_directly = last_line is not None and block.line == last_line + 1
        if isinstance(block, Paragraph) and last_field == "description" and follows_directly:
            # A summary wrapped onto the next line (no blank line between) is still the summary.
            meta = dataclasses.replace(meta, description=f"{meta.description} {text}".strip())
            decisions.append(
                Decision("header", "HD002", "metadata", "summary continued on the next line", first_words(text), 0.85, block.line)
            )
            last_line = block.line
            continue
        kept.append(block)
        # A heading, a labelled note or (before any field) a title line may stand
        # before or among the header lines; anything else ends the header.
        short_opening = not decisions and position < 3 and looks_like_title(text)
        if not (isinstance(block, Heading) or note_label(text) or short_opening):
            scanning = False
    if not decisions:
        return book, []
    first = dataclasses.replace(section, blocks=tuple(kept))
    sections: tuple[Section, ...] = (first,) + book.sections[1:]
    return dataclasses.replace(book, meta=meta, sections=sections), decisions
