"""Hostile text: markup in plain text stays text, raw HTML in Markdown is defused, nothing is fetched."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Emph, LineBreak, Paragraph, SceneBreak, Strong, Text, block_text, plain_text
from bookbuild.pipeline import build, process
from bookbuild.readers import read_source
from bookbuild.readers.markdown import image_problem, read_markdown
from bookbuild.writers.pdf import render as pdf_writer

HOSTILE = [
    "<script>alert('x')</script> & then ]]> and <!-- not a comment --> end",
    "<![CDATA[ raw ]]> &amp; &lt;b&gt; &#x41; <?xml version='1.0'?>",
    '<img src="file:///etc/passwd"> <a href="javascript:alert(1)">x</a> <link rel=stylesheet href="http://example.com/x.css">',
    "<style>body{background:url(http://example.com/track.png)}</style> <iframe src=http://example.com></iframe>",
]


def epub_paragraphs(path: Path) -> list[str]:
    """Text of every <p> in the EPUB's chapters, parsed as strict XML."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(".xhtml") and "nav" not in name:
                root = etree.fromstring(archive.read(name))
                assert not root.findall(".//{*}script") and not root.findall(".//{*}iframe")
                # Only the book's own images (the cover), packed inside the EPUB.
                for image in root.iter("{*}img", "{*}image"):
                    src = image.get("src") or image.get("{http://www.w3.org/1999/xlink}href") or ""
                    assert ":" not in src and not src.startswith(("/", "..")), src
                found.extend("".join(p.itertext()) for p in root.iter("{http://www.w3.org/1999/xhtml}p"))
    return found


def build_epub(tmp_path: Path, name: str, text: str) -> Path:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    cfg = BuildConfig(outdir=tmp_path / "out", formats=("epub",), typography=False)
    _result, [epub] = build(source, cfg)
    return epub


def test_markup_in_plain_text_is_shown_literally(tmp_path: Path) -> None:
    epub = build_epub(tmp_path, "hostile.txt", "\n\n".join(HOSTILE))
    paragraphs = epub_paragraphs(epub)
    start = paragraphs.index(HOSTILE[0])
    assert paragraphs[start : start + len(HOSTILE)] == HOSTILE


def test_raw_html_in_markdown_keeps_text_and_emphasis_only() -> None:
    [paragraph] = read_markdown("Some <i>soft</i> and <b>bold</b> words<br>then <span style='x'>plain</span>.")
    assert paragraph.inlines == (
        Text("Some "), Emph((Text("soft"),)), Text(" and "), Strong((Text("bold"),)), Text(" words"),
        LineBreak(), Text("then plain."),
    )


def test_scripts_styles_and_comments_in_markdown_are_dropped() -> None:
    notes: list[Decision] = []
    blocks = read_markdown(
        "Before <script>alert(1)</script> after <!-- secret -->.\n\n<script>\nevil()\n</script>\n\n"
        "<style>p { color: red }</style>\n\n<!-- a comment\nover lines -->\n\nEnd.",
        notes,
    )
    assert [plain_text(b.inlines) for b in blocks] == ["Before after .", "End."]
    assert {d.code for d in notes} == {"RD021"}


@pytest.mark.parametrize("opener", ["<!-- a note to self", "<script>", "<STYLE type='text/css'>"])
def test_an_opener_never_closed_hides_nothing(opener: str) -> None:
    """Found by hand: one forgotten '-->' hid the whole story (0 words, no warning)."""
    notes: list[Decision] = []
    text = f"# Title\n\n<!-- closed -->\n\nOne.\n\n{opener}\n\nTwo.\n\n<!--\n\nThree."
    blocks = read_markdown(text, notes)
    texts = [plain_text(b.inlines) for b in blocks if isinstance(b, Paragraph)]
    assert {"One.", "Two.", "Three."} <= set(texts)
    [warning] = [d for d in notes if d.code == "RD023"]
    assert warning.line == 7 and "(and 1 more after it)" in warning.rule


def test_a_page_with_a_comment_never_closed_keeps_its_text(tmp_path: Path) -> None:
    """Found by hand: a saved page's forgotten '-->' hid every paragraph after it."""
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>One para.</p><!-- forgotten\n<p>Two para.</p></body></html>", encoding="utf-8")
    book, decisions = read_source(page, BuildConfig())
    assert [block_text(b) for s in book.sections for b in s.blocks] == ["One para.", "forgotten", "Two para."]
    assert any("'<!--' on line 1 is never closed" in d.rule for d in decisions)


