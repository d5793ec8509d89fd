"""Helpers for the print tests: small generated books and readings of WeasyPrint's layout."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from bookbuild.model import Book, Emph, Meta, Note, NoteRef, Paragraph, Role, SceneBreak, Section, Text

WORDS = (
    "the quiet city waited under a pale sky while he walked along empty streets remembering "
    "every promise they had broken and every morning that came anyway with its patient light "
    "over rooftops and windows nobody opened again because the world had grown strange and "
    "silent after the long winter of sickness so that even the birds seemed uncertain whether "
    "to sing or to leave for warmer places beyond the river where nothing waited either"
).split()


def prose(rng: random.Random, sentences: int) -> str:
    """Some deterministic English-like sentences."""
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 22))]
        out.append(" ".join(words).capitalize() + rng.choice((".", ".", ".", "?", "!")))
    return " ".join(out)


def sample_book(
    chapters: int = 3,
    paragraphs: int = 12,
    seed: int = 7,
    front_note: bool = True,
    scene_breaks: int = 1,
    title: str = "The Quiet City",
    author: str = "A. N. Author",
    note: bool = False,
) -> Book:
    """A generated book: an author's note, then chapters of prose with ``scene_breaks`` breaks each."""
    rng = random.Random(seed)
    sections = []
    if front_note:
        note = (Paragraph((Text(prose(rng, 3)),)),)
        sections.append(Section(Role.FRONT_NOTE, note, (Text("Author’s Note"),)))
    for number in range(1, chapters + 1):
        blocks: list = []
        for index in range(paragraphs):
            if scene_breaks and index and index % max(1, paragraphs // (scene_breaks + 1)) == 0:
                blocks.append(SceneBreak())
            sentences = rng.choice((1, 2, 4, 5, 7))
            # The typography transform puts a WORD JOINER before each em dash; so does this text.
            aside = f" {rng.choice(WORDS)}\u2060—{rng.choice(WORDS)} {rng.choice(WORDS)}\u2060—and "
            inlines = (Text(prose(rng, sentences) + aside), Emph((Text("quietly."),)))
            blocks.append(Paragraph(inlines))
        heading = (Text(f"Chapter {number}: " + " ".join(rng.sample(WORDS, 2)).title()),)
        sections.append(Section(Role.CHAPTER, tuple(blocks), heading))
    notes: tuple[Note, ...] = ()
    if note and chapters:
        first = sections[-chapters]
        cited = Paragraph((Text(prose(rng, 2)), NoteRef("note-1"), Text(" " + prose(rng, 2))))
        sections[-chapters] = Section(first.role, (cited, *first.blocks), first.title)
        notes = (Note("note-1", (Paragraph((Text("A note the author added. " + prose(rng, 1)),)),)),)
    meta = Meta(title=title, author=author, language="en", modified="2024-05-01T00:00:00Z")
    return Book(meta, tuple(sections), notes)


@dataclass(frozen=True, slots=True)
class PageReading:
    """What one laid-out page shows, read from WeasyPrint's boxes."""

    number: int
    blank: bool
    anchors: frozenset[str]
    margin_text: dict[str, str]
    # (paragraph element id, its line count on this page) in page order.
    paragraphs: tuple[tuple[int, int], ...]
    # Tags of the text blocks (p, hr, h1, ...) in page order, footnotes left out.
    blocks: tuple[str, ...]
    lines: tuple[str, ...]
    margin_left: float


def sample_print_markup(chapters: int, paragraphs: int, seed: int) -> tuple[str, str]:
    """A sample book's print HTML and stylesheet at the default settings (one-pass gutter)."""
    from bookbuild.config import BuildConfig
    from bookbuild.writers.pdf.geometry import page_geometry
    from bookbuild.writers.pdf.gutter import gutter_for
    from bookbuild.writers.pdf.print_html import book_html
    from bookbuild.writers.pdf.render import stylesheet

    book = sample_book(chapters=chapters, paragraphs=paragraphs, note=True, seed=seed)
    cfg = BuildConfig()
    return book_html(book, cfg.drop_caps), stylesheet(page_geometry(cfg, gutter_for(0)), book, cfg)


def _box_text(box) -> str:
    texts = []
    for child in box.descendants():
        text = getattr(child, "text", None)
        if isinstance(text, str):
            texts.append(text)
    return "".join(texts).strip()


TEXT_BLOCKS = frozenset({"p", "li", "hr", "h1", "h2", "h3", "h4", "h5", "h6"})


def read_pages(document) -> list[PageReading]:
    """Readings of every page of a laid-out document."""
    from weasyprint.formatting_structure import boxes

    readings = []
    for index, page in enumerate(document.pages):
        page_box = page._page_box
        margin_text = {}
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                text = _box_text(child)
                if text:
                    margin_text[child.at_keyword] = text
        paragraphs, blocks, lines = [], [], []
        flow = [c for c in page_box.children if not isinstance(c, (boxes.MarginBox, boxes.FootnoteAreaBox))]
        for box in (d for child in flow for d in child.descendants()):
            if isinstance(box, boxes.BlockBox) and box.element_tag in TEXT_BLOCKS:
                blocks.append(box.element_tag)
                line_boxes = [c for c in box.children if isinstance(c, boxes.LineBox)]
                lines.extend(_box_text(line) for line in line_boxes)
                if box.element_tag == "p" and line_boxes:
                    paragraphs.append((id(box.element), len(line_boxes)))
        readings.append(
            PageReading(
                number=index + 1,
                blank=page_box.page_type.blank,
                anchors=frozenset(page.anchors),
                margin_text=margin_text,
                paragraphs=tuple(paragraphs),
                blocks=tuple(blocks),
                lines=tuple(lines),
                margin_left=page_box.margin_left,
            )
        )
    return readings


def first_pages(readings: list[PageReading], ids: list[str]) -> dict[str, int]:
    """The page number on which each element id first appears."""
    found: dict[str, int] = {}
    for reading in readings:
        for anchor in reading.anchors:
            if anchor in ids:
                found.setdefault(anchor, reading.number)
    return found


@pytest.fixture(autouse=True)
def one_section_a_part(monkeypatch):
    """Render each section as its own part, so a short book still goes through the parallel path."""
    from bookbuild.writers.pdf import parallel as pdf_parallel

    monkeypatch.setattr(
        pdf_parallel, "plan_parts", lambda book: [range(i, i + 1) for i in range(len(book.sections))]
    )


def blank_interior(path, pages: int):
    """A 5×8 in interior PDF with the given number of blank pages (for a cover, only the count matters)."""
    import pikepdf

    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page(page_size=(360, 576))
        pdf.save(path)
    return path
