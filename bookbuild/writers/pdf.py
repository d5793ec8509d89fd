"""Write the model as a print-ready PDF interior through WeasyPrint."""

from __future__ import annotations

import string
from pathlib import Path

from tinycss2.serializer import serialize_string_value

from bookbuild.assets import asset_path, assets_root
from bookbuild.config import PDF_VARIANTS, BuildConfig
from bookbuild.errors import ConfigError
from bookbuild.model import Book
from bookbuild.writers.geometry import (
    BLEED,
    GUTTERS,
    TRIMS,
    PageGeometry,
    gutter_for,
    parse_trim,
)
from bookbuild.writers.pdf_identity import write_pinned
from bookbuild.writers.print_html import book_html, running_left

# PDF/X-1a allows only CMYK colour; the other variants keep plain RGB black.
CMYK_VARIANTS = ("pdf/x-1a",)
# Re-laying out is needed only when the gutter changes; it only grows, so this always ends.
MAX_LAYOUTS = len(GUTTERS) + 2

__all__ = ["GUTTERS", "PDF_VARIANTS", "TRIMS", "gutter_for", "layout", "parse_trim", "write_pdf"]


def css_string(text: str) -> str:
    """A CSS string literal holding ``text``."""
    return '"' + serialize_string_value(text) + '"'


def _inches(value: float) -> str:
    return f"{value:.3f}in"


def stylesheet(geometry: PageGeometry, book: Book, cfg: BuildConfig) -> str:
    """The interior's CSS: the shared text rules, then print.css filled in for this book."""
    template = string.Template(asset_path("css/print.css").read_text(encoding="utf-8"))
    base = asset_path("css/base.css").read_text(encoding="utf-8")
    width = geometry.width
    font_size = "10pt" if width < 4.6 else "10.5pt" if width < 5.3 else "11pt" if width < 7 else "12pt"
    return base + template.substitute(
        page_width=_inches(geometry.width),
        page_height=_inches(geometry.height),
        bleed=_inches(BLEED) if cfg.bleed else "0",
        marks="crop" if cfg.bleed else "none",
        margin_top=_inches(geometry.top),
        margin_bottom=_inches(geometry.bottom),
        margin_inner=_inches(geometry.gutter),
        margin_outer=_inches(geometry.outer),
        font_size=font_size,
        ink="device-cmyk(0 0 0 1)" if cfg.pdf_variant in CMYK_VARIANTS else "black",
        running_left=css_string(running_left(book)),
        title_sink=_inches(geometry.height * 0.2),
        chapter_sink=_inches(geometry.height * 0.22),
        text_height=_inches(geometry.height - geometry.top - geometry.bottom - 0.05),
    )


def url_fetcher():
    """A URL fetcher that reads only bookbuild's own assets, never the network or other files."""
    from weasyprint.urls import URLFetcher, URLFetchingError

    prefix = assets_root().resolve().as_uri().rstrip("/") + "/"

    class AssetFetcher(URLFetcher):
        """Refuses every URL but files inside the assets folder."""

        def fetch(self, url, headers=None):
            if not url.startswith(prefix) or "/../" in url or "%2e" in url.lower():
                raise URLFetchingError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return AssetFetcher(allowed_protocols={"file"})


def render_html(markup: str, css: str):
    """Lay out an HTML document with a stylesheet whose relative URLs point into ``assets/css``."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = url_fetcher()
    css_dir = asset_path("css").resolve().as_uri() + "/"
    sheet = CSS(string=css, base_url=css_dir, font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=markup, base_url=css_dir, url_fetcher=fetcher)
    return document.render(stylesheets=[sheet], font_config=fonts)


def render_document(book: Book, geometry: PageGeometry, cfg: BuildConfig):
    """A laid-out WeasyPrint document of the book at the given geometry."""
    return render_html(book_html(book, cfg.drop_caps), stylesheet(geometry, book, cfg))


# The EPUB's page list and the PDF need the same layout in one build; laying a long book out
# twice would double the slowest step, so the last layout is kept for the same book and settings.
_last_layout: list[tuple[Book, BuildConfig, object]] = []


def forget_layout() -> None:
    """Drop the kept layout (tests that change the layout tables call this)."""
    _last_layout.clear()


def layout(book: Book, cfg: BuildConfig):
    """Lay the book out, widening the gutter until it suits the real page count.

    Returns the WeasyPrint document and the geometry it was laid out with.
    """
    for kept_book, kept_cfg, kept in _last_layout:
        if kept_book is book and kept_cfg == cfg:
            return kept
    result = _layout(book, cfg)
    _last_layout[:] = [(book, cfg, result)]
    return result


def _layout(book: Book, cfg: BuildConfig):
    width, height = parse_trim(cfg.trim)
    geometry = PageGeometry(width, height, gutter_for(0))
    document = render_document(book, geometry, cfg)
    for _ in range(MAX_LAYOUTS):
        wanted = gutter_for(_even(len(document.pages)))
        if wanted == geometry.gutter:
            break
        geometry = PageGeometry(width, height, wanted)
        document = render_document(book, geometry, cfg)
    return _pad_to_even(document), geometry


def _even(count: int) -> int:
    return count + count % 2


def _pad_to_even(document):
    """The document with a blank last page if it has an odd count: a printed leaf has two sides."""
    if len(document.pages) % 2 == 0:
        return document
    blanks = [page for page in document.pages if page._page_box.page_type.blank]
    if not blanks:
        return document
    return document.copy([*document.pages, blanks[0]])


def pdf_options(variant: str) -> dict[str, object]:
    """WeasyPrint's ``write_pdf`` options for a PDF variant (checked against the known ones)."""
    if variant and variant not in PDF_VARIANTS:
        known = ", ".join(PDF_VARIANTS)
        raise ConfigError(f"unknown PDF variant '{variant}' (use one of {known})")
    options: dict[str, object] = {"pdf_tags": True}
    if variant:
        options["pdf_variant"] = variant
    if variant == "pdf/x-4":
        # Without an explicit output intent WeasyPrint writes none, and preflight rejects PDF/X.
        options["output_intent"] = "srgb"
    return options


def write_pdf(book: Book, target: Path, cfg: BuildConfig) -> None:
    """Write the print interior of ``book`` to ``target``."""
    options = pdf_options(cfg.pdf_variant)
    # Long books are rendered section by section on every core, and cached (pdf_parallel.py).
    from bookbuild.writers import pdf_parallel

    if pdf_parallel.worth_it(book):
        pdf_parallel.write_cached(book, target, cfg)
        return
    document, _geometry = layout(book, cfg)
    write_pinned(document, target, **options)
