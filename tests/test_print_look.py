"""What a reader of the printed book sees: one-line running heads, lines set apart, a drop
capital that stays with its word, footnotes as wide as the text above them."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from lxml import html as lxml_html

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Emph, LineBreak, Meta, Paragraph, Role, Section, Text
from bookbuild.verify.outputs import pdf_pages
from bookbuild.writers.pdf.interior import layout, write_pdf
from bookbuild.writers.pdf.print_html import RUNNING_HEAD_CHARS, book_html, running_left, running_title

from .pdf_support import sample_book

LONG_TITLE = "Chapter One: The Letter That Arrived Three Years Too Late, Water-Stained and Unsigned"


@pytest.mark.parametrize(
    "title", ["Chapter 2: The Unlisted Light", "III. A Very Short Chapter", "Morning", "Afterword"]
)
def test_a_short_title_runs_as_it_stands(title):
    assert running_title(title) == title


def test_a_long_title_drops_its_chapter_label_and_ends_at_a_clause():
    assert running_title(LONG_TITLE) == "The Letter That Arrived Three Years Too Late"


def test_a_long_title_without_a_clause_end_ends_in_whole_words_and_an_ellipsis():
    title = "The Extraordinarily Long and Winding Title of a Story Without Any Label At All"
    shortened = running_title(title)
    assert shortened.endswith("…")
    assert title.startswith(shortened.removesuffix("…"))
    assert title[len(shortened) - 1] == " "  # cut between words, not inside one


@pytest.mark.parametrize(
    "title",
    [LONG_TITLE, "A" * 200, "word " * 60, "Chapter 12 — " + "very long subtitle " * 8, "x: " + "y " * 50],
)
def test_no_running_title_is_longer_than_the_limit(title):
    assert 0 < len(running_title(title)) <= RUNNING_HEAD_CHARS


def test_every_opening_heading_carries_its_running_title():
    book = sample_book(chapters=1)
    chapter = book.sections[1]
    book = dataclasses.replace(book, sections=(book.sections[0], dataclasses.replace(chapter, title=(Text(LONG_TITLE),))))
    root = lxml_html.document_fromstring(book_html(book))
    headings = root.xpath("//section[@id]/*[1][self::h1 or self::h2]")
    assert [h.get("data-running") for h in headings] == ["Author’s Note", running_title(LONG_TITLE)]


def test_a_long_author_or_title_is_shortened_on_the_left_page_too():
    book = Book(Meta(title="A Title " * 20), ())
    assert len(running_left(book)) <= RUNNING_HEAD_CHARS


def _verse_book() -> Book:
    verse = Paragraph((Emph((Text("The river takes"), LineBreak(), Text("and gives back less"))),))
    prose = Paragraph((Text("She sang it twice."),))
    return Book(Meta(title="Verse", author="Kit"), (Section(Role.CHAPTER, (prose, verse, prose), (Text("One"),)),))


def test_lines_broken_by_hand_are_set_apart_from_the_prose():
    root = lxml_html.document_fromstring(book_html(_verse_book()))
    classes = [p.get("class") for p in root.xpath("//section[@class='chapter']/p")]
    assert classes == ["first", "lines", None]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_drop_capital_reaches_the_text_layer_with_its_word(tmp_path):
    book = sample_book(chapters=1, front_note=False)
    first_word = book.sections[0].blocks[0].inlines[0].text.split()[0]
    target = tmp_path / "book.pdf"
    write_pdf(book, target, BuildConfig(trim="5x8", drop_caps=True))
    opener = next(page for page in pdf_pages(target) if "Chapter 1" in page)
    lines = [line.split() for line in opener.split("\n") if line.strip()]
    # The heading's two lines (label, name), then the opening line, its first word whole.
    assert lines[0] == ["Chapter", "1"]
    assert lines[2][0] == first_word


@pytest.mark.slow
def test_the_text_block_fills_the_page_margins_like_the_footnotes():
    document, _geometry = layout(sample_book(chapters=1, note=True), BuildConfig(trim="5x8"))
    page = document.pages[-1]._page_box
    body = page.children[0].children[0]
    assert body.element_tag == "body"
    assert body.content_box_x() == pytest.approx(page.content_box_x())
    assert body.width == pytest.approx(page.width)


def _text_right_edges(box) -> list[float]:
    from weasyprint.formatting_structure import boxes

    return [d.position_x + d.width for d in box.descendants() if isinstance(d, boxes.TextBox)]


@pytest.mark.slow
def test_contents_page_numbers_line_up_at_the_right_margin_after_dot_leaders():
    from weasyprint.formatting_structure import boxes

    book = sample_book(chapters=3)
    chapter = book.sections[1]
    long_chapter = dataclasses.replace(chapter, title=(Text(LONG_TITLE),))
    book = dataclasses.replace(book, sections=(book.sections[0], long_chapter, *book.sections[2:]))
    document, _geometry = layout(book, BuildConfig(trim="5x8"))
    page = next(p._page_box for p in document.pages if any(b.element_tag == "nav" for b in p._page_box.descendants()))
    entries = [b for b in page.descendants() if isinstance(b, boxes.BlockBox) and b.element_tag == "li"]
    assert len(entries) == 4
    last_lines = [[c for c in entry.children if isinstance(c, boxes.LineBox)][-1] for entry in entries]
    edges = [max(_text_right_edges(line)) for line in last_lines]
    assert max(edges) - min(edges) < 1, edges
    assert max(edges) == pytest.approx(page.content_box_x() + page.width, abs=1)
    assert all(". ." in "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox)) for line in last_lines)


def _opening(text: str, *more: Paragraph) -> Book:
    chapter = Section(Role.CHAPTER, (Paragraph((Text(text),)), *more), (Text("One"),))
    return Book(Meta(title="T", author="A"), (chapter,))


def test_no_drop_capital_on_an_opening_too_short_to_fill_two_lines():
    root = lxml_html.document_fromstring(book_html(_opening("“Where were you?” she asked."), drop_caps=True))
    assert root.find(".//span[@class='drop-cap']") is None
    long_opening = "She burned the letter at dawn and watched the smoke go north, toward the harbour, toward him."
    assert len(long_opening) >= 90
    root = lxml_html.document_fromstring(book_html(_opening(long_opening + " Then she slept."), drop_caps=True))
    assert root.find(".//span[@class='drop-cap']").text == "S"


def test_no_drop_capital_on_verse():
    verse = "The river takes what the river wants, and gives back less than it took; so mind the water"
    book = Book(Meta(title="T"), (Section(Role.CHAPTER, (Paragraph((Text(verse), LineBreak(), Text("and wind."))),)),))
    assert lxml_html.document_fromstring(book_html(book, drop_caps=True)).find(".//span[@class='drop-cap']") is None


def _spine_words(cover, spine_left: float, spine_right: float) -> list[tuple[str, float, float]]:
    """(word, top, bottom) of each word drawn on the spine, from poppler's word boxes."""
    import re
    import subprocess

    markup = subprocess.run(["pdftotext", "-bbox", str(cover), "-"], capture_output=True, text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        (word, float(top), float(bottom))
        for left, top, right, bottom, word in re.findall(pattern, markup)
        if spine_left <= float(left) and float(right) <= spine_right
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_a_long_title_and_author_share_the_spine_without_running_into_each_other(tmp_path):
    import pikepdf

    from bookbuild.writers.pdf.cover import SAFE_MARGIN, cover_geometry, write_cover

    title = "The Extraordinarily Long and Winding Title of a Story That Goes On and On Without Any End In Sight"
    author = "Wilhelmina Constance Featherstonehaugh-Smythe"
    book = dataclasses.replace(sample_book(chapters=1, paragraphs=2), meta=Meta(title=title, author=author))
    interior = tmp_path / "interior.pdf"
    with pikepdf.new() as pdf:
        for _ in range(300):
            pdf.add_blank_page(page_size=(360, 576))
        pdf.save(interior)
    cover = tmp_path / "cover.pdf"
    write_cover(book, interior, cover, BuildConfig(trim="5x8"))
    geometry = cover_geometry("5x8", 300, "white")
    left = (geometry.bleed + geometry.trim_width) * 72
    words = _spine_words(cover, left, left + geometry.spine * 72)
    title_words = [w for w in words if w[0] in title.split()]
    author_words = [w for w in words if w[0] in author.split()]
    assert title_words and len(author_words) == len(author.split())
    assert max(bottom for _w, _t, bottom in title_words) < min(top for _w, top, _b in author_words)
    safe_top, safe_bottom = (geometry.bleed + SAFE_MARGIN) * 72, (geometry.bleed + 8 - SAFE_MARGIN) * 72
    assert all(safe_top - 1 <= top and bottom <= safe_bottom + 1 for _w, top, bottom in words)


def test_nested_labels_all_go_from_a_long_running_title():
    assert running_title("Part 1: " + LONG_TITLE) == "The Letter That Arrived Three Years Too Late"
