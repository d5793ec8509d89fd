"""Number the notes in the order the text cites them.

Markdown footnotes are numbered when the file is read and lifted author's notes later, so a
book with both would cite 1, 3, 2; this renumbers every note by its first citation.
"""

from __future__ import annotations

import dataclasses

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Book, Emph, Heading, Inline, Note, NoteRef, Paragraph, Strong, Text


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
        notes, cut = _cut_cycles(book.notes, names)
        return dataclasses.replace(book, notes=notes), cut
    sections = tuple(
        dataclasses.replace(s, title=_renamed(s.title, names), blocks=_renamed_blocks(s.blocks, names))
        for s in book.sections
    )
    notes = tuple(Note(names[old], _renamed_blocks(by_id[old].blocks, names)) for old in order)
    moved = {old: new for old, new in names.items() if old != new}
    rule = "notes numbered in the order the text cites them (footnotes and lifted author's notes together)"
    decision = Decision("note_order", "NT030", "renumber", rule, data={"renamed": moved})
    notes, cut = _cut_cycles(notes, {new: new for new in names.values()})
    return dataclasses.replace(book, sections=sections, notes=notes), [decision, *cut]


# A note citing a note citing a note...: the print edition sets each cited note inside the
# citing one's footnote, so a chain deeper than this (or a loop) is cut to plain text.
MAX_NOTE_DEPTH = 4


def _cut_cycles(notes: tuple[Note, ...], names: dict[str, str]) -> tuple[tuple[Note, ...], list[Decision]]:
    """Notes whose citations of a note that (through others) cites them back, or that nest past
    MAX_NOTE_DEPTH, are plain text ``[n]``: a footnote that contains itself never ends."""
    by_id = {note.note_id: note for note in notes}
    cited = {note.note_id: [] for note in notes}
    for note in notes:
        for block in note.blocks:
            if isinstance(block, (Paragraph, Heading)):
                _cited(block.inlines, cited[note.note_id])
    cut: set[tuple[str, str]] = set()
    finished: set[str] = set()
    for root in by_id:
        if root in finished:
            continue
        stack = [(root, iter(cited[root]))]
        path = [root]
        while stack:
            current, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                stack.pop()
                path.pop()
                finished.add(current)
                continue
            if target not in by_id:
                continue
            if target in path or len(path) >= MAX_NOTE_DEPTH:
                cut.add((current, target))
            elif target not in finished:
                stack.append((target, iter(cited[target])))
                path.append(target)
    if not cut:
        return notes, []
    result = []
    for note in notes:
        targets = {t for c, t in cut if c == note.note_id}
        blocks = note.blocks
        if targets:
            blocks = tuple(
                dataclasses.replace(b, inlines=_as_text(b.inlines, targets)) if isinstance(b, (Paragraph, Heading)) else b
                for b in blocks
            )
        result.append(dataclasses.replace(note, blocks=blocks))
    shown = ", ".join(f"{_number(c)} → {_number(t)}" for c, t in sorted(cut))
    rule = (f"notes that cite each other (or themselves, or nest more than {MAX_NOTE_DEPTH} deep): "
            f"the citation inside the note is kept as plain text [n] ({shown[:200]})")
    return tuple(result), [Decision("note_order", "NT031", "warning", rule, data={"cut": sorted(cut)})]


def _number(note_id: str) -> str:
    return note_id.removeprefix("note-")


def _as_text(inlines: tuple[Inline, ...], targets: set[str]) -> tuple[Inline, ...]:
    result: list[Inline] = []
    for node in inlines:
        if isinstance(node, NoteRef) and node.note_id in targets:
            node = Text(f"[{_number(node.note_id)}]")
        elif isinstance(node, (Emph, Strong)):
            node = dataclasses.replace(node, children=_as_text(node.children, targets))
        result.append(node)
    return tuple(result)
