"""Level spreads (writers/pdf/balance.py): every running-on page full, one rule at a time."""

from __future__ import annotations

import os

import pytest
from lxml import html as lxml_html

from bookbuild.config import BuildConfig
from bookbuild.writers import beside
from bookbuild.writers.pdf import balance, interior
from bookbuild.writers.pdf.balance import MAX_TRACKING, Change, apply_changes, find_problems
from bookbuild.writers.pdf.geometry import gutter_for, page_geometry
from bookbuild.writers.pdf.hyphenation import PROTECT_CLASS
from bookbuild.writers.pdf.pagelines import Line, Page, read_pages, shortfall
from bookbuild.writers.pdf.print_html import book_html
from bookbuild.writers.pdf.render import render_html, stylesheet

from .pdf_support import sample_book

PITCH = 10.0


def page(number: int, lines: int, section: str = "s001", right: bool = False, last_text: str = "words") -> Page:
    found = Page(number, right, 0.0, 100.0)
    for index in range(lines):
        text = last_text if index == lines - 1 else "words"
        found.lines.append(Line((section, number), section, index * PITCH, (index + 1) * PITCH, text, 50.0))
    return found


def test_shortfall_counts_whole_lines_above_the_full_block():
    assert shortfall(page(0, 10), PITCH) == 0
    assert shortfall(page(0, 8), PITCH) == 2


def test_only_running_on_pages_must_be_full():
    pages = [page(0, 7, right=True), page(1, 8), page(2, 4, right=True)]  # the chapter ends on page 3
    assert find_problems(pages, PITCH).short == [(0, 3), (1, 2)]


def test_a_page_one_line_short_is_right_when_its_facing_page_is_too():
    level = [page(0, 10, right=True), page(1, 9), page(2, 9, right=True), page(3, 10), page(4, 2, right=True)]
    assert find_problems(level, PITCH).short == []
    uneven = [page(0, 10, right=True), page(1, 9), page(2, 10, right=True), page(3, 10), page(4, 2, right=True)]
    assert find_problems(uneven, PITCH).short == [(1, 1)]
    opening = [page(0, 9, right=True), page(1, 10), page(2, 2, right=True)]  # no page faces the opening
    assert find_problems(opening, PITCH).short == []


def test_a_hyphen_at_the_foot_of_a_right_hand_page_is_a_problem_not_on_a_left_one():
    pages = [page(0, 10, last_text="compli\u2010"), page(1, 10, right=True, last_text="compli\u2010"), page(2, 3)]
    problems = find_problems(pages, PITCH)
    assert [number for number, _line in problems.split_lines] == [1]


def test_a_third_hyphenated_line_in_a_row_is_a_problem():
    pages = [page(0, 10)]
    for line in pages[0].lines[2:5]:
        line.text = "a broken\u2010"
    pages[0].lines[4].key = ("s001", 9)
    assert [line.top for _n, line in find_problems(pages, PITCH).split_lines] == [40.0]


def test_changes_are_written_on_the_paragraph_they_name():
    markup = ('<html><body><section id="s001"><h1>One</h1><p>First paragraph.</p>'
              '<p>The complicated word and the complicated end.</p></section></body></html>')
    changed = apply_changes(markup, {("s001", 1): Change(tracking=0.012, widows=3, keep_whole=(("complicated", 1),))})
    paragraph = lxml_html.document_fromstring(changed).findall(".//p")[1]
    assert paragraph.get("style") == "letter-spacing: 0.012em; widows: 3"
    spans = paragraph.findall("span")
    assert [s.text for s in spans] == ["complicated"] and spans[0].get("class") == PROTECT_CLASS
    assert spans[0].tail == " end."  # the second occurrence, not the first
    assert paragraph.text_content() == "The complicated word and the complicated end."


def _problems(book, cfg):
    interior.forget_layout()
    document, _geometry = interior.layout(book, cfg)
    pages = read_pages(document)
    heights = [round(line.bottom - line.top, 2) for p in pages for line in p.lines]
    return find_problems(pages, max(set(heights), key=heights.count))


def test_balancing_fills_short_pages_of_a_laid_out_book(monkeypatch):
    book = sample_book(chapters=3, paragraphs=40, scene_breaks=2)
    cfg = BuildConfig(trim="5x8")
    monkeypatch.setattr(balance, "ROUNDS", 1)  # the natural layout: no balancing round
    natural = _problems(book, cfg)
    monkeypatch.undo()
    levelled = _problems(book, cfg)
    assert natural.short, "the sample should have short pages to fill"
    assert sum(s for _n, s in levelled.short) < sum(s for _n, s in natural.short)
    assert levelled.split_lines == []
    changes = interior.adjustments(book, cfg)
    assert changes and all(abs(c["tracking"]) <= MAX_TRACKING and c["why"] for c in changes)
    interior.forget_layout()


