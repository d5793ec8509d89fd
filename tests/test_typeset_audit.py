"""The book typesetter's audit (../shared/eval/typeset_audit.py) on the sample book's print edition:
no widows, orphans, uneven spreads, short pages, wrong or misplaced hyphens; hyphenation still on."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from bookbuild.config import BuildConfig
from bookbuild.pipeline import process
from bookbuild.writers.pdf.interior import write_pdf

from .conftest import EVAL, SAMPLE_BOOK

AUDIT = EVAL / "typeset_audit.py"
ZEROS = ("widows", "orphans", "unbalanced_spreads", "short_pages", "bad_splits", "proper_splits",
         "turn_splits", "ladders")


def audit(pdf) -> dict[str, float]:
    """The audit's figures for a PDF, from its one `typeset:` line."""
    done = subprocess.run([sys.executable, str(AUDIT), str(pdf), "--lang", "en_US"],
                          capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("typeset:"))
    return {key: float(value) for key, value in (pair.split("=") for pair in line.split()[1:])}


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    if not AUDIT.exists():
        pytest.skip(f"{AUDIT} not found (../shared is absent)")
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext)")
    pytest.importorskip("pyphen")
    cfg = BuildConfig()
    book = process(SAMPLE_BOOK, cfg).book
    target = tmp_path_factory.mktemp("audit") / "sample.pdf"
    write_pdf(book, target, cfg)
    return audit(target)


@pytest.mark.parametrize("name", ZEROS)
def test_the_sample_book_has_none(figures, name):
    assert figures[name] == 0, figures


def test_hyphenation_is_still_on(figures):
    assert 0.02 <= figures["splits"] / figures["lines"] <= 0.08, figures
