"""Readers: plain text and Markdown into the model, and book folders."""

from pathlib import Path

import pytest

from bookbuild.config import BuildConfig
from bookbuild.errors import InputError
from bookbuild.model import Emph, Heading, Paragraph, SceneBreak, Strong, Text, block_text
from bookbuild.readers import natural_key, read_source
from bookbuild.readers.inline import parse_inline
from bookbuild.readers.markdown import read_markdown
from bookbuild.readers.text import read_text


def test_blank_lines_separate_paragraphs_and_keep_line_numbers():
    paragraphs = read_text("First one.\n\n\nSecond\none.\n")
    assert [block_text(p) for p in paragraphs] == ["First one.", "Second", "one."]
    assert [p.line for p in paragraphs] == [1, 4, 5]


def test_inline_markup_in_plain_text():
    assert parse_inline("a *big* and **bold** _idea_") == (
        Text("a "),
        Emph((Text("big"),)),
        Text(" and "),
        Strong((Text("bold"),)),
        Text(" "),
        Emph((Text("idea"),)),
    )


@pytest.mark.parametrize("text", ["2*3*4", "snake_case_name", "* * *", "a * b", "***"])
def test_inline_markup_leaves_non_markup_alone(text):
    assert parse_inline(text) == (Text(text),)


def test_markdown_headings_breaks_and_emphasis():
    blocks = read_markdown("# Chapter One\n\nShe *ran*.\n\n* * *\n\nIt was **over**.\n")
    assert isinstance(blocks[0], Heading) and block_text(blocks[0]) == "Chapter One"
    assert blocks[1] == Paragraph((Text("She "), Emph((Text("ran"),)), Text(".")), line=3)
    assert isinstance(blocks[2], SceneBreak)
    assert isinstance(blocks[3].inlines[1], Strong)


def test_markdown_raw_html_is_text_not_markup():
    # A script is dropped with its content (see test_robust_hostile.py); the prose around it stays.
    (paragraph,) = read_markdown("Hello <script>alert(1)</script> there\n")
    assert block_text(paragraph) == "Hello there"


def test_natural_order_of_chapter_files():
    names = ["ch10.txt", "ch2.txt", "ch1.txt"]
    assert sorted(names, key=natural_key) == ["ch1.txt", "ch2.txt", "ch10.txt"]


def test_folder_reads_files_in_natural_order(tmp_path: Path):
    (tmp_path / "ch10.txt").write_text("Ten.")
    (tmp_path / "ch2.txt").write_text("Two.")
    book, _ = read_source(tmp_path, BuildConfig())
    assert [block_text(s.blocks[0]) for s in book.sections] == ["Two.", "Ten."]


def test_folder_with_files_list(tmp_path: Path):
    (tmp_path / "b.md").write_text("Bee.")
    (tmp_path / "a.md").write_text("Ay.")
    book, _ = read_source(tmp_path, BuildConfig(files=("b.md", "a.md")))
    assert [block_text(s.blocks[0]) for s in book.sections] == ["Bee.", "Ay."]


def test_files_list_may_not_leave_the_folder(tmp_path: Path):
    with pytest.raises(InputError, match="outside the book folder"):
        read_source(tmp_path, BuildConfig(files=("../x.md",)))


def test_missing_source_is_one_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "nope.txt", BuildConfig())