# --- changes that run on into the following pages (reflow.py predicts them) ---------------------

MEASURE = 400.0
WORDS = "many words of text " * 4  # 76 characters, a full line


def laid_out(*pages: list[tuple[int, int, float]]) -> list[Page]:
    """Pages of plain paragraphs in one section: (paragraph, its lines here, its last line's width)."""
    totals: dict[int, int] = {}
    for laid in pages:
        for number, count, _width in laid:
            totals[number] = totals.get(number, 0) + count
    seen: dict[int, int] = {}
    found = []
    for index, laid in enumerate(pages):
        current = Page(index, index % 2 == 0, 0.0, 100.0)
        for number, count, width in laid:
            for _ in range(count):
                at = seen.get(number, 0)
                last = at == totals[number] - 1
                top = len(current.lines) * PITCH
                current.lines.append(Line(("s001", number), "s001", top, top + PITCH, WORDS,
                                          width if last else MEASURE, font_size=16.0, index=at, last=last))
                seen[number] = at + 1
        found.append(current)
    return found


def test_a_short_verso_facing_a_full_recto_is_levelled_by_a_paragraph_a_line_shorter():
    # The verso (page 1) ends a line short: paragraph 5's two lines could not be split 1/1.
    # Paragraph 3's last line is one word, the others' half full: only 3 can change in the limit.
    pages = laid_out([(0, 10, 200.0)], [(1, 2, 200.0), (2, 3, 200.0), (3, 4, 40.0)],
                     [(5, 2, 200.0), (6, 4, 200.0), (7, 4, 200.0)], [(8, 4, 200.0), (9, 6, 200.0)],
                     [(9, 2, 200.0), (10, 8, 200.0)])
    pitch = PITCH
    assert find_problems(pages, pitch).short == [(1, 1)]
    by_paragraph = balance._paragraph_lines(pages)
    plain = set(by_paragraph)
    moves = balance._moves(pages, 1, by_paragraph, MEASURE, plain, {}, set(), pitch)
    assert moves, "a paragraph a line shorter levels the spread"
    assert moves[0] == ((("s001", 3), -1, moves[0][0][2]),)
    assert all(step < 0 for step in moves[0][0][2])
    assert all(move[0][:2] == (("s001", 3), -1) for move in moves)  # the others cannot, alone
    # What was probed is not proposed again.
    again = balance._moves(pages, 1, by_paragraph, MEASURE, plain, {}, {(("s001", 3), -1)}, pitch)
    assert all(part[:2] != (("s001", 3), -1) for move in again for part in move)


def test_a_move_is_made_only_when_the_probe_confirms_every_paragraph_of_it():
    pages = laid_out([(1, 3, 50.0), (2, 3, 50.0)])
    by_paragraph = balance._paragraph_lines(pages)
    two = [Line(None, None, 0, 1, "a full line", MEASURE), Line(None, None, 1, 2, "end", 20.0)]
    three = [*two, Line(None, None, 2, 3, "end", 20.0)]
    pair = ((("s001", 1), -1, (-0.01,)), (("s001", 2), -1, (-0.01,)))
    outcome = balance.Outcome.probed([(("s001", 1), Change(tracking=-0.01), two),
                                      (("s001", 2), Change(tracking=-0.01), three)])
    changes: dict = {}
    assert not balance._move([pair], outcome, by_paragraph, changes, 1) and changes == {}
    outcome = balance.Outcome.probed([(("s001", 1), Change(tracking=-0.01), two),
                                      (("s001", 2), Change(tracking=-0.01), two)])
    assert balance._move([pair], outcome, by_paragraph, changes, 1)
    assert set(changes) == {("s001", 1), ("s001", 2)} and all("shorter" in c.why for c in changes.values())


def test_tighter_letters_keep_the_word_spaces():
    change = balance._tightened(-0.012, "html { word-spacing: -0.03em; }")
    assert change.tracking == -0.012 and change.word_spacing == -0.006  # -0.03 + 2 x 0.012
    markup = '<html><body><section id="s001"><p>One.</p><p>Two words.</p></section></body></html>'
    paragraph = lxml_html.document_fromstring(apply_changes(markup, {("s001", 1): change})).findall(".//p")[1]
    assert paragraph.get("style") == "letter-spacing: -0.012em; word-spacing: -0.006em"


