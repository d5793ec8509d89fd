"""Level spreads: iterate on WeasyPrint's laid-out pages until facing pages end on one line.

WeasyPrint breaks pages greedily and pays for its widow and orphan rules by ending pages short
(it has no balancing of its own), so facing pages end on different lines. A book typesetter
fixes such a page by making a paragraph on it a line longer with a hair of tracking. This
module does the same, in rounds:

1. lay the document out and read every page's lines (pagelines.py);
2. for each running-on page that ends short (one line short is right when the facing page is
   too), pick paragraphs on that page, or on the full page before it, whose last line is
   nearly full, and lay out just those paragraphs again with a little letter-spacing (one
   small probe document) to find the least tracking that adds exactly one line; a spread no
   tracking on its short page fills is levelled by one or two paragraphs on it (or on the
   spread before, which stays level) set a line shorter or longer, a change that runs on into
   the following pages: reflow.py predicts from the laid-out lines where the pages then
   break, so only changes that level the spread are probed, and the next round levels the
   pages after; failing that, the spread runs one line short together (``widows`` raised on a
   paragraph at a foot);
3. the same probe finds, for a hyphen on the last line of a right-hand page or a third
   hyphenated line in a row, a version of the paragraph with that word kept whole and the
   same number of lines, for a paragraph with loose lines one a hair tighter or looser, and for
   a one-line paragraph ending a running-on page flush with the margin (it reads as an
   orphan) one a hair tighter, ending clear of it;
4. lay the document out again with the chosen paragraphs changed, and repeat.

Filling a page never moves where the page ends in the text, and chapters open on right-hand
pages, so each section balances on its own: it keeps its own rounds and its own best round, and
comes out the same in the one-pass layout and in the parallel renderer's parts.

Limits: letter-spacing up to ``MAX_TRACKING`` (3% of the type size) on one paragraph, either
way (a paragraph set tighter keeps its word spaces: its word-spacing gives back what its
letter-spacing takes from them), and a spread may run one line short, both pages together.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from bookbuild.writers.pdf.hyphenation import PROTECT_CLASS
from bookbuild.writers.pdf.line_breaks import remembered
from bookbuild.writers.pdf.pagelines import Line, Page, loose, pitch_of, read_pages, runs_on, shortfall
from bookbuild.writers.pdf.reflow import predict, stretch
from bookbuild.writers.pdf.relayout import Reuse

# Layouts of the whole document at most (the first included).
ROUNDS = 4
# Letter-spacing steps tried on one paragraph to give it one more line, in em: up to 3% of the
# type size, and for each paragraph only the two steps nearest the tracking its last line needs.
TRACKING_STEPS = (0.004, 0.008, 0.012, 0.016, 0.02, 0.025, 0.03)
MAX_TRACKING = TRACKING_STEPS[-1]
STEPS_PER_PARAGRAPH = 2
# The tracking a paragraph needs is estimated from its last line's room shared out over its
# characters; it often needs less (a line's break moves by whole words), so steps from this
# share of the estimate are tried, and a paragraph is a candidate while that share fits the limit.
ESTIMATE_SHARE = 0.9
# Paragraphs tried per line a page is short (the likeliest first).
CANDIDATES_PER_LINE = 3
# A page still short after a round has this many of its paragraphs tried with every step.
LATER_CANDIDATES = 10
HYPHENS = ("\u2010", "-", "\u00ad")
# A paragraph of any length may gain a line (a one-line reply whose line is full needs the
# least tracking of all); the probe keeps only what gains exactly one within the limit.
MIN_LINES = 1

# A paragraph with loose lines is tried with a little less or more tracking, same length.
LOOSE_STEPS = (-0.005, 0.004)
# A one-line paragraph ending a running-on page within this much (CSS px) of the measure reads
# as a paragraph's first line going on over the page, an orphan (the audit's test is 1.5 pt,
# 2 px): it is set a hair tighter, still one line, to end clear of the margin.
FULL_SLACK = 3.0
CLEAR_STEPS = (-0.004, -0.008, -0.012)
# Why a paragraph was set a hair tighter or looser at the same length (inspect names the action).
LOOSE_WHY = "loose word spaces"
CLEAR_WHY = "a one-line paragraph at a page's foot ends clear of the margin"
# A spread no tracking on its short page fills may be levelled by a paragraph a line shorter or
# longer whose change runs on over the following pages (reflow.py predicts where they break):
# this many such paragraphs are probed for a short page, each with this many tracking steps.
MOVES_PER_PAGE = 12
# At most this many of them share one paragraph's change.
MOVES_SHARING = 3
STEPS_PER_MOVE = 3
# Pairs are made of this many of the paragraphs needing the least tracking.
PAIRED_MOVES = 24
# Moves probed together, when a page's own paragraphs do not fill it.
MOVES_PER_PROBE = 4

# render(markup, css, reuse): reuse is an earlier layout and the pages where the markup differs.
Render = Callable[..., Any]
# fork(work) starts ``work()`` in another process and returns a handle whose ``result()`` is what
# it returned and whose ``stop()`` stops it (writers/beside.py): given when a core is idle beside
# the layout, the probes share it.
Fork = Callable[[Callable[[], Any]], Any]
# Trials worth a second process (starting one costs about what three trials do).
MIN_SHARED_TRIALS = 8


@dataclass(slots=True)
class Change:
    """How one paragraph is set differently from the natural layout."""

    tracking: float = 0.0  # letter-spacing in em
    keep_whole: tuple[tuple[str, int], ...] = ()  # (word, occurrence) wrapped in a no-hyphen span
    widows: int = 0  # the paragraph's widows raised to this (0: the stylesheet's)
    why: str = ""
    word_spacing: float | None = None  # in em (None: the stylesheet's)


@dataclass(slots=True)
class Problems:
    """What a layout still gets wrong."""

    short: list[tuple[int, int]] = field(default_factory=list)  # (page number, lines short)
    split_lines: list[tuple[int, Line]] = field(default_factory=list)  # hyphen to keep off this line
    loose: list[tuple[str, int]] = field(default_factory=list)  # paragraphs with loose lines
    full_feet: list[tuple[int, Line]] = field(default_factory=list)  # one-line paragraph flush at a foot

    def __bool__(self) -> bool:
        return bool(self.short or self.split_lines or self.loose or self.full_feet)

    def weight(self) -> tuple[int, int]:
        """How bad a layout is: lines short, hyphens misplaced and full feet first, then loose paragraphs."""
        return sum(short for _n, short in self.short) + len(self.split_lines) + len(self.full_feet), len(self.loose)


def _hyphenated(line: Line) -> bool:
    return line.text.rstrip().endswith(HYPHENS)


def _facing(pages: list[Page], number: int) -> Page | None:
    """The running-on page facing this one across the spread, if any."""
    other = number - 1 if pages[number].right else number + 1
    if not 0 <= other < len(pages) or pages[other].right == pages[number].right or not runs_on(pages, other):
        return None
    return pages[other]


def _measure(pages: list[Page]) -> float:
    """The width of a full line: the commonest width of lines that are not a paragraph's last."""
    widths: dict[float, int] = {}
    for page in pages:
        for line in page.lines:
            if line.key is not None and not line.last:
                widths[round(line.width, 1)] = widths.get(round(line.width, 1), 0) + 1
    return max(widths, key=widths.get) if widths else 0.0


