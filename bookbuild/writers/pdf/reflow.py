"""Predict how a stretch of laid-out pages breaks again when paragraphs on it gain or lose a line.

The balancer (balance.py) levels a spread that no tracking can fill by making a paragraph a line
shorter (the page then takes the next paragraph, which did not fit) or one a line longer (the
paragraph the widow and orphan rules kept off the page can then be split). Whether such a
change levels the spread depends on the paragraphs that follow, so it is worked out here from
the lines already laid out, the way WeasyPrint breaks pages: fill the page; a paragraph that
does not fit leaves at least ``WIDOWS`` lines for the next page and keeps at least ``ORPHANS``
on this one, or goes over whole. This costs no layout; the balancer's next round checks it.

Only a run of plain paragraphs is predicted: a heading, a scene break or any other gap between
lines, or a page that does not start at the top of its text block, ends what can be known, and
the prediction is ``None`` when it needs lines beyond that (or when it does not reproduce the
pages as they are laid out now).
"""

from __future__ import annotations

from dataclasses import dataclass

from bookbuild.writers.pdf.pagelines import Page

# base.css: `widows: 2; orphans: 2` on every paragraph.
WIDOWS = 2
ORPHANS = 2
# Lines closer than this (in CSS pixels) are set one under the other with nothing between.
TOUCHING = 0.5


@dataclass(slots=True)
class Run:
    """A paragraph's lines in the stretch: how many, and how many it has above the stretch."""

    key: tuple[str, int]
    lines: int
    before: int = 0


@dataclass(slots=True)
class Stretch:
    """Pages from ``first`` on: the room of each (in lines) and the paragraphs that flow into them."""

    first: int
    rooms: list[int]
    runs: list[Run]
    complete: bool  # the runs reach the section's end (no more lines to come)
    last_whole: bool  # the last run's paragraph ends in the stretch (its length is known)


def _full_bottom(page: Page, pitch: float) -> float:
    return page.top + int((page.bottom - page.top) / pitch + 0.01) * pitch


def stretch(pages: list[Page], first: int, count: int, pitch: float) -> Stretch | None:
    """The stretch of ``count`` pages from ``first``, with the lines of two more pages as supply."""
    if not 0 <= first < len(pages) or pitch <= 0:
        return None
    head = next((i for i, line in enumerate(pages[first].lines) if line.key is not None), None)
    if head is None:
        return None
    section = pages[first].lines[head].section
    rooms = [int((_full_bottom(pages[first], pitch) - pages[first].lines[head].top) / pitch + 0.01)]
    runs: list[Run] = []
    previous = None
    complete = True
    for number in range(first, min(len(pages), first + count + 2)):
        page = pages[number]
        lines = page.lines[head:] if number == first else page.lines
        if number > first:
            if not lines or lines[0].section != section:
                break  # the section ends: nothing more flows on
            if abs(lines[0].top - page.top) > TOUCHING:
                complete = False
                break
            if number < first + count:
                rooms.append(int((_full_bottom(page, pitch) - page.top) / pitch + 0.01))
        ended = False
        for line in lines:
            if line.key is None or (previous is not None and number == previous[0]
                                    and abs(line.top - previous[1].bottom) > TOUCHING):
                complete, ended = False, True
                break
            if runs and runs[-1].key == line.key:
                runs[-1].lines += 1
            else:
                runs.append(Run(line.key, 1, line.index))
            previous = (number, line)
        if ended:
            break
    else:
        complete = first + count + 2 >= len(pages) and complete
    if len(rooms) < count:
        return None
    last_whole = bool(runs) and previous is not None and previous[1].last
    return Stretch(first, rooms, runs, complete, last_whole)


def predict(found: Stretch, deltas: dict[tuple[str, int], int] | None = None) -> list[int] | None:
    """How many lines short each page of the stretch ends once each paragraph in ``deltas`` has
    that many more lines (``None``: it cannot be known from the lines at hand)."""
    deltas = deltas or {}
    runs = [Run(run.key, run.lines, run.before) for run in found.runs]
    for key, delta in deltas.items():
        matching = [i for i, run in enumerate(runs) if run.key == key]
        if not matching:
            return None
        index = matching[0]
        whole = runs[index].before == 0 and (index < len(runs) - 1 or found.last_whole)
        if not whole or runs[index].lines + delta < 1:
            return None  # only a paragraph wholly in the stretch is known well enough to change
        runs[index].lines += delta
    shortfalls = []
    position = 0
    for room in found.rooms:
        while room > 0 and position < len(runs):
            run = runs[position]
            open_end = position == len(runs) - 1 and not found.last_whole
            if open_end and run.lines - WIDOWS < room:
                return None  # the paragraph goes on beyond the lines at hand: its break is unknown
            if run.lines <= room:
                room -= run.lines
                position += 1
                continue
            placed = min(room, run.lines - WIDOWS)
            if run.before + placed < ORPHANS:
                placed = 0
            run.lines -= placed
            run.before += placed
            room -= placed
            break
        if position >= len(runs) and room > 0 and not found.complete:
            return None
        shortfalls.append(room)
    return shortfalls
