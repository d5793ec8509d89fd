"""The EPUB's navigation: the EPUB 3 navigation document (contents, landmarks, page list) and the
NCX that EPUB 2 readers and Kindle's converter still read.

ebooklib can generate both, but its page list takes every element that has an ``epub:type``
and an ``id`` (chapters and note references included) and its NCX has no page list, so
bookbuild builds them here from what the writer knows.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from bookbuild.render.xhtml import EPUB_TYPE

NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class Target:
    """A place in the book that navigation points to, with its label."""

    href: str
    label: str


@dataclass(frozen=True, slots=True)
class Landmark:
    """A landmark: a structural point (cover, contents, start of the text) and its ``epub:type``."""

    epub_type: str
    href: str
    label: str


def _list(parent: etree._Element, targets: tuple[Target, ...] | tuple[Landmark, ...]) -> None:
    listing = etree.SubElement(parent, "ol")
    for target in targets:
        link = etree.SubElement(etree.SubElement(listing, "li"), "a", {"href": target.href})
        if isinstance(target, Landmark):
            link.set(EPUB_TYPE, target.epub_type)
        link.text = target.label


def nav_elements(
    toc: tuple[Target, ...], landmarks: tuple[Landmark, ...], pages: tuple[Target, ...]
) -> list[etree._Element]:
    """The navigation document's ``<nav>`` elements; landmarks and pages are for reading systems only."""
    navs = []
    contents = etree.Element("nav", {EPUB_TYPE: "toc", "role": "doc-toc", "id": "toc", "aria-labelledby": "toc-title"})
    etree.SubElement(contents, "h1", {"id": "toc-title"}).text = "Contents"
    _list(contents, toc)
    navs.append(contents)
    if landmarks:
        marks = etree.Element("nav", {EPUB_TYPE: "landmarks", "id": "landmarks", "aria-label": "Landmarks", "hidden": ""})
        etree.SubElement(marks, "h2").text = "Landmarks"
        _list(marks, landmarks)
        navs.append(marks)
    if pages:
        page_list = etree.Element(
            "nav", {EPUB_TYPE: "page-list", "role": "doc-pagelist", "id": "page-list", "aria-label": "Pages", "hidden": ""}
        )
        etree.SubElement(page_list, "h2").text = "Pages"
        _list(page_list, pages)
        navs.append(page_list)
    return navs


def _label(parent: etree._Element, tag: str, text: str) -> None:
    label = etree.SubElement(parent, f"{{{NCX_NS}}}{tag}")
    etree.SubElement(label, f"{{{NCX_NS}}}text").text = text


def ncx_document(
    identifier: str,
    title: str,
    author: str,
    language: str,
    toc: tuple[Target, ...],
    pages: tuple[Target, ...],
    page_count: int,
) -> bytes:
    """The NCX: the same contents and page list for EPUB 2 reading systems, in reading order."""
    ncx = etree.Element(f"{{{NCX_NS}}}ncx", {"version": "2005-1", XML_LANG: language}, nsmap={None: NCX_NS})
    head = etree.SubElement(ncx, f"{{{NCX_NS}}}head")
    numbers = [int(p.label) for p in pages if p.label.isdigit()]
    for name, content in (
        ("dtb:uid", identifier),
        ("dtb:depth", "1"),
        ("dtb:totalPageCount", str(page_count if pages else 0)),
        ("dtb:maxPageNumber", str(max(numbers, default=0))),
    ):
        etree.SubElement(head, f"{{{NCX_NS}}}meta", {"name": name, "content": content})
    _label(ncx, "docTitle", title)
    if author:
        _label(ncx, "docAuthor", author)

    # Play order runs over contents and pages together, in reading order.
    spine = []
    for target in toc + pages:
        name = target.href.split("#", 1)[0]
        if name not in spine:
            spine.append(name)
    ordered = sorted(
        [(spine.index(t.href.split("#", 1)[0]), 0, i, t) for i, t in enumerate(toc)]
        + [(spine.index(t.href.split("#", 1)[0]), 1, i, t) for i, t in enumerate(pages)],
        key=lambda row: row[:3],
    )
    play_order = {(kind, i): number for number, (_s, kind, i, _t) in enumerate(ordered, start=1)}

    nav_map = etree.SubElement(ncx, f"{{{NCX_NS}}}navMap")
    for i, target in enumerate(toc):
        point = etree.SubElement(
            nav_map, f"{{{NCX_NS}}}navPoint", {"id": f"nav-{i + 1}", "playOrder": str(play_order[(0, i)])}
        )
        _label(point, "navLabel", target.label)
        etree.SubElement(point, f"{{{NCX_NS}}}content", {"src": target.href})
    if pages:
        page_list = etree.SubElement(ncx, f"{{{NCX_NS}}}pageList")
        _label(page_list, "navLabel", "Pages")
        for i, target in enumerate(pages):
            kind = "normal" if target.label.isdigit() else "front"
            attrs = {"id": f"page-target-{i + 1}", "type": kind, "playOrder": str(play_order[(1, i)])}
            if kind == "normal":
                attrs["value"] = target.label
            page = etree.SubElement(page_list, f"{{{NCX_NS}}}pageTarget", attrs)
            _label(page, "navLabel", target.label)
            etree.SubElement(page, f"{{{NCX_NS}}}content", {"src": target.href})
    return etree.tostring(ncx, xml_declaration=True, encoding="utf-8", pretty_print=True)
