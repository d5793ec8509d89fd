"""Write the model as a print-ready PDF through WeasyPrint (the only module that imports it)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from bookbuild.assets import asset_path, assets_root
from bookbuild.config import BuildConfig
from bookbuild.errors import ConfigError
from bookbuild.model import Book
from bookbuild.render.xhtml import RenderOptions, chapter_numbers, section_element, section_title

# Trim sizes by name, width × height in inches.
TRIMS: dict[str, tuple[float, float]] = {
    "5x8": (5.0, 8.0),
    "5.25x8": (5.25, 8.0),
    "5.5x8.5": (5.5, 8.5),
    "6x9": (6.0, 9.0),
    "a5": (5.827, 8.268),
    "b-format": (5.079, 7.795),
    "pocket": (4.25, 6.87),
    "letter": (8.5, 11.0),
    "a4": (8.268, 11.693),
}

# Print-on-demand gutter (inside margin) by page count: (up to N pages, inches).
GUTTERS: tuple[tuple[int, float], ...] = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75))
WIDE_GUTTER = 0.875
PDF_VARIANTS = ("", "pdf/x-4", "pdf/x-1a", "pdf/ua-1", "pdf/a-3b")


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """Trim size and margins of the interior, in inches."""

    width: float
    height: float
    gutter: float

    @property
    def outer(self) -> float:
        """The outside margin, scaled with the page width."""
        return round(max(0.5, self.width * 0.1), 3)


def parse_trim(trim: str) -> tuple[float, float]:
    """Width and height in inches of a named trim or a custom ``WxH`` (in, or mm with a unit)."""
    key = trim.strip().lower().replace(" ", "").replace("×", "x").replace("in", "")
    if key in TRIMS:
        return TRIMS[key]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm)?", key)
    if not match:
        names = ", ".join(TRIMS)
        raise ConfigError(f"unknown trim size '{trim}' (use one of {names}, or WxH in inches, or WxHmm)")
    width, height = float(match.group(1)), float(match.group(2))
    if match.group(3):
        width, height = width / 25.4, height / 25.4
    if not (2 <= width <= 20 and 2 <= height <= 20):
        raise ConfigError(f"trim size '{trim}' is outside 2–20 inches")
    return width, height


def gutter_for(pages: int) -> float:
    """The inside margin a print-on-demand printer asks for at this page count."""
    for limit, inches in GUTTERS:
        if pages <= limit:
            return inches
    return WIDE_GUTTER


def _stylesheet(geometry: PageGeometry, cfg: BuildConfig) -> str:
    template = string.Template(asset_path("css/print.css").read_text(encoding="utf-8"))
    base = asset_path("css/base.css").read_text(encoding="utf-8")
    font_size = "10.5pt" if geometry.width < 5.3 else "11pt" if geometry.width < 7 else "12pt"
    drop_cap = (
        "section.chapter > p.first::first-letter { float: left; font-size: 3.1em; line-height: 0.85; "
        "margin: 0.04em 0.08em 0 0; }"
        if cfg.drop_caps
        else ""
    )
    return base + template.substitute(
        page_width=f"{geometry.width}in",
        page_height=f"{geometry.height}in",
        margin_top="0.75in",
        margin_bottom="0.75in",
        margin_inner=f"{geometry.gutter}in",
        margin_outer=f"{geometry.outer}in",
        font_size=font_size,
        drop_cap_rule=drop_cap,
    )


def _front_matter(book: Book, body: etree._Element) -> None:
    meta = book.meta
    half = etree.SubElement(body, "section", {"class": "front-matter half-title"})
    etree.SubElement(half, "h1").text = meta.title
    title_page = etree.SubElement(body, "section", {"class": "front-matter title-page"})
    etree.SubElement(title_page, "h1").text = meta.title
    if meta.author:
        etree.SubElement(title_page, "p", {"class": "author"}).text = meta.author
    colophon = etree.SubElement(body, "section", {"class": "front-matter copyright-page"})
    etree.SubElement(colophon, "div", {"class": "spacer"})
    lines = [meta.title + (f" by {meta.author}" if meta.author else "")]
    if meta.rights:
        lines.append(meta.rights)
    if meta.source:
        lines.append(f"Source: {meta.source}")
    lines.append("A personal copy, typeset with bookbuild. Not for sale.")
    for line in lines:
        etree.SubElement(colophon, "p").text = line


def _contents(book: Book, body: etree._Element, ids: list[str]) -> None:
    numbers = chapter_numbers(book)
    nav = etree.SubElement(body, "nav", {"class": "contents", "role": "doc-toc"})
    etree.SubElement(nav, "h2").text = "Contents"
    listing = etree.SubElement(nav, "ol")
    for index, section in enumerate(book.sections):
        item = etree.SubElement(listing, "li")
        link = etree.SubElement(item, "a", {"href": f"#{ids[index]}"})
        link.text = section_title(section, numbers.get(index, 0))


def book_html(book: Book) -> str:
    """The whole book as one HTML document for the print renderer."""
    meta = book.meta
    html = etree.Element("html", {"lang": meta.language})
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", {"charset": "utf-8"})
    etree.SubElement(head, "title").text = meta.title
    if meta.author:
        etree.SubElement(head, "meta", {"name": "author", "content": meta.author})
    if meta.description:
        etree.SubElement(head, "meta", {"name": "description", "content": meta.description})
    body = etree.SubElement(html, "body")
    etree.SubElement(body, "div", {"class": "book-author-string"}).text = meta.author or meta.title
    _front_matter(book, body)
    ids = [f"s{index:03d}" for index in range(len(book.sections))]
    _contents(book, body, ids)
    opts = RenderOptions(for_print=True, notes=book.notes)
    numbers = chapter_numbers(book)
    for index, section in enumerate(book.sections):
        body.append(section_element(section, ids[index], numbers.get(index, 0), opts))
    return "<!DOCTYPE html>\n" + etree.tostring(html, encoding="unicode", method="html")


def _fetcher(allowed_roots: tuple[Path, ...]):
    """A URL fetcher that reads only files under the given folders, never the network."""
    from weasyprint.urls import URLFetcher, URLFetchingError

    prefixes = tuple(root.resolve().as_uri().rstrip("/") + "/" for root in allowed_roots)

    class BookFetcher(URLFetcher):
        """Refuses every URL but files inside the book's own folders."""

        def fetch(self, url, headers=None):
            if not url.startswith(prefixes) or "/../" in url or "%2e%2e" in url.lower():
                raise URLFetchingError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return BookFetcher(allowed_protocols={"file"})


