"""Render the README's print pictures: a two-page spread and an imposed sheet.

Usage: ``python scripts/print_pictures.py MANUSCRIPT [OUTDIR]`` (default ``docs/img``). Builds the
manuscript's 5×8 interior and a booklet imposition, then renders them with pdftoppm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from bookbuild.cli import load_config
from bookbuild.pipeline import process
from bookbuild.writers.pdf.impose import folding_order, impose
from bookbuild.writers.pdf.interior import layout
from bookbuild.writers.pdf.print_html import chapter_ids

RESOLUTION = 80
DESK = (92, 92, 96)  # the grey the pages lie on
MARGIN = 24


def render(pdf: Path, page: int, stem: Path) -> Image.Image:
    """One page of a PDF as a picture."""
    command = ["pdftoppm", "-r", str(RESOLUTION), "-png", "-singlefile", "-f", str(page), "-l", str(page)]
    subprocess.run([*command, str(pdf), str(stem)], check=True)
    return Image.open(stem.with_suffix(".png")).convert("RGB")


def on_desk(pages: list[Image.Image]) -> Image.Image:
    """Pages side by side on a grey ground, with a faint shadow down the spine."""
    width = sum(p.width for p in pages)
    height = max(p.height for p in pages)
    canvas = Image.new("RGB", (width + 2 * MARGIN, height + 2 * MARGIN), DESK)
    x = MARGIN
    for page in pages:
        canvas.paste(page, (x, MARGIN))
        x += page.width
    if len(pages) == 2:
        draw = ImageDraw.Draw(canvas)
        spine = MARGIN + pages[0].width
        for offset in range(8):
            shade = 200 + offset * 7
            draw.line([(spine - offset, MARGIN), (spine - offset, MARGIN + height - 1)], fill=(shade,) * 3)
            draw.line([(spine + offset, MARGIN), (spine + offset, MARGIN + height - 1)], fill=(shade,) * 3)
    return canvas


def _text_side(book_pages: int, opening: int) -> int:
    """The 1-based side of the booklet's sheets whose two halves both carry story text."""
    sides = [side for sheet in folding_order(book_pages, None) for side in (sheet.front, sheet.back)]
    for number, (left, right) in enumerate(sides, start=1):
        if all(p is not None and opening < p + 1 < book_pages - 1 for p in (left, right)):
            return number
    return 1


def main(argv: list[str]) -> int:
    """Write spread.png and imposed.png for the manuscript given."""
    source = Path(argv[0])
    outdir = Path(argv[1]) if len(argv) > 1 else Path("docs/img")
    outdir.mkdir(parents=True, exist_ok=True)
    # The book's own settings (title, author for the running heads), then the pictures' trim.
    cfg = load_config(source, None).with_changes(trim="5x8")
    book = process(source, cfg).book
    document, _ = layout(book, cfg)
    first_chapter = chapter_ids(book)[0]
    opening = next(i for i, page in enumerate(document.pages, start=1) if first_chapter in page.anchors)
    # The first full spread after the opening: an even page on the left, odd on the right.
    left_page = opening + 1
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        interior, imposed = work / "book.pdf", work / "imposed.pdf"
        document.write_pdf(interior)
        impose(interior, imposed, "booklet")
        spread = [render(interior, left_page, work / "left"), render(interior, left_page + 1, work / "right")]
        on_desk(spread).save(outdir / "spread.png", optimize=True)
        on_desk([render(imposed, _text_side(book_pages=len(document.pages), opening=opening), work / "sheet")]).save(
            outdir / "imposed.png", optimize=True
        )
    print(f"wrote {outdir / 'spread.png'} and {outdir / 'imposed.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
