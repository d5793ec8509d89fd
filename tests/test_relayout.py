"""Relayout (writers/pdf/relayout.py): re-making only the changed pages gives the whole layout."""

from __future__ import annotations

import pytest

from bookbuild.writers.pdf.balance import Change, _reuse, apply_changes
from bookbuild.writers.pdf.pagelines import read_pages
from bookbuild.writers.pdf.render import render_html

from .pdf_support import sample_print_markup


@pytest.fixture(scope="module")
def laid_out():
    return sample_print_markup(3, 36, 11)


def _lines(document) -> list[list[tuple]]:
    return [[(line.key, round(line.top, 2), round(line.width, 2), line.text) for line in page.lines]
            for page in read_pages(document)]


def _margins(document) -> list[list[str]]:
    """Each page's running head and folio: what its margin boxes print."""
    from weasyprint.formatting_structure import boxes

    return [[" ".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
             for box in page._page_box.children if isinstance(box, boxes.MarginBox)]
            for page in document.pages]


def _anchors(document) -> list[list[str]]:
    return [sorted(page.anchors) for page in document.pages]


def _keys(pages, every: int) -> list[tuple[str, int]]:
    """A paragraph from every ``every``-th page, one that runs on from the page before where
    there is one (its change then reaches back a page)."""
    keys = []
    for page in pages[3::every]:
        plain = [line for line in page.lines if line.key and line.key[1] > 0]
        if plain:
            keys.append(plain[0].key)
    return keys


def _long_word(lines, key) -> tuple[str, int]:
    words = [w.strip(".,;:!?\u2060—") for line in lines for w in line.text.split() if line.key == key]
    return max(words, key=len), 0


def _changes(kind: str, pages) -> dict[tuple[str, int], Change]:
    keys = _keys(pages, 4)
    assert len(keys) >= 3
    lines = [line for page in pages for line in page.lines]
    if kind == "tracking":
        return {key: Change(tracking=0.02) for key in keys}
    if kind == "widows":
        return {key: Change(widows=4) for key in keys}
    if kind == "keep_whole":
        return {keys[0]: Change(keep_whole=(_long_word(lines, keys[0]),))}
    return {keys[0]: Change(tracking=0.012), keys[1]: Change(widows=3), keys[2]: Change(tracking=-0.005, widows=2)}


@pytest.mark.parametrize("kind", ["tracking", "widows", "keep_whole", "mixed"])
def test_a_relayout_is_the_whole_layout_of_the_changed_markup(laid_out, kind):
    markup, css = laid_out
    first = render_html(markup, css)
    pages = read_pages(first)
    changes = _changes(kind, pages)
    changed = apply_changes(markup, changes)
    again = render_html(changed, css, _reuse(first, pages, {}, changes))
    whole = render_html(changed, css)
    assert _lines(again) == _lines(whole)
    assert _anchors(again) == _anchors(whole)
    assert _margins(again) == _margins(whole) and any(any(texts) for texts in _margins(whole))
    # Pages were kept, not all made again (else this tested the fallback).
    assert any(page in first.pages for page in again.pages)


def test_undoing_changes_in_place_gives_back_the_natural_layout(laid_out):
    markup, css = laid_out
    first = render_html(markup, css)
    natural = _lines(first)
    pages = read_pages(first)
    changes = _changes("mixed", pages)
    changed = render_html(apply_changes(markup, changes), css, _reuse(first, pages, {}, changes))
    assert _lines(changed) != natural
    back = render_html(markup, css, _reuse(changed, read_pages(changed), changes, {}))
    assert _lines(back) == natural


def test_restyling_one_paragraph_leaves_its_lookalikes_alone(laid_out):
    """WeasyPrint shares one style among paragraphs styled alike; only the named one changes."""
    markup, css = laid_out
    first = render_html(markup, css)
    pages = read_pages(first)
    key = _keys(pages, 4)[0]
    again = render_html(apply_changes(markup, {key: Change(tracking=0.03)}), css,
                        _reuse(first, pages, {}, {key: Change(tracking=0.03)}))
    spaced = {line.key for page in read_pages(again) for line in page.lines
              if line.key and line.text and _letter_spacing(again, line.key)}
    assert spaced == {key}


def _letter_spacing(document, key) -> float:
    kept = document.bookbuild_layout
    value = kept.paragraphs[key][0].style["letter_spacing"]
    return 0.0 if value == "normal" else value