def render_document(book: Book, geometry: PageGeometry, cfg: BuildConfig):
    """A laid-out WeasyPrint document of the book at the given geometry."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = _fetcher((assets_root(),))
    css_dir = asset_path("css").resolve().as_uri() + "/"
    stylesheet = CSS(string=_stylesheet(geometry, cfg), base_url=css_dir, font_config=fonts, url_fetcher=fetcher)
    html = HTML(string=book_html(book), base_url=css_dir, url_fetcher=fetcher)
    return html.render(stylesheets=[stylesheet], font_config=fonts)


def layout(book: Book, cfg: BuildConfig):
    """Lay the book out, widening the gutter until it fits the real page count."""
    width, height = parse_trim(cfg.trim)
    gutter = gutter_for(0)
    document = render_document(book, PageGeometry(width, height, gutter), cfg)
    for _ in range(3):
        wanted = gutter_for(len(document.pages))
        if wanted == gutter:
            break
        gutter = wanted
        document = render_document(book, PageGeometry(width, height, gutter), cfg)
    return document


def write_pdf(book: Book, target: Path, cfg: BuildConfig) -> None:
    """Write the print interior of ``book`` to ``target``."""
    if cfg.pdf_variant not in PDF_VARIANTS:
        raise ConfigError(f"unknown PDF variant '{cfg.pdf_variant}' (use one of {', '.join(v for v in PDF_VARIANTS if v)})")
    document = layout(book, cfg)
    options: dict[str, object] = {}
    if cfg.pdf_variant:
        options["pdf_variant"] = cfg.pdf_variant
        if cfg.pdf_variant.startswith("pdf/x"):
            options["output_intent"] = "srgb"
    document.write_pdf(target, **options)
