"""What every print-edition renderer shares: the interior stylesheet, the asset-only URL fetcher,
WeasyPrint's render call and the options of each PDF variant."""

from __future__ import annotations

import atexit
import string
from typing import Any

from tinycss2.serializer import serialize_string_value

from bookbuild.assets import asset_path, assets_root
from bookbuild.config import PDF_VARIANTS, BuildConfig
from bookbuild.errors import ConfigError
from bookbuild.model import Book
from bookbuild.writers.pdf.balance import Fork, balanced
from bookbuild.writers.pdf.geometry import PageGeometry, bleed_sides
from bookbuild.writers.pdf.loader import load_weasyprint
from bookbuild.writers.pdf.pdfx import x1a_css
from bookbuild.writers.pdf.print_html import book_html, running_left
from bookbuild.writers.pdf.relayout import Reuse, layout, relayout

# PDF/X-1a allows only CMYK colour; the other variants keep plain RGB black.
CMYK_VARIANTS = ("pdf/x-1a",)
# The body's line height (print.css's html rule), the unit of the baseline grid.
LINE_HEIGHT = 1.36


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
    points = 10 if width < 4.6 else 10.5 if width < 5.3 else 11 if width < 7 else 12
    body_line = points * LINE_HEIGHT
    # The chapter sink, in whole body lines, keeps an opening's text on the baseline grid.
    sink_lines = max(1, round(geometry.height * 0.22 * 72 / body_line))
    bleed_left, bleed_right = bleed_sides(cfg)
    variant_css = x1a_css() if cfg.pdf_variant in CMYK_VARIANTS else ""
    return base + variant_css + template.substitute(
        page_width=_inches(geometry.width),
        page_height=_inches(geometry.height),
        bleed_left=bleed_left,
        bleed_right=bleed_right,
        marks="crop" if cfg.crop_marks else "none",
        margin_top=_inches(geometry.top),
        margin_bottom=_inches(geometry.bottom),
        margin_inner=_inches(geometry.inner),
        margin_outer=_inches(geometry.outer),
        font_size=f"{points}pt",
        body_line=f"{body_line:.4f}pt",
        heading_line=f"{2 * body_line:.4f}pt",
        heading_gap=f"{2 * body_line:.4f}pt",
        ink="device-cmyk(0 0 0 1)" if cfg.pdf_variant in CMYK_VARIANTS else "black",
        running_left=css_string(running_left(book)),
        title_sink=_inches(geometry.height * 0.2),
        chapter_sink=f"{sink_lines * body_line:.4f}pt",
        text_height=_inches(geometry.height - geometry.top - geometry.bottom - 0.05),
    )


def url_fetcher():
    """A URL fetcher that reads only bookbuild's own assets, never the network or other files."""
    load_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetchingError

    prefix = assets_root().resolve().as_uri().rstrip("/") + "/"

    class AssetFetcher(URLFetcher):
        """Refuses every URL but files inside the assets folder."""

        def fetch(self, url, headers=None):
            if not url.startswith(prefix) or "/../" in url or "%2e" in url.lower():
                raise URLFetchingError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return AssetFetcher(allowed_protocols={"file"})


# Parsing a stylesheet and loading its fonts costs a tenth of a second; the balancer lays one
# document out several times and a worker renders many parts with one sheet, so the last two
# (the book's and the balancer's probe sheet) are kept.
_sheets: dict[str, tuple[Any, Any, Any]] = {}
# Let go of the fonts before the interpreter tears WeasyPrint's modules down under them.
atexit.register(_sheets.clear)


def _sheet(css: str) -> tuple[Any, Any, Any]:
    load_weasyprint()
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if css not in _sheets:
        if len(_sheets) > 1:
            _sheets.clear()
        fonts = FontConfiguration()
        # An @color-profile rule registers its profile in this dict, which the document must share.
        profiles: dict = {}
        sheet = CSS(string=css, base_url=_css_dir(), font_config=fonts, url_fetcher=url_fetcher(),
                    color_profiles=profiles)
        _sheets[css] = (sheet, fonts, profiles)
    return _sheets[css]


def _css_dir() -> str:
    return asset_path("css").resolve().as_uri() + "/"


def render_html(markup: str, css: str, reuse: Reuse | None = None, fork: Fork | None = None):
    """Lay out an HTML document with a stylesheet whose relative URLs point into ``assets/css``.

    ``reuse`` is an earlier layout of nearly the same markup and where it differs: only the
    pages that differ, and what follows from them, are laid out again (relayout.py). Given
    ``fork``, a whole layout has its later lines broken in another process (line_breaks.py).
    """
    load_weasyprint()
    from weasyprint import HTML

    sheet, fonts, profiles = _sheet(css)

    def parse():
        return HTML(string=markup, base_url=_css_dir(), url_fetcher=url_fetcher())

    if reuse is not None:
        try:
            document = relayout(reuse.document, parse, sheet, fonts, profiles, reuse)
        except (AssertionError, AttributeError, IndexError, KeyError, TypeError, ValueError):
            # The relayout drives WeasyPrint's internals (pinned to its major version); should a
            # document trip them, the whole layout is always right, only slower.
            document = None
        if document is not None:
            return document
    return layout(parse(), sheet, fonts, profiles, fork)


def render_document(book: Book, geometry: PageGeometry, cfg: BuildConfig, fork: Fork | None = None):
    """A laid-out WeasyPrint document of the book at the given geometry, its spreads levelled
    (the balancer's probes shared with another process when ``fork`` is given).

    Returns the document and the balancer's paragraph adjustments (balance.py).
    """
    return balanced(book_html(book, cfg.drop_caps), stylesheet(geometry, book, cfg), render_html, fork)


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
