"""The words of what a build wrote: an EPUB's reading order and a PDF's text layer."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from bookbuild.errors import OutputError
from bookbuild.verify.fold import words


def _xml(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OutputError(f"{name} is not well-formed XML: {exc}") from exc


_SEPARATE = {"p", "div", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "td", "th", "aside", "nav", "ol", "ul", "blockquote", "body"}


def _element_text(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag
    if not isinstance(tag, str):
        return  # a comment or processing instruction: not text a reader sees
    name = tag.rpartition("}")[2]  # the local name (asked of every element: QName costs more)
    apart = name in _SEPARATE or _is_note_reference(element, name)
    if apart:
        parts.append(" ")
    if element.text and name not in ("script", "style"):
        parts.append(element.text)
    for child in element:
        _element_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if apart:
        parts.append(" ")


def _is_note_reference(element: etree._Element, name: str) -> bool:
    """A note's number, set against the word it follows: not part of that word."""
    kinds = (element.get("{http://www.idpf.org/2007/ops}type") or "").split()
    return "noteref" in kinds or element.get("role") == "doc-noteref" or name == "sup"


def epub_documents(path: Path) -> list[tuple[str, etree._Element]]:
    """The EPUB's reading-order XHTML documents (navigation left out), each parsed strictly."""
    with zipfile.ZipFile(path) as archive:
        container = _xml(archive.read("META-INF/container.xml"), "container.xml")
        rootfile = container.find(".//{*}rootfile").get("full-path")
        opf = _xml(archive.read(rootfile), rootfile)
        base = rootfile.rsplit("/", 1)[0] + "/" if "/" in rootfile else ""
        items = {i.get("id"): i for i in opf.iter("{*}item")}
        documents = []
        for ref in opf.iter("{*}itemref"):
            item = items.get(ref.get("idref"))
            if item is None or "nav" in (item.get("properties") or "").split():
                continue
            name = base + item.get("href")
            documents.append((name, _xml(archive.read(name), name)))
        return documents


def epub_words(path: Path) -> list[str]:
    """The folded words of an EPUB's reading order."""
    parts: list[str] = []
    for _name, root in epub_documents(path):
        for body in root.iter("{*}body"):
            _element_text(body, parts)
    return words("".join(parts))


