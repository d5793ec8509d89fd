"""The nothing-lost check: every word the reader found reaches the EPUB and the PDF, in order.

Words are compared after folding away what typography may change (quotes, dashes, ellipses,
invisible joiners, case), so only real loss counts. Text may leave the reading order only
when the finished model holds it elsewhere (a note, a note section, the metadata, a section
title, a scene break's marker) or a recorded decision names its paragraph.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from bookbuild.errors import OutputError
from bookbuild.model import Book, Heading, Paragraph, Role, SceneBreak, plain_text
from bookbuild.transforms import Decision

_FOLD = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
        "…": "...", "©": "(c)", "®": "(r)", "×": "x", "±": "+-", "\u00a0": " ", "\u2060": "", "\u00ad": "", "\u200b": "", "\ufeff": "",
    }
)
_WORD = re.compile(r"[^\W_]+")
# Labels that may vanish when the text they introduce moves: "A/N:", "Author's note:", "Title:".
LABELS = frozenset(
    "a n an author authors s note notes ps p pps disclaimer edit update title by summary rating rated "
    "genre genres pairing pairings characters warning warnings words word count chapter fandom status "
    "complete published updated category categories language series".split()
)
# Steps that never move text, so a decision of theirs excuses nothing.
TEXT_PRESERVING = frozenset({"read", "typography", "scene_inference"})
RESYNC = 5  # words that must follow a candidate match for it to count as the place to go on from
SLACK = 8  # words the output may insert among them (a note number, a page's running head)
MAX_GAP = 20_000  # words the output may insert in one place after the first match (a contents page)
MAX_REPORTED = 200


def fold(text: str) -> str:
    """Text with everything typography may change folded to one plain form."""
    return unicodedata.normalize("NFKC", text.translate(_FOLD)).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text: runs of letters and digits."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True, slots=True)
class Expected:
    """The manuscript's words in reading order, with each word's paragraph and line."""

    words: list[str]
    paragraph: list[int]
    lines: list[int | None]
    paragraphs: list[list[str]]


def expected_words(source: Book) -> Expected:
    """Every word of the book as read, before any transform ran."""
    found: list[str] = []
    owner: list[int] = []
    lines: list[int | None] = []
    paragraphs: list[list[str]] = []
    for section in source.sections:
        for block in section.blocks:
            if isinstance(block, (Paragraph, Heading)):
                these = words(plain_text(block.inlines))
                index = len(paragraphs)
                paragraphs.append(these)
                found.extend(these)
                owner.extend([index] * len(these))
                lines.extend([block.line] * len(these))
    return Expected(found, owner, lines, paragraphs)


def _elsewhere(book: Book) -> str:
    """Words the finished model keeps outside the story's order, items split by a sentinel."""
    items: list[str] = [
        str(getattr(book.meta, name)) for name in ("title", "author", "description", "series", "publisher", "date", "source", "rights")
    ]
    items.extend(book.meta.subjects)
    for section in book.sections:
        items.append(plain_text(section.title))
        if section.role is not Role.CHAPTER:
            items.extend(_block_text(b) for b in section.blocks)
    for note in book.notes:
        items.extend(_block_text(b) for b in note.blocks)
    return "\x00 " + " \x00 ".join(" ".join(words(item)) for item in items) + " \x00"


def _block_text(block: object) -> str:
    return plain_text(block.inlines) if isinstance(block, (Paragraph, Heading)) else ""


def _markers(book: Book) -> set[tuple[str, ...]]:
    found = set()
    for section in book.sections:
        for block in section.blocks:
            if isinstance(block, SceneBreak) and block.marker:
                found.add(tuple(words(block.marker)))
    return found


def _named(decisions: tuple[Decision, ...] | list[Decision]) -> list[list[str]]:
    """First words of the paragraphs a structural decision names (a header lifted, a note dropped)."""
    return [
        w
        for d in decisions
        if d.excerpt and d.transform not in TEXT_PRESERVING and (w := words(d.excerpt.removesuffix("…")))
    ]


class _Positions:
    """Where each word occurs in the output, for finding the place to go on from after a gap."""

    def __init__(self, actual: list[str]) -> None:
        self.actual = actual
        self.at: dict[str, list[int]] = defaultdict(list)
        for index, word in enumerate(actual):
            self.at[word].append(index)

    def follows(self, expected: list[str], start: int, position: int) -> bool:
        """Whether the words after ``start`` follow ``position`` closely, as they would in place."""
        wanted = expected[start + 1 : start + RESYNC]
        window = self.actual[position + 1 : position + 1 + len(wanted) + SLACK]
        cursor = 0
        for word in window:
            if cursor < len(wanted) and word == wanted[cursor]:
                cursor += 1
        return cursor == len(wanted)

    def resync(self, expected: list[str], start: int, position: int, anywhere: bool) -> int | None:
        """The first output position from ``position`` on where ``expected[start:]`` carries on."""
        places = self.at.get(expected[start], [])
        limit = len(self.actual) if anywhere else position + MAX_GAP
        for index in range(bisect.bisect_left(places, position), len(places)):
            candidate = places[index]
            if candidate > limit:
                return None
            if self.follows(expected, start, candidate):
                return candidate
        return None


