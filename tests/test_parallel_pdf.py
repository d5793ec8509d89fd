"""The interior rendered in parts on worker processes reads exactly like one WeasyPrint pass."""

from __future__ import annotations

import dataclasses
import math

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from bookbuild.cache import PartCache
from bookbuild.config import BuildConfig
from bookbuild.model import Book, Meta, Paragraph, Role, Section, Text
from bookbuild.writers.pdf import gutter as pdf_gutter
from bookbuild.writers.pdf import parallel as pdf_parallel
from bookbuild.writers.pdf.geometry import PageGeometry, gutter_for
from bookbuild.writers.pdf.interior import layout
from bookbuild.writers.pdf.parallel import Request, plan_parts, write_parallel
from bookbuild.writers.pdf.render import pdf_options

from .pdf_support import sample_book

CFG = BuildConfig(trim="5x8")


@pytest.fixture(scope="module")
def book():
    # Chapters of different lengths, so some parts end on a right-hand page and need a blank verso.
    return sample_book(chapters=5, paragraphs=9, scene_breaks=2, note=True)


@pytest.fixture(scope="module")
def single(book, tmp_path_factory):
    path = tmp_path_factory.mktemp("single") / "book.pdf"
    document, _geometry = layout(book, CFG)
    document.write_pdf(path, **pdf_options(CFG.pdf_variant))
    return path


@pytest.fixture(scope="module")
def parallel(book, tmp_path_factory):
    folder = tmp_path_factory.mktemp("parallel")
    path = folder / "book.pdf"
    patch = pytest.MonkeyPatch()
    # Small parts: runs of two sections, so a part holds more than one opening.
    patch.setattr(pdf_parallel, "PART_WORDS", 1)
    patch.setattr(pdf_parallel, "plan_parts", lambda b: [range(i, min(i + 2, 6)) for i in range(0, 6, 2)])
    try:
        cache = PartCache(folder / "cache")
        write_parallel(book, path, CFG, cache, workers=2)
    finally:
        patch.undo()
    return path


def _outline(path):
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        found = []
        with pdf.open_outline() as outline:
            stack = [(item, 0) for item in reversed(outline.root)]
            while stack:
                item, depth = stack.pop()
                found.append((depth, item.title, pages[item.destination[0].objgen]))
                stack.extend((child, depth + 1) for child in reversed(item.children))
        return found


def _destinations(path):
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        names = pdf.Root.Names.Dests.Names
        return {str(names[i]): (pages[names[i + 1][0].objgen], round(float(names[i + 1][3]), 2))
                for i in range(0, len(names), 2)}


def _links(path):
    with pikepdf.open(path) as pdf:
        return [(index, str(annotation.Dest), [round(float(v), 2) for v in annotation.Rect])
                for index, page in enumerate(pdf.pages) for annotation in page.obj.get("/Annots", [])]


@pytest.mark.slow
def test_page_count_is_the_same(single, parallel):
    assert len(PdfReader(single).pages) == len(PdfReader(parallel).pages) > 20


@pytest.mark.slow
def test_every_page_reads_the_same_folio_running_head_and_text(single, parallel):
    one, parts = PdfReader(single), PdfReader(parallel)
    for number, (a, b) in enumerate(zip(one.pages, parts.pages, strict=True), start=1):
        assert a.extract_text().split() == b.extract_text().split(), f"page {number}"


@pytest.mark.slow
def test_folios_are_the_page_numbers(single, parallel):
    # The folio layer really prints numbers: body pages end with their own number, as in one pass.
    def numbered(path):
        pages = PdfReader(path).pages
        return [n for n, page in enumerate(pages, start=1) if page.extract_text().split()[-1:] == [str(n)]]

    assert numbered(parallel) == numbered(single)
    assert len(numbered(parallel)) >= 5


@pytest.mark.slow
def test_no_page_labels_differ(single, parallel):
    assert PdfReader(single).page_labels == PdfReader(parallel).page_labels


@pytest.mark.slow
def test_outline_is_the_same(single, parallel):
    assert _outline(single) == _outline(parallel)
    assert len(_outline(single)) >= 6


