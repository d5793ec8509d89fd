"""Unusual input is never "a bookbuild bug" (issue 15): each one a book with a warning, or one line."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import PDF_VARIANTS, config_from_toml
from bookbuild.errors import ConfigError

from .test_robust_inputs import STORY, assert_one_line_error, folder_book, run

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize(
    ("toml", "key", "expected"),
    [
        ("title = 1", "title", "a string"),
        ("author = true", "author", "a string"),
        ('subjects = "x"', "subjects", "a list of strings"),
        ("series = 1", "series", "a string"),
        ("publisher = 1.5", "publisher", "a string"),
        ("date = 1", "date", "a date"),
        ("rights = true", "rights", "a string"),
        ("source = 2", "source", "a string"),
        ("paper = 1", "paper", "one of white, cream"),
        ("pdf_variant = 1", "pdf_variant", "one of " + ", ".join(PDF_VARIANTS)),
        ("trim = 6", "trim", "a string"),
        ("language = [1]", "language", "a string"),
        ("cover = {a = 1}", "cover", "a string"),
        ("series_index = true", "series_index", "a number"),
        ("series_index = nan", "series_index", "a number"),  # hostile hunt, round 2: built, "nan" on the title page
        ("series_index = -inf", "series_index", "a number"),
        ("typography = 1", "typography", "true or false"),
    ],
)
def test_every_book_toml_key_is_type_checked(toml, key, expected) -> None:
    """Each of these built silently (title = 1 became a book called "1"); now one line names the key."""
    with pytest.raises(ConfigError, match=re.escape(f"'{key}' must be {expected}")):
        config_from_toml(tomllib.loads(toml))


def test_book_toml_accepts_what_the_readme_documents() -> None:
    cfg = config_from_toml(tomllib.loads(
        'title = "T"\ndate = 2024-05-01\nseries_index = 2.5\nsubjects = ["a", "b"]\npdf_variant = "pdf/x-4"\npaper = "cream"'
    ))
    assert cfg.metadata["date"] == "2024-05-01" and cfg.metadata["series_index"] == "2.5"
    assert cfg.metadata["subjects"] == ("a", "b") and cfg.pdf_variant == "pdf/x-4" and cfg.paper == "cream"


def test_the_pdf_variant_list_is_one_list() -> None:
    """The error listed pdf/a-3b, which the README never documented."""
    readme = README.read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `pdf_variant`"))
    assert list(dict.fromkeys(re.findall(r"`(pdf/[\w.-]+)`", row))) == list(PDF_VARIANTS)
    assert f"[--pdf-variant {'|'.join(PDF_VARIANTS)}]" in readme
    result = CliRunner().invoke(main, ["build", "--help"])
    assert all(variant in result.output for variant in PDF_VARIANTS) and "a-3b" not in result.output


def test_control_characters_in_book_toml_and_options_are_removed_with_a_warning(tmp_path) -> None:
    folder = folder_book(tmp_path, 'title = "Night\\u0001fall"\nsubjects = ["Dark\\u0007"]\n')
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out"), "--format", "epub",
                                       "--author", "Ann\x02 Lee", "--lang", "e\x03n"])
    assert result.exit_code == 0, result.output
    for where in ("book.toml: 'title'", "book.toml: 'subjects'", "--author", "--lang"):
        assert f"{where}: removed 1 control character(s)" in result.stderr
    assert (tmp_path / "out" / "nightfall.epub").is_file()


def test_character_references_to_controls_in_markdown_html_are_removed(tmp_path) -> None:
    story = tmp_path / "story.md"
    story.write_text("# One\n\n<div>bad &#1; ref &#x7f; &#xFFFE;</div>\n\nText &#2; here[^n].\n\n[^n]: A note &#3;.\n",
                     encoding="utf-8")
    result = run(str(story), "-o", str(tmp_path / "out"), "--title", "T")
    assert result.exit_code == 0, result.output
    assert "control character(s) that XML forbids from story.md" in result.stderr



def test_character_references_to_controls_in_a_structured_files_metadata_are_removed(tmp_path) -> None:
    """Hostile hunt, round 2: ``&#1;`` in an Archive download's title reached the cover's markup
    and stopped the build as an internal error; the body's references were cleaned already."""
    from .document_samples import archive_html

    page = archive_html().replace("The Tide Clock</h1>", "The Tide&#1; Clock&#x7f;</h1>")
    page = page.replace("<p>", "<p>&#x1b;[31m&#xFFFE;", 3).replace("Chapter 1: Low Water", "Chapter 1: Low&#2; Water")
    story = tmp_path / "work.html"
    story.write_text(page, encoding="utf-8")
    result = run(str(story), "-o", str(tmp_path / "out"), "--format", "epub")
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert "control character(s) that XML forbids from work.html" in result.stderr
    assert (tmp_path / "out" / "the-tide-clock.epub").is_file()

