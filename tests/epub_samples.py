"""Small books for the EPUB tests, built straight in the model so every structure is present
whatever the transforms do: notes before and after, titled and untitled chapters, scene
breaks, a heading inside a chapter, emphasis, line breaks and note references."""

from __future__ import annotations

import random
import re
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

from bookbuild.model import (
    Book,
    Emph,
    Heading,
    LineBreak,
    Meta,
    Note,
    NoteRef,
    Paragraph,
    Role,
    SceneBreak,
    Section,
    Text,
)

WORDS = (
    "the road ran north through the hills and every evening the light came down slowly over the "
    "fields where nobody had walked for years she kept the lamp burning in the window because he "
    "had promised to come back before the river froze and the birds went south again perhaps it "
    "was foolish to wait but waiting was the only thing left that still felt like hope"
).split()
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def prose(rng: random.Random, count: int) -> str:
    """Some words of plausible prose, capitalised and ended with a full stop."""
    words = [rng.choice(WORDS) for _ in range(count)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, note: str = "") -> Paragraph:
    """A paragraph with an emphasised run in the middle, sometimes a line break or a note."""
    spans = [Text(prose(rng, rng.randint(20, 70)) + " "), Emph((Text(prose(rng, rng.randint(3, 12))),))]
    if note:
        spans.append(NoteRef(note))
    if rng.random() < 0.15:
        spans.append(LineBreak())
    spans.append(Text(" " + prose(rng, rng.randint(10, 60))))
    return Paragraph(tuple(spans))


def sample_book(chapters: int = 3, paragraphs: int = 24, seed: int = 7, **meta: object) -> Book:
    """A book of a few chapters with every kind of block the writers render."""
    rng = random.Random(seed)
    sections = [Section(Role.FRONT_NOTE, (Paragraph((Text("A word before the story begins."),)),))]
    notes = []
    for number in range(1, chapters + 1):
        blocks: list[object] = []
        for index in range(paragraphs):
            note = ""
            if index == 3:
                note = f"note-{number}"
                notes.append(Note(note, (Paragraph((Text(f"An aside for chapter {number}."),)),)))
            blocks.append(paragraph(rng, note))
            if index == paragraphs // 2:
                blocks.append(SceneBreak("* * *"))
            if index == paragraphs // 3 and number == 2:
                blocks.append(Heading((Text("A Letter"),), level=2))
        title = () if number == 2 else (Text(f"Part the {['First', 'Second', 'Third', 'Fourth'][number % 4]}"),)
        sections.append(Section(Role.CHAPTER, tuple(blocks), title=title))
    sections.append(Section(Role.BACK_NOTE, (Paragraph((Text("Thank you for reading."),)),)))
    fields = {
        "title": "Roads in Winter",
        "author": "Ada Marie Lindqvist",
        "language": "en-GB",
        "description": "A short sample book.",
        "subjects": ("Fiction", "Winter"),
        "series": "Seasons",
        "series_index": "2",
        "publisher": "Kitchen Table Press",
        "date": "2024-03-01",
        "rights": "© 2024 Ada Marie Lindqvist",
        "modified": "2024-03-02T10:20:30Z",
    }
    fields.update(meta)
    return Book(Meta(**fields), tuple(sections), tuple(notes))


def sample_markdown(rng_seed: int = 3, chapters: int = 3) -> str:
    """A Markdown manuscript with chapter headings, emphasis and scene breaks."""
    rng = random.Random(rng_seed)
    parts = ["Before we start, a short note from the author.\n"]
    for number in range(1, chapters + 1):
        parts.append(f"# Chapter {number}\n")
        for index in range(10):
            parts.append(f"{prose(rng, 40)} *{prose(rng, 5)}* {prose(rng, 30)}\n")
            if index == 5:
                parts.append("* * *\n")
    return "\n".join(parts)


def read_entries(path: Path) -> dict[str, bytes]:
    """Every file of an EPUB by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def text_after(document: bytes, element_id: str, count: int = 8) -> list[str]:
    """The first words of a content document's text after the element with ``element_id``."""
    root = etree.fromstring(document)
    found = root.xpath("//*[@id=$id]", id=element_id)
    assert found, f"no element with id {element_id}"
    parts = []
    for node in found[0].xpath(
        # A heading's label separator (": ") is in the text but shown in neither edition: the
        # label stands on a line of its own, so the separator counts as a space.
        "following::text()[not(ancestor::*[@epub:type='noteref' or @class='label-separator'])]"
        " | following::x:br | following::x:p | following::x:span[@class='label-separator']",
        namespaces=NS,
    ):
        parts.append(" " if not isinstance(node, str) else str(node))
        if len("".join(parts).split()) > count:
            break
    return words_of("".join(parts))[:count]


def words_of(text: str) -> list[str]:
    """Words of a text, compatibility-normalised (ligatures, non-breaking spaces)."""
    return unicodedata.normalize("NFKC", text).split()


def pdf_page_words(text: str) -> list[str]:
    """Words of a PDF page's extracted text, with words the layout hyphenated joined again."""
    text = re.sub("\u2010\\s*\n", "", text)
    text = re.sub("-\\s*\n", "-", text)
    return words_of(text)