def test_html_blocks_become_paragraphs() -> None:
    blocks = read_markdown('<div class="x">\n<p>One <em>html</em> para</p>\n<p>Two</p>\n<hr>\n<h2>Head</h2>\n</div>')
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Paragraph", "SceneBreak", "Heading"]
    assert blocks[0].inlines == (Text("One "), Emph((Text("html"),)), Text(" para"))


def test_tags_html_does_not_know_are_the_writers_text() -> None:
    blocks = read_markdown("<telepathy>Can you hear me?</telepathy>\n\nShe thought <Clark> at him.")
    assert [plain_text(b.inlines) for b in blocks] == ["<telepathy>Can you hear me?</telepathy>", "She thought <Clark> at him."]


def test_unbalanced_tags_do_not_swallow_text() -> None:
    [paragraph] = read_markdown("A stray </i> closer, an <b>unclosed opener, and <i>nested <b>mixed</i> tags</b>.")
    assert plain_text(paragraph.inlines) == "A stray closer, an unclosed opener, and nested mixed tags."


def test_links_keep_their_text_and_lose_their_target() -> None:
    [paragraph] = read_markdown("[click me](javascript:alert(1)) and [here](http://example.com) and <http://example.org>")
    assert paragraph.inlines == (Text("click me and here and http://example.org"),)


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("http://example.com/a.png", "URL"),
        ("file:///etc/passwd", "URL"),
        ("//example.com/a.png", "URL"),
        ("javascript:alert(1)", "URL"),
        ("/etc/passwd", "absolute path"),
        ("C:/Windows/win.ini", "absolute path"),
        ("../../etc/passwd", "outside the book folder"),
        ("images/../../secret.png", "outside the book folder"),
    ],
)
def test_images_are_refused_outside_the_book_folder(tmp_path: Path, src: str, reason: str) -> None:
    assert reason in image_problem(src, tmp_path)
    notes: list[Decision] = []
    blocks = read_markdown(f"Look: ![a picture]({src}) there.", notes, folder=tmp_path)
    assert plain_text(blocks[0].inlines) == "Look: there."
    assert reason in notes[0].rule and notes[0].code == "RD020"


def test_an_image_inside_the_folder_is_dropped_with_a_plain_warning(tmp_path: Path) -> None:
    assert image_problem("images/map.png", tmp_path) == ""
    notes: list[Decision] = []
    read_markdown("![map](images/map.png)", notes, folder=tmp_path)
    assert "does not place images yet" in notes[0].rule


def test_thematic_break_keeps_the_manuscripts_marker() -> None:
    assert read_markdown("One.\n\n* * *\n\nTwo.")[1] == SceneBreak(marker="* * *", line=3)


def test_hostile_markdown_builds_a_well_formed_epub(tmp_path: Path) -> None:
    text = "\n\n".join(HOSTILE) + "\n\n![x](file:///etc/passwd) [y](javascript:alert(1))"
    epub = build_epub(tmp_path, "hostile.md", text)
    paragraphs = epub_paragraphs(epub)
    assert paragraphs[0] == "& then ]]> and end"
    assert all("javascript" not in p and "alert" not in p for p in paragraphs)


@pytest.mark.slow
def test_a_manuscript_cannot_make_the_pdf_fetch_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    requested: list[str] = []
    make_fetcher = pdf_writer.url_fetcher

    def spying_fetcher():
        fetcher = make_fetcher()
        fetch = fetcher.fetch

        def recorded(url, headers=None):
            requested.append(url)
            return fetch(url, headers)

        fetcher.fetch = recorded
        return fetcher

    monkeypatch.setattr(pdf_writer, "url_fetcher", spying_fetcher)
    for name, text in (
        ("a.md", "![p](file:///etc/passwd) [l](http://127.0.0.1:9/x) <img src='http://127.0.0.1:9/i.png'>\n\n"
                 "<link rel=stylesheet href='file:///etc/passwd'> <style>@import url(http://127.0.0.1:9/c.css);</style>"),
        ("b.txt", "<img src=\"file:///etc/passwd\"> url(http://127.0.0.1:9/x.png) @import 'file:///etc/hosts';"),
    ):
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        build(source, BuildConfig(outdir=tmp_path / "out", formats=("pdf",)))
    assets = pdf_writer.assets_root().resolve().as_uri()
    assert requested, "the spy saw no request at all: fonts and CSS should have been fetched"
    assert all(url.startswith(assets) for url in requested), requested


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://example.com/x.png", "https://example.com/", "data:text/plain,hi", "ftp://example.com/"],
)
def test_the_pdf_fetcher_refuses_anything_outside_assets(url: str) -> None:
    from weasyprint.urls import URLFetchingError

    fetcher = pdf_writer.url_fetcher()
    with pytest.raises((URLFetchingError, ValueError)):
        fetcher.fetch(url)


