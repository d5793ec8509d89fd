"""Boundary features of what shifts across a boundary: voice, tense, people, pace, and where we are.

These add to ``features.py``'s cues and cohesion: whose pronouns the narration uses on each side
(a new viewpoint), its tense, the names in play, the paragraph lengths, how much speech, the
vocabulary at several window sizes, how the new paragraph opens (moving someone, setting a named
place or person, "It was ..."), whether the old one closes on a leaving, and where in the
chapter the boundary sits. Each is computed from the paragraphs already described, in one pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import accumulate

import numpy as np

from bookbuild.breaks.lexicon import (
    ARRIVE_WORDS,
    LEAVE_WORDS,
    OPENING_PREPOSITIONS,
    POV_GROUPS,
    SCENE_PAST,
    SCENE_PRESENT,
    STATIVE,
)
from bookbuild.breaks.paragraphs import Described, Paragraph
from bookbuild.breaks.windows import Column, Occurrences, occurrences, reach_back, reach_on, window_counts

# Word windows each side of a boundary whose vocabularies are compared (with a paragraph cap,
# so a run of one-line replies does not make a window huge).
COHESION_SCALES = ((100, 6), (500, 25), (1000, 40))
VOICE_WORDS = 300  # the span each side whose pronouns and tense are compared
VOICE_PARAGRAPHS = 6
NAME_SPANS = (3, 8)  # paragraphs each side whose names are compared
PACE_SPAN = 3  # paragraphs each side whose lengths are compared
SPEECH_SPAN = 6
_ARTICLES = frozenset(("the", "a", "an"))
_PRONOUN_LEADS = frozenset("it there he she they i we you his her their my our its this that".split())
_NOT_NAMES = _PRONOUN_LEADS | frozenset("the a an when then but and".split())
# "Mrs. Greyes and Miss Fritten had missed ...", "The Maxwell was one of ...": a scene set by naming.
_NAMED_STATIVE = re.compile(r"((?:[A-Z0-9][\w.'-]*\s+){1,4}?)(?:" + "|".join(sorted(STATIVE)) + r")\b")
_CAPITALISED = re.compile(r"[A-Z][a-z]{2,}\b")
_DIGIT = re.compile(r"\d")
_LEADING_QUOTES = "\"'“‘ "
_IT_WAS = frozenset((("it", "was"), ("there", "was"), ("it", "is")))

NAMES = (
    "rel_pos", "rel_words", "mid_bump", "len_jump", "len_jump_abs", "pov_dist6", "pov_dist_words",
    "first_share_change", "tense_dist", "present_after_share", "present_change", "names_j3",
    "names_j8", "coh100", "coh500", "coh1000", "dialogue_run", "narr_after_dialogue",
    "speech_change6", "open_article", "open_prep", "open_it", "n_log", "chapter_words_log",
    "open_name_first", "open_move", "head_move", "close_leave", "open_named_stative", "open_digit",
    "open_the_place",
)  # fmt: skip


# Each voice word's place in a paragraph's counts: the pronoun groups, then present, then past.
_VOICE_SLOT = {
    word: slot for slot, members in enumerate((*POV_GROUPS, SCENE_PRESENT, SCENE_PAST)) for word in members
}


def _voices(paragraphs: Sequence[Paragraph]) -> np.ndarray:
    """Per paragraph: pronoun groups (I, you, he, she, they), then present / past verbs, counted."""
    slots: list[int] = []
    owners: list[int] = []
    for index, paragraph in enumerate(paragraphs):
        found = list(map(_VOICE_SLOT.__getitem__, filter(_VOICE_SLOT.__contains__, paragraph.words)))
        slots += found
        owners += [index] * len(found)
    width = len(POV_GROUPS) + 2
    cells = np.array(owners, dtype=np.int64) * width + np.array(slots, dtype=np.int64)
    return np.bincount(cells, minlength=len(paragraphs) * width).reshape(len(paragraphs), width)


def _cosine_distances(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """1 - cosine of each row pair of two count arrays (0 where a side is all zero).

    The squares, products and sums are exact integers (far below 2**53, so exact as floats
    too); the square root and the division are each one IEEE rounding, as Python's are, so
    each figure is what summing the counts one by one gave.
    """
    norms = np.sqrt(((left * left).sum(axis=1) * (right * right).sum(axis=1)).astype(float))
    dots = (left * right).sum(axis=1)
    distances = np.zeros(len(norms))
    some = norms != 0.0
    distances[some] = 1.0 - dots[some] / norms[some]
    return distances


def _present_share(counts: np.ndarray) -> np.ndarray:
    return counts[:, -2] / np.maximum(1, counts[:, -2] + counts[:, -1])


def _first_share(counts: np.ndarray) -> np.ndarray:
    return counts[:, 0] / np.maximum(1, counts[:, : len(POV_GROUPS)].sum(axis=1))


OPENING = (
    "open_article", "open_prep", "open_it", "open_name_first", "open_move", "head_move",
    "open_named_stative", "open_digit", "open_the_place",
)  # fmt: skip


def _opening(after: Paragraph, text: str) -> tuple[float, ...]:
    """How a paragraph opens, one value per name in OPENING: the same wherever it stands."""
    opening = after.first_sentence
    first = opening[0] if opening else ""
    raw = text.lstrip(_LEADING_QUOTES)
    lead = raw.split(maxsplit=1)[0].lower() if raw.strip() else ""
    narration = after.opening_narration
    return (
        float(first in _ARTICLES),
        float(first in OPENING_PREPOSITIONS),
        float(opening[:2] in _IT_WAS),
        float(bool(_CAPITALISED.match(raw)) and lead not in _NOT_NAMES | OPENING_PREPOSITIONS),
        float(not ARRIVE_WORDS.isdisjoint(narration[:12])),
        float(not ARRIVE_WORDS.isdisjoint(narration[:4])),
        float(not after.dialogue and lead not in _PRONOUN_LEADS and bool(_NAMED_STATIVE.match(raw))),
        float(bool(_DIGIT.search(" ".join(opening[:10])))),
        float(len(opening) > 2 and first == "the" and opening[2] in STATIVE | {"of"}),
    )


def _close_leave(before: Paragraph) -> float:
    """Whether a paragraph closes on someone leaving, a door, the night, sleep."""
    return min(2, sum(map(LEAVE_WORDS.__contains__, before.last_sentence))) / 2


def _opening_columns(
    paragraphs: Sequence[Paragraph], texts: Sequence[str], described: Described
) -> dict[str, Column]:
    """The opening and closing features of every boundary, each paragraph's worked out once."""
    # A paragraph stands for one text (``described`` gives one per distinct text).
    openings: dict[int, tuple[float, ...]] = described.values("openings")
    closings: dict[int, float] = described.values("closings")
    opened = []
    closed = []
    for index in range(1, len(paragraphs)):
        after = paragraphs[index]
        known = openings.get(id(after))
        if known is None:
            known = openings[id(after)] = _opening(after, texts[index])
        opened.append(known)
        before = paragraphs[index - 1]
        leave = closings.get(id(before))
        if leave is None:
            leave = closings[id(before)] = _close_leave(before)
        closed.append(leave)
    columns = dict(zip(OPENING, map(list, zip(*opened, strict=True)), strict=True)) if opened else {}
    columns["close_leave"] = closed
    return columns


