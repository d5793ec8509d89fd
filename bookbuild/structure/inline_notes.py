"""Find an author's note inside a paragraph, "(A/N: ...)" or "[AN: ...]", and lift it out."""

from __future__ import annotations

import re
from functools import cache

from bookbuild.model import Inline, NoteRef, Text
from bookbuild.structure.lexicon import lexicon

_CLOSERS = {"(": ")", "[": "]", "{": "}"}


@cache
def _opener() -> re.Pattern[str]:
    # "an" and "n/a" are words too: only a colon or dash after them makes them labels.
    labels = lexicon().inline_label
    return re.compile(
        rf"[(\[{{]\s*(?:(?:{labels})\s*[:\-–—]+|(?:a/n|author['’]?s['’]? notes?)\s)\s*", re.IGNORECASE
    )


def bracket_pairs(text: str) -> dict[int, int]:
    """For each opening bracket that is closed, the index of its closer (nested pairs of the same
    kind counted), found in one pass: scanning onwards from every opener was quadratic, and
    10,000 unclosed "(A/N: " took minutes."""
    open_at: dict[str, list[int]] = {opener: [] for opener in _CLOSERS}
    opener_of = {closer: opener for opener, closer in _CLOSERS.items()}
    pairs: dict[int, int] = {}
    for position, char in enumerate(text):
        if char in open_at:
            open_at[char].append(position)
        elif char in opener_of and open_at[opener_of[char]]:
            pairs[open_at[opener_of[char]].pop()] = position
    return pairs


def split_inline_notes(text: str) -> list[str | tuple[str]]:
    """A text as pieces: plain strings, and 1-tuples holding an inline note's words."""
    if "(" not in text and "[" not in text and "{" not in text:  # most paragraphs: no opener at all
        return [text]
    pieces: list[str | tuple[str]] = []
    position = 0
    pairs: dict[int, int] | None = None
    for match in _opener().finditer(text):
        if match.start() < position:
            continue
        pairs = bracket_pairs(text) if pairs is None else pairs
        end = pairs.get(match.start(), -1)
        if end < 0:
            continue
        content = text[match.end() : end].strip()
        if not content:
            continue
        pieces.append(text[position : match.start()])
        pieces.append((content,))
        position = end + 1
    pieces.append(text[position:])
    return pieces


def lift_inline_notes(inlines: tuple[Inline, ...], next_id) -> tuple[tuple[Inline, ...], list[tuple[str, str]]]:
    """Inlines with each inline note replaced by a NoteRef; returns them and (note id, words) pairs.

    ``next_id()`` gives the id of the next note. Only notes inside one run of plain text are found,
    which is how writers type them; inlines without a note come back as they were.
    """
    result: list[Inline] = []
    lifted: list[tuple[str, str]] = []
    for node in inlines:
        if not isinstance(node, Text):
            result.append(node)
            continue
        pieces = split_inline_notes(node.text)
        if len(pieces) == 1:
            result.append(node)
            continue
        for piece in pieces:
            if isinstance(piece, tuple):
                note_id = next_id()
                if result and isinstance(result[-1], Text):
                    result[-1] = Text(result[-1].text.rstrip())
                result.append(NoteRef(note_id))
                lifted.append((note_id, piece[0]))
            elif piece:
                result.append(Text(piece))
    if not lifted:  # most paragraphs: nothing to copy
        return inlines, lifted
    cleaned = tuple(n for n in result if not (isinstance(n, Text) and not n.text))
    return cleaned, lifted
