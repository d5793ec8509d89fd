"""Visual regression: a few rendered pages compared with reviewed pictures in tests/golden/pdf/.

Run ``pytest --update-golden tests/test_pdf_golden.py`` after an intended change of design, then
look at the new pictures before committing them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from bookbuild.config import BuildConfig
from bookbuild.writers.pdf.cover import write_cover
from bookbuild.writers.pdf.impose import impose
from bookbuild.writers.pdf.interior import write_pdf

from .pdf_support import sample_book

GOLDEN_PDF = Path(__file__).resolve().parent / "golden" / "pdf"
RESOLUTION = 40  # dpi: enough to see layout, small enough to keep in the repository
CHANGED_LEVEL = 64  # a pixel counts as changed past this difference in grey level
TOLERANCE = 0.01  # share of changed pixels allowed (font rasterising differs a little)

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")


def render_page(pdf: Path, page: int, out: Path) -> Path:
    """One page of a PDF as a grey PNG."""
    stem = out.with_suffix("")
    command = ["pdftoppm", "-r", str(RESOLUTION), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page)]
    subprocess.run([*command, str(pdf), str(stem)], check=True)
    return out


def changed_share(actual: Path, expected: Path) -> float:
    """The share of pixels that differ visibly between two pictures (1.0 if sizes differ)."""
    from PIL import Image, ImageChops

    with Image.open(actual) as a, Image.open(expected) as b:
        if a.size != b.size:
            return 1.0
        difference = ImageChops.difference(a.convert("L"), b.convert("L"))
        changed = sum(difference.histogram()[CHANGED_LEVEL:])
        return changed / (a.size[0] * a.size[1])


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("golden")
    book = sample_book(chapters=2, paragraphs=10, scene_breaks=1, note=True)
    cfg = BuildConfig(trim="5x8")
    interior = folder / "book.pdf"
    write_pdf(book, interior, cfg)
    cover = folder / "cover.pdf"
    write_cover(book, interior, cover, cfg)
    imposed = folder / "imposed.pdf"
    impose(interior, imposed, "booklet")
    return folder, interior, cover, imposed


def _pages(interior: Path) -> int:
    with pikepdf.open(interior) as pdf:
        return len(pdf.pages)


@pytest.mark.parametrize(
    ("name", "which", "page"),
    [
        ("title-page", "interior", 3),
        ("contents", "interior", 5),
        ("chapter-opening", "interior", 9),
        ("body-left", "interior", 10),
        ("body-right", "interior", 11),
        ("cover", "cover", 1),
        ("imposed-sheet", "imposed", 2),
    ],
)
def test_page_looks_as_reviewed(outputs, request, name, which, page):
    folder, interior, cover, imposed = outputs
    source = {"interior": interior, "cover": cover, "imposed": imposed}[which]
    actual = render_page(source, page, folder / f"{name}.png")
    expected = GOLDEN_PDF / f"{name}.png"
    if request.config.getoption("--update-golden"):
        GOLDEN_PDF.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(actual, expected)
        return
    if not expected.exists():
        pytest.fail(f"golden picture {expected} is missing: run pytest --update-golden and review it")
    share = changed_share(actual, expected)
    assert share <= TOLERANCE, f"{name}: {share:.1%} of pixels differ from {expected} (see {actual})"


def test_pixel_comparison_notices_a_changed_page(outputs):
    folder, interior, _cover, _imposed = outputs
    opening = render_page(interior, 9, folder / "a.png")
    other = render_page(interior, 10, folder / "b.png")
    assert changed_share(opening, opening) == 0.0
    assert changed_share(opening, other) > TOLERANCE
    assert _pages(interior) >= 11
