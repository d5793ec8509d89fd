"""Write a print-shop wrap cover: back, spine and front on one sheet sized from the interior."""

from __future__ import annotations

import html
import io
import re
import string
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from bookbuild.assets import asset_path
from bookbuild.cache import PartCache, code_digest
from bookbuild.config import BuildConfig
from bookbuild.errors import OutputError
from bookbuild.model import Book
from bookbuild.writers.pdf.geometry import BLEED, parse_trim, spine_width
from bookbuild.writers.pdf.identity import write_pinned
from bookbuild.writers.pdf.pdfx import x1a_css
from bookbuild.writers.pdf.print_html import running_title
from bookbuild.writers.pdf.render import CMYK_VARIANTS, pdf_options, render_html

# The EPUB's cover: the front panel at 5 × 8 in, rendered at the 1600 × 2560 pixels that Kindle,
# Kobo and Apple Books all scale down from cleanly.
EPUB_COVER_TRIM = (5.0, 8.0)
EPUB_COVER_PIXELS = (1600, 2560)
# Print-on-demand printers allow text on the spine from about this many pages up.
SPINE_TEXT_MIN_PAGES = 80
# Background and ink as (RGB, the same colour in CMYK for PDF/X-1a): slate blue and cream.
BACKGROUND = ("#27374a", "device-cmyk(0.47 0.26 0 0.71)")
INK = ("#f4ecd8", "device-cmyk(0 0.03 0.11 0.04)")
SAFE_MARGIN = 0.375  # inches kept clear of the trim on the panels
SPINE_CLEARANCE = 0.0625  # inches kept clear on each side of the spine's text
# A character's average advance in em, generous so that the estimate errs short: Libertine's
# mixed-case text, and the author's letter-spaced small capitals.
TITLE_EM_PER_CHAR = 0.5
AUTHOR_EM_PER_CHAR = 0.62
SPINE_GAP_EM = 3.0  # the least room between the spine's title and its author
SPINE_MIN_FONT_PT = 5.0


@dataclass(frozen=True, slots=True)
class CoverGeometry:
    """The flat cover's measures in inches, bleed excluded."""

    trim_width: float
    trim_height: float
    spine: float
    bleed: float = BLEED

    @property
    def width(self) -> float:
        """Back panel, spine and front panel side by side."""
        return 2 * self.trim_width + self.spine

    @property
    def full_width(self) -> float:
        """The width of the PDF page: the cover and its bleed on both sides."""
        return self.width + 2 * self.bleed

    @property
    def full_height(self) -> float:
        """The height of the PDF page: the cover and its bleed above and below."""
        return self.trim_height + 2 * self.bleed


def cover_geometry(trim: str, pages: int, paper: str, printer_key: str = "") -> CoverGeometry:
    """The cover's measures for a trim size, an interior page count, a paper and a printer."""
    width, height = parse_trim(trim)
    return CoverGeometry(width, height, spine_width(pages, paper, printer_key))


def blurb(book: Book) -> list[str]:
    """The back cover's paragraphs: the description (a header's summary or book.toml's), or none.

    Without one the back cover carries the title and author only: a passage of the story,
    cut where a word count falls, reads as a mistake on a book's back.
    """
    return [p.strip() for p in re.split(r"\n\s*\n", book.meta.description) if p.strip()]


def spine_text(title: str, author: str, spine: float, length: float) -> tuple[str, float]:
    """The spine's title and font size in points: as large as the spine's thickness allows, then
    smaller until title and author fit its length side by side, and past the smallest legible
    size the title shortened, so that the two never run into each other or off the spine."""
    by_thickness = (spine - 2 * SPINE_CLEARANCE) * 72 * 0.7
    room = length * 72
    author_em = AUTHOR_EM_PER_CHAR * len(author) + SPINE_GAP_EM
    fitting = room / (TITLE_EM_PER_CHAR * len(title) + author_em)
    size = max(SPINE_MIN_FONT_PT, min(14.0, by_thickness, fitting))
    if fitting >= SPINE_MIN_FONT_PT:
        return title, size
    limit = int((room / SPINE_MIN_FONT_PT - author_em) / TITLE_EM_PER_CHAR)
    return running_title(title, max(limit, 12)), size


def _inches(value: float) -> str:
    return f"{value:.4f}in"


def cover_css(geometry: CoverGeometry, pages: int, title: str, cmyk: bool = False, author: str = "") -> str:
    """The cover's stylesheet filled in for its geometry."""
    spine = geometry.spine
    height = geometry.trim_height
    length = height - 2 * SAFE_MARGIN
    _spine_title, spine_font_pt = spine_text(title, author, spine, length)
    title_font_pt = 30 if len(title) <= 24 else 24 if len(title) <= 48 else 18
    template = string.Template(asset_path("css/cover.css").read_text(encoding="utf-8"))
    return template.substitute(
        cover_width=_inches(geometry.width),
        height=_inches(height),
        bleed=_inches(geometry.bleed),
        panel_width=_inches(geometry.trim_width),
        spine_width=_inches(spine),
        front_left=_inches(geometry.trim_width + spine),
        safe_top=_inches(SAFE_MARGIN + 0.4),
        safe_side=_inches(SAFE_MARGIN + 0.1),
        spine_length=_inches(length),
        spine_text_left=_inches(spine / 2 - length / 2),
        spine_text_top=_inches(height / 2 - spine / 2),
        spine_font=f"{spine_font_pt:.1f}pt",
        title_font=f"{title_font_pt}pt",
        title_top=_inches(height * 0.22),
        frame_inset=_inches(SAFE_MARGIN),
        author_bottom=_inches(height * 0.14),
        background=BACKGROUND[cmyk],
        ink=INK[cmyk],
    )


