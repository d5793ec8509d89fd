"""The EPUB as a whole: validators, structure, semantics and reproducible bytes."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from bookbuild.checks import epubcheck
from bookbuild.config import BuildConfig
from bookbuild.model import Role
from bookbuild.pages import PageMap
from bookbuild.pipeline import build
from bookbuild.writers import write_epub_edition as write_epub
from bookbuild.writers.epub.book import close_heading_gaps, epub_bytes, plan_documents

from .epub_samples import NS, read_entries, sample_book, sample_markdown

NO_PAGES = PageMap((), 0)
# Every epub:type bookbuild writes that DPUB-ARIA has a role for, and that role.
MATCHING_ROLES = {
    "chapter": "doc-chapter",
    "preface": "doc-preface",
    "afterword": "doc-afterword",
    "endnotes": "doc-endnotes",
    "noteref": "doc-noteref",
    "pagebreak": "doc-pagebreak",
    "toc": "doc-toc",
    "page-list": "doc-pagelist",
    "cover": "doc-cover",
}


@pytest.fixture(scope="module")
def sample_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book written once, page list and all."""
    path = tmp_path_factory.mktemp("epub") / "sample.epub"
    write_epub(sample_book(), path, BuildConfig())
    return path


def _documents(entries: dict[str, bytes]) -> dict[str, etree._Element]:
    return {name: etree.fromstring(data) for name, data in entries.items() if name.endswith(".xhtml")}


@pytest.mark.slow
def test_sample_book_passes_epubcheck(sample_epub: Path) -> None:
    report = epubcheck(sample_epub)
    assert report.errors == () and report.warnings == ()


def test_mimetype_is_first_and_stored(sample_epub: Path) -> None:
    with zipfile.ZipFile(sample_epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
    assert sample_epub.read_bytes()[30:38] == b"mimetype"  # no extra field before the name


def test_building_twice_gives_identical_bytes() -> None:
    book = sample_book(chapters=2, paragraphs=6)
    assert epub_bytes(book, BuildConfig(), NO_PAGES) == epub_bytes(book, BuildConfig(), NO_PAGES)


@pytest.mark.slow
def test_source_date_epoch_fixes_bytes_and_timestamps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "story.md"
    source.write_text(sample_markdown(chapters=2), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outputs = []
    for run, mtime in enumerate((1_500_000_000, 1_600_000_000)):
        os.utime(source, (mtime, mtime))
        cfg = BuildConfig(outdir=tmp_path / f"out{run}", formats=("epub",), metadata={"title": "A Story"})
        _result, written = build(source, cfg)
        outputs.append(written[0].read_bytes())
    assert outputs[0] == outputs[1]
    with zipfile.ZipFile(tmp_path / "out0" / "a-story.epub") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in archive.read("EPUB/content.opf")


def test_manuscript_mtime_sets_the_date_without_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = tmp_path / "story.md"
    source.write_text(sample_markdown(chapters=1), encoding="utf-8")
    os.utime(source, (1_600_000_000, 1_600_000_000))
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy2(source, copy / "story.md")
    results = []
    for folder in (tmp_path, copy):
        cfg = BuildConfig(outdir=folder / "out", formats=("epub",), metadata={"title": "A Story"})
        _result, written = build(folder / "story.md", cfg)
        results.append(written[0].read_bytes())
    assert results[0] == results[1]
    assert b"2020-09-13T12:26:40Z" in read_entries(tmp_path / "out" / "a-story.epub")["EPUB/content.opf"]


def test_every_document_declares_its_language(sample_epub: Path) -> None:
    documents = _documents(read_entries(sample_epub))
    assert len(documents) >= 8
    for name, root in documents.items():
        assert root.get("lang") == "en-GB", name
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB", name
    opf = etree.fromstring(read_entries(sample_epub)["EPUB/content.opf"])
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"


def test_every_epub_type_has_its_aria_role(sample_epub: Path) -> None:
    checked = 0
    for name, root in _documents(read_entries(sample_epub)).items():
        for element in root.xpath("//*[@epub:type]", namespaces=NS):
            for term in element.get(f"{{{NS['epub']}}}type").split():
                if term in MATCHING_ROLES and not (name.endswith("nav.xhtml") and element.tag.endswith("}a")):
                    assert element.get("role") == MATCHING_ROLES[term], f"{name}: {term}"
                    checked += 1
    assert checked > 10


def test_front_and_back_matter_in_reading_order(sample_epub: Path) -> None:
    opf = etree.fromstring(read_entries(sample_epub)["EPUB/content.opf"])
    opf_ns = {"o": "http://www.idpf.org/2007/opf"}
    hrefs = {item.get("id"): item.get("href") for item in opf.xpath("//o:manifest/o:item", namespaces=opf_ns)}
    spine = [hrefs[ref.get("idref")] for ref in opf.xpath("//o:spine/o:itemref", namespaces=opf_ns)]
    assert spine[:4] == ["cover.xhtml", "titlepage.xhtml", "copyright.xhtml", "nav.xhtml"]
    assert spine[4].startswith("front-note") and spine[-2].startswith("back-note")
    assert spine[-1] == "endnotes.xhtml"
    assert [name for name in spine if name.startswith("chapter-")] == [
        "chapter-001.xhtml",
        "chapter-002.xhtml",
        "chapter-003.xhtml",
    ]


def test_navigation_has_contents_landmarks_and_page_list(sample_epub: Path) -> None:
    entries = read_entries(sample_epub)
    nav = etree.fromstring(entries["EPUB/nav.xhtml"])
    kinds = [n.get(f"{{{NS['epub']}}}type") for n in nav.xpath("//x:nav", namespaces=NS)]
    assert kinds == ["toc", "landmarks", "page-list"]
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert landmarks[:4] == ["cover", "titlepage", "toc", "bodymatter"]
    assert nav.xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='bodymatter']/@href", namespaces=NS) == [
        "chapter-001.xhtml"
    ]
    pages = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    ncx = etree.fromstring(entries["EPUB/toc.ncx"])
    targets = ncx.xpath("//n:pageTarget/n:content/@src", namespaces={"n": "http://www.daisy.org/z3986/2005/ncx/"})
    assert [a.get("href") for a in pages] == targets and len(targets) > 5
    for link in pages:
        name, anchor = link.get("href").split("#")
        target = etree.fromstring(entries[f"EPUB/{name}"]).xpath("//*[@id=$id]", id=anchor)[0]
        assert target.get("role") == "doc-pagebreak" and target.get("aria-label") == link.text


