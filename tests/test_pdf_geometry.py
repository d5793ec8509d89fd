"""Trim sizes, the page-count gutter table and the spine width."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookbuild.errors import ConfigError
from bookbuild.writers.pdf.geometry import (
    GUTTERS,
    TRIMS,
    WIDE_GUTTER,
    PageGeometry,
    gutter_for,
    parse_trim,
    spine_width,
)


@pytest.mark.parametrize(
    ("name", "size"),
    [("5x8", (5.0, 8.0)), ("5.5x8.5", (5.5, 8.5)), ("6x9", (6.0, 9.0)), ("pocket", (4.25, 6.87))],
)
def test_named_trims(name, size):
    assert parse_trim(name) == size


def test_every_named_trim_parses_in_any_case():
    for name, size in TRIMS.items():
        assert parse_trim(name.upper()) == size


def test_b_format_is_129_by_198_mm():
    width, height = parse_trim("b-format")
    assert round(width * 25.4) == 129 and round(height * 25.4) == 198


@pytest.mark.parametrize(("spec", "size"), [("4x7", (4.0, 7.0)), ("4.5 × 7.25", (4.5, 7.25)), ("7x10in", (7.0, 10.0))])
def test_custom_trims_in_inches(spec, size):
    assert parse_trim(spec) == size


def test_custom_trim_in_millimetres():
    width, height = parse_trim("148x210mm")
    assert width == pytest.approx(148 / 25.4) and height == pytest.approx(210 / 25.4)


@pytest.mark.parametrize("spec", ["", "huge", "5x", "1x1", "30x40", "5x8cm"])
def test_bad_trims_raise_one_clear_error(spec):
    with pytest.raises(ConfigError, match="trim size"):
        parse_trim(spec)


@pytest.mark.parametrize(
    ("pages", "gutter"),
    [(1, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (500, 0.625), (501, 0.75), (700, 0.75), (701, 0.875), (2000, 0.875)],
)
def test_gutter_follows_the_print_on_demand_table(pages, gutter):
    assert gutter_for(pages) == gutter


@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=5000))
def test_gutter_never_shrinks_as_pages_grow(a, b):
    low, high = sorted((a, b))
    assert gutter_for(low) <= gutter_for(high) <= WIDE_GUTTER


def test_gutter_table_is_ordered():
    limits = [limit for limit, _ in GUTTERS]
    assert limits == sorted(limits)


def test_spine_width_per_paper():
    assert spine_width(200, "white") == pytest.approx(0.4504)
    assert spine_width(200, "cream") == pytest.approx(0.5)


def test_unknown_paper_is_refused():
    with pytest.raises(ConfigError, match="paper"):
        spine_width(100, "glossy")


def test_margins_leave_a_text_block_on_every_named_trim():
    for width, height in TRIMS.values():
        geometry = PageGeometry(width, height, gutter_for(800))
        assert width - geometry.gutter - geometry.outer > 2.5
        assert height - geometry.top - geometry.bottom > 4.5