def unmatched(expected: list[str], actual: list[str], split_words: bool = False) -> list[int]:
    """Indexes of expected words not found, in order, in the output (which may insert words).

    With ``split_words`` a word may arrive in two pieces a few words apart, as a PDF's text
    layer gives a word hyphenated across a page with the running head between.
    """
    positions = _Positions(actual)
    missing: list[int] = []
    i = j = 0
    matched_any = False
    while i < len(expected):
        word = expected[i]
        if j < len(actual) and actual[j] == word:
            i, j, matched_any = i + 1, j + 1, True
            continue
        if split_words and j < len(actual) and word.startswith(actual[j]) and actual[j] != word:
            rest = word[len(actual[j]) :]
            ahead = [d for d in range(1, SLACK + 1) if j + d < len(actual) and actual[j + d] == rest]
            if ahead:
                i, j = i + 1, j + ahead[0] + 1
                continue
        found = positions.resync(expected, i, j, anywhere=not matched_any)
        if found is None:
            missing.append(i)
            if len(missing) > MAX_REPORTED:
                missing.extend(range(i + 1, len(expected)))
                break
            i += 1
        else:
            j, matched_any = found, True
    return missing


def _runs(indexes: list[int], exp: Expected) -> list[tuple[int, int]]:
    """Missing word indexes grouped into runs that stay inside one paragraph."""
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index and exp.paragraph[runs[-1][0]] == exp.paragraph[index]:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def lost_words(source: Book, book: Book, decisions: tuple[Decision, ...] | list[Decision], actual: list[str], split_words: bool = False) -> list[tuple[int | None, list[str]]]:
    """Runs of words the output lost that nothing in the model accounts for, with their lines."""
    exp = expected_words(source)
    missing = unmatched(exp.words, actual, split_words)
    if not missing:
        return []
    elsewhere = _elsewhere(book)
    markers = _markers(book)
    named = _named(decisions)
    lost = []
    for start, end in _runs(missing, exp):
        run = exp.words[start:end]
        whole = exp.paragraphs[exp.paragraph[start]]
        while len(run) > 1 and run[0] in LABELS and f" {' '.join(run[1:])} " in elsewhere:
            run = run[1:]
        if tuple(run) in markers or tuple(whole) in markers:
            continue
        if f" {' '.join(run)} " in elsewhere:
            continue
        if any(whole[: len(n)] == n for n in named):
            continue
        lost.append((exp.lines[start], exp.words[start:end]))
    return lost


def _xml(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OutputError(f"{name} is not well-formed XML: {exc}") from exc


_SEPARATE = {"p", "div", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "td", "th", "aside", "nav", "ol", "ul", "blockquote", "body"}


def _element_text(element: etree._Element, parts: list[str]) -> None:
    if not isinstance(element.tag, str):
        return  # a comment or processing instruction: not text a reader sees
    name = etree.QName(element).localname
    if name in _SEPARATE:
        parts.append(" ")
    if element.text and name not in ("script", "style"):
        parts.append(element.text)
    for child in element:
        _element_text(child, parts)
        if child.tail:
            parts.append(child.tail)
    if name in _SEPARATE:
        parts.append(" ")


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


def pdf_words(path: Path) -> list[str]:
    """The folded words of a PDF's text layer, with words hyphenated at a line end rejoined."""
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    # WeasyPrint marks its own hyphenation with U+2010, so a typed hyphen is never removed.
    # A word's second half starts in lower case; a capital after the hyphen is the running
    # head, printed after the body, and unmatched() rejoins the halves across it.
    return words("\n".join(re.sub(r"(\w)[\u2010\u00ad][ \t]*\n[ \t]*(?=[^\W\d_])(?!\w*[A-Z])", r"\1", page) for page in pages))


def verify_output(fmt: str, path: Path, source: Book, book: Book, decisions: tuple[Decision, ...] | list[Decision], name: str = "") -> None:
    """Raise OutputError if the written file lost any of the manuscript's words."""
    label = name or path.name
    if fmt == "epub":
        actual, split = epub_words(path), False
    elif fmt == "pdf":
        actual, split = pdf_words(path), True
    else:
        return
    lost = lost_words(source, book, decisions, actual, split_words=split)
    if lost:
        count = sum(len(run) for _, run in lost)
        line, first = lost[0]
        where = f" from line {line}" if line else ""
        excerpt = " ".join(first[:12]) + (" …" if len(first) > 12 else "")
        raise OutputError(
            f"nothing-lost check failed for {label}: {count} word(s) of the manuscript missing{where} "
            f"(\"{excerpt}\"); this is a bookbuild bug, please report it (--no-verify skips the check)"
        )
