"""The real manuscript, end to end: interior, wrap cover and imposed sheets from one command."""

from __future__ import annotations

from collections import defaultdict

import pikepdf
import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import BuildConfig
from bookbuild.pipeline import process
from bookbuild.writers.pdf.geometry import BLEED, PAPER_THICKNESS
from bookbuild.writers.pdf.impose import SHEETS, padded_count
from bookbuild.writers.pdf.interior import layout
from bookbuild.writers.pdf.print_html import chapter_ids, opening_ids

from .pdf_support import first_pages, read_pages

pytestmark = pytest.mark.slow
PT_PER_INCH = 72


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from .conftest import REAL_MANUSCRIPT

    if not REAL_MANUSCRIPT.is_file():
        pytest.skip("real manuscript not found (../shared is absent)")
    outdir = tmp_path_factory.mktemp("real")
    options = ["--trim", "5x8", "--pdf-variant", "pdf/x-4", "--cover-pdf", "--impose", "signatures:4"]
    result = CliRunner().invoke(main, ["build", str(REAL_MANUSCRIPT), *options, "-o", str(outdir), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    files = sorted(outdir.glob("*.pdf"))
    interior = next(p for p in files if not p.stem.endswith(("-cover", "-imposed")))
    return interior, outdir / f"{interior.stem}-cover.pdf", outdir / f"{interior.stem}-imposed.pdf"


def test_build_writes_interior_cover_and_imposition(built):
    interior, cover, imposed = built
    with pikepdf.open(interior) as pdf:
        pages = len(pdf.pages)
        assert pages % 2 == 0
        for page in pdf.pages:
            box = [float(v) for v in page.trimbox]
            assert (box[2] - box[0], box[3] - box[1]) == pytest.approx((5 * PT_PER_INCH, 8 * PT_PER_INCH))
        assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
    with pikepdf.open(cover) as pdf:
        media = [float(v) for v in pdf.pages[0].mediabox]
        expected = 2 * 5 + pages * PAPER_THICKNESS["white"] + 2 * BLEED
        assert (media[2] - media[0]) / PT_PER_INCH == pytest.approx(expected, abs=0.002)
    with pikepdf.open(imposed) as pdf:
        assert len(pdf.pages) == padded_count(pages, 4) // 2
        assert [float(v) for v in pdf.pages[0].mediabox[2:]] == pytest.approx(SHEETS["letter"])


def test_real_interior_follows_the_book_rules(real_manuscript):
    book = process(real_manuscript, BuildConfig(trim="5x8")).book
    document, _ = layout(book, BuildConfig(trim="5x8"))
    pages = read_pages(document)
    chapters = first_pages(pages, chapter_ids(book))
    assert chapters and all(n % 2 == 1 for n in chapters.values())
    openers = set(first_pages(pages, opening_ids(book)).values())
    for page in pages:
        if page.blank or page.number in openers:
            assert page.margin_text == {}
        elif page.number > min(openers):
            assert "@bottom-center" in page.margin_text
    pieces = defaultdict(list)
    for page in pages:
        for element, lines in page.paragraphs:
            pieces[element].append(lines)
    for counts in pieces.values():
        if len(counts) > 1:
            assert counts[0] >= 2 and counts[-1] >= 2
