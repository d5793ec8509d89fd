"""Line breaks remembered and broken ahead (writers/pdf/line_breaks.py): the layout is the same."""

from __future__ import annotations

import pytest

from bookbuild.writers import beside
from bookbuild.writers.pdf import line_breaks
from bookbuild.writers.pdf.pagelines import read_pages
from bookbuild.writers.pdf.render import render_html

from .pdf_support import sample_print_markup


@pytest.fixture(scope="module")
def laid_out():
    markup, css = sample_print_markup(2, 40, 5)
    return markup, css, render_html(markup, css)


def _lines(document) -> list[list[tuple]]:
    return [[(line.key, round(line.top, 2), round(line.width, 2), line.text) for line in page.lines]
            for page in read_pages(document)]


class _Patient:
    """The other process, waited for at the first line wanted: every line it breaks is taken."""

    def __init__(self, work, talking=False):
        self.process = beside.start(work, talking)
        self.stop = self.process.stop
        self.receive = self.process.receive
        self.result = self.process.result

    def ready(self) -> bool:
        return True

    @property
    def finished(self) -> bool:
        return self.process.finished


@pytest.mark.skipif(not beside.available(), reason="needs fork")
@pytest.mark.parametrize("fork", [_Patient, beside.start])
def test_lines_broken_ahead_in_another_process_lay_the_book_out_the_same(laid_out, fork):
    markup, css, plain = laid_out
    with line_breaks.remembered():
        ahead = render_html(markup, css, fork=fork)
        taken = line_breaks.lines_taken()
    if fork is _Patient:
        assert taken > 100  # the later paragraphs' lines all came from the other process
    assert _lines(ahead) == _lines(plain)
    assert [sorted(page.anchors) for page in ahead.pages] == [sorted(page.anchors) for page in plain.pages]


def test_a_remembered_layout_of_the_same_markup_is_the_same(laid_out):
    markup, css, plain = laid_out
    with line_breaks.remembered():
        first = render_html(markup, css)
        again = render_html(markup, css)
    assert _lines(first) == _lines(plain) == _lines(again)


def test_a_failed_process_leaves_every_line_to_be_broken_here(laid_out):
    markup, css, plain = laid_out

    def failing(_work, talking=False):
        raise OSError("no process to spare")

    with line_breaks.remembered():
        document = render_html(markup, css, fork=failing)
        assert line_breaks.lines_taken() == 0
    assert _lines(document) == _lines(plain)
