"""Golden files for whole outputs of the sample book: the model dump and the EPUB's XHTML.

A change in any reader, transform or the renderer shows here as a diff; when it is
intended, run ``pytest tests/test_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from bookbuild.inspect import report
from bookbuild.pages import NO_PAGES
from bookbuild.pipeline import process
from bookbuild.writers.epub.book import epub_bytes

from .conftest import SAMPLE_BOOK

FIXED_DATE = "1700000000"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_DATE)
    try:
        from bookbuild.cli import load_config

        cfg = load_config(SAMPLE_BOOK, None)
        yield process(SAMPLE_BOOK, cfg), cfg
    finally:
        monkeypatch.undo()


def test_model_dump_of_the_sample_book(sample, golden):
    result, _ = sample
    dump = json.dumps(report(result), ensure_ascii=False, indent=1, sort_keys=True)
    golden("sample/inspect.json", dump + "\n")


def test_epub_documents_of_the_sample_book(sample, golden):
    result, cfg = sample
    archive = zipfile.ZipFile(io.BytesIO(epub_bytes(result.book, cfg, NO_PAGES)))
    documents = sorted(n for n in archive.namelist() if n.endswith((".xhtml", ".opf", ".ncx")))
    assert any("chapter" in n for n in documents)
    for name in documents:
        golden(f"sample/epub/{name.rsplit('/', 1)[-1]}", archive.read(name).decode("utf-8"))
