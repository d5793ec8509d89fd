"""Features of every paragraph boundary in a chapter: cues, speakers, rhythm, cohesion, position."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import TypeVar

import numpy as np

from bookbuild.breaks.lexicon import (
    CONNECTIVES,
    PRONOUNS,
    SETTING_WORDS,
    SHIFT_WORDS,
    TIME_SHIFT,
    TIME_SHIFT_KEYS,
    TIME_WORDS,
)
from bookbuild.breaks.paragraphs import Described, Paragraph
from bookbuild.breaks.shifts import NAMES as SHIFT_NAMES
from bookbuild.breaks.shifts import shift_columns
from bookbuild.breaks.windows import Column, Occurrences, occurrences, reach_back, reach_on, window_counts

T = TypeVar("T")
# Python's sum adds floats left to right up to 3.11; 3.12 made it compensate its rounding.
_SUM_IN_ORDER = sys.version_info < (3, 12)
_TIME_SHIFT = re.compile(TIME_SHIFT)
_TIME_CUES = TIME_WORDS | SHIFT_WORDS

WINDOW_WORDS = 200  # the span each side of a boundary that cohesion compares
WINDOW_MAX = 12  # paragraphs, so a run of one-line replies does not make the window huge
DEPTH_SPAN = 4  # boundaries each side that a cohesion value is compared with
STANDARDISED_TOGETHER = 2000  # up to this many boundaries, a run's columns are standardised as one array
# Features compared with the boundaries around them (TextTiling's "depth").
RELATIVE = (
    "cohesion_near",
    "cohesion_wide",
    "cohesion_words",
    "people_overlap",
    "fresh_after",
    "stale_before",
)


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter's paragraphs and what is counted over all of them at once, so a boundary looks it up."""

    paragraphs: list[Paragraph]
    first_seen: dict[str, int]  # where each content word first occurs
    words_until: list[int]  # entry i: the words in paragraphs[:i]
    # Per paragraph: for each content word of its opening, and its speaker, the last paragraph
    # before it that uses the word (-1 if none), so "used in the last 200 words" is a comparison.
    used_before: list[dict[str, int]]
    starts: list[int]  # per paragraph: where the window of WINDOW_WORDS before it starts
    # Per boundary (entry i - 1 before paragraph i): the features that compare the windows either
    # side, counted for the whole chapter at once (windows.py).
    across: dict[str, Column]
    content: Occurrences  # the content words' occurrences, which shifts.py's windows count too