def test_bytes_that_are_not_text_on_the_command_line(tmp_path) -> None:
    """Undecodable bytes arrive as lone surrogates; as a title they crashed the EPUB writer."""
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    result = run(str(story), "-o", str(tmp_path / "out"), "--title", "A\udcff\udcfeB")
    assert result.exit_code == 0, result.output
    assert "--title: removed 2 byte(s) that are not text" in result.stderr
    odd = tmp_path / os.fsdecode(b"\xff\xfe.txt")
    odd.write_text(STORY, encoding="utf-8")
    result = run(str(odd), "-o", str(tmp_path / "odd"))
    assert result.exit_code == 0 and "internal error" not in result.output, result.output


def test_a_folder_named_like_an_output_file(tmp_path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    (tmp_path / "out" / "night.epub").mkdir(parents=True)
    assert_one_line_error(run(str(story), "-o", str(tmp_path / "out"), "--title", "Night"),
                          "a folder of that name is in the way")


def test_a_chapter_linked_outside_the_book_folder_is_refused(tmp_path) -> None:
    """Without a files list, b.txt -> a secret outside the folder was read into the book."""
    secret = tmp_path / "secret.txt"
    secret.write_text("the private key\n", encoding="utf-8")
    folder = folder_book(tmp_path, 'title = "T"\n')
    (folder / "b.txt").symlink_to(secret)
    line = assert_one_line_error(run(str(folder), "-o", str(tmp_path / "out")), "b.txt is a symbolic link outside the book folder")
    assert "refused" in line
    (folder / "cover.png").symlink_to(secret)
    (folder / "b.txt").unlink()
    (folder / "book.toml").write_text('title = "T"\ncover = "cover.png"\n', encoding="utf-8")
    assert_one_line_error(run(str(folder), "-o", str(tmp_path / "out")), "cover 'cover.png' is a symbolic link outside")


def test_a_link_inside_the_folder_is_still_read(tmp_path) -> None:
    folder = folder_book(tmp_path, 'title = "T"\n')
    (folder / "z.txt").symlink_to(folder / "story.txt")
    result = run(str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output


def test_a_symlink_loop_in_a_book_folder(tmp_path) -> None:
    folder = folder_book(tmp_path, 'title = "T"\n')
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    assert_one_line_error(run(str(folder), "-o", str(tmp_path / "out")), "loop.txt is a symbolic link that loops")
    (folder / "loop.txt").unlink()
    (folder / "a.md").symlink_to(folder / "b.md")
    (folder / "b.md").symlink_to(folder / "a.md")
    assert_one_line_error(run(str(folder), "-o", str(tmp_path / "out")), "is a symbolic link that loops")


@pytest.mark.parametrize("epoch", ["253402300800", "99999999999999999999"])
def test_source_date_epoch_past_the_year_9999(tmp_path, monkeypatch, epoch) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert_one_line_error(run(str(story), "-o", str(tmp_path / "out")), "SOURCE_DATE_EPOCH=")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert run(str(story), "-o", str(tmp_path / "out")).exit_code == 0



@pytest.mark.parametrize("epoch", ["abc", "-5", "1e9", "12.5"])
def test_a_malformed_source_date_epoch_is_one_line(tmp_path, monkeypatch, epoch) -> None:
    """Hostile hunt, round 2: a malformed SOURCE_DATE_EPOCH was ignored in silence (the build
    took the file's date); the reproducible-builds specification asks for an error."""
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert_one_line_error(run(str(story), "-o", str(tmp_path / "out")), f"SOURCE_DATE_EPOCH={epoch} is not")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 1700000000 ")
    assert run(str(story), "-o", str(tmp_path / "out")).exit_code == 0

@pytest.mark.parametrize("fmt", ["epub", "pdf", "all"])
def test_a_corrupt_cover_fails_every_format_the_same_way(tmp_path, fmt) -> None:
    """A truncated PNG failed --format epub but built --format pdf and all without a word."""
    import io

    import weasyprint  # noqa: F401 - it makes Pillow load truncated images, process-wide
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 2560), (120, 30, 30)).save(buffer, "PNG")
    folder = folder_book(tmp_path, 'title = "T"\ncover = "cover.png"\n')
    (folder / "cover.png").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out"), "--format", fmt])
    assert_one_line_error(result, "cover image cover.png is not a readable image")


