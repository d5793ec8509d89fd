"""The print interior's HTML: front matter, contents, one-shot titles and drop capitals."""

from __future__ import annotations

import dataclasses

from lxml import html as lxml_html

from bookbuild.model import Book, Meta, Paragraph, Role, Section, Text
from bookbuild.render.xhtml import shown_sections
from bookbuild.writers.pdf.print_html import book_html
from bookbuild.writers.pdf.render import css_string

from .pdf_support import sample_book


def parse(book: Book, drop_caps: bool = False):
    return lxml_html.document_fromstring(book_html(book, drop_caps))


def one_shot(first_text: str = "It was beautiful.") -> Book:
    chapter = Section(Role.CHAPTER, (Paragraph((Text(first_text),)),))
    return Book(Meta(title="Ashes & <Dust>", author="Kit", language="en-GB"), (chapter,))


def test_front_matter_in_order_with_escaped_metadata():
    root = parse(one_shot())
    classes = [s.get("class") for s in root.body if s.tag == "section"][:3]
    assert classes == ["front-matter half-title", "front-matter title-page", "front-matter copyright-page"]
    assert root.find(".//section[@class='front-matter title-page']/h1").text_content() == "Ashes & <Dust>"
    assert root.get("lang") == "en-GB"


def test_contents_lists_every_section_with_a_link():
    book = sample_book(chapters=3, paragraphs=2)
    links = parse(book).findall(".//nav[@class='contents']//a")
    assert [a.text for a in links][0] == "Author’s Note"
    assert len(links) == 4 and all(a.get("href").startswith("#s") for a in links)


def test_a_single_section_gets_no_contents_page():
    assert parse(one_shot()).find(".//nav") is None


def test_an_untitled_one_shot_opens_under_the_book_title():
    sections = shown_sections(one_shot())
    assert sections[0].title == (Text("Ashes & <Dust>"),)
    titled = sample_book(chapters=1, paragraphs=2)
    assert shown_sections(titled) == titled.sections


def test_drop_cap_takes_opening_quotes_with_the_first_letter():
    opening = "“Whatever,” he said, and turned back to the window, where the rain had not stopped since the morning."
    root = parse(one_shot(opening), drop_caps=True)
    span = root.find(".//section[@class='chapter']/p/span[@class='drop-cap']")
    assert span.text == "“W" and span.tail.startswith("hatever")
    assert parse(one_shot()).find(".//span[@class='drop-cap']") is None


def test_drop_caps_only_in_chapters():
    book = sample_book(chapters=1, paragraphs=2)
    root = parse(book, drop_caps=True)
    assert root.find(".//section[@class='front-note']//span[@class='drop-cap']") is None
    assert root.find(".//section[@class='chapter']//span[@class='drop-cap']") is not None


def test_pdf_metadata_comes_from_the_book():
    book = dataclasses.replace(one_shot(), meta=Meta(title="T", author="A", description="D", modified="2024-01-02T03:04:05Z"))
    root = parse(book)
    meta = {m.get("name"): m.get("content") for m in root.findall(".//meta") if m.get("name")}
    assert meta["author"] == "A" and meta["description"] == "D"
    assert meta["dcterms.created"] == "2024-01-02T03:04:05Z"


def test_running_head_text_is_a_safe_css_string():
    assert css_string('Say "hi" \\ now') == '"Say \\"hi\\" \\\\ now"'
