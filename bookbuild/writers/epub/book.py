"""Write the model as an EPUB 3 through ebooklib (the only module that imports it).

ebooklib assembles the package (OPF metadata, manifest, spine, guide) and the zip. Every XHTML
document, the navigation document and the NCX are built here with lxml instead of ebooklib's
``EpubHtml``/``EpubNav``, because those re-parse the body through an HTML parser and rebuild
the head (dropping ``epub:type`` on ``<body>``), and the generated page list is wrong (see
:mod:`bookbuild.writers.epub.nav`). The zip is rewritten at the end so the same book gives
the same bytes: fixed entry order and timestamps, ``mimetype`` first and stored.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ebooklib import epub
from lxml import etree

from bookbuild.assets import asset_path
from bookbuild.config import BuildConfig
from bookbuild.model import Book, Emph, Heading, Inline, NoteRef, Paragraph, Role, Section, Strong, Text
from bookbuild.pages import NO_PAGES, PageMap, PageStart
from bookbuild.render.xhtml import (
    EPUB_NS,
    EPUB_TYPE,
    XHTML_NS,
    RenderOptions,
    chapter_numbers,
    notes_element,
    section_element,
    section_title,
    shown_sections,
)
from bookbuild.writers.common import book_identifier, parse_date
from bookbuild.writers.epub.cover import Cover, book_cover
from bookbuild.writers.epub.kepub import koboize
from bookbuild.writers.epub.matter import copyright_page, cover_page, title_page
from bookbuild.writers.epub.meta import Facts, check_language, package_entries
from bookbuild.writers.epub.nav import Landmark, Target, nav_elements, ncx_document
from bookbuild.writers.epub.pages import insert_markers, marker_id

NOTES_FILE = "endnotes.xhtml"
NAV_FILE = "nav.xhtml"
CSS_FILE = "style/book.css"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MATTER = {Role.FRONT_NOTE: "frontmatter", Role.CHAPTER: "bodymatter", Role.BACK_NOTE: "backmatter"}


@dataclass(frozen=True, slots=True)
class Document:
    """One XHTML file of the EPUB: its name, title, content element and place in the book."""

    file_name: str
    title: str
    body: etree._Element
    matter: str
    in_toc: bool = True
    landmark: str = ""
    pages: tuple[str, ...] = field(default=())
    body_class: str = ""


def _file_name(section: Section, index: int, number: int | None) -> str:
    if section.role is Role.CHAPTER:
        return f"chapter-{number:03d}.xhtml"
    return f"{section.role.value}-{index:03d}.xhtml"


def _cites(section: Section) -> set[str]:
    found = _note_ids(section.title)  # a Markdown footnote may be cited in a heading
    for block in section.blocks:
        if isinstance(block, (Paragraph, Heading)):
            found.update(_note_ids(block.inlines))
    return found


def _note_ids(inlines: tuple[Inline, ...]) -> set[str]:
    if len(inlines) == 1 and type(inlines[0]) is Text:  # most paragraphs: one plain run, no citation
        return set()
    # A Markdown footnote may be cited inside emphasis ("*word[^1]*").
    found = {n.note_id for n in inlines if isinstance(n, NoteRef)}
    for node in inlines:
        if isinstance(node, (Emph, Strong)):
            found |= _note_ids(node.children)
    return found


def stylesheet() -> bytes:
    """The EPUB's one stylesheet: the shared text rules, then the EPUB's own."""
    parts = (asset_path("css/base.css"), asset_path("css/epub.css"))
    return b"\n".join(part.read_bytes() for part in parts)


def print_edition(book: Book, cfg: BuildConfig, pages: PageMap) -> str:
    """How the EPUB names the print edition its page numbers follow."""
    if not pages.starts:
        return ""
    by = f" by {book.meta.author}" if book.meta.author else ""
    return f"{book.meta.title}{by}, bookbuild print edition, trim {cfg.trim}, {pages.page_count} pages"


def plan_documents(book: Book, pages: PageMap = NO_PAGES) -> list[Document]:
    """The book's own XHTML documents in reading order, with page-break markers placed."""
    opts = RenderOptions(note_href=NOTES_FILE)
    numbers = chapter_numbers(book)
    documents: list[Document] = []
    backlinks: dict[str, str] = {}
    sections = shown_sections(book)
    first_chapter = next((i for i, s in enumerate(sections) if s.role is Role.CHAPTER), 0)
    for index, section in enumerate(sections):
        number = numbers.get(index, 0)
        name = _file_name(section, index, number)
        for note_id in _cites(section):
            backlinks[note_id] = name
        element = section_element(section, f"s{index:03d}", number, opts)
        if section.role is Role.CHAPTER:
            # calibre's chapter detection (Send to Kindle, AZW3) matches class="chapter" exactly as
            # well as the heading, so it found every chapter twice; a second class keeps the CSS hook.
            element.set("class", "chapter text")
        close_heading_gaps(element)
        starts = tuple(s for s in pages.starts if s.section == index)
        insert_markers(element, starts)
        landmark = "bodymatter" if index == first_chapter else ""
        documents.append(
            Document(name, section_title(section, number), element, MATTER[section.role],
                     landmark=landmark, pages=tuple(s.label for s in starts))
        )
    if book.notes:
        element = notes_element(book.notes, backlinks, opts)
        documents.append(Document(NOTES_FILE, "Notes", element, "backmatter", landmark="endnotes"))
    return documents


