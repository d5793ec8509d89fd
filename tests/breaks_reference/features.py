"""features.py as first shipped: every boundary's features computed on their own, one dict each.

The word lists, window sizes and the cue helpers are the live module's: only the computation of
the windows, rows and columns is kept.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter, sub, truediv

from bookbuild.breaks.features import (
    DEPTH_SPAN,
    RELATIVE,
    WINDOW_MAX,
    WINDOW_WORDS,
    _overlap,
    _running,
    _time_phrase,
    _time_words,
)
from bookbuild.breaks.lexicon import CONNECTIVES, PRONOUNS, SETTING_WORDS
from bookbuild.breaks.paragraphs import Paragraph, describe
from tests.breaks_reference.shifts import NAMES as SHIFT_NAMES
from tests.breaks_reference.shifts import shift_columns


def _log(value: float, scale: float) -> float:
    return math.log1p(value) / scale


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter's paragraphs and running counts over them, so a window's figures are differences."""

    paragraphs: list[Paragraph]
    first_seen: dict[str, int]  # where each content word first occurs
    words_until: list[int]  # entry i: the words in paragraphs[:i]
    new_until: list[int]  # entry i: the content words whose first use is in paragraphs[:i]
    gone_until: list[int]  # entry i: the content words whose last use is in paragraphs[:i]
    # Per paragraph: for each content word of its opening, and its speaker, the last paragraph
    # before it that uses the word (-1 if none), so "used in the last 200 words" is a comparison.
    used_before: list[dict[str, int]]
    # The paragraphs' sets and flags as lists, so a window's union is one call on a slice.
    content: list[frozenset[str]]
    names: list[frozenset[str]]
    speech: list[bool]
    # The content words of the four paragraphs from an index: each such union is the "after"
    # side of one boundary and the "before" side of the boundary four on, so it is kept until then.
    four_from: dict[int, set[str]] = field(default_factory=dict)


def _window_before(words_until: list[int], index: int) -> int:
    """Where the paragraphs before ``index`` start to hold WINDOW_WORDS words (at most WINDOW_MAX back)."""
    reach = bisect_right(words_until, words_until[index] - WINDOW_WORDS) - 1
    return max(reach, index - WINDOW_MAX, 0)


def _window_after(words_until: list[int], index: int) -> int:
    """Where the paragraphs from ``index`` on hold WINDOW_WORDS words (at most WINDOW_MAX), exclusive."""
    reach = bisect_left(words_until, words_until[index] + WINDOW_WORDS)
    return min(reach, index + WINDOW_MAX, len(words_until) - 1)


def _share(count: int, words: set[str]) -> float:
    return count / len(words) if words else 0.0


def _four_from(chapter: Chapter, start: int, keep: bool = False) -> set[str]:
    """The content words of paragraphs[start : start + 4] (from 0 if start is below 0)."""
    if start < 0:
        return set().union(*chapter.content[: start + 4])
    words = chapter.four_from.pop(start, None)
    if words is None:
        words = set().union(*chapter.content[start : start + 4])
    if keep:
        chapter.four_from[start] = words
    return words


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
    start, end = _window_before(chapter.words_until, index), _window_after(chapter.words_until, index)
    names, content = chapter.names, chapter.content

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
    left_people = set().union(*names[start:index])
    right_people = set().union(*names[index:end])
    feats["people_overlap"] = _overlap(left_people, right_people)
    feats["people_none"] = float(not left_people and not right_people)

    # Lexical cohesion across the boundary, and words new to the chapter (a new scene's props).
    left_vocab: set[str] = set().union(*content[start:index])
    right_vocab: set[str] = set().union(*content[index:end])
    feats["cohesion_near"] = _overlap(before.content, after.content)
    feats["cohesion_wide"] = _overlap(_four_from(chapter, index - 4), _four_from(chapter, index, keep=True))
    feats["cohesion_words"] = _overlap(left_vocab, right_vocab)
    # A word of the right window first used in it was first used in one of its paragraphs.
    feats["fresh_after"] = _share(chapter.new_until[end] - chapter.new_until[index], right_vocab)
    feats["stale_before"] = _share(chapter.gone_until[index] - chapter.gone_until[start], left_vocab)
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


def _chapter(paragraphs: list[Paragraph]) -> Chapter:
    """A chapter's running counts, in one pass each way."""
    first_seen: dict[str, int] = {}
    for index in range(len(paragraphs) - 1, -1, -1):
        first_seen.update(dict.fromkeys(paragraphs[index].content, index))
    last_seen: dict[str, int] = {}
    used_before: list[dict[str, int]] = []
    last_used: dict[str, int] = {}
    for index, p in enumerate(paragraphs):
        last_seen.update(dict.fromkeys(p.content, index))
        asked = p.opening_content + ((p.speaker,) if p.speaker else ())
        used_before.append({w: last_used.get(w, -1) for w in asked})
        last_used.update(dict.fromkeys(p.words, index))
    new, gone = Counter(first_seen.values()), Counter(last_seen.values())
    return Chapter(
        paragraphs,
        first_seen,
        _running([len(p.words) for p in paragraphs]),
        _running([new[i] for i in range(len(paragraphs))]),
        _running([gone[i] for i in range(len(paragraphs))]),
        used_before,
        [p.content for p in paragraphs],
        [p.names for p in paragraphs],
        [p.speech for p in paragraphs],
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
    columns += shift_columns(paragraphs, texts)
    names += ["z:" + name for name in names]
    columns += [_standardised(column) for column in columns]
    return Table(paragraphs, names, columns)


def chapter_features(texts: list[str]) -> list[dict[str, float]]:
    """Features of every boundary inside one run of paragraphs: entry i is before text i + 1."""
    return chapter_table(texts).rows()
