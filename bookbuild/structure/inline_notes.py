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


def _closing(text: str, start: int, opener: str) -> int:
    """Index of the bracket that closes the one at ``start``, counting nested pairs; -1 if none."""
    closer = _CLOSERS[opener]
    depth = 0
    for position in range(start, len(text)):
        if text[position] == opener:
            depth += 1
        elif text[position] == closer:
            depth -= 1
            if depth == 0:
                return position
    return -1


def split_inline_notes(text: str) -> list[str | tuple[str]]:
    """A text as pieces: plain strings, and 1-tuples holding an inline note's words."""
    pieces: list[str | tuple[str]] = []
    position = 0
    for match in _opener().finditer(text):
        if match.start() < position:
            continue
        end = _closing(text, match.start(), text[match.start()])
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
    which is how writers type them.
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
    cleaned = tuple(n for n in result if not (isinstance(n, Text) and not n.text))
    return cleaned, lifted
