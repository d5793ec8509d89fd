"""The print interior as one HTML document: front matter, contents, then every section."""

from __future__ import annotations

import html
import re
import string

from lxml import etree
from lxml import html as lxml_html

from bookbuild.assets import asset_path
from bookbuild.model import Book, Role, Section
from bookbuild.render.xhtml import (
    RenderOptions,
    chapter_numbers,
    section_element,
    section_title,
    shown_sections,
)
from bookbuild.writers.common import parse_date

# A contents page listing a single entry tells the reader nothing.
MIN_CONTENTS_ENTRIES = 2
# A running head must stay on one line above the narrowest text block: about this many
# characters of 9pt small capitals fit a 5-inch trim's measure, with room to spare.
RUNNING_HEAD_CHARS = 44
# "Chapter One: The Letter", "Chapter 4 — Morning": the label before the separator can go.
_LABEL_SEPARATOR = re.compile(r"\s*(?::|\s[—–-]\s)\s*")
_CLAUSE_END = re.compile(r"[,;:]\s")


def _edition_line(book: Book) -> str:
    stamp = parse_date(book.meta.modified)
    when = book.meta.date or f"{stamp.day} {stamp.strftime('%B %Y')}"
    return f"This edition typeset {when}."


def front_matter(book: Book) -> list[etree._Element]:
    """Half title, title page, copyright page and an empty contents list, from the template."""
    meta = book.meta
    byline = ", ".join(part for part in (f"by {meta.author}" if meta.author else "", meta.publisher) if part)
    values = {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "author": meta.author,
        "byline": byline,
        "rights": meta.rights,
        "source": f"First published at {meta.source}" if meta.source else "",
        "edition": _edition_line(book),
    }
    template = string.Template(asset_path("templates/print-front.html").read_text(encoding="utf-8"))
    markup = template.substitute({key: html.escape(value) for key, value in values.items()})
    return [node for node in lxml_html.fragments_fromstring(markup) if isinstance(node.tag, str)]


def running_title(title: str, limit: int = RUNNING_HEAD_CHARS) -> str:
    """A title short enough for a one-line running head: the words after a "Chapter N:" label
    when it is too long, then up to a clause's end, else whole words and an ellipsis."""
    text = " ".join(title.split())
    if len(text) <= limit:
        return text
    # Labels may nest ("Part 1: Chapter One: The Letter"): each goes while the name is too long.
    while len(text) > limit:
        label, *rest = _LABEL_SEPARATOR.split(text, maxsplit=1)
        if not (rest and rest[0] and len(label) < len(rest[0])):
            break
        text = rest[0]
    if len(text) <= limit:
        return text
    clause_ends = [m.start() for m in _CLAUSE_END.finditer(text) if limit // 3 <= m.start() <= limit]
    if clause_ends:
        return text[: clause_ends[-1]]
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(",;:.—–- ") + "…"


def _fill_contents(
    nav: etree._Element, sections: tuple[Section, ...], ids: list[str], book: Book, pages: dict[str, int] | None
) -> None:
    numbers = chapter_numbers(book)
    listing = nav.find("ol")
    for index, section in enumerate(sections):
        item = etree.SubElement(listing, "li", {"class": section.role.value})
        link = etree.SubElement(item, "a", {"href": f"#{ids[index]}"})
        if pages is not None:
            # Rendered in parts, the contents page cannot look its targets up: it is told them.
            link.set("data-page", str(pages.get(ids[index], 0)))
        link.text = section_title(section, numbers.get(index, 0))


# The drop capital takes any opening quotation marks with the first letter.
_DROP_CAP = re.compile(r"^([\"'“‘«„(\[]*\w)", re.UNICODE)
# A two-line drop capital needs an opening paragraph of two lines at least: a line of dialogue
# ("Out," she said.) would leave the next paragraph wrapped around the letter. A line holds
# some 55 to 75 characters on the usual trims, fewer in small capitals.
DROP_CAP_MIN_CHARS = 100


def _mark_drop_cap(section: etree._Element) -> None:
    """Wrap the opening paragraph's first letter in a span: WeasyPrint's ::first-letter float
    collides with the ::first-line small capitals, a real element does not."""
    heading = section[0] if len(section) else None
    opening = heading.getnext() if heading is not None else None
    if opening is None or opening.tag != "p" or not opening.text:
        return
    if len("".join(opening.itertext())) < DROP_CAP_MIN_CHARS or "lines" in (opening.get("class") or "").split():
        return
    match = _DROP_CAP.match(opening.text)
    if not match:
        return
    span = etree.Element("span", {"class": "drop-cap"})
    span.text = match.group(1)
    span.tail = opening.text[match.end() :]
    opening.text = None
    opening.insert(0, span)


def book_html(
    book: Book,
    drop_caps: bool = False,
    front: bool = True,
    indexes: range | None = None,
    contents_pages: dict[str, int] | None = None,
) -> str:
    """The whole book as one HTML document for the print renderer.

    The parallel renderer asks for parts: the front matter only (``indexes`` empty, with the
    contents' page numbers given), or some sections without it (``front`` false).
    """
    meta = book.meta
    classes = "drop-caps" if drop_caps else ""
    root = etree.Element("html", {"lang": meta.language or "en", "class": classes})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "meta", {"charset": "utf-8"})
    etree.SubElement(head, "title").text = meta.title
    head_meta = {
        "author": meta.author,
        "description": meta.description,
        "keywords": ", ".join(meta.subjects),
        "generator": "bookbuild",
        "dcterms.created": meta.modified,
        "dcterms.modified": meta.modified,
    }
    for name, content in head_meta.items():
        if content:
            etree.SubElement(head, "meta", {"name": name, "content": content})
    body = etree.SubElement(root, "body")
    sections = shown_sections(book)
    ids = [f"s{index:03d}" for index in range(len(sections))]
    for element in front_matter(book) if front else ():
        if element.tag == "nav":
            if len(sections) < MIN_CONTENTS_ENTRIES:
                continue
            _fill_contents(element, sections, ids, book, contents_pages)
        body.append(element)
    opts = RenderOptions(for_print=True, notes=book.notes)
    numbers = chapter_numbers(book)
    for index in indexes if indexes is not None else range(len(sections)):
        section = sections[index]
        element = section_element(section, ids[index], numbers.get(index, 0), opts)
        element[0].set("data-running", running_title(section_title(section, numbers.get(index, 0))))
        if drop_caps and section.role is Role.CHAPTER:
            _mark_drop_cap(element)
        body.append(element)
    return "<!DOCTYPE html>\n" + etree.tostring(root, encoding="unicode", method="html")


def running_left(book: Book) -> str:
    """What the left-hand running head shows: the author, or the title when there is none."""
    return running_title(book.meta.author or book.meta.title)


def opening_ids(book: Book) -> list[str]:
    """The element ids of every section that opens on a new right-hand page, chapters included."""
    return [f"s{index:03d}" for index, _ in enumerate(shown_sections(book))]


def chapter_ids(book: Book) -> list[str]:
    """The element ids of the story's chapters."""
    return [f"s{index:03d}" for index, s in enumerate(shown_sections(book)) if s.role is Role.CHAPTER]