def _flush_at_foot(line: Line, measure: float) -> bool:
    """Whether a page's last line is a one-line paragraph reaching the right margin."""
    return line.key is not None and line.index == 0 and line.last and line.width >= measure - FULL_SLACK


def find_problems(pages: list[Page], pitch: float) -> Problems:
    """Running-on pages that end short or with a full one-line paragraph, hyphens across a leaf
    and ladders of hyphens."""
    problems = Problems()
    measure = _measure(pages)
    for page in pages:
        if not runs_on(pages, page.number):
            continue
        short = 0 if page.footnotes else shortfall(page, pitch)
        facing = _facing(pages, page.number)
        # One line short is right when the facing page is one line short too, or when no
        # running-on page faces it (a chapter's opening page).
        level = facing is None or facing.footnotes or shortfall(facing, pitch) == 1
        if short > 1 or (short == 1 and not level):
            problems.short.append((page.number, short))
        last = page.lines[-1]
        if page.right and last.key is not None and last.text.rstrip().endswith("\u2010"):
            problems.split_lines.append((page.number, last))
        if _flush_at_foot(last, measure):
            problems.full_feet.append((page.number, last))
    problems.loose = list(dict.fromkeys(line.key for page in pages for line in page.lines
                                        if line.key is not None and loose(line)))
    run = 0
    for page in pages:
        for line in page.lines:
            run = run + 1 if _hyphenated(line) else 0
            if run == 3 and line.key is not None and line.text.rstrip().endswith("\u2010"):
                problems.split_lines.append((page.number, line))
    return problems


def _split_word(pages: list[Page], target: Line) -> tuple[str, int] | None:
    """The word broken at the end of ``target`` and which occurrence of it in its paragraph."""
    lines = [line for page in pages for line in page.lines if line.key == target.key]
    if target.index + 1 >= len(lines):
        return None
    head = re.findall(r"[\w’'-]+\u2010$", target.text.rstrip())
    tail = re.match(r"^[\w’'-]+", lines[target.index + 1].text)
    if not head or not tail:
        return None
    word = head[0][:-1] + tail.group(0)
    before = " ".join(line.text for line in lines[: target.index]) + " " + target.text.rstrip()[: -len(head[0])]
    occurrence = len(re.findall(rf"(?<![\w’']){re.escape(word)}(?![\w’'])", before.replace("\u2010 ", "")))
    return word, occurrence


# --- the markup ---------------------------------------------------------------------------------


def _markup_paragraphs(root) -> dict[tuple[str, int], Any]:
    found = {}
    for section in root.iter("section"):
        sid = section.get("id")
        if sid:
            for index, paragraph in enumerate(section.iter("p")):
                found[(sid, index)] = paragraph
    return found


