"""The laid-out pages as the balancer reads them: every line of the main flow with its
paragraph, its width and its word spacing, and how far each page ends above the full block."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from bookbuild.assets import asset_path
from bookbuild.writers.pdf.hyphenation import LONGEST_WORD
from bookbuild.writers.pdf.relayout import document_roots, local_tag, section_paragraphs

# Word spaces wider than this (in em) make a line loose (the audit's limit is 0.5 em).
LOOSE_EM = 0.49
BODY_FONT = "fonts/linux-libertine/LinLibertine_R.otf"


@dataclass(slots=True)
class Line:
    """One laid-out line of the main flow."""

    key: tuple[str, int] | None  # (section id, index of its paragraph in the section)
    section: str | None
    top: float
    bottom: float
    text: str
    width: float
    spacing: float = 0.0  # its word spaces, in em (natural space plus what justification added)
    font_size: float = 0.0  # of its text, in CSS pixels
    index: int = 0  # the line's number within its paragraph
    last: bool = False  # a paragraph's last line


@dataclass(slots=True)
class Page:
    """One page's lines and its text block."""

    number: int
    right: bool
    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)
    footnotes: bool = False


def _paragraph_keys(document, _plain: set) -> dict[int, tuple[str, tuple[str, int]]]:
    """Every paragraph element of the laid-out tree by id(), as (section id, (section id, n)).

    Adds to ``_plain`` the paragraphs a probe can lay out alone: a section's own paragraphs
    after its opening one (not inside a quotation, whose measure is narrower), and none holding
    a run no hyphenation breaks (a URL, a 20,000-letter "word"): it wraps only at the margin,
    tracking does not lengthen it by a line, and every probe of it cost seconds.
    """
    keys: dict[int, tuple[str, tuple[str, int]]] = {}
    for root in document_roots(document):
        if local_tag(root) != "html":
            continue
        for section, sid, paragraphs in section_paragraphs(root):
            plain = {id(child) for child in section if local_tag(child) == "p"}
            for index, paragraph in enumerate(paragraphs):
                keys[id(paragraph)] = (sid, (sid, index))
                if id(paragraph) in plain and index and not _unbreakable(paragraph):
                    _plain.add((sid, index))  # set like any other: no opening, no inset
            keys[id(section)] = (sid, None)
    return keys


def _unbreakable(paragraph) -> bool:
    """Whether a paragraph holds a run of characters longer than any word a line can hold."""
    return any(len(run) > LONGEST_WORD for run in "".join(paragraph.itertext()).split())


def read_pages(document, plain: set | None = None) -> list[Page]:
    """The main flow's lines of every page, each tied to its paragraph (``plain`` gets the
    paragraphs a probe can lay out alone)."""
    from weasyprint.formatting_structure import boxes

    keys = _paragraph_keys(document, plain if plain is not None else set())
    pages = []
    for number, page in enumerate(document.pages):
        box = page._page_box
        top = box.content_box_y()
        found = Page(number, box.page_type.side == "right", top, top + box.height)
        # Footnotes take their room from the text block: such a page is left as it falls.
        found.footnotes = any(isinstance(c, boxes.FootnoteAreaBox) and c.children for c in box.children)
        for root in box.children:
            if not isinstance(root, (boxes.MarginBox, boxes.FootnoteAreaBox)):
                _walk(root, None, None, keys, found.lines)
        pages.append(found)
    _number_lines(pages)
    return pages


def _walk(node, section, key, keys, lines: list[Line]) -> None:
    """Collect the line boxes under ``node``, each with its section and paragraph."""
    from weasyprint.formatting_structure import boxes

    element = getattr(node, "element", None)
    if element is not None and id(element) in keys and not isinstance(node, boxes.InlineLevelBox):
        section, found_key = keys[id(element)]
        key = found_key if found_key is not None else key
    if isinstance(node, boxes.LineBox):
        runs = [t for t in node.descendants() if isinstance(t, boxes.TextBox)]
        right = max((t.position_x + t.width for t in runs), default=node.position_x)
        lines.append(Line(key, section, node.position_y, node.position_y + node.height,
                          "".join(t.text for t in runs), right - node.position_x, _spacing(runs),
                          max((t.style["font_size"] for t in runs), default=0.0)))
        return
    for child in getattr(node, "children", ()):
        _walk(child, section, key, keys, lines)


@cache
def _space_width() -> float:
    """The body font's word space, in em (read from the bundled font)."""
    from fontTools.ttLib import TTFont

    font = TTFont(asset_path(BODY_FONT), lazy=True)
    return font["hmtx"]["space"][0] / font["head"].unitsPerEm


def _spacing(runs) -> float:
    """A line's word space in em: the font's space, word- and letter-spacing, justification's share."""
    for run in runs:
        if " " not in run.text:
            continue
        style = run.style
        size = style["font_size"] or 1
        extra = sum(v for v in (style["word_spacing"], style["letter_spacing"]) if isinstance(v, (int, float)))
        return _space_width() + (extra + getattr(run, "justification_spacing", 0)) / size
    return 0.0


def loose(line: Line) -> bool:
    """A justified line (not a paragraph's last) whose word spaces are wider than ``LOOSE_EM``."""
    return not line.last and line.spacing > LOOSE_EM and line.text.count(" ") >= 2


def _number_lines(pages: list[Page]) -> None:
    seen: dict[tuple[str, int], int] = {}
    flat = [line for page in pages for line in page.lines if line.key is not None]
    for line in flat:
        line.index = seen.get(line.key, 0)
        seen[line.key] = line.index + 1
    for line in flat:
        line.last = line.index == seen[line.key] - 1


def pitch_of(pages: list[Page]) -> float:
    """The body's line pitch: the commonest line height."""
    heights: dict[float, int] = {}
    for page in pages:
        for line in page.lines:
            height = round(line.bottom - line.top, 2)
            heights[height] = heights.get(height, 0) + 1
    return max(heights, key=heights.get) if heights else 0.0


def runs_on(pages: list[Page], number: int) -> bool:
    """Whether the page's section goes on over the next page."""
    here = pages[number]
    if number + 1 >= len(pages) or not here.lines or not pages[number + 1].lines:
        return False
    return here.lines[-1].section is not None and here.lines[-1].section == pages[number + 1].lines[0].section


def shortfall(page: Page, pitch: float) -> int:
    """How many body lines the page's text ends above the full text block."""
    if not page.lines or pitch <= 0:
        return 0
    full = page.top + int((page.bottom - page.top) / pitch + 0.01) * pitch
    return max(0, round((full - page.lines[-1].bottom) / pitch))
