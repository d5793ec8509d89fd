"""Move disclaimers and author's notes out of the story into their own sections."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import (
    Block,
    Book,
    Note,
    NoteRef,
    Paragraph,
    Role,
    SceneBreak,
    Section,
    Text,
    block_text,
    first_words,
    plain_text,
)
from bookbuild.structure.blocks import trim_edge_breaks
from bookbuild.structure.headings import is_named_note
from bookbuild.structure.inline_notes import lift_inline_notes
from bookbuild.structure.lexicon import lexicon
from bookbuild.structure.notecues import (
    FRONT_MATTER,
    LOOSE,
    NoteMatch,
    RunItem,
    front_matter,
    leading_run,
    loose_paragraphs,
    note_cue,
    trailing_run,
)
from bookbuild.structure.overrides import matches, named_nowhere, unused

OVERRIDE_NOTE = NoteMatch("NT010", "override: book.toml notes_add", 1.0)
NAMED_SECTION = NoteMatch("NT005", "a section headed as author's matter (Afterword, Author's Note)", 0.9)
SOURCE_NOTE = NoteMatch("NT007", "marked as the author's note by the source (an Archive 'Notes' block, a Word footnote)", 1.0)
MID_NOTE = NoteMatch("NT006", "a labelled author's note inside a chapter ('A/N: ...'): made an endnote", 0.95)


@dataclass
class _Piece:
    """A run of blocks in reading order: story (a chapter) or notes, with why each note is one."""

    is_note: bool
    blocks: tuple[Block, ...]
    title: tuple = ()
    line: int | None = None
    why: list[tuple[Block, NoteMatch]] = field(default_factory=list)


@cache
def _mid_label() -> re.Pattern[str]:
    return re.compile(rf"^[(\[{{*~ ]*(?:{lexicon().inline_label})\s*[:\-–—]", re.IGNORECASE)


def _split_section(section: Section, cfg: BuildConfig, before_heading: bool = False) -> list[_Piece]:
    """A chapter as pieces: its opening notes, its story, its closing notes.

    ``before_heading`` marks the untitled text before a book's first chapter heading, where a
    short paragraph left over after the notes is more note, not story.
    """
    blocks = section.blocks
    texts = [block_text(b).strip() if isinstance(b, Paragraph) else None for b in blocks]
    if section.title and is_named_note(plain_text(section.title)):
        why = [(b, NAMED_SECTION) for b in blocks if isinstance(b, Paragraph)]
        return [_Piece(True, blocks, section.title, section.line, why)]

    def forced(offset: int) -> Callable[[int], NoteMatch | None]:
        return lambda i: OVERRIDE_NOTE if matches(blocks[i + offset], cfg.overrides.notes_add) else None

    def blocked(offset: int) -> Callable[[int], bool]:
        return lambda i: matches(blocks[i + offset], cfg.overrides.notes_remove) is not None

    head = leading_run(texts, forced(0), blocked(0))
    start = head[-1].index + 1 if head else 0
    rest = range(start, len(texts))
    if before_heading and head and start + loose_paragraphs(texts, start) == len(texts):
        if not any(blocked(0)(i) for i in rest):
            head += [RunItem(i, LOOSE) for i in rest]
            start = len(texts)
    elif before_heading and start < len(texts) and front_matter(texts) and not any(blocked(0)(i) for i in rest):
        # A note the rules miss may come first ("Nothing here is mine but the typos."): all the
        # short paragraphs before the first heading are front matter when half of them are notes.
        head = [RunItem(i, forced(0)(i) or note_cue(texts[i] or "") or FRONT_MATTER) for i in range(len(texts))]
        start = len(texts)
    tail = trailing_run(texts[start:], forced(start), blocked(start))
    end = start + tail[0].index if tail else len(blocks)
    pieces = []
    if head:
        pieces.append(_Piece(True, blocks[:start], why=[(blocks[item.index], item.match) for item in head]))
    story, _ = trim_edge_breaks(blocks[start:end])
    if story or section.title:
        pieces.append(_Piece(False, story, section.title, section.line))
    if tail:
        pieces.append(_Piece(True, blocks[end:], why=[(blocks[item.index + start], item.match) for item in tail]))
    return pieces


def _source_notes(section: Section, cfg: BuildConfig) -> list[_Piece]:
    """A note section a reader marked (an Archive download's notes): notes, except paragraphs
    book.toml names in notes_remove, which go back to the story where they stand."""
    pieces: list[_Piece] = []
    for block in section.blocks:
        story = isinstance(block, Paragraph) and matches(block, cfg.overrides.notes_remove) is not None
        if not pieces or pieces[-1].is_note == story:
            title = section.title if not pieces else ()
            pieces.append(_Piece(not story, (), title, block.line if block.line is not None else section.line))
        piece = pieces[-1]
        piece.blocks += (block,)
        if piece.is_note and isinstance(block, Paragraph):
            piece.why.append((block, SOURCE_NOTE))
    return pieces


def _lift_mid_notes(
    piece: _Piece, cfg: BuildConfig, ids: Callable[[], str], notes: list[Note], decisions: list[Decision]
) -> _Piece:
    """A story piece with inline "(A/N: ...)" and whole note paragraphs inside it made endnotes."""
    drop = cfg.notes == "drop"
    action = "drop" if drop else "endnote"
    result: list[Block] = []
    host: int | None = None  # where in result the last paragraph is: a note paragraph's host
    for block in piece.blocks:
        if not isinstance(block, Paragraph):
            result.append(block)
            continue
        text = block_text(block).strip()
        forced = matches(block, cfg.overrides.notes_add)
        is_note = (forced or _mid_label().match(text)) and not matches(block, cfg.overrides.notes_remove)
        if is_note and host is not None:
            why = OVERRIDE_NOTE if forced else MID_NOTE
            dropped = {"text": text} if drop else {}  # the nothing-lost check needs the whole note
            decisions.append(Decision("notes", why.code, action, why.rule, first_words(text), why.confidence, block.line, dropped))
            if not drop:
                note_id = ids()
                notes.append(Note(note_id, (block,)))
                result[host] = dataclasses.replace(result[host], inlines=result[host].inlines + (NoteRef(note_id),))
            continue
        inlines, lifted = lift_inline_notes(block.inlines, ids)
        for note_id, words in lifted:
            rule = "an inline note '(A/N: ...)' inside a paragraph: made an endnote"
            data = {"note_id": note_id} | ({"text": words} if drop else {})
            decisions.append(Decision("notes", "NT004", action, rule, first_words(words), 0.95, block.line, data))
            if not drop:
                notes.append(Note(note_id, (Paragraph((Text(words),), line=block.line),)))
        if drop:
            inlines = tuple(node for node in inlines if not isinstance(node, NoteRef))
        host = len(result)
        result.append(dataclasses.replace(block, inlines=inlines) if lifted else block)
    return dataclasses.replace(piece, blocks=tuple(result))


def _placement(index: int, pieces: list[_Piece], mode: str) -> str:
    story = [i for i, p in enumerate(pieces) if not p.is_note]
    if mode == "drop":
        return "dropped"
    if mode == "end":
        return "end"
    if not story or index < story[0]:
        return "front"
    return "back" if index > story[-1] else "between chapters"


def _assemble(pieces: list[_Piece], cfg: BuildConfig) -> tuple[list[Section], list[Decision]]:
    """Sections in reading order: front notes, chapters (notes between them), back notes."""
    front: list[Section] = []
    body: list[Section] = []
    back: list[Section] = []
    decisions: list[Decision] = []
    for index, piece in enumerate(pieces):
        if not piece.is_note:
            body.append(Section(Role.CHAPTER, piece.blocks, title=piece.title, line=piece.line))
            continue
        place = _placement(index, pieces, cfg.notes)
        for number, (block, why) in enumerate(piece.why):
            excerpt = first_words(block_text(block))
            data = {"placement": place} | ({"text": block_text(block)} if place == "dropped" else {})
            if place == "dropped" and piece.title and not number:
                data["title"] = plain_text(piece.title)
            decisions.append(Decision("notes", why.code, "note", why.rule, excerpt, why.confidence, block.line, data))
        blocks, _ = trim_edge_breaks(piece.blocks)
        if place == "dropped" or not blocks:
            continue
        role = Role.BACK_NOTE if place in ("back", "end") else Role.FRONT_NOTE
        target = front if place == "front" else body if place == "between chapters" else back
        target.append(Section(role, blocks, title=piece.title, line=piece.line))
    return _merge_adjacent(front + body + back), decisions


def _merge_adjacent(sections: list[Section]) -> list[Section]:
    """Untitled note sections side by side (a chapter's closing notes, the next one's opening) as one."""
    merged: list[Section] = []
    for section in sections:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and section.role is not Role.CHAPTER
            and previous.role is section.role
            and not section.title
            and not previous.title
        ):
            merged[-1] = dataclasses.replace(previous, blocks=previous.blocks + section.blocks)
        else:
            merged.append(section)
    return merged


def extract_notes(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Move disclaimers and author's notes out of the story into their own sections."""
    pieces: list[_Piece] = []
    for index, section in enumerate(book.sections):
        following = book.sections[index + 1] if index + 1 < len(book.sections) else None
        before_heading = index == 0 and not section.title and following is not None and bool(following.title)
        if section.role is Role.CHAPTER:
            pieces += _split_section(section, cfg, before_heading)
        else:
            pieces += _source_notes(section, cfg)
    counter = itertools.count(len(book.notes) + 1)
    notes: list[Note] = []
    inline_decisions: list[Decision] = []
    pieces = [
        p if p.is_note else _lift_mid_notes(p, cfg, lambda: f"note-{next(counter)}", notes, inline_decisions)
        for p in pieces
    ]
    sections, decisions = _assemble(pieces, cfg)
    decisions += inline_decisions
    for key in ("notes_add", "notes_remove"):
        phrases = getattr(cfg.overrides, key)
        missing = named_nowhere(book, phrases)
        decisions += unused("notes", "NT020", key, phrases, set(phrases) - missing)
    new_book = dataclasses.replace(book, sections=tuple(sections), notes=book.notes + tuple(notes))
    return new_book, decisions + _dropped_breaks(book, new_book) + _no_story_left(book, new_book)


def _no_story_left(before: Book, after: Book) -> list[Decision]:
    """A warning when every paragraph was taken for a note: the book would have no story."""
    def story(book: Book) -> bool:
        return any(isinstance(b, Paragraph) for s in book.chapters() for b in s.blocks)

    if not story(before) or story(after):
        return []
    rule = (
        "every paragraph was read as an author's note, so the book has no story; "
        "if that is wrong, name the story's first words in book.toml [overrides] notes_remove"
    )
    return [Decision("notes", "NT021", "warning", rule)]


def _dropped_breaks(before: Book, after: Book) -> list[Decision]:
    """A decision for each scene break that lost its place next to a note that moved out."""
    kept = {id(b) for s in after.sections for b in s.blocks if isinstance(b, SceneBreak)}
    return [
        Decision("notes", "SB006", "drop", "a scene break between a note and the story: dropped", b.marker, 1.0, b.line)
        for s in before.sections
        for b in s.blocks
        if isinstance(b, SceneBreak) and id(b) not in kept
    ]
