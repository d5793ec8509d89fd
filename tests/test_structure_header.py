"""A header block at the top of a manuscript becomes metadata, not story text."""

from __future__ import annotations

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Meta, Role, Section, block_text
from bookbuild.readers.markdown import read_markdown
from bookbuild.readers.text import read_text
from bookbuild.transforms.header import header_fields, lift_header
from bookbuild.transforms.metadata import apply_metadata

HEADER = """Title: The Cartographer's Daughter
Author: Wren Halloway
Fandom: Original Work
Rating: T
Pairing: Ada/Juniper
Genre: Adventure/Romance
Word count: 4,210
Summary: A mapmaker's daughter inherits a map of a country
that does not exist.

A/N: My first posted story!

The map arrived in a biscuit tin."""


def _book(text: str) -> Book:
    return Book(Meta(title="file", title_from_filename=True), (Section(Role.CHAPTER, tuple(read_text(text)), line=1),))


def test_header_fields_become_metadata_and_leave_the_text():
    book, decisions = lift_header(_book(HEADER), BuildConfig())
    meta = book.meta
    assert meta.title == "The Cartographer's Daughter" and not meta.title_from_filename
    assert meta.author == "Wren Halloway"
    assert meta.description == "A mapmaker's daughter inherits a map of a country that does not exist."
    assert meta.subjects == ("Original Work", "Rated T", "Ada/Juniper", "Adventure", "Romance")
    assert [block_text(b) for b in book.sections[0].blocks] == ["A/N: My first posted story!", "The map arrived in a biscuit tin."]
    assert {d.code for d in decisions} == {"HD001", "HD002"}
    assert any(d.data.get("key") == "word count" for d in decisions)


def test_book_toml_wins_over_the_header():
    cfg = BuildConfig(metadata={"title": "Chosen Title", "author": "Someone Else"})
    book, _ = lift_header(_book(HEADER), cfg)
    book, _ = apply_metadata(book, cfg)
    assert (book.meta.title, book.meta.author) == ("Chosen Title", "Someone Else")
    assert book.meta.description.startswith("A mapmaker's daughter")


def test_fields_run_together_on_one_line_are_split():
    assert header_fields("Title: Salt Author: Mo Rating: K+") == [("title", "Salt"), ("author", "Mo"), ("rating", "K+")]


def test_a_colon_inside_a_story_is_not_a_header():
    text = "The sign on the door read as follows.\n\nTitle: none given.\n\nShe went in."
    book, decisions = lift_header(_book(text), BuildConfig())
    assert decisions == [] and len(book.sections[0].blocks) == 3


def test_lowercase_key_inside_a_value_is_not_a_new_field():
    assert header_fields("Summary: the title: of it all") == [("summary", "the title: of it all")]


def test_a_top_markdown_heading_titles_the_book_and_leaves_when_chapters_follow():
    blocks = read_markdown("# The Winter Ledger\n\n## One\n\nSnow fell.\n\n## Two\n\nIt thawed.\n")
    book = Book(Meta(title="file", title_from_filename=True), (Section(Role.CHAPTER, tuple(blocks), line=1),))
    book, decisions = lift_header(book, BuildConfig())
    assert book.meta.title == "The Winter Ledger" and not book.meta.title_from_filename
    assert [block_text(b) for b in book.sections[0].blocks][:1] == ["One"]
    assert [d.code for d in decisions] == ["HD003"]


def test_a_lone_markdown_heading_titles_the_book_and_stays_as_the_chapter_title():
    blocks = read_markdown("# Salt\n\nThe sea came in.\n")
    book = Book(Meta(title="file", title_from_filename=True), (Section(Role.CHAPTER, tuple(blocks), line=1),))
    book, _ = lift_header(book, BuildConfig())
    assert book.meta.title == "Salt"
    assert [block_text(b) for b in book.sections[0].blocks] == ["Salt", "The sea came in."]


def test_a_header_line_no_field_takes_but_labelled_as_a_note_stays_in_the_text():
    text = "Title: Salt\nBeta: the patient Quill\nWord count: 900\nSpoilers: the whole first book\n\nThe tide went out."
    book, decisions = lift_header(_book(text), BuildConfig())
    assert [block_text(b) for b in book.sections[0].blocks] == [
        "Beta: the patient Quill", "Spoilers: the whole first book", "The tide went out."
    ]
    assert book.meta.title == "Salt"
    assert [d.excerpt for d in decisions if d.code == "HD004"] == ["Beta: the patient Quill", "Spoilers: the whole first book"]
