"""shifts.py as first shipped: each boundary's shift features computed on their own, one dict each.

The word lists, window sizes and patterns are the live module's: only the computation is kept.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from bookbuild.breaks.lexicon import ARRIVE_WORDS, LEAVE_WORDS, OPENING_PREPOSITIONS, POV_GROUPS, STATIVE
from bookbuild.breaks.paragraphs import Paragraph
from bookbuild.breaks.shifts import (
    _ARTICLES,
    _CAPITALISED,
    _DIGIT,
    _IT_WAS,
    _LEADING_QUOTES,
    _NAMED_STATIVE,
    _NOT_NAMES,
    _PRONOUN_LEADS,
    _VOICE_SLOT,
    COHESION_SCALES,
    NAME_SPANS,
    NAMES,
    PACE_SPAN,
    SPEECH_SPAN,
    VOICE_PARAGRAPHS,
    VOICE_WORDS,
)


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


def _overlap(left: set[str], right: set[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / math.sqrt(len(left) * len(right))


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


def shift_columns(paragraphs: Sequence[Paragraph], texts: Sequence[str]) -> list[list[float]]:
    """One column per name in NAMES: entry i is the boundary before paragraph i + 1."""
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
    content = [p.content for p in paragraphs]

    def reach_back(index: int, words: int, cap: int) -> int:
        return max(bisect_right(words_until, words_until[index] - words) - 1, index - cap, 0)

    def reach_on(index: int, words: int, cap: int) -> int:
        return min(max(bisect_left(words_until, words_until[index] + words), index + 1), index + cap, count)

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
        left = _difference(voice_totals, reach_back(index, VOICE_WORDS, count), index)
        right = _difference(voice_totals, index, reach_on(index, VOICE_WORDS, count))
        feats["pov_dist_words"] = _cosine_distance(left[:groups], right[:groups])
        feats["first_share_change"] = abs(_first_share(right) - _first_share(left))
        feats["tense_dist"] = _cosine_distance(left[groups:], right[groups:])
        feats["present_after_share"] = _present_share(right)
        feats["present_change"] = _present_share(right) - _present_share(left)
        for span in NAME_SPANS:
            feats[f"names_j{span}"] = _overlap(
                set().union(*people[max(0, index - span) : index]), set().union(*people[index : index + span])
            )
        for words, cap in COHESION_SCALES:
            feats[f"coh{words}"] = _overlap(
                set().union(*content[reach_back(index, words, cap) : index]),
                set().union(*content[index : reach_on(index, words, cap)]),
            )
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
