"""Features of every paragraph boundary in a chapter: cues, speakers, rhythm, cohesion, position."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter, sub, truediv

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
from bookbuild.breaks.paragraphs import Paragraph, describe
from bookbuild.breaks.shifts import NAMES as SHIFT_NAMES
from bookbuild.breaks.shifts import shift_columns
from bookbuild.breaks.windows import Occurrences, occurrences, reach_back, reach_on, window_counts

_TIME_SHIFT = re.compile(TIME_SHIFT)
_TIME_CUES = TIME_WORDS | SHIFT_WORDS

WINDOW_WORDS = 200  # the span each side of a boundary that cohesion compares
WINDOW_MAX = 12  # paragraphs, so a run of one-line replies does not make the window huge
DEPTH_SPAN = 4  # boundaries each side that a cohesion value is compared with
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
    names: list[frozenset[str]]
    speech: list[bool]
    starts: list[int]  # per paragraph: where the window of WINDOW_WORDS before it starts
    # Per boundary (entry i - 1 before paragraph i): the features that compare the windows either
    # side, counted for the whole chapter at once (windows.py).
    across: dict[str, list[float]]
    content: Occurrences  # the content words' occurrences, which shifts.py's windows count too


def _overlap(left: set[str], right: set[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / math.sqrt(len(left) * len(right))


def _log(value: float, scale: float) -> float:
    return math.log1p(value) / scale


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


def _cue_features(feats: dict[str, float], before: Paragraph, after: Paragraph) -> None:
    """Time and place cues in the new paragraph's opening, and how the old one closes."""
    opening = after.first_sentence
    times, shifts = _time_words(opening)
    phrase = _time_phrase(opening)
    head_times, head_shifts = _time_words(opening[:8])
    # A phrase within the first eight words is one of the whole opening too: look only if there is one.
    head_phrase = phrase and (len(opening) <= 8 or _time_phrase(opening[:8]))
    narr_times, narr_shifts = _time_words(after.opening_narration)
    narr_phrase = _time_phrase(after.opening_narration)
    feats["open_time_words"] = min(times, 3) / 3
    feats["open_shift_words"] = min(shifts, 2) / 2
    feats["open_time_phrase"] = float(phrase)
    feats["head_time_words"] = min(head_times, 2) / 2
    feats["head_shift_words"] = float(head_shifts > 0)
    feats["head_time_phrase"] = float(head_phrase)
    feats["narration_time_words"] = min(narr_times, 2) / 2
    feats["narration_shift_words"] = float(narr_shifts > 0)
    feats["narration_time_phrase"] = float(narr_phrase)
    feats["dialogue_time_phrase"] = float(narr_phrase and after.dialogue)
    feats["head_setting_words"] = min(2, sum(map(SETTING_WORDS.__contains__, opening[:10]))) / 2
    feats["close_time_words"] = min(_time_words(before.last_sentence)[0], 2) / 2
    feats["first_pronoun"] = float(bool(opening) and opening[0] in PRONOUNS)
    feats["first_connective"] = float(bool(opening) and opening[0] in CONNECTIVES)
    feats["past_perfect_open"] = float("had" in opening[:10])
    feats["tense_shift"] = float(after.present > after.past and before.present <= before.past)


def _speech_features(feats: dict[str, float], chapter: Chapter, index: int) -> None:
    """Speech on each side: a scene rarely changes between two lines of one conversation."""
    before, after = chapter.paragraphs[index - 1], chapter.paragraphs[index]
    pair = "ND"[before.dialogue] + "ND"[after.dialogue]
    feats["pair=NN"] = float(pair == "NN")
    feats["pair=ND"] = float(pair == "ND")
    feats["pair=DN"] = float(pair == "DN")
    feats["pair=DD"] = float(pair == "DD")
    feats["before_speech"] = float(before.speech)
    feats["after_speech"] = float(after.speech)
    feats["before_ends_speech"] = float(before.ends_speech)
    feats["before_question"] = float(before.ends_question)
    prior = chapter.speech[max(0, index - 4) : index]
    later = chapter.speech[index : index + 4]
    feats["speech_before"] = sum(prior) / max(1, len(prior))
    feats["speech_after"] = sum(later) / max(1, len(later))
    feats["speech_both"] = feats["speech_before"] * feats["speech_after"]
    # A scene that opens cold on a short bare question, straight after narration (see model priors).
    feats["cold_question"] = float(
        after.dialogue
        and not after.speaker
        and after.ends_question
        and len(after.words) <= 12
        and not before.dialogue
        and not before.ends_question
    )


