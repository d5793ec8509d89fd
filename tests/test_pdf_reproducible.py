"""The same book gives the same PDF bytes, build after build (a print shop can diff two runs)."""

from __future__ import annotations

import hashlib

import pikepdf
import pytest

from bookbuild.cache import PartCache
from bookbuild.config import BuildConfig
from bookbuild.writers.pdf import parallel as pdf_parallel
from bookbuild.writers.pdf.impose import impose
from bookbuild.writers.pdf.interior import forget_layout, write_pdf
from bookbuild.writers.pdf.parallel import write_parallel

from .pdf_support import sample_book


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["", "pdf/x-4"])
def test_two_builds_of_one_book_are_byte_identical(tmp_path, variant):
    book = sample_book(chapters=2, paragraphs=8, note=True)
    digests = []
    for run in ("first", "second"):
        forget_layout()  # lay the book out afresh, as a new process would
        target = tmp_path / f"{run}.pdf"
        write_pdf(book, target, BuildConfig(trim="5x8", pdf_variant=variant))
        digests.append(hashlib.sha256(target.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


@pytest.mark.slow
def test_a_book_rendered_in_parts_joins_into_the_same_bytes_each_time(tmp_path, monkeypatch):
    book = sample_book(chapters=4, paragraphs=6, note=True)
    # Small parts of two sections each, so the join and its folio stamping run on a short book.
    monkeypatch.setattr(pdf_parallel, "PART_WORDS", 1)
    monkeypatch.setattr(
        pdf_parallel, "plan_parts", lambda b: [range(i, min(i + 2, 5)) for i in range(0, 5, 2)]
    )
    digests = []
    for run in ("first", "second"):
        target = tmp_path / f"{run}.pdf"
        cfg = BuildConfig(trim="5x8", pdf_variant="pdf/x-4")
        # A fresh cache each time: both runs render every part in new worker processes.
        write_parallel(book, target, cfg, PartCache(tmp_path / f"cache-{run}"), workers=2)
        digests.append(hashlib.sha256(target.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    with pikepdf.open(tmp_path / "first.pdf") as pdf:
        assert pdf.check_pdf_syntax() == []
        names = {str(name) for page in pdf.pages for name in page.obj.Resources.get("/XObject", {}).keys()}
        assert any(name.startswith("/Folio") for name in names), "folios are laid under fixed names"


def test_imposing_one_interior_twice_gives_the_same_bytes(tmp_path):
    interior = tmp_path / "interior.pdf"
    forget_layout()
    write_pdf(sample_book(chapters=2, paragraphs=6), interior, BuildConfig(trim="5x8"))
    for run in ("first", "second"):
        impose(interior, tmp_path / f"{run}.pdf", "signatures:2")
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
