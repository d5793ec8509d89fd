"""Markdown footnotes as endnotes: who cites what, and a place for every definition.

The Markdown reader reports each reference and each definition as it meets them; at the end
:meth:`Footnotes.finish` makes a :class:`~bookbuild.model.Note` per reference, numbered in
reading order, so nothing a writer defined is lost, even a definition nothing cites.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from bookbuild.decisions import Decision
from bookbuild.model import Block, Note, NoteRef, Paragraph, block_text, first_words, plain_text

# A reference the footnote plugin left as text: it names no definition.
_DANGLING = re.compile(r"\[\^([^\]\s]+)\](?!:)")


@dataclass
class _Definition:
    blocks: list[Block]
    position: int  # how many of the text's blocks came before it
    line: int | None


class Footnotes:
    """The footnotes of one Markdown file, numbered on from the notes read before it."""

    def __init__(self, notes: list[Note], decisions: list[Decision]) -> None:
        self.notes = notes
        self.decisions = decisions
        self.next_number = len(notes) + 1
        self.cited: list[tuple[str, str]] = []  # (label, note id), in reading order
        self.inline: dict[str, tuple[Block, ...]] = {}  # "^[...]" notes carry their own text
        self.definitions: dict[str, _Definition] = {}

    def _new_id(self) -> str:
        note_id = f"note-{self.next_number}"
        self.next_number += 1
        return note_id

    def cite(self, label: str, line: int | None) -> NoteRef:
        """The reference to a labelled footnote; a second reference gets a copy of the note,
        since an id (and a printed footnote) can stand in one place only."""
        note_id = self._new_id()
        if any(seen == label for seen, _ in self.cited):
            rule = f"footnote [^{label}] is cited more than once: each citation gets its own copy of the note"
            self.decisions.append(Decision("read", "RD033", "info", rule, f"[^{label}]", line=line))
        self.cited.append((label, note_id))
        return NoteRef(note_id)

    def cite_inline(self, blocks: tuple[Block, ...]) -> NoteRef:
        """The reference to an inline footnote (``^[the note]``)."""
        note_id = self._new_id()
        self.inline[note_id] = blocks
        return NoteRef(note_id)

    def define(self, label: str, blocks: list[Block], position: int, line: int | None) -> None:
        """A definition (``[^label]: ...``) met after ``position`` blocks of the text."""
        key = label
        while key in self.definitions:  # a second definition of one label is kept, uncited
            key += "\x00"
        self.definitions[key] = _Definition(blocks, position, line)

    def check_text(self, paragraph: Paragraph) -> None:
        """Warn about references left as text because no definition has their label."""
        for match in _DANGLING.finditer(plain_text(paragraph.inlines)):
            rule = f"footnote reference '{match.group(0)}' has no definition: kept as text"
            self.decisions.append(
                Decision("read", "RD032", "warning", rule, first_words(block_text(paragraph)), line=paragraph.line)
            )

    def finish(self, blocks: list[Block]) -> list[Block]:
        """The text's blocks with every uncited definition cited, and the notes added."""
        made: dict[str, tuple[Block, ...]] = dict(self.inline)
        for label, note_id in self.cited:
            made[note_id] = tuple(self.definitions[label].blocks) if label in self.definitions else ()
        cited = {label for label, _ in self.cited}
        for key, definition in self.definitions.items():
            if key in cited:
                continue
            host = _host(blocks, definition.position)
            label = key.rstrip("\x00")
            excerpt = first_words(" ".join(block_text(b) for b in definition.blocks))
            if host is None:
                rule = f"footnote [^{label}] is cited nowhere and the text has no paragraph to cite it: kept as text"
                blocks.extend(definition.blocks)
            else:
                rule = f"footnote [^{label}] is cited nowhere: kept as a note of the paragraph before it"
                note_id = self._new_id()
                paragraph = blocks[host]
                assert isinstance(paragraph, Paragraph)
                blocks[host] = dataclasses.replace(paragraph, inlines=paragraph.inlines + (NoteRef(note_id),))
                made[note_id] = tuple(definition.blocks)
            self.decisions.append(Decision("read", "RD031", "warning", rule, excerpt, line=definition.line))
        self.notes.extend(Note(note_id, made[note_id]) for note_id in sorted(made, key=_number))
        return blocks


def _number(note_id: str) -> int:
    return int(note_id.removeprefix("note-"))


def _host(blocks: list[Block], position: int) -> int | None:
    """The paragraph an uncited definition belongs to: the last one before it, else the first."""
    before = [i for i in range(min(position, len(blocks))) if isinstance(blocks[i], Paragraph)]
    if before:
        return before[-1]
    return next((i for i, block in enumerate(blocks) if isinstance(block, Paragraph)), None)
