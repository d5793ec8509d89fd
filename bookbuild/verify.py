"""The nothing-lost check: every word the reader found reaches the EPUB and the PDF, in order.

Words are compared after folding away what typography may change (quotes, dashes, ellipses,
invisible joiners, case), so only real loss counts. Text may leave the reading order only
when the finished model holds it elsewhere (a note, a note section, the metadata, a section
title, a scene break's marker) or a recorded decision names its paragraph.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import logging
import re
import shutil
import subprocess
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
RESYNC = 8  # words after a candidate match that must mostly follow it for it to be the place to go on
SLACK = 8  # words the output may insert among them (a note number, a page's running head)
MAX_CANDIDATES = 400  # places a word may be looked for after the first match (a contents page is before)
MAX_REPORTED = 200


@functools.cache
def _marks() -> re.Pattern[str]:
    """Combining marks, with the space a spacing accent (¸ ´ ¨) decomposes to before them.

    A PDF's text layer may attach a mark to the letter before it or not, so marks do not count.
    """
    marks = "".join(chr(c) for c in range(0x300, 0x110000) if unicodedata.category(chr(c)) in ("Mn", "Me"))
    return re.compile(f" ?[{re.escape(marks)}]+")


def fold(text: str) -> str:
    """Text with everything typography may change folded to one plain form (marks dropped too)."""
    return _marks().sub("", unicodedata.normalize("NFKD", text.translate(_FOLD))).casefold()


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
        """Whether most words after ``start`` follow ``position`` closely, as they would in place.

        "Most": a few may be missing there for good reason (a marker turned into a scene
        break, a note moved away), so a common subsequence of three fifths is enough.
        """
        wanted = expected[start + 1 : start + 1 + RESYNC]
        window = self.actual[position + 1 : position + 1 + len(wanted) + SLACK]
        return _common(wanted, window) * 5 >= len(wanted) * 3

    def resync(self, expected: list[str], start: int, position: int, anywhere: bool) -> int | None:
        """The first output position from ``position`` on where ``expected[start:]`` carries on."""
        places = self.at.get(expected[start], [])
        first = bisect.bisect_left(places, position)
        last = len(places) if anywhere else min(len(places), first + MAX_CANDIDATES)
        for candidate in places[first:last]:
            if self.follows(expected, start, candidate) or self.just_after(expected, start, candidate, position):
                return candidate
        return None

    def assemble(self, word: str, position: int) -> int | None:
        """Where ``word`` ends if it starts at ``position`` in pieces (a few words may come between).

        A PDF's text layer splits a word hyphenated across pages (the running head between the
        halves) and a word whose letters come from two fonts ("0 և").
        """
        if position >= len(self.actual) or self.actual[position] == word or not word.startswith(self.actual[position]):
            return None
        rest, cursor = word[len(self.actual[position]) :], position + 1
        while rest:
            for index in range(cursor, min(cursor + SLACK + 1, len(self.actual))):
                if rest.startswith(self.actual[index]):
                    rest, cursor = rest[len(self.actual[index]) :], index + 1
                    break
            else:
                return None
        return cursor

    def resync_in_pieces(self, expected: list[str], start: int, position: int, anywhere: bool) -> int | None:
        """Like :meth:`resync` for a word that arrives in pieces; returns where it ends."""
        word = expected[start]
        for length in range(1, len(word)):
            places = self.at.get(word[:length], [])
            first = bisect.bisect_left(places, position)
            last = len(places) if anywhere else min(len(places), first + MAX_CANDIDATES)
            for candidate in places[first:last]:
                end = self.assemble(word, candidate)
                if end is not None and (self.follows(expected, start, end - 1) or end - position <= SLACK):
                    return end
        return None

    def just_after(self, expected: list[str], start: int, candidate: int, position: int) -> bool:
        """A few words inserted right here (a note number, a heading) and the next word agrees.

        This keeps the place when what follows is itself missing, so a loss is reported
        where it is and not as a tail of innocent words before it.
        """
        if candidate - position > SLACK:
            return False
        following = start + 1
        return following >= len(expected) or (
            candidate + 1 < len(self.actual) and self.actual[candidate + 1] == expected[following]
        )


def _common(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two short word lists."""
    row = [0] * (len(b) + 1)
    for word in a:
        previous_diagonal = 0
        for index, other in enumerate(b, start=1):
            above = row[index]
            row[index] = previous_diagonal + 1 if word == other else max(row[index], row[index - 1])
            previous_diagonal = above
    return row[-1]