def _overlap(left: set[str], right: set[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / math.sqrt(len(left) * len(right))


def _time_words(words: tuple[str, ...]) -> tuple[int, int]:
    """Time words and time-shift words in some words."""
    if _TIME_CUES.isdisjoint(words):  # most sentences: nothing to count
        return 0, 0
    return sum(map(TIME_WORDS.__contains__, words)), sum(map(SHIFT_WORDS.__contains__, words))


def _time_phrase(words: tuple[str, ...]) -> bool:
    """Whether a time-shift phrase is in some words."""
    text = " ".join(words)
    # Most sentences: no phrase. Check the words as they are when none holds an apostrophe.
    if TIME_SHIFT_KEYS.isdisjoint(text.replace("'", " ").split() if "'" in text else words):
        return False
    return bool(_TIME_SHIFT.search(text))


CUES = (
    "open_time_words", "open_shift_words", "open_time_phrase", "head_time_words", "head_shift_words",
    "head_time_phrase", "narration_time_words", "narration_shift_words", "narration_time_phrase",
    "dialogue_time_phrase", "head_setting_words",
)  # fmt: skip
OPENERS = ("first_pronoun", "first_connective", "past_perfect_open")
# Every boundary feature, in the order the table lists them (the depths, shifts and z-scores follow).
BOUNDARY = (
    *CUES, "close_time_words", *OPENERS, "tense_shift",
    "pair=NN", "pair=ND", "pair=DN", "pair=DD", "before_speech", "after_speech", "before_ends_speech",
    "before_question", "speech_before", "speech_after", "speech_both", "cold_question",
    "new_names", "carried_names", "opens_on_name", "speaker_pronoun", "speaker_new", "speaker_known",
    "people_overlap", "people_none", "cohesion_near", "cohesion_wide", "cohesion_words", "fresh_after",
    "stale_before", "opening_novelty", "setting_fresh", "setting_fresh_count",
    "len_before", "len_after", "short_before", "from_start", "to_end", "words_from_start", "words_to_end",
    "near_start", "near_end",
)  # fmt: skip


def _cues(after: Paragraph) -> tuple[float, ...]:
    """Time and place cues in a paragraph's opening, one value per name in CUES, then OPENERS."""
    opening = after.first_sentence
    times, shifts = _time_words(opening)
    phrase = _time_phrase(opening)
    head_times, head_shifts = _time_words(opening[:8])
    # A phrase within the first eight words is one of the whole opening too: look only if there is one.
    head_phrase = phrase and (len(opening) <= 8 or _time_phrase(opening[:8]))
    narr_times, narr_shifts = _time_words(after.opening_narration)
    narr_phrase = _time_phrase(after.opening_narration)
    return (
        min(times, 3) / 3,
        min(shifts, 2) / 2,
        float(phrase),
        min(head_times, 2) / 2,
        float(head_shifts > 0),
        float(head_phrase),
        min(narr_times, 2) / 2,
        float(narr_shifts > 0),
        float(narr_phrase),
        float(narr_phrase and after.dialogue),
        min(2, sum(map(SETTING_WORDS.__contains__, opening[:10]))) / 2,
        float(bool(opening) and opening[0] in PRONOUNS),
        float(bool(opening) and opening[0] in CONNECTIVES),
        float("had" in opening[:10]),
    )


def _by_paragraph(paragraphs: list[Paragraph], value: Callable[[Paragraph], T], known: dict[int, T]) -> list[T]:
    """``value`` of each paragraph, worked out once per distinct paragraph (``known``: those done)."""
    values = []
    for p in paragraphs:
        got = known.get(id(p))
        if got is None:
            got = known[id(p)] = value(p)
        values.append(got)
    return values


def _close_time(p: Paragraph) -> float:
    return min(_time_words(p.last_sentence)[0], 2) / 2


def _cue_columns(paragraphs: list[Paragraph], described: Described) -> dict[str, Column]:
    """Time and place cues in each new paragraph's opening, and how the old one closes."""
    cues = _by_paragraph(paragraphs[1:], _cues, described.values("cues"))
    columns = dict(zip((*CUES, *OPENERS), map(list, zip(*cues, strict=True)), strict=True))
    columns["close_time_words"] = _by_paragraph(paragraphs[:-1], _close_time, described.values("close_time"))
    columns["tense_shift"] = [
        float(after.present > after.past and before.present <= before.past)
        for before, after in zip(paragraphs[:-1], paragraphs[1:], strict=True)
    ]
    return columns


def _flags(paragraphs: list[Paragraph], flag: Callable[[Paragraph], bool]) -> np.ndarray:
    return np.fromiter(map(flag, paragraphs), dtype=bool, count=len(paragraphs))


def _speech_columns(paragraphs: list[Paragraph]) -> dict[str, Column]:
    """Speech on each side: a scene rarely changes between two lines of one conversation."""
    count = len(paragraphs)
    dialogue = _flags(paragraphs, attrgetter("dialogue"))
    speech = _flags(paragraphs, attrgetter("speech"))
    question = _flags(paragraphs, attrgetter("ends_question"))
    before_dialogue, after_dialogue = dialogue[:-1], dialogue[1:]
    index = np.arange(1, count)
    spoken_until = np.concatenate(([0], np.cumsum(speech, dtype=np.int64)))
    prior = (spoken_until[index] - spoken_until[np.maximum(0, index - 4)]) / np.minimum(4, index)
    later = (spoken_until[np.minimum(count, index + 4)] - spoken_until[index]) / np.minimum(4, count - index)
    # A scene that opens cold on a short bare question, straight after narration (see model priors).
    bare = _flags(paragraphs, lambda p: not p.speaker and len(p.words) <= 12)
    cold = after_dialogue & bare[1:] & question[1:] & ~before_dialogue & ~question[:-1]
    return {
        "pair=NN": (~before_dialogue & ~after_dialogue).astype(float),
        "pair=ND": (~before_dialogue & after_dialogue).astype(float),
        "pair=DN": (before_dialogue & ~after_dialogue).astype(float),
        "pair=DD": (before_dialogue & after_dialogue).astype(float),
        "before_speech": speech[:-1].astype(float),
        "after_speech": speech[1:].astype(float),
        "before_ends_speech": _flags(paragraphs[:-1], attrgetter("ends_speech")).astype(float),
        "before_question": question[:-1].astype(float),
        "speech_before": prior,
        "speech_after": later,
        "speech_both": (prior * later),
        "cold_question": cold.astype(float),
    }


def _people_columns(chapter: Chapter) -> dict[str, Column]:
    """Who is named or speaks: new people after each boundary, people carried across it."""
    paragraphs, starts = chapter.paragraphs, chapter.starts
    count = len(paragraphs)
    new_names, carried, opens_on_name, pronoun, new_speaker, known_speaker = [], [], [], [], [], []
    last_named: dict[str, int] = {}  # each name's last paragraph before the boundary
    for name in paragraphs[0].names:
        last_named[name] = 0
    nobody: frozenset[str] = frozenset()
    for index in range(1, count):
        before, after = paragraphs[index - 1], paragraphs[index]
        recent = index - 12  # a name is recent if named in the twelve paragraphs before
        following = paragraphs[index + 1].names if index + 1 < count else nobody
        ahead = after.names | following if following else after.names
        if ahead:
            near = before.names | paragraphs[index - 2].names if index >= 2 else before.names
            fresh = sum(last_named.get(name, -13) < recent for name in ahead)
            new_names.append(min(fresh, 3) / 3)
            carried.append(min(len(ahead & near), 3) / 3)
        else:
            new_names.append(0.0)
            carried.append(0.0)
        opening = after.first_sentence
        # Names are capitalised ASCII words, so the opening word names someone if capitalised it is one.
        if opening:
            first = opening[0].capitalize()
            opens_on_name.append(float(first in after.names or last_named.get(first, -13) >= recent))
        else:
            opens_on_name.append(0.0)
        speaker = after.speaker
        named = bool(speaker) and speaker not in PRONOUNS
        pronoun.append(float(speaker in PRONOUNS))
        if named:
            recent_use = chapter.used_before[index][speaker] >= starts[index]
            new_speaker.append(float(not recent_use))
            known_speaker.append(float(recent_use))
        else:
            new_speaker.append(0.0)
            known_speaker.append(0.0)
        for name in after.names:
            last_named[name] = index
    return {
        "new_names": new_names,
        "carried_names": carried,
        "opens_on_name": opens_on_name,
        "speaker_pronoun": pronoun,
        "speaker_new": new_speaker,
        "speaker_known": known_speaker,
    }


def _near(content: Occurrences, paragraphs: list[Paragraph]) -> np.ndarray:
    """``_overlap`` of each two neighbours' content words: those whose next paragraph is the next one."""
    count = content.count
    shared = np.bincount(content.at[content.following == content.at + 1], minlength=count)[: count - 1]
    sizes = np.fromiter(map(len, (p.content for p in paragraphs)), dtype=np.int64, count=count)
    # The product of two sizes is exact, its square root and the division one rounding each, as in Python.
    return _shares(shared, np.sqrt(sizes[:-1] * sizes[1:]))


def _novelty_columns(chapter: Chapter) -> dict[str, Column]:
    """Lexical cohesion of the two paragraphs, and words new to the chapter (a new scene's props)."""
    paragraphs, starts, first_seen = chapter.paragraphs, chapter.starts, chapter.first_seen
    count = len(paragraphs)
    novelty, setting_fresh, setting_count = [], [], []
    for index in range(1, count):
        after = paragraphs[index]
        novel = after.opening_content
        if novel:
            start = starts[index]
            used_before = chapter.used_before[index]
            novelty.append(sum(map(start.__gt__, map(used_before.__getitem__, novel))) / len(novel))
        else:
            novelty.append(0.0)
        setting = after.opening_stems
        if index + 1 < count and len(after.words) < 25:
            # A scene that opens on a short line of speech sets its place in the next paragraph.
            setting += paragraphs[index + 1].opening_stems
        fresh = sum(map(index.__le__, map(first_seen.get, setting, repeat(index))))
        setting_fresh.append(fresh / max(1, len(setting)))
        setting_count.append(min(4, fresh) / 4)
    return {
        "cohesion_near": _near(chapter.content, paragraphs),
        "opening_novelty": novelty,
        "setting_fresh": setting_fresh,
        "setting_fresh_count": setting_count,
    }


def _place_columns(chapter: Chapter) -> dict[str, Column]:
    """Each boundary's size and place in the chapter."""
    paragraphs, until = chapter.paragraphs, chapter.words_until
    count, total = len(paragraphs), until[-1]
    lengths = [len(p.words) for p in paragraphs]
    logs = [math.log1p(length) / 6 for length in lengths]
    steps = range(1, count)
    return {
        "len_before": logs[:-1],
        "len_after": logs[1:],
        "short_before": [float(length <= 10) for length in lengths[:-1]],
        "from_start": [math.log1p(index) / 6 for index in steps],
        "to_end": [math.log1p(count - index) / 6 for index in steps],
        "words_from_start": [math.log1p(until[index]) / 10 for index in steps],
        "words_to_end": [math.log1p(total - until[index]) / 10 for index in steps],
        "near_start": [float(index <= 3) for index in steps],
        "near_end": [float(count - index <= 3) for index in steps],
    }


def boundary_columns(chapter: Chapter, described: Described | None = None) -> dict[str, Column]:
    """Every boundary's features, by name: entry i - 1 is the boundary before paragraph i."""
    paragraphs = chapter.paragraphs
    columns = _cue_columns(paragraphs, described or Described()) | _speech_columns(paragraphs) | _people_columns(chapter)
    columns |= chapter.across | _novelty_columns(chapter) | _place_columns(chapter)
    return columns


def _depth(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How much lower each value is than the highest nearby on either side, and whether it is lowest.

    Each side's highest includes the value itself, so a side with nothing higher adds nothing.
    """
    count = len(values)
    column = values

    def shifted(pad: float) -> list[np.ndarray]:  # the values DEPTH_SPAN before ... DEPTH_SPAN after
        padded = np.concatenate((np.full(DEPTH_SPAN, pad), column, np.full(DEPTH_SPAN, pad)))
        return [padded[k : k + count] for k in range(2 * DEPTH_SPAN + 1)]

    highs, lows = shifted(-math.inf), shifted(math.inf)
    left = np.maximum.reduce(highs[: DEPTH_SPAN + 1])
    right = np.maximum.reduce(highs[DEPTH_SPAN:])
    depth = (left - column) + (right - column)
    lowest = (column <= np.minimum.reduce(lows)).astype(float)
    return depth, lowest


def _standardised(values: np.ndarray) -> np.ndarray:
    """A feature as z-scores within the chapter, so one book's style is its own baseline.

    The sums run left to right (``sum``) and the squares are ``pow``'s, as they always were;
    the subtraction and division are one IEEE operation per value, the same in numpy.
    """
    count = len(values)
    mean = _sum(values) / count
    deviations = values - mean
    if ((values == 0.0) | (values == 1.0)).all():
        # A flag: two deviations only, so ``pow`` squares each once (its square is not always x * x).
        low, high = pow(0.0 - mean, 2), pow(1.0 - mean, 2)
        squares = np.where(values == 1.0, high, low)
    else:
        # math.pow is C's pow, as the ``pow`` builtin is for floats.
        squares = np.fromiter(map(math.pow, deviations.tolist(), repeat(2.0)), float, count)
    spread = math.sqrt(_sum(squares) / count) + 0.05
    return deviations / spread


def _sum(values: np.ndarray) -> float:
    """``sum`` of the values: where it adds in order, a cumulative sum's last (the same float)."""
    if _SUM_IN_ORDER:
        return _sums_in_order(values[None, :])[0].item()
    return sum(values.tolist())


def _sums_in_order(rows: np.ndarray) -> np.ndarray:
    """Each row summed left to right from 0.0, as ``sum`` adds floats (up to Python 3.11)."""
    return np.cumsum(np.concatenate((np.zeros((len(rows), 1)), rows), axis=1), axis=1)[:, -1]


def _all_standardised(columns: list[np.ndarray]) -> list[np.ndarray]:
    """``_standardised`` of every column, the columns as the rows of one array.

    A cumulative sum adds left to right, one row at a time, so each row's total is the float
    ``sum`` gives, where it adds in order; elsewhere (Python 3.12 on) each column is done alone,
    as is a long run's (there copying the columns costs more than the calls it saves).
    """
    if not _SUM_IN_ORDER or len(columns[0]) > STANDARDISED_TOGETHER:
        return [_standardised(column) for column in columns]
    values = np.vstack(columns)
    count = values.shape[1]
    means = _sums_in_order(values) / count
    deviations = values - means[:, None]
    ones = values == 1.0
    flags = (ones | (values == 0.0)).all(axis=1)
    squares = np.empty_like(values)
    for row in np.flatnonzero(flags).tolist():
        # A flag: two deviations only, so ``pow`` squares each once (its square is not always x * x).
        mean = means[row].item()
        squares[row] = np.where(ones[row], pow(1.0 - mean, 2), pow(0.0 - mean, 2))
    others = ~flags
    # math.pow is C's pow, as the ``pow`` builtin is for floats; fromiter skips a list of results.
    spread_out = deviations[others].ravel()
    squares[others] = np.fromiter(map(math.pow, spread_out.tolist(), repeat(2.0)), float, len(spread_out)).reshape(
        -1, count
    )
    spreads = np.sqrt(_sums_in_order(squares) / count) + 0.05
    return list(deviations / spreads[:, None])


@dataclass(frozen=True, slots=True)
class Table:
    """Every boundary's features in one run of paragraphs: one column per name, entry i before text i + 1."""

    paragraphs: list[Paragraph]
    names: list[str]
    columns: list[np.ndarray]  # float64, one value per boundary

    def rows(self) -> list[dict[str, float]]:
        """The same features as one dict per boundary."""
        values = [column.tolist() for column in self.columns]
        return [dict(zip(self.names, row, strict=True)) for row in zip(*values, strict=True)]


def _running(counts: list[int]) -> list[int]:
    """Running totals, from 0: entry i is the sum of counts[:i]."""
    totals = [0]
    for count in counts:
        totals.append(totals[-1] + count)
    return totals


def _shares(counts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """counts / sizes, 0 where a size is 0."""
    ratio = np.zeros(len(sizes))
    some = sizes > 0
    ratio[some] = counts[some] / sizes[some]
    return ratio


def _across(
    content: Occurrences, names: list[frozenset[str]], starts: np.ndarray, ends: np.ndarray
) -> dict[str, Column]:
    """The features that compare the windows either side of each boundary, for every boundary at once."""
    count = content.count
    index = np.arange(count)
    vocab = window_counts(content, starts, ends)
    people = window_counts(occurrences(names), starts, ends)
    wide = window_counts(content, np.maximum(index - 4, 0), np.minimum(index + 4, count))
    # Content words first used in each paragraph, and last used, as running totals from 0.
    new_until = np.concatenate(([0], np.cumsum(np.bincount(content.first, minlength=count))))
    gone = content.at[content.following == count]
    gone_until = np.concatenate(([0], np.cumsum(np.bincount(gone, minlength=count))))
    boundary = index[1:]
    return {
        "people_overlap": people.overlap(),
        "people_none": ((people.before == 0) & (people.after == 0)).astype(float),
        "cohesion_wide": wide.overlap(),
        "cohesion_words": vocab.overlap(),
        # A word of the right window first used in it was first used in one of its paragraphs.
        "fresh_after": _shares(new_until[ends[1:]] - new_until[boundary], vocab.after),
        "stale_before": _shares(gone_until[boundary] - gone_until[starts[1:]], vocab.before),
    }


def _chapter(paragraphs: list[Paragraph]) -> Chapter:
    """What every boundary of a chapter looks up: first uses, word counts, the windows' figures."""
    first_seen: dict[str, int] = {}
    for index in range(len(paragraphs) - 1, -1, -1):
        first_seen.update(dict.fromkeys(paragraphs[index].content, index))
    used_before: list[dict[str, int]] = []
    last_used: dict[str, int] = {}
    for index, p in enumerate(paragraphs):
        asked = p.opening_content + ((p.speaker,) if p.speaker else ())
        used_before.append({w: last_used.get(w, -1) for w in asked})
        last_used.update(dict.fromkeys(p.words, index))
    words_until = _running([len(p.words) for p in paragraphs])
    starts = reach_back(words_until, WINDOW_WORDS, WINDOW_MAX)
    ends = reach_on(words_until, WINDOW_WORDS, WINDOW_MAX)
    content = occurrences([p.content for p in paragraphs])
    names = [p.names for p in paragraphs]
    return Chapter(
        paragraphs,
        first_seen,
        words_until,
        used_before,
        starts.tolist(),
        _across(content, names, starts, ends),
        content,
    )


def chapter_table(texts: list[str], described: Described | None = None) -> Table:
    """Features of every boundary inside one run of paragraphs, by column.

    ``described``: the paragraphs of the book's chapters read so far, to reuse those met again.
    """
    # A text met again (a short reply, a pasted list of one-word lines) is described once.
    described = described or Described()
    paragraphs = described.paragraphs(texts)
    if len(paragraphs) < 2:
        return Table(paragraphs, [], [])
    chapter = _chapter(paragraphs)
    by_name = boundary_columns(chapter, described)
    names = list(BOUNDARY)
    columns = [np.asarray(by_name[name], dtype=float) for name in names]
    for name in RELATIVE:
        depth, lowest = _depth(columns[names.index(name)])
        names += [name + "_depth", name + "_lowest"]
        columns += [depth, lowest]
    names += SHIFT_NAMES
    columns += [np.asarray(column, dtype=float) for column in shift_columns(paragraphs, texts, chapter.content, described)]
    names += ["z:" + name for name in names]
    columns += _all_standardised(columns)
    return Table(paragraphs, names, columns)


def chapter_features(texts: list[str]) -> list[dict[str, float]]:
    """Features of every boundary inside one run of paragraphs: entry i is before text i + 1."""
    return chapter_table(texts).rows()
