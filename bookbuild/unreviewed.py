"""The review line: scene-break candidates no book.toml answer covers yet, and what to run.

A story saved without its scene breaks builds into one unbroken run of text; the scorer lists
the likely places but places a break only where it is sure. The build and ``inspect`` say so
in one line, with how many breaks a story with chapters of its lengths usually has (measured
on the training works, ``bookbuild/breaks/break_rate.json``) and the command that reviews them.
"""

from __future__ import annotations

import functools
import json
import shlex
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookbuild import breaks
from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Book, Paragraph, SceneBreak, block_text
from bookbuild.pipeline import Result, review_candidates
from bookbuild.structure.overrides import phrase_matches

RATE_PATH = Path(breaks.__file__).with_name("break_rate.json")


@dataclass(frozen=True, slots=True)
class Unreviewed:
    """Candidates left to review in a story without marked breaks, and the usual count for its length."""

    candidates: int
    words: int
    usual: tuple[int, int]  # the training works' usual count for chapters of this story's lengths

    def line(self, command: str) -> str:
        """The one line the build prints."""
        low, high = self.usual
        usual = f"{low}" if low == high else f"{low}–{high}"
        return (
            f"{self.candidates} possible scene break(s) to review "
            f"(a story of {self.words:,} words usually has {usual}): {command}"
        )


@functools.cache
def _rates() -> dict[str, Any]:
    return json.loads(RATE_PATH.read_text(encoding="utf-8"))


def usual_breaks(chapter_words: Sequence[int]) -> tuple[int, int]:
    """How many scene breaks a story with chapters of these lengths usually has.

    Each chapter counts at the training works' pooled rate for chapters of its length (a long
    chapter holds more breaks per word: a novel's short chapters end where a story's scenes
    break); the range is that count spread as the works' own rates spread about their median.
    """
    rates = _rates()
    bands = rates["by_chapter_length"]["bands"]
    edges = [band["words_below"] for band in bands[:-1]]
    expected = sum(bands[bisect_right(edges, words)]["per_1000_words"] * words / 1000 for words in chapter_words)
    spread = rates["per_1000_words"]
    low, high = (expected * spread[end] / spread["median"] for end in ("low", "high"))
    return round(low), max(1, round(high))


def _chapter_words(book: Book) -> list[int]:
    return [
        sum(len(block_text(b).split()) for b in s.blocks if isinstance(b, Paragraph)) for s in book.chapters()
    ]


def _marks_breaks(result: Result) -> bool:
    """Whether the manuscript marks breaks of its own (a break book.toml added is an answer, placed
    by the inference step as an inferred break, not a mark)."""
    return any(isinstance(b, SceneBreak) and not b.inferred for s in result.book.chapters() for b in s.blocks)


def unreviewed(source: Path, cfg: BuildConfig, result: Result) -> Unreviewed | None:
    """The candidates no book.toml answer covers, when the story marks no breaks of its own.

    ``result`` is the run just made with ``cfg``; the review list is the one ``bookbuild review``
    asks about (scored without the answers), taken from ``result`` where no answer is given yet.
    """
    if cfg.scene_breaks != "auto" or _marks_breaks(result):
        return None  # breaks off or marked only: the user asked for no inferred breaks
    overrides = cfg.overrides
    answers = overrides.scene_breaks_add + overrides.scene_breaks_remove
    listed = result if not answers else review_candidates(source, cfg)
    left = [
        d
        for d in listed.decisions
        if d.data.get("candidate") and not any(_covers(key, d) for key in answers)
    ]
    if not left:
        return None
    chapters = _chapter_words(result.book)
    return Unreviewed(len(left), sum(chapters), usual_breaks(chapters))


def _covers(key: str, candidate: Decision) -> bool:
    """Whether a book.toml key names the candidate's paragraph (read from its key or its excerpt)."""
    named = candidate.data.get("key") or ""
    return phrase_matches(named, key) or phrase_matches(candidate.excerpt.removesuffix("…").strip(), key)


def review_command(source: Path, config_path: Path | None = None) -> str:
    """The exact command that reviews this manuscript's candidates, quoted for a shell."""
    parts = ["bookbuild", "review", str(source)]
    if config_path is not None:
        parts += ["--config", str(config_path)]
    return shlex.join(parts)


def review_line(source: Path, cfg: BuildConfig, result: Result, config_path: Path | None = None) -> str | None:
    """The line to print after a build, or None when nothing is left to review."""
    left = unreviewed(source, cfg, result)
    return left.line(review_command(source, config_path)) if left else None
