"""What a reader of the EPUB sees on a phone: note back-links as text, verse set apart, openings."""

from __future__ import annotations

from lxml import etree

from bookbuild.model import Book, LineBreak, Meta, Note, Paragraph, Role, Section, Text
from bookbuild.render.xhtml import BACKLINK_TEXT, RenderOptions, notes_element
from bookbuild.writers.epub import plan_documents, stylesheet


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
