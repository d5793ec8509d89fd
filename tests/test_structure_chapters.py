"""Chapter headings: the heading styles, title lines in a collection, and prose that must not split."""

from __future__ import annotations

import pytest

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Meta, Role, Section, block_text, plain_text
from bookbuild.readers.markdown import read_markdown
from bookbuild.readers.text import read_text
from bookbuild.structure.headings import chapter_heading, looks_like_title
from bookbuild.transforms.chapters import split_chapters

HEADINGS = [
    "Chapter 1", "Chapter One", "CHAPTER I", "Chapter 1: The Orchard", "Chapter 1 - The Orchard",
    "Chapter Twenty-Three", "chapter 7", "Ch. 4", "Prologue", "Epilogue", "Epilogue: Nine Winters On",
    "Part Two", "PART III", "Book IV", "IV", "XII.", "17", "~Chapter 3~", "**Chapter 5**",
    "=== Chapter 6 ===", "Chapter 2 The Lantern", "Interlude", "Interlude 2",
]
PROSE = [
    "Chapter one of her life had closed without ceremony.",
    "Chapter 5 was the one everybody skipped.",
    "Part of him wanted to stay.",
    "Part one of the plan went perfectly.",
    "Book two sat unread on the shelf, gathering dust.",
    "Prologue to a disaster, she called it.",
    "The epilogue of that war was written in ration books.",
    "I",  # a lone numeral is a heading; "I" in speech always carries punctuation
]


def _book(text: str, markdown: bool = False) -> Book:
    blocks = read_markdown(text) if markdown else read_text(text)
    return Book(Meta(title="file", title_from_filename=True), (Section(Role.CHAPTER, tuple(blocks), line=1),))


def _titles(book: Book) -> list[str]:
    return [plain_text(s.title) for s in book.sections]


@pytest.mark.parametrize("line", HEADINGS)
def test_heading_styles_are_recognised(line):
    assert chapter_heading(line) is not None


@pytest.mark.parametrize("line", PROSE[:-1])
def test_heading_words_inside_prose_do_not_fire(line):
    assert chapter_heading(line) is None


@pytest.mark.parametrize("line", HEADINGS[:6])
def test_heading_splits_and_leaves_the_text(line):
    text = f"{line}\n\nThe orchard had been planted by a man nobody remembered.\n\nChapter 2\n\nFrost came early."
    book, decisions = split_chapters(_book(text), BuildConfig())
    assert [s.role for s in book.sections] == [Role.CHAPTER, Role.CHAPTER]
    assert plain_text(book.sections[1].title) == "Chapter 2"
    assert all(block_text(b) not in (line, "Chapter 2") for s in book.sections for b in s.blocks)
    assert [d.action for d in decisions] == ["chapter", "chapter"]


def test_a_story_without_headings_is_one_untitled_chapter():
    text = "Chapter one of her life had closed.\n\nPart of him wanted to stay.\n\nShe poured the tea."
    book, decisions = split_chapters(_book(text), BuildConfig())
    assert len(book.sections) == 1 and book.sections[0].title == ()
    assert [d.code for d in decisions] == ["CH000"]


def test_title_line_under_a_bare_heading_joins_the_title():
    text = "Chapter 4\n\nThe Salt Road\n\nThey walked for three days before the sea appeared."
    book, _ = split_chapters(_book(text), BuildConfig())
    assert plain_text(book.sections[0].title) == "Chapter 4\nThe Salt Road"
    assert [block_text(b) for b in book.sections[0].blocks] == ["They walked for three days before the sea appeared."]


COLLECTION = """The Lamplighter

Every evening the old man climbed his ladder at the corner of Vine Street.

He had done it for forty years.

Nobody thanked him.

A Quarrel Over Plums

The sisters had not spoken since the harvest fair.

It began, as these things do, with a basket.

By winter the whole parish had taken sides.

Marguerite

She arrived on the night train with one glove and no luggage.

The porter asked her name twice.

She wrote it on a scrap of paper instead: "Yours, in haste,

Hermione

but call me Marguerite."

He did not."""


def test_short_title_lines_start_stories_in_a_collection():
    book, decisions = split_chapters(_book(COLLECTION), BuildConfig())
    assert _titles(book) == ["The Lamplighter", "A Quarrel Over Plums", "Marguerite"]
    assert "Hermione" in [block_text(b) for b in book.sections[-1].blocks]  # follows a comma
    assert {d.code for d in decisions} == {"CH004", "CH005"}


def test_title_lines_too_close_together_are_not_both_titles():
    text = "Prose ends here.\n\nOld Harbour\n\nThe boats.\n\nNew Harbour\n\nMore boats.\n\nThe rest.\n\nThe end of it.\n\nFar Harbour\n\nNo boats."
    book, _ = split_chapters(_book(text), BuildConfig())
    assert _titles(book) == ["", "Old Harbour", "Far Harbour"]


def test_a_lone_name_in_a_novel_with_chapters_stays_text():
    text = (
        "Chapter 1\n\nThe letter was short.\n\nDear Tom,\n\nCome home.\n\nLove,\n\nMargaret\n\n"
        "He read it twice.\n\nChapter 2\n\nThe train was late.\n\nSilence\n\nNobody spoke."
    )
    book, _ = split_chapters(_book(text), BuildConfig())
    assert _titles(book) == ["Chapter 1", "Chapter 2"]


def test_repeated_pov_labels_are_not_titles():
    text = "Clara\n\nShe ran.\n\nThe fog was thick.\n\nMatthew\n\nHe waited.\n\nThe bell rang.\n\nClara\n\nShe stopped.\n\nMatthew\n\nHe turned."
    book, _ = split_chapters(_book(text), BuildConfig())
    assert _titles(book) == [""]


def test_captions_are_not_titles():
    assert not looks_like_title("Three Weeks Later")
    assert not looks_like_title("Harry's POV")
    assert looks_like_title("The Duc de l'Omelette")
    assert looks_like_title("The Dead")


def test_markdown_headings_split_at_the_highest_level():
    text = "## One\n\nSnow fell.\n\n## Two\n\nIt thawed.\n\n### A note in the margin\n\nInk ran.\n"
    book, decisions = split_chapters(_book(text, markdown=True), BuildConfig())
    assert _titles(book) == ["One", "Two"]
    assert [type(b).__name__ for b in book.sections[1].blocks] == ["Paragraph", "Heading", "Paragraph"]
    assert {d.code for d in decisions} == {"CH006"}


def test_title_line_and_numeral_under_it_make_one_heading():
    text = "Earlier words end here.\n\nThe Glass Harbour\n\nI\n\nShips came in.\n\nII\n\nShips went out.\n\nThe Kiln\n\nClay cracked."
    book, _ = split_chapters(_book(text), BuildConfig())
    assert _titles(book)[1:] == ["The Glass Harbour\nI", "II", "The Kiln"]


def test_a_heart_drawn_in_text_is_not_the_number_three():
    assert chapter_heading("<3") is None
    assert chapter_heading("3") is not None
