"""Vocabulary windows either side of every boundary, counted for a whole chapter at once.

Cohesion compares the words (or names) of the paragraphs just before a boundary with those just
after it: the sizes of the two unions and of their intersection. Building the unions boundary by
boundary costs a window's words each time (40 paragraphs a side at the widest). Here each word's
occurrences are listed once, and each occurrence adds one to a range of boundaries, so a
chapter's every window costs one pass over its words, whatever the window sizes. The counts are
exact integers, so the ratios made from them are the very floats the unions gave.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

import numpy as np

Column = np.ndarray | list[float]  # a feature's value at each boundary of a chapter


@dataclass(frozen=True, slots=True)
class Occurrences:
    """Where each word of a run of sets occurs: its paragraph, and the next paragraph holding it."""

    count: int  # paragraphs
    at: np.ndarray  # the paragraph of each occurrence
    following: np.ndarray  # the next paragraph with the same word (``count`` if none)
    first: np.ndarray  # the paragraphs of the words' first occurrences


def occurrences(sets: Sequence[Set[str]]) -> Occurrences:
    """Every word of every set, with the next set that holds it again."""
    count = len(sets)
    seen_next: dict[str, int] = {}
    at: list[int] = []
    following: list[int] = []
    for index in range(count - 1, -1, -1):
        for word in sets[index]:
            at.append(index)
            following.append(seen_next.get(word, count))
            seen_next[word] = index
    # After the backward pass each word's entry is its first paragraph.
    first = np.fromiter(seen_next.values(), dtype=np.int64, count=len(seen_next))
    return Occurrences(count, np.array(at, dtype=np.int64), np.array(following, dtype=np.int64), first)


@dataclass(frozen=True, slots=True)
class Counts:
    """Per boundary (entry i before paragraph i + 1): words before, words after, words on both sides."""

    before: np.ndarray
    after: np.ndarray
    shared: np.ndarray

    def overlap(self) -> np.ndarray:
        """shared / sqrt(before * after), 0 where a side is empty: the cohesion of each boundary."""
        product = self.before * self.after
        ratio = np.zeros(len(product))
        some = product > 0
        ratio[some] = self.shared[some] / np.sqrt(product[some])
        return ratio


def _ranges(lows: np.ndarray, highs: np.ndarray, size: int) -> np.ndarray:
    """How many of the ranges [low, high] cover each of 0 .. size - 1."""
    keep = lows <= highs
    lows, highs = lows[keep], highs[keep]
    steps = np.bincount(lows, minlength=size + 1) - np.bincount(highs + 1, minlength=size + 1)
    return np.cumsum(steps)[:size]


def window_counts(found: Occurrences, starts: Sequence[int], ends: Sequence[int]) -> Counts:
    """Each boundary i's window counts, the windows being sets[starts[i] : i] and sets[i : ends[i]].

    ``starts`` and ``ends`` are indexed by paragraph (entry 0 unused) and never decrease, as word
    windows do not; each window holds at least the paragraph next to the boundary.
    """
    count = found.count
    if count < 2:
        empty = np.zeros(0, dtype=np.int64)
        return Counts(empty, empty, empty)
    starts_array = np.asarray(starts[1:count], dtype=np.int64)
    ends_array = np.asarray(ends[1:count], dtype=np.int64)
    # The last boundary whose left window reaches back to each paragraph, and the first whose
    # right window reaches on past it (boundaries are numbered 1 .. count - 1).
    last_reaching = np.searchsorted(starts_array, np.arange(count), side="right")
    first_past = np.searchsorted(ends_array, np.arange(count), side="right") + 1
    at, following = found.at, found.following
    last = count - 1
    # Before: an occurrence counts from the boundary after it until the word's next occurrence.
    before = _ranges(at + 1, np.minimum(np.minimum(following, last_reaching[at]), last), count)
    # After: a word counts from the boundary after its previous occurrence, if the window reaches it.
    again = following < count
    previous, onward = at[again], following[again]
    after_lows = np.concatenate((np.maximum(previous + 1, first_past[onward]), first_past[found.first]))
    after_highs = np.minimum(np.concatenate((onward, found.first)), last)
    after = _ranges(after_lows, after_highs, count)
    # Both: an occurrence and the word's next one, around the boundary and inside both windows.
    shared = _ranges(
        np.maximum(previous + 1, first_past[onward]), np.minimum(onward, last_reaching[previous]), count
    )
    return Counts(before[1:], after[1:], shared[1:])


def reach_back(words_until: Sequence[int], words: int, cap: int) -> np.ndarray:
    """Per paragraph i: where the paragraphs before it start to hold ``words`` words (at most ``cap`` back)."""
    until = np.asarray(words_until, dtype=np.int64)
    index = np.arange(len(until) - 1)
    reach = np.searchsorted(until, until[:-1] - words, side="right") - 1
    return np.maximum(np.maximum(reach, index - cap), 0)


def reach_on(words_until: Sequence[int], words: int, cap: int) -> np.ndarray:
    """Per paragraph i: where the paragraphs from it on hold ``words`` words (at most ``cap``), exclusive."""
    until = np.asarray(words_until, dtype=np.int64)
    count = len(until) - 1
    index = np.arange(count)
    reach = np.searchsorted(until, until[:-1] + words, side="left")
    return np.minimum(np.minimum(np.maximum(reach, index + 1), index + cap), count)
