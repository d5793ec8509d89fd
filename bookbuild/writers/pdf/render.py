"""What every print-edition renderer shares: the interior stylesheet, the asset-only URL fetcher,
WeasyPrint's render call and the options of each PDF variant."""

from __future__ import annotations

import string

from tinycss2.serializer import serialize_string_value

from bookbuild.assets import asset_path, assets_root
from bookbuild.config import BuildConfig
from bookbuild.errors import ConfigError
from bookbuild.model import Book
from bookbuild.writers.pdf.geometry import BLEED, PageGeometry
from bookbuild.writers.pdf.print_html import book_html, running_left

PDF_VARIANTS = ("", "pdf/x-4", "pdf/x-1a", "pdf/ua-1", "pdf/a-3b")
# PDF/X-1a allows only CMYK colour; the other variants keep plain RGB black.
CMYK_VARIANTS = ("pdf/x-1a",)
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


def pdf_options(variant: str) -> dict[str, object]:
    """WeasyPrint's ``write_pdf`` options for a PDF variant (checked against the known ones)."""
    if variant not in PDF_VARIANTS:
        known = ", ".join(v for v in PDF_VARIANTS if v)
        raise ConfigError(f"unknown PDF variant '{variant}' (use one of {known})")
    options: dict[str, object] = {"pdf_tags": True}
    if variant:
        options["pdf_variant"] = variant
    if variant == "pdf/x-4":
        # Without an explicit output intent WeasyPrint writes none, and preflight rejects PDF/X.
        options["output_intent"] = "srgb"
    return options
