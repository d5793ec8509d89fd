"""Place the scene breaks a saved story lost, and rank the unsure ones for review."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bookbuild.breaks.candidates import Candidate, choose, score_boundaries
from bookbuild.breaks.model import load_model
from bookbuild.config import BuildConfig
from bookbuild.model import Book, Paragraph, Role, SceneBreak, block_text, first_words
from bookbuild.transforms import Decision

NAME = "scene_inference"
_WORD = re.compile(r"[^\W_]+")


def matches_first_words(text: str, key: str) -> bool:
    """Whether a paragraph starts with the words of an override key (case, quotes and dashes aside).

    Stand-in until the shared matcher in transforms/overrides.py lands; words only, so a key
    typed with straight quotes matches a paragraph set with curly ones and vice versa.
    """
    wanted = _WORD.findall(key.replace("…", " ").lower())
    return bool(wanted) and _WORD.findall(text.lower())[: len(wanted)] == wanted


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a paragraph of a run sits in the book."""

    section: int
    block: int


def _runs(book: Book) -> tuple[list[list[str]], list[list[_Place]]]:
    """Runs of consecutive paragraphs inside chapters; a heading or scene break ends a run."""
    runs: list[list[str]] = []
    places: list[list[_Place]] = []
    for s, section in enumerate(book.sections):
        if section.role is not Role.CHAPTER:
            continue
        runs.append([])
        places.append([])
        for b, block in enumerate(section.blocks):
            if isinstance(block, Paragraph):
                runs[-1].append(block_text(block))
                places[-1].append(_Place(s, b))
            elif runs[-1]:
                runs.append([])
                places.append([])
    return runs, places


def _last_words(text: str, count: int = 8) -> str:
    words = text.split()
    return ("… " if len(words) > count else "") + " ".join(words[-count:])


def _strip_breaks(book: Book) -> tuple[Book, list[Decision]]:
    """Mode off: every scene break goes, marked or not."""
    decisions = []
    sections = []
    for section in book.sections:
        kept = []
        for block in section.blocks:
            if isinstance(block, SceneBreak):
                decisions.append(
                    Decision(
                        NAME, "SB205", "remove", "scene_breaks = off: scene break dropped", line=block.line
                    )
                )
            else:
                kept.append(block)
        sections.append(replace(section, blocks=tuple(kept)))
    return replace(book, sections=tuple(sections)), decisions


def _candidate_decision(
    c: Candidate, rank: int, runs: list[list[str]], line: int | None, placed: bool
) -> Decision:
    before, after = runs[c.run][c.index - 1], runs[c.run][c.index]
    if placed:
        rule = f"scene break placed: boundary scored {c.confidence:.2f}, at or above the threshold"
    elif c.conversation:
        rule = f"candidate only: scored {c.confidence:.2f} but sits inside a conversation"
    elif c.learned < c.confidence:
        rule = f"candidate only: scored {c.confidence:.2f}, lifted by a genre prior (cold open on speech)"
    else:
        rule = f"candidate only: scored {c.confidence:.2f}; confirm it with `bookbuild review`"
    data = {
        "candidate": True,
        "rank": rank,
        "placed": placed,
        "conversation": c.conversation,
        "previous_end": _last_words(before),
    }
    return Decision(
        NAME,
        "SB201" if placed else "SB202",
        "place" if placed else "candidate",
        rule,
        first_words(after),
        c.confidence,
        line,
        data,
    )


def _apply(book: Book, breaks_before: set[tuple[int, int]], drop_before: set[tuple[int, int]]) -> Book:
    """Insert inferred breaks before some blocks and drop the breaks just before others."""
    sections = []
    for s, section in enumerate(book.sections):
        blocks = []
        for b, block in enumerate(section.blocks):
            if (s, b) in drop_before and blocks and isinstance(blocks[-1], SceneBreak):
                blocks.pop()
            if (s, b) in breaks_before and not (blocks and isinstance(blocks[-1], SceneBreak)):
                blocks.append(SceneBreak(inferred=True, line=getattr(block, "line", None)))
            blocks.append(block)
        sections.append(replace(section, blocks=tuple(blocks)) if blocks != list(section.blocks) else section)
    return replace(book, sections=tuple(sections))


def _has_marked_breaks(book: Book) -> bool:
    return any(isinstance(b, SceneBreak) for section in book.chapters() for b in section.blocks)


def infer_scene_breaks(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Place the scene breaks a saved story lost, and rank the unsure ones for review."""
    if cfg.scene_breaks == "off":
        return _strip_breaks(book)
    decisions: list[Decision] = []
    runs, places = _runs(book)
    model = load_model()
    may_place = cfg.scene_breaks == "auto" and not _has_marked_breaks(book)
    if cfg.scene_breaks == "auto" and not may_place:
        decisions.append(
            Decision(NAME, "SB206", "skip", "the manuscript marks its own scene breaks: none inferred")
        )
    candidates = choose(score_boundaries(runs, model), model.threshold if may_place else float("inf"))

    add, remove = cfg.overrides.scene_breaks_add, cfg.overrides.scene_breaks_remove
    breaks_before: set[tuple[int, int]] = set()
    drop_before: set[tuple[int, int]] = set()
    for texts, where in zip(runs, places, strict=True):
        for index, text in enumerate(texts):
            spot = (where[index].section, where[index].block)
            line = book.sections[spot[0]].blocks[spot[1]].line
            if any(matches_first_words(text, key) for key in remove):
                drop_before.add(spot)
                decisions.append(
                    Decision(
                        NAME, "SB204", "remove", "book.toml scene_breaks_remove", first_words(text), 1.0, line
                    )
                )
            elif index > 0 and any(matches_first_words(text, key) for key in add):
                breaks_before.add(spot)
                decisions.append(
                    Decision(
                        NAME, "SB203", "place", "book.toml scene_breaks_add", first_words(text), 1.0, line
                    )
                )
    for rank, c in enumerate(candidates, start=1):
        spot = places[c.run][c.index]
        placed = (c.placed and (spot.section, spot.block) not in drop_before) or (
            spot.section,
            spot.block,
        ) in breaks_before
        if c.placed and placed:
            breaks_before.add((spot.section, spot.block))
        line = book.sections[spot.section].blocks[spot.block].line
        decisions.append(_candidate_decision(c, rank, runs, line, placed))
    return _apply(book, breaks_before, drop_before), decisions
