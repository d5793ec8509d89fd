"""Render model sections as XHTML elements, shared by the EPUB and the PDF writers.

lxml builds the tree, so every character of the manuscript is escaped by construction and
every document is well-formed; writers only wrap and style what this module returns.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from lxml import etree

from bookbuild.model import (
    Block,
    Book,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Note,
    NoteRef,
    Paragraph,
    Role,
    SceneBreak,
    Section,
    Strong,
    Text,
    plain_text,
)

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
BACKLINK_TEXT = "\u21a9\ufe0e"


@dataclass(frozen=True, slots=True)
class RoleStyle:
    """How a section role is labelled in XHTML: ``epub:type``, ARIA role and default title."""

    epub_type: str
    aria_role: str
    default_title: str


ROLE_STYLES: dict[Role, RoleStyle] = {
    Role.CHAPTER: RoleStyle("chapter", "doc-chapter", ""),
    Role.FRONT_NOTE: RoleStyle("preface", "doc-preface", "Author’s Note"),
    Role.BACK_NOTE: RoleStyle("afterword", "doc-afterword", "Afterword"),
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What differs between the writers' XHTML: where note links point, print-only hints."""

    note_href: str = "notes.xhtml"
    for_print: bool = False
    notes: tuple[Note, ...] = ()


def _append_text(parent: etree._Element, text: str) -> None:
    # parent[-1] reaches the last child directly; list(parent) copied every child on every call,
    # which made a paragraph of 8,000 emphasised words take 15 s of CPU (quadratic).
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def append_inlines(parent: etree._Element, inlines: tuple[Inline, ...], opts: RenderOptions) -> None:
    """Append inline spans to an element as text, ``<em>``, ``<strong>``, ``<br/>`` and note links."""
    for node in inlines:
        if isinstance(node, Text):
            _append_text(parent, node.text)
        elif isinstance(node, Emph):
            append_inlines(etree.SubElement(parent, "em"), node.children, opts)
        elif isinstance(node, Strong):
            append_inlines(etree.SubElement(parent, "strong"), node.children, opts)
        elif isinstance(node, LineBreak):
            etree.SubElement(parent, "br")
        elif isinstance(node, NoteRef):
            _note_reference(parent, node, opts)


def _note_reference(parent: etree._Element, node: NoteRef, opts: RenderOptions) -> None:
    number = node.note_id.removeprefix("note-")
    if opts.for_print:
        # WeasyPrint turns this span into a real footnote with `float: footnote`.
        footnote = etree.SubElement(parent, "span", {"class": "footnote", "id": node.note_id})
        for note in opts.notes:
            if note.note_id == node.note_id:
                paragraphs = [block for block in note.blocks if isinstance(block, Paragraph)]
                for number, block in enumerate(paragraphs):
                    if number:
                        etree.SubElement(footnote, "br")  # a footnote's paragraphs, one per line
                    append_inlines(footnote, block.inlines, opts)
        return
    link = etree.SubElement(
        parent,
        "a",
        {
            "href": f"{opts.note_href}#{node.note_id}",
            "id": f"ref-{node.note_id}",
            EPUB_TYPE: "noteref",
            "role": "doc-noteref",
        },
    )
    link.text = number


def _has_line_break(inlines: tuple[Inline, ...]) -> bool:
    return any(
        isinstance(node, LineBreak) or (isinstance(node, (Emph, Strong)) and _has_line_break(node.children))
        for node in inlines
    )


def is_lines(paragraph: Paragraph) -> bool:
    """Whether a paragraph is set line by line (verse, a letter's greeting, a sign): it has a
    forced line break, so it is no run of prose to indent and justify."""
    return _has_line_break(paragraph.inlines)


# A quotation up to about six printed lines is kept on one page; a longer one may break.
SHORT_QUOTATION_CHARS = 400


def _is_short(blocks: tuple[Block, ...], start: int) -> bool:
    """Whether the run of quoted paragraphs starting at ``start`` is short enough to keep whole."""
    length = 0
    for block in blocks[start:]:
        if not (isinstance(block, Paragraph) and block.quoted):
            break
        length += len(plain_text(block.inlines))
    return length <= SHORT_QUOTATION_CHARS