def test_the_pdf_fetcher_refuses_a_way_out_of_assets() -> None:
    from weasyprint.urls import URLFetchingError

    root = pdf_writer.assets_root().resolve()
    fetcher = pdf_writer.url_fetcher()
    for url in (root.as_uri() + "/../pyproject.toml", root.as_uri() + "/css/%2e%2e/%2e%2e/pyproject.toml"):
        with pytest.raises(URLFetchingError):
            fetcher.fetch(url)


def test_process_never_puts_markup_into_the_model(tmp_path: Path) -> None:
    source = tmp_path / "m.md"
    source.write_text("<b>Bold</b> <script>x()</script>", encoding="utf-8")
    book = process(source, BuildConfig(typography=False)).book
    [paragraph] = [b for s in book.sections for b in s.blocks if isinstance(b, Paragraph)]
    assert plain_text(paragraph.inlines) == "Bold"


@pytest.mark.parametrize("nested", [
    "\n".join("  " * depth + f"- item{depth}" for depth in range(12)),  # found by hand: items past 8 were lost
    "\n".join("  " * depth + f"- item{depth}" for depth in range(80)),
    ">" * 30 + " item30",
    ">" * 300 + " item300",
    "- " * 400 + "item400",
])
def test_deep_nesting_loses_no_text(nested: str) -> None:
    """markdown-it stops reading where nesting passes its limit; the reader must keep every word."""
    decisions: list[Decision] = []
    blocks = read_markdown(f"# Title\n\nBefore.\n\n{nested}\n\nThe end.\n", decisions)
    text = " ".join(plain_text(b.inlines) for b in blocks if hasattr(b, "inlines"))
    items = [word for word in nested.split() if word.startswith("item")]
    assert all(f"{item}" in text.split() for item in items) and text.split()[-2:] == ["The", "end."]


@pytest.mark.parametrize("markdown", [
    "Inline " + "<b>" * 3000 + "bold" + "</b>" * 3000 + " end.",  # found by hand: RecursionError
    "<div>" + "<i>" * 3000 + "bold" + "</i>" * 3000 + " end.</div>",
    "*" * 200 + "bold" + "*" * 200 + " end.",
])
def test_deep_emphasis_is_flattened_and_builds(tmp_path: Path, markdown: str) -> None:
    source = tmp_path / "deep.md"
    source.write_text(f"# Deep\n\n{markdown}\n\nAfter.\n", encoding="utf-8")
    result, [epub] = build(source, BuildConfig(outdir=tmp_path / "out", formats=("epub",)))

    def depth(node) -> int:
        return 1 + max((depth(c) for c in node.children), default=0) if isinstance(node, (Emph, Strong)) else 0

    spans = [s for section in result.book.sections for b in section.blocks if isinstance(b, Paragraph) for s in b.inlines]
    assert max(depth(s) for s in spans) <= 8
    assert "bold" in " ".join(epub_paragraphs(epub)) and "After." in epub_paragraphs(epub)


@pytest.mark.parametrize("depth", [300, 5000])
def test_html_nested_deeper_than_the_parser_reads_keeps_its_text(depth: int) -> None:
    """libxml2 drops what is nested deeper than 256 elements (found by hand: the text vanished)."""
    markup = "<div>" * depth + "deep <i>text</i> <img src=x.png> here<script>gone()</script>" + "</div>" * depth + "<p>after &amp; more</p>"
    text = " ".join(plain_text(b.inlines) for b in read_markdown(f"{markup}\n") if isinstance(b, Paragraph))
    assert text.split() == ["deep", "text", "here", "after", "&", "more"]
