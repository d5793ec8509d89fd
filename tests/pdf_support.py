"""Helpers for the print tests: small generated books and readings of WeasyPrint's layout."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bookbuild.model import Book, Emph, Meta, Paragraph, Role, SceneBreak, Section, Text

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
    scene_breaks: bool = True,
    title: str = "The Quiet City",
    author: str = "A. N. Author",
) -> Book:
    """A generated book: an author's note, then chapters of prose with a scene break each."""
    rng = random.Random(seed)
    sections = []
    if front_note:
        note = (Paragraph((Text(prose(rng, 3)),)),)
        sections.append(Section(Role.FRONT_NOTE, note, (Text("Author’s Note"),)))
    for number in range(1, chapters + 1):
        blocks: list = []
        for index in range(paragraphs):
            if scene_breaks and index == paragraphs // 2:
                blocks.append(SceneBreak())
            sentences = rng.choice((1, 2, 4, 5, 7))
            inlines = (Text(prose(rng, sentences) + " "), Emph((Text("Quietly."),)))
            blocks.append(Paragraph(inlines))
        heading = (Text(f"Chapter {number}: " + " ".join(rng.sample(WORDS, 2)).title()),)
        sections.append(Section(Role.CHAPTER, tuple(blocks), heading))
    meta = Meta(title=title, author=author, language="en", modified="2024-05-01T00:00:00Z")
    return Book(meta, tuple(sections))


@dataclass(frozen=True, slots=True)
class PageReading:
    """What one laid-out page shows, read from WeasyPrint's boxes."""

    number: int
    blank: bool
    anchors: frozenset[str]
    margin_text: dict[str, str]
    # (paragraph element id, its line count on this page) in page order.
    paragraphs: tuple[tuple[int, int], ...]
    margin_left: float


def _box_text(box) -> str:
    texts = []
    for child in box.descendants():
        text = getattr(child, "text", None)
        if isinstance(text, str):
            texts.append(text)
    return "".join(texts).strip()


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
        paragraphs = []
        for box in page_box.descendants():
            if isinstance(box, boxes.BlockBox) and box.element_tag == "p":
                lines = [c for c in box.children if isinstance(c, boxes.LineBox)]
                if lines:
                    paragraphs.append((id(box.element), len(lines)))
        readings.append(
            PageReading(
                number=index + 1,
                blank=page_box.page_type.blank,
                anchors=frozenset(page.anchors),
                margin_text=margin_text,
                paragraphs=tuple(paragraphs),
                margin_left=page_box.margin_left,
            )
        )
    return readings
