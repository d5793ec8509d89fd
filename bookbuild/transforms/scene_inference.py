"""Place the scene breaks a saved story lost, and rank the unsure ones for review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Book, Paragraph, Role, SceneBreak, block_text, first_words
from bookbuild.structure.overrides import Namer, phrase_matches, unused

if TYPE_CHECKING:
    from bookbuild.breaks.candidates import Candidate
    from bookbuild.breaks.model import Model

NAME = "scene_inference"


# The scorer (numpy, the features, the model) is imported when a book is scored, not with the
# pipeline: a book that marks its breaks, or turns inference off, never loads it.
def load_model() -> Model:
    """The shipped scene-break scorer."""
    from bookbuild.breaks.model import load_model as load

    return load()


def score_boundaries(runs: Sequence[Sequence[str]], model: Model) -> list[Candidate]:
    """The review list of some runs of paragraphs, best first, unplaced (``breaks.candidates``)."""
    from bookbuild.breaks.candidates import score_boundaries as score

    return score(runs, model)


Spot = tuple[int, int]  # (section index, block index) of a paragraph in the book


def _runs(book: Book) -> tuple[list[list[str]], list[list[Spot]]]:
    """Runs of consecutive paragraphs inside chapters; a heading or scene break ends a run."""
    runs: list[list[str]] = []
    places: list[list[Spot]] = []
    for s, section in enumerate(book.sections):
        if section.role is not Role.CHAPTER:
            continue
        runs.append([])
        places.append([])
        for b, block in enumerate(section.blocks):
            if isinstance(block, Paragraph):
                runs[-1].append(block_text(block))
                places[-1].append((s, b))
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
    c: Candidate, rank: int, runs: list[list[str]], line: int | None, placed: bool, namer: Namer
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
    # The words book.toml will name this paragraph by, should the user confirm or reject it.
    data["key"], data["key_unique"] = namer.phrase(after)
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


def _apply(book: Book, breaks_before: set[Spot], drop_before: set[Spot]) -> Book:
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


def _line(book: Book, spot: Spot) -> int | None:
    return getattr(book.sections[spot[0]].blocks[spot[1]], "line", None)


def _overrides(
    book: Book, runs: list[list[str]], places: list[list[Spot]], cfg: BuildConfig
) -> tuple[set[Spot], set[Spot], list[Decision]]:
    """Where book.toml adds a break and where it removes one, by the paragraph's first words.

    Breaks are added here, after the scorer has read the runs, rather than with the marks: an
    added break is an answer, so the book still counts as unmarked and the list stays the same.
    """
    add, remove = cfg.overrides.scene_breaks_add, cfg.overrides.scene_breaks_remove
    added: set[Spot] = set()
    removed: set[Spot] = set()
    used: set[str] = set()
    decisions = []
    if not add and not remove:  # most books name no paragraph: read none of their text
        return added, removed, decisions
    for texts, spots in zip(runs, places, strict=True):
        for index, (text, spot) in enumerate(zip(texts, spots, strict=True)):
            if any(phrase_matches(text, key) for key in remove):
                removed.add(spot)
                rule = "book.toml scene_breaks_remove: no scene break here"
                decisions.append(
                    Decision(NAME, "SB204", "remove", rule, first_words(text), 1.0, _line(book, spot))
                )
            elif keys := [key for key in add if phrase_matches(text, key)]:
                used.update(keys)  # a run's first paragraph already follows a break or a heading
                if index == 0:
                    continue
                added.add(spot)
                rule = "book.toml scene_breaks_add: scene break placed"
                decisions.append(
                    Decision(NAME, "SB203", "place", rule, first_words(text), 1.0, _line(book, spot))
                )
    decisions += unused(NAME, "SB020", "scene_breaks_add", add, used)
    return added, removed, decisions


def infer_scene_breaks(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Place the scene breaks a saved story lost, and rank the unsure ones for review."""
    if cfg.scene_breaks == "off":
        return _strip_breaks(book)
    decisions: list[Decision] = []
    runs, places = _runs(book)
    may_place = cfg.scene_breaks == "auto" and not _has_marked_breaks(book)
    if cfg.scene_breaks == "auto" and not may_place:
        rule = "the manuscript marks its own scene breaks: none inferred"
        decisions.append(Decision(NAME, "SB206", "skip", rule))
    if may_place or cfg.review_list:
        from bookbuild.breaks.candidates import choose

        model = load_model()
        candidates = choose(score_boundaries(runs, model), model.threshold if may_place else float("inf"))
    else:
        candidates = []
    added, removed, made = _overrides(book, runs, places, cfg)
    decisions.extend(made)
    breaks_before = set(added)
    namer = Namer((text for texts in runs for text in texts), (runs[c.run][c.index] for c in candidates))
    for rank, c in enumerate(candidates, start=1):
        spot = places[c.run][c.index]
        placed = (c.placed and spot not in removed) or spot in added
        if placed:
            breaks_before.add(spot)
        decisions.append(_candidate_decision(c, rank, runs, _line(book, spot), placed, namer))
    return _apply(book, breaks_before, removed), decisions
