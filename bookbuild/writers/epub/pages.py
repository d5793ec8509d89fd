"""Page-break markers in the EPUB's XHTML, placed where the page map says printed pages begin.

A marker is an empty ``<span epub:type="pagebreak" role="doc-pagebreak">`` labelled with the
printed page number. It goes before a section's heading when the page opens the section, and
inside a paragraph at the character where the page begins otherwise, counting characters as
the model's plain text does (a line break is one character; note-reference numbers are none).
"""

from __future__ import annotations

import re

from lxml import etree

from bookbuild.pages import PageStart
from bookbuild.render.xhtml import EPUB_TYPE

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")


def marker_id(label: str) -> str:
    """The marker's ``id``: ``page-12``, ``page-xiv``."""
    return "page-" + (_UNSAFE_ID.sub("-", label).strip("-") or "x")


def marker(label: str) -> etree._Element:
    """An empty page-break marker for the printed page ``label``."""
    span = etree.Element(
        "span",
        {EPUB_TYPE: "pagebreak", "role": "doc-pagebreak", "id": marker_id(label), "aria-label": label},
    )
    # Written <span ...></span>, never <span/>: a reader that parses XHTML as HTML would
    # otherwise read the self-closed span as open and wrap the rest of the page in it.
    span.text = ""
    return span


def _is_noteref(element: etree._Element) -> bool:
    return element.get(EPUB_TYPE) == "noteref"


def _slots(element: etree._Element):
    """Text slots of an element in document order: (owner, "text" | "tail", length)."""
    yield element, "text", len(element.text or "")
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "br":
            yield child, "br", 1
        elif not _is_noteref(child):
            yield from _slots(child)
        yield child, "tail", len(child.tail or "")


def insert_in_text(paragraph: etree._Element, offset: int, new: etree._Element) -> None:
    """Insert ``new`` inside ``paragraph`` before the character at ``offset`` of its text."""
    position = 0
    for owner, slot, length in list(_slots(paragraph)):
        if slot == "br":
            position += length
            continue
        if position + length > offset or (slot == "text" and offset == 0):
            cut = max(0, offset - position)
            if slot == "text":
                text = owner.text or ""
                owner.text, new.tail = text[:cut] or None, text[cut:] or None
                owner.insert(0, new)
            else:
                text = owner.tail or ""
                owner.tail, new.tail = text[:cut] or None, text[cut:] or None
                parent = owner.getparent()
                parent.insert(parent.index(owner) + 1, new)
            return
        position += length
    paragraph.append(new)


def insert_markers(section: etree._Element, starts: tuple[PageStart, ...]) -> None:
    """Put a marker in a rendered section (heading first, then one child per block) for each start."""
    if not starts:  # an e-book-only build has no print pages to mark
        return
    children = [child for child in section if isinstance(child.tag, str)]
    targets = []
    for start in starts:
        index = 0 if start.block is None else start.block + 1
        if index < len(children):
            targets.append((children[index], start))
    for target, start in targets:
        new = marker(start.label)
        if start.block is None:
            target.addprevious(new)
        elif target.tag == "p":
            insert_in_text(target, start.offset, new)
        else:
            target.addprevious(new)