def unmatched(expected: list[str], actual: list[str], split_words: bool = False) -> list[int]:
    """Indexes of expected words not found, in order, in the output (which may insert words).

    With ``split_words`` a word may arrive in pieces a few words apart (see ``assemble``).
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
        end = positions.assemble(word, j) if split_words else None
        if end is not None:
            i, j, matched_any = i + 1, end, True
            continue
        found = positions.resync(expected, i, j, anywhere=not matched_any)
        end = positions.resync_in_pieces(expected, i, j, not matched_any) if found is None and split_words else None
        if end is not None:
            i, j, matched_any = i + 1, end, True
        elif found is None:
            missing.append(i)
            if len(missing) > MAX_REPORTED:
                missing.extend(range(i + 1, len(expected)))
                break
            i += 1
        else:
            j, matched_any = found, True
    return missing


def _moved(run: list[str], elsewhere: str) -> bool:
    """Whether a run, less any leading labels ("A/N:"), is held elsewhere in the model."""
    for start in range(len(run)):
        if f" {' '.join(run[start:])} " in elsewhere:
            return True
        if run[start] not in LABELS:
            return False
    return False


def _runs(indexes: list[int], exp: Expected) -> list[tuple[int, int]]:
    """Missing word indexes grouped into runs that stay inside one paragraph."""
    runs: list[tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index and exp.paragraph[runs[-1][0]] == exp.paragraph[index]:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def lost_words(
    source: Book,
    book: Book,
    decisions: tuple[Decision, ...] | list[Decision],
    actual: list[str],
    split_words: bool = False,
) -> list[tuple[int | None, list[str]]]:
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
        if tuple(run) in markers or tuple(whole) in markers:
            continue
        if _moved(run, elsewhere):
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
    """The folded words of a PDF's text layer, with words hyphenated at a line end rejoined."""
    # WeasyPrint marks its own hyphenation with U+2010, so a typed hyphen is never removed.
    # Halves are joined within a page only, and only before lower case: across a page break
    # the running head and page number come between them, and unmatched() rejoins the halves.
    hyphenated = re.compile(r"(\w)[\u2010\u00ad][ \t]*\n[ \t]*(?=[^\W\d_])(?!\w*[A-Z])")
    found: list[str] = []
    for page in pdf_pages(path):
        for line in hyphenated.sub(r"\1", page).split("\n"):
            found.extend(_logical_order(line))
    return found


_RTL_SPAN = re.compile("(\u202b[^\u202c]*\u202c?)")


def _logical_order(line: str) -> list[str]:
    """The words of a line, right-to-left runs put back in reading order.

    pdftotext gives right-to-left words (each wrapped in U+202B ... U+202C) in the order they
    stand on the page, so a run of them, with the numbers and punctuation between, is reversed.
    """
    units: list[tuple[list[str], bool | None]] = []  # words, and True for RTL, None for a number
    # A number glued to the left of a right-to-left word ("0א") is read after it ("א0"); the
    # word's own vowel marks may stand between them.
    line = re.sub("(\\d+)([^\\w\\s]*\u202b[^\u202c]*\u202c)", r"\2\1", line)
    for part in _RTL_SPAN.split(line):
        if part.startswith("\u202b"):
            units.append((words(part), True))
        else:
            units.extend(([w], None if w.isdigit() else False) for w in words(part))
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


@contextlib.contextmanager
def missing_glyphs():
    """Collect the characters WeasyPrint found in no font while the block runs (they print as boxes)."""
    found: set[str] = set()

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if str(record.msg).startswith(".notdef glyph") and record.args:
                found.add(str(record.args[0]))

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


def glyph_warning(characters: set[str]) -> Decision:
    """The warning for characters the PDF's fonts cannot show."""
    shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(characters)[:8])
    more = f" and {len(characters) - 8} more" if len(characters) > 8 else ""
    return Decision("verify", "VF001", "warning", f"no font has a glyph for {shown}{more}: the PDF prints them as empty boxes")


def verify_output(
    fmt: str,
    path: Path,
    source: Book,
    book: Book,
    decisions: tuple[Decision, ...] | list[Decision],
    name: str = "",
    unprintable: frozenset[str] = frozenset(),
) -> None:
    """Raise OutputError if the written file lost any of the manuscript's words.

    ``unprintable`` characters (no font has them, so the PDF shows a box) only add a hint to
    the message: the text layer still carries them.
    """
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
        hint = ""
        if fmt == "pdf" and unprintable:
            hint = f"; no font has {''.join(sorted(unprintable)[:8])}, which may garble the text layer"
        raise OutputError(
            f"nothing-lost check failed for {label}: {count} word(s) of the manuscript missing{where} "
            f"(\"{excerpt}\"){hint}; this is a bookbuild bug, please report it (--no-verify skips the check)"
        )
