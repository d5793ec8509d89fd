"""Score the boundary scorer on labelled works: placed precision and recall, review-list recall."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bookbuild.breaks.candidates import Candidate, choose, score_boundaries
from bookbuild.breaks.corpus import Work
from bookbuild.breaks.model import Model


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts for one work or a whole set."""

    breaks: int = 0
    placed: int = 0
    placed_right: int = 0
    listed: int = 0
    listed_right: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self.counts(), other.counts(), strict=True)))

    def counts(self) -> tuple[int, int, int, int, int]:
        """The raw counts, in field order."""
        return (self.breaks, self.placed, self.placed_right, self.listed, self.listed_right)

    @property
    def precision(self) -> float:
        """Share of placed breaks that are real (1.0 when none was placed)."""
        return self.placed_right / self.placed if self.placed else 1.0

    @property
    def recall(self) -> float:
        """Share of real breaks that were placed."""
        return self.placed_right / self.breaks if self.breaks else 1.0

    @property
    def review_recall(self) -> float:
        """Share of real breaks that the review list holds."""
        return self.listed_right / self.breaks if self.breaks else 1.0


def tally(work: Work, candidates: Sequence[Candidate]) -> Tally:
    """Compare one work's candidates with its gold breaks."""
    real = {(c, i) for c, flags in enumerate(work.breaks) for i, flag in enumerate(flags) if flag and i > 0}
    placed = [c for c in candidates if c.placed]
    return Tally(
        breaks=len(real),
        placed=len(placed),
        placed_right=sum((c.run, c.index) in real for c in placed),
        listed=len(candidates),
        listed_right=sum((c.run, c.index) in real for c in candidates),
    )


def evaluate(model: Model, works: Sequence[Work]) -> dict[str, Tally]:
    """A tally per work, with the model's own threshold."""
    return {w.name: tally(w, choose(score_boundaries(w.chapters, model), model.threshold)) for w in works}


def summary(tallies: dict[str, Tally]) -> str:
    """One line of figures for a set of works."""
    total = sum(tallies.values(), Tally())
    return (
        f"placed precision={total.precision:.2f} ({total.placed_right}/{total.placed}) "
        f"recall={total.recall:.2f} ({total.placed_right}/{total.breaks}); "
        f"review-list recall={total.review_recall:.2f} ({total.listed_right}/{total.breaks}, "
        f"{total.listed} listed)"
    )


FRONTIER_PRECISIONS = (0.9, 0.75, 0.5)
FRONTIER_MIN_PLACED = 5  # fewer placements than this say nothing about a precision


def frontier(works: Sequence[Work], candidates: dict[str, Sequence[Candidate]]) -> dict[str, float]:
    """The most recall any one threshold reaches at each precision (what placement could do at best).

    Candidates are taken in order of learned confidence across all works, leaving out those
    inside a conversation (never placed); the adjacency rule is ignored, so this is an upper bound.
    """
    real = {
        (w.name, c, i)
        for w in works
        for c, flags in enumerate(w.breaks)
        for i, flag in enumerate(flags)
        if flag and i > 0
    }
    ranked = sorted(
        (
            (c.learned, (w.name, c.run, c.index))
            for w in works
            for c in candidates[w.name]
            if not c.conversation
        ),
        key=lambda item: -item[0],
    )
    best = dict.fromkeys(FRONTIER_PRECISIONS, 0.0)
    right = 0
    for placed, (_, spot) in enumerate(ranked, start=1):
        right += spot in real
        for target in FRONTIER_PRECISIONS:
            if placed >= FRONTIER_MIN_PLACED and right / placed >= target and real:
                best[target] = max(best[target], right / len(real))
    return {f"recall_at_precision_{target}": round(value, 3) for target, value in best.items()}