def close_heading_gaps(element: etree._Element) -> None:
    """Renumber headings so none skips a level below the one before it (h1 then h3 becomes h1, h2).

    Assistive technology navigates by heading level, and WCAG checkers flag skipped levels.
    """
    previous = 0
    for heading in element.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        level = int(heading.tag[1])
        if previous and level > previous + 1:
            level = previous + 1
            heading.tag = f"h{level}"
        previous = level


def _in_xhtml(element: etree._Element) -> etree._Element:
    for node in element.iter():
        if isinstance(node.tag, str) and not node.tag.startswith("{"):
            node.tag = f"{{{XHTML_NS}}}{node.tag}"
    return element


def xhtml(title: str, language: str, matter: str, children: list[etree._Element], body_class: str = "") -> bytes:
    """A complete XHTML content document with the stylesheet, ``lang`` and the body's ``epub:type``."""
    html = etree.Element(
        f"{{{XHTML_NS}}}html", {"lang": language, XML_LANG: language}, nsmap={None: XHTML_NS, "epub": EPUB_NS}
    )
    head = etree.SubElement(html, f"{{{XHTML_NS}}}head")
    etree.SubElement(head, f"{{{XHTML_NS}}}title").text = title
    etree.SubElement(head, f"{{{XHTML_NS}}}link", {"rel": "stylesheet", "type": "text/css", "href": CSS_FILE})
    body = etree.SubElement(html, f"{{{XHTML_NS}}}body", {EPUB_TYPE: matter})
    if body_class:
        body.set("class", body_class)
    for child in children:
        body.append(_in_xhtml(child))
    etree.cleanup_namespaces(html, top_nsmap={None: XHTML_NS, "epub": EPUB_NS})
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>", pretty_print=True)


class _Item(epub.EpubItem):
    """A finished file handed to ebooklib as bytes, with its manifest properties."""

    def __init__(self, uid: str, file_name: str, media_type: str, content: bytes, properties: tuple[str, ...] = ()):
        super().__init__(uid=uid, file_name=file_name, media_type=media_type, content=content)
        self.properties = list(properties)


def _front_matter(book: Book, cover: Cover, identifier: str, edition: str) -> list[Document]:
    meta = book.meta
    return [
        Document("cover.xhtml", "Cover", cover_page(cover), "frontmatter", False, "cover", body_class="cover"),
        Document("titlepage.xhtml", meta.title, title_page(meta), "frontmatter", in_toc=False, landmark="titlepage"),
        Document("copyright.xhtml", "Copyright", copyright_page(meta, identifier, edition), "frontmatter", in_toc=False),
    ]


def _as_is(document: bytes) -> bytes:
    return document


