"""The print interior, read back from WeasyPrint's layout and from the written PDF."""

from __future__ import annotations

from collections import defaultdict

import pikepdf
import pytest

from bookbuild.config import BuildConfig
from bookbuild.writers.pdf import geometry
from bookbuild.writers.pdf.interior import forget_layout, layout
from bookbuild.writers.pdf.print_html import chapter_ids, opening_ids
from bookbuild.writers.pdf.render import pdf_options

from .pdf_support import first_pages, read_pages, sample_book

PX_PER_INCH = 96
PT_PER_INCH = 72


@pytest.fixture(scope="module")
def book():
    return sample_book(chapters=4, paragraphs=16, scene_breaks=3, note=True)


@pytest.fixture(scope="module")
def laid_out(book):
    document, used = layout(book, BuildConfig(trim="5x8"))
    return document, used, read_pages(document)


@pytest.fixture(scope="module")
def pages(laid_out):
    return laid_out[2]


@pytest.fixture(scope="module")
def written(laid_out, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "book.pdf"
    laid_out[0].write_pdf(path, **pdf_options("pdf/x-4"))
    return path


def _openers(book, pages) -> set[int]:
    return set(first_pages(pages, opening_ids(book)).values())


def test_every_chapter_starts_on_an_odd_page(book, pages):
    starts = first_pages(pages, chapter_ids(book))
    assert len(starts) == 4
    assert all(number % 2 == 1 for number in starts.values()), starts


def test_author_note_comes_before_the_chapters(book, pages):
    starts = first_pages(pages, opening_ids(book))
    assert starts["s000"] < min(first_pages(pages, chapter_ids(book)).values())


def test_blank_left_pages_are_inserted_before_openings(book, pages):
    openers = _openers(book, pages)
    blank_before = [n - 1 for n in openers if pages[n - 2].blank]
    assert blank_before, "at least one opening should need a blank verso in this sample"
    for number in blank_before:
        assert number % 2 == 0 and not pages[number - 1].blocks


def test_no_folio_or_running_head_on_openers_and_blank_pages(book, pages):
    openers = _openers(book, pages)
    bare = [p for p in pages if p.blank or p.number in openers]
    assert bare
    for page in bare:
        assert page.margin_text == {}, (page.number, page.margin_text)


def test_folio_and_running_head_on_every_other_text_page(book, pages):
    openers = _openers(book, pages)
    body_start = min(openers)
    body = [p for p in pages if p.number > body_start and not p.blank and p.number not in openers]
    assert len(body) > 8
    for page in body:
        assert page.margin_text.get("@bottom-center") == str(page.number)
        if page.number % 2 == 0:
            assert page.margin_text.get("@top-left") == "A. N. Author"
        else:
            assert page.margin_text.get("@top-right", "").startswith("Chapter")


def test_front_matter_pages_carry_no_folio(book, pages):
    for page in pages[: min(_openers(book, pages)) - 1]:
        assert "@bottom-center" not in page.margin_text


def test_gutter_is_on_the_spine_side_and_follows_the_table(laid_out):
    _document, used, pages = laid_out
    assert used.gutter == geometry.gutter_for(len(pages))
    for page in pages:
        expected = used.gutter if page.number % 2 else used.outer
        assert page.margin_left == pytest.approx(expected * PX_PER_INCH)


def test_no_widows_or_orphans(pages):
    pieces = defaultdict(list)
    for page in pages:
        for element, lines in page.paragraphs:
            pieces[element].append(lines)
    split = [counts for counts in pieces.values() if len(counts) > 1]
    assert split, "the sample should split some paragraphs across pages"
    for counts in split:
        assert counts[0] >= 2 and counts[-1] >= 2, counts


def test_no_heading_or_ornament_is_stranded(pages):
    for page in pages:
        if page.blocks:
            assert page.blocks[-1] not in ("h1", "h2", "h3", "hr"), page.number
            assert page.blocks[0] != "hr", page.number


def test_no_line_starts_with_an_em_dash(pages):
    lines = [line for page in pages for line in page.lines]
    assert sum("—" in line for line in lines) > 20
    assert not [line for line in lines if line.lstrip("\u2060").startswith("—")]


def test_page_count_is_even(pages):
    assert len(pages) % 2 == 0


def test_relayout_widens_the_gutter_for_the_real_page_count(book, monkeypatch):
    # A table with tiny limits makes a short book take the widest gutter.
    monkeypatch.setattr(geometry, "GUTTERS", ((4, 0.375), (8, 0.5)))
    forget_layout()
    document, used = layout(book, BuildConfig(trim="5x8"))
    assert used.gutter == geometry.WIDE_GUTTER
    right = document.pages[2]._page_box
    assert right.margin_left == pytest.approx(geometry.WIDE_GUTTER * PX_PER_INCH)


def test_page_size_equals_the_trim(written):
    with pikepdf.open(written) as pdf:
        for page in pdf.pages:
            box = [float(v) for v in page.trimbox]
            assert box[2] - box[0] == pytest.approx(5 * PT_PER_INCH)
            assert box[3] - box[1] == pytest.approx(8 * PT_PER_INCH)
            assert [float(v) for v in page.mediabox] == box


def _fonts(pdf):
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        yield from fonts.values()


def test_every_font_is_embedded_and_is_the_bundled_face(written):
    with pikepdf.open(written) as pdf:
        fonts = list(_fonts(pdf))
        assert fonts
        for font in fonts:
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
            # No fallback face: the word joiner and the ornaments come from the bundled font.
            assert "Libertine" in str(font.BaseFont)
        names = {str(font.BaseFont).split("+")[-1] for font in fonts}
        assert any("Italic" in name for name in names), names


def test_small_capitals_are_the_fonts_own_not_synthesised(written):
    from pypdf import PdfReader

    reader = PdfReader(written)
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Real small capitals map back to lower-case letters; synthesised ones are upper case.
    assert "A. N. Author" in text
    assert "A. N. AUTHOR" not in text


def test_pdf_x4_metadata_and_output_intent(written):
    with pikepdf.open(written) as pdf:
        assert str(pdf.docinfo["/Title"]) == "The Quiet City"
        assert str(pdf.docinfo["/Author"]) == "A. N. Author"
        assert str(pdf.Root.Lang) == "en"
        intents = pdf.Root.OutputIntents
        assert str(intents[0].S) == "/GTS_PDFX"
        meta = pdf.open_metadata()
        assert meta.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        assert "/StructTreeRoot" in pdf.Root


def test_reading_copy_is_tagged_pdf_ua(laid_out, tmp_path):
    path = tmp_path / "ua.pdf"
    laid_out[0].write_pdf(path, **pdf_options("pdf/ua-1"))
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert pdf.open_metadata().get("pdfuaid:part") == "1"


def test_bleed_adds_crop_marks_around_the_trim(tmp_path):
    book = sample_book(chapters=1, paragraphs=3, front_note=False)
    document, _ = layout(book, BuildConfig(trim="5x8", bleed=True))
    path = tmp_path / "bleed.pdf"
    document.write_pdf(path)
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        trim = [float(v) for v in page.trimbox]
        media = [float(v) for v in page.mediabox]
        assert trim[2] - trim[0] == pytest.approx(5 * PT_PER_INCH)
        assert media[2] - media[0] > trim[2] - trim[0] + 2 * geometry.BLEED * PT_PER_INCH - 0.01


def test_pdf_x1a_uses_only_cmyk_ink(tmp_path):
    book = sample_book(chapters=1, paragraphs=4, note=True)
    cfg = BuildConfig(trim="5x8", pdf_variant="pdf/x-1a")
    document, _ = layout(book, cfg)
    path = tmp_path / "x1a.pdf"
    document.write_pdf(path, **pdf_options(cfg.pdf_variant))
    with pikepdf.open(path) as pdf:
        operators = {str(op) for page in pdf.pages for _, op in pikepdf.parse_content_stream(page)}
        assert "scn" in operators
        assert not operators & {"rg", "RG"}
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"


def test_contents_page_numbers_match_where_sections_open(book, pages):
    contents = next(p for p in pages if any(line == "Contents" for line in p.lines))
    listed = [int(line.split()[-1]) for line in contents.lines if line.split()[-1].isdigit()]
    starts = first_pages(pages, opening_ids(book))
    assert listed == [starts[i] for i in opening_ids(book)]
