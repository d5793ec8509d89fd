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
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

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
from bookbuild.breaks.paragraphs import Paragraph
from bookbuild.breaks.windows import Occurrences, occurrences, reach_back, reach_on, window_counts

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


def _voice(paragraph: Paragraph) -> list[int]:
    """Pronoun groups (I, you, he, she, they) and present / past verbs among a paragraph's words."""
    counts = [0] * (len(POV_GROUPS) + 2)
    for word in paragraph.words:
        slot = _VOICE_SLOT.get(word)
        if slot is not None:
            counts[slot] += 1
    return counts


def _cosine_distance(left: Sequence[float], right: Sequence[float]) -> float:
    norm = math.sqrt(sum(v * v for v in left) * sum(v * v for v in right))
    return 1.0 - sum(a * b for a, b in zip(left, right, strict=True)) / norm if norm else 0.0


def _difference(totals: list[list[int]], start: int, end: int) -> list[int]:
    return [b - a for a, b in zip(totals[start], totals[end], strict=True)]


def _present_share(counts: Sequence[int]) -> float:
    return counts[-2] / max(1, counts[-2] + counts[-1])


def _first_share(counts: Sequence[int]) -> float:
    return counts[0] / max(1, sum(counts[: len(POV_GROUPS)]))


def _opening_features(feats: dict[str, float], before: Paragraph, after: Paragraph, text: str) -> None:
    """How the new paragraph opens, and whether the old one closes on someone leaving."""
    opening = after.first_sentence
    first = opening[0] if opening else ""
    raw = text.lstrip(_LEADING_QUOTES)
    lead = raw.split(maxsplit=1)[0].lower() if raw.strip() else ""
    narration = after.opening_narration
    feats["open_article"] = float(first in _ARTICLES)
    feats["open_prep"] = float(first in OPENING_PREPOSITIONS)
    feats["open_it"] = float(opening[:2] in _IT_WAS)
    feats["open_name_first"] = float(
        bool(_CAPITALISED.match(raw)) and lead not in _NOT_NAMES | OPENING_PREPOSITIONS
    )
    feats["open_move"] = float(not ARRIVE_WORDS.isdisjoint(narration[:12]))
    feats["head_move"] = float(not ARRIVE_WORDS.isdisjoint(narration[:4]))
    feats["close_leave"] = min(2, sum(map(LEAVE_WORDS.__contains__, before.last_sentence))) / 2
    feats["open_named_stative"] = float(
        not after.dialogue and lead not in _PRONOUN_LEADS and bool(_NAMED_STATIVE.match(raw))
    )
    feats["open_digit"] = float(bool(_DIGIT.search(" ".join(opening[:10]))))
    feats["open_the_place"] = float(len(opening) > 2 and first == "the" and opening[2] in STATIVE | {"of"})


def _window_overlaps(
    words_until: list[int], people: list[set[str]], content: Occurrences
) -> dict[str, list[float]]:
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
    paragraphs: Sequence[Paragraph], texts: Sequence[str], content: Occurrences | None = None
) -> list[list[float]]:
    """One column per name in NAMES: entry i is the boundary before paragraph i + 1.

    ``content``: the paragraphs' content-word occurrences, if the caller has them already.
    """
    count = len(paragraphs)
    lengths = [len(p.words) for p in paragraphs]
    words_until = [0]
    for length in lengths:
        words_until.append(words_until[-1] + length)
    total = max(1, words_until[-1])
    voice_totals = [[0] * (len(POV_GROUPS) + 2)]
    for p in paragraphs:
        voice_totals.append([a + b for a, b in zip(voice_totals[-1], _voice(p), strict=True)])
    log_lengths = [math.log1p(length) for length in lengths]
    speech = [p.speech for p in paragraphs]
    people = [p.names | ({p.speaker.capitalize()} if len(p.speaker) > 2 else set()) for p in paragraphs]
    if content is None:
        content = occurrences([p.content for p in paragraphs])
    overlaps = _window_overlaps(words_until, people, content)

    def voice_back(index: int) -> int:
        return max(bisect_right(words_until, words_until[index] - VOICE_WORDS) - 1, 0)

    def voice_on(index: int) -> int:
        return min(max(bisect_left(words_until, words_until[index] + VOICE_WORDS), index + 1), count)

    rows = []
    for index in range(1, count):
        feats: dict[str, float] = {}
        share = words_until[index] / total
        feats["rel_pos"] = index / count
        feats["rel_words"] = share
        feats["mid_bump"] = 4 * share * (1 - share)
        before_pace = log_lengths[max(0, index - PACE_SPAN) : index]
        after_pace = log_lengths[index : index + PACE_SPAN]
        jump = sum(after_pace) / len(after_pace) - sum(before_pace) / len(before_pace)
        feats["len_jump"], feats["len_jump_abs"] = jump, abs(jump)
        groups = len(POV_GROUPS)
        near_left = _difference(voice_totals, max(0, index - VOICE_PARAGRAPHS), index)
        near_right = _difference(voice_totals, index, min(count, index + VOICE_PARAGRAPHS))
        feats["pov_dist6"] = _cosine_distance(near_left[:groups], near_right[:groups])
        left = _difference(voice_totals, voice_back(index), index)
        right = _difference(voice_totals, index, voice_on(index))
        feats["pov_dist_words"] = _cosine_distance(left[:groups], right[:groups])
        feats["first_share_change"] = abs(_first_share(right) - _first_share(left))
        feats["tense_dist"] = _cosine_distance(left[groups:], right[groups:])
        feats["present_after_share"] = _present_share(right)
        feats["present_change"] = _present_share(right) - _present_share(left)
        for name, column in overlaps.items():
            feats[name] = column[index - 1]
        run = 0
        while run < index and speech[index - 1 - run]:
            run += 1
        feats["dialogue_run"] = math.log1p(run)
        feats["narr_after_dialogue"] = float(run >= 2 and not speech[index])
        later = speech[index : index + SPEECH_SPAN]
        prior = speech[max(0, index - SPEECH_SPAN) : index]
        feats["speech_change6"] = sum(later) / len(later) - sum(prior) / len(prior)
        feats["n_log"] = math.log1p(count) / 6
        feats["chapter_words_log"] = math.log1p(words_until[-1]) / 10
        _opening_features(feats, paragraphs[index - 1], paragraphs[index], texts[index])
        rows.append(feats)
    return [[row[name] for row in rows] for name in NAMES]
