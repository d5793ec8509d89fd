"""The Kobo kepub: the EPUB's text, every word in exactly one koboSpan, in order, and still EPUBCheck-clean."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from bookbuild.checks import epubcheck
from bookbuild.cli import main
from bookbuild.verify.fold import words
from bookbuild.verify.outputs import epub_words
from bookbuild.writers.epub.kepub import SPAN_CLASS, koboize, sentences

from .conftest import REAL_MANUSCRIPT, SAMPLE_BOOK

X = "http://www.w3.org/1999/xhtml"
NS = {"x": X}


def page(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="{X}"><head><title>t</title></head>'
        f"<body>{body}</body></html>"
    ).encode()


def spans(document: bytes) -> list[etree._Element]:
    return etree.fromstring(document).xpath(f"//x:span[@class='{SPAN_CLASS}']", namespaces=NS)


def body_text(document: bytes) -> str:
    return "".join(etree.fromstring(document).find(f"{{{X}}}body").itertext())


def test_sentences_end_after_the_stop_and_any_closing_quote() -> None:
    assert sentences("“Go.” She left. Then? Nothing…  at all") == ["“Go.” ", "She left. ", "Then? ", "Nothing…  ", "at all"]
    assert sentences("No stop here") == ["No stop here"]
    assert sentences("Mr. Smith") == ["Mr. ", "Smith"]  # Kobo cuts there too; the words are whole either way


def test_every_sentence_of_a_paragraph_gets_its_own_numbered_span() -> None:
    out = koboize(page("<h1>One</h1><p>First one. Second one.</p><p>Third.</p>"))
    ids = [(s.get("id"), s.text) for s in spans(out)]
    assert ids == [("kobo.1.1", "One"), ("kobo.2.1", "First one. "), ("kobo.2.2", "Second one."), ("kobo.3.1", "Third.")]


def test_emphasis_keeps_its_element_and_its_words_get_spans_inside_it() -> None:
    out = koboize(page("<p>She said <em>never again</em> and left.</p>"))
    root = etree.fromstring(out)
    [em] = root.xpath("//x:em", namespaces=NS)
    assert [s.text for s in em] == ["never again"]
    assert [s.text for s in spans(out)] == ["She said ", "never again", " and left."]
    assert len({s.get("id") for s in spans(out)}) == 3


def test_the_body_sits_in_kobos_column_wrappers() -> None:
    root = etree.fromstring(koboize(page("<section><p>Text.</p></section>")))
    [body] = root.xpath("//x:body", namespaces=NS)
    [columns] = list(body)
    assert columns.get("id") == "book-columns"
    [inner] = list(columns)
    assert inner.get("id") == "book-inner" and inner[0].tag == f"{{{X}}}section"


def test_empty_markers_and_rules_stay_as_they_are() -> None:
    out = koboize(page('<p>Before<span id="page-7" role="doc-pagebreak"/> after.</p><hr class="scene-break"/>'))
    root = etree.fromstring(out)
    assert root.xpath("//x:span[@id='page-7']", namespaces=NS)[0].text is None
    assert [s.text for s in spans(out)] == ["Before", " after."]
    assert root.xpath("//x:hr", namespaces=NS)


_word = st.text(alphabet="abcXY.!?…’” ", min_size=1, max_size=12)
_inline = st.one_of(_word, _word.map(lambda w: f"<em>{w}</em>"), _word.map(lambda w: f"<strong>{w}</strong>"))
_paragraph = st.lists(_inline, min_size=1, max_size=6).map(lambda parts: "<p>" + "".join(parts) + "</p>")


@settings(max_examples=200, deadline=None)
@given(st.lists(_paragraph, min_size=1, max_size=5))
def test_no_text_is_lost_or_moved_and_every_visible_character_is_in_a_span(paragraphs) -> None:
    source = page("<section>" + "".join(paragraphs) + "</section>")
    out = koboize(source)
    assert body_text(out) == body_text(source)
    root = etree.fromstring(out)
    for node in root.xpath("//x:body//text()", namespaces=NS):
        if node.strip():
            owner = node.getparent()
            assert owner.tag == f"{{{X}}}span" and owner.get("class") == SPAN_CLASS
    ids = [s.get("id") for s in spans(out)]
    assert len(ids) == len(set(ids))
    assert koboize(out) != b"" and body_text(koboize(out)) == body_text(source)


def build(source: Path, outdir: Path, *extra: str) -> list[Path]:
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(outdir), "-q", *extra])
    assert result.exit_code == 0, result.output
    return sorted(outdir.iterdir())


def spine_texts(book: Path) -> tuple[list[str], list[str]]:
    """For each spine document but the navigation: the words of its koboSpans, and of its body."""
    in_spans: list[str] = []
    in_body: list[str] = []
    with zipfile.ZipFile(book) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        opf_ns = {"o": "http://www.idpf.org/2007/opf"}
        items = {i.get("id"): i for i in opf.xpath("//o:manifest/o:item", namespaces=opf_ns)}
        for ref in opf.xpath("//o:spine/o:itemref", namespaces=opf_ns):
            item = items[ref.get("idref")]
            if "nav" in (item.get("properties") or ""):
                continue
            document = archive.read("EPUB/" + item.get("href"))
            in_spans += words(" ".join("".join(span.itertext()) for span in spans(document)))
            in_body += words(body_text(document))
    return in_spans, in_body


@pytest.mark.slow
def test_a_kepub_alone_passes_epubcheck_and_holds_every_word_in_one_span(tmp_path) -> None:
    [kepub] = build(SAMPLE_BOOK, tmp_path, "--format", "kepub")
    assert kepub.name.endswith(".kepub.epub")
    report = epubcheck(kepub)
    assert report.errors == () and report.warnings == ()
    [plain] = build(SAMPLE_BOOK, tmp_path / "plain", "--format", "epub")
    # Every word of every document sits in a span, in order, and they are the plain EPUB's words.
    spanned, kobo_body = spine_texts(kepub)
    _none, plain_body = spine_texts(plain)
    assert spanned and spanned == kobo_body == plain_body
    assert " ".join(spanned) in " ".join(epub_words(kepub))
    with zipfile.ZipFile(kepub) as archive:
        chapter = archive.read("EPUB/chapter-001.xhtml")
    assert b'id="book-columns"' in chapter and b'class="koboSpan"' in chapter


@pytest.mark.slow
def test_book_toml_kepub_true_adds_the_kepub_to_a_full_build(tmp_path) -> None:
    if not REAL_MANUSCRIPT.is_file():
        pytest.skip("real manuscript not found (../shared is absent)")
    config = tmp_path / "conf" / "book.toml"
    config.parent.mkdir()
    config.write_text('title = "The Last Two"\nkepub = true\n', encoding="utf-8")
    written = build(REAL_MANUSCRIPT, tmp_path / "out", "--config", str(config))
    names = sorted(p.name for p in written)
    assert [n for n in names if re.search(r"\.(kepub\.epub|epub|pdf)$", n)] == [
        "the-last-two.epub", "the-last-two.kepub.epub", "the-last-two.pdf"
    ]
    kepub = tmp_path / "out" / "the-last-two.kepub.epub"
    report = epubcheck(kepub)
    assert report.errors == () and report.warnings == ()
    # The page list follows the print edition in the kepub as in the EPUB.
    with zipfile.ZipFile(kepub) as archive:
        assert b'epub:type="page-list"' in archive.read("EPUB/nav.xhtml")
