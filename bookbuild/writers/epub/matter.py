"""The EPUB's front matter pages: cover, title page and copyright page, as XHTML elements."""

from __future__ import annotations

from lxml import etree

from bookbuild.model import Meta
from bookbuild.render.xhtml import EPUB_NS, EPUB_TYPE
from bookbuild.writers.epub.cover import Cover


def cover_page(cover: Cover) -> etree._Element:
    """The cover page: the cover image alone, described by its text alternative."""
    wrapper = etree.Element("div", {"class": "cover"})
    etree.SubElement(
        wrapper,
        "img",
        {
            "src": cover.file_name,
            "alt": cover.alt,
            "class": "cover",
            EPUB_TYPE: "cover",
            "role": "doc-cover",
        },
        nsmap={"epub": EPUB_NS},
    )
    return wrapper


def title_page(meta: Meta) -> etree._Element:
    """The title page: title, subtitle, author and publisher."""
    section = etree.Element(
        "section", {EPUB_TYPE: "titlepage", "class": "titlepage", "id": "titlepage"}, nsmap={"epub": EPUB_NS}
    )
    etree.SubElement(section, "h1", {"class": "title"}).text = meta.title
    if meta.subtitle:
        etree.SubElement(section, "p", {"class": "subtitle"}).text = meta.subtitle
    if meta.author:
        etree.SubElement(section, "p", {"class": "author"}).text = meta.author
    if meta.series:
        number = f" {meta.series_index}" if meta.series_index else ""
        etree.SubElement(section, "p", {"class": "series"}).text = f"{meta.series}{number}"
    if meta.publisher:
        etree.SubElement(section, "p", {"class": "publisher"}).text = meta.publisher
    return section


def copyright_page(meta: Meta, identifier: str, print_edition: str) -> etree._Element:
    """The copyright page: rights, source, the print edition the page numbers follow, identifier."""
    section = etree.Element(
        "section",
        {EPUB_TYPE: "copyright-page", "class": "copyright", "id": "copyright", "aria-label": "Copyright"},
        nsmap={"epub": EPUB_NS},
    )
    lines = [meta.title + (f" by {meta.author}" if meta.author else "")]
    if meta.rights:
        lines.append(meta.rights)
    if meta.publisher:
        lines.append(f"Published by {meta.publisher}" + (f", {meta.date}" if meta.date else ""))
    elif meta.date:
        lines.append(meta.date)
    if meta.source:
        lines.append(f"Source: {meta.source}")
    if print_edition:
        lines.append(f"Page numbers follow the print edition: {print_edition}.")
    lines.append(f"Identifier: {identifier}")
    lines.append("A personal copy, typeset with bookbuild. Not for sale.")
    for line in lines:
        etree.SubElement(section, "p").text = line
    return section
