"""Hostile shapes read correctly (their times are in bench/HOSTILE.md, measured by make bench-hostile)."""

from __future__ import annotations

from bookbuild.model import block_text
from bookbuild.readers.markdown import read_markdown
from bookbuild.readers.text import _standalone, read_text


def test_markers_and_headings_still_stand_alone_with_any_indent() -> None:
    for line in ("   ***", "\t~~~  ", "  -break-", " [scene break] ", "xXx", "  Chapter 12", "Prologue"):
        assert _standalone(line), line
    for line in ("   She said so.", "Chapter and verse were quoted at him.", " " * 3000 + "indented words"):
        assert not _standalone(line), line


def test_a_line_indented_by_thousands_of_spaces_is_read() -> None:
    """The marker pattern backtracked cubically on it: 1,000 spaces took 4 s in one match."""
    text = "First line of words\nsecond line of it\n" + " " * 3000 + "indented line here.\nmore words after.\n"
    words = " ".join(block_text(p) for p in read_text(text)).split()
    assert words == "First line of words second line of it indented line here. more words after.".split()


def test_one_word_lines_each_stay_a_paragraph() -> None:
    lines = [f"word{n}" for n in range(5000)]
    assert [block_text(p) for p in read_text("\n".join(lines))] == lines


def test_a_long_markdown_table_keeps_every_cell() -> None:
    """Its text was tidied pairwise, quadratically: 2,000 rows took a minute."""
    rows = ["| a | b |", "|---|---|", *(f"| r{n}a | r{n}b |" for n in range(2000))]
    text = " ".join(block_text(b) for b in read_markdown("\n".join(rows)))
    assert all(f"r{n}a" in text and f"r{n}b" in text for n in (0, 999, 1999))
