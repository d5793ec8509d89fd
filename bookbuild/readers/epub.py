"""Read an EPUB (2 or 3): an Archive of Our Own download, or any DRM-free EPUB.

The archive is checked before anything is parsed: a zip bomb or an oversized member is
refused, and an ``encryption.xml`` that encrypts more than fonts (font obfuscation is fine)
means DRM, which bookbuild cannot and will not read. The package document gives the metadata
(title, creators, language, description, subjects, calibre or EPUB 3 series) and the spine;
the spine's documents are read in order, except the source's own cover, title page, table of
contents and navigation. An Archive download (recognised by the markup of its XHTML, see
:mod:`bookbuild.readers.ao3`) is read as one, across its files.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from lxml import etree

from bookbuild.decisions import Decision
from bookbuild.errors import InputError
from bookbuild.model import Heading, Note, NoteRef, Role, Section, first_words
from bookbuild.readers.ao3 import is_archive_download, read_archive
from bookbuild.readers.document import Document, open_zip, read_member
from bookbuild.readers.html import Walker, body_of, local_name, parse_document, parse_xml, text_of
from bookbuild.readers.html_page import warn_dropped

# Font obfuscation (IDPF and Adobe) hides a font from copying; it is not DRM on the text.
FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
_SKIPPED_TYPES = {
    "cover": "cover", "title-page": "title page", "titlepage": "title page", "halftitlepage": "half title",
    "toc": "table of contents", "copyright-page": "copyright page", "landmarks": "navigation",
}
# An EPUB's own semantics for the author's matter (epub:type, or the DPUB-ARIA role).
_NOTE_TYPES = frozenset({"preface", "foreword", "afterword", "notice", "acknowledgments", "doc-preface",
                         "doc-foreword", "doc-afterword", "doc-notice", "doc-acknowledgments"})
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_NAMED = re.compile(r"(?:^|[/_.-])(cover|titlepage|title-page|title_page|toc|nav|contents)(?:$|[_.-])", re.IGNORECASE)
# A title page or cover holds a few lines; past this a document is text, whatever its name.
SHORT_DOCUMENT = 600


@dataclass(frozen=True, slots=True)
class _Item:
    href: str
    media_type: str
    properties: frozenset[str]
    identifier: str


def _check_drm(archive: zipfile.ZipFile, name: str) -> None:
    names = set(archive.namelist())
    if "META-INF/rights.xml" in names:
        raise InputError(f"{name} is DRM-protected: bookbuild reads only DRM-free EPUBs")
    if "META-INF/encryption.xml" not in names:
        return
    root = parse_xml(read_member(archive, "META-INF/encryption.xml", name, "EPUB"))
    methods = {m.get("Algorithm", "") for m in root.iter() if local_name(m) == "encryptionmethod"}
    if methods - FONT_OBFUSCATION:
        raise InputError(f"{name} is DRM-protected: bookbuild reads only DRM-free EPUBs")


def _package_path(archive: zipfile.ZipFile, name: str) -> str:
    names = set(archive.namelist())
    if "META-INF/container.xml" in names:
        try:
            container = parse_xml(read_member(archive, "META-INF/container.xml", name, "EPUB"))
            for element in container.iter():
                path = element.get("full-path") if local_name(element) == "rootfile" else None
                if path and path in names:
                    return path
        except etree.XMLSyntaxError:
            pass
    packages = sorted(n for n in names if n.lower().endswith(".opf"))
    if not packages:
        raise InputError(f"{name} is not a readable EPUB: it has no package document (.opf)")
    return packages[0]


def _text(element: etree._Element) -> str:
    """Text of a metadata element; a description holding escaped HTML loses its tags."""
    raw = " ".join("".join(element.itertext()).split())
    if "<" in raw and ">" in raw:
        raw = text_of(parse_document(f"<html><body><div>{raw}</div></body></html>"))
    return raw


def package_meta(opf: etree._Element) -> dict[str, Any]:
    """Title, creators, language, description, subjects, date and series of a package document."""
    meta: dict[str, Any] = {}
    creators: list[str] = []
    subjects: list[str] = []
    collections: dict[str, str] = {}
    positions: dict[str, str] = {}
    for element in opf.iter():
        name = local_name(element)
        value = _text(element) if name else ""
        if name == "title" and value:
            meta.setdefault("title", value)
        elif name == "creator" and value:
            creators.append(value)
        elif name == "language" and value:
            meta.setdefault("language", value)
        elif name == "description" and value:
            meta.setdefault("description", value)
        elif name == "subject" and value and value not in subjects:
            subjects.append(value)
        elif name == "date" and value:
            meta.setdefault("date", value[:10])
        elif name == "meta":
            key, content = element.get("name") or "", element.get("content") or ""
            if key == "calibre:series" and content:
                meta["series"] = content
            elif key == "calibre:series_index" and content:
                meta["series_index"] = content.removesuffix(".0")
            elif element.get("property") == "belongs-to-collection" and value:
                collections[element.get("id") or ""] = value
            elif element.get("property") == "group-position" and value:
                positions[(element.get("refines") or "").lstrip("#")] = value
    if creators:
        meta["author"] = " & ".join(creators)
    if subjects:
        meta["subjects"] = tuple(subjects)
    if collections and "series" not in meta:
        key, series = next(iter(collections.items()))
        meta["series"] = series
        if key in positions:
            meta["series_index"] = positions[key]
    return meta


def _manifest(opf: etree._Element) -> tuple[dict[str, _Item], list[str], dict[str, str]]:
    items: dict[str, _Item] = {}
    spine: list[str] = []
    guide: dict[str, str] = {}
    for element in opf.iter():
        name = local_name(element)
        if name == "item" and element.get("id"):
            items[element.get("id")] = _Item(
                unquote((element.get("href") or "").split("#")[0]), element.get("media-type") or "",
                frozenset((element.get("properties") or "").split()), element.get("id"),
            )
        elif name == "itemref" and element.get("idref"):
            spine.append(element.get("idref"))
        elif name == "reference" and element.get("type"):
            guide[unquote((element.get("href") or "").split("#")[0])] = element.get("type").lower()
    return items, spine, guide


def _landmarks(archive: zipfile.ZipFile, base: str, items: dict[str, _Item], name: str) -> dict[str, str]:
    """Files an EPUB 3 navigation document's landmarks name as cover, title page or contents."""
    found: dict[str, str] = {}
    for item in items.values():
        if "nav" not in item.properties:
            continue
        path = posixpath.normpath(posixpath.join(base, item.href))
        try:
            root = parse_document(read_member(archive, path, name, "EPUB").decode("utf-8", "replace"))
        except InputError:
            continue
        for link in root.iter():
            kind = link.get("{http://www.idpf.org/2007/ops}type") or link.get("epub:type") or ""
            href = link.get("href") if local_name(link) == "a" else None
            if href and set(kind.split()) & _SKIPPED_TYPES.keys():
                target = posixpath.normpath(posixpath.join(posixpath.dirname(item.href), unquote(href.split("#")[0])))
                found[target] = next(k for k in kind.split() if k in _SKIPPED_TYPES)
    return found