def _sums_of_three(values: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Per boundary i, the PACE_SPAN values before it and the PACE_SPAN from it, each summed.

    They are added left to right, as ``sum`` adds a slice; a value outside the run counts 0.0,
    which adds nothing to a sum of logarithms of lengths (never below 0).
    """
    count = len(values)
    padded = [0.0] * PACE_SPAN + values + [0.0] * PACE_SPAN
    # ``sum`` itself adds each three, so the figures follow whatever way this Python's sum adds.
    before = list(map(sum, zip(padded[1:count], padded[2 : count + 1], padded[3 : count + 2], strict=True)))
    after = list(map(sum, zip(padded[4 : count + 3], padded[5 : count + 4], padded[6 : count + 5], strict=True)))
    return np.array(before), np.array(after)


def _window_overlaps(
    words_until: list[int], people: list[set[str]], content: Occurrences
) -> dict[str, Column]:
    """The names and vocabulary shared across each boundary, at each span, for every boundary at once."""
    count = len(people)
    index = np.arange(count)
    overlaps = {}
    named = occurrences(people)
    for span in NAME_SPANS:
        counts = window_counts(named, np.maximum(index - span, 0), np.minimum(index + span, count))
        overlaps[f"names_j{span}"] = counts.overlap()
    for words, cap in COHESION_SCALES:
        counts = window_counts(content, reach_back(words_until, words, cap), reach_on(words_until, words, cap))
        overlaps[f"coh{words}"] = counts.overlap()
    return overlaps


def shift_columns(
    paragraphs: Sequence[Paragraph],
    texts: Sequence[str],
    content: Occurrences | None = None,
    described: Described | None = None,
) -> list[Column]:
    """One column per name in NAMES: entry i is the boundary before paragraph i + 1.

    ``content``: the paragraphs' content-word occurrences, if the caller has them already;
    ``described``: where the paragraphs were described, which keeps what is worked out from them.
    Every column is computed for all boundaries at once; the integer counts are exact and each
    float is made by the same operations, in the same order, as one boundary at a time.
    """
    count = len(paragraphs)
    if count < 2:
        return [[] for _ in NAMES]
    lengths = [len(p.words) for p in paragraphs]
    words_until = [0, *accumulate(lengths)]
    until = np.array(words_until, dtype=np.int64)
    total = max(1, words_until[-1])
    index = np.arange(1, count)
    columns: dict[str, Column] = {}
    share = until[1:count] / total
    columns["rel_pos"] = (index / count)
    columns["rel_words"] = share
    columns["mid_bump"] = (4 * share * (1 - share))
    pace_before, pace_after = _sums_of_three([math.log1p(length) for length in lengths])
    jump = pace_after / np.minimum(PACE_SPAN, count - index) - pace_before / np.minimum(PACE_SPAN, index)
    columns["len_jump"], columns["len_jump_abs"] = jump, np.abs(jump)

    groups = len(POV_GROUPS)
    voices = np.zeros((count + 1, groups + 2), dtype=np.int64)
    voices[1:] = _voices(paragraphs)
    voices = np.cumsum(voices, axis=0)  # row i: the counts over paragraphs[:i]
    here = voices[index]
    near_left = here - voices[np.maximum(0, index - VOICE_PARAGRAPHS)]
    near_right = voices[np.minimum(count, index + VOICE_PARAGRAPHS)] - here
    columns["pov_dist6"] = _cosine_distances(near_left[:, :groups], near_right[:, :groups])
    left = here - voices[reach_back(words_until, VOICE_WORDS, count)[1:]]
    right = voices[reach_on(words_until, VOICE_WORDS, count)[1:]] - here
    columns["pov_dist_words"] = _cosine_distances(left[:, :groups], right[:, :groups])
    columns["first_share_change"] = np.abs(_first_share(right) - _first_share(left))
    columns["tense_dist"] = _cosine_distances(left[:, groups:], right[:, groups:])
    columns["present_after_share"] = _present_share(right)
    columns["present_change"] = (_present_share(right) - _present_share(left))

    people = [p.names | ({p.speaker.capitalize()} if len(p.speaker) > 2 else set()) for p in paragraphs]
    if content is None:
        content = occurrences([p.content for p in paragraphs])
    columns.update(_window_overlaps(words_until, people, content))

    speech = [p.speech for p in paragraphs]
    runs = []  # per boundary: the paragraphs of speech just before it
    run = 0
    for spoken in speech[:-1]:
        run = run + 1 if spoken else 0
        runs.append(run)
    columns["dialogue_run"] = list(map(math.log1p, runs))
    columns["narr_after_dialogue"] = [
        float(run >= 2 and not spoken) for run, spoken in zip(runs, speech[1:], strict=True)
    ]
    spoken_until = np.array([0, *accumulate(speech)], dtype=np.int64)
    later = spoken_until[np.minimum(count, index + SPEECH_SPAN)] - spoken_until[index]
    prior = spoken_until[index] - spoken_until[np.maximum(0, index - SPEECH_SPAN)]
    change = later / np.minimum(SPEECH_SPAN, count - index) - prior / np.minimum(SPEECH_SPAN, index)
    columns["speech_change6"] = change
    columns["n_log"] = [math.log1p(count) / 6] * (count - 1)
    columns["chapter_words_log"] = [math.log1p(words_until[-1]) / 10] * (count - 1)
    columns.update(_opening_columns(paragraphs, texts, described or Described()))
    return [columns[name] for name in NAMES]
