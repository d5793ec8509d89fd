"""Kobo's kepub: the same EPUB with every sentence in a ``koboSpan`` and the body in Kobo's column wrappers.

Kobo readers open a ``.kepub.epub`` with their newer engine (reading statistics, better page
layout, highlights that stay put), which finds its place in the text by these spans. Each block
of text (a paragraph, a heading, a list item) counts as one paragraph ``N``; inside it every
sentence, and every piece of a sentence that emphasis or a link cuts off, is one span
``kobo.N.M``. Nothing else in the book changes, so EPUBCheck still passes it.
"""

from __future__ import annotations

import re

from lxml import etree

from bookbuild.render.xhtml import XHTML_NS

# Where a sentence ends: after . ! ? or … (and any closing quotes or brackets), before a space.
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+")
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "figcaption", "td", "th", "blockquote"})
SPAN_CLASS = "koboSpan"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence's end, the spaces kept with the sentence before them."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


class _Counter:
    """Numbers paragraphs and the spans inside the current one."""

    def __init__(self) -> None:
        self.paragraph = 0
        self.segment = 0

    def next_paragraph(self) -> None:
        self.paragraph += 1
        self.segment = 0

    def next_id(self) -> str:
        self.segment += 1
        return f"kobo.{self.paragraph}.{self.segment}"


def _span(text: str, counter: _Counter) -> etree._Element:
    span = etree.Element(f"{{{XHTML_NS}}}span", {"class": SPAN_CLASS, "id": counter.next_id()})
    span.text = text
    return span


def _spans(text: str, counter: _Counter) -> list[etree._Element]:
    return [_span(piece, counter) for piece in sentences(text)]


def _wrap_text(element: etree._Element, counter: _Counter) -> None:
    """Put the text directly inside ``element`` and after each of its children into spans."""
    if element.text and element.text.strip():
        for position, span in enumerate(_spans(element.text, counter)):
            element.insert(position, span)
        element.text = None
    for child in list(element):
        if _local(child.tag) == "span" and child.get("class") == SPAN_CLASS:
            continue
        if isinstance(child.tag, str):
            _wrap_inline(child, counter)
        if child.tail and child.tail.strip():
            parent = child.getparent()
            index = parent.index(child)
            for offset, span in enumerate(_spans(child.tail, counter), start=1):
                parent.insert(index + offset, span)
            child.tail = None


def _wrap_inline(element: etree._Element, counter: _Counter) -> None:
    if _local(element.tag) in _BLOCKS:
        counter.next_paragraph()
        _wrap_text(element, counter)
        counter.next_paragraph()
    else:
        _wrap_text(element, counter)


def _walk(element: etree._Element, counter: _Counter) -> None:
    """Give every block of text its paragraph number and its text spans, depth first."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if _local(child.tag) in _BLOCKS:
            counter.next_paragraph()
            _wrap_text(child, counter)
        else:
            _walk(child, counter)
            # Text loose in a container (a div's own words) is a paragraph of its own.
            if child.tail and child.tail.strip():
                counter.next_paragraph()
                index = element.index(child)
                for offset, span in enumerate(_spans(child.tail, counter), start=1):
                    element.insert(index + offset, span)
                child.tail = None
    if element.text and element.text.strip() and _local(element.tag) not in _BLOCKS:
        counter.next_paragraph()
        for position, span in enumerate(_spans(element.text, counter)):
            element.insert(position, span)
        element.text = None


def koboize(document: bytes) -> bytes:
    """One XHTML content document as Kobo's engine wants it: text in spans, body in the wrappers."""
    root = etree.fromstring(document)
    body = root.find(f"{{{XHTML_NS}}}body")
    if body is None:
        return document
    columns = etree.Element(f"{{{XHTML_NS}}}div", {"id": "book-columns"})
    inner = etree.SubElement(columns, f"{{{XHTML_NS}}}div", {"id": "book-inner"})
    inner.text = body.text
    body.text = None
    for child in list(body):
        inner.append(child)
    body.append(columns)
    _walk(inner, _Counter())
    return etree.tostring(
        root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>", pretty_print=False
    )
