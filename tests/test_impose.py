"""Imposition for home binding: folding order, padding, and the pages where they land on paper."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookbuild.errors import ConfigError
from bookbuild.writers.pdf.impose import SHEETS, Sheet, folding_order, impose, padded_count, parse_impose


def reading_order(signature: list[Sheet]) -> list[int | None]:
    """The pages of a folded signature as a reader turns them.

    Nested sheets folded together: the right halves of the sheets, outermost first, carry a page
    on the front (recto) then on the back (verso); the left halves come after, innermost first,
    back before front. This models the paper, independently of how the imposer computes it.
    """
    order: list[int | None] = []
    for sheet in signature:
        order += [sheet.front[1], sheet.back[0]]
    for sheet in reversed(signature):
        order += [sheet.back[1], sheet.front[0]]
    return order


def signatures(sheets: list[Sheet], per: int) -> list[list[Sheet]]:
    return [sheets[i : i + per] for i in range(0, len(sheets), per)]


@pytest.mark.parametrize(("spec", "value"), [("booklet", None), ("signatures:4", 4), ("Signatures:8", 8), ("signature:1", 1)])
def test_parse_impose(spec, value):
    assert parse_impose(spec) == value


@pytest.mark.parametrize("spec", ["", "folio", "signatures:", "signatures:0", "signatures:x", "signatures:99"])
def test_bad_impose_specs_raise_one_clear_error(spec):
    with pytest.raises(ConfigError, match="imposition"):
        parse_impose(spec)


def test_single_sheet_booklet_is_the_classic_four_one_two_three():
    assert folding_order(4, None) == [Sheet(front=(3, 0), back=(1, 2))]


@pytest.mark.parametrize(("pages", "mode", "expected"), [(16, None, 16), (40, None, 40), (16, 4, 16), (40, 4, 48), (1, 4, 16), (13, None, 16)])
def test_padding_fills_the_last_signature(pages, mode, expected):
    assert padded_count(pages, mode) == expected


@pytest.mark.parametrize("pages", [16, 40])
@pytest.mark.parametrize("mode", [None, 4])
def test_folded_signatures_read_in_order(pages, mode):
    sheets = folding_order(pages, mode)
    per = len(sheets) if mode is None else mode
    read = [page for group in signatures(sheets, per) for page in reading_order(group)]
    total = padded_count(pages, mode)
    assert read == [n if n < pages else None for n in range(total)]


@given(st.integers(min_value=1, max_value=400), st.one_of(st.none(), st.integers(min_value=1, max_value=12)))
def test_every_page_is_printed_once_and_signatures_read_in_order(pages, mode):
    sheets = folding_order(pages, mode)
    per = len(sheets) if mode is None else mode
    read = [page for group in signatures(sheets, per) for page in reading_order(group)]
    assert [p for p in read if p is not None] == list(range(pages))
    assert len(read) == padded_count(pages, mode)
    # Blanks only ever pad the end of the book.
    assert all(p is None for p in read[pages:])


def numbered_pdf(path: Path, pages: int) -> Path:
    """A 5×8 in PDF whose pages show their own numbers, made with WeasyPrint."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">P{n}</p>' for n in range(1, pages + 1))
    HTML(string=f"<style>@page {{ size: 5in 8in; margin: 1in }}</style>{body}").write_pdf(path)
    return path


def placed_numbers(path: Path, side: int, width: float, height: float) -> tuple[int | None, int | None]:
    """Which book page shows on the left and on the right half of an imposed sheet side."""
    halves = []
    for x in (0, width / 2):
        # pdftotext reads only the text inside the crop rectangle given in points.
        crop = ["-x", str(int(x)), "-y", "0", "-W", str(int(width / 2)), "-H", str(int(height))]
        page = ["-f", str(side), "-l", str(side), "-r", "72"]
        text = subprocess.run(["pdftotext", *page, *crop, str(path), "-"], capture_output=True, text=True, check=True).stdout
        labels = re.findall(r"P(\d+)", text)
        assert len(labels) <= 1, labels
        halves.append(int(labels[0]) if labels else None)
    return halves[0], halves[1]


@pytest.fixture(scope="module")
def numbered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("impose")
    return {n: numbered_pdf(folder / f"book-{n}.pdf", n) for n in (16, 40)}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize("pages", [16, 40])
@pytest.mark.parametrize(("spec", "mode"), [("booklet", None), ("signatures:4", 4)])
def test_imposed_pdf_puts_each_page_where_the_fold_needs_it(numbered, tmp_path, pages, spec, mode):
    target = tmp_path / "imposed.pdf"
    impose(numbered[pages], target, spec)
    expected = [side for sheet in folding_order(pages, mode) for side in (sheet.front, sheet.back)]
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) == len(expected) == padded_count(pages, mode) // 2
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    for number, (left, right) in enumerate(expected, start=1):
        as_numbers = tuple(None if n is None else n + 1 for n in (left, right))
        assert placed_numbers(target, number, width, height) == as_numbers


@pytest.mark.parametrize("sheet", sorted(SHEETS))
def test_sheets_are_landscape_letter_or_a4_and_pages_stay_actual_size(numbered, tmp_path, sheet):
    target = tmp_path / "imposed.pdf"
    impose(numbered[16], target, "booklet", sheet=sheet)
    with pikepdf.open(target) as pdf:
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
        assert (width, height) == pytest.approx(SHEETS[sheet])
        # The placed pages keep their 5 × 8 in size: no placement matrix scales them.
        scales = [
            float(operands[0])
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
            if str(operator) == "cm"
        ]
        assert scales and all(scale == pytest.approx(1.0) for scale in scales)


def test_marks_can_be_left_off(numbered, tmp_path):
    with_marks, without = tmp_path / "a.pdf", tmp_path / "b.pdf"
    impose(numbered[16], with_marks, "booklet", marks=True)
    impose(numbered[16], without, "booklet", marks=False)

    def strokes(path: Path) -> int:
        with pikepdf.open(path) as pdf:
            return sum(
                1
                for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
                if str(operator) == "s"
            )

    assert strokes(with_marks) >= 2
    assert strokes(without) == 0