def build_package(
    book: Book,
    cfg: BuildConfig,
    pages: PageMap,
    dress: Callable[[bytes], bytes] = _as_is,
    cover_image: bytes | None = None,
) -> epub.EpubBook:
    """The ebooklib book: metadata, cover, front matter, navigation, the text and the notes.

    ``dress`` rewrites each content document (not the navigation) for one reading system: the
    kepub's Kobo spans. ``cover_image`` is the print cover's front panel, when the writers hand it over.
    """
    meta = book.meta
    language = check_language(meta.language or "en")
    identifier = book_identifier(meta)
    edition = print_edition(book, cfg, pages)
    cover = book_cover(meta, cfg, cover_image)
    front = _front_matter(book, cover, identifier, edition)
    text = plan_documents(book, pages)

    out = epub.EpubBook()
    out.set_identifier(identifier)
    out.set_title(meta.title)
    out.set_language(language)
    facts = Facts(pages.page_count, bool(pages.starts), True, edition, bool(book.notes))
    for entry in package_entries(meta, facts):
        out.add_metadata(entry.namespace, entry.name, entry.value, dict(entry.attrs))

    out.add_item(_Item("style", CSS_FILE, "text/css", stylesheet()))
    out.set_cover(cover.file_name, cover.data, create_page=False)

    # A navigation list may not be empty; a book with no text still has its title page.
    toc = tuple(Target(d.file_name, d.title) for d in text if d.in_toc) or (Target("titlepage.xhtml", meta.title),)
    landmarks = tuple(Landmark(d.landmark, d.file_name, d.title) for d in front + text if d.landmark)
    landmarks = landmarks[:2] + (Landmark("toc", NAV_FILE, "Contents"),) + landmarks[2:]
    page_targets = tuple(Target(f"{d.file_name}#{marker_id(label)}", label) for d in text for label in d.pages)
    nav = xhtml("Contents", language, "frontmatter", nav_elements(toc, landmarks, page_targets), "nav")
    ncx = ncx_document(identifier, meta.title, meta.author, language, toc, page_targets, pages.page_count)
    out.add_item(_Item("ncx", "toc.ncx", "application/x-dtbncx+xml", ncx))

    spine: list[object] = []
    for number, doc in enumerate(front, start=1):
        item = _Item(f"front-{number}", doc.file_name, "application/xhtml+xml",
                     dress(xhtml(doc.title, language, doc.matter, [doc.body], doc.body_class)))
        out.add_item(item)
        spine.append(item)
    nav_item = _Item("nav", NAV_FILE, "application/xhtml+xml", nav, ("nav",))
    out.add_item(nav_item)
    spine.append(nav_item)
    for number, doc in enumerate(text, start=1):
        item = _Item(f"text-{number}", doc.file_name, "application/xhtml+xml",
                     dress(xhtml(doc.title, language, doc.matter, [doc.body])))
        out.add_item(item)
        spine.append(item)
    out.spine = spine
    # The EPUB 2 guide: Kindle's converter takes "Start Reading" from the "text" entry.
    start = next((d for d in text if d.landmark == "bodymatter"), text[0] if text else front[-1])
    out.guide = [
        {"type": "cover", "title": "Cover", "href": "cover.xhtml"},
        {"type": "title-page", "title": "Title Page", "href": "titlepage.xhtml"},
        {"type": "toc", "title": "Contents", "href": NAV_FILE},
        {"type": "text", "title": start.title, "href": start.file_name},
    ]
    return out


def _with_package_language(opf: bytes, language: str) -> bytes:
    # ebooklib writes no xml:lang on <package>; accessibility checkers read the language there.
    root = etree.fromstring(opf)
    root.set(XML_LANG, language)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _normalise_zip(raw: bytes, stamp: dt.datetime, language: str) -> bytes:
    """Rewrite the zip with fixed timestamps and order: ebooklib stamps entries with the clock."""
    # A zip entry holds a DOS date: years 1980 to 2107 only (the book's own metadata keeps the real one).
    date_time = (min(max(stamp.year, 1980), 2107), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    source = zipfile.ZipFile(io.BytesIO(raw))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        names = source.namelist()
        ordered = ["mimetype"] + sorted(n for n in names if n != "mimetype")
        for name in ordered:
            data = source.read(name)
            if name.endswith(".opf"):
                data = _with_package_language(data, language)
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.external_attr = 0o644 << 16
            info.create_system = 3  # the same on every platform
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, data, compresslevel=9)
    return target_buffer.getvalue()


def epub_bytes(
    book: Book,
    cfg: BuildConfig,
    pages: PageMap,
    dress: Callable[[bytes], bytes] = _as_is,
    cover_image: bytes | None = None,
) -> bytes:
    """The EPUB file's bytes for a book and its page map (and the cover image, when given)."""
    stamp = parse_date(book.meta.modified)
    buffer = io.BytesIO()
    package = build_package(book, cfg, pages, dress, cover_image)
    epub.write_epub(buffer, package, {"mtime": stamp, "epub3_pages": False, "epub3_landmark": False})
    return _normalise_zip(buffer.getvalue(), stamp, check_language(book.meta.language or "en"))


def write_epub(
    book: Book, target: Path, cfg: BuildConfig, pages: PageMap = NO_PAGES, cover_image: bytes | None = None
) -> None:
    """Write ``book`` as an EPUB 3 file at ``target`` (the caller makes the write atomic)."""
    target.write_bytes(epub_bytes(book, cfg, pages, cover_image=cover_image))


def write_kepub(
    book: Book, target: Path, cfg: BuildConfig, pages: PageMap = NO_PAGES, cover_image: bytes | None = None
) -> None:
    """Write ``book`` as a Kobo kepub (``.kepub.epub``): the EPUB with Kobo's sentence spans."""
    target.write_bytes(epub_bytes(book, cfg, pages, koboize, cover_image))


__all__ = ["Document", "PageStart", "build_package", "epub_bytes", "plan_documents", "stylesheet", "write_epub", "write_kepub"]