def append_blocks(parent: etree._Element, blocks: tuple[Block, ...], opts: RenderOptions) -> None:
    """Append blocks: ``<p>`` for paragraphs (each run of quoted ones in one ``<blockquote>``),
    ``<hr/>`` for scene breaks, ``<h2>`` for headings."""
    after_break = True
    quotation: etree._Element | None = None
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph) and block.quoted and quotation is None:
            attrs = {"class": "short"} if opts.for_print and _is_short(blocks, index) else {}
            quotation = etree.SubElement(parent, "blockquote", attrs)
            after_break = True
        elif not (isinstance(block, Paragraph) and block.quoted):
            quotation = None
        if isinstance(block, Paragraph):
            inlines = block.inlines
            plain = len(inlines) == 1 and type(inlines[0]) is Text  # most paragraphs: one run of text
            classes = " ".join(name for name, wanted in (("first", after_break), ("lines", not plain and is_lines(block))) if wanted)
            element = etree.SubElement(parent if quotation is None else quotation, "p", {"class": classes} if classes else {})
            if plain:
                element.text = inlines[0].text
            else:
                append_inlines(element, inlines, opts)
            after_break = False
        elif isinstance(block, SceneBreak):
            etree.SubElement(parent, "hr", {"class": "scene-break"})
            after_break = True
        elif isinstance(block, Heading):
            heading = etree.SubElement(parent, f"h{min(block.level + 1, 6)}")
            append_inlines(heading, block.inlines, opts)
            after_break = True


def shown_sections(book: Book) -> tuple[Section, ...]:
    """The sections as both editions show them: a one-shot's untitled chapter takes the book's title."""
    chapters = book.chapters()
    if len(chapters) == 1 and not chapters[0].title and book.meta.title:
        titled = dataclasses.replace(chapters[0], title=(Text(book.meta.title),))
        return tuple(titled if s is chapters[0] else s for s in book.sections)
    return book.sections


def section_title(section: Section, number: int) -> str:
    """The title a section shows in the table of contents."""
    if section.title:
        return plain_text(section.title).strip()
    style = ROLE_STYLES[section.role]
    return style.default_title or f"Chapter {number}"


# "Chapter One: The Letter", "Part 2 — Home", "III. Morning": a label, a separator, a name.
_LABELLED_TITLE = re.compile(
    r"^\s*((?:chapter|part|book)\s+[\w-]+|(?-i:[IVXLC]+)|\d+)(\s*(?::|\.|\s[—–-])\s+)(?=\S)", re.IGNORECASE
)


def _append_title(heading: etree._Element, title: tuple[Inline, ...], opts: RenderOptions) -> None:
    """The title's spans; a chapter label before the name gets a line of its own, as in a
    printed book, its separator kept in the text (for search and screen readers) but not shown."""
    first = title[0] if title else None
    match = _LABELLED_TITLE.match(first.text) if isinstance(first, Text) else None
    if match is None:
        append_inlines(heading, title, opts)
        return
    etree.SubElement(heading, "span", {"class": "chapter-label"}).text = match.group(1)
    etree.SubElement(heading, "span", {"class": "label-separator"}).text = match.group(2)
    rest = first.text[match.end() :]
    append_inlines(heading, ((Text(rest),) if rest else ()) + title[1:], opts)


def section_element(section: Section, section_id: str, number: int, opts: RenderOptions) -> etree._Element:
    """A ``<section>`` with the role's semantics, its heading and its blocks."""
    style = ROLE_STYLES[section.role]
    element = etree.Element(
        "section",
        {"id": section_id, EPUB_TYPE: style.epub_type, "role": style.aria_role, "class": section.role.value},
        nsmap={"epub": EPUB_NS},
    )
    heading = etree.SubElement(element, "h1" if section.role is Role.CHAPTER else "h2")
    if section.title and section.role is Role.CHAPTER:
        _append_title(heading, section.title, opts)
    elif section.title:
        append_inlines(heading, section.title, opts)
    else:
        heading.text = section_title(section, number)
        if section.role is Role.CHAPTER:
            heading.set("class", "untitled")
    append_blocks(element, section.blocks, opts)
    return element


def notes_element(
    notes: tuple[Note, ...], backlinks: dict[str, str], opts: RenderOptions
) -> etree._Element:
    """The endnotes section of the EPUB, each note linking back to the document citing it."""
    element = etree.Element(
        "section",
        {"id": "endnotes", EPUB_TYPE: "endnotes", "role": "doc-endnotes", "class": "endnotes"},
        nsmap={"epub": EPUB_NS},
    )
    etree.SubElement(element, "h2").text = "Notes"
    listing = etree.SubElement(element, "ol")
    for note in notes:
        # No role="doc-endnote": DPUB-ARIA 1.1 deprecates it and EPUBCheck warns (RSC-017).
        item = etree.SubElement(listing, "li", {"id": note.note_id, EPUB_TYPE: "endnote"})
        append_blocks(item, note.blocks, opts)
        href = f"{backlinks.get(note.note_id, '')}#ref-{note.note_id}"
        back = etree.SubElement(item, "a", {"href": href, "role": "doc-backlink", "aria-label": "Back to the text"})
        # VS15 asks for the text glyph: Apple Books and iOS otherwise draw a large emoji arrow.
        back.text = BACKLINK_TEXT
    return element


def chapter_numbers(book: Book) -> dict[int, int]:
    """Chapter number by section index, counting chapters only."""
    numbers: dict[int, int] = {}
    count = 0
    for index, section in enumerate(book.sections):
        if section.role is Role.CHAPTER:
            count += 1
            numbers[index] = count
    return numbers