def test_a_spread_nothing_on_it_levels_may_be_levelled_from_the_page_before():
    # The recto (page 2) ends a line short; no paragraph of its spread can change within the
    # limit, but paragraph 1 on the opening page before it can take a line more: paragraph 2
    # goes over to the verso, which passes two lines of paragraph 5 on, and both end a line short.
    pages = laid_out([(0, 6, 100.0), (1, 3, 380.0), (2, 1, 200.0)],
                     [(3, 2, 200.0), (4, 4, 200.0), (5, 4, 200.0)],
                     [(6, 3, 200.0), (7, 4, 200.0), (8, 2, 200.0)],
                     [(9, 3, 200.0), (10, 7, 200.0)], [(10, 2, 200.0), (11, 8, 200.0)])
    assert find_problems(pages, PITCH).short == [(2, 1)]
    by_paragraph = balance._paragraph_lines(pages)
    moves = balance._moves(pages, 2, by_paragraph, MEASURE, set(by_paragraph), {}, set(), PITCH)
    assert moves and moves[0][0][:2] == (("s001", 1), 1)
    assert all(any(key[1] <= 2 for key, _delta, _steps in move) for move in moves)  # a change on page 0


def _probe_trials():
    """A sample chapter's markup and stylesheet, six of its paragraphs and three trials of each."""
    book = sample_book(chapters=1, paragraphs=10)
    cfg = BuildConfig(trim="5x8")
    markup = book_html(book, cfg.drop_caps)
    css = stylesheet(page_geometry(cfg, gutter_for(0)), book, cfg)
    keys = sorted(balance._markup_paragraphs(lxml_html.document_fromstring(markup)))[2:8]
    trials = [(key, change) for key in keys
              for change in (Change(tracking=0.008), Change(tracking=0.025), balance._tightened(-0.012, css))]
    return markup, css, keys, trials


def _shapes(results) -> list[list[tuple[str, float, float]]]:
    """What the planner reads of each probed line (its width and spacing to a millionth of a
    pixel: sums of glyph positions differ in the last bits from one place on a page to another)."""
    return [[(line.text, round(line.width, 6), round(line.spacing, 6)) for line in lines] for lines in results]


def test_a_probe_shared_with_another_process_gives_each_trial_its_own_lines():
    markup, css, _keys, trials = _probe_trials()
    assert len(trials) >= balance.MIN_SHARED_TRIALS
    alone = balance._probe(markup, css, render_html, trials)
    shared = balance._probe_shared(markup, css, render_html, trials, beside.start)
    assert all(alone) and _shapes(shared) == _shapes(alone)


def test_a_paragraph_probed_on_demand_is_set_as_when_every_trial_is_probed_at_once():
    # The planner probes a paragraph's trials only when it asks about that paragraph (most
    # planned run-on moves are never asked about); its lines must not depend on which other
    # paragraphs share the probe document.
    markup, css, keys, trials = _probe_trials()
    everything = balance._probe(markup, css, render_html, trials)
    assert all(everything)
    probed: list[int] = []

    def counting(html: str, sheet: str, reuse=None):
        probed.append(html.count('id="probe'))
        return render_html(html, sheet, reuse)

    outcome = balance.Outcome(markup, css, counting, trials)
    outcome.want(keys[:2])
    assert probed == [6] and outcome.ready(keys[1]) and not outcome.ready(keys[2])
    for key in reversed(keys):
        expected = [(change, shape) for (trial, change), shape in zip(trials, _shapes(everything), strict=True)
                    if trial == key]
        found = outcome.get(key)
        assert list(zip([change for change, _lines in found], _shapes(lines for _change, lines in found),
                        strict=True)) == expected
    assert probed == [6, 3, 3, 3, 3]


def test_a_probe_failing_here_stops_and_waits_for_its_other_half():
    markup, css, _keys, trials = _probe_trials()
    here = os.getpid()
    started = []

    def fork(work):
        started.append(beside.start(work))
        return started[-1]

    def failing_here(html: str, sheet: str, reuse=None):
        if os.getpid() == here:
            raise RuntimeError("layout failed")
        return render_html(html, sheet, reuse)

    with pytest.raises(RuntimeError, match="layout failed"):
        balance._probe_shared(markup, css, failing_here, trials, fork)
    assert len(started) == 1 and started[0].pid == 0  # the forked half was waited for