def _keep_whole(paragraph, word: str, occurrence: int) -> bool:
    """Wrap the ``occurrence``-th ``word`` of the paragraph in a no-hyphen span."""
    pattern = re.compile(rf"(?<![\w’']){re.escape(word)}(?![\w’'])")
    seen = 0
    for node in [paragraph, *paragraph.iterdescendants()]:
        for where in ("text", "tail") if node is not paragraph else ("text",):
            text = getattr(node, where)
            if not text:
                continue
            for match in pattern.finditer(text):
                if seen == occurrence:
                    span = etree.Element("span", {"class": PROTECT_CLASS})
                    span.text = match.group(0)
                    span.tail = text[match.end():]
                    setattr(node, where, text[: match.start()])
                    if where == "text":
                        node.insert(0, span)
                    else:
                        parent = node.getparent()
                        parent.insert(parent.index(node) + 1, span)
                    return True
                seen += 1
    return False


def paragraph_style(change: Change) -> dict[str, str]:
    """The CSS declarations a change sets on its paragraph (the markup's style attribute, and
    what a relayout sets in place: relayout.py)."""
    style = {}
    if change.tracking:
        style["letter-spacing"] = f"{change.tracking:.3f}em"
    if change.word_spacing is not None:
        style["word-spacing"] = f"{change.word_spacing:.3f}em"
    if change.widows:
        style["widows"] = str(change.widows)
    return style


def _apply(paragraph, change: Change) -> None:
    style = paragraph_style(change)
    if style:
        paragraph.set("style", "; ".join(f"{name}: {value}" for name, value in style.items()))
    for word, occurrence in change.keep_whole:
        _keep_whole(paragraph, word, occurrence)


def apply_changes(markup: str, changes: dict[tuple[str, int], Change]) -> str:
    """The markup with each changed paragraph set as its change says."""
    if not changes:
        return markup
    root = lxml_html.document_fromstring(markup)
    paragraphs = _markup_paragraphs(root)
    for key, change in changes.items():
        if key in paragraphs:
            _apply(paragraphs[key], change)
    return lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode")


# --- the probe ----------------------------------------------------------------------------------

PROBE_CSS = "section.probe { page: auto; break-before: auto; }"