def _skip_reason(item: _Item, body: etree._Element, marked: dict[str, str], title: str) -> str:
    """Why a spine document is the source's own furniture rather than text, or ''."""
    if "nav" in item.properties:
        return "navigation"
    for kind in _semantics(body):
        if kind in _SKIPPED_TYPES:
            return _SKIPPED_TYPES[kind]
    if _semantics(body) & {"bodymatter", "chapter", "doc-chapter", "part"} or _note_role(body):
        return ""
    text = text_of(body)
    if item.href in marked:
        return _SKIPPED_TYPES.get(marked[item.href], marked[item.href])
    if len(text) > SHORT_DOCUMENT:
        links = sum(len(text_of(a)) for a in body.iter() if local_name(a) == "a")
        return "table of contents" if links > 0.8 * len(text) else ""
    if not text:
        return "cover" if any(local_name(e) in ("img", "svg", "image") for e in body.iter()) else "empty page"
    links = sum(len(text_of(a)) for a in body.iter() if local_name(a) == "a")
    if links > 0.8 * len(text):
        return "table of contents"
    if _NAMED.search(item.href) or _NAMED.search(item.identifier):
        return "table of contents" if re.search(r"toc|contents|nav", item.href, re.IGNORECASE) else "title page"
    # A short page with the book's title as a line of its own is the source's title page.
    wanted = " ".join(title.lower().split())
    if wanted and any(text_of(e).lower() == wanted for e in body.iter() if local_name(e) in ("h1", "h2", "h3", "p", "div", "span")):
        return "title page"
    return ""


