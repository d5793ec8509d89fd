"""Turn marked scene-break lines (***, ~~~, -break-) into scene breaks."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Block, Book, Heading, Paragraph, SceneBreak, Section, block_text, first_words
from bookbuild.structure.blocks import collapse_breaks, trim_edge_breaks
from bookbuild.structure.markers import MarkerMatch, scene_marker
from bookbuild.structure.overrides import matches

_READER_BREAK = MarkerMatch("SB004", "a marked break in the source (Markdown ***, HTML <hr>, a Word border or rule)", 1.0)
_EMPTY_HEADING = MarkerMatch("SB001", "an empty or decoration-only Markdown heading (#)", 0.95)
_UNDERLINED = MarkerMatch("SB007", "a sentence underlined with --- or === (Markdown read a heading)", 0.85)
# A heading this long, or ending like a sentence, is a paragraph with a marker line under it.
MAX_HEADING_WORDS = 15
# The same line after the same line is judged once (a pasted list repeats a few lines thousands of times).
_marker = functools.lru_cache(maxsize=4096)(scene_marker)


def _reads_as_prose(text: str) -> bool:
    words = len(text.split())
    return words > MAX_HEADING_WORDS or (words > 3 and text.rstrip()[-1:] in ".!?\"”…")


@dataclass(frozen=True, slots=True)
class _Placed:
    """A scene break this step placed, and why."""

    block: SceneBreak
    match: MarkerMatch
    action: str = "scene-break"


def _classify(section: Section, cfg: BuildConfig) -> tuple[list[Block | _Placed], list[Decision]]:
    """Blocks with every marker line turned into a placed break (or kept as text by an override)."""
    items: list[Block | _Placed] = []
    decisions: list[Decision] = []
    previous = ""
    for block in section.blocks:
        text = block_text(block).strip()
        if isinstance(block, SceneBreak):
            items.append(_Placed(block, _READER_BREAK))
        elif isinstance(block, Heading) and (not text or _marker(text)):
            items.append(_Placed(SceneBreak(marker=text, line=block.line), _EMPTY_HEADING))
        elif isinstance(block, Heading) and _reads_as_prose(text):
            # "A sentence.\n---" is a paragraph and a break to a writer, a heading to Markdown.
            items.append(Paragraph(block.inlines, line=block.line))
            items.append(_Placed(SceneBreak(marker="---", line=block.line), _UNDERLINED))
        elif isinstance(block, Paragraph) and (match := _marker(text, previous)):
            if matches(block, cfg.overrides.scene_breaks_remove):
                decisions.append(
                    Decision("scenes", "SB011", "keep-text", "override: book.toml names this marker as text",
                             first_words(text), 1.0, block.line, {"rule": "override"})
                )
                items.append(block)
            else:
                items.append(_Placed(SceneBreak(marker=text, line=block.line), match))
        else:
            items.append(block)
        previous = text
    return items, decisions


def _apply_overrides(items: list[Block | _Placed], cfg: BuildConfig) -> tuple[list, list[Decision]]:
    """Remove the marked breaks before paragraphs book.toml names in scene_breaks_remove.

    scene_breaks_add is the inference step's: an answer adds a break between paragraphs the
    scorer reads as one run, and a break added here would read as a mark of the manuscript's own.
    """
    result: list[Block | _Placed] = []
    decisions: list[Decision] = []
    for item in items:
        if isinstance(item, Paragraph) and matches(item, cfg.overrides.scene_breaks_remove):
            while result and isinstance(result[-1], _Placed):
                dropped = result.pop()
                decisions.append(
                    Decision("scenes", "SB011", "remove", "override: book.toml scene_breaks_remove",
                             first_words(block_text(item)), 1.0, dropped.block.line,
                             {"marker": dropped.block.marker, "rule": "override"})
                )
        result.append(item)
    return result, decisions


def _finish(items: list[Block | _Placed], cfg: BuildConfig) -> tuple[tuple[Block, ...], list[Decision]]:
    """The final blocks, with one decision per break kept and per marker dropped."""
    placed = {id(item.block): item for item in items if isinstance(item, _Placed)}
    blocks = tuple(item.block if isinstance(item, _Placed) else item for item in items)
    dropped: list[tuple[SceneBreak, str]] = []
    if cfg.scene_breaks == "off":
        dropped = [(b, "scene breaks are off (--scene-breaks off)") for b in blocks if isinstance(b, SceneBreak)]
        blocks = tuple(b for b in blocks if not isinstance(b, SceneBreak))
    blocks, merged = collapse_breaks(blocks)
    dropped += [(b, "a second marker right after another") for b in merged]
    blocks, edges = trim_edge_breaks(blocks)
    dropped += [(b, "a marker at the start or end of the text") for b in edges]

    decisions: list[Decision] = []
    for position, block in enumerate(blocks):
        if isinstance(block, SceneBreak):
            why = placed[id(block)].match
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            decisions.append(
                Decision("scenes", why.code, "scene-break", why.rule, first_words(block_text(following)) if following else "",
                         why.confidence, block.line, {"marker": block.marker})
            )
    for block, reason in dropped:
        why = placed[id(block)].match
        decisions.append(
            Decision("scenes", "SB005", "drop", f"{why.rule}: dropped, {reason}", block.marker, why.confidence,
                     block.line, {"marker": block.marker})
        )
    return blocks, decisions


def mark_scene_breaks(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Turn marked scene-break lines (***, ~~~, -break-) into scene breaks."""
    decisions: list[Decision] = []
    sections = []
    for section in book.sections:
        items, classified = _classify(section, cfg)
        items, overridden = _apply_overrides(items, cfg)
        blocks, finished = _finish(items, cfg)
        decisions += sorted(classified + overridden + finished, key=lambda d: d.line or 0)
        sections.append(dataclasses.replace(section, blocks=blocks))
    return dataclasses.replace(book, sections=tuple(sections)), decisions