@pytest.mark.slow
def test_footnotes_that_cite_themselves_or_each_other_are_cut_with_a_warning(tmp_path) -> None:
    """A self-citing footnote made the print renderer recurse until RecursionError."""
    story = tmp_path / "story.md"
    story.write_text("# One\n\nText with a note[^a] and another[^b].\n\n[^a]: This cites itself[^a].\n\n"
                     "[^b]: This cites c[^c].\n\n[^c]: And c cites b[^b].\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(story), "-o", str(tmp_path / "out"), "--title", "T"])
    assert result.exit_code == 0, result.output
    assert "notes that cite each other" in result.stderr
    assert (tmp_path / "out" / "t.pdf").is_file()


def test_a_chain_of_notes_is_cut_past_its_depth() -> None:
    from bookbuild.config import BuildConfig
    from bookbuild.model import Book, Meta, Note, NoteRef, Paragraph, Role, Section, Text
    from bookbuild.transforms.note_order import MAX_NOTE_DEPTH, number_notes

    notes = tuple(Note(f"note-{n}", (Paragraph((Text(f"note {n}"), NoteRef(f"note-{n + 1}"))),)) for n in range(1, 3000))
    book = Book(Meta(title="T"), (Section(Role.CHAPTER, (Paragraph((Text("x"), NoteRef("note-1"))),)),), notes + (Note("note-3000", ()),))
    numbered, decisions = number_notes(book, BuildConfig())
    assert [d.code for d in decisions] == ["NT031"]
    refs = [n for n in numbered.notes if any(isinstance(i, NoteRef) for b in n.blocks for i in b.inlines)]
    assert len(refs) == 3000 - 1 - len(decisions[0].data["cut"]) and len(refs) >= MAX_NOTE_DEPTH - 1


def test_every_text_option_loses_its_control_characters_and_errors_show_them(tmp_path) -> None:
    """Hostile hunt, round 2: ``--creep $'0.1mm\\x02'`` failed as "unknown creep '0.1mm'" (the
    control invisible in the message), and a control in a ``files`` name printed raw, so the
    line said a file that exists does not (an escape sequence there would drive the terminal)."""
    from bookbuild.config import load_settings

    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    cfg, messages = load_settings(story, None, creep="0.1mm\x02", pdf_variant="pdf/x-4\x1b")
    assert (cfg.creep, cfg.pdf_variant) == ("0.1mm", "pdf/x-4")
    assert any(m.startswith("--creep: removed 1 control") for m in messages)
    folder = folder_book(tmp_path, 'title = "T"\nfiles = ["story.txt\\u0002\\u001b[31m"]\n')
    line = assert_one_line_error(run(str(folder), "-o", str(tmp_path / "out")), "does not exist")
    assert "story.txt\\x02\\x1b[31m" in line and "\x1b" not in line
