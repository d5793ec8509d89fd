"""The document model: one typed tree that every reader produces and every writer consumes.

A :class:`Book` is metadata plus an ordered tuple of :class:`Section` s. A section has a
:class:`Role` (chapter, front-matter note, ...) and a tuple of blocks; blocks hold inline
spans. All nodes are frozen dataclasses, so a transform builds a new tree instead of mutating
the old one (``dataclasses.replace`` is the tool for that).
"""

from __future__ import annotations

import dataclasses
import enum
import re
from dataclasses import dataclass
from typing import Any

# --- inline spans ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain characters."""

    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasised (italic) content."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strongly emphasised (bold) content."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A forced line break inside a paragraph (verse, a letter's sign-off)."""


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A reference to an endnote in :attr:`Book.notes`, by its id."""

    note_id: str


Inline = Text | Emph | Strong | LineBreak | NoteRef


# --- blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of prose; ``line`` is its 1-based first line in the manuscript.

    ``quoted`` marks a paragraph quoted from elsewhere (a letter, an epigraph, a message):
    writers set each run of quoted paragraphs apart as one block quotation.
    """

    inlines: tuple[Inline, ...]
    line: int | None = None
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside the text, before the chapters transform turns it into a section."""

    inlines: tuple[Inline, ...]
    level: int = 1
    line: int | None = None


@dataclass(frozen=True, slots=True)
class SceneBreak:
    """A change of scene; ``marker`` is the manuscript's own marker text, if it had one."""

    marker: str = ""
    inferred: bool = False
    line: int | None = None


Block = Paragraph | Heading | SceneBreak


# --- sections and the book ------------------------------------------------------------------


class Role(enum.StrEnum):
    """What a section is for; writers map it to ``epub:type`` and ARIA roles."""

    CHAPTER = "chapter"
    FRONT_NOTE = "front-note"  # disclaimers and author's notes before the story
    BACK_NOTE = "back-note"  # author's notes after the story


@dataclass(frozen=True, slots=True)
class Section:
    """A chapter or a matter section: a role, an optional title and its blocks."""

    role: Role
    blocks: tuple[Block, ...]
    title: tuple[Inline, ...] = ()
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """An endnote: lifted out of a paragraph (an inline ``(A/N: ...)``) or a Markdown footnote."""

    note_id: str
    blocks: tuple[Block, ...]


# A series_index e-readers can sort by (2, 2.5); anything else is shown but not sorted on.
SERIES_POSITION = re.compile(r"\d+(\.\d+)?\Z")
# A BCP 47 language tag as EPUB readers take it (en, en-GB, zh-Hant-TW).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")


@dataclass(frozen=True, slots=True)
class Meta:
    """Book metadata, from ``book.toml``, the CLI, a header block, or defaults."""

    title: str = ""
    subtitle: str = ""
    author: str = ""
    language: str = "en"
    identifier: str = ""
    description: str = ""
    subjects: tuple[str, ...] = ()
    series: str = ""
    series_index: str = ""
    publisher: str = ""
    date: str = ""
    source: str = ""
    rights: str = ""
    cover: str = ""
    modified: str = "2000-01-01T00:00:00Z"
    title_from_filename: bool = False


@dataclass(frozen=True, slots=True)
class Book:
    """The whole book: metadata, sections in reading order, and endnotes."""

    meta: Meta
    sections: tuple[Section, ...]
    notes: tuple[Note, ...] = ()

    def chapters(self) -> tuple[Section, ...]:
        """The story's chapters, in order."""
        return tuple(s for s in self.sections if s.role is Role.CHAPTER)


# --- helpers shared by every stage ----------------------------------------------------------


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The characters of some inline spans, markup dropped."""
    if len(inlines) == 1 and type(inlines[0]) is Text:  # most paragraphs: every stage asks, often
        return inlines[0].text
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, (Emph, Strong)):
            parts.append(plain_text(node.children))
        elif isinstance(node, LineBreak):
            parts.append("\n")
    return "".join(parts)


def block_text(block: Block) -> str:
    """The characters of a block (a scene break has none)."""
    if isinstance(block, (Paragraph, Heading)):
        return plain_text(block.inlines)
    return ""


def first_words(text: str, count: int = 8) -> str:
    """The first few words of a text, for decisions and overrides."""
    words = text.split(None, count)  # the head only: callers pass whole paragraphs, often
    head = " ".join(words[:count])
    return head + (" …" if len(words) > count else "")


def to_data(node: Any) -> Any:
    """A JSON-ready form of any model node, tagged with its type name."""
    if isinstance(node, enum.Enum):
        return node.value
    if isinstance(node, tuple):
        return [to_data(item) for item in node]
    if dataclasses.is_dataclass(node):
        data: dict[str, Any] = {"type": type(node).__name__}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if (value in (None, (), "") and f.name not in ("text",)) or (f.name == "quoted" and not value):
                continue
            data[f.name] = to_data(value)
        return data
    return node


__all__ = [
    "Block",
    "Book",
    "Emph",
    "Heading",
    "Inline",
    "LineBreak",
    "Meta",
    "Note",
    "NoteRef",
    "Paragraph",
    "Role",
    "SceneBreak",
    "Section",
    "Strong",
    "Text",
    "block_text",
    "first_words",
    "plain_text",
    "to_data",
]
