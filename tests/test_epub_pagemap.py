"""The page list: markers placed where the printed pages begin."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from bookbuild.cli import load_config
from bookbuild.config import BuildConfig
from bookbuild.model import plain_text
from bookbuild.pipeline import process
from bookbuild.render.xhtml import EPUB_TYPE
from bookbuild.writers import write_epub_edition as write_epub
from bookbuild.writers.epub.pages import insert_in_text, marker, marker_id
from bookbuild.writers.pdf.interior import write_pdf
from bookbuild.writers.pdf.pagemap import consumed_offset, fill_labels

from .conftest import REAL_MANUSCRIPT, SAMPLE_BOOK
from .epub_samples import pdf_page_words, read_entries, sample_book, text_after

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé’,.", min_size=1, max_size=12)


def test_offset_counts_the_text_laid_out_before_the_page() -> None:
    model = "It was a magnificent scene; if someone managed to catch it"
    assert consumed_offset(model, "It was a magnificent scene; if some‐ one") == model.index("managed")


def test_offset_moves_back_to_the_start_of_a_split_word() -> None:
    model = "a cold emptiness filled him"
    assert consumed_offset(model, "a cold empti‐") == model.index("emptiness")


def test_offset_keeps_a_real_hyphen_and_its_word_together() -> None:
    model = "problems to be exact and self-righteous too"
    assert consumed_offset(model, "problems to be exact and self-") == model.index("self-righteous")


def test_offset_of_text_that_does_not_match_is_none() -> None:
    assert consumed_offset("one two three", "one four") is None


@given(st.lists(WORD, min_size=2, max_size=40), st.data())
def test_offset_finds_every_word_boundary(words: list[str], data: st.DataObject) -> None:
    split = data.draw(st.integers(min_value=1, max_value=len(words) - 1))
    model = " ".join(words)
    # The layout collapses spaces, breaks lines anywhere between words and drops spaces there.
    rendered = "\n".join(words[:split])
    assert consumed_offset(model, rendered) == len(" ".join(words[:split])) + 1


@given(st.lists(WORD, min_size=2, max_size=20), st.data())
def test_offset_inside_a_hyphenated_word_is_that_word(words: list[str], data: st.DataObject) -> None:
    split = data.draw(st.integers(min_value=1, max_value=len(words) - 1))
    word = words[split]
    if len(word) < 2 or "-" in word:
        return
    cut = data.draw(st.integers(min_value=1, max_value=len(word) - 1))
    rendered = " ".join(words[:split]) + " " + word[:cut] + "\u2010"
    assert consumed_offset(" ".join(words), rendered) == len(" ".join(words[:split])) + 1


def test_labels_fill_gaps_from_the_nearest_printed_folio() -> None:
    assert fill_labels(["", "", "3", "", "5", ""]) == ["1", "2", "3", "4", "5", "6"]
    assert fill_labels(["", ""]) == ["1", "2"]
    assert fill_labels(["i", "ii", "", "1"]) == ["i", "ii", "", "1"]


def test_marker_goes_inside_emphasis_at_the_offset() -> None:
    paragraph = etree.fromstring(b"<p>one two <em>three four</em> five<br/>six</p>")
    insert_in_text(paragraph, len("one two three "), marker("9"))
    assert etree.tostring(paragraph) == (
        b'<p>one two <em>three <span xmlns:ns0="http://www.idpf.org/2007/ops" ns0:type="pagebreak" '
        b'role="doc-pagebreak" id="page-9" aria-label="9"></span>four</em> five<br/>six</p>'
    )


def test_marker_counts_a_line_break_as_one_character_and_skips_note_numbers() -> None:
    paragraph = etree.fromstring(b"<p>alpha<a>12</a> beta<br/>gamma</p>")
    paragraph[0].set(EPUB_TYPE, "noteref")
    insert_in_text(paragraph, len("alpha beta\n"), marker("4"))
    span = paragraph.find("span")
    assert span.tail == "gamma" and span.getprevious().tag == "br"


def test_marker_ids_are_safe() -> None:
    assert marker_id("12") == "page-12"
    assert marker_id("xiv") == "page-xiv"
    assert marker_id("3 a") == "page-3-a"


@pytest.fixture(scope="module", params=["model", "real manuscript", "sample book"])
def both_editions(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A book as an EPUB and as a PDF, built from the same model and settings."""
    folder = tmp_path_factory.mktemp("editions")
    if request.param == "model":
        book, cfg = sample_book(chapters=3, paragraphs=30), BuildConfig()
    else:
        source = REAL_MANUSCRIPT if request.param == "real manuscript" else SAMPLE_BOOK
        if not source.exists():
            pytest.skip(f"{source} not found")
        cfg = load_config(source, None, title="A Title" if source.is_file() else None)
        book = process(source, cfg).book
    write_epub(book, folder / "book.epub", cfg)
    write_pdf(book, folder / "book.pdf", cfg)
    return book, folder / "book.epub", folder / "book.pdf"


@pytest.mark.slow
def test_page_list_points_at_the_text_that_begins_each_printed_page(both_editions) -> None:
    from pypdf import PdfReader

    book, epub_path, pdf_path = both_editions
    entries = read_entries(epub_path)
    nav = etree.fromstring(entries["EPUB/nav.xhtml"])
    pages = nav.xpath(
        "//x:nav[@epub:type='page-list']//x:a",
        namespaces={"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"},
    )
    running_heads = {book.meta.title.casefold(), book.meta.author.casefold()}
    running_heads |= {plain_text(s.title).casefold() for s in book.sections if s.title}
    printed: dict[str, list[list[str]]] = {}
    read = []
    for index, page in enumerate(PdfReader(pdf_path).pages):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        folios = [line for line in (lines[:1] + lines[-1:]) if line.isdigit()]
        read.append((index, lines, folios[0] if folios else None))
    # Chapter openers and blank pages print no folio; their number follows from their neighbours.
    offset = next(int(folio) - index for index, _, folio in read if folio)
    for index, lines, folio in read:
        label = folio or str(index + offset)
        body = [line for line in lines if line != folio]
        # A running head may open the page text; a chapter heading may read the same.
        printed[label] = [pdf_page_words("\n".join(body))]
        if body and body[0].casefold() in running_heads:
            printed[label].append(pdf_page_words("\n".join(body[1:])))
    checked = 0
    for link in pages:
        name, anchor = link.get("href").split("#")
        ebook_words = text_after(entries[f"EPUB/{name}"], anchor, 8)
        assert any(_same_start(ebook_words, words) for words in printed[link.text]), (link.text, ebook_words)
        checked += 1
    assert checked >= 5


def _same_start(ebook_words: list[str], print_words: list[str]) -> bool:
    if ebook_words[:1] != print_words[:1]:
        # The page begins inside a word the layout hyphenated; the marker sits before that word.
        if not print_words or not ebook_words[0].endswith(print_words[0]):
            return False
        ebook_words, print_words = ebook_words[1:], print_words[1:]
    return print_words[: len(ebook_words)] == ebook_words
