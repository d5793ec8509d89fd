"""Markdown block quotes and footnotes: read as quoted paragraphs and notes, rendered as a
``<blockquote>`` and note references, and carried through the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from bookbuild.checks import epubcheck
from bookbuild.cli import main
from bookbuild.config import BuildConfig
from bookbuild.model import (
    Book,
    Emph,
    Heading,
    Meta,
    Note,
    NoteRef,
    Paragraph,
    Role,
    Section,
    Strong,
    Text,
    block_text,
)
from bookbuild.pipeline import process
from bookbuild.readers import read_source
from bookbuild.readers.markdown import read_markdown
from bookbuild.readers.text import read_text
from bookbuild.render.xhtml import RenderOptions, append_blocks, append_inlines
from bookbuild.transforms.note_order import number_notes
from bookbuild.verify.outputs import epub_documents, pdf_pages
from bookbuild.writers.epub.book import plan_documents

FIXTURE = Path(__file__).parent / "fixtures" / "markdown" / "letter.md"


def read(text: str) -> tuple[list, list[Note], list]:
    decisions: list = []
    notes: list[Note] = []
    blocks = read_markdown(text, decisions, notes=notes)
    return blocks, notes, decisions


def refs(paragraph: Paragraph) -> list[str]:
    return [n.note_id for n in paragraph.inlines if isinstance(n, NoteRef)]


def codes(decisions: list) -> list[str]:
    return [d.code for d in decisions]


# --- block quotes ---------------------------------------------------------------------------


def test_a_block_quote_is_quoted_paragraphs_between_narration():
    blocks, _, _ = read("She opened it.\n\n> Dear Clara,\n>\n> The trains have stopped.\n\nShe folded it.\n")
    assert [block_text(b) for b in blocks] == ["She opened it.", "Dear Clara,", "The trains have stopped.", "She folded it."]
    assert [b.quoted for b in blocks] == [False, True, True, False]
    assert [b.line for b in blocks] == [1, 3, 5, 7]


def test_a_nested_quote_is_flattened_to_one_level_with_one_decision():
    blocks, _, decisions = read("> Outer words.\n>\n> > Inner words.\n> > > Deepest words.\n>\n> Outer again.\n")
    assert [block_text(b) for b in blocks] == ["Outer words.", "Inner words.", "Deepest words.", "Outer again."]
    assert all(b.quoted for b in blocks)
    assert codes(decisions) == ["RD030"]


def test_a_heading_inside_a_quote_stays_quoted_text_not_a_chapter():
    blocks, _, _ = read("> # Town Hall Burns\n>\n> The fire began at noon.\n")
    assert not any(isinstance(b, Heading) for b in blocks)
    assert blocks[0] == Paragraph((Strong((Text("Town Hall Burns"),)),), line=1, quoted=True)


@given(st.lists(st.from_regex(r"[A-Za-z][A-Za-z ,.]{0,30}[a-z.]", fullmatch=True), min_size=1, max_size=6))
def test_quoting_paragraphs_keeps_their_words_and_marks_every_one(texts):
    plain, _, _ = read("\n\n".join(texts))
    quoted, _, _ = read("\n>\n".join(f"> {t}" for t in texts))
    assert [block_text(b) for b in quoted] == [block_text(b) for b in plain]
    assert all(b.quoted for b in quoted) and not any(b.quoted for b in plain)


# --- footnotes ------------------------------------------------------------------------------


def test_footnotes_become_note_references_and_notes_in_citation_order():
    text = "One thing[^b] and another.[^a]\n\n[^a]: The second note.\n[^b]: The first note.\n\n    Its second paragraph.\n"
    blocks, notes, decisions = read(text)
    assert len(blocks) == 1 and block_text(blocks[0]) == "One thing and another."
    assert refs(blocks[0]) == ["note-1", "note-2"]
    assert [n.note_id for n in notes] == ["note-1", "note-2"]
    assert [block_text(b) for b in notes[0].blocks] == ["The first note.", "Its second paragraph."]
    assert [block_text(b) for b in notes[1].blocks] == ["The second note."]
    assert decisions == []


def test_a_footnote_cited_inside_emphasis_keeps_its_reference_there():
    blocks, notes, _ = read("It was *thin[^1]* paper.\n\n[^1]: Onion-skin.\n")
    assert blocks[0].inlines[1] == Emph((Text("thin"), NoteRef("note-1")))
    assert len(notes) == 1


def test_an_uncited_definition_is_kept_as_a_note_of_the_paragraph_before_it_with_a_warning():
    blocks, notes, decisions = read("First.\n\nSecond.\n\n[^x]: Nobody cites me.\n\nThird.\n")
    assert [refs(b) for b in blocks] == [[], ["note-1"], []]
    assert [block_text(b) for b in notes[0].blocks] == ["Nobody cites me."]
    assert codes(decisions) == ["RD031"] and decisions[0].action == "warning"


def test_a_reference_without_a_definition_stays_as_text_with_a_warning():
    blocks, notes, decisions = read("Here is a gap[^gone] in it.\n")
    assert block_text(blocks[0]) == "Here is a gap[^gone] in it."
    assert notes == []
    assert codes(decisions) == ["RD032"] and "[^gone]" in decisions[0].rule


def test_a_second_citation_of_one_footnote_gets_its_own_copy():
    blocks, notes, decisions = read("Once[^n] and twice.[^n]\n\n[^n]: The note.\n")
    assert refs(blocks[0]) == ["note-1", "note-2"]
    assert [block_text(n.blocks[0]) for n in notes] == ["The note.", "The note."]
    assert codes(decisions) == ["RD033"]


def test_an_inline_footnote_carries_its_own_text():
    blocks, notes, _ = read("She laughed.^[Not *kindly*.]\n")
    assert refs(blocks[0]) == ["note-1"]
    assert notes[0].blocks[0].inlines == (Text("Not "), Emph((Text("kindly"),)), Text("."))


def test_footnotes_are_numbered_across_the_files_of_a_book_folder(tmp_path: Path):
    (tmp_path / "01.md").write_text("One.[^a]\n\n[^a]: First file's note.\n", encoding="utf-8")
    (tmp_path / "02.md").write_text("Two.[^a]\n\n[^a]: Second file's note.\n", encoding="utf-8")
    book, _ = read_source(tmp_path, BuildConfig())
    assert [n.note_id for n in book.notes] == ["note-1", "note-2"]
    assert [refs(s.blocks[0]) for s in book.sections] == [["note-1"], ["note-2"]]


# --- rendering ------------------------------------------------------------------------------


def render(blocks: tuple, opts: RenderOptions | None = None) -> etree._Element:
    root = etree.Element("section")
    append_blocks(root, blocks, opts or RenderOptions())
    return root


def test_each_run_of_quoted_paragraphs_is_one_blockquote():
    quoted = [Paragraph((Text(w),), quoted=True) for w in ("a", "b", "c")]
    root = render((Paragraph((Text("x"),)), quoted[0], quoted[1], Paragraph((Text("y"),)), quoted[2]))
    assert [child.tag for child in root] == ["p", "blockquote", "p", "blockquote"]
    first_quote = root[1]
    assert [p.text for p in first_quote] == ["a", "b"]
    assert [p.get("class") for p in first_quote] == ["first", None]
    assert root[2].get("class") is None  # narration after a quotation is indented as usual


def test_print_marks_a_short_quotation_to_keep_it_whole():
    short = Paragraph((Text("Short."),), quoted=True)
    long = Paragraph((Text("word " * 200),), quoted=True)
    for_print = RenderOptions(for_print=True)
    assert render((short,), for_print)[0].get("class") == "short"
    assert render((long,), for_print)[0].get("class") is None
    assert render((short,))[0].get("class") is None


def test_a_printed_footnote_sets_its_paragraphs_on_lines_of_their_own():
    note = Note("note-1", (Paragraph((Text("One."),)), Paragraph((Text("Two."),))))
    span = etree.Element("p")
    append_inlines(span, (Text("x"), NoteRef("note-1")), RenderOptions(for_print=True, notes=(note,)))
    footnote = span[0]
    assert footnote.get("class") == "footnote"
    assert footnote.text == "One." and footnote[0].tag == "br" and footnote[0].tail == "Two."


# --- through the pipeline -------------------------------------------------------------------


def test_quotes_and_footnotes_survive_every_transform():
    result = process(FIXTURE, BuildConfig())
    paragraphs = [b for s in result.book.chapters() for b in s.blocks if isinstance(b, Paragraph)]
    quoted = [block_text(p) for p in paragraphs if p.quoted]
    assert quoted[0] == "Mara,"
    assert quoted[-1] == "Yours in haste,\nJonah"
    assert any("kettle’s" in text for text in quoted)  # typography rebuilt it and kept it quoted
    assert len(quoted) == 4  # the nested line is one of the letter's paragraphs
    cited = {r for p in paragraphs for r in refs(p)}
    assert cited == {n.note_id for n in result.book.notes} and len(cited) == 3
    assert any("thaw came in April" in block_text(b) for n in result.book.notes for b in n.blocks)
    assert "RD031" in codes(list(result.decisions))


@pytest.mark.slow
def test_a_letter_with_footnotes_builds_a_valid_epub_and_a_pdf(tmp_path: Path):
    result = CliRunner().invoke(main, ["build", str(FIXTURE), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output  # the nothing-lost check ran on both files
    epub, pdf = (next(tmp_path.glob(f"*.{ext}")) for ext in ("epub", "pdf"))
    report = epubcheck(epub)
    assert report.errors == () and report.warnings == ()
    documents = dict(epub_documents(epub))
    chapter = next(root for name, root in documents.items() if "chapter" in name)
    quotations = list(chapter.iter("{*}blockquote"))
    assert len(quotations) == 1 and "".join(quotations[0].itertext()).strip().startswith("Mara,")
    notes = next(root for name, root in documents.items() if "endnotes" in name)
    listed = ["".join(item.itertext()) for item in notes.iter("{*}li")]
    assert len(listed) == 3 and "thaw came in April" in listed[1] and "nothing is lost" in listed[2]
    printed = " ".join(pdf_pages(pdf))
    for words in ("Only the stove was left", "thaw came in April", "nothing is lost", "Yours in haste"):
        assert words in printed


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_lines_marked_with_a_quote_sign_are_a_quotation():
    paragraphs = read_text("She opened it.\n\n> Dear Clara,\n>\n> The trains have stopped.\n\nShe folded it.\n")
    assert [block_text(p) for p in paragraphs] == ["She opened it.", "Dear Clara,", "The trains have stopped.", "She folded it."]
    assert [p.quoted for p in paragraphs] == [False, True, True, False]
    assert [p.line for p in paragraphs] == [1, 3, 5, 7]


@pytest.mark.parametrize("text", [">.< she typed.", "> a\nnot quoted", "narration\n> not apart", ">\n>"])
def test_plain_text_quote_signs_that_mark_no_quotation_are_left_alone(text):
    paragraphs = read_text(text)
    assert not any(p.quoted for p in paragraphs)
    assert ">" in "".join(block_text(p) for p in paragraphs) or not paragraphs


def test_a_footnote_cited_in_a_chapter_heading_links_back_to_its_chapter(tmp_path: Path):
    source = tmp_path / "book.md"
    source.write_text("# One[^a]\n\nA story.\n\n# Two\n\nMore story.\n\n[^a]: Title note.\n", encoding="utf-8")
    documents = plan_documents(process(source, BuildConfig()).book)
    notes = next(d for d in documents if d.file_name == "endnotes.xhtml")
    backlinks = [a.get("href") for a in notes.body.iter("a") if a.get("role") == "doc-backlink"]
    assert backlinks == ["chapter-001.xhtml#ref-note-1"]


def test_footnotes_and_lifted_authors_notes_are_numbered_in_citation_order(tmp_path: Path):
    source = tmp_path / "book.md"
    source.write_text(
        "She walked in and the room went quiet around her.[^a] Nobody moved at all.\n\n"
        "It was late, later than she had meant. (A/N: sorry for the delay!) The end came.\n\n"
        "Another paragraph[^b] here with more words.\n\n[^a]: First foot.\n[^b]: Second foot.\n",
        encoding="utf-8",
    )
    result = process(source, BuildConfig())
    cited = [r for s in result.book.chapters() for b in s.blocks for r in refs(b)]
    assert cited == ["note-1", "note-2", "note-3"]
    assert [n.note_id for n in result.book.notes] == cited
    texts = [block_text(n.blocks[0]) for n in result.book.notes]
    assert texts == ["First foot.", "sorry for the delay!", "Second foot."]
    assert "NT030" in codes(list(result.decisions))


def test_notes_already_in_citation_order_are_left_alone():
    note = Note("note-1", (Paragraph((Text("n"),)),))
    book = Book(Meta(), (Section(Role.CHAPTER, (Paragraph((Text("x"), NoteRef("note-1"))),)),), (note,))
    assert number_notes(book, BuildConfig()) == (book, [])