@pytest.mark.slow
def test_named_destinations_and_contents_links_are_the_same(single, parallel):
    assert _destinations(single) == _destinations(parallel)
    links = _links(parallel)
    assert links == _links(single)
    assert len({dest for _page, dest, _rect in links}) == 6  # every section listed in the contents


@pytest.mark.slow
def test_tag_tree_covers_every_page(parallel):
    with pikepdf.open(parallel) as pdf:
        root = pdf.Root.StructTreeRoot
        keys = {int(root.ParentTree.Nums[i]) for i in range(0, len(root.ParentTree.Nums), 2)}
        for page in pdf.pages:
            assert int(page.obj.StructParents) in keys
            for annotation in page.obj.get("/Annots", []):
                assert int(annotation.StructParent) in keys
        assert len(keys) == len(root.ParentTree.Nums) // 2  # no key given twice


@pytest.mark.slow
def test_the_epub_page_list_is_the_same(book, monkeypatch):
    from bookbuild.writers.pdf.pagemap import page_map_from_document

    one = page_map_from_document(book, layout(book, CFG)[0])
    monkeypatch.setattr(pdf_parallel, "plan_parts", lambda b: [range(i, min(i + 2, 6)) for i in range(0, 6, 2)])
    parts = pdf_parallel.page_map(book, dataclasses.replace(CFG, use_cache=False))
    assert len(one.starts) > 10
    assert parts == one


def _book_of(word_counts: list[int]) -> Book:
    sections = tuple(Section(Role.CHAPTER, (Paragraph((Text("word " * n),)),)) for n in word_counts)
    return Book(Meta(title="T"), sections)


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=8_000), min_size=1, max_size=60))
def test_parts_cover_every_section_once_in_order(word_counts):
    runs = plan_parts(_book_of(word_counts))
    assert [i for run in runs for i in run] == list(range(len(word_counts)))
    sizes = {len(run) for run in runs[:-1]}
    assert len(sizes) <= 1 and all(size & (size - 1) == 0 for size in sizes)  # one power of two


@given(st.integers(min_value=1, max_value=5000))
def test_folio_sheets_number_every_page_and_little_more(total):
    sheets = pdf_parallel.folio_sheets(total)
    numbered = [n for first, count in sheets for n in range(first, first + count)]
    assert numbered == list(range(1, len(numbered) + 1))  # in order, none twice, none skipped
    assert total <= len(numbered) < total + pdf_parallel.FOLIO_STEP
    # Whole sheets but the last, and every sheet starts on a right-hand (odd) page.
    assert all(count == pdf_parallel.FOLIO_SHEET for _first, count in sheets[:-1])
    assert all(first % 2 == 1 and count % 2 == 0 for first, count in sheets)


def test_a_part_still_laid_out_is_counted_at_the_finished_sections_pages_per_character():
    # The folio sheets are laid out on the worker the last parts leave idle, for the page count
    # this promises; the front matter counts as laid out, never by the sections' rate.
    requests = [Request("x" * 1000, "", True, "section"), Request("x" * 2000, "", True, "section"),
                Request("x" * 3000, "", True, "front")]
    assert pdf_parallel._likely_total(requests, [10, None, 4]) == 10 + 20 + 4
    assert pdf_parallel._likely_total(requests, [10, 19, 4]) == 33


def test_editing_one_chapter_moves_no_part_boundary():
    counts = [1000 + 37 * (i % 5) for i in range(40)]
    edited = list(counts)
    edited[17] += 400
    assert plan_parts(_book_of(counts)) == plan_parts(_book_of(edited))


def _one_pass_gutter(page_count) -> float:
    """The narrowest gutter that suits its page count: from the narrowest, widened until it suits."""
    gutter = gutter_for(0)
    for _ in range(10):
        wanted = gutter_for(page_count(gutter) + page_count(gutter) % 2)
        if wanted == gutter:
            break
        gutter = wanted
    return gutter


def _text_width(gutter: float) -> float:
    return 5.5 - gutter - PageGeometry(5.5, 8.5, gutter).outer


