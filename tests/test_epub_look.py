"""What a reader of the EPUB sees on a phone: note back-links as text, verse set apart, openings
and chapter headings (whose XHTML the print edition shares)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from bookbuild.model import Book, LineBreak, Meta, Note, Paragraph, Role, Section, Text
from bookbuild.render.xhtml import BACKLINK_TEXT, RenderOptions, notes_element, section_element
from bookbuild.writers.epub.book import plan_documents, stylesheet


def test_back_link_asks_for_the_text_arrow_and_says_where_it_goes():
    note = Note("note-1", (Paragraph((Text("A note."),)),))
    element = notes_element((note,), {"note-1": "chapter-001.xhtml"}, RenderOptions())
    back = element.find(".//a[@role='doc-backlink']")
    # U+FE0E: without it Apple Books and iOS draw the arrow as a colour emoji.
    assert back.text == BACKLINK_TEXT == "\u21a9\ufe0e"
    assert back.get("aria-label")
    assert back.get("href") == "chapter-001.xhtml#ref-note-1"


def test_verse_is_marked_as_lines_in_the_epub_too():
    verse = Paragraph((Text("The river takes"), LineBreak(), Text("and gives back less")))
    chapter = Section(Role.CHAPTER, (Paragraph((Text("Prose."),)), verse), (Text("One"),))
    body = plan_documents(Book(Meta(title="T"), (chapter,)))[0].body
    assert [p.get("class") for p in body.iter("p")] == ["first", "lines"]
    assert len(list(body.iter("br"))) == 1


def test_stylesheet_opens_chapters_in_small_capitals_and_sets_lines_apart():
    css = stylesheet().decode("utf-8")
    assert "section.chapter > h1 + p::first-line { font-variant: small-caps;" in css
    assert "p.lines {" in css


def test_lines_class_survives_as_xhtml():
    verse = Paragraph((Text("a"), LineBreak(), Text("b")))
    body = plan_documents(Book(Meta(title="T"), (Section(Role.CHAPTER, (verse,)),)))[0].body
    assert b'class="first lines"' in etree.tostring(body)


def _heading(title: str, role: Role = Role.CHAPTER) -> etree._Element:
    section = Section(role, (Paragraph((Text("Text."),)),), (Text(title),))
    return section_element(section, "s001", 1, RenderOptions())[0]


def test_a_chapter_label_gets_a_line_of_its_own_above_the_name():
    heading = _heading("Chapter One: The Letter")
    label, separator = heading.findall("span")
    assert (label.get("class"), label.text) == ("chapter-label", "Chapter One")
    assert (separator.get("class"), separator.text) == ("label-separator", ": ")
    assert separator.tail == "The Letter"
    assert _heading("III. A Very Short Chapter").find("span").text == "III"


@pytest.mark.parametrize("title", ["Chapter Two", "Civil. War", "Morning: After", "Chapter 12:"])
def test_a_title_without_a_label_and_a_name_stays_whole(title):
    heading = _heading(title)
    assert heading.find("span") is None and heading.text == title


def test_matter_headings_are_never_split():
    assert _heading("Part 1: Notes", Role.FRONT_NOTE).find("span") is None


@given(st.text(alphabet=st.sampled_from(list("Chapter Partone IVX12:.—- ab")), max_size=40))
def test_the_heading_keeps_every_character_of_the_title(title):
    assert "".join(_heading(title).itertext()) == title
