"""Rank a book's paragraph boundaries: which to place as scene breaks, which to offer for review."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from bookbuild.breaks.features import chapter_table
from bookbuild.breaks.model import Model
from bookbuild.breaks.paragraphs import Described, Paragraph, describe

WORDS_PER_CANDIDATE = 250  # the review list holds at most one candidate per this many words
# Below this many words one process scores the book sooner than starting a second one would.
PARALLEL_WORDS = 150_000

Scored = tuple[float, int, int, float, bool]  # confidence, run, index, learned, conversation


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


def _score_runs(runs: Sequence[Sequence[str]], model: Model, first: int = 0) -> list[Scored]:
    """Every boundary of some runs, numbered from run ``first``: one chapter table per run."""
    scored = []
    described = Described()  # a text met again in a later chapter is read once
    for run_index, texts in enumerate(runs, start=first):
        if len(texts) < 2:
            continue
        # The table's paragraphs are already described: read the conversation off them.
        table = chapter_table(list(texts), described)
        paragraphs = table.paragraphs
        for offset, (confidence, learned) in enumerate(model.score_table(table)):
            conversation = _conversing(paragraphs[offset], paragraphs[offset + 1])
            scored.append((confidence, run_index, offset + 1, learned, conversation))
    return scored


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _score_in_parallel(runs: Sequence[Sequence[str]], words: list[int], model: Model, workers: int) -> list[Scored]:
    """The runs cut into one stretch of about equal words per core (``words``: each run's), each
    scored in its own process."""
    from concurrent.futures import ProcessPoolExecutor  # only a long book needs a second process
    from multiprocessing import get_context

    share, cuts, total = sum(words) / workers, [0], 0
    for index, count in enumerate(words):
        total += count
        if total >= share * len(cuts) and len(cuts) < workers:
            cuts.append(index + 1)
    cuts.append(len(runs))
    stretches = [(runs[a:b], a) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]
    if len(stretches) < 2:
        return _score_runs(runs, model)
    # This process scores the first stretch itself while the others are scored in forked ones.
    with ProcessPoolExecutor(len(stretches) - 1, mp_context=get_context("fork")) as pool:
        futures = [pool.submit(_score_runs, stretch, model, first) for stretch, first in stretches[1:]]
        here = _score_runs(stretches[0][0], model, stretches[0][1])
        return here + [item for future in futures for item in future.result()]


def score_boundaries(runs: Sequence[Sequence[str]], model: Model) -> list[Candidate]:
    """The review list, unplaced: the best boundaries first, at most one per 250 words of story.

    A long book is scored on every core, a stretch of chapters each; the list is the same.
    """
    per_run = [sum(map(len, map(str.split, texts))) for texts in runs]
    words = sum(per_run)
    workers = min(_cores(), len(runs))
    if words >= PARALLEL_WORDS and workers > 1:
        scored = _score_in_parallel(runs, per_run, model, workers)
    else:
        scored = _score_runs(runs, model)
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
        chosen.append(Candidate(c.run, c.index, c.confidence, placed, c.conversation, c.learned))
    return chosen


def rank_boundaries(runs: Sequence[Sequence[str]], model: Model, place: bool = True) -> list[Candidate]:
    """The review list for some runs of paragraphs (chapters, or stretches between marked breaks).

    Candidates come best first, at most one per 250 words of story. With ``place`` on, those at
    or above the model's threshold are placed, unless inside a conversation or next to another.
    """
    return choose(score_boundaries(runs, model), model.threshold if place else float("inf"))
