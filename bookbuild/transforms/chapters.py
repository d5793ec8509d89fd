"""Split the text into chapters at chapter headings."""

from __future__ import annotations

import dataclasses

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.model import Block, Book, Role, SceneBreak, Section, first_words, plain_text
from bookbuild.structure.blocks import trim_edge_breaks
from bookbuild.structure.chapter_starts import Start, find_starts
from bookbuild.structure.overrides import unused


def _decision(start: Start) -> Decision:
    title = plain_text(start.title).replace("\n", " / ").strip()
    return Decision(
        "chapters", start.match.code, "chapter", start.match.rule, first_words(title) if title else "(untitled)",
        start.match.confidence, start.line, {"title": title},
    )


def _edge_drops(dropped: list[SceneBreak]) -> list[Decision]:
    return [
        Decision("chapters", "SB006", "drop", "a scene break at a chapter's start or end: dropped", b.marker, 1.0, b.line)
        for b in dropped
    ]


def _split(section: Section, starts: list[Start]) -> tuple[list[Section], list[Decision]]:
    """One section cut at its chapter starts; text before the first heading stays as its own part."""
    if not starts:
        return [section], []
    pieces: list[Section] = []
    decisions: list[Decision] = []
    opening, dropped = trim_edge_breaks(section.blocks[: starts[0].index])
    decisions += _edge_drops(dropped)
    if opening:
        pieces.append(dataclasses.replace(section, blocks=opening))
    for start, following in zip(starts, starts[1:] + [None], strict=True):
        end = following.index if following else len(section.blocks)
        blocks: tuple[Block, ...] = section.blocks[start.index + start.span : end]
        blocks, dropped = trim_edge_breaks(blocks)
        decisions += _edge_drops(dropped)
        pieces.append(Section(Role.CHAPTER, blocks, title=start.title, line=start.line))
        decisions.append(_decision(start))
    return pieces, decisions


def split_chapters(book: Book, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """Split the text into chapters at chapter headings."""
    found = find_starts(book, cfg.overrides)
    decisions: list[Decision] = []
    for s, i, phrase in found.removed:
        block = book.sections[s].blocks[i]
        decisions.append(
            Decision("chapters", "CH011", "keep-text", "override: book.toml chapters_remove", phrase, 1.0,
                     block.line, {"rule": "override"})
        )
    starts = list(found.starts)
    sections: list[Section] = []
    for s, section in enumerate(book.sections):
        pieces, made = _split(section, [start for start in starts if start.section == s])
        sections += pieces
        decisions += made
    if not starts:
        for section in book.sections:
            decisions.append(
                Decision("chapters", "CH000", "chapter", "no chapter heading found: the text is one untitled chapter",
                         "(untitled)", 1.0, section.line)
            )
    decisions += unused("chapters", "CH020", "chapters_add", cfg.overrides.chapters_add, set(found.used_add))
    decisions += unused("chapters", "CH021", "chapters_remove", cfg.overrides.chapters_remove,
                        {phrase for _, _, phrase in found.removed})
    return dataclasses.replace(book, sections=tuple(sections)), decisions
