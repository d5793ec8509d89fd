"""One cover design for both editions: the EPUB's cover image is the print cover's front panel."""

from __future__ import annotations

import io
import subprocess
import zipfile

from PIL import Image, ImageChops, ImageStat

from bookbuild.config import BuildConfig
from bookbuild.model import Book
from bookbuild.writers import write_outputs
from bookbuild.writers.pdf.cover import EPUB_COVER_PIXELS, front_cover_jpeg, write_cover

from .pdf_support import blank_interior, sample_book


def _book() -> Book:
    return sample_book(chapters=1, paragraphs=3, title="Lanterns Over the Water", author="Mira Oak")


def test_epub_cover_is_a_reproducible_baseline_rgb_jpeg():
    data = front_cover_jpeg(_book())
    assert data == front_cover_jpeg(_book())
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.mode == "RGB" and image.size == EPUB_COVER_PIXELS
        assert not image.info.get("progressive") and not image.info.get("progression")


def test_epub_cover_is_the_print_covers_front_panel(tmp_path):
    """The front panel cut from the wrap cover and the EPUB's image agree pixel for pixel, near enough."""
    book = _book()
    interior = blank_interior(tmp_path / "interior.pdf", 40)
    cover = tmp_path / "cover.pdf"
    write_cover(book, interior, cover, BuildConfig(trim="5x8"))
    dpi = 40
    stem = tmp_path / "wrap"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(cover), str(stem)], check=True)
    with Image.open(stem.with_suffix(".png")) as wrap:
        spine = 40 * 0.002252
        left = round((0.125 + 5 + spine) * dpi)
        front = wrap.convert("L").crop((left, round(0.125 * dpi), left + 5 * dpi, round(8.125 * dpi)))
    with Image.open(io.BytesIO(front_cover_jpeg(book))) as epub_cover:
        small = epub_cover.convert("L").resize(front.size, Image.Resampling.LANCZOS)
    difference = ImageStat.Stat(ImageChops.difference(front, small)).mean[0]
    assert difference < 12, f"mean grey difference {difference:.1f}"


def test_a_build_puts_the_shared_cover_in_the_epub(tmp_path):
    book = _book()
    cfg = BuildConfig(formats=("epub",), outdir=tmp_path)
    (epub_path,) = write_outputs(book, cfg)
    with zipfile.ZipFile(epub_path) as archive:
        assert archive.read("EPUB/images/cover.jpg") == front_cover_jpeg(book)