def _probe(markup: str, css: str, render: Render, trials: list[tuple[tuple[str, int], Change]]) -> list[list[Line]]:
    """Lay out each trial paragraph alone (with its change) and return the lines of each."""
    if not trials:
        return []
    root = lxml_html.document_fromstring(markup)
    paragraphs = _markup_paragraphs(root)
    sections = {s.get("id"): s for s in root.iter("section") if s.get("id")}
    body = root.find("body")
    for child in list(body):
        body.remove(child)
    for number, (key, change) in enumerate(trials):
        original = sections[key[0]]
        holder = etree.SubElement(body, "section", {"id": f"probe{number}",
                                                  "class": f"{original.get('class', '')} probe"})
        copy = lxml_html.fromstring(lxml_html.tostring(paragraphs[key], encoding="unicode"))
        copy.tail = None
        _apply(copy, change)
        holder.append(copy)
    document = render(lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"), css + PROBE_CSS)
    lines: dict[str, list[Line]] = {}
    for page in read_pages(document):
        for line in page.lines:
            if line.section:
                lines.setdefault(line.section, []).append(line)
    return [lines.get(f"probe{number}", []) for number in range(len(trials))]


def _probe_shared(markup: str, css: str, render: Render, trials: list[tuple[tuple[str, int], Change]],
                  fork: Fork | None) -> list[list[Line]]:
    """The probe, its later half laid out in another process when ``fork`` is given."""
    if fork is None or len(trials) < MIN_SHARED_TRIALS:
        return _probe(markup, css, render, trials)
    half = len(trials) // 2
    try:
        later = fork(lambda: _probe(markup, css, render, trials[half:]))
    except OSError:  # no process to spare: the whole probe is laid out here
        return _probe(markup, css, render, trials)
    try:
        here = _probe(markup, css, render, trials[:half])
    except BaseException:
        later.stop()  # the other half is not wanted: stopped, and waited for
        with contextlib.suppress(BaseException):
            later.result()
        raise
    return here + later.result()


def _no_render(*_args, **_kwargs):
    raise AssertionError("no probe was expected")


def _trial_id(key: tuple[str, int], change: Change) -> tuple:
    return key, change.tracking, change.keep_whole, change.widows, change.word_spacing


class Outcome:
    """The probe's lines for each planned trial, laid out only when its paragraph is first asked
    about: a paragraph's lines do not depend on the other paragraphs in the probe document (but
    for the last bits of their widths, summed from glyph positions), so the planner reads the
    same as had every trial been probed at once."""

    def __init__(self, markup: str, css: str, render: Render, trials: list[tuple[tuple[str, int], Change]],
                 fork: Fork | None = None) -> None:
        self._layout = (markup, css, render)
        self._fork = fork
        self._trials = trials
        # Each paragraph's trials in the order planned, once: the planner asks about one paragraph
        # at a time, many times over.
        self._by_key: dict[tuple[str, int], list[tuple[Change, tuple]]] = {}
        for key, change in trials:
            self._by_key.setdefault(key, []).append((change, _trial_id(key, change)))
        self._lines: dict[tuple, list[Line]] = {}

    @classmethod
    def probed(cls, results: list[tuple[tuple[str, int], Change, list[Line]]]) -> Outcome:
        """An outcome whose trials are known already: (paragraph, change, its lines) each."""
        outcome = cls("", "", _no_render, [(key, change) for key, change, _lines in results])
        outcome._lines = {_trial_id(key, change): lines for key, change, lines in results}
        return outcome

    def want(self, keys) -> None:
        """Probe, in one document, every trial of these paragraphs not probed yet."""
        keys = set(keys)
        missing: dict[tuple, tuple[tuple[str, int], Change]] = {}  # in the order planned
        for key, change in self._trials:
            trial = _trial_id(key, change)
            if key in keys and trial not in self._lines:
                missing[trial] = (key, change)
        trials = list(missing.values())
        for (key, change), lines in zip(trials, _probe_shared(*self._layout, trials, self._fork), strict=True):
            self._lines[_trial_id(key, change)] = lines

    def ready(self, key: tuple[str, int]) -> bool:
        """Whether every trial of the paragraph has been probed."""
        return all(trial in self._lines for _change, trial in self._by_key.get(key, ()))

    def get(self, key: tuple[str, int], default=()) -> list[tuple[Change, list[Line]]]:
        """Each trial of the paragraph with its lines, in the order planned."""
        found = self._by_key.get(key)
        if not found:
            return list(default)
        if not self.ready(key):
            self.want([key])
        return [(change, self._lines[trial]) for change, trial in found]


# --- planning -----------------------------------------------------------------------------------


def _paragraph_lines(pages: list[Page]) -> dict[tuple[str, int], list[tuple[int, Line]]]:
    found: dict[tuple[str, int], list[tuple[int, Line]]] = {}
    for page in pages:
        for line in page.lines:
            if line.key is not None:
                found.setdefault(line.key, []).append((page.number, line))
    return found


def _split_at_foot(pages: list[Page], number: int, by_paragraph) -> tuple[int, int] | None:
    """Lines of the paragraph running over the page's foot on this page and on later pages."""
    page = pages[number]
    if not runs_on(pages, number) or page.lines[-1].key is None or page.lines[-1].last:
        return None
    lines = by_paragraph[page.lines[-1].key]
    return (sum(1 for n, _line in lines if n == number), sum(1 for n, _line in lines if n > number))


def _foot_held_by_widows(pages: list[Page], number: int, by_paragraph) -> bool:
    """Whether the page ends short because the widow rule kept a line of its last paragraph
    from it: that paragraph a line longer fills the page and leaves the next one as it was."""
    split = _split_at_foot(pages, number, by_paragraph)
    return split is not None and split[1] == 2


def _passes_a_line_on(pages: list[Page], number: int, by_paragraph) -> bool:
    """Whether a full page gives its last line to the next page when a paragraph on it grows:
    its last paragraph runs over its foot and keeps two lines or more on it."""
    split = _split_at_foot(pages, number, by_paragraph)
    return split is not None and split[0] >= 3 and not shortfall(pages[number], pitch_of(pages))


def _lengthen_candidates(pages: list[Page], number: int, by_paragraph, measure: float, plain) -> list[tuple[str, int]]:
    """Paragraphs whose extra line lands on page ``number``, likeliest to gain it first.

    First those wholly on the page, then the one running over its foot (the widow rule kept a
    line from the page), then those wholly on the page before when that page is full (its
    extra line flows over onto this one).
    """
    page = pages[number]
    sources = [(page, _foot_held_by_widows(pages, number, by_paragraph))]
    if number > 0 and _passes_a_line_on(pages, number - 1, by_paragraph):
        sources.append((pages[number - 1], False))
    found = []
    for source, own in sources:
        scored = []
        for key in dict.fromkeys(line.key for line in source.lines if line.key is not None):
            lines = by_paragraph[key]
            if key not in plain or len(lines) < MIN_LINES:
                continue
            where = {n for n, _line in lines}
            whole = where == {source.number}
            over_foot = own and source.lines[-1].key == key
            # Run over from a full page before: that page keeps as many lines, this one gains.
            over_head = (where == {source.number - 1, source.number} and source.lines[0].key == key
                         and not shortfall(pages[source.number - 1], pitch_of(pages)))
            if not (whole or over_foot or over_head):
                continue
            chars = sum(len(line.text) for _n, line in lines)
            scored.append((not whole, (measure - lines[-1][1].width) / max(1, chars), key))
        found.extend(key for *_score, key in sorted(scored))
    return found


def _likely_steps(lines: list[tuple[int, Line]], measure: float) -> tuple[float, ...]:
    """The tracking steps likeliest to give the paragraph one more line: its last line's room,
    shared out over the paragraph's characters, is about the letter-spacing it takes."""
    size = _font_size(lines)
    chars = sum(len(line.text) for _n, line in lines)
    return _steps_near((measure - lines[-1][1].width) / max(1, chars) / size, STEPS_PER_PARAGRAPH)


def _font_size(lines: list[tuple[int, Line]]) -> float:
    return max((line.font_size for _n, line in lines), default=16.0) or 16.0


def _loose_count(lines: list[Line]) -> int:
    for line in lines[-1:]:
        line.last = True
    return sum(1 for line in lines if loose(line))


def plan(pages: list[Page], problems: Problems, markup: str, css: str, render: Render,
         changes: dict[tuple[str, int], Change], plain: set, tried: set,
         hinted: set, fork: Fork | None = None) -> dict[tuple[str, int], Change]:
    """New paragraph changes for the problems found (the changes so far are kept).

    ``hinted`` holds the paragraphs tried with their likeliest tracking steps, ``tried`` those
    tried with every step: a later round tries each with every step, then others.
    """
    pitch = pitch_of(pages)
    by_paragraph = _paragraph_lines(pages)
    measure = max((line.width for page in pages for line in page.lines), default=0.0)
    trials: list[tuple[tuple[str, int], Change]] = []
    wanted: list[tuple[int, int, list[tuple[str, int]]]] = []
    moves: dict[int, list[Move]] = {}
    claimed: set[tuple[str, int]] = set(changes) | tried
    # Moves probed in an earlier round are not proposed again; one probed for another page of
    # this round is (its probe serves both).
    probed_before = set(tried)
    probing: set[tuple[tuple[str, int], float]] = set()
    # A page still short after its section's first round: more of its paragraphs are tried.
    hinted_sections = {key[0] for key in hinted}
    for number, short in problems.short:
        later = pages[number].lines[-1].section in hinted_sections
        candidates = _lengthen_candidates(pages, number, by_paragraph, measure, plain)
        fresh = [key for key in candidates if key not in claimed]
        candidates = fresh[: (LATER_CANDIDATES if later else CANDIDATES_PER_LINE) * short]
        claimed.update(candidates)
        wanted.append((number, short, candidates))
        # The first round tries the likeliest steps only; a page still short gets them all.
        for key in candidates:
            steps = TRACKING_STEPS if key in hinted else _likely_steps(by_paragraph[key], measure)
            (tried if key in hinted else hinted).add(key)
            trials.extend((key, Change(tracking=step)) for step in steps)
        found_moves = [] if number in moves else _moves(pages, number, by_paragraph, measure, plain, changes,
                                                        probed_before, pitch)
        moves[number] = found_moves
        for key, delta, steps in dict.fromkeys(part for move in found_moves for part in move):
            tried.add((key, delta))
            fresh_steps = [step for step in steps if (key, step) not in probing]
            probing.update((key, step) for step in fresh_steps)
            trials.extend((key, _tightened(step, css) if step < 0 else Change(tracking=step)) for step in fresh_steps)
    splits = []
    for number, line in problems.split_lines:
        found = _split_word(pages, line)
        if found is None or line.key is None:
            continue
        base = changes.get(line.key, Change())
        steps = (base.tracking, base.tracking - 0.004, base.tracking + 0.004) if line.key in plain else ()
        trials.extend((line.key, Change(tracking=round(step, 3), keep_whole=(*base.keep_whole, found),
                                        widows=base.widows, word_spacing=_respaced(base, step)))
                      for step in steps)
        splits.append((number, line, found))
        claimed.add(line.key)
    clear = [line.key for _number, line in problems.full_feet if line.key in plain and line.key not in claimed]
    trials.extend((key, _tightened(step, css)) for key in clear for step in CLEAR_STEPS)
    claimed.update(clear)
    tighten = [key for key in problems.loose if key in plain and key not in claimed]
    trials.extend((key, Change(tracking=step)) for key in tighten for step in LOOSE_STEPS)
    outcome = Outcome(markup, css, render, trials, fork)
    # Probed at once: the likeliest paragraphs to fill each short page, the hyphens, the one-line
    # paragraphs flush at a foot and the loose paragraphs. The other candidates are probed when those fail, a run-on move only when a
    # page's own paragraphs leave it short (_move): most never are.
    outcome.want([key for _n, short, candidates in wanted for key in candidates[:short]]
                 + [line.key for _n, line, _found in splits] + clear + tighten)
    new = dict(changes)
    reflowed: dict[str, int] = {}  # sections a change runs on through, from this page on
    for number, short, candidates in wanted:
        section = pages[number].lines[-1].section or ""
        if number > reflowed.get(section, len(pages)):
            # The pages after a change that runs on are looked at again next round, their moves
            # with them (the lines they were predicted from move).
            tried.difference_update((key, delta) for move in moves.get(number, ()) for key, delta, _steps in move)
            continue
        fills: dict[tuple[str, int], Change] = {}
        for index, key in enumerate(candidates):
            if len(fills) == short:
                break
            if not outcome.ready(key):
                outcome.want(candidates[index:])
            natural = len(by_paragraph[key])
            fits = [(_loose_count(lines), change.tracking, change) for change, lines in outcome.get(key, [])
                    if len(lines) == natural + 1 and not _hyphenated(lines[-2])]
            if fits:
                change = min(fits, key=lambda fit: fit[:2])[2]
                fills[key] = Change(tracking=change.tracking, why=f"a running-on page ended {short} line(s) short")
        # A move levels the spread whole; filling the page part of the way only when none does.
        if len(fills) < short and _move(moves.get(number, ()), outcome, by_paragraph, new, short):
            reflowed[section] = number
            continue
        new.update(fills)
        if len(fills) < short:
            _short_together(pages, number, short - len(fills), by_paragraph, new, pitch)
    for number, line, found in splits:
        why = "no hyphen at the foot of a right-hand page" if line is pages[number].lines[-1] \
            else "no third hyphenated line in a row"
        natural = len(by_paragraph[line.key])
        base = new.get(line.key, Change())
        if line.key not in plain:  # no probe for it: kept whole, and the next round looks again
            new[line.key] = Change(base.tracking, (*base.keep_whole, found), base.widows, why, base.word_spacing)
            continue
        for change, lines in outcome.get(line.key, []):
            if len(lines) == natural and line.index < len(lines) and not _hyphenated(lines[line.index]):
                new[line.key] = Change(change.tracking, change.keep_whole, change.widows, why, change.word_spacing)
                break
    # A paragraph a rule above changed this round (a move levelling a spread) keeps that change.
    clear_of = _measure(pages) - FULL_SLACK if clear else 0.0
    for key in (key for key in clear if new.get(key) == changes.get(key)):
        for change, lines in outcome.get(key, []):
            if len(lines) == 1 and lines[0].width < clear_of:
                new[key] = Change(tracking=change.tracking, word_spacing=change.word_spacing,
                                  why=CLEAR_WHY)
                break
    for key in (key for key in tighten if new.get(key) == changes.get(key)):
        natural = len(by_paragraph[key])
        before = sum(1 for _n, line in by_paragraph[key] if loose(line))
        fits = [(_loose_count(lines), abs(change.tracking), change) for change, lines in outcome.get(key, [])
                if len(lines) == natural]
        if fits and min(fits, key=lambda fit: fit[:2])[0] < before:
            change = min(fits, key=lambda fit: fit[:2])[2]
            new[key] = Change(tracking=change.tracking, why=LOOSE_WHY)
    return new


def _spread(pages: list[Page], number: int) -> tuple[int, int]:
    """The first and last page of the spread holding page ``number`` (one page when no
    running-on page faces it)."""
    facing = _facing(pages, number)
    if facing is None:
        return number, number
    return min(number, facing.number), max(number, facing.number)


def _level(shortfalls: list[int]) -> bool:
    """Whether pages facing each other (or one alone) end level, at most a line short."""
    return max(shortfalls) <= 1 and len(set(shortfalls)) == 1


def _steps_near(needed: float, count: int) -> tuple[float, ...]:
    """The ``count`` tracking steps from the first that gives at least about ``needed`` em."""
    start = next((i for i, step in enumerate(TRACKING_STEPS) if step >= needed * ESTIMATE_SHARE), len(TRACKING_STEPS))
    return TRACKING_STEPS[start : start + count]


Move = tuple[tuple[tuple[str, int], int, tuple[float, ...]], ...]  # (paragraph, lines gained, steps), ...


def _respaced(base: Change, tracking: float) -> float | None:
    """The word-spacing that keeps a tightened paragraph's word spaces as wide at ``tracking``."""
    if base.word_spacing is None:
        return None
    return round(base.word_spacing - 2 * (tracking - base.tracking), 3)


def _word_spacing(css: str) -> float:
    """The body's word-spacing in em, as the stylesheet sets it last (0 when it does not)."""
    found = re.findall(r"word-spacing:\s*(-?[\d.]+)em", css)
    return float(found[-1]) if found else 0.0


def _tightened(tracking: float, css: str) -> Change:
    """Letters set closer by ``tracking`` (< 0) with the word spaces kept as wide as they were:
    letter-spacing also follows a word's last letter and the space, so the word-spacing gives
    both back. A narrower word space on a paragraph's unjustified last line would run words
    together in the PDF's text layer (pdftotext reads ``and MacSwain`` as one word)."""
    return Change(tracking=tracking, word_spacing=round(_word_spacing(css) - 2 * tracking, 3))


def _single_moves(here, by_paragraph, measure: float, plain: set, changes, tried: set):
    """Every paragraph of the stretch that may be a line shorter or longer within the tracking
    limit: (tracking it needs, paragraph, lines gained)."""
    found = []
    for run in here.runs:
        key = run.key
        if key not in plain or key in changes or run.before:
            continue
        lines = by_paragraph[key]
        size = _font_size(lines)
        chars = sum(len(line.text) for _n, line in lines)
        last_width = lines[-1][1].width
        for delta in (-1, 1):
            if (key, delta) in tried or (delta < 0 and len(lines) < 2):
                continue
            if delta > 0:  # the last line's room, shared out over the paragraph's characters
                needed = (measure - last_width) / max(1, chars) / size
            else:  # the last line's text, taken back into the letters of the lines above it
                letters = sum(len(line.text.replace(" ", "")) for _n, line in lines[:-1])
                needed = last_width / max(1, letters) / size
            if needed * ESTIMATE_SHARE <= MAX_TRACKING:
                found.append((needed, key, delta))
    return sorted(found)


def _moves(pages: list[Page], number: int, by_paragraph, measure: float, plain: set, changes, tried: set,
           pitch: float) -> list[Move]:
    """One or two paragraphs a line shorter or longer that would level the spread of page
    ``number``, as reflow.py predicts the pages breaking again: on the spread itself, or else
    on the spread before it, which must stay level.

    Those that leave the next spread level too come first, then single changes, then those
    needing the least tracking.
    """
    spread = _spread(pages, number)
    scored = _scored_moves(pages, [spread], by_paragraph, measure, plain, changes, tried, pitch)
    if len(scored) < MOVES_PER_PAGE and spread[0] > 0 and runs_on(pages, spread[0] - 1):
        earlier = [_spread(pages, spread[0] - 1), spread]
        scored += _scored_moves(pages, earlier, by_paragraph, measure, plain, changes, tried, pitch)
    chosen: list[Move] = []
    uses: dict[tuple[tuple[str, int], int], int] = {}
    for move in scored:
        parts = [(key, delta) for key, delta, _steps in move]
        if len(chosen) == MOVES_PER_PAGE:
            break
        if move not in chosen and all(uses.get(part, 0) < MOVES_SHARING for part in parts):
            chosen.append(move)  # a failing change crowds none out
            for part in parts:
                uses[part] = uses.get(part, 0) + 1
    return chosen


def _scored_moves(pages: list[Page], spreads: list[tuple[int, int]], by_paragraph, measure: float, plain: set,
                  changes, tried: set, pitch: float) -> list[Move]:
    """The moves on the pages of ``spreads`` (consecutive) that leave every one of them level,
    best first."""
    first, last = spreads[0][0], spreads[-1][1]
    count = last - first + 1
    here = stretch(pages, first, count, pitch)
    actual = [shortfall(pages[n], pitch) for n in range(first, last + 1)]
    if here is None or predict(here) != actual:
        return []  # the pages are not plain paragraphs, or not broken as predicted
    further = stretch(pages, first, count + 2, pitch)
    singles = _single_moves(here, by_paragraph, measure, plain, changes, tried)
    combos = [(single,) for single in singles]
    cheapest = singles[:PAIRED_MOVES]
    combos += [(a, b) for n, a in enumerate(cheapest) for b in cheapest[n + 1 :] if a[1] != b[1]]
    scored = []
    for combo in combos:
        deltas = {key: delta for _needed, key, delta in combo}
        after = predict(here, deltas)
        if after is None or not all(_level(after[a - first : b - first + 1]) for a, b in spreads):
            continue
        beyond = predict(further, deltas) if further is not None else None
        next_level = beyond is not None and len(beyond) > count and _level(beyond[count:])
        move = tuple((key, delta, tuple(step * delta for step in _steps_near(needed, STEPS_PER_MOVE)))
                     for needed, key, delta in combo)
        if all(steps for _key, _delta, steps in move):
            scored.append((not next_level, len(combo), sum(needed for needed, *_rest in combo), move))
    scored.sort(key=lambda item: item[:3])
    return [move for *_score, move in scored]


def _confirmed(key, delta: int, outcome, by_paragraph) -> Change | None:
    """The least tracking the probe found to make the paragraph ``delta`` lines longer with no
    word broken into its last line and no more loose lines, if any."""
    natural = len(by_paragraph[key])
    before = sum(1 for _n, line in by_paragraph[key] if loose(line))
    fits = [(_loose_count(lines), abs(change.tracking), change) for change, lines in outcome.get(key, [])
            if change.tracking * delta > 0 and len(lines) == natural + delta
            and (len(lines) < 2 or not _hyphenated(lines[-2]))]
    fits = [fit for fit in fits if fit[0] <= before]
    return min(fits, key=lambda fit: fit[:2])[2] if fits else None


def _move(moves: list[Move], outcome: Outcome, by_paragraph, changes, short: int) -> bool:
    """Make the first of the moves the probe confirms wholly; whether one was made."""
    for index, move in enumerate(moves):
        # The moves are best first: the next few are probed together, and a move the probe
        # confirms ends the search before the rest are laid out.
        if not all(outcome.ready(key) for key, _delta, _steps in move):
            outcome.want([key for later in moves[index : index + MOVES_PER_PROBE] for key, _delta, _steps in later])
        found = [_confirmed(key, delta, outcome, by_paragraph) for key, delta, _steps in move]
        if any(change is None for change in found):
            continue
        for (key, delta, _steps), change in zip(move, found, strict=True):
            way = "longer" if delta > 0 else "shorter"
            changes[key] = Change(tracking=change.tracking, word_spacing=change.word_spacing,
                                  why=f"a line {way} levels a spread {short} line(s) uneven (the pages after follow)")
        return True
    return False


def _short_together(pages: list[Page], number: int, short: int, by_paragraph, changes, pitch: float) -> None:
    """Level a spread by making it run a line short together.

    A recto still two lines short takes one from its verso. A verso one line short (a page of
    short lines of dialogue no tracking lengthens) has its recto give its last line to the next
    page; the next spread, a line fuller, is levelled in the next round.
    """
    page = pages[number]
    if not page.right and short == 1:
        recto = _facing(pages, number)
        split = _split_at_foot(pages, number + 1, by_paragraph) if recto is not None else None
        key = recto.lines[-1].key if recto is not None else None
        if split is not None and split[0] >= 3 and key not in changes and not shortfall(recto, pitch):
            changes[key] = Change(widows=split[1] + 1, why="the spread runs a line short together")
        return
    if not page.right or short != 2 or number == 0 or not runs_on(pages, number - 1):
        return
    verso = pages[number - 1]
    if shortfall(verso, pitch):
        return
    last = verso.lines[-1]
    if last.key is None or last.last:
        return
    lines = by_paragraph[last.key]
    on_verso = sum(1 for n, _line in lines if n == verso.number)
    after = sum(1 for n, _line in lines if n > verso.number)
    if on_verso - 1 < 2 or last.key in changes:
        return
    changes[last.key] = Change(widows=after + 1, why="the spread runs a line short together")


def _reuse(document, pages: list[Page], before: dict, after: dict) -> Reuse:
    """How the layout of ``before``'s changes is reused for ``after``'s: the pages holding a
    paragraph set differently, and, when no kept-whole word differs, each one's new style."""
    differing = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    numbers = frozenset(page.number for page in pages for line in page.lines if line.key in differing)
    plain = Change()
    reshaped = any(before.get(key, plain).keep_whole != after.get(key, plain).keep_whole for key in differing)
    restyled = None if reshaped else {key: paragraph_style(after.get(key, plain)) for key in differing}
    return Reuse(document, numbers, restyled)


def _best_changes(history) -> dict[tuple[str, int], Change]:
    """Each section's changes from the round that left it with the fewest problems (the
    earliest of equals)."""
    sections = {name for weights, _changes in history for name in weights}
    sections |= {key[0] for _weights, changes in history for key in changes}
    best: dict[tuple[str, int], Change] = {}
    for name in sorted(sections):
        weights = [weights.get(name, (0, 0)) for weights, _changes in history]
        chosen = history[weights.index(min(weights))][1]
        best.update({key: change for key, change in chosen.items() if key[0] == name})
    return best


def _by_section(problems: Problems, pages: list[Page]) -> dict[str, Problems]:
    """The problems of each section (chapter) apart: each section balances on its own."""
    found: dict[str, Problems] = {}
    for number, short in problems.short:
        found.setdefault(pages[number].lines[-1].section or "", Problems()).short.append((number, short))
    for number, line in problems.split_lines:
        found.setdefault(line.section or "", Problems()).split_lines.append((number, line))
    for key in problems.loose:
        found.setdefault(key[0], Problems()).loose.append(key)
    for number, line in problems.full_feet:
        found.setdefault(line.section or "", Problems()).full_feet.append((number, line))
    return found


def _merged(parts: list[Problems]) -> Problems:
    merged = Problems()
    for part in parts:
        merged.short.extend(part.short)
        merged.split_lines.extend(part.split_lines)
        merged.loose.extend(part.loose)
        merged.full_feet.extend(part.full_feet)
    return merged


def balanced(markup: str, css: str, render: Render, fork: Fork | None = None) -> tuple[Any, list[dict[str, Any]]]:
    """Lay the markup out with level spreads; returns the document and the changes made.

    Every section keeps its own rounds: it is planned for while its last plan changed it, and
    ends with the changes of its own best round, so a chapter comes out the same whether it is
    laid out with the whole book or in a part of a few chapters. A paragraph's lines are broken
    once for all its rounds (line_breaks.py).
    """
    with remembered():
        return _balanced(markup, css, render, fork)


def _balanced(markup: str, css: str, render: Render, fork: Fork | None) -> tuple[Any, list[dict[str, Any]]]:
    # The idle core breaks the later paragraphs' lines meanwhile (line_breaks.break_ahead).
    document = render(markup, css, fork=fork) if fork is not None else render(markup, css)
    changes: dict[tuple[str, int], Change] = {}
    tried: set[tuple[str, int]] = set()
    hinted: set[tuple[str, int]] = set()
    active: set[str] | None = None  # None: every section
    history: list[tuple[dict[str, tuple[int, int]], dict[tuple[str, int], Change]]] = []
    for round_number in range(ROUNDS):
        plain: set[tuple[str, int]] = set()
        pages = read_pages(document, plain)
        sections = _by_section(find_problems(pages, pitch_of(pages)), pages)
        history.append(({name: found.weight() for name, found in sections.items()}, changes))
        wanted = _merged([found for name, found in sorted(sections.items()) if active is None or name in active])
        if not wanted or round_number == ROUNDS - 1:
            break
        new = plan(pages, wanted, markup, css, render, changes, plain, tried, hinted, fork)
        active = {key[0] for key in set(new) | set(changes) if new.get(key) != changes.get(key)}
        if not active:
            break
        document = render(apply_changes(markup, new), css, _reuse(document, pages, changes, new))
        changes = new
    best = _best_changes(history)
    if best != changes:
        document = render(apply_changes(markup, best), css, _reuse(document, pages, changes, best))
        changes = best
    paragraphs = _markup_paragraphs(lxml_html.document_fromstring(markup)) if changes else {}
    adjustments = [
        {"section": key[0], "paragraph": key[1], "tracking": change.tracking, "widows": change.widows,
         "word_spacing": change.word_spacing,
         "keep_whole": [word for word, _n in change.keep_whole], "why": change.why,
         "excerpt": " ".join(paragraphs[key].text_content().split()[:8]) if key in paragraphs else ""}
        for key, change in sorted(changes.items())
    ]
    return document, adjustments


def action(change: dict[str, Any]) -> str:
    """What an adjustment did, in a word for ``inspect``: keep-whole, short-together, loose-spaces,
    clear-margin, shorten (a line shorter, running on) or lengthen."""
    if change["keep_whole"]:
        return "keep-whole"
    if change["widows"]:
        return "short-together"
    same_length = {LOOSE_WHY: "loose-spaces", CLEAR_WHY: "clear-margin"}
    if change["why"] in same_length:
        return same_length[change["why"]]
    return "shorten" if change["tracking"] < 0 else "lengthen"