@settings(deadline=None)
@given(
    st.integers(min_value=4, max_value=40),
    st.integers(min_value=0, max_value=3000),
    st.sampled_from([0.375, 0.5, 0.625, 0.75, 0.875]),
    st.floats(min_value=0.0, max_value=0.08),
)
def test_the_gutter_suits_its_page_count_and_a_narrower_one_is_skipped_only_on_the_estimate(
    fixed, flowing, guess, wobble
):
    base = PageGeometry(5.5, 8.5, 0.375)

    def page_count(gutter: float) -> int:
        # Fixed pages plus text that grows as the text block narrows (and a little more).
        return fixed + math.ceil(flowing * _text_width(0.375) / _text_width(gutter) * (1 + wobble * (gutter - 0.375)))

    laid_out = []

    def counted(gutter: float) -> int:
        laid_out.append(gutter)
        return page_count(gutter)

    settled = pdf_gutter.settle(guess, base, counted)
    assert gutter_for(page_count(settled) + page_count(settled) % 2) == settled
    assert len(laid_out) == len(set(laid_out))  # never the same layout twice
    narrowest = _one_pass_gutter(page_count)
    assert settled >= narrowest
    if settled != narrowest:
        # Skipped only when a count laid out put it over its step: pages at a narrower gutter
        # as they are, at a wider one shrunk by the text blocks' widths' ratio.
        least = max(page_count(g) * (1 if g < narrowest else _text_width(g) / _text_width(narrowest))
                    for g in laid_out)
        assert gutter_for(math.floor(least) + math.floor(least) % 2) > narrowest


def test_a_good_guess_lays_a_long_book_out_once():
    base = PageGeometry(5.5, 8.5, 0.375)
    laid_out = []
    pdf_gutter.settle(0.875, base, lambda gutter: laid_out.append(gutter) or 3000)
    assert laid_out == [0.875]
    assert pdf_gutter.guess(1_000_000, base, 11) == 0.875
    assert pdf_gutter.guess(2_000, base, 11) == gutter_for(0)


def test_a_text_of_short_lines_is_guessed_from_its_lines_not_its_words():
    """50,000 one-word lines ran to 1,520 pages; guessed from the words as ~170, the book was
    laid out twice (35 s, then 41 s), the second time at the wider gutter."""
    base = PageGeometry(5.5, 8.5, 0.375)
    assert pdf_gutter.guess(50_000, base, 11) == 0.5  # the words alone
    assert pdf_gutter.guess(50_000, base, 11, blocks=50_000) == gutter_for(1520)
    # Prose, whose paragraphs fill several lines each, is still guessed from its words.
    assert pdf_gutter.guess(48_000, base, 11, blocks=2_400) == pdf_gutter.guess(48_000, base, 11)


def test_a_novel_just_over_the_first_step_is_laid_out_once():
    # 162 pages at the narrowest gutter, 166 at the next: the estimate rules the narrowest out.
    base = PageGeometry(5.5, 8.5, 0.375)
    laid_out = []

    def page_count(gutter: float) -> int:
        laid_out.append(gutter)
        return 12 + math.ceil(150 * _text_width(0.375) / _text_width(gutter))

    assert pdf_gutter.guess(48_000, base, 11) == 0.5
    assert pdf_gutter.settle(0.5, base, page_count) == 0.5
    assert laid_out == [0.5]


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["pdf/x-4", "pdf/ua-1"])
def test_a_pdf_variant_keeps_its_catalogue_and_metadata(variant, tmp_path):
    small = sample_book(chapters=2, paragraphs=4, scene_breaks=0)
    cfg = dataclasses.replace(CFG, pdf_variant=variant)
    single = tmp_path / "single.pdf"
    document, _geometry = layout(small, cfg)
    document.write_pdf(single, **pdf_options(variant))
    parts = tmp_path / "parts.pdf"
    write_parallel(small, parts, cfg, PartCache(tmp_path / "cache"), workers=1)
    with pikepdf.open(single) as one, pikepdf.open(parts) as joined:
        assert len(one.pages) == len(joined.pages)
        assert set(one.Root.keys()) == set(joined.Root.keys())
        assert dict(one.docinfo) == dict(joined.docinfo)
        # WeasyPrint gives every file it writes fresh random XMP ids; everything else must agree.
        def xmp(pdf):
            return {k: str(v) for k, v in pdf.open_metadata().items() if "DocumentID" not in k and "InstanceID" not in k}

        assert xmp(one) == xmp(joined)
        if "/OutputIntents" in one.Root:
            assert len(joined.Root.OutputIntents) == len(one.Root.OutputIntents)