_NOTE_BODIES = frozenset({"footnote", "endnote", "rearnote", "doc-footnote", "doc-endnote"})
_NOTE_LISTS = frozenset({"footnotes", "endnotes", "rearnotes", "doc-endnotes"})


def _kinds(element: etree._Element) -> set[str]:
    return set((element.get(_EPUB_TYPE) or element.get("epub:type") or "").split()) | set((element.get("role") or "").split())


class _Footnotes:
    """The EPUB's own footnotes and endnotes: a link to a note becomes a note reference, the
    note's text a note, so a Standard Ebooks style endnotes file is not printed as a chapter."""

    def __init__(self, documents: list[tuple[_Item, etree._Element]], walker: Walker, notes: list[Note]) -> None:
        self.walker = walker
        self.notes = notes
        self.current = ""
        self.targets = {
            f"{item.href}#{element.get('id')}": element
            for item, body in documents
            for element in body.iter()
            if isinstance(element.tag, str) and element.get("id") and _kinds(element) & _NOTE_BODIES
        }
        cited = {self.key(item.href, a.get("href") or "") for item, body in documents for a in body.iter() if local_name(a) == "a"}
        self.cited = {key: element for key, element in self.targets.items() if key in cited}
        self.hidden = {id(element) for element in self.cited.values()}
        self.made = 0
        self.reading: dict[str, str] = {}  # the notes whose text is being read, by key, with their ids

    @staticmethod
    def key(document: str, href: str) -> str:
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(document), unquote(path))) if path else document
        return f"{target}#{fragment}"

    def special(self, element: etree._Element) -> NoteRef | bool | None:
        if id(element) in self.hidden or _kinds(element) & {"doc-backlink", "backlink"}:
            return True
        if local_name(element) != "a":
            return None
        key = self.key(self.current, element.get("href") or "")
        target = self.cited.get(key)
        if target is None:
            return None
        if key in self.reading:  # a note citing itself, or one it is inside of: cite the one being read
            return NoteRef(self.reading[key])  # the note-order step cuts the cycle with a warning (NT031)
        note_id = f"note-{len(self.notes) + 1}"
        self.notes.append(Note(note_id, ()))
        index = len(self.notes) - 1
        self.reading[key] = note_id
        citing, self.current = self.current, key.partition("#")[0]  # links in the note are relative to its file
        try:
            self.notes[index] = Note(note_id, tuple(self.walker.contents(target)))
        finally:
            del self.reading[key]
            self.current = citing
        self.made += 1
        return NoteRef(note_id)

    def only_notes(self, item: _Item, body: etree._Element) -> bool:
        """Whether a document is a list of notes all of which were cited (so nothing is left)."""
        if not (_semantics(body) & _NOTE_LISTS or any(_kinds(e) & _NOTE_LISTS for e in body.iter() if isinstance(e.tag, str))):
            return False
        mine = [key for key in self.targets if key.startswith(f"{item.href}#")]
        return bool(mine) and all(key in self.cited for key in mine)


def _semantics(body: etree._Element) -> set[str]:
    """The epub:type and role values of a document's body and its outer sections."""
    kinds: set[str] = set()
    elements = [body] + [c for c in body if local_name(c) in ("section", "div", "article", "aside")]
    for element in elements:
        kinds |= set((element.get(_EPUB_TYPE) or element.get("epub:type") or "").split())
        kinds |= set((element.get("role") or "").split())
    return kinds


def _note_role(body: etree._Element) -> bool:
    return bool(_semantics(body) & _NOTE_TYPES)


def _note_section(blocks: list, seen_story: bool) -> Section:
    """An author's-matter document as a note section titled by its heading."""
    title: tuple = ()
    if blocks and isinstance(blocks[0], Heading):
        title, blocks = blocks[0].inlines, blocks[1:]
    role = Role.BACK_NOTE if seen_story else Role.FRONT_NOTE
    return Section(role, tuple(blocks), title=title, line=blocks[0].line if blocks else None)


