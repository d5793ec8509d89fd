"""Where each printed page begins, found in the PDF's own layout, for the EPUB's page list.

The print writer lays the book out with WeasyPrint; walking that layout page by page gives
the first line of body text on every page and the printed folio at its foot. Each line is
matched back to the paragraph it came from (sections carry the same ``sNNN`` ids in both
writers, and a section's children are its heading then one element per block), and the
characters laid out on earlier pages give the offset inside the paragraph where the page
starts. The EPUB writer turns each :class:`PageStart` into a page-break marker there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bookbuild.model import Book, Paragraph, first_words, plain_text
from bookbuild.pages import NO_PAGES, PageMap, PageStart
from bookbuild.writers.pdf.relayout import document_roots

_SECTION_ID = re.compile(r"s(\d+)\Z")
_ARABIC = re.compile(r"\d{1,5}\Z")
_ROMAN = re.compile(r"[ivxlcdm]{1,8}\Z")
# What a line-breaking hyphenator adds at a line's end that the text itself does not have.
_INSERTED_HYPHENS = frozenset("\u2010-\u00ad")
# Characters the text may hold that the layout never shows as glyphs.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
# Generated content that is not the manuscript's text (footnote numbers, list markers).
_SKIPPED_PSEUDO = ("::footnote-call", "::footnote-marker", "::marker", "::before", "::after")



def consumed_offset(model: str, rendered: str) -> int | None:
    """How much of ``model`` the laid-out ``rendered`` text covers, or ``None`` if they disagree.

    Whitespace is ignored on both sides (the layout collapses and drops it at line ends) and a
    hyphen the layout added at a line break is skipped. The result is moved to the start of the
    next word, and back to the start of a word the page boundary split.
    """
    cursor = 0
    for char in rendered:
        if char.isspace():
            continue
        while cursor < len(model) and (model[cursor].isspace() or model[cursor] in _INVISIBLE):
            cursor += 1
        if cursor < len(model) and (model[cursor] == char or model[cursor].casefold() == char.casefold()):
            cursor += 1
        elif char in _INSERTED_HYPHENS or char in _INVISIBLE:
            continue
        else:
            return None
    while cursor < len(model) and (model[cursor].isspace() or model[cursor] in _INVISIBLE):
        cursor += 1
    while 0 < cursor < len(model) and not model[cursor - 1].isspace():
        cursor -= 1  # a word split across two pages belongs to the page it ends on
    return cursor


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _walk(box) -> Iterator[object]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


def _content_boxes(page_box) -> Iterator[object]:
    """The text boxes of a page's body, in reading order: no margin boxes, no footnote area."""
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox, MarginBox, TextBox

    for child in page_box.children:
        if isinstance(child, (MarginBox, FootnoteAreaBox)):
            continue
        for box in _walk(child):
            if isinstance(box, TextBox):
                yield box


def folio(page_box) -> str:
    """The page number printed in a page's margins, or ``""`` when the page shows none."""
    from weasyprint.formatting_structure.boxes import MarginBox, TextBox

    found = ""
    for child in page_box.children:
        if not isinstance(child, MarginBox):
            continue
        text = "".join(b.text for b in _walk(child) if isinstance(b, TextBox)).strip()
        if _ARABIC.match(text):
            return text
        if _ROMAN.match(text) and not found:
            found = text
    return found


def fill_labels(folios: list[str]) -> list[str]:
    """A label for every page: its printed folio, or one counted from the nearest numbered page."""
    labels = list(folios)
    numbered = [(i, int(f)) for i, f in enumerate(folios) if _ARABIC.match(f)]
    for index, label in enumerate(labels):
        if label:
            continue
        if numbered:
            anchor, number = min(numbered, key=lambda pair: abs(pair[0] - index))
            value = number + index - anchor
            labels[index] = str(value) if value > 0 else ""
        else:
            labels[index] = str(index + 1)
    return labels


class _Locator:
    """Maps a laid-out element back to (section index, child index) through the parsed HTML."""

    def __init__(self, roots: list) -> None:
        # A relaid-out document's pages may come from more than one parse of the markup.
        self.parent = {child: parent for root in roots for parent in root.iter() for child in parent}
        # Each element's place among its parent's elements, counted once: a chapter of a thousand
        # paragraphs made the search for every page's first paragraph quadratic.
        self.place = {child: index for root in roots for parent in root.iter()
                      for index, child in enumerate(c for c in parent if isinstance(c.tag, str))}

    def locate(self, element) -> tuple[int, int, object] | None:
        node, child = element, None
        while node is not None:
            if _local(node.tag) == "section":
                match = _SECTION_ID.match(node.get("id") or "")
                if match and child is not None:
                    return int(match.group(1)), self.place[child], child
                return None
            node, child = self.parent.get(node), node
        return None


def _position(book: Book, where: tuple[int, int, object], consumed: str) -> tuple[int | None, int]:
    section_index, child_index, _element = where
    if child_index == 0:
        return None, 0  # the section's heading
    block_index = child_index - 1
    blocks = book.sections[section_index].blocks
    if block_index >= len(blocks) or not consumed:
        return block_index, 0
    block = blocks[block_index]
    if not isinstance(block, Paragraph):
        return block_index, 0
    offset = consumed_offset(plain_text(block.inlines), consumed)
    return block_index, offset or 0


def page_map_from_document(book: Book, document) -> PageMap:
    """The page starts of an already laid-out WeasyPrint document of ``book``."""
    pages = document.pages
    if not pages:
        return NO_PAGES
    # WeasyPrint has no public box API; Page._page_box has held the page's boxes since v53.
    locator = _Locator(document_roots(document))
    labels = fill_labels([folio(page._page_box) for page in pages])
    seen: dict[tuple[int, int], list[str]] = {}
    starts: list[PageStart] = []
    used_labels: set[str] = set()
    for page, label in zip(pages, labels, strict=True):
        first: tuple[tuple[int, int, object], str] | None = None
        for box in _content_boxes(page._page_box):
            tag = box.element_tag or ""
            if tag.endswith(_SKIPPED_PSEUDO) and not tag.startswith("hr"):
                continue
            where = locator.locate(box.element)
            if where is None or where[0] >= len(book.sections):
                continue
            key = (where[0], where[1])
            if first is None:
                first = (where, "".join(seen.get(key, ())))
            if not tag.endswith(_SKIPPED_PSEUDO):
                seen.setdefault(key, []).append(box.text)
        if first is None or not label or label in used_labels:
            continue
        where, consumed = first
        block, offset = _position(book, where, consumed)
        used_labels.add(label)
        starts.append(PageStart(label, where[0], block, offset, _words_at(book, where[0], block, offset)))
    return PageMap(tuple(starts), len(pages))


def _words_at(book: Book, section: int, block: int | None, offset: int) -> str:
    if block is None:
        return first_words(plain_text(book.sections[section].title))
    target = book.sections[section].blocks[block]
    if isinstance(target, Paragraph):
        return first_words(plain_text(target.inlines)[offset:])
    return ""