def boundary_features(chapter: Chapter, index: int, words_before: int, words_total: int) -> dict[str, float]:
    """Features of the boundary before ``chapter.paragraphs[index]`` (index >= 1)."""
    paragraphs = chapter.paragraphs
    before, after = paragraphs[index - 1], paragraphs[index]
    feats: dict[str, float] = {}
    _cue_features(feats, before, after)
    _speech_features(feats, chapter, index)
    start = chapter.starts[index]
    names, across = chapter.names, chapter.across

    # Who is named or speaks: new people after the boundary, people carried across it.
    recent_names = set().union(*names[max(0, index - 12) : index])
    ahead_names = after.names | (paragraphs[index + 1].names if index + 1 < len(paragraphs) else frozenset())
    near_names = before.names | (paragraphs[index - 2].names if index >= 2 else frozenset())
    feats["new_names"] = min(len(ahead_names - recent_names), 3) / 3
    feats["carried_names"] = min(len(ahead_names & near_names), 3) / 3
    opening = after.first_sentence
    # Names are capitalised ASCII words, so the opening word names someone if capitalised it is one.
    first = opening[0].capitalize() if opening else ""
    feats["opens_on_name"] = float(bool(opening) and (first in after.names or first in recent_names))
    used_before = chapter.used_before[index]  # a word is recent if used since ``start``
    speaker = after.speaker
    named = bool(speaker) and speaker not in PRONOUNS
    feats["speaker_pronoun"] = float(speaker in PRONOUNS)
    feats["speaker_new"] = float(named and used_before[speaker] < start)
    feats["speaker_known"] = float(named and used_before[speaker] >= start)
    feats["people_overlap"] = across["people_overlap"][index - 1]
    feats["people_none"] = across["people_none"][index - 1]

    # Lexical cohesion across the boundary, and words new to the chapter (a new scene's props).
    feats["cohesion_near"] = _overlap(before.content, after.content)
    for name in ("cohesion_wide", "cohesion_words", "fresh_after", "stale_before"):
        feats[name] = across[name][index - 1]
    novel = after.opening_content
    feats["opening_novelty"] = sum(map(start.__gt__, map(used_before.__getitem__, novel))) / max(
        1, len(novel)
    )
    setting = after.opening_stems
    if index + 1 < len(paragraphs) and len(after.words) < 25:
        # A scene that opens on a short line of speech sets its place in the next paragraph.
        setting += paragraphs[index + 1].opening_stems
    fresh = sum(map(index.__le__, map(chapter.first_seen.get, setting, repeat(index))))
    feats["setting_fresh"] = fresh / max(1, len(setting))
    feats["setting_fresh_count"] = min(4, fresh) / 4

    # Size and place in the chapter.
    feats["len_before"] = _log(len(before.words), 6)
    feats["len_after"] = _log(len(after.words), 6)
    feats["short_before"] = float(len(before.words) <= 10)
    feats["from_start"] = _log(index, 6)
    feats["to_end"] = _log(len(paragraphs) - index, 6)
    feats["words_from_start"] = _log(words_before, 10)
    feats["words_to_end"] = _log(words_total - words_before, 10)
    feats["near_start"] = float(index <= 3)
    feats["near_end"] = float(len(paragraphs) - index <= 3)
    return feats


