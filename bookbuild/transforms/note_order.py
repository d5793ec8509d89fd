"""Number the notes in the order the text cites them.

Markdown footnotes are numbered when the file is read and lifted author's notes later, so a
book with both would cite 1, 3, 2; this renumbers every note by its first citation.
"""

from __future__ import annotations

import dataclasses

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Book, Emph, Heading, Inline, Note, NoteRef, Paragraph, Strong


def _cited(inlines: tuple[Inline, ...], found: list[str]) -> None:
    for node in inlines:
        if isinstance(node, NoteRef) and node.note_id not in found:
            found.append(node.note_id)
        elif isinstance(node, (Emph, Strong)):
            _cited(node.children, found)


def _renamed(inlines: tuple[Inline, ...], names: dict[str, str]) -> tuple[Inline, ...]:
    result: list[Inline] = []
    for node in inlines:
        if isinstance(node, NoteRef):
            node = NoteRef(names.get(node.note_id, node.note_id))
        elif isinstance(node, (Emph, Strong)):
            node = dataclasses.replace(node, children=_renamed(node.children, names))
        result.append(node)
    return tuple(result)


def _renamed_blocks(blocks: tuple, names: dict[str, str]) -> tuple:
    return tuple(
        dataclasses.replace(b, inlines=_renamed(b.inlines, names)) if isinstance(b, (Paragraph, Heading)) else b
        for b in blocks
    )


def number_notes(book: Book, _cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """The book with its notes numbered, and listed, in the order the text first cites them."""
    order: list[str] = []
    for section in book.sections:
        _cited(section.title, order)
        for block in section.blocks:
            if isinstance(block, (Paragraph, Heading)):
                _cited(block.inlines, order)
    by_id = {note.note_id: note for note in book.notes}
    order = [note_id for note_id in order if note_id in by_id]
    order += [note.note_id for note in book.notes if note.note_id not in order]
    names = {old: f"note-{number}" for number, old in enumerate(order, start=1)}
    if all(old == new for old, new in names.items()) and [n.note_id for n in book.notes] == order:
        return book, []
    sections = tuple(
        dataclasses.replace(s, title=_renamed(s.title, names), blocks=_renamed_blocks(s.blocks, names))
        for s in book.sections
    )
    notes = tuple(Note(names[old], _renamed_blocks(by_id[old].blocks, names)) for old in order)
    moved = {old: new for old, new in names.items() if old != new}
    rule = "notes numbered in the order the text cites them (footnotes and lifted author's notes together)"
    decision = Decision("note_order", "NT030", "renumber", rule, data={"renamed": moved})
    return dataclasses.replace(book, sections=sections, notes=notes), [decision]