def test_untitled_chapter_keeps_a_numbered_title_in_contents() -> None:
    documents = plan_documents(sample_book(chapters=2, paragraphs=4))
    chapters = [d for d in documents if d.matter == "bodymatter"]
    assert [d.title for d in chapters] == ["Part the Second", "Chapter 2"]
    assert {d.matter for d in documents if d.file_name.startswith("front-note")} == {"frontmatter"}


def test_section_roles_map_to_matter() -> None:
    book = sample_book(chapters=1, paragraphs=5)
    roles = {d.file_name: d.matter for d in plan_documents(book)}
    assert roles["chapter-001.xhtml"] == "bodymatter"
    assert sum(1 for s in book.sections if s.role is Role.BACK_NOTE) == 1
    assert roles["endnotes.xhtml"] == "backmatter"


def test_stylesheet_leaves_fonts_sizes_and_colours_to_the_reader(sample_epub: Path) -> None:
    css = re.sub(r"/\*.*?\*/", "", read_entries(sample_epub)["EPUB/style/book.css"].decode(), flags=re.S)
    declarations = re.findall(r"([-\w]+)\s*:\s*([^;}]+)", css)
    properties = {name for name, _value in declarations}
    assert {"text-indent", "hyphens", "-webkit-hyphens"} <= properties
    assert not properties & {"font-family", "background", "background-color", "position", "float"}
    # A colour is only ever the text's own, passed on to a mark, never one of the book's.
    assert {value.strip() for name, value in declarations if name == "color"} <= {"inherit", "currentColor"}
    for name, value in declarations:
        assert not re.search(r"\d(px|pt|cm|mm|in)\b", value) or name.startswith("border"), (name, value)
        if name == "font-size":
            assert value.strip().endswith("em"), value
    assert ("page-break-before", "always") not in [(n, v.strip()) for n, v in declarations]


def test_headings_never_skip_a_level() -> None:
    section = etree.fromstring(b"<section><h1>Chapter</h1><p>a</p><h3>Letter</h3><h5>PS</h5><h2>Next</h2></section>")
    close_heading_gaps(section)
    assert [h.tag for h in section] == ["h1", "p", "h2", "h3", "h2"]


def test_no_element_but_void_ones_is_self_closed(sample_epub: Path) -> None:
    # A reader that parses XHTML as HTML reads <span/> as an open span around the rest of the page.
    for name, data in read_entries(sample_epub).items():
        if name.endswith(".xhtml"):
            closed = re.findall(rb"<([a-z0-9]+)\b[^>]*/>", data)
            assert set(closed) <= {b"br", b"hr", b"img", b"link", b"meta"}, name


def test_a_book_without_sections_is_still_valid_navigation() -> None:
    book = sample_book(chapters=1, paragraphs=1)
    empty = dataclasses.replace(book, sections=(), notes=())
    entries = dict(_zip(epub_bytes(empty, BuildConfig(), NO_PAGES)))
    nav = etree.fromstring(entries["EPUB/nav.xhtml"])
    assert nav.xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS) == ["titlepage.xhtml"]


def _zip(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            yield name, archive.read(name)