def _depth(values: list[float]) -> tuple[list[float], list[float]]:
    """How much lower each value is than the highest nearby on either side, and whether it is lowest.

    Each side's highest includes the value itself, so a side with nothing higher adds nothing.
    """
    count = len(values)

    def shifted(pad: float) -> list[list[float]]:  # the values DEPTH_SPAN before ... DEPTH_SPAN after
        padded = [pad] * DEPTH_SPAN + values + [pad] * DEPTH_SPAN
        return [padded[k : k + count] for k in range(2 * DEPTH_SPAN + 1)]

    highs, lows = shifted(-math.inf), shifted(math.inf)
    left = map(max, *highs[: DEPTH_SPAN + 1])
    right = map(max, *highs[DEPTH_SPAN:])
    depth = [
        (high_left - v) + (high_right - v)
        for high_left, high_right, v in zip(left, right, values, strict=True)
    ]
    lowest = [float(v <= low) for v, low in zip(values, map(min, *lows), strict=True)]
    return depth, lowest


def _standardised(values: list[float]) -> list[float]:
    """A feature as z-scores within the chapter, so one book's style is its own baseline."""
    count = len(values)
    mean = sum(values) / count
    deviations = list(map(sub, values, repeat(mean)))
    spread = math.sqrt(sum(map(pow, deviations, repeat(2))) / count) + 0.05
    return list(map(truediv, deviations, repeat(spread)))


@dataclass(frozen=True, slots=True)
class Table:
    """Every boundary's features in one run of paragraphs: one column per name, entry i before text i + 1."""

    paragraphs: list[Paragraph]
    names: list[str]
    columns: list[list[float]]

    def rows(self) -> list[dict[str, float]]:
        """The same features as one dict per boundary."""
        return [dict(zip(self.names, values, strict=True)) for values in zip(*self.columns, strict=True)]


def _running(counts: list[int]) -> list[int]:
    """Running totals, from 0: entry i is the sum of counts[:i]."""
    totals = [0]
    for count in counts:
        totals.append(totals[-1] + count)
    return totals


def _shares(counts: np.ndarray, sizes: np.ndarray) -> list[float]:
    """counts / sizes, 0 where a size is 0."""
    ratio = np.zeros(len(sizes))
    some = sizes > 0
    ratio[some] = counts[some] / sizes[some]
    return ratio.tolist()


def _across(
    content: Occurrences, names: list[frozenset[str]], starts: np.ndarray, ends: np.ndarray
) -> dict[str, list[float]]:
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
        "people_none": ((people.before == 0) & (people.after == 0)).astype(float).tolist(),
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
        names,
        [p.speech for p in paragraphs],
        starts.tolist(),
        _across(content, names, starts, ends),
        content,
    )


ROWS_AT_ONCE = 2048  # boundaries whose feature dicts are held before they become columns


def chapter_table(texts: list[str]) -> Table:
    """Features of every boundary inside one run of paragraphs, by column.

    The rows are turned into columns a stretch at a time, so a run of 100,000 paragraphs (a
    pasted list of one-word lines) never holds 100,000 feature dicts at once.
    """
    # A text met again (a short reply, a pasted list of one-word lines) is described once.
    described: dict[str, Paragraph] = {}
    paragraphs = [described.get(text) or described.setdefault(text, describe(text)) for text in texts]
    chapter = _chapter(paragraphs)
    words_until = chapter.words_until
    names: list[str] = []
    columns: list[list[float]] = []
    for first in range(1, len(paragraphs), ROWS_AT_ONCE):
        rows = [
            boundary_features(chapter, index, words_until[index], words_until[-1])
            for index in range(first, min(first + ROWS_AT_ONCE, len(paragraphs)))
        ]
        if not names:
            names = list(rows[0])
            columns = [[] for _ in names]
        for column, stretch in zip(columns, zip(*map(itemgetter(*names), rows), strict=True), strict=True):
            column.extend(stretch)
    if not names:
        return Table(paragraphs, [], [])
    for name in RELATIVE:
        depth, lowest = _depth(columns[names.index(name)])
        names += [name + "_depth", name + "_lowest"]
        columns += [depth, lowest]
    names += SHIFT_NAMES
    columns += shift_columns(paragraphs, texts, chapter.content)
    names += ["z:" + name for name in names]
    columns += [_standardised(column) for column in columns]
    return Table(paragraphs, names, columns)


def chapter_features(texts: list[str]) -> list[dict[str, float]]:
    """Features of every boundary inside one run of paragraphs: entry i is before text i + 1."""
    return chapter_table(texts).rows()
