"""Structured inputs: Archive of Our Own downloads (HTML, EPUB), Word documents, saved web pages,
any EPUB, and hostile files of each kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import BuildConfig, Overrides
from bookbuild.errors import InputError
from bookbuild.model import Emph, Heading, Paragraph, Role, SceneBreak, block_text, plain_text
from bookbuild.pipeline import process
from bookbuild.readers import read_source
from bookbuild.readers.html_page import page_title

from . import document_samples as samples


def _process(path: Path, **changes):
    return process(path, BuildConfig().with_changes(**changes))


def _texts(book, role: Role) -> list[str]:
    return [block_text(b) for s in book.sections if s.role is role for b in s.blocks if isinstance(b, Paragraph)]


def _codes(result) -> set[str]:
    return {d.code for d in result.decisions}


@pytest.fixture
def archive_html(tmp_path: Path) -> Path:
    path = tmp_path / "work.html"
    path.write_text(samples.archive_html(), encoding="utf-8")
    return path


# --- Archive of Our Own ---------------------------------------------------------------------


def test_archive_preface_becomes_metadata(archive_html: Path) -> None:
    meta = _process(archive_html).book.meta
    assert (meta.title, meta.author, meta.language) == ("The Tide Clock", "quillfeather", "en")
    assert meta.description.replace("’", "'") == "A clockmaker's apprentice learns why the harbour clock runs on the tide."
    assert meta.subjects == (
        "Teen And Up Audiences", "No Archive Warnings Apply", "Harbour Town (Original Work)", "Mara/Tobiah",
        "Mara & Ines", "Slow Burn", "Clocks, Tides, and Other Machines",
    )
    assert (meta.series, meta.series_index, meta.date, meta.source) == ("The Harbour Cycle", "2", "2021-06-14", samples.WORK_URL)


def test_archive_notes_chapters_and_breaks(archive_html: Path) -> None:
    result = _process(archive_html)
    book = result.book
    chapters = book.chapters()
    assert [plain_text(c.title) for c in chapters] == ["Chapter 1: Low Water", "Chapter 2: High Water"]
    assert [sum(isinstance(b, SceneBreak) for b in c.blocks) for c in chapters] == [1, 1]
    story = [block_text(b) for c in chapters for b in c.blocks if isinstance(b, Paragraph)]
    assert story[0].startswith("Mara climbed") and story[-1].startswith("Nobody in the harbour")
    notes = _texts(book, Role.FRONT_NOTE) + _texts(book, Role.BACK_NOTE)
    for words in ("Written for the autumn exchange", "Mara meets the clock", "based on a real one",
                  "Shorter chapter", "Part three is already"):
        assert any(words in n for n in notes), words
    everything = " ".join(story + notes + [plain_text(c.title) for c in chapters])
    for boilerplate in ("Posted originally", "See the end of the work", "Please drop by", "Words:", "Summary", "Preface"):
        assert boilerplate not in everything
    assert {"AO001", "AO002", "AO003", "AO004", "AO005", "AO009", "AO010", "AO011", "AO012", "AO013"} <= _codes(result)
    # The work's notes open the book and its end notes close it.
    assert book.sections[0].role is Role.FRONT_NOTE and book.sections[-1].role is Role.BACK_NOTE


def test_archive_notes_follow_the_notes_setting_and_overrides(archive_html: Path) -> None:
    dropped = _process(archive_html, notes="drop").book
    assert not _texts(dropped, Role.FRONT_NOTE) and not _texts(dropped, Role.BACK_NOTE)
    at_end = _process(archive_html, notes="end").book
    assert at_end.sections[0].role is Role.CHAPTER and not _texts(at_end, Role.FRONT_NOTE)
    kept = _process(archive_html, overrides=Overrides(notes_remove=("Shorter chapter, sorry",))).book
    assert any("Shorter chapter" in block_text(b) for c in kept.chapters() for b in c.blocks)


def test_archive_epub_reads_like_its_html(archive_html: Path, tmp_path: Path) -> None:
    html = _process(archive_html).book
    for renamed in (False, True):
        epub = _process(samples.archive_epub(tmp_path / f"work{renamed}.epub", renamed=renamed)).book
        assert epub.meta.title == html.meta.title and epub.meta.subjects == html.meta.subjects
        assert [plain_text(c.title) for c in epub.chapters()] == [plain_text(c.title) for c in html.chapters()]
        assert _texts(epub, Role.FRONT_NOTE) == _texts(html, Role.FRONT_NOTE)
        assert [block_text(b) for c in epub.chapters() for b in c.blocks] == [block_text(b) for c in html.chapters() for b in c.blocks]


def test_a_one_chapter_work_has_no_chapter_group(tmp_path: Path) -> None:
    one = samples.archive_html().replace(samples.CHAPTER_TWO, "")
    one = one.replace('<div class="meta group"><h2 class="heading">Chapter 1: Low Water</h2>', '<div class="x">')
    path = tmp_path / "one.html"
    path.write_text(one, encoding="utf-8")
    book = _process(path).book
    assert len(book.chapters()) == 1
    assert block_text(book.chapters()[0].blocks[0]).startswith("Mara climbed")


# --- Word -----------------------------------------------------------------------------------


def test_word_manuscript_format(tmp_path: Path) -> None:
    result = _process(samples.word_document(tmp_path / "orchard.docx"))
    book = result.book
    assert (book.meta.title, book.meta.subtitle, book.meta.author) == ("The Glass Orchard", "A Winter Story", "Tamsin Hale")
    assert [plain_text(c.title) for c in book.chapters()] == ["Chapter One", "Chapter Two"]
    assert [sum(isinstance(b, SceneBreak) for b in c.blocks) for c in book.chapters()] == [1, 1]
    asked = next(b for c in book.chapters() for b in c.blocks if "asked" in block_text(b))
    assert Emph((_text("really"),)) in asked.inlines  # one emphasis, though Word split the word in two runs
    assert any("prompt about frost" in t for t in _texts(book, Role.FRONT_NOTE))
    assert "by Tamsin Hale" not in " ".join(block_text(b) for s in book.sections for b in s.blocks)
    assert {"IN030", "IN033", "IN035"} <= _codes(result)


def _text(words: str):
    from bookbuild.model import Text

    return Text(words)


def test_word_block_paragraphs_keep_empty_paragraphs_as_spacing(tmp_path: Path) -> None:
    book = _process(samples.word_document(tmp_path / "block.docx", manuscript=False)).book
    # The centred '#' is the only break: the empty paragraph between block paragraphs is spacing.
    assert [sum(isinstance(b, SceneBreak) for b in c.blocks) for c in book.chapters()] == [1, 0]


def test_word_heading_styles_become_headings(tmp_path: Path) -> None:
    book, _ = read_source(samples.word_document(tmp_path / "orchard.docx"), BuildConfig())
    headings = [b for s in book.sections for b in s.blocks if isinstance(b, Heading)]
    assert [(block_text(h), h.level) for h in headings] == [("Chapter One", 1), ("Chapter Two", 1)]


# --- any EPUB or web page -------------------------------------------------------------------


def test_plain_epub_keeps_its_text_not_its_furniture(tmp_path: Path) -> None:
    result = _process(samples.plain_epub(tmp_path / "salt.epub"))
    book = result.book
    assert (book.meta.title, book.meta.author, book.meta.series, book.meta.series_index) == (
        "Salt and Iron", "Anneliese Varga", "Forge Tales", "3")
    assert [plain_text(c.title) for c in book.chapters()] == ["The Forge", "The Road"]
    assert [sum(isinstance(b, SceneBreak) for b in c.blocks) for c in book.chapters()] == [1, 1]
    rules = " ".join(d.rule for d in result.decisions if d.code == "IN014")
    assert "cover" in rules and "title page" in rules and "navigation" in rules
    # The endnote is a note at its reference, and its list is not printed as a chapter.
    from bookbuild.model import NoteRef

    forge = book.chapters()[0].blocks[0]
    [ref] = [n for n in forge.inlines if isinstance(n, NoteRef)]
    assert [block_text(b) for n in book.notes if n.note_id == ref.note_id for b in n.blocks] == ["Smiths banked their fires overnight."]
    assert "IN016" in _codes(result)


def test_saved_page_keeps_its_article(tmp_path: Path) -> None:
    path = tmp_path / "lantern.html"
    path.write_text(samples.saved_page(), encoding="utf-8")
    result = _process(path)
    text = " ".join(block_text(b) for s in result.book.sections for b in s.blocks)
    assert "Every night the keeper" in text and "the lights do not watch anything" in text
    for furniture in ("newsletter", "About me", "made me cry", "All rights reserved", "tracking"):
        assert furniture not in text
    assert result.book.meta.author == "Rosalind Pike"
    assert result.book.meta.title == "The Lantern Keeper"  # the tab's "| My Writing Blog" left out
    assert {"IN010", "IN011"} <= _codes(result)


def test_saved_page_without_a_heading_is_titled_by_its_head(tmp_path: Path) -> None:
    path = tmp_path / "post-4512.html"
    page = samples.saved_page().replace("<h1>The Lantern Keeper</h1>", "")
    path.write_text(page.replace("<title>The Lantern Keeper | My Writing Blog</title>", "<title>The Sea Wall</title>"), encoding="utf-8")
    assert _process(path).book.meta.title == "The Sea Wall"


@pytest.mark.parametrize(("tab", "site", "heading", "title"), [
    ("The Sea Wall | My Blog", None, "The Sea Wall", "The Sea Wall"),
    ("My Blog — The Sea Wall", "My Blog", None, "The Sea Wall"),
    ("Jekyll - Hyde", None, None, "Jekyll - Hyde"),
    ("The Sea Wall", "The Sea Wall", None, "The Sea Wall"),
])
def test_page_title_leaves_out_the_site(tab: str, site: str | None, heading: str | None, title: str) -> None:
    assert page_title(tab, site, heading) == title


# --- hostile files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: samples.zip_bomb_epub(d / "bomb.epub"), "zip bomb"),
        (lambda d: samples.drm_epub(d / "locked.epub"), "is DRM-protected"),
        (lambda d: samples.hostile_docx(d / "bomb.docx"), "zip bomb"),
        (lambda d: _write(d / "broken.docx", b"PK\x03\x04" + b"\x00" * 200), "not a readable Word document"),
        (lambda d: _write(d / "locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), "password-protected"),
        (lambda d: _write(d / "old.doc", b"\xd0\xcf\x11\xe0"), "save it as a Word document (.docx)"),
        (lambda d: _write(d / "story.odt", b"PK\x03\x04"), "save it as a Word document (.docx)"),
        (lambda d: _write(d / "story.rtf", b"{\\rtf1 hello}"), "save it as a Word document (.docx)"),
        (lambda d: _write(d / "story.pages", b"PK\x03\x04"), "export it as a Word document (.docx)"),
    ],
)
def test_hostile_files_give_one_line_and_write_nothing(tmp_path: Path, make, message: str) -> None:
    source = make(tmp_path)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_source(source, BuildConfig())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("bookbuild: error:") and message in result.output
    assert not out.exists() or not any(out.iterdir())


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("suffix", [".html", ".epub"])
def test_entities_are_never_expanded_and_nothing_is_fetched(tmp_path: Path, suffix: str) -> None:
    if suffix == ".html":
        path = tmp_path / "laughs.html"
        path.write_text(samples.BILLION_LAUGHS, encoding="utf-8")
    else:
        path = samples.write_epub(tmp_path / "laughs.epub", {"c.xhtml": samples.BILLION_LAUGHS}, "<dc:title>Laughs</dc:title>")
    result = _process(path)
    text = " ".join(block_text(b) for s in result.book.sections for b in s.blocks)
    assert "aaaaaaaaaa" not in text and "evil" not in text
    assert "The story starts" in text and "vanish" in text
    assert any(d.code == "IN020" and "image" in d.rule for d in result.decisions)


# --- whole builds ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["archive.html", "archive.epub", "word.docx", "notes.docx", "plain.epub", "page.html"])
def test_structured_inputs_build_clean_books(tmp_path: Path, kind: str) -> None:
    """EPUB (EPUBCheck 0/0) and PDF, both through the nothing-lost check the build runs."""
    from bookbuild.checks import epubcheck

    makers = {
        "archive.html": lambda p: p.write_text(samples.archive_html(), encoding="utf-8") and p,
        "archive.epub": lambda p: samples.archive_epub(p, renamed=True),
        "word.docx": samples.word_document,
        "notes.docx": samples.word_with_everything,
        "plain.epub": samples.plain_epub,
        "page.html": lambda p: p.write_text(samples.saved_page(), encoding="utf-8") and p,
    }
    source = tmp_path / kind
    makers[kind](source)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    [epub] = out.glob("*.epub")
    assert list(out.glob("*.pdf"))
    report = epubcheck(epub)
    assert report.errors == () and report.warnings == ()


def test_a_subtitle_reaches_the_title_page_and_the_package(tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(samples.word_document(tmp_path / "o.docx")), "-o", str(out), "-q", "--format", "epub"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(next(out.glob("*.epub"))) as archive:
        opf = archive.read("EPUB/content.opf").decode()
        title_page = archive.read("EPUB/titlepage.xhtml").decode()
    assert '<dc:title id="subtitle">A Winter Story</dc:title>' in opf and 'property="title-type"' in opf
    assert '<p class="subtitle">A Winter Story</p>' in title_page


def test_word_footnotes_tracked_changes_comments_tables_and_page_breaks(tmp_path: Path) -> None:
    from bookbuild.model import LineBreak, NoteRef

    result = _process(samples.word_with_everything(tmp_path / "frost.docx"))
    book = result.book
    assert [plain_text(c.title) for c in book.chapters()] == ["Chapter One", "The Thaw"]
    first = book.chapters()[0].blocks
    white = next(b for b in first if "went white" in block_text(b))
    assert block_text(white) == "Everything it touched went white and quietly still."  # insertion kept, deletion gone
    [ref] = [n for n in white.inlines if isinstance(n, NoteRef)]
    [note] = [n for n in book.notes if n.note_id == ref.note_id]
    assert "windward side" in block_text(note.blocks[0])
    assert isinstance(first[first.index(white) + 1], SceneBreak)  # the bordered empty paragraph
    letter = next(b for b in first if "Dear Ada" in block_text(b))
    assert any(isinstance(n, LineBreak) for n in letter.inlines)
    assert any("Tuesday" in block_text(b) for b in first)  # a table's cells are kept as text
    warnings = " ".join(d.rule for d in result.decisions if d.code == "IN037")
    for kind in ("insertions", "deletions", "comments", "tables"):
        assert kind.rstrip("s") in warnings
    assert {"IN032", "IN034", "IN036"} <= _codes(result)


def test_a_folder_may_mix_formats(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.toml").write_text('files = ["prologue.md", "orchard.docx", "work.html"]\n', encoding="utf-8")
    (folder / "prologue.md").write_text("# Prologue\n\nBefore the frost, there was the sea.\n", encoding="utf-8")
    samples.word_document(folder / "orchard.docx")
    (folder / "work.html").write_text(samples.archive_html(), encoding="utf-8")
    book = _process(folder, files=("prologue.md", "orchard.docx", "work.html")).book
    titles = [plain_text(c.title) for c in book.chapters()]
    assert titles[0] == "Prologue" and "Chapter One" in titles and "Chapter 2: High Water" in titles
    assert book.meta.title == "The Glass Orchard"  # the first file that names a title
    assert any("Written for the autumn exchange" in t for t in _texts(book, Role.FRONT_NOTE))


def test_typographic_characters_in_a_source_stay_as_set(tmp_path: Path) -> None:
    page = tmp_path / "set.html"
    page.write_text(
        '<html lang="de"><head><title>Gesetzt</title></head><body><article>'
        "<p>„Guten Tag“, sagte er – und ging, ohne sich umzusehen, die lange Straße hinunter.</p>"
        "<p>»Wohin?«, fragte sie ihm nach, aber er antwortete nicht mehr und war bald verschwunden.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    book = _process(page).book
    texts = [block_text(b) for c in book.chapters() for b in c.blocks if isinstance(b, Paragraph)]
    # Quotation marks as set (the dash between is the typography rules' business, not the reader's).
    assert texts[0].startswith("„Guten Tag“, sagte er")
    assert texts[1].startswith("»Wohin?«, fragte sie")


def test_a_word_package_python_docx_trips_over_is_one_clear_line(tmp_path):
    """An empty [Content_Types].xml made python-docx raise AttributeError: "internal error" (found by hand)."""
    import zipfile

    from bookbuild.errors import InputError
    from bookbuild.readers.docx import read_docx

    target = tmp_path / "bad.docx"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                         'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(InputError, match="bad.docx is not a readable Word document: its package is malformed"):
        read_docx(target.read_bytes(), "bad.docx", [])


def test_a_document_the_spine_names_twice_is_read_once(tmp_path: Path) -> None:
    """A repeated itemref printed the chapter twice (found by hand)."""
    chapter = '<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>One</h1><p>The only chapter.</p></body></html>'
    path = samples.write_epub(tmp_path / "twice.epub", {"one.xhtml": chapter},
                              '<dc:title>Twice</dc:title><dc:language>en</dc:language>', spine_order=(0, 0))
    result = _process(path)
    assert [plain_text(c.title) for c in result.book.chapters()] == ["One"]
    assert any(d.code == "IN021" and "again: read once" in d.rule for d in result.decisions)



def test_a_spine_repeating_a_document_hundreds_of_times_warns_once(tmp_path: Path) -> None:
    """Hostile hunt, round 2: one warning line per repeat, 499 of them for one document."""
    chapter = '<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>One</h1><p>The only chapter.</p></body></html>'
    path = samples.write_epub(tmp_path / "many.epub", {"one.xhtml": chapter},
                              '<dc:title>Many</dc:title><dc:language>en</dc:language>', spine_order=(0,) * 500)
    result = _process(path)
    repeats = [d.rule for d in result.decisions if d.code == "IN021"]
    assert len(repeats) == 1 and "'d0' again: read once (499 repeat(s))" in repeats[0], repeats

@pytest.mark.parametrize("suffix", [".html", ".epub"])
def test_a_page_nested_deeper_than_the_parser_reads_keeps_its_text(tmp_path: Path, suffix: str) -> None:
    """Hostile hunt, round 2: 10,000 nested <div> in a saved page or an EPUB chapter made libxml2
    drop everything inside them ("deep.html has no text")."""
    body = "<p>Before the deep part.</p>" + "<div>" * 10_000 + "<p>Deep text survives.</p>" + "</div>" * 10_000 + "<p>After it.</p>"
    page = f"<html><head><title>Deep</title></head><body>{body}</body></html>"
    if suffix == ".html":
        path = tmp_path / "deep.html"
        path.write_text(page, encoding="utf-8")
    else:
        path = samples.write_epub(tmp_path / "deep.epub", {"c.xhtml": page}, "<dc:title>Deep</dc:title><dc:language>en</dc:language>")
    book, decisions = read_source(path, BuildConfig())
    text = " ".join(block_text(b) for s in book.sections for b in s.blocks)
    for words in ("Before the deep part.", "Deep text survives.", "After it."):
        assert words in text
    assert any(d.code == "IN040" for d in decisions)



def test_an_epub_note_that_cites_itself_is_cut_with_a_warning(tmp_path: Path) -> None:
    """Hostile hunt, round 2: an endnote linking to itself made the reader recurse until Python
    gave up (RecursionError, an internal error); Markdown's were cut already (NT031)."""
    import zipfile

    path = samples.plain_epub(tmp_path / "notes.epub")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["OEBPS/notes.xhtml"] = members["OEBPS/notes.xhtml"].replace(
        b"Smiths banked their fires overnight.",
        b'Smiths banked their fires overnight.<a href="#n1" epub:type="noteref">1</a>'
        b' Again<a href="notes.xhtml#n1" epub:type="noteref">1</a>.')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    result = _process(path)
    assert "banked their fires" in " ".join(block_text(b) for n in result.book.notes for b in n.blocks)
    assert any(d.code == "NT031" for d in result.decisions)


@pytest.mark.parametrize("language", ["xx-@@", "English"])
def test_a_files_language_that_is_no_code_is_left_out(tmp_path: Path, language: str) -> None:
    """Found by hand: a downloaded EPUB's junk dc:language failed the whole build."""
    chapter = '<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>One</h1><p>The only chapter.</p></body></html>'
    path = samples.write_epub(tmp_path / "junk.epub", {"one.xhtml": chapter},
                              f"<dc:title>Junk</dc:title><dc:language>{language}</dc:language>")
    result = _process(path)
    assert result.book.meta.language in ("", "en")
    assert any(d.code == "IN050" and language in d.rule for d in result.decisions)
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(path), "-o", str(out), "-q", "--format", "epub", "--lang", "de"])
    assert built.exit_code == 0 and "IN050" not in built.output
    bad = CliRunner().invoke(main, ["build", str(path), "-o", str(out), "-q", "--format", "epub", "--lang", language])
    assert bad.exit_code == 1 and f"language '{language}' is not a language code" in bad.output
