"""Predicting page breaks after a paragraph gains or loses a line (writers/pdf/reflow.py)."""

from __future__ import annotations

from bookbuild.writers.pdf.pagelines import Line, Page
from bookbuild.writers.pdf.reflow import predict, stretch

PITCH = 10.0
ROOM = 10  # lines on a full page


def book(*pages: list[tuple[int, int]], gap_before: int | None = None) -> list[Page]:
    """Pages of plain paragraphs: each page lists (paragraph number, its lines on this page).

    ``gap_before`` leaves a line's room (a scene break) above that paragraph's first line.
    """
    totals: dict[int, int] = {}
    for page in pages:
        for number, count in page:
            totals[number] = totals.get(number, 0) + count
    seen: dict[int, int] = {}
    found = []
    for index, page in enumerate(pages):
        laid = Page(index, index % 2 == 0, 0.0, ROOM * PITCH)
        top = 0.0
        for number, count in page:
            if number == gap_before and seen.get(number, 0) == 0:
                top += PITCH
            for _ in range(count):
                at = seen.get(number, 0)
                laid.lines.append(Line(("s001", number), "s001", top, top + PITCH, "words", 100.0, index=at,
                                       last=at == totals[number] - 1))
                seen[number] = at + 1
                top += PITCH
        found.append(laid)
    return found


def shortfalls(pages: list[Page]) -> list[int]:
    return [ROOM - round(page.lines[-1].bottom / PITCH) for page in pages]


# A verso one line short: the two-line paragraph 4 could not be split 1/1 and went over.
VERSO_SHORT = book([(1, 4), (2, 3), (3, 2)], [(4, 2), (5, 4), (6, 4)], [(7, 4), (8, 6)], [(8, 2), (9, 8)])


def test_the_pages_as_laid_out_are_predicted():
    found = stretch(VERSO_SHORT, 0, 2, PITCH)
    assert found is not None and found.rooms == [ROOM, ROOM]
    assert predict(found) == shortfalls(VERSO_SHORT[:2]) == [1, 0]


def test_a_paragraph_a_line_shorter_takes_the_next_paragraph_in():
    found = stretch(VERSO_SHORT, 0, 2, PITCH)
    # Paragraph 2 a line shorter: the verso has room for paragraph 4; the recto then takes
    # two of paragraph 7's four lines into its two free lines.
    assert predict(found, {("s001", 2): -1}) == [0, 0]


def test_a_paragraph_a_line_longer_can_be_split_where_it_could_not():
    # A recto two lines short: paragraph 4's three lines cannot be split 2/1.
    pages = book([(1, 5), (2, 3)], [(4, 3), (5, 7)], [(5, 1), (6, 9)])
    found = stretch(pages, 0, 1, PITCH)
    assert predict(found) == [2]
    assert predict(found, {("s001", 4): 1}) == [0]  # four lines split 2/2


def test_the_widow_rule_keeps_two_lines_for_the_next_page():
    # Paragraph 2's four lines split 2/2: three would fit, but one alone may not go on.
    pages = book([(1, 7), (2, 2)], [(2, 2), (3, 8)], [(3, 2), (4, 8)])
    found = stretch(pages, 0, 1, PITCH)
    assert predict(found) == [1]
    assert predict(found, {("s001", 2): 1}) == [0]  # five lines split 3/2
    assert predict(found, {("s001", 1): -1}) == [0]  # all four fit


def test_what_cannot_be_known_is_none():
    # A scene break above paragraph 2: the lines from there on are not predicted.
    pages = book([(1, 5), (2, 4)], [(2, 2), (4, 8)], [(5, 10)], gap_before=2)
    found = stretch(pages, 0, 1, PITCH)
    assert found is not None and predict(found) is None
    # Nor a page that does not start at the top of its text block.
    pages = book([(1, 5), (2, 4)], [(4, 2), (5, 8)], [(6, 10)], gap_before=4)
    assert stretch(pages, 0, 2, PITCH) is None
    # A paragraph only partly in the stretch cannot change.
    pages = book([(1, 10)], [(1, 2), (2, 8)], [(2, 1), (3, 9)])
    assert predict(stretch(pages, 1, 1, PITCH), {("s001", 1): -1}) is None