def cover_html(book: Book, pages: int, geometry: CoverGeometry | None = None) -> str:
    """The cover as an HTML document: the template filled in, then the blurb's paragraphs."""
    meta = book.meta
    paragraphs = blurb(book)
    spine_title = meta.title
    if geometry is not None:
        length = geometry.trim_height - 2 * SAFE_MARGIN
        spine_title, _size = spine_text(meta.title, meta.author, geometry.spine, length)
    values = {
        "title": meta.title,
        "spine_title": spine_title,
        "author": meta.author,
        "spine_class": "" if pages >= SPINE_TEXT_MIN_PAGES else "none",
        "back_class": "none" if paragraphs else "",
    }
    template = string.Template(asset_path("templates/cover.html").read_text(encoding="utf-8"))
    markup = template.substitute({key: html.escape(value) for key, value in values.items()})
    root = etree.Element("html", {"lang": meta.language or "en"})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "meta", {"charset": "utf-8"})
    etree.SubElement(head, "title").text = f"{meta.title} (cover)"
    for name, content in (
        ("author", meta.author),
        ("dcterms.created", meta.modified),
        ("dcterms.modified", meta.modified),
    ):
        if content:
            etree.SubElement(head, "meta", {"name": name, "content": content})
    body = etree.SubElement(root, "body")
    for node in lxml_html.fragments_fromstring(markup):
        if isinstance(node.tag, str):
            body.append(node)
    holder = body.find(".//div[@class='blurb']")
    for text in paragraphs:
        etree.SubElement(holder, "p").text = text
    return "<!DOCTYPE html>\n" + etree.tostring(root, encoding="unicode", method="html")


def front_cover_jpeg(book: Book, cache: PartCache | None = None, draw: Callable[[str, str], bytes] | None = None) -> bytes:
    """The print cover's front panel alone as a baseline RGB JPEG of EPUB_COVER_PIXELS: the
    EPUB's cover, so both editions share one design. Rasterised by poppler's pdftoppm (already
    needed for the PDF's text check); the same book gives the same bytes, kept in ``cache``:
    drawing it costs an e-book-only build about a second. ``draw`` draws it elsewhere (in the
    process of writers/cover_beside.py), when given."""
    geometry = CoverGeometry(EPUB_COVER_TRIM[0], EPUB_COVER_TRIM[1], 0.0, bleed=0.0)
    front_only = asset_path("css/cover-front.css").read_text(encoding="utf-8")
    css = cover_css(geometry, 0, book.meta.title, False, book.meta.author) + front_only
    markup = cover_html(book, 0, geometry)
    key = cache.key("epub-cover", markup, css, str(EPUB_COVER_PIXELS), code_digest()) if cache else ""
    kept = cache.read_image(key) if cache else None
    if kept is not None:
        return kept
    image = (draw or draw_front_cover)(markup, css)
    if cache:
        cache.store_image(key, image)
    return image


def draw_front_cover(markup: str, css: str) -> bytes:
    """The front cover's HTML and CSS drawn as the EPUB's JPEG (front_cover_jpeg finds them)."""
    from PIL import Image

    document = render_html(markup, css)
    width, height = EPUB_COVER_PIXELS
    with tempfile.TemporaryDirectory(prefix="bookbuild-cover-") as folder:
        pdf = Path(folder) / "front.pdf"
        document.write_pdf(pdf)
        # The raw pixels (PPM) on standard output: the same pixels as a PNG, without compressing
        # 12 MB into one and taking it apart again (a third of the cover's pdftoppm time).
        command = ["pdftoppm", "-singlefile", "-scale-to-x", str(width), "-scale-to-y", str(height), str(pdf)]
        try:
            pixels = subprocess.run(command, check=True, capture_output=True, timeout=120).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            raise OutputError(f"cannot render the cover image: pdftoppm (poppler-utils) failed: {exc}") from exc
    with Image.open(io.BytesIO(pixels)) as image:
        rgb = image.convert("RGB")
    buffer = io.BytesIO()
    # Baseline, not progressive: Kindle and Adobe-based readers mis-render progressive JPEGs.
    rgb.save(buffer, "JPEG", quality=90, optimize=True, progressive=False)
    return buffer.getvalue()


def page_count(interior: Path) -> int:
    """The number of pages in a finished interior PDF."""
    import pikepdf

    with pikepdf.open(interior) as pdf:
        return len(pdf.pages)


def write_cover(book: Book, interior: Path, target: Path, cfg: BuildConfig) -> None:
    """Write the wrap cover for ``book`` whose interior PDF is at ``interior``."""
    pages = page_count(interior)
    geometry = cover_geometry(cfg.trim, pages, cfg.paper, cfg.printer)
    cmyk = cfg.pdf_variant in CMYK_VARIANTS
    css = cover_css(geometry, pages, book.meta.title, cmyk, book.meta.author) + (x1a_css() if cmyk else "")
    document = render_html(cover_html(book, pages, geometry), css)
    options = {k: v for k, v in pdf_options(cfg.pdf_variant).items() if k != "pdf_tags"}
    write_pinned(document, target, **options)
