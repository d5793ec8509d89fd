"""Kindle through calibre: the EPUB converts to AZW3 (as Send to Kindle converts it) and reads back whole.

calibre's ``ebook-convert`` is the open converter closest to Amazon's; `make setup` installs Debian's
calibre so this runs on a clean machine. The book carries a series so its metadata is checked too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bookbuild.cli import main
from bookbuild.verify.fold import words
from bookbuild.verify.outputs import epub_documents

from .conftest import SAMPLE_BOOK

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("ebook-convert") is None, reason="calibre is not installed (make setup installs it)"),
]

CALIBRE_ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
NCX = {"n": "http://www.daisy.org/z3986/2005/ncx/"}


def calibre(*args: str) -> str:
    done = subprocess.run(args, env=CALIBRE_ENV, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("kindle")
    book_folder = folder / "book"
    shutil.copytree(SAMPLE_BOOK, book_folder)
    with (book_folder / "book.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[book]\nseries = "Tales of Vell"\nseries_index = "2"\n')
    result = CliRunner().invoke(main, ["build", str(book_folder), "-o", str(folder / "out"), "-q", "--format", "epub"])
    assert result.exit_code == 0, result.output
    [epub] = (folder / "out").glob("*.epub")
    azw3 = folder / "book.azw3"
    log = calibre("ebook-convert", str(epub), str(azw3))
    text = folder / "book.txt"
    calibre("ebook-convert", str(azw3), str(text))
    back = folder / "back.epub"
    calibre("ebook-convert", str(azw3), str(back))
    meta = calibre("ebook-meta", str(azw3), f"--get-cover={folder / 'cover.jpg'}")
    epub_meta = calibre("ebook-meta", str(epub))
    return {"epub": epub, "log": log, "text": text.read_text(encoding="utf-8"), "back": back, "meta": meta,
            "epub_meta": epub_meta, "cover": folder / "cover.jpg"}


def chapter_titles(epub: Path) -> list[str]:
    nav = etree.fromstring(zipfile.ZipFile(epub).read("EPUB/nav.xhtml"))
    return [" ".join("".join(a.itertext()).split()) for a in nav.xpath("//*[@*[local-name()='type']='toc']//*[local-name()='a']")]


def test_calibre_finds_each_chapter_once(converted) -> None:
    detected = re.findall(r"Detected chapter: (.*)", converted["log"])
    assert detected and len(detected) == len(set(detected)), detected


def test_the_conversion_logs_no_warning_or_error(converted) -> None:
    assert not re.search(r"(?im)^\s*(warning|error)\b", converted["log"]), converted["log"][-3000:]


def test_every_word_of_the_epub_reaches_the_kindle_book_in_order(converted) -> None:
    bodies = [doc.find("{*}body") for _name, doc in epub_documents(converted["epub"])]
    expected = [w for body in bodies for w in words(" ".join(body.itertext()))]
    got = iter(words(converted["text"]))
    missing = [w for w in expected if not any(g == w for g in got)]
    assert expected and missing == []


def test_one_contents_entry_per_chapter(converted) -> None:
    ncx = etree.fromstring(zipfile.ZipFile(converted["back"]).read("toc.ncx"))
    entries = [" ".join(t.split()) for t in ncx.xpath("//n:navPoint/n:navLabel/n:text/text()", namespaces=NCX)]
    for title in chapter_titles(converted["epub"]):
        assert entries.count(title) == 1, (title, entries)


def test_title_author_and_cover_survive_and_calibre_reads_the_series(converted) -> None:
    for meta in (converted["meta"], converted["epub_meta"]):
        assert re.search(r"Title\s*: The Lamplighter’s Ledger", meta)
        assert re.search(r"Author\(s\)\s*: Wren Hollis", meta)
    # AZW3 has no series field (MOBI's EXTH records none): calibre, and a Kindle library, read
    # it from the EPUB, where it must be right.
    assert re.search(r"Series\s*: Tales of Vell #2", converted["epub_meta"])
    assert converted["cover"].stat().st_size > 10_000