def pdf_pages(path: Path) -> list[str]:
    """The text layer of each page in drawing order: poppler's pdftotext where installed, else pypdf.

    pdftotext is preferred because it is fast and reads every font WeasyPrint writes (``-raw``:
    its layout mode drops a typed hyphen at a line end); pypdf misreads a subset font once
    WeasyPrint has added a .notdef glyph to it.
    """
    tool = shutil.which("pdftotext")
    if tool:
        done = subprocess.run([tool, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False)
        if done.returncode == 0:
            return done.stdout.decode("utf-8", errors="replace").split("\f")
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def pdf_words(path: Path) -> list[str]:
    """The folded words of a PDF's text layer, line by line, right-to-left runs in reading order.

    A word hyphenated at a line's end stays in two pieces: the alignment puts them together
    (``_Positions.assemble``), also across a page break where the running head and the page
    number come between the halves, which joining the lines here would glue to the first half.
    A file joined from parts in this process is read from its parts' words when it proves to
    be made of their pages (:func:`remember_joined`).
    """
    known = _joined.pop(str(path), None)
    if known is not None and _pages_are_the_parts(path, known):
        return [word for page in known for word in page.words]
    return [word for page in _page_words(path) for word in page]


def _page_words(path: Path) -> list[list[str]]:
    return [[w for line in page.split("\n") for w in _logical_order(line)] for page in pdf_pages(path)]


@dataclass(frozen=True, slots=True)
class PageText:
    """One page a renderer wrote: its text layer's words and the digest of its content stream."""

    words: tuple[str, ...]
    digest: str
    size: int


def page_texts(path: Path) -> list[PageText]:
    """The words and content digest of every page of a PDF, read as :func:`pdf_words` reads them."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        contents = [_content(page) for page in pdf.pages]
    digests = [(hashlib.sha256(content).hexdigest(), len(content)) for content in contents]
    texts = _page_words(path)
    # pdftotext ends every page with a form feed, so the split leaves an empty piece at the end.
    texts = (texts + [[]] * len(digests))[: len(digests)]
    return [PageText(tuple(t), *d) for t, d in zip(texts, digests, strict=True)]


# Joined files written in this process, by path: each page's expected text and content digest.
_joined: dict[str, list[PageText]] = {}


def remember_joined(path: Path, pages: list[PageText]) -> None:
    """Note the pages a joiner put into ``path``, in order, so the check can read their words."""
    _joined[str(path)] = pages


# The joiner stamps a folio by wrapping the part's content in "q ... Q" and drawing a form after.
_WRAPPED = b"q\n"


def _pages_are_the_parts(path: Path, expected: list[PageText]) -> bool:
    """Whether every page of ``path`` draws exactly the content of the part page put there.

    The parts' words were extracted from the parts' own files when they were rendered (and
    cached with them). They are the joined file's words only if the file has as many pages and
    each page still draws its part page's content stream, byte for byte: that is checked here.
    What is trusted: that the joiner copies each page's resources (fonts and their ToUnicode
    maps, which give the text layer its characters) as the part wrote them, which pikepdf's
    page copy does; and that a folio form adds only the page number. Any mismatch falls back
    to reading the whole joined file.
    """
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) != len(expected):
                return False
            for page, want in zip(pdf.pages, expected, strict=True):
                content = _content(page)
                if hashlib.sha256(content).hexdigest() == want.digest:
                    continue
                drawn = content[len(_WRAPPED) : len(_WRAPPED) + want.size]
                if not content.startswith(_WRAPPED) or hashlib.sha256(drawn).hexdigest() != want.digest:
                    return False
    except (OSError, pikepdf.PdfError):
        return False
    return True


def _content(page) -> bytes:
    import pikepdf

    contents = page.obj.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Array):
        return b"".join(stream.read_bytes() for stream in contents)
    return contents.read_bytes()


_RTL_SPAN = re.compile("(\u202b[^\u202c]*\u202c?)")
# Right-to-left spans with nothing between them are pieces of one word that the font drew in
# several runs (a ligature, a mark, an opening quote), listed left to right as on the page.
_TOUCHING_RTL = re.compile("(?:\u202b[^\u202b\u202c]*\u202c){2,}")
_PIECE = re.compile("\u202b([^\u202b\u202c]*)\u202c")


def _joined_pieces(match: re.Match[str]) -> str:
    return "\u202b" + "".join(reversed(_PIECE.findall(match.group()))) + "\u202c"


def _logical_order(line: str) -> list[str]:
    """The words of a line, right-to-left runs put back in reading order.

    pdftotext gives right-to-left words (each wrapped in U+202B ... U+202C) in the order they
    stand on the page, so a run of them, with the numbers and punctuation between, is reversed.
    """
    units: list[tuple[list[str], bool | None]] = []  # words, and True for RTL, None for a number
    if "\u202c\u202b" in line:
        line = _TOUCHING_RTL.sub(_joined_pieces, line)
    for part in _RTL_SPAN.split(line):
        if part.startswith("\u202b"):
            units.append((words(part), True))
        else:
            units.extend(([w], None if w.isdigit() else False) for w in words(part))
    # A number standing left of a right-to-left run ("0 א") is read after the run's first
    # word ("א0"); where it came first after all, the alignment accepts the two swapped.
    for index in range(len(units) - 1):
        before = units[index - 1][1] if index else False
        if units[index][1] is None and units[index + 1][1] is True and before is False:
            units[index], units[index + 1] = units[index + 1], units[index]
    ordered: list[str] = []
    run: list[tuple[list[str], bool | None]] = []
    for unit in [*units, ([], False)]:
        if unit[1] is not False and (run or unit[1]):
            run.append(unit)
            continue
        while run and run[-1][1] is None:  # numbers after the run belong to what follows
            unit_words = run.pop()[0]
            ordered.extend(w for u in reversed(run) for w in u[0])
            run = []
            ordered.extend(unit_words)
        ordered.extend(w for u in reversed(run) for w in u[0])
        run = []
        ordered.extend(unit[0])
    return ordered