def read_epub(data: bytes, name: str, decisions: list[Decision], notes: list[Note] | None = None) -> Document:
    """The sections and metadata of an EPUB, after refusing bombs and DRM."""
    archive = open_zip(data, name, "EPUB")
    _check_drm(archive, name)
    opf_path = _package_path(archive, name)
    base = posixpath.dirname(opf_path)
    try:
        opf = parse_xml(read_member(archive, opf_path, name, "EPUB"))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name} is not a readable EPUB: its package document is damaged ({exc})") from exc
    meta = package_meta(opf)
    items, spine, guide = _manifest(opf)
    marked = {posixpath.normpath(posixpath.join(base, h)): t for h, t in guide.items() if t in _SKIPPED_TYPES}
    marked.update(_landmarks(archive, base, items, name))
    marked = {posixpath.relpath(k, base) if base else k: v for k, v in marked.items()}
    for key, value in meta.items():
        decisions.append(Decision("read", "IN013", "metadata", f"the EPUB's package metadata → {key}", first_words(str(value)), 1.0))
    combined = etree.Element("body")
    documents: list[tuple[_Item, etree._Element]] = []
    offset = 0
    names = set(archive.namelist())
    read: set[str] = set()
    repeated: Counter[str] = Counter()
    for idref in spine:
        if idref in read:  # EPUB allows each document once in the spine: a repeat is not more story
            repeated[idref] += 1
            continue
        read.add(idref)
        item = items.get(idref)
        path = posixpath.normpath(posixpath.join(base, item.href)) if item else ""
        if item is None or path not in names or "html" not in item.media_type:
            if item is None or path not in names:
                decisions.append(Decision("read", "IN021", "warning", f"{name}: the spine names '{idref}', which is missing: skipped", idref))
            continue
        problems: list[str] = []
        root = parse_document(read_member(archive, path, name, "EPUB").decode("utf-8", "replace"), problems)
        decisions.extend(Decision("read", "IN040", "warning", f"{name}: {path} is {problem}", path) for problem in problems)
        body = body_of(root)
        lines = 0
        for element in body.iter():
            if isinstance(element.tag, str) and element.sourceline:
                lines = max(lines, element.sourceline)
                element.sourceline = element.sourceline + offset
        offset += lines + 1
        documents.append((item, body))
    if repeated:  # one line, however many repeats: a hostile spine may name a document thousands of times
        first, times = next(iter(repeated.items()))
        more = f" and {len(repeated) - 1} other document(s)" if len(repeated) > 1 else ""
        decisions.append(Decision("read", "IN021", "warning",
                                  f"{name}: the spine names '{first}'{more} again: read once ({times} repeat(s))", first))
    walker = Walker(lambda element: element.sourceline, quotations=True)
    if any(is_archive_download(body) for _item, body in documents):
        for _item, body in documents:
            for child in list(body):
                combined.append(child)
        document = read_archive(combined, walker, decisions, name)
        document.meta = {**meta, **document.meta}
        warn_dropped(walker, decisions, name)
        return document
    sections: list[Section] = []
    footnotes = _Footnotes(documents, walker, notes if notes is not None else [])
    walker.special = footnotes.special
    for item, body in documents:
        footnotes.current = item.href
        if footnotes.only_notes(item, body):
            decisions.append(Decision("read", "IN016", "notes", f"the EPUB's notes ({item.href}) → notes at their references",
                                      first_words(text_of(body)), 1.0, None))
            continue
        reason = _skip_reason(item, body, marked, str(meta.get("title", "")))
        if reason:
            decisions.append(Decision("read", "IN014", "drop", f"the source's own {reason} ({item.href}): not printed",
                                      first_words(text_of(body)), 0.9, None, {"text": text_of(body)}))
            continue
        made = footnotes.made
        blocks = walker.blocks(body)
        if footnotes.made > made:
            decisions.append(Decision("read", "IN016", "notes", f"{footnotes.made - made} note reference(s) in {item.href} → notes",
                                      first_words(text_of(body)), 1.0, blocks[0].line if blocks else None))
        if blocks and _note_role(body):
            sections.append(_note_section(blocks, any(s.role is Role.CHAPTER for s in sections)))
            decisions.append(Decision("read", "IN015", "notes", f"a document the EPUB marks as the author's matter ({item.href}) → notes",
                                      first_words(text_of(body)), 1.0, blocks[0].line))
        elif blocks:
            sections.append(Section(Role.CHAPTER, tuple(blocks), line=blocks[0].line))
    decisions.append(Decision("read", "IN001", "reader", f"{name}: an EPUB (spine order, h1–h3 as chapters)", name))
    warn_dropped(walker, decisions, name)
    return Document(sections, meta, "an EPUB")
