"""Whole builds of the sample book and the real manuscript: EPUBCheck-clean EPUB, sound PDF."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from bookbuild.checks import epubcheck
from bookbuild.cli import main

from .conftest import REAL_MANUSCRIPT, SAMPLE_BOOK

pytestmark = pytest.mark.slow

INCH = 72.0


def build(source: Path, outdir: Path, *extra: str) -> dict[str, Path]:
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(outdir), "-q", *extra])
    assert result.exit_code == 0, result.output
    return {p.suffix: p for p in outdir.iterdir() if p.suffix in (".epub", ".pdf")}


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory) -> dict[str, Path]:
    return build(SAMPLE_BOOK, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def real_outputs(tmp_path_factory) -> dict[str, Path]:
    if not REAL_MANUSCRIPT.is_file():
        pytest.skip("real manuscript not found (../shared is absent)")
    return build(REAL_MANUSCRIPT, tmp_path_factory.mktemp("real"), "--title", "The Last Two")


def fonts_of(pdf: pikepdf.Pdf) -> list[tuple[str, bool]]:
    """Every font in the PDF with whether its program is embedded."""
    found = []
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            descendants = font.get("/DescendantFonts")
            target = descendants[0] if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found.append((str(font.get("/BaseFont")), embedded))
    return found


@pytest.mark.parametrize("which", ["sample_outputs", "real_outputs"])
def test_epub_passes_epubcheck(which, request):
    report = epubcheck(request.getfixturevalue(which)[".epub"])
    assert report.errors == () and report.warnings == ()


@pytest.mark.parametrize("which", ["sample_outputs", "real_outputs"])
def test_pdf_fonts_embedded_and_page_size_is_the_trim(which, request):
    with pikepdf.open(request.getfixturevalue(which)[".pdf"]) as pdf:
        fonts = fonts_of(pdf)
        assert fonts, "the PDF has no fonts"
        assert all(embedded for _, embedded in fonts), fonts
        assert all("Libertine" in name for name, _ in fonts), "a font came from the machine, not assets/"
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.trimbox)
            assert round((x1 - x0) / INCH, 2) == 5.5 and round((y1 - y0) / INCH, 2) == 8.5


def test_page_counts_are_plausible(sample_outputs, real_outputs):
    with pikepdf.open(sample_outputs[".pdf"]) as sample, pikepdf.open(real_outputs[".pdf"]) as real:
        # ~1,800 words of sample and ~11,000 of the real story at ~250 words a page, plus front matter.
        assert 8 <= len(sample.pages) <= 30
        assert 30 <= len(real.pages) <= 90
