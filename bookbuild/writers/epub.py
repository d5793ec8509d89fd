"""Write the model as an EPUB 3 through ebooklib (the only module that imports it)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub
from lxml import etree

from bookbuild.assets import asset_path
from bookbuild.config import BuildConfig
from bookbuild.model import Book, NoteRef, Paragraph, Role, Section
from bookbuild.render.xhtml import (
    RenderOptions,
    chapter_numbers,
    notes_element,
    section_element,
    section_title,
)
from bookbuild.writers.common import book_identifier, parse_date

NOTES_FILE = "endnotes.xhtml"


@dataclass(frozen=True, slots=True)
class Document:
    """One XHTML file of the EPUB: its name, title, role and body element."""

    file_name: str
    title: str
    body: etree._Element
    role: Role | None


def _file_name(section: Section, index: int, number: int | None) -> str:
    if section.role is Role.CHAPTER:
        return f"chapter-{number:03d}.xhtml"
    return f"{section.role.value}-{index:03d}.xhtml"


def _cites(section: Section) -> set[str]:
    found: set[str] = set()
    for block in section.blocks:
        if isinstance(block, Paragraph):
            found.update(n.note_id for n in block.inlines if isinstance(n, NoteRef))
    return found


def stylesheet() -> bytes:
    """The EPUB's one stylesheet: the shared text rules, then the EPUB's own."""
    parts = (asset_path("css/base.css"), asset_path("css/epub.css"))
    return b"\n".join(part.read_bytes() for part in parts)


def plan_documents(book: Book) -> list[Document]:
    """The book's XHTML documents in reading order."""
    opts = RenderOptions(note_href=NOTES_FILE)
    numbers = chapter_numbers(book)
    documents: list[Document] = []
    backlinks: dict[str, str] = {}
    for index, section in enumerate(book.sections):
        number = numbers.get(index, 0)
        name = _file_name(section, index, number)
        for note_id in _cites(section):
            backlinks[note_id] = name
        element = section_element(section, f"s{index:03d}", number, opts)
        documents.append(Document(name, section_title(section, number), element, section.role))
    if book.notes:
        documents.append(Document(NOTES_FILE, "Notes", notes_element(book.notes, backlinks, opts), None))
    return documents


def _body_markup(element: etree._Element) -> str:
    return "<html><body>" + etree.tostring(element, encoding="unicode") + "</body></html>"


def _build(book: Book) -> epub.EpubBook:
    meta = book.meta
    out = epub.EpubBook()
    out.set_identifier(book_identifier(meta))
    out.set_title(meta.title)
    out.set_language(meta.language)
    if meta.author:
        out.add_author(meta.author)
    if meta.description:
        out.add_metadata("DC", "description", meta.description)
    for subject in meta.subjects:
        out.add_metadata("DC", "subject", subject)
    if meta.publisher:
        out.add_metadata("DC", "publisher", meta.publisher)
    if meta.source:
        out.add_metadata("DC", "source", meta.source)
    if meta.rights:
        out.add_metadata("DC", "rights", meta.rights)
    if meta.date:
        out.add_metadata("DC", "date", meta.date)

    css = epub.EpubItem(
        uid="style",
        file_name="style/book.css",
        media_type="text/css",
        content=stylesheet(),
    )
    out.add_item(css)

    spine: list[object] = ["nav"]
    toc: list[object] = []
    for doc in plan_documents(book):
        item = epub.EpubHtml(title=doc.title, file_name=doc.file_name, lang=meta.language)
        item.content = _body_markup(doc.body)
        item.add_item(css)
        out.add_item(item)
        spine.append(item)
        toc.append(epub.Link(doc.file_name, doc.title, doc.file_name.removesuffix(".xhtml")))
    out.toc = toc
    out.spine = spine
    out.add_item(epub.EpubNcx())
    out.add_item(epub.EpubNav())
    return out


def _normalise_zip(raw: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite the zip with fixed timestamps and order: ebooklib stamps entries with the clock."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    source = zipfile.ZipFile(io.BytesIO(raw))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        names = source.namelist()
        ordered = ["mimetype"] + sorted(n for n in names if n != "mimetype")
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.external_attr = 0o644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name), compresslevel=9)
    return target_buffer.getvalue()


def write_epub(book: Book, target: Path, cfg: BuildConfig) -> None:
    """Write ``book`` as an EPUB 3 file at ``target`` (the caller makes the write atomic)."""
    stamp = parse_date(book.meta.modified)
    buffer = io.BytesIO()
    epub.write_epub(buffer, _build(book), {"mtime": stamp, "epub3_pages": False})
    target.write_bytes(_normalise_zip(buffer.getvalue(), stamp))
