"""Rank a book's paragraph boundaries: which to place as scene breaks, which to offer for review."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from bookbuild.breaks.features import chapter_table
from bookbuild.breaks.model import Model
from bookbuild.breaks.paragraphs import Paragraph, describe

WORDS_PER_CANDIDATE = 250  # the review list holds at most one candidate per this many words


@dataclass(frozen=True, slots=True)
class Candidate:
    """A boundary worth a look: before paragraph ``index`` of run ``run``."""

    run: int
    index: int
    confidence: float
    placed: bool
    conversation: bool  # speech on both sides: never placed, however high the score
    learned: float = 0.0  # the confidence without hand-set priors: the one placement trusts


def mid_conversation(before: str, after: str) -> bool:
    """Whether two paragraphs read as one conversation (speech on both sides, or a question asked)."""
    return _conversing(describe(before), describe(after))


def _conversing(left: Paragraph, right: Paragraph) -> bool:
    return (left.speech and right.speech) or (left.ends_question and right.speech)


def review_size(words: int) -> int:
    """How many candidates a story of this many words may list."""
    return words // WORDS_PER_CANDIDATE


def score_boundaries(runs: Sequence[Sequence[str]], model: Model) -> list[Candidate]:
    """The review list, unplaced: the best boundaries first, at most one per 250 words of story."""
    words = sum(map(len, map(str.split, chain.from_iterable(runs))))
    scored = []
    for run_index, texts in enumerate(runs):
        if len(texts) < 2:
            continue
        # The table's paragraphs are already described: read the conversation off them.
        table = chapter_table(list(texts))
        paragraphs = table.paragraphs
        for offset, (confidence, learned) in enumerate(model.score_table(table)):
            conversation = _conversing(paragraphs[offset], paragraphs[offset + 1])
            scored.append((confidence, run_index, offset + 1, learned, conversation))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [
        Candidate(run, index, round(confidence, 4), False, conversation, round(learned, 4))
        for confidence, run, index, learned, conversation in scored[: review_size(words)]
    ]


def choose(candidates: Sequence[Candidate], threshold: float) -> list[Candidate]:
    """Mark the candidates to place: confident enough, not inside a conversation, not next to another."""
    placed_at: set[tuple[int, int]] = set()
    chosen = []
    for c in candidates:
        adjacent = (c.run, c.index - 1) in placed_at or (c.run, c.index + 1) in placed_at
        placed = c.learned >= threshold and not c.conversation and not adjacent
        if placed:
            placed_at.add((c.run, c.index))
        chosen.append(dataclasses.replace(c, placed=placed))
    return chosen


def rank_boundaries(runs: Sequence[Sequence[str]], model: Model, place: bool = True) -> list[Candidate]:
    """The review list for some runs of paragraphs (chapters, or stretches between marked breaks).

    Candidates come best first, at most one per 250 words of story. With ``place`` on, those at
    or above the model's threshold are placed, unless inside a conversation or next to another.
    """
    return choose(score_boundaries(runs, model), model.threshold if place else float("inf"))
